"""What an editor notices on the desk: its name in the header, one "View on site", one-line
bullets beside their sources, recent editions only, revision notes that say what changed,
and drafts from copy placed in a section with no publish time until published."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from test_desk_copy import COPY, _form_data

from newsdesk.site.desk import services as workflow
from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.stories.models import Edition, Section, Story

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_sites_name(client, personas, settings):
    settings.NEWSDESK_SITE_NAME = "Harbour Herald"
    client.force_login(personas["erin"])
    page = client.get("/admin/").content.decode()
    assert re.search(r"<title>[^<]*Harbour Herald desk</title>", page)
    assert re.search(r'id="site-name"><a href="/admin/">Harbour Herald desk</a>', page)
    assert "Django administration" not in page


def change_page(client, story):
    response = client.get(reverse("admin:stories_story_change", args=[story.pk]))
    assert response.status_code == 200
    return response


def test_view_on_site_is_shown_once_and_only_for_a_published_story(client, personas, make_story):
    client.force_login(personas["erin"])
    published = make_story("Live story")
    draft = make_story("Draft story", publish=False)
    live = change_page(client, published).content.decode()
    assert live.count("View on site") == 1
    assert f'href="{published.get_absolute_url()}" id="view-on-site"' in live
    assert "View on site" not in change_page(client, draft).content.decode()


def test_bullets_are_one_line_each_beside_their_source_sentences(client, personas):
    client.force_login(personas["erin"])
    response = client.post(reverse("admin:stories_story_from_copy"), {"copy": COPY})
    story = Story.objects.get()
    assert response.status_code == 302
    page = change_page(client, story).content.decode()
    bullet = story.bullets.exclude(source_sentences=[]).first()
    row = page[page.index(f'id="bullets-{bullet.order}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'<input type="text" name="bullets-\d+-text"[^>]*class="bullet-text"', row)
    assert "<textarea" not in row
    sources = re.search(r'<td class="field-sources">(.*?)</td>', row, re.DOTALL).group(1)
    assert sources.strip() not in ("", "—")  # the sentence it was written from, beside it


def test_the_edition_dropdown_offers_recent_editions_and_the_storys_own(
    client, personas, make_story
):
    today = timezone.localdate()
    old = Edition.objects.create(date=today - datetime.timedelta(days=90), period="morning")
    older = Edition.objects.create(date=today - datetime.timedelta(days=400), period="evening")
    recent = Edition.objects.create(date=today - datetime.timedelta(days=2), period="evening")
    story = make_story("Filed long ago")
    Story.objects.filter(pk=story.pk).update(edition=old)
    client.force_login(personas["erin"])
    form = change_page(client, story).context["adminform"].form
    offered = set(form.fields["edition"].queryset)
    assert recent in offered and old in offered and older not in offered


def test_revision_notes_say_what_changed(client, personas, make_story):
    us = Section.objects.create(name="US", slug="us")
    story = make_story("Harbour vote", sections=("World",))
    client.force_login(personas["erin"])
    url = reverse("admin:stories_story_change", args=[story.pk])
    data = _form_data(client.get(url))
    data["headline"] = "Harbour vote passes"
    data["storysection_set-0-section"] = str(us.pk)
    data["bullets-0-text"] = "An edited first point"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    comment = Version.objects.get_for_object(story).first().revision.comment
    assert "headline: “Harbour vote” → “Harbour vote passes”" in comment
    assert "sections: World → US" in comment and "bullets: 1 edited" in comment
    assert "object (" not in comment
    assert AuditEntry.objects.filter(story=story, action="edited").last().note == comment
    revisions = client.get(reverse("admin:stories_story_revisions", args=[story.pk]))
    assert "sections: World → US" in revisions.content.decode()


def test_a_draft_from_copy_gets_a_section_and_no_publish_time_until_published(client, personas):
    business = Section.objects.create(name="Business", slug="business")
    Section.objects.create(name="World", slug="world")
    client.force_login(personas["erin"])
    url = reverse("admin:stories_story_from_copy")
    refused = client.post(url, {"copy": COPY})  # the desk has sections: pick one
    assert refused.status_code == 400 and not Story.objects.exists()
    assert "This field is required" in refused.content.decode()
    assert client.post(url, {"copy": COPY, "section": business.pk}).status_code == 302
    draft = Story.objects.get()
    assert list(draft.sections.all()) == [business]
    assert draft.status == Story.DRAFT and draft.published_at is None and draft.edition is None
    workflow.publish(draft, personas["erin"])
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.edition is not None
    assert client.get(draft.get_absolute_url()).status_code == 200
