"""Saving screens and reading them back, for the web, the API and the terminal alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.events import screen_recorded, tell
from hipcoach.app.screens.models import Screen
from hipcoach.core.screen import MeasureChange, ScreenAnswers, compare_measures, score_screen


@dataclass(frozen=True)
class ScreenOwner:
    """Whose screens these are: an account, one browser session, or the terminal's runner (neither)."""

    user: Runner | None = None
    session_key: str = ""

    @classmethod
    def terminal(cls) -> ScreenOwner:
        return cls()

    @classmethod
    def of(cls, user: Runner | AnonymousUser, session_key: str | None) -> ScreenOwner:
        if user.is_authenticated:
            return cls(user=user)
        return cls(session_key=session_key or "")


class IdempotencyConflictError(Exception):
    """The idempotency key was already used for a different screen or by someone else."""


def screens_of(owner: ScreenOwner) -> QuerySet[Screen]:
    if owner.user is not None:
        return Screen.objects.filter(owner=owner.user)
    return Screen.objects.filter(owner=None, session_key=owner.session_key)


def record_screen(
    answers: ScreenAnswers,
    owner: ScreenOwner,
    *,
    idempotency_key: str | None = None,
    taken_at: datetime | None = None,
) -> tuple[Screen, bool]:
    """Score and save a screen; a retry with the same idempotency key returns the first one, unchanged.

    Returns the screen and whether it was created now.
    """
    if idempotency_key:
        earlier = Screen.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return _same_screen(earlier, answers, owner), False
    result = score_screen(answers)
    fields = Screen.fields_from_core(answers, result)
    if taken_at is not None:
        fields["taken_at"] = taken_at
    try:
        with transaction.atomic():
            screen = Screen.objects.create(
                owner=owner.user, session_key=owner.session_key, idempotency_key=idempotency_key or None, **fields
            )
    except IntegrityError:
        # Two retries raced: the other one stored it; answer as if this were the retry.
        earlier = Screen.objects.get(idempotency_key=idempotency_key)
        return _same_screen(earlier, answers, owner), False
    if owner.user is not None:
        tell(screen_recorded, screen=screen)
    return screen, True


def _same_screen(earlier: Screen, answers: ScreenAnswers, owner: ScreenOwner) -> Screen:
    if not screens_of(owner).filter(pk=earlier.pk).exists() or earlier.answers != answers.model_dump(mode="json"):
        raise IdempotencyConflictError("this idempotency key was already used for a different screen")
    return earlier


def latest_screen(owner: ScreenOwner) -> Screen | None:
    return screens_of(owner).order_by("-taken_at", "-id").first()


@dataclass(frozen=True)
class MeasurePoint:
    """One measure on one side at one screen, and how it changed since the screen before."""

    taken_at: datetime
    value: float
    change: MeasureChange | None


def measure_history(owner: ScreenOwner) -> dict[tuple[str, str], list[MeasurePoint]]:
    """Each measure per side over time, keyed by (measure, side), oldest first.

    Each point after the first carries the change since the previous screen that measured it, with the
    verdict "real", "within measurement error" or "no known measurement error".
    """
    series: dict[tuple[str, str], list[MeasurePoint]] = {}
    previous: dict[tuple[str, str], tuple[ScreenAnswers, datetime]] = {}
    for screen in screens_of(owner).order_by("taken_at", "id"):
        answers, _ = screen.to_core()
        for key, point in _points(answers, screen.taken_at, previous).items():
            series.setdefault(key, []).append(point)
            previous[key] = (answers, screen.taken_at)
    return series


def _points(
    answers: ScreenAnswers, taken_at: datetime, previous: dict[tuple[str, str], tuple[ScreenAnswers, datetime]]
) -> dict[tuple[str, str], MeasurePoint]:
    # A measure compared with itself has no change: this lists every measure the screen holds.
    points = {}
    for own in compare_measures(answers, answers):
        key = (own.measure, own.side.value if own.side else "")
        change = None
        if key in previous:
            earlier, _ = previous[key]
            change = next(
                (c for c in compare_measures(earlier, answers) if (c.measure, c.side) == (own.measure, own.side)),
                None,
            )
        points[key] = MeasurePoint(taken_at=taken_at, value=own.later, change=change)
    return points
