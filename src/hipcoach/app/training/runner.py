"""What a runner's plan is made from: the profile of their latest screen, their progression, their recent
sessions, and why they get no session (a referral).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.utils import timezone

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.screens.profiles import ProfileChoice, profile_from_saved
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.app.training.history import RED_FLAG_ADVICE, open_red_flag, red_flag_state
from hipcoach.app.training.models import ProgressionState, RunnerSettings, SessionLog
from hipcoach.core.clearance import Clearance
from hipcoach.core.planner import (
    Context,
    Referral,
    ReferralRequired,
    check_referral,
)
from hipcoach.core.profile import OLDER_ADULT_AGE, Profile
from hipcoach.core.progression import DoseState

# Sessions of the log the planner weighs for variety (the weight halves each session back).
RECENT_SESSIONS = 6


# Where the profile comes from when the runner has no screen but a warning sign since refers them anyway.
NO_SCREEN_SOURCE = "no screen"


def runner_profile(user: Runner, record: RunnerSettings) -> ProfileChoice:
    """The profile of the latest screen, with the settings' age band (:func:`with_age_band`).

    Raises :class:`SafetyQuestionsUnansweredError` when the runner never answered the safety questions, unless a warning
    sign they reported after a session refers them: a referral wins over everything, so :func:`referral_of` then
    shows it, and nothing is planned either way.
    """
    try:
        choice = profile_from_saved(ScreenOwner.of(user, None), None)
    except SafetyQuestionsUnansweredError:
        if open_red_flag(user) is None:
            raise
        choice = ProfileChoice(Profile(), NO_SCREEN_SOURCE)
    return with_age_band(choice, record)


def with_age_band(choice: ProfileChoice, record: RunnerSettings) -> ProfileChoice:
    """The settings' age band applies when the screen gave no age: the one place the older-adult rule is read,
    whichever screen (the latest, or one given now) the plan is made for."""
    if record.older_adult and choice.profile.age is None:
        # REFERENCE.md section 4: holds of 30-60 s from 65.
        profile = choice.profile.model_copy(update={"age": OLDER_ADULT_AGE})
        return replace(choice, profile=profile)
    return choice


def dose_states_of(user: Runner) -> dict[str, DoseState]:
    states = (ProgressionState.to_core(row) for row in ProgressionState.objects.filter(owner=user).only("state"))
    return {state.drill_id: state for state in states}


def recent_history_of(user: Runner, count: int = RECENT_SESSIONS) -> list[list[str]]:
    """The drill ids of the last sessions logged, the most recent first."""
    rows = (
        SessionLog.objects.filter(owner=user).order_by("-finished_at", "-id").values_list("session__items", flat=True)
    )
    history: list[list[str]] = []
    for items in rows[:count]:
        if isinstance(items, list):
            history.append([str(item["drill_id"]) for item in items if isinstance(item, dict) and "drill_id" in item])
    return history


def done_between(user: Runner, first: date, last: date) -> dict[date, list[Context]]:
    """The contexts logged for each day from ``first`` to ``last``, one entry per log, planned or one-off (a one-off
    is logged for the day it is played): one query for the whole week."""
    done: dict[date, list[Context]] = {}
    rows = SessionLog.objects.filter(owner=user, planned_for__range=(first, last)).order_by("planned_for", "id")
    for day, value in rows.values_list("planned_for", "context"):
        try:
            done.setdefault(day, []).append(Context(value))
        except ValueError:  # pragma: no cover - the model's choices hold only contexts
            continue
    return done


def referral_of(user: Runner, profile: Profile) -> Referral | None:
    """Why the runner gets no session: their latest screen refers, or a session since reported a red flag."""
    return referral_and_clearance_of(user, profile)[0]


def referral_and_clearance_of(user: Runner, profile: Profile) -> tuple[Referral | None, Clearance | None]:
    """:func:`referral_of`, and the clinician's clearance of a warning sign reported since the screen when one covers
    it (Today says who cleared it); the same queries as :func:`referral_of`."""
    try:
        check_referral(profile)
    except ReferralRequired as referral:
        return referral.referral, None
    flagged, clearance = red_flag_state(user)
    if flagged is not None:
        when = timezone.localtime(flagged.finished_at)
        reasons = [f"You reported a new warning sign after your session of {when:%d %B %Y}."]
        return Referral(urgent=False, reasons=reasons, message=RED_FLAG_ADVICE), None
    return None, clearance
