"""The search rate limit: NEWSDESK_SEARCH_RATE_LIMIT searches per address, on the search page
and /api/search together, then 429."""

import secrets
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from newsdesk.site.search.limit import period_seconds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    """Each test counts searches afresh, in this process's memory (even with REDIS_URL set)."""
    settings.CACHES = {
        **settings.CACHES,
        "ratings": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"search-limit-test-{secrets.token_hex(6)}",
        },
    }


def search(client, q="harbour", address="203.0.113.7"):
    return client.get("/search/", {"q": q}, REMOTE_ADDR=address)


def test_searches_over_the_limit_get_a_clear_429_page(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = "3/m"
    make_story("Harbour council votes")
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        for q in ("harbour", "council", "votes"):
            response = search(client, q)
            assert response.status_code == 200 and ">1 result<" in response.text
        refused = search(client, "harbour")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "no-store" in refused["Cache-Control"]
    assert "Too many searches" in refused.text
    assert "more than 3/m searches" in refused.text and "wait 60 seconds" in refused.text
    assert 'class="result-count"' not in refused.text  # no search was run


def test_the_limit_is_per_address_and_the_empty_form_is_free(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = "2/m"
    make_story("Harbour council votes")
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        assert [search(client).status_code for _ in range(3)] == [200, 200, 429]
        assert search(client, address="198.51.100.9").status_code == 200
        for _ in range(5):  # the bare search form runs no query and is never refused
            assert client.get("/search/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_the_limit_resets_after_its_window(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = "1/m"
    make_story("Harbour council votes")
    start = timezone.now().replace(second=1)
    with time_machine.travel(start, tick=False):
        assert [search(client).status_code for _ in range(2)] == [200, 429]
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert search(client).status_code == 200


def test_an_empty_setting_turns_the_limit_off(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = ""
    make_story("Harbour council votes")
    assert {search(client).status_code for _ in range(20)} == {200}


def api_search(client, q="harbour", address="203.0.113.7"):
    return client.get("/api/search", {"q": q}, REMOTE_ADDR=address)


def test_api_searches_over_the_limit_get_a_json_429(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = "2/m"
    make_story("Harbour council votes")
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        assert [api_search(client).json()["count"] for _ in range(2)] == [1, 1]
        refused = api_search(client)
        assert api_search(client, address="198.51.100.9").status_code == 200
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused["Retry-After"] == "60" and "no-store" in refused["Cache-Control"]
    assert refused.json() == {
        "detail": "Too many searches from your address (limit 2/m); try again in 60 seconds."
    }


def test_the_page_and_the_api_share_one_budget(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = "3/m"
    make_story("Harbour council votes")
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        assert search(client).status_code == 200
        assert api_search(client).status_code == 200
        assert search(client).status_code == 200
        assert api_search(client).status_code == 429
        assert search(client).status_code == 429


def test_a_malformed_api_search_is_refused_before_it_counts(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = "1/m"
    make_story("Harbour council votes")
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        for _ in range(3):  # no q: 422, and no search was run or counted
            assert client.get("/api/search", REMOTE_ADDR="203.0.113.7").status_code == 422
        assert api_search(client).status_code == 200


def test_requests_without_an_address_share_one_budget(rf, make_story, settings):
    from newsdesk.site.search.limit import wait_seconds

    settings.NEWSDESK_SEARCH_RATE_LIMIT = "2/m"
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        waits = []
        for _ in range(3):
            request = rf.get("/api/search", {"q": "harbour"})
            del request.META["REMOTE_ADDR"]
            waits.append(wait_seconds(request))
        assert waits == [None, None, 60]
        assert wait_seconds(rf.get("/api/search", REMOTE_ADDR="198.51.100.9")) is None


@pytest.mark.parametrize(
    "rate, seconds",
    [("30/m", 60), ("5/s", 1), ("100/5m", 300), ("2/h", 3600), ("1/d", 86400), ("bad", 60)],
)
def test_retry_after_follows_the_rate_window(rate, seconds):
    assert period_seconds(rate) == seconds
