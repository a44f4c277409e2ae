"""The story page carries the seed page's whole anatomy, in order, and links its neighbours."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Records the position of every element id and of each text run in the page."""

    def __init__(self):
        super().__init__()
        self.ids: dict[str, int] = {}
        self.texts: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.setdefault(attrs["id"], len(self.texts))
        self.texts.append("")

    def handle_data(self, data):
        # Text a reader sees: not the data inside <script> (the page's JSON-LD).
        if data.strip() and not (self.tags and self.tags[-1][0] == "script"):
            self.texts.append(data.strip())

    def position(self, text):
        return next(i for i, t in enumerate(self.texts) if text in t)


def outline(response):
    assert response.status_code == 200
    page = Outline()
    page.feed(response.content.decode())
    return page


def test_story_page_shows_every_anatomy_part_in_order(client, make_story):
    story = make_story("Harbour plan approved", sections=("US", "Business"))
    page = outline(client.get(story.get_absolute_url()))
    order = [
        page.ids["section-labels"],
        page.ids["headline"],
        page.position("Newslooks/"),
        page.position("Summary of story"),
        page.position("Harbour at dawn"),
        page.position("AP Photo/ Jane Doe"),
        page.ids["quick-looks"],
        page.position("First point"),
        page.ids["deep-look"],
        page.position("TALLINN, ESTONIA"),
        page.position("What comes next"),
        page.position("We will rebuild the harbour."),
        page.position("Dredging"),
        page.position("More on US News"),
        page.ids["prev-next"],
        page.position("How useful was this article?"),
        page.position("Average rating 0 / 5. Vote count: 0"),
        page.position("No votes so far! Be the first to rate this article."),
        page.position("Latest News"),
    ]
    assert order == sorted(order)
    assert page.position("Menu") < page.ids["section-labels"]
    slug_line = " ".join(
        t for t in page.texts[page.ids["slug-line"] : page.position("Summary of story") + 1] if t
    )
    assert "Harbour plan approved/ Newslooks/ WASHINGTON/ J. Mansour/ Morning Edition/" in slug_line
    assert page.position("Story 1: Quick Looks") == page.ids["quick-looks"] + 2


def test_headings_are_in_order_and_one_h1(client, make_story):
    story = make_story()
    page = outline(client.get(story.get_absolute_url()))
    levels = [int(tag[1]) for tag, _ in page.tags if tag in {"h1", "h2", "h3"}]
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    landmarks = {tag for tag, _ in page.tags}
    assert {"header", "main", "nav", "footer", "aside"} <= landmarks


def test_previous_and_next_follow_publish_time_with_ends_left_open(client, make_story):
    first, middle, last = make_story("First"), make_story("Middle"), make_story("Last")
    body = client.get(middle.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in body
    assert f'rel="next" href="{last.get_absolute_url()}"' in body
    first_body = client.get(first.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in first_body and 'rel="next"' in first_body
    last_body = client.get(last.get_absolute_url()).content.decode()
    assert 'rel="next"' not in last_body and 'rel="prev"' in last_body


def test_more_on_lists_other_stories_of_the_first_section_only(client, make_story):
    story = make_story("Main", sections=("Science",))
    sibling = make_story("Sibling", sections=("Science",))
    other = make_story("Elsewhere", sections=("Sport",))
    body = client.get(story.get_absolute_url()).content.decode()
    more_on = body[body.index("More on Science News") : body.index('id="prev-next"')]
    assert sibling.headline in more_on and other.headline not in more_on and "Main" not in more_on


def test_drafts_and_unknown_stories_are_friendly_404s(client, make_story):
    draft = make_story("Secret draft", publish=False)
    for url in (draft.get_absolute_url(), "/story/no-such-story/"):
        response = client.get(url)
        assert response.status_code == 404
        assert b"couldn" in response.content and b'href="/"' in response.content


def test_story_page_queries_do_not_grow_with_content(
    client, make_story, django_assert_max_num_queries
):
    for _ in range(12):
        make_story(sections=("World", "US", "Business"))
    story = make_story(sections=("World", "US"), tags=("Harbours", "Ports"))
    # 10, one prefetch for the story's tags, one for its cluster's coverage (clusters app)
    with django_assert_max_num_queries(12):
        client.get(story.get_absolute_url())
