"""Page chrome and boilerplate that extractors leave in a story's body."""

from __future__ import annotations

import re

# Whole lines of site chrome in page-text dumps (the Newslooks rating widget, menus).
CHROME_LINES = {
    "how useful was this article?",
    "click on a star to rate it!",
    "submit rating",
    "latest news",
    "menu",
    "search",
    "share",
    "share this:",
    "share this article",
    "tweet",
    "email",
    "print",
    "facebook",
    "twitter",
    "whatsapp",
    "linkedin",
    "related",
    "related posts",
    "related articles",
    "advertisement",
    "skip to content",
    "as you found this post useful...",
    "follow us on social media!",
    "we are sorry that this post was not useful for you!",
    "let us improve this post!",
    "tell us how we can improve this post?",
}
CHROME_PREFIXES = (
    "average rating",
    "vote count",
    "no votes so far",
    "rating:",
)

# Boilerplate blocks inside an extracted HTML body. Anchored and short: a real
# paragraph that merely mentions a newsletter is kept.
_BOILERPLATE = re.compile(
    r"""^(?:
        read\ more(?:\ *[:»>›→].*)?|read\ more\ about\ .*|see\ also:.*|related:.*|more:\ .*|
        (?:click|tap)\ on\ a\ star.*|
        scroll\ down\ for\ (?:video|more).*|
        share\ (?:this|on|via)\b.*|share\ article|share|tweet|email|print|
        (?:sign\ up|subscribe)\ (?:for|to)\ (?:our|the)\ .{0,60}newsletter.*|
        (?:sign\ up|subscribe)\ (?:now|today|here).*|
        (?:get|receive)\ (?:our|the)\ .{0,40}newsletter.*|
        (?:please\ )?(?:support|donate\ to)\ (?:our|independent)\ journalism.*|
        how\ useful\ was\ this\ (?:article|post)\?|average\ rating.*|vote\ count.*|
        no\ votes\ so\ far.*|
        advertisement|sponsored\ content|skip\ (?:to\ content|advertisement)|
        follow\ us\ on\ (?:twitter|facebook|instagram|social\ media).*|
        (?:we\ use\ cookies|this\ (?:web)?site\ uses\ cookies).*|
        thanks?\ (?:you\ )?for\ (?:signing\ up|subscribing).*|thank\ you!?|
        keep\ an\ eye\ on\ your\ inbox.*|
        (?:sorry!?|an\ error\ has\ occurred.*|
        there\ was\ an\ error\ processing\ your\ subscription.*)|
        get\ the\ latest\ .{0,60}\ (?:in|to)\ your\ inbox.*|
        (?:sign\ up|subscribe)\ (?:to|for)\ .{0,60}(?:newsletters?|today).*|
        .{0,40}\bnewsletter|
        order\ reprints.*|print\ article|
        this\ copy\ is\ for\ your\ personal,?\ non-commercial\ use\ only.*|
        this\ article\ has\ been\ sent\ to.*|
        you\ may\ also\ like.*|you\ might\ also\ like.*|recommended(?:\ for\ you)?|
        tell\ us\ what\ you\ think.*|comments?|\d+\ comments?|leave\ a\ comment|
        like\ this\ story\?.*|share\ (?:it\ )?with\ a\ friend.*|
        don'?t\ miss:?|see\ more:.*|must\ read:?|trending:?|also\ on\ .{0,60}|
        have\ a\ tip\?.*|
        (?:write\ to|contact|email|reach)\ .{0,80}\S+@\S+\.\w+.*|
        tags:?|topics:?|filed\ under:?.*|
        (?:last\ )?(?:updated|published|posted)(?:\ on|\ at)?:?\ .{0,40}\d.{0,30}
    )$""",
    re.I | re.X,
)


def is_chrome_line(line: str) -> bool:
    low = line.strip().lower()
    return low in CHROME_LINES or low.startswith(CHROME_PREFIXES)


_DATE_WORDS = frozenset(
    """jan january feb february mar march apr april may jun june jul july aug august sep sept
    september oct october nov november dec december mon monday tue tues tuesday wed wednesday
    thu thurs thursday fri friday sat saturday sun sunday janeiro fevereiro março abril maio junho
    julho agosto setembro outubro novembro dezembro enero febrero marzo mayo junio julio agosto
    septiembre octubre noviembre diciembre segunda terça quarta quinta sexta feira sábado domingo
    lunes martes miércoles jueves viernes de del às a at on am pm p m a.m p.m est edt gmt utc bst
    cet updated published posted last et pt ct""".split()
)
_YEAR_OR_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[:h]\d{2}\b")


def _is_date_only(text: str) -> bool:
    """``segunda-feira, 22 de janeiro de 2018 às 0:13``, ``Updated at 1:23 p.m. ET``."""
    if len(text) > 70 or not _YEAR_OR_TIME.search(text):
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    return all(w in _DATE_WORDS for w in words)


def is_boilerplate(text: str) -> bool:
    """A block that is page furniture rather than story."""
    stripped = text.strip()
    if len(stripped) >= 200:
        return False
    return bool(_BOILERPLATE.match(stripped) or _is_date_only(stripped))
