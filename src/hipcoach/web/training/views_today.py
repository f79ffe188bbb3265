"""/today/ (the signed-in runner's home), the one-off session form, and /welcome/ (onboarding)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hipcoach.app.clock import local_today
from hipcoach.app.screens.screens import ScreenOwner, latest_screen
from hipcoach.app.training.history import RED_FLAG_ADVICE
from hipcoach.app.training.labels import CONTEXT_LABELS, DAY_NAMES, minutes_words
from hipcoach.app.training.models import RunnerSettings
from hipcoach.app.training.morning import morning_checks_due
from hipcoach.app.training.one_off import OneOff, one_off_session
from hipcoach.app.training.runner_settings import week_saved
from hipcoach.app.training.today import today_plan
from hipcoach.app.training.week_strip import STRIP_DAYS, StripDay
from hipcoach.web.htmx import HtmxRequest
from hipcoach.web.runner import runner_of
from hipcoach.web.screens.safety_check import safety_first
from hipcoach.web.training.forms import OneOffForm


def session_card(planned_context: Any, session: Any) -> dict[str, Any]:
    return {
        "label": CONTEXT_LABELS[planned_context],
        "length": minutes_words(session.total_seconds) if session is not None else "",
    }


def strip_cell(strip_day: StripDay, chosen: date) -> dict[str, Any]:
    """One day of the week strip: short words to see, and the whole day in words for a screen reader."""
    name = DAY_NAMES[strip_day.weekday]
    runs = [f"{run.type.value} run, {run.minutes} min" for run in strip_day.runs]
    sessions = [
        f"{CONTEXT_LABELS[session.context].lower()}{'' if session.planned else ' (not planned)'}, "
        f"{'done' if session.done else 'to do'}"
        for session in strip_day.sessions
    ]
    heard = "; ".join(runs + sessions) or "nothing planned"
    return {
        "day": strip_day,
        "short_name": "Today" if strip_day.is_today else name[:3],
        "runs": len(strip_day.runs),
        "label": f"{'Today, ' if strip_day.is_today else ''}{name} {strip_day.day.day} {strip_day.day:%B}: {heard}",
        "chosen": strip_day.day == chosen,
    }


def today_context(
    request: HttpRequest, once_form: OneOffForm, once: OneOff | None, day: date | None = None
) -> dict[str, Any]:
    plan = today_plan(runner_of(request), day)
    cards = [{"planned": planned, **session_card(planned.context, planned.session)} for planned in plan.sessions]
    once_card = None
    if once is not None:
        once_card = {"once": once, **session_card(once.context, once.session)}
    return {
        "plan": plan,
        "day_name": DAY_NAMES[plan.weekday],
        "cards": cards,
        "unplanned": [{"context": context, "label": CONTEXT_LABELS[context]} for context in plan.unplanned_done],
        "strip": [strip_cell(strip_day, plan.day) for strip_day in plan.strip],
        "next_label": None if plan.next_session is None else CONTEXT_LABELS[plan.next_session.context],
        "next_day_name": None if plan.next_session is None else DAY_NAMES[plan.next_session.weekday],
        "once_form": once_form,
        "once_card": once_card,
        # REFERENCE.md section 5: pain or stiffness worse the next morning reduces the load.
        "morning_due": morning_checks_due(runner_of(request)) if plan.is_today else [],
        # Said again beside a refused log that reported a new warning sign (outbox.js, "needs attention").
        "red_flag_advice": RED_FLAG_ADVICE,
    }


def chosen_day(value: str | None) -> date | None:
    """The day of the strip asked for (``?day=2026-03-02``): today or one of the six days after it.

    Raises :class:`ValueError` naming the field and what is allowed."""
    if value is None:
        return None
    today = local_today()
    last = today + timedelta(days=STRIP_DAYS - 1)
    allowed = f"a date written like {today.isoformat()}, from today to {last.isoformat()}"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"day: {value[:20]!r} is not a date; {allowed}") from None
    if not today <= day <= last:
        raise ValueError(f"day: {day.isoformat()} is not in the week ahead; {allowed}")
    return day


@login_required
@never_cache
@require_GET
@safety_first
def today(request: HttpRequest) -> HttpResponse:
    """Today, or another day of the week ahead (``?day=``, a day of the strip)."""
    try:
        day = chosen_day(request.GET.get("day"))
    except ValueError as problem:
        context = today_context(request, OneOffForm(), None)
        return render(request, "training/today.html", {**context, "day_problem": str(problem)}, status=400)
    return render(request, "training/today.html", today_context(request, OneOffForm(), None, day))


@login_required
@never_cache
@require_GET
@safety_first
def once(request: HtmxRequest) -> HttpResponse:
    """A one-off session ("I have 6 minutes before a run"); htmx swaps in just the result."""
    form = OneOffForm(request.GET)
    result = None
    if form.is_valid() and form.request is not None:
        result = one_off_session(runner_of(request), form.request)
    status = 200 if result is not None else 400
    if request.htmx:
        card = None if result is None else {"once": result, **session_card(result.context, result.session)}
        return render(request, "training/today_once.html", {"once_form": form, "once_card": card}, status=status)
    return render(request, "training/today.html", today_context(request, form, result), status=status)


@login_required
@never_cache
@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    """The first steps and where the runner stands with each: the screen, the usual week, then Today."""
    screen = latest_screen(ScreenOwner.of(request.user, None))
    record = RunnerSettings.objects.filter(owner=runner_of(request)).first()
    steps_done = {"screen": screen is not None, "week": week_saved(record)}
    next_step = "screen" if not steps_done["screen"] else "week" if not steps_done["week"] else "today"
    context = {"screen": screen, "done": steps_done, "next_step": next_step}
    return render(request, "training/onboarding.html", context)
