"""Login rate limiting: django-axes, tolerant of callers that authenticate without a request.

Axes refuses ``authenticate()`` calls that carry no request (Django's test client
``login()``, scripts, token checks). Those are not web logins an attacker can repeat
from outside, so they pass through here unlimited; every web login (the admin's, the
desk's) carries its request and is counted.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LoginRateLimitBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
