"""The four weeks ahead as iCalendar: a private feed address for calendar apps, and a file to download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hipcoach.app.training.calendar import calendar_ics, settings_for_feed
from hipcoach.web.runner import runner_of

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def ics_response(body: bytes, disposition: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'{disposition}; filename="hipcoach.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """/calendar/<secret>.ics: no login (calendar apps cannot log in); an unknown or revoked secret is 404."""
    record = settings_for_feed(secret)
    if record is None:
        raise Http404("No calendar at this address: the link may have been turned off or replaced.")
    return ics_response(calendar_ics(record.owner, request.build_absolute_uri("/")), "inline")


@login_required
@never_cache
@require_safe
def download(request: HttpRequest) -> HttpResponse:
    """/settings/calendar.ics: the same four weeks as a file to import once."""
    return ics_response(calendar_ics(runner_of(request), request.build_absolute_uri("/")), "attachment")
