"""A reader in real Chromium on a story whose event two feed items cover: the coverage block,
the cluster's Quick Looks with their sources, the timeline; a screenshot for the eye."""

import shutil
from pathlib import Path

import pytest
from lib._shared import shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_cluster_from_real_feed_items_in_chromium(live_server, page, tmp_path):
    from django.contrib.auth.models import User

    from newsdesk.cli import main
    from newsdesk.site.clusters import services
    from newsdesk.site.clusters.models import Membership
    from newsdesk.site.desk.services import publish
    from newsdesk.site.stories.models import Story

    services.reset()
    feed = tmp_path / "npr-technology.json"
    shutil.copy(shared("data", "feeds", "trafilatura", "tests", "resources", "feed.json"), feed)
    assert main(["ingest", str(feed)]) == 0
    editor = User.objects.create_superuser("desk", "desk@example.org", "pw")
    for story in Story.objects.exclude(status=Story.PUBLISHED):  # teasers, kept as drafts
        publish(story, editor)
    cluster = Membership.objects.get(story__headline__startswith="Leaders from Snapchat").cluster
    main_story = cluster.main_story

    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(live_server.url + main_story.get_absolute_url())
    coverage = page.locator("#cluster-coverage")
    assert coverage.is_visible()
    assert page.locator("#coverage-title").inner_text() == "Coverage from 2 sources"
    assert coverage.locator(".coverage-sources > li").count() == 2
    bullets = page.locator("#cluster-looks > ul > li")
    assert bullets.count() >= 2
    for i in range(bullets.count()):
        assert bullets.nth(i).locator(".cites a").count() >= 1  # each bullet names its source
    assert page.locator("#cluster-timeline li").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    coverage.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "cluster-story-page.png"), full_page=True)

    page.click("#cluster-link")
    page.wait_for_url(f"**{cluster.get_absolute_url()}")
    assert page.locator("h1").inner_text() == cluster.title
    page.screenshot(path=str(ARTIFACTS / "cluster-page.png"), full_page=True)
    services.reset()
