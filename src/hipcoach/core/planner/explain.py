"""What a session says in words: each dose, why each drill is there, and the session's notes (the rules
applied, what is not covered and what was left out)."""

from __future__ import annotations

from collections.abc import Sequence

from hipcoach.core.planner.eligibility import Eligibility
from hipcoach.core.planner.inputs import PRESETS
from hipcoach.core.planner.problem import Candidate, SelectionProblem
from hipcoach.core.planner.rules import GLUTE_AFTER_RELEASE, MUST_HAVE_OF, ContextRules
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import DoseTuple
from hipcoach.core.vocabulary import Restriction

# A session that ends this many seconds or more before its time says so, and why.
EARLY_NOTE_SECONDS = 60


def _dose_text(candidate: Candidate, doses: DoseTuple) -> str:
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


def _restriction_words(profile: Profile, restriction: Restriction) -> str:
    parts = [
        f"{finding.side.value}, severity {finding.severity}"
        for finding in profile.restrictions
        if finding.id is restriction
    ]
    return f"{restriction.value} ({'; '.join(parts)})"


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def _dose_reason(candidate: Candidate) -> str:
    """Why the dose is what it is: the bottom of its range, which only the progression log raises."""
    limits = candidate.dose_range
    suffix = "" if limits.unit == "reps" else " s"
    start = f"{limits.sets_low} x {limits.low}{suffix}"
    if (limits.low, limits.sets_low) == (limits.high, limits.sets_high):
        return f"{start}: this drill's dose here."
    whole = f"{_span(limits.sets_low, limits.sets_high)} x {_span(limits.low, limits.high)}{suffix}"
    return f"{start}, the bottom of {whole}: the log's progression raises it (REFERENCE 4)."


def _emphasis_reason(candidate: Candidate) -> str:
    """The extra work on the side the screen found really tighter, and the screen's evidence."""
    if candidate.bonus == "set":
        what = "Extra set"
    else:
        what = {"hold_seconds": "Longer hold", "reps": "More reps"}.get(candidate.dose_range.unit, "More time")
    side = candidate.tighter.value if candidate.tighter is not None else ""
    return f"{what} on the {side}: {candidate.emphasis}."


def _why(
    profile: Profile,
    problem: SelectionProblem,
    rules: ContextRules,
    index: int,
    *,
    state: DoseState | None,
    selection: Sequence[int],
) -> list[str]:
    candidate = problem.candidates[index]
    reasons: list[str] = []
    for restriction_index in candidate.covers:
        reasons.append(f"Works on {_restriction_words(profile, problem.restrictions[restriction_index])}.")
    for group, restriction in zip(problem.required, problem.required_for, strict=True):
        if index in group:
            reasons.append(f"Must-have for {restriction.value}: {MUST_HAVE_OF[restriction].source}.")
    if index in problem.activation and not set(selection).isdisjoint(problem.release):
        reasons.append(GLUTE_AFTER_RELEASE)
    if candidate.bonus and candidate.tighter is not None:
        reasons.append(_emphasis_reason(candidate))
    reasons.append(rules.slots[candidate.slot].rule)
    if candidate.chain_top:
        reasons.append("The hardest drill of the glute chain at your level.")
    if state is not None:
        reasons.append(
            "Dose from your progression log." + (" Flagged: it was stepped back after pain." if state.flagged else "")
        )
        if state.reasons:
            reasons.append(f"Last change: {state.reasons[-1]}")
    else:
        reasons.append(_dose_reason(candidate))
    reasons.extend(candidate.dose_range.notes)
    return reasons


def _early_note(problem: SelectionProblem, total_seconds: int) -> list[str]:
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


def _notes(
    profile: Profile,
    problem: SelectionProblem,
    found: Eligibility,
    rules: ContextRules,
    selection: Sequence[int],
) -> list[str]:
    notes = [rules.summary]
    chosen = {problem.candidates[index].drill.id for index in selection}
    covered = {r for index in selection for r in problem.candidates[index].covers}
    for index, restriction in enumerate(problem.restrictions):
        if index not in covered:
            notes.append(f"Not covered in this session: {_restriction_words(profile, restriction)}.")
    if problem.context in PRESETS:
        dropped = [c.drill.id for c in problem.candidates if c.drill.id not in chosen]
        if dropped:
            notes.append(f"Left out to fit the time: {', '.join(dropped)}.")
    for drill_id, reason in found.excluded:
        notes.append(f"Left out {drill_id}: {reason}.")
    if profile.under_18 and any(
        "Under 18" in note for index in selection for note in problem.candidates[index].dose_range.notes
    ):
        notes.append("Under 18: have the strength and activation work supervised (NSCA, REFERENCE 8).")
    if found.no_dynamic:
        notes.append(
            "No dynamic drill is at hand for you before a run, so this session holds no static stretch "
            "(static stretching is followed by dynamic movement before running; Behm 2016)."
        )
    return notes
