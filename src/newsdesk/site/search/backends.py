"""The database's own full-text index over ``StoryDocument``: SQLite FTS5 or PostgreSQL.

``create_sql(vendor)`` / ``drop_sql(vendor)`` are what the migration runs; the query
builders below are what ``search.index`` runs. Nothing here takes the user's text into SQL
except as a bound parameter, and on SQLite only after ``fts5_query`` rebuilt it.
"""

from __future__ import annotations

import re

DOCUMENTS = "search_storydocument"
FTS = "search_fts"  # SQLite only: the FTS5 table over DOCUMENTS
COLUMNS = ("headline", "summary", "bullets", "body")
# Relative weight of a match in each column: the headline counts most.
SQLITE_WEIGHTS = (10.0, 4.0, 3.0, 1.0)
PG_WEIGHTS = ("A", "B", "B", "D")  # ts_rank's defaults: A 1.0, B 0.4, C 0.2, D 0.1
PG_CONFIG = "english"
# Highlight markers inside the database's output; stripped from indexed text, so any in a
# snippet are ours. The snippet is HTML-escaped, then these become <mark> and </mark>.
START, STOP = "\x02", "\x03"

_SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(headline, summary, bullets, body, "
    f"content='{DOCUMENTS}', content_rowid='story_id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON {DOCUMENTS} BEGIN "  # noqa: S608 - constant names
    f"INSERT INTO {FTS}(rowid, headline, summary, bullets, body) "
    "VALUES (new.story_id, new.headline, new.summary, new.bullets, new.body); END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON {DOCUMENTS} BEGIN "  # noqa: S608 - constant names
    f"INSERT INTO {FTS}({FTS}, rowid, headline, summary, bullets, body) "
    "VALUES ('delete', old.story_id, old.headline, old.summary, old.bullets, old.body); END",
    f"CREATE TRIGGER search_fts_update AFTER UPDATE ON {DOCUMENTS} BEGIN "  # noqa: S608 - constant names
    f"INSERT INTO {FTS}({FTS}, rowid, headline, summary, bullets, body) "
    "VALUES ('delete', old.story_id, old.headline, old.summary, old.bullets, old.body); "
    f"INSERT INTO {FTS}(rowid, headline, summary, bullets, body) "
    "VALUES (new.story_id, new.headline, new.summary, new.bullets, new.body); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",  # noqa: S608 - constant names
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
_PG_VECTOR = " || ".join(
    f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, {column}), '{weight}')"
    for column, weight in zip(COLUMNS, PG_WEIGHTS, strict=True)
)
_PG_CREATE = [
    f"ALTER TABLE {DOCUMENTS} ADD COLUMN document tsvector "
    f"GENERATED ALWAYS AS ({_PG_VECTOR}) STORED",
    f"CREATE INDEX search_document_gin ON {DOCUMENTS} USING GIN (document)",
]
_PG_DROP = [
    "DROP INDEX IF EXISTS search_document_gin",
    f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS document",
]


def create_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_CREATE, "postgresql": _PG_CREATE}.get(vendor, [])


def drop_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP}.get(vendor, [])


# --- Reader queries -------------------------------------------------------------------------

MAX_QUERY_CHARS = 256
MAX_TERMS = 32
_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(text: str) -> str:
    """The reader's text, bounded and without control characters (NUL breaks PostgreSQL)."""
    return _CONTROL.sub(" ", text or "")[:MAX_QUERY_CHARS].strip()


def _phrase(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'  # \w+ words never hold a quote


def fts5_query(text: str) -> str:
    """Turn the reader's text into a valid FTS5 query with web-search meaning.

    Like PostgreSQL's ``websearch_to_tsquery``: words must all match, ``"quoted words"``
    are a phrase, ``or`` between two terms matches either, ``-word`` excludes. Every term
    is quoted, so FTS5 operators and punctuation in the text (``AND(``, ``*``, ``^``,
    ``NEAR``, a lone ``"``) are just words. Returns "" when nothing searchable is left.
    """
    groups: list[list[str]] = []  # AND of (OR of phrases)
    excluded: list[str] = []
    pending_or = False
    terms = 0
    for match in _PIECE.finditer(clean_query(text)):
        negate, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or = bool(groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negate, bare = "-", bare[1:]
        words = _WORD.findall(quoted if quoted is not None else bare)
        if not words or terms >= MAX_TERMS:
            continue
        terms += 1
        phrase = _phrase(words[:MAX_TERMS])
        if negate:
            excluded.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if not groups:
        return ""
    query = " AND ".join(
        "(" + " OR ".join(group) + ")" if len(group) > 1 else group[0] for group in groups
    )
    for phrase in excluded:
        query = f"({query}) NOT {phrase}"
    return query
