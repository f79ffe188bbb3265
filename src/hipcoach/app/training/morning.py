"""The morning check: is pain or stiffness worse the morning after a session? Worse steps its drills back
(REFERENCE.md section 5), once per session.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.events import morning_answered, tell
from hipcoach.app.training.history import logs_of
from hipcoach.app.training.log import lock_runner
from hipcoach.app.training.models import (
    MorningCheck,
    ProgressionEvent,
    SessionLog,
)
from hipcoach.app.training.progression import (
    Chain,
    chains_of,
    furthest_entry,
    locked_state,
    place_in_chain,
    record_decision,
)
from hipcoach.core import clock
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.progression import (
    Action,
    DrillLog,
    Rating,
    already_stepped_back,
    next_prescription,
)

# The morning check opens at 04:00 local time on the day after the session and closes at the end of that day
# (REFERENCE.md section 5: pain and stiffness must settle by the next morning).
MORNING_OPENS = time(4, 0)


class MorningCheckError(Exception):
    """The morning check cannot be answered now (too early, too late, or answered otherwise already)."""


def morning_window(log: SessionLog) -> tuple[datetime, datetime]:
    """When the morning check of a log can be answered: from 04:00 the day after until that day ends."""
    day = timezone.localtime(log.finished_at).date() + timedelta(days=1)
    zone = timezone.get_current_timezone()
    opens = datetime.combine(day, MORNING_OPENS, tzinfo=zone)
    closes = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
    return opens, closes


def morning_checks_due(owner: Runner, now: datetime | None = None) -> list[SessionLog]:
    """The runner's logs whose morning check is open now and not yet answered (yesterday's sessions)."""
    now = now or clock.now()
    yesterday = timezone.localtime(now).date() - timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(yesterday, time(0, 0), tzinfo=zone)
    candidates = logs_of(owner).filter(finished_at__gte=start, finished_at__lt=start + timedelta(days=1))
    return [log for log in candidates.filter(morning_check__isnull=True) if morning_window(log)[0] <= now]


def answer_morning(owner: Runner, log_id: int, worse: bool, now: datetime | None = None) -> tuple[SessionLog, bool]:
    """Record the next morning's answer; "worse" steps each chain of the session back one level and flags it.

    Answering again the same way changes nothing (``created`` is False). Raises ``SessionLog.DoesNotExist``
    for a log that is not the runner's and :class:`MorningCheckError` outside the window or for a
    different second answer.
    """
    log = logs_of(owner).get(pk=log_id)
    earlier = MorningCheck.objects.filter(log=log).first()
    if earlier is not None:
        return _same_answer(log, earlier, worse), False
    now = now or clock.now()
    opens, closes = morning_window(log)
    if now < opens:
        raise MorningCheckError(
            f"The morning check for this session opens at {timezone.localtime(opens):%H:%M on %A %d %B}: "
            "pain and stiffness are judged the next morning."
        )
    if now >= closes:
        raise MorningCheckError(
            f"The morning check for this session closed at the end of {timezone.localtime(opens):%A %d %B}."
        )
    try:
        with transaction.atomic():
            lock_runner(owner)
            MorningCheck.objects.create(log=log, worse=worse, answered_at=now)
            if worse:
                _step_back_after_morning(owner, log, now)
    except IntegrityError:
        earlier = MorningCheck.objects.filter(log=log).first()
        if earlier is None:
            raise
        return _same_answer(log, earlier, worse), False
    tell(morning_answered, log=log)
    return log, True


def _same_answer(log: SessionLog, earlier: MorningCheck, worse: bool) -> SessionLog:
    if earlier.worse != worse:
        said = "worse" if earlier.worse else "not worse"
        raise MorningCheckError(f"The morning check for this session was already answered: {said}.")
    return log


# What a session did to a chain when its own pain brought the load down (a flagged keep is the step back
# at the lowest dose of a chain's start).
_STEPPED_BACK = (Action.STEP_BACK_DOSE.value, Action.STEP_BACK_DRILL.value, Action.KEEP.value)


def _stepped_back_by(owner: Runner, log: SessionLog, chain: Chain) -> bool:
    """Whether saving ``log`` already stepped the chain back (pain above 5/10 on a drill of it)."""
    events = ProgressionEvent.objects.filter(owner=owner, log=log, drill_id__in=chain.ids, action__in=_STEPPED_BACK)
    return bool(events.exists())


def _step_back_after_morning(owner: Runner, log: SessionLog, now: datetime) -> None:
    """REFERENCE.md section 5: worse the next morning, reduce the load: each chain the session touched
    steps back one level from where it stands now (the session may already have raised it).

    A chain the session's own pain already stepped back (on its drill or on a lead-in) is not stepped back
    again: one session reduces the load once, as in the core, where one log with pain above 5/10 and a
    worse morning steps back once; the morning's answer is kept as a reason.
    """
    catalogue = default_catalogue()
    for chain in chains_of(log.drills.all(), catalogue):
        row = locked_state(owner, chain)
        furthest = furthest_entry(chain)
        before = place_in_chain(chain, row.to_core() if row is not None else None)
        if _stepped_back_by(owner, log, chain):
            once = already_stepped_back(catalogue.get(before.drill_id), before)
            record_decision(owner, log, row=row, chain=chain, before=before, decision=once, at=now)
            continue
        entry = next((e for e in chain.entries if e.drill_id == before.drill_id), furthest)
        worse = DrillLog(
            drill_id=before.drill_id,
            amount=before.amount,
            sets=before.sets,
            sides_done=entry.sides_done,
            rating=Rating(entry.rating),
            pain=entry.pain,
            next_morning_worse=True,
        )
        decision = next_prescription(catalogue.get(before.drill_id), before, [worse], catalogue)
        record_decision(owner, log, row=row, chain=chain, before=before, decision=decision, at=now)
