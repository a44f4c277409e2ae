"""Publication dates: which are real, and where else a page says when it was published.

Pages carry placeholders as dates (``datePublished "0001-01-01T00:00:00Z"`` on Gannett
pages, the Unix epoch, dates far ahead): such a date is a missing date. The next
source is asked instead, in the order an editor would trust them: the JSON-LD
article, the meta tags, a ``<time datetime>`` in the page, the date in the page's
address (``/2019/11/19/``, ``/2019-11-19/``, ``/2019/nov/18/``), and at ingest the feed
entry that linked to the page.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

#: Before the web's news sites: a placeholder, not a publication date.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
#: A date further ahead than this is a mistake or a placeholder.
FUTURE_SLACK = timedelta(days=1)

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
# /2019/11/19/, /2019-11-19/, /20191119/ is too easily an id: not taken; /2019/nov/18/ (Guardian)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)(?P<sep>[/-])(?P<m>0?[1-9]|1[0-2]|[a-z]{3,9})(?P=sep)"
    r"(?P<d>0?[1-9]|[12]\d|3[01])(?=[/._-]|$)",
    re.I,
)


def plausible(value: datetime | None, now: datetime | None = None) -> datetime | None:
    """``value`` when it can be a story's publication time, else None.

    Placeholders (year 1, the epoch: anything before 1990) and dates more than a day
    ahead of ``now`` are missing dates. A naive ``value`` is taken as UTC.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    try:
        if value < EARLIEST or value > now + FUTURE_SLACK:
            return None
    except OverflowError:
        return None
    return value


def date_from_url(url: str | None) -> datetime | None:
    """The date in a story's address (``…/2019/11/19/…``), midnight UTC, or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", url.strip(), flags=re.I).split("?")[0]
    for m in _URL_DATE.finditer(path):
        month = m.group("m").lower()
        number = int(month) if month.isdigit() else _MONTHS.get(month)
        if number is None:
            continue
        try:
            found = datetime(int(m.group("y")), number, int(m.group("d")), tzinfo=UTC)
        except ValueError:
            continue
        if plausible(found):
            return found
    return None
