"""One session, end to end: the referral check, the selection (solved, or a preset's order), the doses,
the items and their timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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
) -> Session:
    """Compose one session; see :mod:`hipcoach.core.planner` for the objective and the rules.

    ``recent_history`` lists the drill ids of recent sessions, the most recent first. ``dose_states``
    maps drill ids to their progression state (:mod:`hipcoach.core.progression`); ``variety`` is what the rest
    of the week asks of this session (:class:`~hipcoach.core.planner.problem.Variety`). Raises
    :class:`PlannerInputError` for bad input and :class:`ReferralRequired` for a profile that refers.
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
    )
    check_referral(profile)
    rules = RULES[problem.context]
    selection = _preset_selection(problem) if problem.context in PRESETS else solve(problem)
    states = dose_states or {}
    # Every drill at its base dose: the bottom of its range, or its progression state. Spare minutes are
    # never turned into a bigger dose (REFERENCE 4: 2x10 grows to 3x15 over weeks, through the log).
    chosen = sorted(selection)
    items = [
        _item(profile, problem, rules, index, state=states.get(problem.candidates[index].drill.id), selection=chosen)
        for index in chosen
    ]
    timeline = build_timeline(items)
    totals = item_totals(timeline, len(items))
    items = [item.model_copy(update={"seconds": total}) for item, total in zip(items, totals, strict=True)]
    if sum(totals) > problem.budget:  # pragma: no cover - a bug, never an input
        raise RuntimeError(f"session of {sum(totals)} s is over its budget of {problem.budget} s")
    notes = _notes(profile, problem, found, rules, selection)
    notes.extend(early_note(problem, sum(totals)))
    return Session(
        context=problem.context,
        budget_seconds=problem.budget,
        items=items,
        timeline=timeline,
        notes=notes,
        objective=problem.value(selection),
        seed=seed,
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


def _preset_selection(problem: SelectionProblem) -> list[int]:
    """The preset's drills in the article's order, skipping each drill that does not fit with those before.

    Only what does not fit is left out: a long drill early in the series does not push out the shorter
    ones after it (transitions obey the triangle inequality, so a later drill never makes room).
    """
    selection: list[int] = []
    for index in range(len(problem.candidates)):
        if problem.feasible([*selection, index]):
            selection.append(index)
    return selection


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
    )
