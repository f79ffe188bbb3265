"""The guided player (/play/<day>/<context>/ and /play/once/) and the morning check (/morning/).

The player page carries the session (items and timed steps) as JSON; ``static/hipcoach/player.js`` runs
it. Which session: the one Today shows for that day and context (``today.planned_day``), or a one-off
composed from the same parameters Today's one-off form uses (``today.one_off_session``).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hipcoach.app.clock import local_today
from hipcoach.app.clock import now as clock_now
from hipcoach.app.training.history import RED_FLAG_ADVICE, RED_FLAG_SIGNS, logs_of, open_red_flag, prescribed
from hipcoach.app.training.labels import CONTEXT_LABELS, minutes_words
from hipcoach.app.training.models import ProgressionEvent, SessionLog
from hipcoach.app.training.morning import MorningCheckError, answer_morning, morning_checks_due
from hipcoach.app.training.one_off import OneOff, one_off_session, visitor_one_off
from hipcoach.app.training.today import planned_day
from hipcoach.core.planner import Context, Referral, Session
from hipcoach.core.vocabulary import Side
from hipcoach.web.runner import runner_of
from hipcoach.web.screens.owner import owner_of
from hipcoach.web.screens.safety_check import safety_first
from hipcoach.web.training.forms import OneOffForm

FIGURE_PLACEHOLDER = "DRILL"
# A planned session can be played from a week before (a late log) to a week ahead.
PLAY_DAYS_AROUND_TODAY = 7
STEP_WORDS = {
    "setup": "Get ready",
    "work": "Go",
    "switch-side": "Switch side",
    "rest": "Rest",
    "transition": "Change position",
}


def player_data(session: Session, planned_for: date, scope: str, user_id: int) -> dict[str, Any]:
    """What player.js needs: the session as played, the dose each drill's log records, where to save."""
    dumped = session.model_dump(mode="json")
    fingerprint = hashlib.sha256(
        json.dumps([dumped["items"], dumped["timeline"]], sort_keys=True).encode()
    ).hexdigest()[:20]
    return {
        "scope": scope,
        "fingerprint": fingerprint,
        "planned_for": planned_for.isoformat(),
        "title": CONTEXT_LABELS[session.context],
        "api": "/api/v1/logs",
        # Each drill's figure, its id in place of the placeholder: the player loads the step's own, on its side.
        "figure": {"url": reverse("api:get_drill_figure", args=[FIGURE_PLACEHOLDER]), "id": FIGURE_PLACEHOLDER},
        "user": user_id,
        "words": STEP_WORDS,
        "prescribed": [list(prescribed(item)) for item in session.items],
        "session": dumped,
    }


def drill_rows(session: Session) -> list[dict[str, Any]]:
    """One row of the end-of-session form per drill: its sides to tick, as the timeline worked them."""
    rows = []
    for index, item in enumerate(session.items):
        sides = [dose.side for dose in item.doses]
        labels = {Side.LEFT: "Left", Side.RIGHT: "Right", Side.BOTH: "Done"}
        rows.append(
            {
                "index": index,
                "item": item,
                "sides": [{"value": side.value, "label": labels[side]} for side in sides],
            }
        )
    return rows


def render_player(
    request: HttpRequest,
    *,
    title: str,
    planned_for: date,
    scope: str,
    session: Session | None,
    referral: Referral | None,
    status: int = 200,
) -> HttpResponse:
    # A visitor has no log, so no warning sign reported after a session: their screen's referral is all there is.
    flagged = open_red_flag(runner_of(request)) if request.user.is_authenticated else None
    context: dict[str, Any] = {
        "title": title,
        "planned_for": planned_for,
        "referral": referral,
        "flagged": flagged,
        "red_flag_advice": RED_FLAG_ADVICE,
        "red_flag_signs": RED_FLAG_SIGNS,
        "rating_choices": [("easy", "Easy"), ("ok", "OK"), ("hard", "Hard")],
        "pain_choices": range(11),
        "visitor": not request.user.is_authenticated,
    }
    if session is not None and referral is None and flagged is None:
        context["session"] = session
        context["rows"] = drill_rows(session)
        context["player_data"] = player_data(session, planned_for, scope, int(request.user.pk or 0))
    return render(request, "training/player.html", context, status=status)


def _day(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date: write it YYYY-MM-DD.") from None
    if abs((day - local_today()).days) > PLAY_DAYS_AROUND_TODAY:
        raise Http404(f"Sessions can be played from {PLAY_DAYS_AROUND_TODAY} days before to a week ahead.")
    return day


@login_required
@never_cache
@require_GET
@safety_first
def play_planned(request: HttpRequest, day: str, context: str) -> HttpResponse:
    """That day's planned session of that context, as Today shows it."""
    when = _day(day)
    try:
        kind = Context(context)
    except ValueError:
        raise Http404("No such context.") from None
    plan = planned_day(runner_of(request), when)
    title = f"{CONTEXT_LABELS[kind]}, {when:%A} {when.day} {when:%B}"
    if plan.referral is not None:
        return render_player(request, title=title, planned_for=when, scope="", session=None, referral=plan.referral)
    planned = [p for p in plan.sessions if p.context is kind]
    if not planned:
        raise Http404(f"No {CONTEXT_LABELS[kind].lower()} session is planned on {when:%A} {when:%Y-%m-%d}.")
    chosen = next((p for p in planned if not p.done), planned[0])
    return render_player(
        request,
        title=title,
        planned_for=when,
        scope=f"{when.isoformat()}/{kind.value}",
        session=chosen.session,
        referral=None,
    )


def _one_off_query(query: QueryDict) -> QueryDict:
    """``equipment=band,bench`` (Today's links) or ``equipment=band&equipment=bench`` (the form), both."""
    data = query.copy()
    words = [word.strip() for value in query.getlist("equipment") for word in value.split(",") if word.strip()]
    data.setlist("equipment", words)
    return data


@never_cache
@require_GET
@safety_first
def play_once(request: HttpRequest) -> HttpResponse:
    """A one-off session: ?context=pre-run&seconds=360 (Today's links) or &minutes=6 (typed), and optionally
    &equipment=band,bench|none. A visitor without an account plays one too, once they have answered the safety
    questions in this browser (the home page's "Try a 5-minute pre-run session"); nothing is saved for them."""
    form = OneOffForm(_one_off_query(request.GET) if request.GET else None)
    if not form.is_bound or not form.is_valid() or form.request is None:
        status = 400 if form.is_bound else 200
        context = {"title": "A session now", "once_form": form, "choose": True, "red_flag_advice": RED_FLAG_ADVICE}
        return render(request, "training/player.html", context, status=status)
    if request.user.is_authenticated:
        once: OneOff = one_off_session(runner_of(request), form.request)
    else:
        once = visitor_one_off(owner_of(request), form.request)
    equipment = "all" if once.equipment is None else ",".join(w.value for w in once.equipment) or "none"
    return render_player(
        request,
        title=f"{CONTEXT_LABELS[once.context]}, {minutes_words(once.request.seconds)}",
        planned_for=local_today(),
        scope=f"once/{once.context.value}/{once.request.seconds}s/{equipment}",
        session=once.session,
        referral=once.referral,
    )


# --------------------------------------------------------------------------------------------------
# The morning check
# --------------------------------------------------------------------------------------------------


def _changes_of(log: SessionLog) -> list[ProgressionEvent]:
    return list(ProgressionEvent.objects.filter(log=log, at__gte=log.morning_check.answered_at).order_by("id"))


@login_required
@never_cache
@require_GET
def morning(request: HttpRequest) -> HttpResponse:
    """Yesterday's sessions not yet checked: is pain or stiffness worse this morning?"""
    now = clock_now()
    due = morning_checks_due(runner_of(request), now)
    opens_at = timezone.localtime(now).hour < 4
    answered = None
    answered_id = request.GET.get("answered", "")
    if re.fullmatch(r"[0-9]{1,18}", answered_id):  # ASCII digits only (isdigit takes "²"), within a bigint
        answered = logs_of(runner_of(request)).filter(pk=int(answered_id), morning_check__isnull=False).first()
    context = {
        "due": due,
        "before_four": opens_at,
        "answered": answered,
        "changes": _changes_of(answered) if answered is not None else [],
        "yesterday": local_today() - timedelta(days=1),
    }
    return render(request, "training/morning.html", context)


@login_required
@require_POST
def morning_answer(request: HttpRequest, log_id: int) -> HttpResponse:
    """The answer to one session's morning check (a form on /morning/)."""
    if not logs_of(runner_of(request)).filter(pk=log_id).exists():
        raise Http404("No such session among yours.")
    answer = request.POST.get("worse", "")
    if answer not in ("yes", "no"):
        messages.error(request, "worse: answer yes (worse this morning) or no (not worse).")
        return redirect("training:morning")
    try:
        answer_morning(runner_of(request), log_id, worse=answer == "yes")
    except MorningCheckError as error:
        messages.error(request, str(error))
        return redirect("training:morning")
    return redirect(f"{reverse('training:morning')}?answered={log_id}")
