"""Whose screens a request sees: the signed-in runner's, else this browser's."""

from __future__ import annotations

from django.http import HttpRequest

from hipcoach.app.screens.screens import ScreenOwner


def owner_of(request: HttpRequest) -> ScreenOwner:
    """The account when a session or an API token authenticates the request, else this browser session.

    A valid ``Authorization: Bearer`` token has already set ``request.user`` on the API
    (accounts.BearerTokenMiddleware); pages never accept a token, so there only a login counts.
    """
    if not request.user.is_authenticated and request.session.session_key is None:
        request.session.save()  # an anonymous runner keeps their screens for this browser session
    return ScreenOwner.of(request.user, request.session.session_key)
