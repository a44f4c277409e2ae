"""Bulk ingest for the CLI: parse, summarize and store files, directories and feeds.

Each item is stored in its own transaction (inside ``services.ingest``), so a bad item
is reported and skipped and nothing already stored is lost.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.errors import NewsdeskError

SUFFIXES = {".txt", ".html", ".htm", ".xml", ".rss", ".atom", ".json", ".gz"}


@dataclass
class IngestReport:
    """What happened to each item: stored, duplicate, or rejected with its reason."""

    ingested: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"ingested  {name}" for name in self.ingested]
        out += [f"duplicate {name}" for name in self.duplicates]
        out += [f"rejected  {name}: {reason}" for name, reason in self.rejected]
        out.append(
            f"{len(self.ingested)} ingested, {len(self.duplicates)} duplicate, "
            f"{len(self.rejected)} rejected"
        )
        return out


def expand(paths: list[str]) -> list[Path]:
    """Files as given, and the story files inside directories, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


def ingest_paths(paths: list[str], *, publish: bool = True, out=sys.stdout) -> IngestReport:
    """Ingest every story in ``paths`` into the configured database and print a report."""
    from newsdesk.parse import parse_all
    from newsdesk.site.stories.models import Story
    from newsdesk.site.stories.services import ingest

    report = IngestReport()
    files = expand(paths)
    for number, path in enumerate(files, 1):
        try:
            articles = parse_all(path)
        except NewsdeskError as exc:
            report.rejected.append((str(path), str(exc)))
            continue
        for index, article in enumerate(articles):
            name = str(path) if len(articles) == 1 else f"{path}#{index + 1}"
            before = Story.objects.count()
            try:
                ingest(article, publish=publish)
            except NewsdeskError as exc:
                report.rejected.append((name, str(exc)))
                continue
            if Story.objects.count() > before:
                report.ingested.append(name)
            else:
                report.duplicates.append(name)
        if out.isatty():
            print(f"\r[{number}/{len(files)}] {path.name[:60]:60}", end="", file=out, flush=True)
    if out.isatty():
        print(file=out)
    print("\n".join(report.lines()), file=out)
    return report
