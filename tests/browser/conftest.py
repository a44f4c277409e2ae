"""Debian's Chromium, driven by Playwright, for every browser test."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out to a closed network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        # Between Playwright's calls its event loop is marked running in this thread, and a
        # database connection the test opened meanwhile is kept apart from the one the test
        # database's teardown closes: close it here, or PostgreSQL refuses to drop the test
        # database at the end of the run ("being accessed by other users").
        from django.db import connections

        connections.close_all()
        chromium.close()


@pytest.fixture
def page(browser):
    return browser.new_page()
