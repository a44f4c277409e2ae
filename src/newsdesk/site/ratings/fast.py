"""A short road for readers' votes: POST /story/<slug>/rate/ without Django's request cycle.

A vote is the site's one hot write, and through Django's whole stack it spent most of its
time outside the vote: building request and response objects, middleware with nothing to
do for it (sessions, messages, login lockouts, static files, URL resolving), signals. This
WSGI layer takes the common case — a reader with a reader cookie voting from ratings.js,
answered in JSON — and reads the vote from the environ for the same ``core.take`` that
``views.vote`` calls (same site, rate limit, stars and feedback, signed form token and
replay, the store), with the voter from the signed reader cookie, and gives the same
answer (``core.answer``), headers included. The headers the middleware gives such an answer
(security headers, clickjacking, Content-Security-Policy, any added later) are taken once
per scheme from the real middleware, run around a JSON answer.

Everything else goes the long way, to Django: a signed-in user (a ``sessionid`` cookie), a
first vote without a reader cookie (it gets one), a form posted without JavaScript, a
missing or unpublished story, a host not in ALLOWED_HOSTS, plain HTTP where HTTPS is
required, and anything not a small urlencoded POST. Nothing is stored before that choice
is made, so the long way sees the request as it came.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import JsonResponse, parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.module_loading import import_string

from newsdesk.site.ratings import core, readers
from newsdesk.site.ratings.readers import Refused

logger = logging.getLogger("django.request")
VOTE_PATH = re.compile(r"/story/(?P<slug>[-a-zA-Z0-9_]+)/rate/")
FORM_TYPE = "application/x-www-form-urlencoded"
# Middleware that has nothing to add to a vote's JSON answer (its headers are taken from the
# rest): the view is csrf_exempt and checks the origin and its signed form itself; no session
# is read, no message shown, no file served.
SKIPPED = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
}


class LongWay(Exception):
    """This vote is for Django's full stack to answer."""


class FastVotes:
    """WSGI middleware: readers' votes from ratings.js answered here, the rest by ``app``."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self._headers: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._hosts: dict[str, bool] = {}
        # One vote at a time per process on SQLite: a vote is Python work under the GIL and
        # short SQL statements that each let go of it, and SQLite writes one at a time
        # anyway, so votes in several threads only traded the GIL back and forth (8 threads
        # voted 20% slower than 2; bench/ratings.py). A server database answers over the
        # network, and there threads do wait in parallel.
        sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        self._one_at_a_time = threading.Lock() if sqlite else contextlib.nullcontext()

    @staticmethod
    def wants(environ: dict) -> re.Match | None:
        if environ.get("REQUEST_METHOD") != "POST":
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if settings.SESSION_COOKIE_NAME + "=" in cookies:
            return None  # a signed-in user: Django's sessions and auth decide who votes
        if readers.READER_COOKIE + "=" not in cookies:
            return None  # a new reader: the long way sets the cookie
        if "application/json" not in environ.get("HTTP_ACCEPT", ""):
            return None  # a form without JavaScript: answered with a page or a redirect
        return VOTE_PATH.fullmatch(environ.get("PATH_INFO", ""))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = self.wants(environ)
        if match is not None:
            try:
                with self._one_at_a_time:
                    status, headers, body = self.vote(environ, match["slug"])
            except LongWay:
                pass
            except Exception:  # noqa: BLE001 - as Django's handler: logged, and a 500
                logger.exception("Vote failed: %s", environ.get("PATH_INFO", ""))
                status, headers, body = self._answer(
                    environ,
                    environ.get("wsgi.url_scheme", "http"),
                    500,
                    {"error": "Your vote could not be stored; please try again."},
                )
                start_response(status, headers)
                return [body]
            else:
                start_response(status, headers)
                return [body]
        return self.app(environ, start_response)

    # --- the vote -------------------------------------------------------------------------
    def vote(self, environ: dict, slug: str) -> tuple[str, list, bytes]:
        """Answer the vote as views.vote would (both call ``core.take``); raises LongWay for
        what Django must answer."""
        scheme, host = self._scheme(environ), self._host(environ)
        form = self._form(environ)
        try:
            story = core.published(slug)
            if story is None:
                raise LongWay  # Django's 404 page
            cookie = self._reader_cookie(environ)
            try:
                taken = core.take(
                    story,
                    core.Request(
                        fetch_site=environ.get("HTTP_SEC_FETCH_SITE"),
                        origin=environ.get("HTTP_ORIGIN"),
                        referer=environ.get("HTTP_REFERER"),
                        ours=lambda: f"{scheme}://{host}",
                        meta=environ,
                        form=lambda: form,
                        voter=lambda nonce: (readers.reader_of(cookie), None),
                    ),
                )
            except Refused as exc:
                return self._answer(environ, scheme, exc.status, {"error": str(exc)})
        finally:
            # What Django does at the end of every request: drop a connection that broke or
            # outlived CONN_MAX_AGE (the next vote opens a fresh one).
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
        return self._answer(environ, scheme, 200, core.answer(story, taken))

    def _answer(self, environ, scheme, status: int, data: dict) -> tuple[str, list, bytes]:
        body = json.dumps(data).encode()
        headers = [*self._fixed_headers(environ, scheme, status)]
        headers.append(("Content-Length", str(len(body))))
        phrase = HTTPStatus(status).phrase
        if status >= 400:  # logged as Django's handler logs a refusal
            logger.warning(
                "%s: %s", phrase, environ.get("PATH_INFO", ""), extra={"status_code": status}
            )
        return f"{status} {phrase}", headers, body

    # --- the request ----------------------------------------------------------------------
    @staticmethod
    def _scheme(environ: dict) -> str:
        """request.scheme, trusting SECURE_PROXY_SSL_HEADER as Django does."""
        scheme = environ.get("wsgi.url_scheme", "http")
        if settings.SECURE_PROXY_SSL_HEADER:
            header, secure = settings.SECURE_PROXY_SSL_HEADER
            value = environ.get(header)
            if value is not None:
                scheme = "https" if value.split(",", 1)[0].strip() == secure else "http"
        if settings.SECURE_SSL_REDIRECT and scheme != "https":
            raise LongWay  # SecurityMiddleware redirects it
        return scheme

    def _host(self, environ: dict) -> str:
        """request.get_host() for a plain Host header; the long way for anything else."""
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
            raise LongWay
        host = environ.get("HTTP_HOST")
        if host is None:  # as Django: the server's name, and its port when not the default
            host, port = environ.get("SERVER_NAME", ""), str(environ.get("SERVER_PORT", ""))
            if port != ("443" if environ.get("wsgi.url_scheme") == "https" else "80"):
                host = f"{host}:{port}"
        allowed = self._hosts.get(host)
        if allowed is None:
            domain, _ = split_domain_port(host)
            hosts = settings.ALLOWED_HOSTS
            if settings.DEBUG and not hosts:
                hosts = [".localhost", "127.0.0.1", "[::1]"]
            allowed = bool(domain) and validate_host(domain, hosts)
            if len(self._hosts) < 1000:  # forged Host headers can't grow it without end
                self._hosts[host] = allowed
        if not allowed:
            raise LongWay  # Django answers 400 Bad Request (DisallowedHost)
        return host

    @staticmethod
    def _form(environ: dict) -> dict[str, str]:
        """The urlencoded body as request.POST gives it (the last of repeated fields)."""
        if environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower() != FORM_TYPE:
            raise LongWay
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError as exc:
            raise LongWay from exc
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length < 0 or (limit is not None and length > limit):
            raise LongWay  # Django answers 413 as views.vote shapes it
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # the long way reads it again
        try:
            return dict(
                parse_qsl(
                    body.decode("utf-8", "replace"),
                    keep_blank_values=True,
                    max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                )
            )
        except ValueError as exc:
            raise LongWay from exc

    @staticmethod
    def _reader_cookie(environ: dict) -> str | None:
        return parse_cookie(environ.get("HTTP_COOKIE", "")).get(readers.READER_COOKIE)

    # --- the headers ----------------------------------------------------------------------
    def _fixed_headers(self, environ: dict, scheme: str, status: int) -> list[tuple[str, str]]:
        """The headers of a JSON answer to a vote, through the site's middleware; per scheme
        and kind of answer (the middleware may treat errors differently)."""
        key = (scheme, "ok" if status < 400 else "error")
        headers = self._headers.get(key)
        if headers is None:

            def view(request):
                response = JsonResponse({}, status=status)
                response["Cache-Control"] = "no-store"
                return response

            handler = convert_exception_to_response(view)
            for path in reversed(settings.MIDDLEWARE):
                if path not in SKIPPED:
                    handler = convert_exception_to_response(import_string(path)(handler))
            request = WSGIRequest({**environ, "wsgi.input": io.BytesIO(b"")})
            response = handler(request)
            headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
            self._headers[key] = headers
        return headers
