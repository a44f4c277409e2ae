"""Template context for every page: the section menu and the site's name."""

from django.conf import settings

from newsdesk.site.stories.models import Section


def site_chrome(request):
    # One query per page for the menu, made lazily if the template uses it.
    return {
        "menu_sections": Section.objects.filter(in_menu=True),
        "site_name": settings.NEWSDESK_SITE_NAME,
    }
