"""The doses of a session: every chosen drill at its base dose, the bottom of its range in the context or
its progression state, never raised to fill the minutes (REFERENCE 4: 2x10 grows to 3x15 over weeks,
through the log; :func:`~hipcoach.core.planner.problem.build_problem` sets the base doses). Here: a dose
in words, why it is what it is, and the note of a session that ends early."""

from __future__ import annotations

from hipcoach.core.planner.inputs import PRESETS
from hipcoach.core.planner.problem import Candidate, SelectionProblem
from hipcoach.core.timeline import DoseTuple

# A session that ends this many seconds or more before its time says so, and why.
EARLY_NOTE_SECONDS = 60


def dose_text(candidate: Candidate, doses: DoseTuple) -> str:
    unit = candidate.dose_range.unit

    def amount(value: int) -> str:
        return {"reps": f"{value} reps", "hold_seconds": f"hold {value} s", "duration_seconds": f"{value} s"}[unit]

    def sets(value: int) -> str:
        return f" x {value} sets" if value > 1 else ""

    if len(doses) == 1:
        _, value, count = doses[0]
        return f"{amount(value)}{sets(count)}"
    (_, left_amount, left_sets), (_, right_amount, right_sets) = doses
    if (left_amount, left_sets) == (right_amount, right_sets):
        return f"{amount(left_amount)} per side{sets(left_sets)}"
    return f"left {amount(left_amount)}{sets(left_sets)}; right {amount(right_amount)}{sets(right_sets)}"


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def dose_reason(candidate: Candidate) -> str:
    """Why the dose is what it is: the bottom of its range, which only the progression log raises."""
    limits = candidate.dose_range
    suffix = "" if limits.unit == "reps" else " s"
    start = f"{limits.sets_low} x {limits.low}{suffix}"
    if (limits.low, limits.sets_low) == (limits.high, limits.sets_high):
        return f"{start}: this drill's dose here."
    whole = f"{_span(limits.sets_low, limits.sets_high)} x {_span(limits.low, limits.high)}{suffix}"
    return f"{start}, the bottom of {whole}: the log's progression raises it (REFERENCE 4)."


def emphasis_reason(candidate: Candidate) -> str:
    """The extra work on the side the screen found really tighter, and the screen's evidence."""
    if candidate.bonus == "set":
        what = "Extra set"
    else:
        what = {"hold_seconds": "Longer hold", "reps": "More reps"}.get(candidate.dose_range.unit, "More time")
    side = candidate.tighter.value if candidate.tighter is not None else ""
    return f"{what} on the {side}: {candidate.emphasis}."


def early_note(problem: SelectionProblem, total_seconds: int) -> list[str]:
    """A session that ends a minute or more before its time says why: doses are never raised to fill it."""
    spare = problem.budget - total_seconds
    if spare < EARLY_NOTE_SECONDS:
        return []
    minutes = max(1, round(spare / 60))
    what = (
        "the series is complete at its starting doses"
        if problem.context in PRESETS
        else "every drill that helps fits at its starting dose"
    )
    return [f"Ends about {minutes} min early: {what}; doses rise only through progression (REFERENCE 4)."]
