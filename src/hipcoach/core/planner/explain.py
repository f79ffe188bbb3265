"""What a session says in words: each dose, why each drill is there, and the session's notes (the rules
applied, what is not covered and what was left out)."""

from __future__ import annotations

from collections.abc import Sequence

from hipcoach.core.planner.eligibility import Eligibility
from hipcoach.core.planner.inputs import PRESETS
from hipcoach.core.planner.problem import Candidate, SelectionProblem
from hipcoach.core.planner.rules import ContextRules
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import DoseTuple
from hipcoach.core.vocabulary import Restriction


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


def _why(
    profile: Profile,
    problem: SelectionProblem,
    rules: ContextRules,
    candidate: Candidate,
    state: DoseState | None,
) -> list[str]:
    reasons: list[str] = []
    for index in candidate.covers:
        reasons.append(f"Works on {_restriction_words(profile, problem.restrictions[index])}.")
    if candidate.bonus and candidate.tighter is not None:
        what = (
            "an extra set"
            if candidate.bonus == "set"
            else "a longer hold"
            if candidate.dose_range.unit == "hold_seconds"
            else "more work"
        )
        reasons.append(f"Your {candidate.tighter.value} side is the tighter one, so it gets {what}.")
    reasons.append(rules.slots[candidate.slot].rule)
    if candidate.chain_top:
        reasons.append("The hardest drill of the glute chain at your level.")
    if state is not None:
        reasons.append(
            "Dose from your progression log." + (" Flagged: it was stepped back after pain." if state.flagged else "")
        )
        if state.reasons:
            reasons.append(f"Last change: {state.reasons[-1]}")
    reasons.extend(candidate.dose_range.notes)
    return reasons


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
    if found.no_dynamic:
        notes.append(
            "No dynamic drill is at hand for you before a run, so this session holds no static stretch "
            "(static stretching is followed by dynamic movement before running; Behm 2016)."
        )
    return notes
