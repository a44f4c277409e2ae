"""A short road for readers' votes: POST /story/<slug>/rate/ without Django's full stack.

A vote is the site's one hot write. Through the whole stack it spent about a third of its
time in middleware that has nothing to do for it (sessions, messages, login lockouts, static
files, URL resolving), so this WSGI layer hands an anonymous reader's vote straight to the
same view, ``views.vote``, behind only the middleware that shapes its answer (security
headers, clickjacking, Content-Security-Policy and any added later that is not listed in
SKIPPED). The view does every check itself (same site, signed form token and replay, signed
reader cookie, rate limit, feedback sanitising), so both roads give the same answers; a
request carrying a ``sessionid`` cookie (a signed-in user, who votes as themself) and anything
that is not such a POST goes the long way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signals
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest
from django.urls import set_urlconf
from django.utils.log import log_response
from django.utils.module_loading import import_string

VOTE_PATH = re.compile(r"/story/(?P<slug>[-a-zA-Z0-9_]+)/rate/")
# Middleware with nothing to do for an anonymous vote: the view is csrf_exempt and checks the
# origin and its signed form itself; no session is read, no message shown, no file served.
SKIPPED = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
}


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


class FastVotes:
    """WSGI middleware: anonymous votes go to the vote view directly, the rest to ``app``."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self._chain = None

    def chain(self):
        if self._chain is None:
            from newsdesk.site.ratings.views import vote

            def view(request):
                return vote(request, request.vote_slug)

            handler = convert_exception_to_response(view)
            for path in reversed(settings.MIDDLEWARE):
                if path not in SKIPPED:
                    handler = convert_exception_to_response(import_string(path)(handler))
            self._chain = handler
        return self._chain

    @staticmethod
    def wants(environ: dict) -> re.Match | None:
        if environ.get("REQUEST_METHOD") != "POST":
            return None
        if settings.SESSION_COOKIE_NAME + "=" in environ.get("HTTP_COOKIE", ""):
            return None  # a signed-in user: Django's sessions and auth decide who votes
        return VOTE_PATH.fullmatch(environ.get("PATH_INFO", ""))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = self.wants(environ)
        if match is None:
            return self.app(environ, start_response)
        set_urlconf(settings.ROOT_URLCONF)
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        request.vote_slug = match["slug"]
        request.user = _anonymous()
        response = self.chain()(request)  # exceptions become answers, as in Django's handler
        if response.status_code >= 400:  # logged as Django's handler logs it
            log_response(
                "%s: %s", response.reason_phrase, request.path, response=response, request=request
            )
        body = response.content
        response.close()  # sends request_finished: old or broken connections are closed
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(status, headers)
        return [body]
