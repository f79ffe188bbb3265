"""Progression and a strength session's lead-in: the drills before the runner's place in a chain.

A strength session works up the glute chain (bridge -> clamshell -> monster walk -> single-leg deadlift ->
hip thrust), so a runner whose place is the clamshell also does the bridge first. An easy lead-in earns
nothing (the runner's place is above it); pain above 5/10 on it means the runner stands above a drill that
hurts, so the chain steps back below it (REFERENCE.md section 5).
"""

from __future__ import annotations

from typing import Any

import pytest

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import compose_session
from hipcoach.core.profile import Profile
from hipcoach.core.progression import (
    Action,
    Decision,
    DoseState,
    DrillLog,
    Rating,
    initial_state,
    next_prescription,
    replay,
    states_by_drill,
)
from hipcoach.core.vocabulary import Side

CATALOGUE = default_catalogue()
GLUTE_CHAIN = [drill.id for drill in CATALOGUE.progression_chain("glute-bridge")]
CLAMSHELL = DoseState(drill_id="clamshell", amount=10, sets=2)  # the runner's place in the glute chain


def done(drill_id: str, amount: int, sets: int, rating: str = "easy", pain: int = 0, **extra: Any) -> DrillLog:
    sides = [Side.BOTH] if drill_id in ("glute-bridge", "hip-thrust") else [Side.LEFT, Side.RIGHT]
    return DrillLog(
        drill_id=drill_id, amount=amount, sets=sets, sides_done=sides, rating=Rating(rating), pain=pain, **extra
    )


def at(state: DoseState, rating: str = "easy", pain: int = 0, **extra: Any) -> DrillLog:
    return done(state.drill_id, state.amount, state.sets, rating, pain, **extra)


def decide(state: DoseState, logs: list[DrillLog]) -> Decision:
    return next_prescription(CATALOGUE.get(state.drill_id), state, logs, CATALOGUE)


def strength_session(stored: DoseState) -> dict[str, tuple[int, int]]:
    """The chain drills of a strength session for a runner at ``stored``, with the dose each is given."""
    session = compose_session(Profile(), "strength", 30, None, 3, [], 0, dose_states=states_by_drill([stored]))
    return {
        item.drill_id: min((dose.amount, dose.sets) for dose in item.doses)
        for item in session.items
        if item.drill_id in GLUTE_CHAIN
    }


def test_the_strength_session_of_a_runner_at_the_clamshell_leads_in_with_the_bridge() -> None:
    # The lead-in starts at the bottom of its range, like any first dose (REFERENCE 4): it is a warm-up.
    assert strength_session(CLAMSHELL) == {"glute-bridge": (10, 2), "clamshell": (10, 2)}


def test_pain_7_on_the_bridge_done_as_a_lead_in_steps_the_glute_chain_back() -> None:
    # The runner did the lead-in at 15 x 3, more than its 10 x 2, and it hurt.
    session = [done("glute-bridge", 15, 3, "ok", 7), at(CLAMSHELL)]
    decision = decide(CLAMSHELL, session)
    assert decision.action is Action.STEP_BACK_DRILL
    assert decision.flagged
    assert decision.new_state is not None
    # One level below the 15 x 3 that hurt: the clamshell, above it, is no longer for now.
    assert decision.new_state.model_dump(exclude={"reasons"}) == {
        "drill_id": "glute-bridge",
        "amount": 13,
        "sets": 3,
        "flagged": True,
    }
    assert "Glute bridge" in decision.reason
    assert "lead-in" in decision.reason
    assert "pain 7/10 is above 5/10" in decision.reason
    assert decision.new_state.reasons == [decision.reason]


def test_pain_on_the_bridge_at_its_lowest_dose_takes_the_chain_to_its_start_flagged() -> None:
    decision = decide(CLAMSHELL, [done("glute-bridge", 10, 2, "hard", 8), at(CLAMSHELL)])
    assert decision.action is Action.STEP_BACK_DRILL
    assert decision.new_state is not None
    assert decision.new_state.model_dump(exclude={"reasons"}) == {
        "drill_id": "glute-bridge",
        "amount": 10,
        "sets": 2,
        "flagged": True,
    }
    assert "see a clinician" in decision.reason


def test_pain_on_a_lead_in_at_its_lowest_dose_goes_to_the_drill_before_it() -> None:
    monster_walk = DoseState(drill_id="monster-walk", amount=12, sets=2)
    decision = decide(monster_walk, [done("glute-bridge", 15, 3), done("clamshell", 10, 2, "ok", 6), at(monster_walk)])
    assert decision.action is Action.STEP_BACK_DRILL
    assert decision.new_state is not None
    assert (decision.new_state.drill_id, decision.new_state.amount, decision.new_state.sets) == ("glute-bridge", 15, 3)
    assert "Clamshell" in decision.reason
    assert "pain 6/10" in decision.reason


def test_the_easiest_lead_in_that_hurt_decides_how_far_back() -> None:
    monster_walk = DoseState(drill_id="monster-walk", amount=12, sets=2)
    session = [done("glute-bridge", 15, 3, "ok", 6), done("clamshell", 15, 3, "ok", 9), at(monster_walk)]
    decision = decide(monster_walk, session)
    assert decision.new_state is not None
    assert (decision.new_state.drill_id, decision.new_state.amount) == ("glute-bridge", 13)
    assert "Glute bridge" in decision.reason


@pytest.mark.parametrize("pain", [0, 2, 3, 5])
def test_an_easy_lead_in_still_does_not_move_the_chain(pain: int) -> None:
    """Pain 0-5 on the bridge is safe or acceptable: the chain stays where it is, and is not raised for it."""
    lead_ins = [done("glute-bridge", 15, 3, "easy", pain)] * 5
    decision = decide(CLAMSHELL, lead_ins)
    assert decision.action is Action.KEEP
    assert decision.new_state == CLAMSHELL
    assert not decision.flagged


def test_easy_lead_ins_do_not_count_towards_a_raise_of_the_chain() -> None:
    sessions = [done("glute-bridge", 15, 3), at(CLAMSHELL)] * 2
    assert decide(CLAMSHELL, sessions).action is Action.KEEP, "two clamshell sessions are not three"
    assert decide(CLAMSHELL, [*sessions, done("glute-bridge", 15, 3), at(CLAMSHELL)]).action is Action.RAISE_DOSE


def test_a_painful_lead_in_is_never_rewarded_by_the_session_that_completes_a_run_of_easy_ones() -> None:
    earlier = [at(CLAMSHELL), at(CLAMSHELL)]
    decision = decide(CLAMSHELL, [*earlier, done("glute-bridge", 15, 3, "ok", 6), at(CLAMSHELL)])
    assert decision.action is Action.STEP_BACK_DRILL


def test_a_worse_morning_after_a_session_with_a_lead_in_steps_back_one_level() -> None:
    """The morning judges the session, not the bridge alone: one level back from the runner's place."""
    stored = DoseState(drill_id="clamshell", amount=14, sets=2)
    session = [done("glute-bridge", 15, 3, next_morning_worse=True), at(stored, next_morning_worse=True)]
    decision = decide(stored, session)
    assert decision.action is Action.STEP_BACK_DOSE
    assert decision.new_state is not None
    assert (decision.new_state.drill_id, decision.new_state.amount) == ("clamshell", 12)


def test_drills_past_the_runners_place_are_passed_over() -> None:
    decision = decide(CLAMSHELL, [done("monster-walk", 10, 2, "ok", 8)])
    assert decision.action is Action.KEEP
    assert decision.new_state == CLAMSHELL


def test_a_painful_lead_in_steps_back_once_and_the_lower_dose_is_earned_back() -> None:
    lowered = DoseState(drill_id="glute-bridge", amount=13, sets=3)
    logs = [done("glute-bridge", 15, 3, "ok", 7), at(CLAMSHELL), at(lowered), at(lowered), at(lowered)]
    final, decisions = replay("clamshell", logs, CATALOGUE, CLAMSHELL)
    assert [d.action for d in decisions] == [
        Action.STEP_BACK_DRILL,
        Action.KEEP,  # the clamshell of the same session, past the runner's new place: passed over
        Action.KEEP,
        Action.KEEP,
        Action.RAISE_DOSE,
    ]
    assert final is not None
    assert (final.drill_id, final.amount, final.sets, final.flagged) == ("glute-bridge", 15, 3, False)


def test_a_lead_in_at_the_start_of_a_chain_is_no_lead_in() -> None:
    """The bridge is the runner's place: its own pain rule applies, one dose back."""
    stored = initial_state(CATALOGUE.get("glute-bridge")).model_copy(update={"amount": 14})
    decision = decide(stored, [at(stored, "ok", 7)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert "lead-in" not in decision.reason
