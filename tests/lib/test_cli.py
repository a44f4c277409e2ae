"""The CLI as a user runs it: a real subprocess, its output and exit code."""

import json
import subprocess
import sys

import pytest

from ._shared import shared

COMMANDS = ["parse", "looks", "ingest", "serve", "eval", "manage", "createsuperuser", "check"]


def run(*args, stdin=b""):
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args], input=stdin, capture_output=True, timeout=120
    )


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert b"usage: newsdesk" in result.stdout


def test_parse_reads_stdin_and_prints_article_json():
    story = b"Storm hits coast\n\nA storm hit the coast on Monday. Thousands lost power.\n"
    result = run("parse", "-", "--format", "text", stdin=story)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["headline"] == "Storm hits coast"
    assert "Thousands lost power." in " ".join(
        b.get("text", "") for b in data["deep_look"]["blocks"]
    )


def test_looks_summarizes_one_paragraph_pasted_on_stdin():
    story = (
        b"The city council voted on Tuesday to close the old bridge after engineers found deep "
        b"cracks in two of its piers. Repairs will take a year and cost $12 million, the mayor "
        b"said. Buses will replace the tram line that crosses the river until the work is done. "
        b"Shop owners near the bridge said they feared losing customers during the closure."
    )
    result = run("looks", "-", "--json", stdin=story)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["headline"].startswith("The city council voted on Tuesday to close")
    assert len(data["bullets"]) >= 2


def test_bad_input_prints_one_line_and_exits_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("parse", str(empty))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "empty.txt" in lines[0] and "Traceback" not in lines[0]


def test_missing_file_is_a_clear_error(tmp_path):
    result = run("parse", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert "nope.html" in result.stderr.decode()


def test_looks_json_has_grounded_bullets():
    story = (
        "Storm hits coast\n\n"
        + " ".join(
            f"Officials counted {n} damaged homes in district {n} after the storm on Monday."
            for n in range(1, 12)
        )
    ).encode()
    result = run("looks", "-", "--format", "text", "--json", stdin=story)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["dek"] and data["headline"]
    assert data["bullets"] and all(b["source_sentences"] for b in data["bullets"])


@pytest.mark.parametrize(
    "flag, value", [("--threads", "0"), ("--workers", "-1"), ("--threads", "many")]
)
def test_serve_refuses_a_count_below_one_before_starting(flag, value):
    result = run("serve", flag, value)
    assert result.returncode == 2
    error = result.stderr.decode()
    assert f"argument {flag}" in error and repr(value) in error
    assert "serving" not in error  # refused before migrating or serving anything


@pytest.mark.parametrize("cores, threads", [(1, 3), (2, 5), (3, 7), (4, 8), (64, 8), (None, 3)])
def test_default_threads_stay_where_granian_does_not_warn(monkeypatch, cores, threads):
    from newsdesk.site import runner

    monkeypatch.setattr(runner.os, "cpu_count", lambda: cores)
    assert runner.default_threads() == threads


def test_looks_of_a_one_paragraph_story_on_stdin():
    """Pasted copy: one block of text, no headline line, no format given."""
    story = (
        "The city council voted on Tuesday to close the old harbour bridge to cars from next"
        " spring, after engineers found cracks in two of its steel supports. The bridge, built in"
        " 1931, carries about 14,000 vehicles a day. Cyclists and pedestrians will still be able"
        " to use it while repairs are planned. The mayor said a replacement could take five years"
        " to build, and that the council would ask the national government to share the cost."
    )
    result = run("looks", "-", stdin=story.encode())
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.splitlines()[1].startswith("The city council voted on Tuesday")  # the headline
    assert "  • " in out and "no text to summarize" not in result.stderr.decode()


def test_looks_of_an_evaluation_row_on_stdin():
    """A real CNN/DailyMail row, piped in as a newsroom would paste it."""
    from ._shared import shared

    row = json.loads(shared("data", "summaries", "cnndm-dev.jsonl").open().readline())
    result = run("looks", "-", "--json", stdin=row["article"].encode())
    assert result.returncode == 0, result.stderr
    looks = json.loads(result.stdout)
    assert looks["bullets"] and looks["dek"]
    assert all(b["text"].split()[0] in row["article"] for b in looks["bullets"])


FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Desk</title><link>https://news.example.com/</link>
<item><title>Bridge closes for repairs</title><link>https://news.example.com/bridge</link>
<description>The city closed the old bridge on Tuesday after engineers found deep cracks in
two of its piers. Repairs will take a year and cost $12 million, the mayor said. Buses will
replace the tram line that crosses the river until the work is done, officials said.
</description></item>
<item><title>Harbour wall plan approved</title><link>https://news.example.com/wall</link>
<description>The council approved a plan on Monday to rebuild the harbour wall before winter.
The wall was damaged in February when waves flooded forty homes. Work begins in September
and costs about 8 million pounds, paid mostly by a national flood fund.</description></item>
</channel></rss>"""


def test_looks_of_a_feed_prints_every_entry():
    result = run("looks", "-", "--format", "feed", stdin=FEED)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "== entry 1 of 2" in out and "== entry 2 of 2" in out
    assert out.index("Bridge closes for repairs") < out.index("Harbour wall plan approved")


def test_looks_json_of_a_real_feed_is_a_list_with_one_looks_per_entry():
    feed = shared("data", "feeds", "rss-parser", "test", "input", "guardian.rss")
    result = run("looks", str(feed), "--json")
    assert result.returncode in (0, 1), result.stderr
    looks = json.loads(result.stdout)
    failed = result.stderr.decode().count("newsdesk looks: entry ")
    assert len(looks) + failed == 55 and len(looks) > 0
    assert all(item["bullets"] for item in looks)
