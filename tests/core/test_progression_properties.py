"""Properties of progression over random runs of sessions: pain above 5/10 is always acted on, never rewarded."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.progression import Action, DoseState, DrillLog, Rating, replay
from hipcoach.core.safety import PAIN_STOP_ABOVE
from hipcoach.core.vocabulary import Side

CATALOGUE = default_catalogue()
START = "glute-bridge"  # glute bridge -> clamshell -> ...: raises, step-backs and moves along a chain
CHAIN = [drill.id for drill in CATALOGUE.progression_chain(START)]
PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
MOVES = {Action.RAISE_DOSE, Action.PROGRESS}


def _session(draw: st.DrawFn, current: DoseState) -> DrillLog:
    """One session as the runner might log it: mostly the drill they have now, at the stored dose or the dose
    the planner adapted it to (one set, more sets, a little more or less per set)."""
    drill_id = draw(st.sampled_from([current.drill_id] * 8 + CHAIN))
    amount = max(1, current.amount + draw(st.sampled_from([0] * 6 + [-2, 2, 5])))
    sets = draw(st.sampled_from([current.sets] * 4 + [1, current.sets + 1]))
    return DrillLog(
        drill_id=drill_id,
        amount=amount,
        sets=sets,
        sides_done=draw(st.sampled_from([[Side.BOTH]] * 4 + [[Side.LEFT, Side.RIGHT], [Side.LEFT]])),
        rating=draw(st.sampled_from([Rating.EASY] * 6 + [Rating.OK, Rating.HARD])),
        pain=draw(st.sampled_from([0, 0, 0, 1, 2, 0, 0, 1, 2, 4, 6, 9])),
        next_morning_worse=draw(st.sampled_from([False] * 15 + [True])),
    )


@st.composite
def runs(draw: st.DrawFn) -> tuple[DoseState, list[DrillLog]]:
    """A starting point anywhere on the chain and the sessions logged from there."""
    drill = CATALOGUE.get(draw(st.sampled_from(CHAIN)))
    start = DoseState(
        drill_id=drill.id,
        amount=draw(st.integers(drill.dose.amount.min, drill.dose.amount.max)),
        sets=draw(st.integers(drill.dose.sets.min, drill.dose.sets.max)),
    )
    logs: list[DrillLog] = []
    for _ in range(draw(st.integers(1, 40))):
        current, _ = replay(START, logs, CATALOGUE, start)
        assert current is not None
        logs.append(_session(draw, current))
    return start, logs


@PROPERTY_SETTINGS
@given(runs())
def test_a_painful_session_is_always_acted_on_and_never_followed_by_a_raise(
    run: tuple[DoseState, list[DrillLog]],
) -> None:
    before, logs = run
    final, decisions = replay(START, logs, CATALOGUE, before)
    assert len(decisions) == len(logs)
    for session, decision in zip(logs, decisions, strict=True):
        if session.drill_id == before.drill_id and (session.pain > PAIN_STOP_ABOVE or session.next_morning_worse):
            assert decision.action not in MOVES, f"{session} was followed by {decision.action}"
            assert decision.flagged, f"{session} did not flag the drill: {decision.reason}"
            assert decision.new_state is not None
            assert decision.new_state.flagged
            assert decision.new_state != before, "the painful session changed nothing"
        assert decision.new_state is not None
        before = decision.new_state
    assert final == before


@PROPERTY_SETTINGS
@given(runs())
def test_a_raise_always_follows_an_easy_pain_free_session(run: tuple[DoseState, list[DrillLog]]) -> None:
    start, logs = run
    _, decisions = replay(START, logs, CATALOGUE, start)
    for session, decision in zip(logs, decisions, strict=True):
        if decision.action in MOVES:
            assert session.rating is Rating.EASY
            assert session.pain <= 2
            assert not session.next_morning_worse


def _level(state: DoseState | DrillLog) -> tuple[int, int, int]:
    """Where a dose stands on the chain's ladder: the drill, then sets, then amount (within the drill's range)."""
    drill = CATALOGUE.get(state.drill_id)
    amount, sets = drill.dose.amount, drill.dose.sets
    return (
        CHAIN.index(state.drill_id),
        min(max(state.sets, sets.min), sets.max),
        min(max(state.amount, amount.min), amount.max),
    )


@PROPERTY_SETTINGS
@given(runs())
def test_pain_on_any_drill_of_the_chain_is_never_rewarded_and_a_painful_lead_in_steps_below_it(
    run: tuple[DoseState, list[DrillLog]],
) -> None:
    before, logs = run
    floor = _level(DoseState(drill_id=START, amount=1, sets=1))
    _, decisions = replay(START, logs, CATALOGUE, before)
    for session, decision in zip(logs, decisions, strict=True):
        after = decision.new_state
        assert after is not None
        if session.pain > PAIN_STOP_ABOVE:
            assert decision.action not in MOVES, f"{session} was followed by {decision.action}"
        lead_in = CHAIN.index(session.drill_id) < CHAIN.index(before.drill_id)
        if lead_in and session.pain > PAIN_STOP_ABOVE:
            assert after.flagged, decision.reason
            assert _level(after) < _level(session) or _level(after) == _level(session) == floor, (
                f"{session} hurt, yet the chain went to {after}"
            )
        elif lead_in and not session.next_morning_worse:
            assert after == before, f"an easy lead-in {session} moved the chain: {decision.reason}"
        before = after
