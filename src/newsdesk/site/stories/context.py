"""Template context for every page: the section menu and the site's name."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from newsdesk.site.fragments import menu_html
from newsdesk.site.stories.models import Section


def site_chrome(request):
    # One query per page for the menu, made (even built) only if the template uses it.
    return {
        "menu_sections": SimpleLazyObject(lambda: list(Section.objects.filter(in_menu=True))),
        "menu_html": menu_html(request),  # rendered once per site version behind the page cache
        "site_name": settings.NEWSDESK_SITE_NAME,
    }
