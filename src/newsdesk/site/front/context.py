"""Template context for every page: the section menu, the site's name and its stylesheet."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from newsdesk.site import pagecache
from newsdesk.site.stories.models import Section


def menu_html(request) -> str | None:
    """The menu's list items, rendered once per site version; None without versions."""
    if pagecache.seen_versions(request) is None:
        return None

    def build():
        sections = Section.objects.filter(in_menu=True)
        return render_to_string("stories/_menu.html", {"menu_sections": sections})

    return pagecache.remembered(request, ("menu",), build)


def site_chrome(request):
    # One query per page for the menu, made (even built) only if the template uses it.
    return {
        "menu_sections": SimpleLazyObject(lambda: list(Section.objects.filter(in_menu=True))),
        "menu_html": menu_html(request),  # rendered once per site version behind the page cache
        "site_name": settings.NEWSDESK_SITE_NAME,
        "site_logo": settings.NEWSDESK_SITE_LOGO,
        "site_logo_width": settings.NEWSDESK_SITE_LOGO_SIZE[0],
        "site_logo_height": settings.NEWSDESK_SITE_LOGO_SIZE[1],
        # the stylesheet inlined in <head>; the CSP allows this text by its hash
        "inline_style": mark_safe(settings.NEWSDESK_INLINE_STYLE),  # noqa: S308 - our own files
    }
