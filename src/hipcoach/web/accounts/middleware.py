"""Who is calling the API: a Bearer token wins over the browser session."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.utils import check_csrf

from hipcoach.app.accounts.accounts import find_active_token

API_PREFIX = "/api/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_FAILED = "CSRF check failed: send the X-CSRFToken header, or use an API token."


def csrf_refused(request: HttpRequest) -> bool:
    """A write from the browser session without its CSRF token (or with a wrong one)."""
    return request.method not in SAFE_METHODS and check_csrf(request) is not None


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None without one (or with another scheme)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class BearerTokenMiddleware:
    """Sets ``request.user`` from an API token, so every API endpoint sees the account behind it.

    Only requests under ``/api/`` are looked at; pages never accept a token.

    - ``Authorization: Bearer <token>`` with a valid token (not revoked, owner active): ``request.user``
      becomes the token's owner and ``request.api_token`` its record, whatever session cookie came along.
      The endpoints open to anonymous runners (the screens API's ``owner_of``) then use the account, and
      those behind ``runner_auth`` accept it. No CSRF token is needed: a browser never adds this header
      on its own.
    - A wrong or revoked token gets 401 on every API endpoint, including those open to anonymous runners:
      a script with a bad token fails loudly instead of quietly reading and writing as a throwaway
      anonymous runner.
    - Without a token, a write (POST, PUT, PATCH, DELETE) from a logged-in browser session must carry
      the CSRF token, as every page form does; django-ninja exempts its views from Django's CSRF check
      and only checks it itself for endpoints with cookie auth. Anonymous runners' writes stay open, as
      before accounts.

    It runs after Django's ``AuthenticationMiddleware`` (settings.MIDDLEWARE).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refused = self.authenticate(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def authenticate(self, request: HttpRequest) -> HttpResponse | None:
        token = bearer_token(request)
        if token is not None:
            record = find_active_token(token)
            if record is None:
                return unauthorised("invalid_token", "This API token is not valid: it is wrong or was revoked.")
            request.user = record.owner
            request.api_token = record  # type: ignore[attr-defined]  # our own mark, read by accounts.auth.BearerToken
            return None
        if request.user.is_authenticated and csrf_refused(request):
            return JsonResponse({"detail": CSRF_FAILED}, status=403)
        return None


def unauthorised(error: str, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=401)
    response["WWW-Authenticate"] = f'Bearer error="{error}"'
    return response
