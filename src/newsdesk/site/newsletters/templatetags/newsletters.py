"""``{% subscribe_form %}``: the small subscribe form of the footer and edition pages."""

from django import template

from newsdesk.site.newsletters import tokens

register = template.Library()


@register.inclusion_tag("newsletters/_form.html", takes_context=True)
def subscribe_form(context, place: str, edition: str = "both", compact: bool = True) -> dict:
    """The form with a fresh signed token (shared by every reader of a cached page);
    ``place`` keeps its element ids apart from another form on the same page."""
    request = context.get("request")
    return {
        "subscribe_form": tokens.form_token(),
        "chosen": edition if edition in tokens.CHOICES else "both",
        "source": request.path if request is not None else "",
        "compact": compact,
        "place": place,
    }
