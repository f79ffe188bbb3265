"""Each runner's "today" in their own time zone: one server serves runners in many."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hipcoach.app.training.runner_settings import runner_zone


class RunnerTimeZoneMiddleware:
    """Activates the signed-in runner's time zone (their settings) for the request, so Today, the player's day,
    the morning check, progress and every time shown follow it; anonymous requests keep the server's.

    It runs after the session and API-token middlewares (settings.MIDDLEWARE), so both kinds of sign-in count.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        with timezone.override(runner_zone(request.user)):
            return self.get_response(request)
