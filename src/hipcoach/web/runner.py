"""The signed-in runner of a request, for the pages and endpoints that only a runner reaches."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from hipcoach.app.accounts.accounts import Runner


def runner_of(request: HttpRequest) -> Runner:
    """The signed-in runner (the views' login_required and the API's runner_auth let no one else through)."""
    user = request.user
    if not isinstance(user, Runner):
        raise PermissionDenied("sign in first")
    return user
