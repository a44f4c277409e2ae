"""Story clusters through the real paths: `newsdesk ingest` of a real feed, the pages, the API,
the desk's pin, split, merge and locked bullets."""

import shutil

import pytest
from django.contrib.auth.models import User
from lib._shared import shared

from newsdesk.cli import main
from newsdesk.site.clusters import services
from newsdesk.site.clusters.models import Cluster, Membership
from newsdesk.site.stories.models import Story
from newsdesk.summarize import is_grounded

# on_commit placement needs real commits
pytestmark = pytest.mark.django_db(transaction=True)

HEARING = (
    "Leaders from Snapchat, TikTok and YouTube face lawmakers about child safety",
    "4 takeaways from the Senate child safety hearing with YouTube, Snapchat and TikTok",
)
META = (
    "Facebook is rebranding as Meta — but the app you use will still be called Facebook",
    "Facebook wants to lean into the metaverse. Here's what it is and how it will work",
)


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("desk", "desk@example.org", "pw"))
    return client


@pytest.fixture
def npr_feed(tmp_path, editor):
    """NPR's technology JSON Feed of October 2021 (25 real items), ingested by the CLI, then
    published from the desk (its items are teasers, kept as drafts: their pages are on npr.org,
    out of reach here)."""
    services.reset()
    path = tmp_path / "npr-technology.json"
    shutil.copy(shared("data", "feeds", "trafilatura", "tests", "resources", "feed.json"), path)
    assert main(["ingest", str(path)]) == 0
    drafts = list(Story.objects.exclude(status=Story.PUBLISHED).values_list("pk", flat=True))
    editor.post("/admin/stories/story/", {"action": "publish_selected", "_selected_action": drafts})
    assert Story.objects.published().count() == 25
    editor.logout()
    yield path
    services.reset()


def cluster_of(headline: str) -> Cluster:
    return Membership.objects.select_related("cluster").get(story__headline=headline).cluster


def test_same_event_items_share_a_cluster_and_other_events_do_not(npr_feed):
    assert Membership.objects.count() == Story.objects.count() == 25  # every story placed once
    hearing = cluster_of(HEARING[0])
    assert cluster_of(HEARING[1]) == hearing
    # Everything else on the feed stands alone, the five other Facebook stories included
    # (the Meta rebrand and the metaverse explainer too: an editor merges those, below).
    assert Cluster.objects.count() == 24
    assert cluster_of(META[0]) != cluster_of(META[1])
    assert cluster_of("A cyberattack paralyzed every gas station in Iran").memberships.count() == 1


def test_story_page_shows_coverage_quick_looks_and_timeline(npr_feed, client):
    hearing = cluster_of(HEARING[0])
    story = Story.objects.get(headline=HEARING[0])
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Coverage from 2 sources" in page
    for headline in HEARING:
        assert headline in page.replace("&#x27;", "'")
    assert 'id="cluster-looks"' in page and 'id="cluster-timeline"' in page
    assert "Only one source reports this" in page  # these two items share no sentence
    timeline = page[page.index('id="cluster-timeline"') :]
    assert "Leaders from Snapchat" in timeline and "4 takeaways" in timeline
    assert client.get(hearing.get_absolute_url()).status_code == 200
    lone = Story.objects.get(headline="A cyberattack paralyzed every gas station in Iran")
    assert "Coverage from" not in client.get(lone.get_absolute_url()).content.decode()


def test_home_and_feed_show_one_entry_per_cluster(npr_feed, client):
    hearing = cluster_of(HEARING[0])
    main_story = hearing.main_story
    other = next(h for h in HEARING if h != main_story.headline)
    # The editor puts the cluster on top of the front page; its other story is not repeated.
    client.force_login(User.objects.get(username="desk"))
    client.post(
        "/admin/stories/story/", {"action": "make_top_story", "_selected_action": [main_story.pk]}
    )
    client.logout()
    home = client.get("/").content.decode()
    assert main_story.headline in home and other not in home
    # The site's feed holds all 25 stories' events (30 entries at most): 24 entries.
    feed = client.get("/feeds/rss.xml").content.decode()
    assert feed.count("<item>") == 24
    assert main_story.headline in feed and other not in feed


def test_api_lists_clusters_and_every_bullet_cites_a_source_and_is_grounded(npr_feed, client):
    listing = client.get("/api/clusters?page_size=100").json()
    assert listing["count"] == 24
    pairs = [c for c in listing["results"] if c["size"] == 2]
    assert len(pairs) == 1
    bullets = []
    for teaser in pairs:
        one = client.get(f"/api/clusters/{teaser['slug']}").json()
        assert len(one["stories"]) == 2 and one["main_story"]
        bullets += one["bullets"]
    assert bullets
    cited = [b for b in bullets if b["citations"]]
    grounded = [
        b for b in bullets if any(is_grounded(b["text"], [c["sentence"]]) for c in b["citations"])
    ]
    assert len(cited) == len(grounded) == len(bullets)  # 100 % cite a source, 100 % grounded
    assert client.get("/api/clusters/no-such-cluster").status_code == 404


def test_desk_pins_splits_merges_and_locked_bullets_stay(npr_feed, client):
    client.force_login(User.objects.get(username="desk"))
    hearing, meta = cluster_of(HEARING[0]), cluster_of(META[0])
    # The cluster list shows the forming clusters with their sizes.
    assert hearing.title in client.get("/admin/clusters/cluster/").content.decode()

    # Lock the hearing cluster's bullets.
    client.post(
        "/admin/clusters/cluster/", {"action": "lock_bullets", "_selected_action": [hearing.pk]}
    )
    hearing.refresh_from_db()
    locked = [b["text"] for b in hearing.bullets if b["locked"]]
    assert locked and len(locked) == len(hearing.bullets)

    # Merge the two Meta stories' clusters (the feed kept them apart): into the older one.
    other_meta = cluster_of(META[1])
    older, newer = sorted([meta, other_meta], key=lambda c: (c.created_at, c.pk))
    client.post(
        "/admin/clusters/cluster/",
        {"action": "merge_clusters", "_selected_action": [meta.pk, other_meta.pk]},
    )
    merged = cluster_of(META[0])
    assert merged.pk == older.pk and merged.slug == older.slug and cluster_of(META[1]) == merged
    assert not Cluster.objects.filter(pk=newer.pk).exists()

    # Pin the story that did not start the cluster as its main story.
    not_main = next(h for h in META if h != merged.main_story.headline)
    membership = Membership.objects.get(story__headline=not_main)
    client.post(
        "/admin/clusters/membership/",
        {"action": "pin_main_story", "_selected_action": [membership.pk]},
    )
    merged.refresh_from_db()
    assert merged.main_story.headline == not_main and merged.pinned

    # Merge the Meta and hearing clusters (into the older): as the cluster grows, its slug,
    # main story and the locked bullets stay.
    into, other = sorted([merged, hearing], key=lambda c: (c.created_at, c.pk))
    client.post(
        "/admin/clusters/cluster/",
        {"action": "merge_clusters", "_selected_action": [merged.pk, hearing.pk]},
    )
    grown = Cluster.objects.get(pk=into.pk)
    assert grown.slug == into.slug and grown.memberships.count() == 4
    assert grown.main_story_id == into.main_story_id
    assert [b["text"] for b in grown.bullets if b["locked"]] == locked  # word for word
    page = client.get(grown.main_story.get_absolute_url()).content.decode()
    assert "Coverage from 4 sources" in page
    for text in locked:
        assert text.replace("'", "&#x27;") in page

    # Split a wrong member out: it gets a cluster of its own, the rest stay.
    wrong = Membership.objects.get(story__headline=HEARING[1])
    client.post(
        "/admin/clusters/membership/", {"action": "split_out", "_selected_action": [wrong.pk]}
    )
    alone = cluster_of(HEARING[1])
    assert alone != grown and alone.memberships.count() == 1
    assert Cluster.objects.get(pk=grown.pk).memberships.count() == 3
    assert "Coverage from 3 sources" in client.get(grown.get_absolute_url()).content.decode()


def test_section_and_tag_pages_and_feeds_show_one_entry_per_cluster(npr_feed, client):
    from newsdesk.site.stories.models import Section, Tag

    hearing = cluster_of(HEARING[0])
    main_story = hearing.main_story
    other = next(h for h in HEARING if h != main_story.headline)
    lone = Story.objects.get(headline="A cyberattack paralyzed every gas station in Iran")
    section = Section.objects.create(name="Hearings", slug="hearings")
    tag = Tag.objects.create(name="Child safety", slug="child-safety")
    for story in Story.objects.filter(headline__in=HEARING) | Story.objects.filter(pk=lone.pk):
        story.sections.add(section)
        story.tags.add(tag)
    for url in ("/section/hearings/", "/tag/child-safety/"):
        page = client.get(url).content.decode().replace("&#x27;", "'")
        listing = page[page.index('id="listing"') : page.index("</ol>", page.index('id="listing"'))]
        assert listing.count("<li") == 2  # the cluster once, and the lone story
        assert main_story.headline in listing and lone.headline in listing
        assert other not in listing
    for url in ("/section/hearings/rss.xml", "/tag/child-safety/rss.xml"):
        feed = client.get(url).content.decode().replace("&#x27;", "'")
        assert feed.count("<item>") == 2
        assert main_story.headline in feed and other not in feed


def test_an_updated_story_refreshes_its_clusters_quick_looks_keeping_locked_bullets(
    npr_feed, client, tmp_path
):
    import json
    from datetime import UTC, datetime

    client.force_login(User.objects.get(username="desk"))
    hearing = cluster_of(HEARING[0])
    client.post(
        "/admin/clusters/cluster/", {"action": "lock_bullets", "_selected_action": [hearing.pk]}
    )
    hearing.refresh_from_db()
    locked = [b["text"] for b in hearing.bullets]
    assert locked and all(b["locked"] for b in hearing.bullets)
    # NPR revises the hearing story: a later version with a new paragraph (the full entry
    # now, no longer a teaser), by the CLI.
    added = (
        "Senators asked the three companies to back new federal rules protecting "
        "the privacy of children and teenagers who use their apps every day. Lawmakers said "
        "they would call the companies back for a second hearing early next year."
    )
    feed = json.loads(npr_feed.read_text())
    item = next(i for i in feed["items"] if i["title"] == HEARING[0])
    item["content_html"] = item["content_html"].replace("</p>", f"</p><p>{added}</p>", 1)
    # dated now: the desk published the teaser today, and only a newer version updates it
    item["date_published"] = item["date_modified"] = datetime.now(UTC).isoformat()
    feed["items"] = [item]
    revised = tmp_path / "npr-revised.json"
    revised.write_text(json.dumps(feed))
    assert main(["ingest", str(revised)]) == 0
    story = Story.objects.get(headline=HEARING[0])
    assert any(
        "federal rules" in (b.get("text") or "") for b in story.blocks
    )  # the story took it in

    hearing.refresh_from_db()
    texts = [b["text"] for b in hearing.bullets]
    assert texts[: len(locked)] == locked  # the locked bullets stay, word for word
    new = [b for b in hearing.bullets if not b["locked"]]
    assert any("federal rules" in b["text"] for b in new)  # the new point is a bullet now
    assert all(c["source"] == story.pk for b in new for c in b["citations"])


def test_cluster_stories_places_stories_stored_before_the_app_once(npr_feed, capsys):
    # The NPR stories as a site that had them before clusters existed: none in a cluster.
    Cluster.objects.all().delete()
    assert not Membership.objects.exists()
    capsys.readouterr()
    assert main(["manage", "cluster_stories"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "25 placed (24 new clusters, 1 joined one), 0 already in a cluster"
    )
    assert Membership.objects.count() == Story.objects.count() == 25
    assert cluster_of(HEARING[0]) == cluster_of(HEARING[1])
    assert Cluster.objects.count() == 24
    # Again: nothing left to place, nothing moved.
    before = dict(Membership.objects.values_list("story_id", "cluster_id"))
    assert main(["manage", "cluster_stories"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "0 placed (0 new clusters, 0 joined one), 25 already in a cluster"
    )
    assert dict(Membership.objects.values_list("story_id", "cluster_id")) == before


def test_an_edit_saved_in_the_desk_refreshes_its_clusters_quick_looks(npr_feed, client):
    from django.urls import reverse
    from test_desk_copy import _form_data

    client.force_login(User.objects.get(username="desk"))
    story = Story.objects.get(headline=HEARING[1])
    hearing = cluster_of(HEARING[1])
    assert not any("federal rules" in b["text"] for b in hearing.bullets)
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = _form_data(client.get(url))
    added = (
        "Senators asked the three companies to back new federal rules protecting "
        "the privacy of children and teenagers who use their apps every day."
    )
    data["body"] += f"<p>{added}</p>"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    hearing.refresh_from_db()
    point = [b for b in hearing.bullets if "federal rules" in b["text"]]
    assert point and [c["source"] for c in point[0]["citations"]] == [story.pk]
