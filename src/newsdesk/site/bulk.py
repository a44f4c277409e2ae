"""Bulk ingest for the CLI: parse, summarize and store files, directories and feeds.

Each story is stored in its own transaction (see ``ingestion.pipeline``), so a bad item
is reported with its reason and skipped, and nothing already stored is lost. A progress
bar (tqdm) goes to standard error when it is a terminal; the per-item report (ingested,
updated, duplicate, skipped or rejected with the reason) goes to ``out`` at the end.

A folder's files are taken whatever their names: the parser tells a story's kind by
its content (``newsdesk.parse.detect``), so wire files named ``AP-WIRE-0001`` are read,
and every file gets a line (an image or an empty file is skipped, saying so).
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsdesk.site.ingestion.limits import over_limit
from newsdesk.site.ingestion.pipeline import REJECTED, SKIPPED, Outcome, Report, ingest_source


def expand(paths: list[str]) -> list[Path]:
    """Files as given, and every file inside directories (recursively), in a stable order.

    Hidden files and folders (``.DS_Store``, ``.git``) are kept too: they get a skipped line.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            files.append(path)
    return files


def ingest_paths(
    paths: list[str], *, publish: bool = True, out=None, err=None, user=None
) -> Report:
    """Ingest every story in ``paths`` into the configured database and print a report.

    ``user`` (None: the operator) is who the stories are stored as, with that user's rights.

    ``out`` (default standard output) gets the report, ``err`` (default standard error)
    the progress bar.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    from tqdm import tqdm

    report = Report()
    files = expand(paths)
    bar = tqdm(
        files,
        desc="ingest",
        unit="file",
        file=err,
        disable=not _is_tty(err) or len(files) < 2,
        dynamic_ncols=True,
    )
    for path in bar:
        if not path.is_file():
            reason = "no such file or directory" if not path.exists() else "not a regular file"
            report.add(Outcome(str(path), REJECTED, reason=reason))
            continue
        if _hidden(path, paths):
            report.add(Outcome(str(path), SKIPPED, reason="hidden file"))
            continue
        if problem := over_limit(str(path), path.stat().st_size):
            report.add(Outcome(str(path), REJECTED, reason=problem.removeprefix(f"{path} ")))
            continue
        for outcome in ingest_source(path, name=str(path), publish=publish, user=user, via="cli"):
            report.add(outcome)
        bar.set_postfix_str(report.summary(), refresh=False)
    bar.close()
    print("\n".join(report.lines()), file=out, flush=True)
    return report


def _hidden(path: Path, given: list[str]) -> bool:
    """A dot-file, or a file in a dot-folder below one of the folders ``given``."""
    if str(path) in given:
        return False  # named on the command line: the editor means it
    for raw in given:
        try:
            inside = path.relative_to(raw)
        except ValueError:
            continue
        return any(part.startswith(".") for part in inside.parts)
    return path.name.startswith(".")


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
