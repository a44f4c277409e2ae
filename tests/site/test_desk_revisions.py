"""Every save keeps a revision (who, when, what); a readable diff; one-click restore."""

import pytest
from django.urls import reverse
from reversion.models import Version
from test_desk_copy import COPY, _form_data

from newsdesk.site.desk import services as workflow
from newsdesk.site.desk.revisions import restore, timeline
from newsdesk.site.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client, personas):
    """Walt's story from copy, then edited once in the admin form (headline and a bullet)."""
    client.force_login(personas["walt"])
    client.post(reverse("admin:stories_story_from_copy"), {"copy": COPY})
    story = Story.objects.get()
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = _form_data(client.get(url))
    data["headline"] = "Council approves three new harbour piers"
    data["bullets-0-text"] = "Council votes for three new piers."
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    return story


def test_each_save_keeps_a_revision_with_its_author(edited, personas):
    versions = Version.objects.get_for_object(edited)
    assert versions.count() == 2
    assert [v.revision.user for v in versions] == [personas["walt"], personas["walt"]]


def test_diff_shows_changed_headline_and_bullet(edited):
    (newest, lines), (first, created) = timeline(edited)
    assert "- Harbour council approves new piers after long debate" in lines
    assert "+ Council approves three new harbour piers" in lines
    assert "+Council votes for three new piers." in lines
    # The machine's first bullet, as the first version holds it, is the one taken out.
    created_bullets = [
        line[1:] for line in created if line.startswith("+") and not line.startswith(("+ ", "++"))
    ]
    assert any(f"-{text}" in lines for text in created_bullets)
    assert "@@ body" not in lines  # the body did not change
    assert "+ Harbour council approves new piers after long debate" in created


def test_revisions_page_shows_the_diff(client, edited):
    page = client.get(reverse("admin:stories_story_revisions", args=[edited.pk])).content.decode()
    assert "+ Council approves three new harbour piers" in page
    assert "walt" in page and "Restore this revision" in page


def test_restore_brings_back_text_and_bullets_but_keeps_the_state(client, edited, personas):
    workflow.submit(edited, personas["walt"])
    workflow.publish(edited, personas["erin"])
    slug = edited.slug
    original = Version.objects.get_for_object(edited).order_by("pk").first()
    client.force_login(personas["erin"])
    response = client.post(reverse("admin:stories_story_restore", args=[edited.pk, original.pk]))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.headline == "Harbour council approves new piers after long debate"
    restored = edited.bullets.first().text
    assert restored and restored != "Council votes for three new piers."  # the machine's again
    assert (edited.status, edited.slug) == (Story.PUBLISHED, slug)
    newest = Version.objects.get_for_object(edited).first()
    assert newest.revision.user == personas["erin"] and "restored" in newest.revision.comment


@pytest.mark.parametrize("who, status", [("rita", 302), ("anonymous", 302)])
def test_readers_cannot_restore(client, edited, personas, who, status):
    client.logout()
    if who != "anonymous":
        client.force_login(personas[who])
    original = Version.objects.get_for_object(edited).order_by("pk").first()
    response = client.post(reverse("admin:stories_story_restore", args=[edited.pk, original.pk]))
    assert response.status_code == status
    edited.refresh_from_db()
    assert edited.headline == "Council approves three new harbour piers"


def test_writer_cannot_restore_once_submitted(client, edited, personas):
    workflow.submit(edited, personas["walt"])
    original = Version.objects.get_for_object(edited).order_by("pk").first()
    response = client.post(reverse("admin:stories_story_restore", args=[edited.pk, original.pk]))
    assert response.status_code == 403


def test_restoring_another_storys_version_is_a_404(client, edited, personas, make_story):
    other = make_story()
    client.force_login(personas["erin"])
    version = Version.objects.get_for_object(edited).first()
    assert (
        client.post(reverse("admin:stories_story_restore", args=[other.pk, version.pk])).status_code
        == 404
    )


def test_restore_function_refuses_unknown_version(edited, personas):
    with pytest.raises(Version.DoesNotExist):
        restore(edited, 10**9, personas["erin"])


def test_writer_cannot_revert_someone_elses_story_through_the_history_view(
    client, edited, personas
):
    theirs = Story.objects.create(
        headline="Erin original", slug="erin-original", created_by=personas["erin"]
    )
    import reversion

    with reversion.create_revision():
        theirs.save()
    old = Version.objects.get_for_object(theirs).first()
    theirs.headline = "Erin current"
    theirs.save()
    url = reverse("admin:stories_story_revision", args=[theirs.pk, old.pk])
    assert client.post(url, {"headline": "Erin original"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.headline == "Erin current"
    assert client.get(reverse("admin:stories_story_recoverlist")).status_code == 403


def test_editor_sees_the_reversion_history_page(client, edited, personas):
    client.force_login(personas["erin"])
    response = client.get(reverse("admin:stories_story_history", args=[edited.pk]))
    assert response.status_code == 200 and "walt" in response.content.decode()
