"""What a clinician is alerted to, from a runner's log, morning checks and screens: the rules, as pure functions.

Each rule gives a :class:`Finding` with a key that names the event it comes from (a session, two mornings, a
screen's measure, a quiet spell), so raising the same finding twice stores one alert. The rules:

- **Pain above 5** in a session (REFERENCE 5: above 5 of 10 means stop).
- **Pain rising:** a session's pain 2 or more above the average of the runner's recent sessions (up to the
  previous five; at least three are needed for an average worth the name).
- **Worse two mornings in a row:** the next-morning check answered "worse" after two sessions one after the other
  (REFERENCE 5: worse the next morning means reduce the load; twice running, the load is not being reduced enough).
- **A new warning sign** reported after a session (REFERENCE 6).
- **Nothing logged for 7 days** while the plan had sessions in those days.
- **A screen measure worse by more than its smallest real change** (REFERENCE 2), on a measure where more is
  better and the error is known: hip rotation and knee-to-wall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from hipcoach.core.screen import MeasureChange, TestId

PAIN_STOP = 5  # REFERENCE 5: above 5 of 10, stop
PAIN_RISE = 2
RECENT_SESSIONS = 5
SESSIONS_FOR_AN_AVERAGE = 3
QUIET_DAYS = 7
# The measures with a known smallest real change where a smaller number is worse (REFERENCE 2).
MORE_IS_BETTER = frozenset({TestId.SEATED_IR, TestId.SEATED_ER, TestId.KNEE_TO_WALL})


class AlertKind(StrEnum):
    PAIN_ABOVE_STOP = "pain-above-5"
    PAIN_RISING = "pain-rising"
    WORSE_TWO_MORNINGS = "worse-two-mornings"
    WARNING_SIGN = "warning-sign"
    NOTHING_LOGGED = "nothing-logged"
    MEASURE_WORSE = "measure-worse"


# The order a clinician reads them in: what may need them today first.
URGENCY = (
    AlertKind.WARNING_SIGN,
    AlertKind.PAIN_ABOVE_STOP,
    AlertKind.WORSE_TWO_MORNINGS,
    AlertKind.PAIN_RISING,
    AlertKind.MEASURE_WORSE,
    AlertKind.NOTHING_LOGGED,
)


@dataclass(frozen=True)
class LoggedSession:
    """A session as the rules read it: its worst pain (the session's or any drill's) and what followed it."""

    id: int
    day: date
    pain: int
    warning_sign: bool = False
    worse_next_morning: bool | None = None  # None: the morning check was not answered


@dataclass(frozen=True)
class Finding:
    kind: AlertKind
    key: str  # the event it comes from: the same finding raised again has the same key
    day: date
    message: str


def session_findings(session: LoggedSession, earlier: Sequence[LoggedSession]) -> list[Finding]:
    """What one session newly logged is alerted for, given the sessions before it (oldest first)."""
    found = []
    if session.warning_sign:
        found.append(
            Finding(
                AlertKind.WARNING_SIGN,
                f"log:{session.id}",
                session.day,
                "Reported a new warning sign after the session: the plan is stopped until a clinician clears it.",
            )
        )
    if session.pain > PAIN_STOP:
        found.append(
            Finding(
                AlertKind.PAIN_ABOVE_STOP,
                f"log:{session.id}",
                session.day,
                f"Pain {session.pain} of 10 in the session (above {PAIN_STOP}: stop, REFERENCE 5).",
            )
        )
    recent = list(earlier)[-RECENT_SESSIONS:]
    if len(recent) >= SESSIONS_FOR_AN_AVERAGE:
        average = sum(past.pain for past in recent) / len(recent)
        if session.pain - average >= PAIN_RISE:
            found.append(
                Finding(
                    AlertKind.PAIN_RISING,
                    f"log:{session.id}",
                    session.day,
                    f"Pain {session.pain} of 10, up {session.pain - average:.1f} on the average of the "
                    f"{len(recent)} sessions before ({average:.1f}).",
                )
            )
    return found


def morning_findings(sessions: Sequence[LoggedSession]) -> list[Finding]:
    """Worse the next morning after two sessions in a row (sessions oldest first, as answered so far)."""
    answered = [session for session in sessions if session.worse_next_morning is not None]
    found = []
    for before, after in pairwise(answered):
        if before.worse_next_morning and after.worse_next_morning:
            found.append(
                Finding(
                    AlertKind.WORSE_TWO_MORNINGS,
                    f"mornings:{before.id}:{after.id}",
                    after.day,
                    f"Worse the next morning after two sessions in a row ({before.day:%d %b} and {after.day:%d %b}).",
                )
            )
    return found


def quiet_finding(last_logged: date | None, since: date, planned_in_spell: int, today: date) -> Finding | None:
    """Nothing logged for 7 days or more while the plan had sessions in that time.

    ``since`` is when the clinician started following the runner: a spell counts from there at the earliest (see
    :func:`spell_start`). ``planned_in_spell`` counts the sessions planned after the spell's first day, to today."""
    start = spell_start(last_logged, since)
    days = (today - start).days
    if days < QUIET_DAYS or planned_in_spell == 0:
        return None
    logged = f"since {last_logged:%d %b}" if last_logged and last_logged >= since else "since sharing began"
    return Finding(
        AlertKind.NOTHING_LOGGED,
        f"quiet:{start.isoformat()}",
        start + timedelta(days=QUIET_DAYS),
        f"Nothing logged for {days} days ({logged}), with {planned_in_spell} sessions planned in that time.",
    )


def spell_start(last_logged: date | None, since: date) -> date:
    """The day a quiet spell counts from: the last session logged, or the day sharing began if later."""
    return max(last_logged or since, since)


def measure_findings(screen_id: int, day: date, changes: Sequence[MeasureChange]) -> list[Finding]:
    """Each measure of a new screen worse than the one before by more than its smallest real change."""
    found = []
    for change in changes:
        if change.test not in MORE_IS_BETTER or not change.real or change.change >= 0:
            continue
        side = f", {change.side.value}" if change.side else ""
        found.append(
            Finding(
                AlertKind.MEASURE_WORSE,
                f"screen:{screen_id}:{change.measure}:{change.side.value if change.side else 'both'}",
                day,
                f"{change.measure}{side}: {change.earlier:g} to {change.later:g} {change.unit}, worse by more than "
                f"its smallest real change of {change.smallest_real_change:g} {change.unit} (REFERENCE 2).",
            )
        )
    return found
