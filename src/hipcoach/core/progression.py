"""Progression: from a drill's log to its next dose or drill, with the reason kept.

Pure functions over plain data, no database. The state of one drill is a :class:`DoseState` (which
drill of its chain, how much, how many sets, whether it is flagged); each session the runner logs a
:class:`DrillLog` per drill. :func:`next_prescription` reads the drill's logs since its state last
changed and decides, in this order:

1. a red flag in any log stops the plan (REFERENCE.md section 6): :attr:`Action.STOP`;
2. pain above 5/10 on a *lead-in*, a drill before this one in its chain, steps the chain back below the
   dose of the lead-in that hurt, and flags it (REFERENCE.md section 5; see :func:`_step_back_below_lead_in`);
3. pain above 5/10, or pain worse the next morning, in any log of the drill, whatever dose it records (or
   worse the next morning after a session that led in to it), steps back one level and flags the drill
   (REFERENCE.md section 5, Silbernagel 2007): first a lower dose within the drill's range, and when the
   dose is already the lowest, the previous drill of the chain at its full dose (at the lowest dose of a
   chain's first drill, the drill stays, flagged);
4. the latest session of the drill rated hard, whatever its dose, keeps the dose;
5. three sessions in a row rated easy with pain 0-2 and both sides done, at the stored dose or more,
   raise the dose: more per set (reps +2, holds +5 s, rolling +10 s) up to the top of the range, then one
   more set (starting again from the bottom of the amount range), then the drill's ``progresses_to``;
6. otherwise the dose stays.

A strength session works up a chain from its start (the planner's lead-in): a runner whose place in the
glute chain is the clamshell does the bridge first. Only the pain on a lead-in is read (rule 2, and a worse
morning in rule 3): an easy lead-in earns nothing, since the runner's place is already above it. Drills past
the runner's place (a session planned before the chain stepped back) are passed over.

The dose a runner is given, and logs, is often not the stored one: the planner adapts it to the session
(one set before a run, 2-3 sets in a strength session, holds of 30-60 s from 65). So the pain rule reads
every log of the drill, and only the count of easy sessions looks at the dose (see :func:`_easy_streak`).

The caller passes the drill's logs *since its state last changed*, oldest first: the web keeps one event
per change and reads the logs after it, and :func:`replay` starts a new window after every change. A log
that caused a change is then never acted on twice (a painful log steps back once, and once acted on,
later easy sessions earn a raise again). Every change appends its reason to ``DoseState.reasons``, so the
history is kept and can be shown.

The planner takes these states (``compose_session(..., dose_states=...)``): a drill with a state is
done at the state's dose, and a drill the runner progressed to is used even above their general level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import Field

from hipcoach.core._model import Frozen
from hipcoach.core.catalogue import Catalogue, Drill, default_catalogue
from hipcoach.core.safety import PAIN_STOP_ABOVE
from hipcoach.core.vocabulary import Side, Sides

# REFERENCE.md section 5: pain 0-2 of 10 is safe; 3-5 acceptable; above 5 stop (PAIN_STOP_ABOVE, safety).
PAIN_SAFE_MAX = 2
# The pain rule in one line, as the drill pages and the printed handout word it.
PAIN_RULE = (
    f"Stop if pain goes above {PAIN_STOP_ABOVE} out of 10 (the pain-monitoring model: 0-{PAIN_SAFE_MAX} is safe, "
    f"{PAIN_SAFE_MAX + 1}-{PAIN_STOP_ABOVE} acceptable)."
)
# Sessions in a row rated easy with safe pain before the dose goes up (a gradual progression, REFERENCE 4).
EASY_SESSIONS_TO_RAISE = 3
# How much one raise adds per set: two repetitions, five seconds of hold, ten seconds of rolling.
RAISE_STEP: dict[str, int] = {"reps": 2, "hold_seconds": 5, "duration_seconds": 10}


class Rating(StrEnum):
    EASY = "easy"
    OK = "ok"
    HARD = "hard"


class Action(StrEnum):
    KEEP = "keep"
    RAISE_DOSE = "raise-dose"
    PROGRESS = "progress"
    STEP_BACK_DOSE = "step-back-dose"
    STEP_BACK_DRILL = "step-back-drill"
    STOP = "stop"


class DrillLog(Frozen):
    """What the runner reported for one drill in one session."""

    drill_id: str
    amount: int = Field(ge=1, description="The amount prescribed per set (reps or seconds), per side.")
    sets: int = Field(ge=1, description="The sets prescribed.")
    sides_done: list[Side] = Field(
        default_factory=list, description="Sides completed: left and right, or both for a two-legged drill."
    )
    rating: Rating
    pain: int = Field(ge=0, le=10, description="Pain during the drill, 0-10.")
    next_morning_worse: bool = Field(default=False, description="Pain or stiffness worse the next morning.")
    red_flag: bool = Field(default=False, description="A new red flag was reported (REFERENCE.md section 6).")


class DoseState(Frozen):
    """Where a runner stands with one drill: its dose, whether it is flagged, and why it changed."""

    drill_id: str
    amount: int = Field(ge=1)
    sets: int = Field(ge=1)
    flagged: bool = False
    reasons: list[str] = Field(default_factory=list, description="The reason for every change, oldest first.")


class Decision(Frozen):
    """The next prescription: what changed, the new state (none when the plan stops) and why."""

    action: Action
    new_state: DoseState | None
    reason: str
    flagged: bool = False


def initial_state(drill: Drill) -> DoseState:
    """The starting prescription of a drill: the bottom of its amount and sets ranges."""
    return DoseState(drill_id=drill.id, amount=drill.dose.amount.min, sets=drill.dose.sets.min)


def next_prescription(
    drill: Drill,
    state: DoseState | None,
    logs: Sequence[DrillLog],
    catalogue: Catalogue | None = None,
) -> Decision:
    """Decide the next dose of ``drill`` from its logs since ``state`` last changed (oldest first).

    See the module docstring. The logs of the drills before it in its chain (a strength session's lead-in)
    are read for pain only; logs of other drills are passed over, except that a red flag in any of them
    stops the plan.
    """
    catalogue = default_catalogue() if catalogue is None else catalogue
    state = initial_state(drill) if state is None else state
    if state.drill_id != drill.id:
        raise ValueError(f"state: the state is for '{state.drill_id}', not for '{drill.id}'")
    flags = [log for log in logs if log.red_flag]
    if flags:
        return Decision(
            action=Action.STOP,
            new_state=None,
            reason="A new red flag was reported: stop the plan and see a clinician.",
            flagged=True,
        )
    # REFERENCE.md section 5 judges the pain of the session, not the dose the session was planned at:
    # every log of the drill since the last change counts here, whatever amount and sets it records.
    current = [log for log in logs if log.drill_id == drill.id]
    lead_in = [earlier.id for earlier in _before_in_chain(drill, catalogue)]
    hurt = [log for log in logs if log.drill_id in lead_in and log.pain > PAIN_STOP_ABOVE]
    if hurt:
        return _step_back_below_lead_in(drill, state, hurt, lead_in, catalogue)
    painful = [log for log in current if log.pain > PAIN_STOP_ABOVE]
    # The next morning judges the whole session: worse after one that led in to this drill is worse for it.
    worse = [log for log in logs if log.next_morning_worse and (log.drill_id == drill.id or log.drill_id in lead_in)]
    if painful or worse:
        if painful:
            why = (
                f"pain {max(log.pain for log in painful)}/10 is above {PAIN_STOP_ABOVE}/10, "
                "where training stops (pain-monitoring model, Silbernagel 2007)"
            )
        else:
            why = (
                "pain or stiffness was worse the next morning: reduce the load "
                "(pain-monitoring model, Silbernagel 2007)"
            )
        return _step_back(drill, state, why, catalogue)
    if current and current[-1].rating is Rating.HARD:
        return Decision(
            action=Action.KEEP,
            new_state=state,
            reason=f"{drill.name}: rated hard, so the dose stays at {_dose_words(drill, state)}.",
            flagged=state.flagged,
        )
    streak = _easy_streak(drill, state, current)
    if streak >= EASY_SESSIONS_TO_RAISE:
        return _raise(drill, state, catalogue)
    return Decision(
        action=Action.KEEP,
        new_state=state,
        reason=(
            f"{drill.name}: {streak} of {EASY_SESSIONS_TO_RAISE} sessions in a row rated easy with pain "
            f"0-{PAIN_SAFE_MAX} at this dose or more; the dose stays at {_dose_words(drill, state)}."
        ),
        flagged=state.flagged,
    )


def replay(
    drill_id: str,
    logs: Sequence[DrillLog],
    catalogue: Catalogue | None = None,
    state: DoseState | None = None,
) -> tuple[DoseState | None, list[Decision]]:
    """Apply :func:`next_prescription` after each log in turn, following the drill through its chain.

    Each decision reads the logs since the state last changed, as the web does: once a log has been acted
    on (a raise, a step back, or the flag at the lowest dose of a chain's start), it no longer counts.
    Returns the final state (``None`` once a red flag stopped the plan) and every decision made.
    """
    catalogue = default_catalogue() if catalogue is None else catalogue
    current = state if state is not None else initial_state(catalogue.get(drill_id))
    decisions: list[Decision] = []
    since = 0
    for count in range(1, len(logs) + 1):
        decision = next_prescription(catalogue.get(current.drill_id), current, logs[since:count], catalogue)
        decisions.append(decision)
        if decision.new_state is None:
            return None, decisions
        if decision.new_state != current:
            # Every change appends a reason, so a flagged keep at the floor is a change too.
            since = count
        current = decision.new_state
    return current, decisions


def already_stepped_back(drill: Drill, state: DoseState) -> Decision:
    """Worse the next morning after a session that already stepped this drill's chain back: once is enough.

    REFERENCE.md section 5 reduces the load after a session whose pain, or next morning, was too much: one
    reduction for the session, as one log with both pain above 5/10 and a worse morning steps back once in
    :func:`next_prescription`. The reduced load has not been tried yet; the next session's pain and
    morning judge it. The drill stays flagged, and the reason is kept so the runner sees why nothing moved.
    """
    reason = (
        f"{drill.name}: pain or stiffness was worse the next morning (pain-monitoring model, Silbernagel 2007); "
        f"the load already came down after that session, so it stays at {_dose_words(drill, state)}, flagged, "
        "rather than stepping back twice for one session."
    )
    return Decision(action=Action.KEEP, new_state=_changed(state, reason, flagged=True), reason=reason, flagged=True)


def states_by_drill(states: Sequence[DoseState]) -> Mapping[str, DoseState]:
    """Index states by drill id, the form ``compose_session(dose_states=...)`` takes."""
    return {state.drill_id: state for state in states}


def _easy_streak(drill: Drill, state: DoseState, logs: Sequence[DrillLog]) -> int:
    """The drill's latest sessions in a row rated easy with safe pain and every side done, at the stored dose
    or more, latest first.

    What counts as "this dose" when the planner adapts the stored one to the session: a raise is earned
    only by doing at least the stored amount and sets easily (REFERENCE.md section 4 progresses strength
    gradually, 2x10 to 3x15 over weeks). A strength session's 2-3 sets or an older runner's 30-60 s hold
    above the stored dose shows the stored dose is easy; a warm-up's single set or a hold capped at 30 s
    below it shows nothing about it, so an easy one is passed over: it neither counts nor ends the run,
    and a runner who warms up with one set between strength sessions still progresses. Crediting every log
    whatever its dose would raise a dose the runner has never done. Any session not easy and pain-free
    ends the run whatever its dose: if less was not easy, the stored dose is not either. (Pain above
    5/10 and a worse morning were already acted on, on every log: REFERENCE.md section 5.)
    """
    streak = 0
    for log in reversed(logs):
        if log.rating is not Rating.EASY or log.pain > PAIN_SAFE_MAX or not _all_sides_done(drill, log):
            break
        if log.amount >= state.amount and log.sets >= state.sets:
            streak += 1
    return streak


def _all_sides_done(drill: Drill, log: DrillLog) -> bool:
    done = set(log.sides_done)
    if Side.BOTH in done:
        return True
    if drill.sides is Sides.BOTH:
        return bool(done)
    return {Side.LEFT, Side.RIGHT} <= done


def _dose_words(drill: Drill, state: DoseState) -> str:
    unit = {"reps": "reps", "hold_seconds": "s hold", "duration_seconds": "s"}[drill.dose.unit]
    per_side = " per side" if drill.one_sided else ""
    sets = f" x {state.sets} sets" if state.sets > 1 else ""
    return f"{state.amount} {unit}{per_side}{sets}"


def _changed(state: DoseState, reason: str, **update: object) -> DoseState:
    return state.model_copy(update={**update, "reasons": [*state.reasons, reason]})


def _raise(drill: Drill, state: DoseState, catalogue: Catalogue) -> Decision:
    amount, sets = drill.dose.amount, drill.dose.sets
    easy = f"{EASY_SESSIONS_TO_RAISE} sessions in a row rated easy with pain 0-{PAIN_SAFE_MAX}"
    if state.amount < amount.max:
        new_amount = min(amount.max, state.amount + RAISE_STEP[drill.dose.unit])
        raised = state.model_copy(update={"amount": new_amount})
        reason = f"{drill.name}: {easy}; dose raised to {_dose_words(drill, raised)}."
        return Decision(
            action=Action.RAISE_DOSE, new_state=_changed(state, reason, amount=new_amount, flagged=False), reason=reason
        )
    if state.sets < sets.max:
        # One more set, starting again from the bottom of the amount range (2x15 -> 3x10): the volume
        # grows gently, as REFERENCE 4 progresses strength work from 2x10 to 3x15 over weeks.
        raised = state.model_copy(update={"amount": amount.min, "sets": state.sets + 1})
        reason = f"{drill.name}: {easy}; one more set: {_dose_words(drill, raised)}."
        return Decision(
            action=Action.RAISE_DOSE,
            new_state=_changed(state, reason, amount=amount.min, sets=state.sets + 1, flagged=False),
            reason=reason,
        )
    if drill.progresses_to is not None and drill.progresses_to in catalogue:
        harder = catalogue.get(drill.progresses_to)
        start = initial_state(harder)
        reason = (
            f"{drill.name}: {easy} at the top of its range; moving on to {harder.name} at {_dose_words(harder, start)}."
        )
        return Decision(
            action=Action.PROGRESS,
            new_state=start.model_copy(update={"reasons": [*state.reasons, reason]}),
            reason=reason,
        )
    reason = f"{drill.name}: {easy}, at the top of its range and the end of its chain; the dose stays."
    return Decision(action=Action.KEEP, new_state=state, reason=reason, flagged=state.flagged)


def _previous(drill: Drill, catalogue: Catalogue) -> Drill | None:
    """The drill before ``drill`` in its chain (the one that progresses to it), if any."""
    return next((d for d in catalogue if d.progresses_to == drill.id), None)


def _before_in_chain(drill: Drill, catalogue: Catalogue) -> list[Drill]:
    """The drills before ``drill`` in its chain, easiest first: what a strength session leads in with."""
    before: list[Drill] = []
    previous = _previous(drill, catalogue)
    while previous is not None and previous.id != drill.id and previous not in before:
        before.insert(0, previous)
        previous = _previous(previous, catalogue)
    return before


def _lower_dose(drill: Drill, state: DoseState) -> DoseState | None:
    """One dose lower within the drill's range: less per set, then one set fewer; none at the lowest."""
    amount, sets = drill.dose.amount, drill.dose.sets
    if state.amount > amount.min:
        return state.model_copy(update={"amount": max(amount.min, state.amount - RAISE_STEP[drill.dose.unit])})
    if state.sets > sets.min:
        return state.model_copy(update={"sets": state.sets - 1})
    return None


def _step_back_below_lead_in(
    drill: Drill, state: DoseState, hurt: Sequence[DrillLog], lead_in: Sequence[str], catalogue: Catalogue
) -> Decision:
    """Pain above 5/10 on a lead-in: the chain goes one level below the dose of the lead-in that hurt.

    A runner whose place is above a drill that hurts stands above a load they cannot take, so the load
    comes down below that drill (REFERENCE.md section 5, "above 5 stop ... reduce the load"), not one step
    from their place, which would leave them on a harder drill than the one that hurt. One level below the
    dose that hurt, by the same ladder as a drill's own pain (a lower dose, then the previous drill at its
    full dose), is the least that puts every load known to hurt above the runner, and keeps one rule for
    "how much is one step back". At the lowest dose of the chain's first drill there is nowhere lower: the
    chain goes to it, flagged, as a drill's own pain does there. When several lead-ins hurt, the easiest
    drill (then the lowest dose) decides.

    The lead-in's dose is the one the planner gave (often the top of its range), kept within the drill's
    range so that the step back is a dose the drill has. ``lead_in`` is the chain before ``drill``, easiest
    first.
    """
    order = {drill_id: position for position, drill_id in enumerate(lead_in)}

    def level(log: DrillLog) -> tuple[int, int, int]:
        dose = catalogue.get(log.drill_id).dose
        return (
            order[log.drill_id],
            _within(log.sets, dose.sets.min, dose.sets.max),
            _within(log.amount, dose.amount.min, dose.amount.max),
        )

    worst = min(hurt, key=level)
    painful = catalogue.get(worst.drill_id)
    _, sets, amount = level(worst)
    there = DoseState(drill_id=painful.id, amount=amount, sets=sets, flagged=True, reasons=state.reasons)
    done = DoseState(drill_id=painful.id, amount=worst.amount, sets=worst.sets)
    why = (
        f"{painful.name}, done as a lead-in before {drill.name}: pain {worst.pain}/10 is above "
        f"{PAIN_STOP_ABOVE}/10, where training stops (pain-monitoring model, Silbernagel 2007). "
        f"{drill.name}, harder than a drill that hurt, is too much for now: back"
    )
    lower = _lower_dose(painful, there)
    previous = _previous(painful, catalogue)
    if lower is not None:
        back = lower
        where = (
            f"to {painful.name} at {_dose_words(painful, back)}, "
            f"below the {_dose_words(painful, done)} that hurt, flagged."
        )
    elif previous is not None:
        back = DoseState(
            drill_id=previous.id, amount=previous.dose.amount.max, sets=previous.dose.sets.max, reasons=state.reasons
        )
        where = f"to {previous.name}, the drill before {painful.name}, at {_dose_words(previous, back)}, flagged."
    else:
        back = there
        where = (
            f"to {painful.name} at its lowest dose, {_dose_words(painful, back)}, the start of its chain, flagged. "
            "If the pain does not settle, see a clinician."
        )
    reason = f"{why} {where}"
    return Decision(
        action=Action.STEP_BACK_DRILL,
        new_state=back.model_copy(update={"flagged": True, "reasons": [*state.reasons, reason]}),
        reason=reason,
        flagged=True,
    )


def _within(value: int, low: int, high: int) -> int:
    return min(max(value, low), high)


def _step_back(drill: Drill, state: DoseState, why: str, catalogue: Catalogue) -> Decision:
    lower = _lower_dose(drill, state)
    if lower is not None:
        reason = f"{drill.name}: {why}; dose lowered to {_dose_words(drill, lower)} and the drill flagged."
        return Decision(
            action=Action.STEP_BACK_DOSE,
            new_state=_changed(state, reason, amount=lower.amount, sets=lower.sets, flagged=True),
            reason=reason,
            flagged=True,
        )
    previous = _previous(drill, catalogue)
    if previous is not None:
        back = DoseState(drill_id=previous.id, amount=previous.dose.amount.max, sets=previous.dose.sets.max)
        reason = (
            f"{drill.name}: {why}; back to the previous drill of the chain, {previous.name}, "
            f"at {_dose_words(previous, back)}, and flagged."
        )
        return Decision(
            action=Action.STEP_BACK_DRILL,
            new_state=back.model_copy(update={"flagged": True, "reasons": [*state.reasons, reason]}),
            reason=reason,
            flagged=True,
        )
    reason = (
        f"{drill.name}: {why}; already at its lowest dose and the start of its chain, so it stays there, "
        "flagged. If the pain does not settle, see a clinician."
    )
    return Decision(
        action=Action.KEEP,
        new_state=_changed(state, reason, flagged=True),
        reason=reason,
        flagged=True,
    )
