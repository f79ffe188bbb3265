"""What a session says in words: each dose, why each drill is there, and the session's notes (the rules
applied, what is not covered and what was left out)."""

from __future__ import annotations

from collections.abc import Sequence

from hipcoach.core.planner.dosing import dose_reason, emphasis_reason
from hipcoach.core.planner.eligibility import Eligibility
from hipcoach.core.planner.inputs import PRESETS
from hipcoach.core.planner.problem import SelectionProblem
from hipcoach.core.planner.rules import GLUTE_AFTER_RELEASE, MUST_HAVE_OF, YOUTH_NOTE, ContextRules
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.vocabulary import Restriction


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
        reasons.append(emphasis_reason(candidate))
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
        reasons.append(dose_reason(candidate))
    reasons.extend(candidate.dose_range.notes)
    return reasons


def _notes(
    profile: Profile,
    problem: SelectionProblem,
    found: Eligibility,
    rules: ContextRules,
    selection: Sequence[int],
) -> list[str]:
    notes = [*profile.advice, rules.summary]  # the screen's advice first: it matters more than any drill
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
    if any(YOUTH_NOTE in problem.candidates[index].dose_range.notes for index in selection):
        notes.append("Under 18: have the strength and activation work supervised (NSCA, REFERENCE 8).")
    if found.no_dynamic:
        notes.append(
            "No dynamic drill is at hand for you before a run, so this session holds no static stretch "
            "(static stretching is followed by dynamic movement before running; Behm 2016)."
        )
    return notes
