"""Composing a runner's sessions: the week's skeleton, the runner's week and the composer that reuses what it has made.

**Today is a day of the runner's week.** The week's rules reach across its days (no drill twice on one day,
rotation through the eligible drills, the same strength exercises all week), so Today's sessions are the day's
sessions of ``plan_week`` with the runner's real profile, progression states and recent sessions, kept in the
sessions cache under every input they depend on (:func:`composed_week`). The week's *skeleton* (which contexts fall
on which day, why, and with which seed) does not depend on the drills: it is ``plan_week`` over an empty
catalogue, cached per usual week, for what needs only the placement (progress). A test keeps the skeleton equal
to the full plan's days.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from django.core.cache import caches

from hipcoach import __version__
from hipcoach.core.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, default_catalogue
from hipcoach.core.planner import (
    Context,
    Session,
    SessionRequest,
    compose_requested,
)
from hipcoach.core.prescription import Prescription
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import (
    DAYS,
    Day,
    Run,
    Week,
    WeekPreferences,
    plan_week,
)

EMPTY_CATALOGUE = Catalogue([])
PLACING_DAY = date(2000, 1, 1)  # any day: placing sessions never reads when a prescription was written
Made = TypeVar("Made", Session, Week)


@dataclass(frozen=True)
class Slot:
    """A session the week places on a day, before its drills are chosen."""

    context: Context
    reason: str
    run: Run | None
    seed: int


@lru_cache(maxsize=4096)
def _skeleton(runs: tuple[str, ...], strength_days: int, recovery: int | None) -> tuple[tuple[Slot, ...], ...]:
    # The placement rules of plan_week never look at drills: over an empty catalogue it only places. Of a
    # clinician's prescription, placement reads only the recovery sessions a week.
    placing = None if recovery is None else Prescription(prescribed_by="placement", prescribed_on=PLACING_DAY,
                                                          sessions_per_week=recovery)  # fmt: skip
    week = plan_week(
        Profile(),
        list(runs),
        WeekPreferences(strength_days=strength_days),
        catalogue=EMPTY_CATALOGUE,
        prescription=placing,
    )
    return tuple(
        tuple(
            Slot(
                context=planned.context,
                reason=planned.reason,
                run=None if planned.run is None else plan.runs[planned.run],
                seed=planned.session.seed,
            )
            for planned in plan.sessions
        )
        for plan in week.days
    )


@lru_cache(maxsize=1)
def _catalogue_digest() -> str:
    return hashlib.sha256(DEFAULT_CATALOGUE_PATH.read_bytes()).hexdigest()


def _reused(kind: str, model: type[Made], inputs: list[Any], make: Callable[[], Made]) -> Made:
    """What ``make`` makes, kept in the sessions cache under every input it depends on (with the catalogue and
    hipcoach's version), so a kept one is never stale: a new log, screen, setting or progression makes a new key."""
    everything = [__version__, _catalogue_digest(), *inputs]
    key = f"{kind}:" + hashlib.sha256(json.dumps(everything, sort_keys=True).encode()).hexdigest()
    store = caches["sessions"]
    cached = store.get(key)
    if cached is not None:
        return model.model_validate_json(cached)
    made = make()
    store.set(key, made.model_dump_json(exclude_computed_fields=True))
    return made


def _states(dose_states: Mapping[str, DoseState]) -> dict[str, Any]:
    return {drill_id: state.model_dump(mode="json") for drill_id, state in sorted(dose_states.items())}


def _prescribed(prescription: Prescription | None) -> dict[str, Any] | None:
    return None if prescription is None else prescription.model_dump(mode="json")


def composed_session(
    profile: Profile,
    request: SessionRequest,
    *,
    equipment: Sequence[Equipment] | None,
    level: int,
    history: Sequence[Sequence[str]],
    dose_states: Mapping[str, DoseState],
    prescription: Prescription | None = None,
) -> Session:
    """The session ``request`` asks for over the shipped catalogue (``equipment`` and ``level`` are the runner's
    usual, for what the request leaves open), reused when every input is the same (profile, the request,
    equipment, level, recent sessions, progression states, the clinician's prescription)."""
    at_hand = equipment if request.equipment is None else request.equipment
    chosen_level = level if request.level is None else request.level
    inputs = [
        profile.model_dump(mode="json"),
        request.context.value,
        request.seconds,
        None if at_hand is None else sorted(word.value for word in at_hand),
        chosen_level,
        [list(session) for session in history],
        request.seed,
        _states(dose_states),
        _prescribed(prescription),
    ]
    return _reused(
        "session",
        Session,
        inputs,
        lambda: compose_requested(
            profile,
            request,
            history,
            usual_equipment=at_hand,
            usual_level=chosen_level,
            catalogue=default_catalogue(),
            dose_states=dose_states,
            prescription=prescription,
        ),
    )


def composed_week(
    profile: Profile,
    runs: Sequence[Run],
    preferences: WeekPreferences,
    *,
    history: Sequence[Sequence[str]],
    dose_states: Mapping[str, DoseState],
    prescription: Prescription | None = None,
) -> Week:
    """The runner's week over the shipped catalogue, reused when every input is the same (profile, runs,
    preferences, recent sessions, progression states, the clinician's prescription)."""
    inputs = [
        profile.model_dump(mode="json"),
        [str(run) for run in runs],
        preferences.model_dump(mode="json"),
        [list(session) for session in history],
        _states(dose_states),
        _prescribed(prescription),
    ]
    return _reused(
        "week",
        Week,
        inputs,
        lambda: plan_week(
            profile,
            list(runs),
            preferences,
            catalogue=default_catalogue(),
            recent_history=history,
            dose_states=dose_states,
            prescription=prescription,
        ),
    )


def week_skeleton(runs: Sequence[Run], strength_days: int, recovery: int | None = None) -> tuple[tuple[Slot, ...], ...]:
    """The seven days' slots, Monday first; ``recovery``: the recovery sessions a week a clinician prescribed."""
    return _skeleton(tuple(str(run) for run in runs), strength_days, recovery)


def weekday_of(day: date) -> Day:
    return DAYS[day.weekday()]
