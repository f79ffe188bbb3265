"""/settings/: the runner's usual week and how they like to train, and their calendar link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hipcoach.app.clinic.sharing import SHARED, sharing_links
from hipcoach.app.screens.profiles import profile_from_saved
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.app.training.calendar import new_calendar_secret, revoke_calendar_secret
from hipcoach.app.training.runner_settings import save_settings, settings_data, settings_of, week_saved
from hipcoach.core.settings_schema import REMINDER_MINUTES
from hipcoach.web.clinic.handout import handout_response
from hipcoach.web.runner import runner_of
from hipcoach.web.training.forms import SettingsForm, initial_for


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """GET shows the settings; POST replaces them when every field is valid, and changes nothing otherwise."""
    record = settings_of(runner_of(request))
    first_time = not week_saved(record)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid() and form.valid is not None:
            save_settings(runner_of(request), form.valid)
            messages.success(request, "Settings saved.")
            return redirect("training:settings")
        status = 400
    else:
        initial = initial_for(settings_data(record))
        if first_time:
            initial["equipment"] = []  # asked, not assumed: the runner ticks what they have
        form = SettingsForm(initial=initial, runs=record.week_runs())
        status = 200
    try:
        screen_age = profile_from_saved(ScreenOwner.of(request.user, None), None).profile.age
    except SafetyQuestionsUnansweredError:
        screen_age = None  # no screen yet: the settings' age band is the only age there is
    feed_url = None
    if record.calendar_secret:
        feed_url = request.build_absolute_uri(f"/calendar/{record.calendar_secret}.ics")
    context = {
        "form": form,
        "first_time": first_time,
        "saved": week_saved(record),
        "screen_age": screen_age,
        "feed_url": feed_url,
        "reminder_default": REMINDER_MINUTES.default,
        "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://") if feed_url else None,
        "sharing_links": sharing_links(runner_of(request)),
        "shared_items": SHARED,
    }
    return render(request, "training/settings.html", context, status=status)


@login_required
@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Make the private calendar address, or a new one (the old one then stops working)."""
    new_calendar_secret(runner_of(request))
    messages.success(request, "New calendar link made. The old link, if any, no longer works.")
    return redirect("training:settings")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    revoke_calendar_secret(runner_of(request))
    messages.success(request, "Calendar link turned off. Calendars subscribed to it stop updating.")
    return redirect("training:settings")


@login_required
@never_cache
@require_safe
def handout_download(request: HttpRequest) -> HttpResponse:
    """/settings/handout.pdf: the runner's own programme on paper, headed by their clinic."""
    return handout_response(request, runner_of(request))
