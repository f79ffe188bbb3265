"""One-off sessions ("I have 6 minutes before a run"): composed now, for the context and the minutes there are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from hipcoach.app.training.runner import dose_states_of, recent_history_of, referral_of, runner_profile
from hipcoach.app.training.runner_settings import SettingsInvalidError, _session_minutes, settings_of
from hipcoach.app.training.sessions import composed_session
from hipcoach.core.planner import (
    Context,
    PlannerInputError,
    Referral,
    Session,
    parse_context,
    parse_equipment,
)
from hipcoach.core.vocabulary import Equipment


def once_play_url(context: Context, minutes: float, equipment: Sequence[Equipment] | None) -> str:
    """The player's address for a one-off session: it composes the same session from these parameters."""
    url = f"/play/once/?context={context.value}&minutes={minutes:g}"
    if equipment is not None:
        url += "&equipment=" + (",".join(word.value for word in equipment) or "none")
    return url


@dataclass(frozen=True)
class OneOff:
    context: Context
    minutes: float
    equipment: list[Equipment] | None
    session: Session | None
    referral: Referral | None
    play_url: str
    profile_source: str


@dataclass(frozen=True)
class OneOffRequest:
    context: Context
    minutes: float
    equipment: list[Equipment] | None


def parse_one_off(context: object, minutes: object, equipment: object) -> OneOffRequest:
    """Check a one-off request with the core's parsers; raises :class:`SettingsInvalidError` naming each field.

    ``equipment`` ``None`` means the equipment of the runner's settings; ``[]`` body weight only.
    """
    problems: list[PlannerInputError] = []
    parsed_context: Context | None = None
    parsed_minutes = 0.0
    parsed_equipment: frozenset[Equipment] | None = None
    try:
        parsed_context = parse_context(context)
    except PlannerInputError as problem:
        problems.append(problem)
    try:
        parsed_minutes = _session_minutes(minutes, "minutes")
    except PlannerInputError as problem:
        problems.append(problem)
    try:
        parsed_equipment = parse_equipment(equipment)
    except PlannerInputError as problem:
        problems.append(problem)
    if problems or parsed_context is None:
        raise SettingsInvalidError(problems)
    ordered = None if parsed_equipment is None else [word for word in Equipment if word in parsed_equipment]
    return OneOffRequest(parsed_context, parsed_minutes, ordered)


def one_off_session(user: AbstractBaseUser, request: OneOffRequest) -> OneOff:
    """A session composed now for the runner (their screen, level, progression and recent sessions).

    The player composes the same session from the same parameters (``once_play_url``).
    """
    context, minutes, equipment = request.context, request.minutes, request.equipment
    record = settings_of(user)
    choice = runner_profile(user, record)
    at_hand = equipment if equipment is not None else record.to_core().equipment
    url = once_play_url(context, minutes, equipment)
    referral = referral_of(user, choice.profile)
    if referral is not None:
        return OneOff(context, minutes, equipment, None, referral, url, choice.source)
    session = composed_session(
        choice.profile,
        context,
        minutes,
        equipment=at_hand,
        level=record.level,
        history=recent_history_of(user),
        seed=0,
        dose_states=dose_states_of(user),
    )
    return OneOff(context, minutes, equipment, session, None, url, choice.source)
