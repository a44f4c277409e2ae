"""Parse any input (page text, wire copy, HTML, feeds, Article JSON) into Articles.

``parse(source, *, format="auto", url=None)`` returns one :class:`~newsdesk.Article`;
``parse_all`` returns every Article the input holds (many for a feed or a JSON
list). ``source`` is text (``str``), raw bytes (``bytes``: gzip and any encoding
are handled) or a ``pathlib.Path``; a ``str`` is always content, never a path.
``format`` is ``auto``, ``text``, ``html``, ``feed`` or ``json``.

``parse`` of a feed returns its first entry and adds a warning saying how many
there are. Every failure is a :class:`~newsdesk.errors.ParseError` whose message
starts with the input's name (its path, ``<input>``, or ``name=`` as given,
e.g. ``<stdin>``) and says what is wrong. Inputs over 20 MB are refused.

Modules: ``detect`` (format sniffing), ``encoding`` (bytes → text),
``text`` (Quick Looks page layout and wire copy), ``html`` (trafilatura + structure),
``htmlmeta`` (JSON-LD / meta tags), ``feed`` (RSS/Atom/RDF/JSON Feed),
``jsonfmt`` (Article JSON), ``fragments`` (feed HTML → blocks), ``blocks``,
``captions``, ``datelines`` and ``boilerplate`` (shared heuristics).
"""

from newsdesk.parse.core import parse, parse_all

__all__ = ["parse", "parse_all"]
