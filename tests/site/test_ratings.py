"""Reader ratings: one vote per reader per story, exact tallies, and every bad input refused."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.core.signing import get_cookie_signer
from django.utils import timezone

from newsdesk.site import pagecache
from newsdesk.site.ratings import readers, services
from newsdesk.site.ratings.models import RatingSummary, Vote

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    """Each test counts votes per address afresh, in this process's memory (even where
    REDIS_URL points the site's ratings cache at Redis)."""
    import secrets

    settings.CACHES = {
        **settings.CACHES,
        "ratings": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratings-test-{secrets.token_hex(6)}",
        },
    }


def form_of(client, story) -> str:
    """The signed form token the story page carries (what a reader without JavaScript sends)."""
    html = client.get(story.get_absolute_url()).content.decode()
    return re.search(r'name="form" value="([^"]+)"', html).group(1)


def vote(client, story, stars, *, form=None, json=False, **extra):
    data = {"stars": stars, "form": form if form is not None else form_of(client, story)}
    data.update(extra.pop("data", {}))
    headers = {"HTTP_ORIGIN": SITE, **extra}
    if json:
        headers["HTTP_ACCEPT"] = "application/json"
    return client.post(f"/story/{story.slug}/rate/", data, **headers)


def page_text(client, story) -> str:
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(story.get_absolute_url()).content.decode())
    )


def summary(story):
    s = RatingSummary.objects.filter(story=story).first()
    return (s.count, s.total, s.distribution) if s else (0, 0, (0, 0, 0, 0, 0))


# --- readers -------------------------------------------------------------------------------------
def test_a_story_without_votes_invites_the_first(client, make_story):
    text = page_text(client, make_story())
    assert "How useful was this article?" in text
    assert "Average rating 0 / 5. Vote count: 0" in text
    assert "No votes so far! Be the first to rate this article." in text


def test_the_form_is_a_labelled_radio_group_posting_to_the_vote_url(client, make_story):
    story = make_story()
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'action="/story/{story.slug}/rate/"' in html and 'method="post"' in html
    assert html.count('type="radio" name="stars"') == 5
    assert "<legend>Click on a star to rate it!</legend>" in html
    assert 'for="rating-feedback-text">How could we improve this article?' in html


def test_a_vote_without_javascript_redirects_back_and_thanks_the_reader(client, make_story):
    story = make_story()
    response = vote(client, story, 4)
    assert response.status_code == 303
    assert response["Location"] == f"{story.get_absolute_url()}?rated=4#rating"
    assert readers.READER_COOKIE in response.cookies
    assert "Average rating 4.0 / 5. Vote count: 1" in page_text(client, story)
    assert (
        'id="rating-empty" hidden>No votes so far!'
        in client.get(story.get_absolute_url()).content.decode()
    )
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'id="rating-thanks">Thank you for rating this article!', html)


def test_a_vote_with_javascript_answers_the_new_numbers(client, make_story):
    from django.test import Client

    story = make_story()
    vote(client, story, 5, json=True)
    response = vote(Client(), story, 2, json=True)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["average"] == 3.5 and data["average_display"] == "3.5"
    assert data["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert data["your_vote"] == 2 and data["ask_feedback"] is True and data["form"]
    assert client.get(f"/story/{story.slug}/rating.json").json()["your_vote"] == 5


def test_second_vote_from_same_reader_replaces_the_first(client, make_story):
    story = make_story()
    vote(client, story, 1)
    vote(client, story, 5)
    assert Vote.objects.get(story=story).stars == 5
    assert summary(story) == (1, 5, (0, 0, 0, 0, 1))


def test_readers_with_different_cookies_each_count(client, make_story, django_user_model):
    story = make_story()
    from django.test import Client

    for stars in (1, 3, 5):
        assert vote(Client(), story, stars).status_code == 303
    assert summary(story) == (3, 9, (1, 0, 1, 0, 1)) and services.tally(
        story.pk
    ) == services.Rating(3, 9, (1, 0, 1, 0, 1))


def test_a_signed_in_reader_votes_as_themself(client, make_story, django_user_model):
    rita = django_user_model.objects.create_user("rita", password="pw")
    client.force_login(rita)
    story = make_story()
    vote(client, story, 3)
    client.cookies.pop(readers.READER_COOKIE, None)
    vote(client, story, 4)
    assert list(Vote.objects.values_list("voter", "stars")) == [(f"u:{rita.pk}", 4)]


def test_rating_json_gives_a_cookie_and_live_numbers_never_cached(client, make_story):
    story = make_story()
    response = client.get(f"/story/{story.slug}/rating.json")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert readers.READER_COOKIE in response.cookies
    assert response.json()["count"] == 0 and response.json()["your_vote"] is None
    vote(client, story, 4, form=response.json()["form"], json=True)
    assert client.get(f"/story/{story.slug}/rating.json").json()["your_vote"] == 4


def test_low_rating_keeps_sanitised_feedback_and_high_rating_drops_it(client, make_story):
    story = make_story()
    feedback = "<b>Too</b> short,\x00 no <script>alert(1)</script>sources &amp; no   context"
    vote(client, story, 2, data={"feedback": feedback})
    assert Vote.objects.get(story=story).feedback == "Too short, no sources & no context"
    vote(client, story, 4, data={"feedback": "Great"})
    assert Vote.objects.get(story=story).feedback == ""


def test_a_vote_makes_the_cached_story_page_stale(
    client, make_story, django_capture_on_commit_callbacks
):
    story = make_story()
    key = (pagecache.story_key(story.slug),)
    before = pagecache.versions().get(key)
    with django_capture_on_commit_callbacks(execute=True):
        vote(client, story, 3)
    assert pagecache.versions().get(key)[0] == before[0] + 1


def test_deleting_votes_recounts_the_summary(client, make_story):
    story = make_story()
    from django.test import Client

    for stars in (2, 4):
        vote(Client(), story, stars)
    Vote.objects.filter(stars=2).delete()
    assert summary(story) == (1, 4, (0, 0, 0, 1, 0))


# --- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("stars", ["0", "6", "-1", "3.5", "abc", "", "１"])
def test_stars_out_of_range_or_not_an_integer_are_refused(client, make_story, stars):
    story = make_story()
    response = vote(client, story, stars, json=True)
    assert response.status_code == 400
    assert "1 to 5" in response.json()["error"]
    assert not Vote.objects.exists() and summary(story)[0] == 0


def test_a_missing_or_unpublished_story_is_not_found(client, make_story):
    draft = make_story(publish=False)
    scheduled = make_story(when=timezone.now() + timedelta(days=1))
    token = readers.form_token(draft.pk)
    for slug in (draft.slug, scheduled.slug, "no-such-story"):
        response = client.post(
            f"/story/{slug}/rate/", {"stars": 3, "form": token}, HTTP_ORIGIN=SITE
        )
        assert response.status_code == 404
        assert client.get(f"/story/{slug}/rating.json").status_code == 404
    assert not Vote.objects.exists()


def test_a_forged_or_tampered_reader_cookie_is_refused(client, make_story):
    story = make_story()
    vote(client, story, 4)
    signed = client.cookies[readers.READER_COOKIE].value
    for bad in (signed[:-3] + "abc", "r:" + "A" * 24, signed.replace("r:", "u:", 1)):
        client.cookies[readers.READER_COOKIE] = bad
        response = vote(client, story, 1, json=True)
        assert response.status_code == 400 and "cookie" in response.json()["error"]
    # a cookie signed with our key but not holding a reader key is refused too
    client.cookies[readers.READER_COOKIE] = get_cookie_signer(
        salt=readers.READER_COOKIE + readers.READER_SALT
    ).sign("u:1")
    assert vote(client, story, 1, json=True).status_code == 400
    assert list(Vote.objects.values_list("stars", flat=True)) == [4]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": SITE},
        {"HTTP_ORIGIN": None, "HTTP_REFERER": "https://evil.example/page"},
        {"HTTP_ORIGIN": None},
    ],
)
def test_a_cross_site_post_is_refused(client, make_story, headers):
    story = make_story()
    form = form_of(client, story)
    data = {"stars": 5, "form": form}
    sent = {k: v for k, v in headers.items() if v is not None}
    response = client.post(f"/story/{story.slug}/rate/", data, **sent)
    assert response.status_code == 403
    assert "refused" in response.content.decode()
    assert not Vote.objects.exists()


def test_same_site_referer_without_origin_is_accepted(client, make_story):
    story = make_story()
    response = client.post(
        f"/story/{story.slug}/rate/",
        {"stars": 5, "form": form_of(client, story)},
        HTTP_REFERER=SITE + story.get_absolute_url(),
    )
    assert response.status_code == 303 and Vote.objects.count() == 1


def test_missing_forged_expired_or_other_storys_form_is_refused(client, make_story):
    story, other = make_story(), make_story()
    good = readers.form_token(story.pk)
    cases = {
        "": "missing",
        good[:-4] + "AAAA": "forged",
        readers.form_token(other.pk): "another story",
    }
    for form, word in cases.items():
        response = vote(client, story, 3, form=form, json=True)
        assert response.status_code == 400 and word in response.json()["error"]
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        response = vote(client, story, 3, form=good, json=True)
    assert response.status_code == 400 and "expired" in response.json()["error"]
    assert not Vote.objects.exists()


def test_a_replayed_form_is_refused_and_counted_once(client, make_story):
    story = make_story()
    form = form_of(client, story)
    assert vote(client, story, 2, form=form).status_code == 303
    response = vote(client, story, 5, form=form, json=True)
    assert response.status_code == 409 and "already sent" in response.json()["error"]
    assert summary(story) == (1, 2, (0, 1, 0, 0, 0))
    assert Vote.objects.get().stars == 2


def test_a_double_submit_without_a_cookie_counts_once(client, make_story):
    from django.test import Client

    story = make_story()
    form = form_of(client, story)
    first, second = Client(), Client()  # neither has the reader cookie yet: the second click
    assert vote(first, story, 4, form=form).status_code == 303  # leaves before the first answer
    assert vote(second, story, 4, form=form).status_code == 409
    assert summary(story) == (1, 4, (0, 0, 0, 1, 0))


def test_a_huge_feedback_text_is_refused(client, make_story, settings):
    story = make_story()
    settings.NEWSDESK_RATING_FEEDBACK_MAX = 100
    response = vote(client, story, 1, data={"feedback": "x" * 101}, json=True)
    assert response.status_code == 413 and "limit is 100" in response.json()["error"]
    response = vote(client, story, 1, data={"feedback": "x" * 3_000_000}, json=True)
    assert response.status_code == 413
    assert not Vote.objects.exists()


def test_too_many_votes_from_one_address_are_refused(make_story, settings):
    from django.test import Client

    settings.NEWSDESK_RATING_RATE_LIMIT = "3/m"
    story = make_story()
    codes = [vote(Client(), story, 5, json=True).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert summary(story)[0] == 3


def test_a_vote_must_be_a_post(client, make_story):
    story = make_story()
    assert client.get(f"/story/{story.slug}/rate/").status_code == 405
    assert client.post(f"/story/{story.slug}/rating.json").status_code == 405


def test_refusal_without_javascript_is_a_page_naming_the_problem(client, make_story):
    story = make_story()
    response = vote(client, story, 9)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your vote was not counted" in html and "whole number from 1 to 5" in html
    assert story.get_absolute_url() in html


def test_the_story_page_stays_shareable_by_the_page_cache(client, make_story):
    response = client.get(make_story().get_absolute_url())
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


# --- editors -----------------------------------------------------------------------------------
@pytest.fixture
def chief(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


def votes_on(story, *stars_list, feedback=""):
    for i, stars in enumerate(stars_list):
        services.cast(
            story, f"r:reader{story.pk}x{i}", stars, feedback=feedback if stars <= 2 else ""
        )


def test_story_admin_shows_average_count_and_distribution(chief, make_story):
    story = make_story()
    votes_on(story, 5, 5, 4, 1)
    html = chief.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert "Reader rating" in html and "Average 3.8 / 5 from 4 votes" in html
    assert '<meter min="0" max="4" value="2"' in html  # 5★: 2 of 4
    assert f"/admin/ratings/vote/?story__id__exact={story.pk}" in html


def test_rating_admin_lists_the_feedback_texts(chief, make_story):
    story = make_story()
    votes_on(story, 1, 2, feedback="Needs <sources>")
    html = chief.get(f"/admin/ratings/ratingsummary/{story.pk}/change/").content.decode()
    assert html.count("Needs &lt;sources&gt;") == 2
    listing = chief.get(f"/admin/ratings/vote/?story__id__exact={story.pk}").content.decode()
    assert "Needs &lt;sources&gt;" in listing


def test_most_and_least_useful_stories_over_a_period(chief, make_story):
    good, bad, old = make_story("Useful one"), make_story("Useless one"), make_story("Old one")
    votes_on(good, 5, 5, 4)
    votes_on(bad, 1, 2, 1)
    votes_on(old, 5, 5, 5)
    Vote.objects.filter(story=old).update(updated=timezone.now() - timedelta(days=40))
    html = chief.get("/admin/ratings/ratingsummary/useful/?days=30&min_votes=3").content.decode()
    most = html[html.index('id="most-useful"') : html.index("Least useful")]
    least = html[html.index('id="least-useful"') :]
    assert most.index("Useful one") < most.index("Useless one") and "Old one" not in most
    assert least.index("Useless one") < least.index("Useful one")
    html = chief.get("/admin/ratings/ratingsummary/useful/?days=90").content.decode()
    assert "Old one" in html
    assert chief.get("/admin/ratings/ratingsummary/useful/?days=x&min_votes=y").status_code == 200


def test_rating_admin_needs_staff(client):
    response = client.get("/admin/ratings/ratingsummary/useful/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_rate_limit_is_shared_through_redis_when_configured(make_story, settings):
    """Several app processes share one count when the ratings cache is Redis."""
    import secrets as s

    from django.test import Client

    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "ratings": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"newsdesk-test-{s.token_hex(6)}",
        },
    }
    settings.NEWSDESK_RATING_RATE_LIMIT = "2/m"
    story = make_story()
    # No clear() here: on Redis it would empty the whole database; the counters expire.
    codes = [vote(Client(), story, 4, json=True).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert caches["ratings"].__class__.__name__ == "RedisCache"


def test_editors_may_manage_votes_and_ratings_writers_may_not(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="Editor")
    perms = set(
        editor.permissions.filter(content_type__app_label="ratings").values_list(
            "codename", flat=True
        )
    )
    assert {"view_vote", "change_vote", "delete_vote", "view_ratingsummary"} <= perms
    writer = Group.objects.get(name="Writer")
    assert not writer.permissions.filter(content_type__app_label="ratings").exists()
    erin = django_user_model.objects.create_user("erin-ratings", password="pw", is_staff=True)
    erin.groups.add(editor)
    client.force_login(erin)
    assert client.get("/admin/ratings/vote/").status_code == 200
    assert client.get("/admin/ratings/ratingsummary/useful/").status_code == 200
