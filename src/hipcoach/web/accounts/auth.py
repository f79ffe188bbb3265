"""django-ninja authentication for endpoints that need a signed-in runner.

``runner_auth`` accepts an API token (``Authorization: Bearer <token>``) or the browser session (with
its CSRF token on writes, as ninja's ``django_auth`` checks). Use it as ``@router.get(..., auth=runner_auth)``;
a request with neither gets 401. Endpoints open to anonymous runners (the screens API) take no ``auth``
and read ``request.user``, which ``BearerTokenMiddleware`` sets from a valid token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from hipcoach.web.accounts.services import find_active_token


class BearerToken(HttpBearer):
    """An API token made on Settings → API tokens; a revoked or unknown one is refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if getattr(request, "api_token", None) is not None:
            return request.user  # BearerTokenMiddleware already checked this token
        record = find_active_token(token)
        if record is None:
            return None
        request.user = record.owner
        return record.owner


runner_auth = [BearerToken(), SessionAuth()]
