"""Datelines at the start of a story: ``WASHINGTON (AP) — …``, ``TALLINN, ESTONIAAs …``."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Capital and small letters of the Latin scripts, so that "ZÜRICH", "SÃO PAULO" and
# "MONTRÉAL, Québec" are places too (``re`` has no \p{Lu}).
_LATIN = [chr(c) for c in range(0xC0, 0x250)]
_UP = "A-Z" + "".join(c for c in _LATIN if c.isupper())
_LOW = "a-z" + "".join(c for c in _LATIN if c.islower())
# A place in capitals, optionally ", STATE" / ", Country" / ", Fla." after it.
_PLACE = (
    rf"[{_UP}][{_UP}'.\-]+(?:[ ][{_UP}][{_UP}'.\-]+){{0,4}}"
    rf"(?:,[ ][{_UP}][{_UP}{_LOW}'.\-]+(?:[ ][{_UP}][{_UP}{_LOW}'.\-]+){{0,3}})?"
)
# "WASHINGTON (AP) — rest", "LONDON — rest", "PARIS, May 2 (Reuters) - rest"
_SEPARATED = re.compile(
    rf"^(?P<place>{_PLACE})"
    r"(?:,?[ ](?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"[a-z]*\.?[ ]\d{1,2}))?"
    r"(?:[ ]?\((?P<agency>[A-Za-z][A-Za-z.&' ]{0,30})\))?"
    r"\s*(?P<dash>[—–]|--?)\s*(?P<rest>\S.*)$",
    re.S,
)
# Text damage: the dateline glued to the first word, "TALLINN, ESTONIAAs President".
_GLUED = re.compile(
    rf"^(?P<place>[{_UP}][{_UP}'.\-]{{2,}}(?:[ ][{_UP}][{_UP}'.\-]+){{0,3}}"
    rf"(?:,[ ][{_UP}][{_UP}'.\-]+(?:[ ][{_UP}][{_UP}'.\-]+){{0,3}})?)"
    rf"(?=[{_UP}][{_LOW}])(?P<rest>.*)$",
    re.S,
)

AGENCIES = {
    "AP": "Associated Press",
    "Reuters": "Reuters",
    "AFP": "AFP",
    "CNN": "CNN",
    "UPI": "UPI",
    "dpa": "dpa",
}


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str  # "WASHINGTON"
    printed: str  # "WASHINGTON (AP)" — as the story prints it, without the dash
    agency: str | None  # "AP"
    rest: str  # the paragraph after the dateline


def split_dateline(paragraph: str, *, glued: bool = False) -> Dateline | None:
    """The dateline opening ``paragraph``, or None.

    ``glued`` also accepts a capitalised place stuck to the next word, which only
    page-text dumps produce; off by default because it is a guess.
    """
    text = paragraph.strip()
    m = _SEPARATED.match(text)
    if m and _plausible(m.group("place")) and not m.group("rest")[0].islower():
        place = m.group("place").rstrip(",")
        printed = text[: m.start("dash")].strip()
        return Dateline(
            place=place, printed=printed, agency=m.group("agency"), rest=m.group("rest").strip()
        )
    if glued:
        m = _GLUED.match(text)
        if m and _plausible(m.group("place")):
            place = m.group("place")
            return Dateline(place=place, printed=place, agency=None, rest=m.group("rest").strip())
    return None


def _plausible(place: str) -> bool:
    letters = [c for c in place if c.isalpha()]
    # a place name, not an acronym opening a sentence ("NATO — the alliance")
    head = place.split(",")[0]
    return len(letters) >= 3 and sum(c.isupper() for c in head if c.isalpha()) >= 3
