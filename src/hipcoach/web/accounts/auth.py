"""django-ninja authentication for endpoints that need a signed-in runner.

``runner_auth`` accepts an API token (``Authorization: Bearer <token>``) or the browser session (with
its CSRF token on writes, as ninja's ``django_auth`` checks). Use it as ``@router.get(..., auth=runner_auth)``;
a request with neither gets 401. Endpoints open to anonymous runners (the screens API) take no ``auth``
and read ``request.user``, which ``BearerTokenMiddleware`` sets from a valid token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from hipcoach.app.accounts.accounts import find_active_token
from hipcoach.web.accounts.middleware import CSRF_FAILED, csrf_refused


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


class BrowserSession(SessionAuth):
    """The signed-in browser session. A caller without one gets 401, as documented, rather than ninja's 403 "CSRF
    check failed", which it answered before even looking for a session; a write from a signed-in browser still
    needs its CSRF token (checked by BearerTokenMiddleware for every write under /api/, and here again)."""

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if csrf_refused(request):
            raise AuthorizationError(403, CSRF_FAILED)
        return request.user


runner_auth = [BearerToken(), BrowserSession()]
