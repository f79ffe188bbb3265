"""Each drill's progression, moved on by the sessions logged (REFERENCE.md section 5).

**Progression.** After each new log, for every progression chain the session touched, the runner's
:class:`~hipcoach.app.training.models.ProgressionState` of that chain (named by its first drill) goes
through the core's :func:`~hipcoach.core.progression.next_prescription` with the logs since the chain
last changed of its current drill and of the drills before it (a strength session's lead-in, read for pain
only: pain above 5/10 on one steps the chain back below it); every change (and every stop) is kept as a
:class:`~hipcoach.app.training.models.ProgressionEvent` with its reason. A session steps a chain back at
most once: its morning check does not step back again a chain the session's own pain already stepped back.

**Concurrency.** Each save and each morning answer first locks the runner (:func:`lock_runner`), then the
chains its drills touch. Two devices saving at once then take their turns: without it, two sessions with
the same drills in opposite order locked the chains in opposite order and PostgreSQL ended one in a
deadlock, losing its log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.prescription import locked_drills
from hipcoach.app.training.models import (
    DrillEntry,
    MorningCheck,
    ProgressionEvent,
    ProgressionState,
    SessionLog,
)
from hipcoach.core import clock
from hipcoach.core.catalogue import Catalogue, default_catalogue
from hipcoach.core.progression import (
    Action,
    Decision,
    DoseState,
    DrillLog,
    next_prescription,
)


@dataclass
class Chain:
    start: str
    ids: list[str]
    entries: list[DrillEntry]


def chains_of(entries: Iterable[DrillEntry], catalogue: Catalogue) -> list[Chain]:
    chains: dict[str, Chain] = {}
    for entry in entries:
        if entry.drill_id not in catalogue:
            continue  # a drill that left the catalogue keeps its log but has no progression
        ids = [drill.id for drill in catalogue.progression_chain(entry.drill_id)]
        chains.setdefault(ids[0], Chain(ids[0], ids, [])).entries.append(entry)
    return list(chains.values())


def locked_state(owner: Runner, chain: Chain) -> ProgressionState | None:
    return ProgressionState.objects.select_for_update().filter(owner=owner, chain_start=chain.start).first()


def furthest_entry(chain: Chain) -> DrillEntry:
    """The session's furthest drill of the chain: the runner's place in it when they have no state yet."""
    return max(chain.entries, key=lambda entry: chain.ids.index(entry.drill_id))


def place_in_chain(chain: Chain, state: DoseState | None) -> DoseState:
    """Where the runner stands in the chain: their state, or else the furthest drill done, as it was done."""
    if state is not None:
        return state
    furthest = furthest_entry(chain)
    return DoseState(drill_id=furthest.drill_id, amount=furthest.amount, sets=furthest.sets)


def read_chain(chain: Chain, place: DoseState) -> list[str]:
    """The drills whose logs the core reads for the chain: the runner's drill and the ones before it.

    The ones before it are a strength session's lead-in up the chain (or a preset that walks it): their
    pain counts, REFERENCE.md section 5. The ones after it come from a session planned before the chain
    stepped back, and are passed over.
    """
    return chain.ids[: chain.ids.index(place.drill_id) + 1]


def morning_worse(log: SessionLog) -> bool:
    try:
        return log.morning_check.worse
    except MorningCheck.DoesNotExist:
        return False


def chain_history(owner: Runner, drill_ids: Sequence[str], chain: Chain) -> list[DrillLog]:
    """The logs of these drills (the chain's current one and its lead-ins) since the chain last changed,
    oldest first, with the next morning's answer.

    Logs from before the last change are left out, so that a dose stepped back to one the runner did
    weeks ago starts its count of easy sessions again, and a lead-in that hurt steps the chain back once.
    """
    entries = DrillEntry.objects.filter(log__owner=owner, drill_id__in=drill_ids).select_related("log__morning_check")
    changes = ProgressionEvent.objects.filter(owner=owner, drill_id__in=chain.ids).exclude(action=Action.STOP.value)
    last = changes.order_by("-at", "-id").first()
    if last is not None:
        # After the newest log a change acted on, not the latest change's log: a morning check acts on an
        # earlier session once later ones are saved, and the core reads the pain of every log it is given,
        # so a log already acted on must not be given again.
        acted_on = changes.aggregate(newest=Max("log_id"))["newest"] if last.log_id else None
        entries = entries.filter(log_id__gt=acted_on) if acted_on else entries.filter(log__finished_at__gt=last.at)
    ordered = entries.order_by("log_id", "order")
    return [entry.to_core(next_morning_worse=morning_worse(entry.log)) for entry in ordered]


def record_decision(
    owner: Runner,
    log: SessionLog,
    *,
    row: ProgressionState | None,
    chain: Chain,
    before: DoseState,
    decision: Decision,
    at: datetime | None = None,
) -> ProgressionEvent | None:
    """Store the decision's state and, when something changed or stopped, an event with its reason.

    A stop (red flag) leaves the state as it was, for when a clinician has cleared the runner.
    """
    after = decision.new_state
    if after is not None and (row is None or after != before):
        if row is None:
            row, _ = ProgressionState.objects.get_or_create(
                owner=owner, chain_start=chain.start, defaults={"state": ProgressionState.state_from_core(after)}
            )
        row.state = ProgressionState.state_from_core(after)
        row.save()
    if decision.action is Action.KEEP and after == before:
        return None
    return ProgressionEvent.objects.create(
        owner=owner,
        log=log,
        at=at or clock.now(),
        drill_id=before.drill_id,
        action=decision.action.value,
        reason=decision.reason,
        before=ProgressionState.state_from_core(before),
        after=ProgressionState.state_from_core(after) if after is not None else None,
    )


def progress_after_log(owner: Runner, log: SessionLog) -> list[ProgressionEvent]:
    """Run the core's progression for every chain the log touched; called inside the log's transaction."""
    catalogue = default_catalogue()
    events: list[ProgressionEvent] = []
    locked = locked_drills(owner)
    for chain in chains_of(log.drills.all(), catalogue):
        row = locked_state(owner, chain)
        before = place_in_chain(chain, row.to_core() if row is not None else None)
        if before.drill_id not in chain.ids:
            continue  # a state of a drill that left the catalogue: nothing to move on from
        if before.drill_id in locked and not log.red_flag:
            continue  # the clinician locked this dose: the log does not move it (a warning sign still stops)
        read = read_chain(chain, before)
        done = [entry for entry in chain.entries if entry.drill_id in read]
        if not done:
            continue  # only drills past the runner's place: a session planned before the chain stepped back
        logs = chain_history(owner, read, chain)
        if log.red_flag:
            logs = [*logs, done[-1].to_core().model_copy(update={"red_flag": True})]
        decision = next_prescription(catalogue.get(before.drill_id), before, logs, catalogue)
        event = record_decision(owner, log, row=row, chain=chain, before=before, decision=decision)
        if event is not None:
            events.append(event)
    return events
