"""The sessions a runner did, as the pages, the API and the terminal read them, and the warning sign that
stops the plan.

**Red flag.** A new warning sign reported after a session stops the plan (REFERENCE.md section 6): the
log keeps ``red_flag=True`` and :func:`open_red_flag` finds it until the runner takes the screen again, or a
clinician they share with clears the referral after it (``clinic.clearances``: never a sign reported later).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import (
    DrillEntry,
    MorningCheck,
    ProgressionEvent,
    SessionLog,
)
from hipcoach.core.clearance import Clearance
from hipcoach.core.safety import RedFlag
from hipcoach.core.timeline import SessionItem

RED_FLAG_SIGNS = [
    flag.label
    for flag in (
        RedFlag.GROIN_PAIN_RUNNING,
        RedFlag.PAIN_ON_HOPPING,
        RedFlag.NIGHT_PAIN,
        RedFlag.LIMP,
        RedFlag.PAINFUL_LIMITED_IR,
        RedFlag.FEVER_OR_UNWELL,
    )
]
RED_FLAG_ADVICE = (
    "You reported a new warning sign. Stop training your hips on your own and see a clinician; "
    "groin or front-thigh pain when running, pain on hopping, a limp or night pain means today, and no running. "
    "Once a clinician has cleared you, take the hip screen again to unlock your plan."
)


def logs_of(owner: Runner) -> QuerySet[SessionLog]:
    """The runner's logs, newest first: the one permission rule for logs."""
    entries = DrillEntry.objects.select_related("drill").order_by("order")
    return (
        SessionLog.objects.filter(owner=owner)
        .select_related("morning_check")
        .prefetch_related(Prefetch("drills", queryset=entries))
        .order_by("-finished_at", "-id")
    )


def _latest_red_flag(owner: Runner) -> SessionLog | None:
    """The latest log that reported a new warning sign, unless the runner has taken the screen since."""
    flagged = logs_of(owner).filter(red_flag=True).first()
    if flagged is None:
        return None
    if Screen.objects.filter(owner=owner, taken_at__gt=flagged.finished_at).exists():
        return None
    return flagged


def red_flag_state(owner: Runner) -> tuple[SessionLog | None, Clearance | None]:
    """The latest warning sign reported since the latest screen, open (the log) or cleared by a clinician after it
    (the clearance); (None, None) without one. One query when there is none."""
    from hipcoach.app.clinic.clearances import warning_sign_clearance  # the clinic's models load after training's

    flagged = _latest_red_flag(owner)
    if flagged is None:
        return None, None
    clearance = warning_sign_clearance(owner, flagged.finished_at)
    return (None, clearance) if clearance is not None else (flagged, None)


def open_red_flag(owner: Runner) -> SessionLog | None:
    """The latest log that reported a new warning sign, unless the runner has taken the screen since or a clinician
    cleared the referral after it."""
    return red_flag_state(owner)[0]


def log_data(log: SessionLog, *, with_session: bool = False) -> dict[str, Any]:
    """The log as plain data: what the API returns and ``hipcoach history --json`` prints."""
    try:
        check: dict[str, Any] | None = {"worse": log.morning_check.worse, "answered_at": log.morning_check.answered_at}
    except MorningCheck.DoesNotExist:
        check = None
    events = ProgressionEvent.objects.filter(log=log).order_by("at", "id")
    data: dict[str, Any] = {
        "id": log.pk,
        "client_key": log.client_key,
        "context": log.context,
        "planned_for": log.planned_for,
        "started_at": log.started_at,
        "finished_at": log.finished_at,
        "seconds_done": log.seconds_done,
        "minutes": round(log.seconds_done / 60, 1),
        "pain": log.pain,
        "notes": log.notes,
        "source": log.source,
        "red_flag": log.red_flag,
        "advice": [RED_FLAG_ADVICE] if log.red_flag else [],
        "drills": [
            {
                "drill_id": entry.drill_id,
                "name": entry.drill.name,
                "amount": entry.amount,
                "sets": entry.sets,
                "sides_done": entry.sides_done,
                "rating": entry.rating,
                "pain": entry.pain,
            }
            for entry in log.drills.all()
        ],
        "morning_check": check,
        "changes": [
            {"drill_id": e.drill_id, "action": e.action, "reason": e.reason, "at": e.at, "after": e.after}
            for e in events
        ],
    }
    if with_session:
        data["session"] = log.session
    return data


def prescribed(item: SessionItem) -> tuple[int, int]:
    """The dose a drill's log records: the base side's (the tighter side may get an extra set or more)."""
    base = min(item.doses, key=lambda dose: (dose.sets, dose.amount))
    return base.amount, base.sets
