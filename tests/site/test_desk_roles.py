"""Who may do what on the desk: erin (editor), walt (writer), rita (reader), anonymous."""

import pytest
from django.urls import reverse

from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.stories.models import Story

pytestmark = pytest.mark.django_db

COPY = """Harbour council approves new piers after long debate

TALLINN, ESTONIA (AP) — The city council voted on Monday to rebuild the old harbour with three new piers. The plan will cost 40 million euros over five years. Mayor Anna Kask said the vote ended a decade of delays. Fishermen welcomed the decision but asked for lower berth fees.

Opposition members argued that the budget leaves no room for schools. The port authority expects dredging to start in the spring.
"""


def _client(client, personas, who):
    if who != "anonymous":
        client.force_login(personas[who])
    return client


def _draft(make_story, owner, headline="Draft about the harbour"):
    story = make_story(headline, publish=False)
    story.created_by = owner
    story.save()
    return story


def _step(client, story, step):
    return client.post(reverse("admin:stories_story_workflow", args=[story.pk, step]))


@pytest.mark.parametrize(
    "who, status", [("erin", 200), ("walt", 200), ("rita", 302), ("anonymous", 302)]
)
def test_only_staff_reach_the_story_list(client, personas, who, status):
    response = _client(client, personas, who).get(reverse("admin:stories_story_changelist"))
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def test_writer_sees_only_own_stories_and_editor_sees_all(client, personas, make_story):
    mine = _draft(make_story, personas["walt"], "Walt harbour draft")
    theirs = _draft(make_story, personas["erin"], "Erin budget draft")
    walt = _client(client, personas, "walt")
    page = walt.get(reverse("admin:stories_story_changelist")).content.decode()
    assert mine.headline in page and theirs.headline not in page
    assert walt.get(reverse("admin:stories_story_change", args=[theirs.pk])).status_code == 302
    walt.logout()
    page = (
        _client(client, personas, "erin")
        .get(reverse("admin:stories_story_changelist"))
        .content.decode()
    )
    assert mine.headline in page and theirs.headline in page


@pytest.mark.parametrize(
    "who, created", [("erin", True), ("walt", True), ("rita", False), ("anonymous", False)]
)
def test_new_story_from_copy_per_persona(client, personas, who, created):
    response = _client(client, personas, who).post(
        reverse("admin:stories_story_from_copy"), {"copy": COPY}
    )
    story = Story.objects.filter(headline__startswith="Harbour council").first()
    assert (story is not None) is created
    if created:
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:stories_story_change", args=[story.pk])
        assert story.status == Story.DRAFT and story.created_by == personas[who]
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_writer_edits_own_draft_but_not_after_submitting(client, personas, make_story):
    story = _draft(make_story, personas["walt"])
    walt = _client(client, personas, "walt")
    url = reverse("admin:stories_story_change", args=[story.pk])
    assert b'name="headline"' in walt.get(url).content
    assert _step(walt, story, "submit").status_code == 302
    story.refresh_from_db()
    assert story.status == Story.REVIEW
    # In review the form is read-only for the writer.
    assert b'name="headline"' not in walt.get(url).content


@pytest.mark.parametrize("who, allowed", [("erin", True), ("walt", False)])
def test_only_editors_publish(client, personas, make_story, who, allowed):
    story = _draft(make_story, personas["walt"])
    story.status = Story.REVIEW
    story.save()
    response = _step(_client(client, personas, who), story, "publish")
    story.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert story.status == Story.PUBLISHED
        entry = AuditEntry.objects.get(story=story, action="published")
        assert (entry.user, entry.action, entry.from_status, entry.to_status) == (
            personas["erin"],
            "published",
            "review",
            "published",
        )
    else:
        assert response.status_code == 403
        assert story.status == Story.REVIEW
        assert not AuditEntry.objects.exclude(action="ingested").exists()


@pytest.mark.parametrize("who", ["rita", "anonymous"])
def test_readers_cannot_run_workflow_steps(client, personas, make_story, who):
    story = _draft(make_story, personas["walt"])
    response = _step(_client(client, personas, who), story, "submit")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    story.refresh_from_db()
    assert story.status == Story.DRAFT


def test_writer_cannot_submit_someone_elses_story(client, personas, make_story):
    story = _draft(make_story, personas["erin"])
    assert _step(_client(client, personas, "walt"), story, "submit").status_code == 404
    story.refresh_from_db()
    assert story.status == Story.DRAFT


def test_writer_gets_no_publish_actions_and_editor_does(client, personas, make_story):
    _draft(make_story, personas["walt"])
    url = reverse("admin:stories_story_changelist")
    walt_page = _client(client, personas, "walt").get(url).content.decode()
    assert 'value="submit_selected"' in walt_page and 'value="publish_selected"' not in walt_page
    client.logout()
    erin_page = _client(client, personas, "erin").get(url).content.decode()
    assert 'value="publish_selected"' in erin_page and 'value="unpublish_selected"' in erin_page


def test_writer_cannot_publish_through_a_forged_action(client, personas, make_story):
    story = _draft(make_story, personas["walt"])
    response = _client(client, personas, "walt").post(
        reverse("admin:stories_story_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
    )
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.status == Story.DRAFT


def test_writer_cannot_set_status_or_publish_time_through_the_form(client, personas, make_story):
    story = _draft(make_story, personas["walt"])
    walt = _client(client, personas, "walt")
    page = walt.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()
    assert 'name="status"' not in page and 'name="published_at_0"' not in page


@pytest.mark.parametrize("who, visible", [("erin", True), ("walt", False)])
def test_audit_log_is_for_editors(client, personas, who, visible):
    response = _client(client, personas, who).get(reverse("admin:desk_auditentry_changelist"))
    assert response.status_code == (200 if visible else 403)


@pytest.mark.parametrize("who, ok", [("erin", 200), ("walt", 403)])
def test_sections_and_editions_are_the_editors(client, personas, who, ok):
    c = _client(client, personas, who)
    assert c.get(reverse("admin:stories_section_add")).status_code == ok
    assert c.get(reverse("admin:stories_edition_add")).status_code == ok
    assert c.get(reverse("admin:auth_user_changelist")).status_code == ok


def test_the_migration_creates_both_roles_with_their_permissions():
    from django.contrib.auth.models import Group

    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    writer = set(Group.objects.get(name="Writer").permissions.values_list("codename", flat=True))
    assert {"publish_story", "delete_story", "change_section", "add_user"} <= editor
    assert {"add_story", "change_story", "change_quicklookbullet"} <= writer
    assert not {"publish_story", "delete_story", "change_section", "add_user"} & writer


def test_published_story_keeps_its_url_when_edited(client, personas, make_story):
    story = make_story("The original headline")
    slug = story.slug
    client.force_login(personas["erin"])
    url = reverse("admin:stories_story_change", args=[story.pk])
    page = client.get(url).content.decode()
    assert 'name="slug"' not in page
    from test_desk_copy import _form_data

    data = _form_data(client.get(url))
    data["headline"] = "A better headline"
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.slug) == ("A better headline", slug)
    assert client.get(f"/story/{slug}/").status_code == 200
