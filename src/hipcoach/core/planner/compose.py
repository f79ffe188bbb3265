"""One session, end to end: the referral check, the selection (solved, or a preset's order), the doses,
the items and their timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from hipcoach.core.catalogue import Catalogue
from hipcoach.core.planner.dosing import dose_text, early_note
from hipcoach.core.planner.explain import _notes, _why
from hipcoach.core.planner.inputs import DEFAULT_LEVEL, PRESETS, Context
from hipcoach.core.planner.output import Referral, ReferralRequired, Session
from hipcoach.core.planner.problem import SelectionProblem, Variety, build_problem
from hipcoach.core.planner.request import SessionRequest
from hipcoach.core.planner.rules import RULES, ContextRules
from hipcoach.core.planner.search import solve
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import SessionItem, SideDose, build_timeline, item_totals
from hipcoach.core.vocabulary import Equipment

if TYPE_CHECKING:  # the prescription's module reads the planner's bounds: only its type is needed here
    from hipcoach.core.prescription import Prescription


def compose_session(  # noqa: PLR0917 - a positional signature, as documented for callers
    profile: Profile,
    context: Context | str,
    minutes: float,
    equipment: Iterable[Equipment | str] | None,
    level: int,
    recent_history: Sequence[Sequence[str]] | None = None,
    seed: int = 0,
    *,
    catalogue: Catalogue | None = None,
    dose_states: Mapping[str, DoseState] | None = None,
    variety: Variety | None = None,
    prescription: Prescription | None = None,
) -> Session:
    """Compose one session; see :mod:`hipcoach.core.planner` for the objective and the rules.

    ``recent_history`` lists the drill ids of recent sessions, the most recent first. ``dose_states``
    maps drill ids to their progression state (:mod:`hipcoach.core.progression`); ``variety`` is what the rest
    of the week asks of this session (:class:`~hipcoach.core.planner.problem.Variety`); ``prescription`` is the
    runner's clinician's (:mod:`hipcoach.core.prescription`). Raises :class:`PlannerInputError` for bad input and
    :class:`ReferralRequired` for a profile that refers (whatever is prescribed).
    """
    problem, found = build_problem(
        profile,
        context,
        minutes,
        equipment,
        level,
        recent_history=recent_history,
        seed=seed,
        catalogue=catalogue,
        dose_states=dose_states,
        variety=variety,
        prescription=prescription,
    )
    check_referral(profile)
    rules = RULES[problem.context]
    pinned = prescription.pinned if prescription is not None else ()
    selection = _preset_selection(problem, pinned) if problem.context in PRESETS else solve(problem)
    states = dict(dose_states or {}) if prescription is None else prescription.starting_states(dose_states, catalogue)
    # Every drill at its base dose: the bottom of its range, or its progression state. Spare minutes are
    # never turned into a bigger dose (REFERENCE 4: 2x10 grows to 3x15 over weeks, through the log).
    chosen = sorted(selection)
    items = [
        _prescribed(
            _item(
                profile, problem, rules, index, state=states.get(problem.candidates[index].drill.id), selection=chosen
            ),
            prescription,
            own_state=(dose_states or {}).get(problem.candidates[index].drill.id),
        )
        for index in chosen
    ]
    timeline = build_timeline(items)
    totals = item_totals(timeline, len(items))
    items = [item.model_copy(update={"seconds": total}) for item, total in zip(items, totals, strict=True)]
    if sum(totals) > problem.budget:  # pragma: no cover - a bug, never an input
        raise RuntimeError(f"session of {sum(totals)} s is over its budget of {problem.budget} s")
    notes = _notes(profile, problem, found, rules, selection)
    notes.extend(early_note(problem, sum(totals)))
    notes.extend(_unfit_note(problem, selection, pinned))
    return Session(
        context=problem.context,
        budget_seconds=problem.budget,
        items=items,
        timeline=timeline,
        notes=notes,
        objective=problem.value(selection),
        seed=seed,
        prescribed_by=None if prescription is None else prescription.prescribed_by,
        prescribed_on=None if prescription is None else prescription.prescribed_on,
    )


def check_referral(profile: Profile) -> None:
    if profile.refer:
        reasons = profile.refer_reasons or ["The screen found a reason to see a clinician first."]
        message = (
            "See a clinician today; no session is planned."
            if profile.urgent
            else "See a clinician before training your hips on your own; no session is planned."
        )
        raise ReferralRequired(Referral(urgent=profile.urgent, reasons=list(reasons), message=message))


def _preset_selection(problem: SelectionProblem, pinned: Sequence[str] = ()) -> list[int]:
    """The preset's drills in the article's order, skipping each drill that does not fit with those before.

    Only what does not fit is left out: a long drill early in the series does not push out the shorter
    ones after it (transitions obey the triangle inequality, so a later drill never makes room). The drills a
    clinician pinned are taken first (in the series' order), the rest after them.
    """
    selection: list[int] = []
    first = [index for index, candidate in enumerate(problem.candidates) if candidate.drill.id in pinned]
    for index in [*first, *(index for index in range(len(problem.candidates)) if index not in first)]:
        if problem.feasible([*selection, index]):
            selection.append(index)
    return sorted(selection)


def _unfit_note(problem: SelectionProblem, selection: Sequence[int], pinned: Sequence[str]) -> list[str]:
    """The drills the clinician pinned that this session's minutes could not hold (candidates, but not chosen)."""
    chosen = {problem.candidates[index].drill.id for index in selection}
    names = {candidate.drill.id: candidate.drill.name for candidate in problem.candidates}
    unfit = [names[drill_id] for drill_id in pinned if drill_id in names and drill_id not in chosen]
    if not unfit:
        return []
    return [f"Prescribed but did not fit the time: {', '.join(unfit)}; a longer session holds them."]


def _prescribed(item: SessionItem, prescription: Prescription | None, *, own_state: DoseState | None) -> SessionItem:
    """The item with the clinician's note and, in its reasons, what the clinician set for it."""
    entry = None if prescription is None else prescription.of(item.drill_id)
    if prescription is None or entry is None:
        return item
    why = list(item.why)
    if entry.pinned:
        why.insert(0, f"Prescribed by {prescription.prescribed_by}: in every session it belongs to.")
    if entry.has_dose and (entry.locked or own_state is None):
        words = "Dose set by your clinician" + (" and locked: it does not progress." if entry.locked else ".")
        why = [words if reason.startswith("Dose from your progression log") else reason for reason in why]
        if words not in why:
            why.append(words)
    elif entry.locked:
        why.append("Locked by your clinician: the dose does not progress.")
    return item.model_copy(update={"note": entry.note, "why": why})


def _item(
    profile: Profile,
    problem: SelectionProblem,
    rules: ContextRules,
    index: int,
    *,
    state: DoseState | None,
    selection: Sequence[int],
) -> SessionItem:
    candidate = problem.candidates[index]
    drill = candidate.drill
    doses = candidate.doses
    return SessionItem(
        drill_id=drill.id,
        name=drill.name,
        kind=drill.kind,
        position=drill.position,
        sides=drill.sides,
        equipment=list(drill.equipment),
        unit=candidate.dose_range.unit,
        seconds_per_rep=drill.dose.seconds_per_rep,
        rest_seconds=drill.dose.rest_seconds,
        doses=[SideDose(side=side, amount=amount, sets=sets) for side, amount, sets in doses],
        dose=dose_text(candidate, doses),
        sets=max(sets for _, _, sets in doses),
        seconds=0,
        cue=drill.cues[0],
        why=_why(profile, problem, rules, index, state=state, selection=selection),
    )


def compose_requested(
    profile: Profile,
    request: SessionRequest,
    recent_history: Sequence[Sequence[str]] | None = None,
    *,
    usual_equipment: Iterable[Equipment | str] | None = None,
    usual_level: int = DEFAULT_LEVEL,
    catalogue: Catalogue | None = None,
    dose_states: Mapping[str, DoseState] | None = None,
    variety: Variety | None = None,
    prescription: Prescription | None = None,
) -> Session:
    """The session a parsed request asks for: what it leaves open (equipment, level) is the runner's usual."""
    return compose_session(
        profile,
        request.context,
        request.minutes,
        usual_equipment if request.equipment is None else request.equipment,
        usual_level if request.level is None else request.level,
        recent_history,
        request.seed,
        catalogue=catalogue,
        dose_states=dose_states,
        variety=variety,
        prescription=prescription,
    )
