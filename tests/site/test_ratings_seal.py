"""readers.Seal writes and reads exactly what Django's signing does, with its keys cached."""

import time

import pytest
import time_machine
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from newsdesk.site.ratings import readers
from newsdesk.site.ratings.readers import READER_COOKIE, READER_SALT, Refused


def test_form_tokens_are_byte_for_byte_djangos():
    obj = {"s": 42, "n": "AbC-d_e"}
    with time_machine.travel(1_780_000_000, tick=False):
        ours = readers.seal(readers.FORM_SALT).dumps(obj)
        assert ours == signing.dumps(obj, salt=readers.FORM_SALT)
        assert readers.seal(readers.FORM_SALT).dumps_json('{"s":42,"n":"AbC-d_e"}') == ours
    assert signing.loads(ours, salt=readers.FORM_SALT) == obj
    assert readers.seal(readers.FORM_SALT).loads(signing.dumps(obj, salt=readers.FORM_SALT)) == obj
    compressed = signing.dumps({"s": 1, "n": "x" * 200}, salt=readers.FORM_SALT, compress=True)
    assert readers.seal(readers.FORM_SALT).loads(compressed) == {"s": 1, "n": "x" * 200}


def test_form_token_holds_the_story_and_a_fresh_nonce():
    a, b = readers.form_token(7), readers.form_token(7)
    data = signing.loads(a, salt=readers.FORM_SALT)
    assert data["s"] == 7 and len(data["n"]) == 16 and a != b
    assert readers.check_form_token(a, 7) == data["n"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature
        lambda t: "f" + t[1:],  # payload
        lambda t: t.rsplit(":", 1)[0],  # no signature
        lambda t: "",
        lambda t: ":::",
    ],
)
def test_a_tampered_token_is_refused(tamper):
    token = readers.form_token(3)
    with pytest.raises(signing.BadSignature):
        readers.seal(readers.FORM_SALT).loads(tamper(token))


def test_a_token_under_another_salt_or_key_is_refused(settings):
    other_salt = signing.dumps({"s": 1, "n": "x"}, salt="something.else")
    with pytest.raises(signing.BadSignature):
        readers.seal(readers.FORM_SALT).loads(other_salt)
    token = readers.form_token(1)
    settings.SECRET_KEY = "a-new-key-" * 5
    with pytest.raises(Refused, match="forged"):
        readers.check_form_token(token, 1)
    settings.SECRET_KEY_FALLBACKS = ["newsdesk-insecure-development-key"]
    assert readers.check_form_token(token, 1)  # a rotated key still reads older forms


def test_an_old_token_expires(settings):
    with time_machine.travel(time.time() - settings.NEWSDESK_RATING_FORM_AGE - 60, tick=False):
        token = readers.form_token(5)
    with pytest.raises(Refused, match="expired"):
        readers.check_form_token(token, 5)
    with pytest.raises(signing.SignatureExpired):
        signing.loads(token, salt=readers.FORM_SALT, max_age=settings.NEWSDESK_RATING_FORM_AGE)


def test_reader_cookies_are_read_as_django_reads_them(settings):
    response = HttpResponse()
    readers.set_reader_cookie(response, "r:" + "k" * 24)
    django_signed = response.cookies[READER_COOKIE].value
    assert readers.reader_of(django_signed) == "r:" + "k" * 24
    # what Django signed before it prefixed the salt's length: still accepted, as Django does
    legacy = signing.get_cookie_signer(salt=READER_COOKIE + READER_SALT).sign("r:" + "m" * 24)
    assert readers.reader_of(legacy) == "r:" + "m" * 24
    request = RequestFactory().get("/", HTTP_COOKIE=f"{READER_COOKIE}={legacy}")
    assert request.get_signed_cookie(READER_COOKIE, salt=READER_SALT) == "r:" + "m" * 24
    for bad in (django_signed[:-2] + "xx", django_signed.replace("k", "j", 1), "r:abc", ""):
        with pytest.raises(Refused, match="forged"):
            readers.reader_of(bad)
        with pytest.raises(signing.BadSignature):
            RequestFactory().get("/", HTTP_COOKIE=f"{READER_COOKIE}={bad}").get_signed_cookie(
                READER_COOKIE, salt=READER_SALT
            )
    settings.SECRET_KEY = "another-key-" * 5
    with pytest.raises(Refused):
        readers.reader_of(django_signed)
