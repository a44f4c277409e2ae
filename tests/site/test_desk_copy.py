"""New story from copy, bullets beside their source sentences, regeneration that keeps locks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsdesk.site.desk.copy import regenerate_bullets, story_sentences
from newsdesk.site.stories.models import QuickLookBullet, Story
from newsdesk.summarize import summarize

pytestmark = pytest.mark.django_db

COPY = """Harbour council approves new piers after long debate

TALLINN, ESTONIA (AP) — The city council voted on Monday to rebuild the old harbour with three new piers. The plan will cost 40 million euros over five years. Mayor Anna Kask said the vote ended a decade of delays. Fishermen welcomed the decision but asked for lower berth fees.

Opposition members argued that the budget leaves no room for schools. They said the council should have waited for the national grant decision. The port authority expects dredging to start in the spring. Ferry services will continue during the works, the authority said.

Environmental groups warned that dredging could harm the bay's seagrass. The council promised an independent study before work begins.
"""

PAGE = """<!DOCTYPE html><html><head><title>Ferry strike ends</title></head><body>
<article><h1>Ferry strike ends after three days</h1>
<p>HELSINKI — Ferry crews returned to work on Friday after a three-day strike over pay.</p>
<p>The union said members had accepted a four percent raise spread over two years.</p>
<p>Operators expect timetables to return to normal by Sunday evening.</p>
<p>Thousands of travellers were stranded in both ports during the strike.</p>
</article></body></html>"""


def _from_copy(client, user, **data):
    client.force_login(user)
    return client.post(reverse("admin:stories_story_from_copy"), data)


def test_pasted_copy_becomes_a_draft_with_grounded_bullets(client, personas):
    response = _from_copy(client, personas["walt"], copy=COPY)
    story = Story.objects.get()
    assert response.status_code == 302
    assert story.headline == "Harbour council approves new piers after long debate"
    assert story.status == Story.DRAFT and story.summary
    bullets = list(story.bullets.all())
    assert len(bullets) >= 3
    sentences = story_sentences(story)
    for bullet in bullets:
        assert bullet.source_sentences, bullet.text
        # Indices point at the sentence the bullet was written from.
        assert bullet.text.rstrip(".") in sentences[bullet.source_sentences[0]]


def test_uploaded_html_page_is_detected_and_parsed(client, personas):
    upload = SimpleUploadedFile("ferry.html", PAGE.encode(), content_type="text/html")
    response = _from_copy(client, personas["erin"], upload=upload)
    assert response.status_code == 302
    story = Story.objects.get()
    assert "Ferry strike ends" in story.headline
    assert story.bullets.exists()


def test_change_form_shows_each_bullet_beside_its_source_sentence(client, personas):
    _from_copy(client, personas["walt"], copy=COPY)
    story = Story.objects.get()
    page = client.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()
    sentences = story_sentences(story)
    for bullet in story.bullets.all():
        assert sentences[bullet.source_sentences[0]] in page
    assert 'name="bullets-0-locked"' in page and 'name="bullets-0-order"' in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"copy": "   "}, "Paste the story"),
        ({"copy": "Headline only"}, "no story text"),
    ],
)
def test_empty_copy_is_refused_and_nothing_stored(client, personas, data, message):
    response = _from_copy(client, personas["walt"], **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Story.objects.exists()


def test_oversized_upload_is_refused_with_the_one_upload_message(client, personas, settings):
    settings.NEWSDESK_MAX_UPLOAD_BYTES = 50_000
    upload = SimpleUploadedFile("huge.txt", b"a " * 25_001, content_type="text/plain")
    response = _from_copy(client, personas["walt"], upload=upload)
    assert response.status_code == 400
    assert (
        "huge.txt is 50,002 bytes, over the upload limit of 50,000 bytes "
        "(NEWSDESK_MAX_UPLOAD_BYTES)" in response.content.decode()
    )
    assert not Story.objects.exists()


def test_the_same_copy_twice_is_refused(client, personas):
    _from_copy(client, personas["walt"], copy=COPY)
    response = _from_copy(client, personas["walt"], copy=COPY)
    assert response.status_code == 400
    assert "already on the desk" in response.content.decode()
    assert Story.objects.count() == 1


FERRY = """Ferry operator cuts winter sailings to the islands

HELSINKI (AP) — The state ferry operator said on Tuesday it would cut winter sailings to the outer islands by a third. Islanders, who depend on the boats for food and medicine, said the plan would leave them cut off for days.

Chief executive Mari Laine, a former navy officer, told reporters the company had lost money on the routes for five years. The operator, which also runs the airport buses, will keep one daily boat to each island.

The island council called an emergency meeting for Friday. Its chairman warned that families with children would move to the mainland. The transport ministry said it would review the plan before the timetable changes in December. A union representing crews, which has 900 members, said jobs were at risk.
"""


def test_the_desk_marks_bullets_the_machine_compressed_and_shows_what_was_cut(client, personas):
    _from_copy(client, personas["walt"], copy=FERRY)
    story = Story.objects.get()
    laine = story.bullets.get(text__startswith="Chief executive Mari Laine")
    assert laine.compressed and laine.original == (
        "Chief executive Mari Laine, a former navy officer, told reporters the company had "
        "lost money on the routes for five years."
    )
    council = story.bullets.get(text__startswith="The island council")
    assert not council.compressed  # a sentence taken whole is not marked
    page = client.get(reverse("admin:stories_story_change", args=[story.pk])).content.decode()
    assert page.count('class="bullet-compressed"') == story.bullets.exclude(original="").count()
    # The cut words are struck; the kept ones are not.
    assert "<del>a former navy officer,</del>" in page
    assert "<del>who depend on the boats for food and medicine,</del>" in page
    # Regenerating writes the flag again; a bullet the editor adds is not marked.
    QuickLookBullet.objects.create(story=story, order=99, text="A bullet the writer added.")
    regenerate_bullets(story, personas["walt"])
    assert story.bullets.get(text__startswith="Chief executive").original == laine.original
    assert not QuickLookBullet.objects.filter(text="A bullet the writer added.").exists()


def test_regeneration_replaces_unlocked_bullets_and_keeps_locked_ones(client, personas):
    _from_copy(client, personas["walt"], copy=COPY)
    story = Story.objects.get()
    first, second, *rest = story.bullets.all()
    first.text, first.locked = "Council backs three new piers.", True
    first.save()
    second.text = "An edit that is not locked."
    second.save()
    QuickLookBullet.objects.create(story=story, order=99, text="A bullet the writer added.")
    regenerate_bullets(story, personas["walt"])
    texts = list(story.bullets.values_list("text", flat=True))
    assert texts[0] == "Council backs three new piers."
    assert "An edit that is not locked." not in texts and "A bullet the writer added." not in texts
    fresh = {b.text for b in summarize_story(story).bullets}
    assert set(texts[1:]) <= fresh
    # The locked bullet's source sentence is not written twice.
    assert all(
        first.source_sentences[0] not in b.source_sentences
        for b in story.bullets.filter(locked=False)
    )


def summarize_story(story):
    from newsdesk.site.desk.copy import story_article

    return summarize(story_article(story))


def test_regenerate_button_per_persona(client, personas, make_story):
    story = make_story(publish=False)
    story.created_by = personas["erin"]
    story.save()
    url = reverse("admin:stories_story_regenerate", args=[story.pk])
    client.force_login(personas["walt"])
    assert client.post(url).status_code == 404  # not walt's story
    client.force_login(personas["erin"])
    assert client.post(url).status_code == 302
    assert list(story.bullets.values_list("source_sentences", flat=True)) == [[0]]


def test_walt_edits_reorders_drops_and_adds_bullets_in_the_form(client, personas):
    _from_copy(client, personas["walt"], copy=COPY)
    story = Story.objects.get()
    url = reverse("admin:stories_story_change", args=[story.pk])
    bullets = list(story.bullets.all())
    page = client.get(url)
    data = _form_data(page)
    data["bullets-0-text"] = "Edited first bullet."
    data["bullets-0-order"] = "2"  # after the second (order 1), before the fourth (order 3)
    data["bullets-2-DELETE"] = "on"
    n = int(data["bullets-TOTAL_FORMS"])
    data[f"bullets-{n - 1}-text"] = "A brand new bullet."
    data[f"bullets-{n - 1}-order"] = "9"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    texts = list(story.bullets.values_list("text", flat=True))
    assert texts[0] == bullets[1].text and texts[1] == "Edited first bullet."
    assert bullets[2].text not in texts and texts[-1] == "A brand new bullet."


def _form_data(response) -> dict:
    """The change form's current values, as the browser would post them."""
    import html.parser

    data: dict = {}

    class Fields(html.parser.HTMLParser):
        textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") == "checkbox":
                    if "checked" in a:
                        data[name] = "on"
                else:
                    data[name] = a.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                data[name] = ""
            elif tag == "select" and name:
                self.select = name
                if "multiple" not in a:  # a browser sends nothing for an empty multiple
                    data.setdefault(name, "")
            elif tag == "option" and "selected" in a and getattr(self, "select", None):
                data[self.select] = a.get("value", "")

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None
            if tag == "select":
                self.select = None

        def handle_data(self, text):
            if self.textarea:
                data[self.textarea] += text

    Fields().feed(response.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    for key in [k for k in data if k.startswith(("_", "action", "index"))]:
        data.pop(key)
    return data
