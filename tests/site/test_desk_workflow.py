"""The story workflow: submit, schedule, publish on time (frozen clock), unpublish, audit log."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from newsdesk.site.desk import services as workflow
from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.stories.models import Edition, Story

pytestmark = pytest.mark.django_db

NOON = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def _draft(make_story, owner, **kw):
    story = make_story(publish=False, **kw)
    story.created_by = owner
    story.save()
    return story


def test_scheduled_story_goes_live_when_its_minute_comes(personas, make_story, client):
    story = _draft(make_story, personas["walt"], when=NOON)
    with time_machine.travel(NOON - timedelta(hours=3), tick=False):
        workflow.submit(story, personas["walt"])
        workflow.publish(story, personas["erin"], at=NOON)
        story.refresh_from_db()
        assert story.status == Story.SCHEDULED
        assert story.edition == Edition.objects.get(date=NOON.date(), period=Edition.EVENING)
        assert workflow.publish_due() == []
        assert client.get(story.get_absolute_url()).status_code == 404
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert workflow.publish_due() == []
    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        assert [s.pk for s in workflow.publish_due()] == [story.pk]
        story.refresh_from_db()
        assert story.status == Story.PUBLISHED and story.published_at == NOON
        assert client.get(story.get_absolute_url()).status_code == 200
        assert workflow.publish_due() == []  # already done: nothing twice
    actions = list(
        AuditEntry.objects.filter(story=story)
        .exclude(action="ingested")  # the fixture storing it
        .order_by("at", "id")
        .values_list("action", "user__username")
    )
    assert actions == [("submitted", "walt"), ("scheduled", "erin"), ("published", None)]


def test_publish_due_takes_an_explicit_now(personas, make_story):
    story = _draft(make_story, personas["erin"])
    with time_machine.travel(NOON - timedelta(days=1), tick=False):
        workflow.publish(story, personas["erin"], at=NOON)
    assert workflow.publish_due(now=NOON - timedelta(minutes=1)) == []
    assert [s.pk for s in workflow.publish_due(now=NOON)] == [story.pk]


def test_publishing_keeps_the_url_and_files_the_story_in_its_edition(personas, make_story):
    story = _draft(make_story, personas["walt"])
    slug = story.slug
    with time_machine.travel(datetime(2025, 6, 3, 7, 30, tzinfo=UTC), tick=False):
        workflow.publish(story, personas["erin"])
    story.refresh_from_db()
    assert story.slug == slug and story.status == Story.PUBLISHED
    assert (story.edition.date.isoformat(), story.edition.period) == ("2025-06-03", "morning")


def test_writer_cannot_publish_or_unpublish(personas, make_story):
    story = _draft(make_story, personas["walt"])
    with pytest.raises(PermissionDenied):
        workflow.publish(story, personas["walt"])
    story.status = Story.PUBLISHED
    story.save()
    with pytest.raises(PermissionDenied):
        workflow.unpublish(story, personas["walt"])


def test_unpublished_story_leaves_the_site(personas, make_story, client):
    story = make_story()
    assert client.get(story.get_absolute_url()).status_code == 200
    workflow.unpublish(story, personas["erin"])
    assert client.get(story.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        workflow.unpublish(story, personas["erin"])


def test_only_drafts_are_submitted(personas, make_story):
    story = _draft(make_story, personas["walt"])
    workflow.submit(story, personas["walt"])
    with pytest.raises((ValidationError, PermissionDenied)):
        workflow.submit(story, personas["walt"])


def test_schedule_button_needs_a_future_time(client, personas, make_story):
    story = _draft(make_story, personas["walt"], when=NOON)
    client.force_login(personas["erin"])
    response = client.post(
        reverse("admin:stories_story_workflow", args=[story.pk, "schedule"]), follow=True
    )
    assert "future publish time" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.DRAFT


def test_unknown_workflow_step_is_a_404(client, personas, make_story):
    story = _draft(make_story, personas["walt"])
    client.force_login(personas["erin"])
    assert (
        client.post(reverse("admin:stories_story_workflow", args=[story.pk, "explode"])).status_code
        == 404
    )
    assert (
        client.get(reverse("admin:stories_story_workflow", args=[story.pk, "publish"])).status_code
        == 405
    )


def test_make_top_story_leaves_exactly_one(client, personas, make_story):
    first, second = make_story(), make_story()
    first.is_top_story = True
    first.save()
    client.force_login(personas["erin"])
    client.post(
        reverse("admin:stories_story_changelist"),
        {"action": "make_top_story", "_selected_action": [second.pk]},
    )
    assert list(Story.objects.filter(is_top_story=True)) == [second]
    assert client.get("/").context["top"] == second


def test_the_worker_task_publishes_due_stories(personas, make_story):
    story = _draft(make_story, personas["erin"])
    with time_machine.travel(NOON - timedelta(hours=1), tick=False):
        workflow.publish(story, personas["erin"], at=NOON)
    from newsdesk.site.desk.tasks import publish_scheduled_stories

    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert publish_scheduled_stories.call_local() == 1
    story.refresh_from_db()
    assert story.status == Story.PUBLISHED
