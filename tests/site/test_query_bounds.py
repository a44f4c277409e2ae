"""Every reader page makes a constant number of queries, however much is stored."""

import pytest


def queries_for(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["story", "home", "section", "edition"])
def test_queries_do_not_grow_with_stories_sections_or_bullets(
    client, make_story, page, django_assert_max_num_queries
):
    def url_of(story):
        return {
            "story": story.get_absolute_url(),
            "home": "/",
            "section": story.sections.first().get_absolute_url(),
            "edition": story.edition.get_absolute_url(),
        }[page]

    # the story page: one more prefetch than the others, for the byline's authors
    limit = 13 if page == "story" else 12
    small = make_story(sections=("World",))
    few = queries_for(client, url_of(small), django_assert_max_num_queries, limit)
    for n in range(30):
        make_story(sections=(f"Section {n % 12}", "World"))
    big = make_story(sections=("World", "Business", "Science"))
    many = queries_for(client, url_of(big), django_assert_max_num_queries, limit)
    assert many <= few
