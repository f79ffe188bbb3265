"""Progression: three easy sessions raise the dose then the drill; pain steps back; red flags stop."""

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
BRIDGE = CATALOGUE.get("glute-bridge")  # both legs, 10-15 reps, 2-3 sets -> clamshell
CLAMSHELL = CATALOGUE.get("clamshell")  # one side at a time, after the bridge in the chain
ROLL = CATALOGUE.get("foam-roller-quadriceps-release")  # no chain
BUTTERFLY = CATALOGUE.get("butterfly-stretch")  # 20-30 s holds, no chain; the planner holds 30-60 s from 65


def log(state: DoseState, rating: str = "easy", pain: int = 0, **extra: Any) -> DrillLog:
    sides = [Side.BOTH] if state.drill_id == "glute-bridge" else [Side.LEFT, Side.RIGHT]
    data: dict[str, Any] = {
        "drill_id": state.drill_id,
        "amount": state.amount,
        "sets": state.sets,
        "sides_done": sides,
        "rating": Rating(rating),
        "pain": pain,
    }
    data.update(extra)
    return DrillLog(**data)


def decide(state: DoseState, logs: list[DrillLog]) -> Decision:
    return next_prescription(CATALOGUE.get(state.drill_id), state, logs, CATALOGUE)


def given(stored: DoseState, context: str, profile: Profile | None = None) -> DoseState:
    """The dose the planner gives for ``stored`` in ``context``, as the web logs it (the base side's)."""
    states = states_by_drill([stored])
    session = compose_session(profile or Profile(), context, 20, None, 1, [], 0, dose_states=states)
    item = next(item for item in session.items if item.drill_id == stored.drill_id)
    base = min(item.doses, key=lambda dose: (dose.sets, dose.amount))
    return stored.model_copy(update={"amount": base.amount, "sets": base.sets})


def test_the_first_prescription_is_the_bottom_of_the_range() -> None:
    assert initial_state(BRIDGE) == DoseState(drill_id="glute-bridge", amount=10, sets=2)


def test_three_easy_sessions_with_pain_at_most_2_raise_the_dose() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state, pain=0), log(state, pain=2), log(state, pain=1)])
    assert decision.action is Action.RAISE_DOSE
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets) == (12, 2)
    assert "3 sessions in a row rated easy" in decision.reason
    assert decision.new_state.reasons == [decision.reason]


@pytest.mark.parametrize(
    "logs",
    [
        [("easy", 0), ("easy", 0)],
        [("easy", 0), ("easy", 3), ("easy", 0)],
        [("easy", 0), ("ok", 0), ("easy", 0)],
    ],
)
def test_fewer_than_three_easy_safe_sessions_in_a_row_keep_the_dose(logs: list[tuple[str, int]]) -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state, rating, pain) for rating, pain in logs])
    assert decision.action is Action.KEEP
    assert decision.new_state == state
    assert "of 3 sessions" in decision.reason


def test_a_one_sided_drill_counts_only_when_both_sides_were_done() -> None:
    state = initial_state(CLAMSHELL)
    half = log(state, sides_done=[Side.LEFT])
    assert decide(state, [log(state), log(state), half]).action is Action.KEEP
    assert decide(state, [log(state), log(state), log(state)]).action is Action.RAISE_DOSE


def test_the_dose_rises_within_its_range_then_a_set_then_the_next_drill() -> None:
    state = initial_state(BRIDGE)
    seen: list[tuple[str, int, int]] = []
    for _ in range(12):
        decision = decide(state, [log(state)] * 3)
        assert decision.new_state is not None
        state = decision.new_state
        seen.append((state.drill_id, state.amount, state.sets))
        if decision.action is Action.PROGRESS:
            break
    assert seen == [
        ("glute-bridge", 12, 2),
        ("glute-bridge", 14, 2),
        ("glute-bridge", 15, 2),
        ("glute-bridge", 10, 3),
        ("glute-bridge", 12, 3),
        ("glute-bridge", 14, 3),
        ("glute-bridge", 15, 3),
        ("clamshell", 10, 2),
    ]
    assert "moving on to Clamshell" in state.reasons[-1]
    assert len(state.reasons) == len(seen), "every change keeps its reason"


def test_the_end_of_a_chain_keeps_the_top_dose() -> None:
    top = DoseState(drill_id="hip-thrust", amount=15, sets=3)
    decision = decide(top, [log(top)] * 3)
    assert decision.action is Action.KEEP
    assert "end of its chain" in decision.reason


def test_hard_keeps_the_dose_even_after_easy_sessions() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state), log(state), log(state, "hard", 1)])
    assert decision.action is Action.KEEP
    assert decision.new_state == state
    assert "rated hard" in decision.reason


def test_pain_above_5_steps_back_a_dose_and_flags_the_drill() -> None:
    state = DoseState(drill_id="glute-bridge", amount=14, sets=2)
    decision = decide(state, [log(state, "ok", 6)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert decision.flagged
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets, decision.new_state.flagged) == (12, 2, True)
    assert "pain 6/10 is above 5/10" in decision.reason


def test_pain_above_5_at_the_lowest_dose_steps_back_to_the_previous_drill() -> None:
    state = initial_state(CLAMSHELL)
    decision = decide(state, [log(state, "hard", 7)])
    assert decision.action is Action.STEP_BACK_DRILL
    assert decision.new_state is not None
    assert decision.new_state.drill_id == "glute-bridge"
    assert (decision.new_state.amount, decision.new_state.sets) == (15, 3)
    assert decision.new_state.flagged


def test_pain_at_the_start_of_a_chain_stays_at_the_lowest_dose_flagged() -> None:
    state = initial_state(ROLL)
    decision = decide(state, [log(state, "ok", 8)])
    assert decision.action is Action.KEEP
    assert decision.flagged
    assert decision.new_state is not None
    assert decision.new_state.flagged
    assert "see a clinician" in decision.reason


def test_pain_worse_the_next_morning_steps_back() -> None:
    state = DoseState(drill_id="glute-bridge", amount=10, sets=3)
    decision = decide(state, [log(state, "easy", 1, next_morning_worse=True)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets) == (10, 2)
    assert "worse the next morning" in decision.reason


@pytest.mark.parametrize("pain", [3, 4, 5])
def test_pain_3_to_5_is_acceptable_and_keeps_the_dose(pain: int) -> None:
    state = initial_state(BRIDGE)
    assert decide(state, [log(state, "easy", pain)] * 3).action is Action.KEEP


def test_a_new_red_flag_stops_the_plan() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state), log(state, red_flag=True)])
    assert decision.action is Action.STOP
    assert decision.new_state is None
    assert "clinician" in decision.reason


def test_the_logs_that_changed_the_dose_no_longer_count() -> None:
    state = initial_state(BRIDGE)
    logs = [log(state)] * 3
    raised = decide(state, logs).new_state
    assert raised is not None
    again = decide(raised, logs)
    assert again.action is Action.KEEP
    assert again.new_state == raised
    painful = log(raised, "ok", 9)
    lowered = decide(raised, [painful]).new_state
    assert lowered is not None
    final, decisions = replay("glute-bridge", [*logs, painful, log(lowered)], CATALOGUE)
    assert [d.action for d in decisions] == [
        Action.KEEP,
        Action.KEEP,
        Action.RAISE_DOSE,
        Action.STEP_BACK_DOSE,
        Action.KEEP,
    ], "the painful log steps the drill back once, not again at the next session"
    assert final == lowered


def test_reasons_are_kept_across_raises_and_step_backs() -> None:
    state = initial_state(BRIDGE)
    logs = [log(state)] * 3
    state_after, decisions = replay("glute-bridge", logs, CATALOGUE)
    assert state_after is not None
    painful = log(state_after, "ok", 7)
    final, more = replay("glute-bridge", [painful], CATALOGUE, state_after)
    assert final is not None
    assert final.reasons == [decisions[-1].reason, more[-1].reason]
    assert "raised" in final.reasons[0]
    assert "lowered" in final.reasons[1]


def test_replay_follows_the_drill_through_its_chain_and_stops_on_a_red_flag() -> None:
    state = initial_state(BRIDGE)
    logs: list[DrillLog] = []
    current = state
    for _ in range(8 * 3):
        entry = log(current)
        logs.append(entry)
        final, _ = replay("glute-bridge", logs, CATALOGUE)
        assert final is not None
        current = final
    assert current.drill_id == "clamshell"
    stopped, decisions = replay("glute-bridge", [*logs, log(current, red_flag=True)], CATALOGUE)
    assert stopped is None
    assert decisions[-1].action is Action.STOP


def test_the_state_for_another_drill_is_refused() -> None:
    with pytest.raises(ValueError, match="state"):
        next_prescription(BRIDGE, initial_state(CLAMSHELL), [], CATALOGUE)


def test_progression_feeds_the_planner() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state)] * 3)
    assert decision.new_state is not None
    states = states_by_drill([decision.new_state])
    session = compose_session(Profile(), "strength", 20, None, 1, [], 0, dose_states=states)
    bridge = next(item for item in session.items if item.drill_id == "glute-bridge")
    assert [(dose.amount, dose.sets) for dose in bridge.doses] == [(12, 2)]
    assert any("3 sessions in a row rated easy" in reason for reason in bridge.why)


def test_pain_values_outside_0_to_10_are_refused() -> None:
    with pytest.raises(ValueError, match="pain"):
        DrillLog(drill_id="glute-bridge", amount=10, sets=2, rating=Rating.EASY, pain=11)


# ---- the pain rule reads every session, whatever dose the planner gave for it ------------------------------


def test_pain_8_on_a_pre_run_dose_that_differs_from_the_stored_one_still_steps_the_drill_back() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=14, sets=3)
    warm_up = given(stored, "pre-run")
    assert (warm_up.amount, warm_up.sets) == (14, 1), "before a run the planner gives one set"
    decision = decide(stored, [log(warm_up, "ok", 8)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert decision.flagged
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets, decision.new_state.flagged) == (12, 3, True)
    assert "pain 8/10 is above 5/10" in decision.reason


def test_pain_8_on_a_warm_up_at_the_lowest_stored_dose_flags_the_drill() -> None:
    stored = initial_state(BRIDGE)  # 10 x 2, the start of its chain: nowhere lower to go
    warm_up = given(stored, "pre-run")
    assert (warm_up.amount, warm_up.sets) == (10, 1)
    decision = decide(stored, [log(warm_up, "ok", 8)])
    assert decision.flagged
    assert decision.new_state is not None
    assert decision.new_state.flagged
    assert "pain 8/10 is above 5/10" in decision.reason
    assert "see a clinician" in decision.reason


def test_painful_strength_sessions_above_the_stored_dose_are_seen() -> None:
    """The web stores the first dose as given (a warm-up's 10 x 1); a strength session then gives 2 sets."""
    stored = DoseState(drill_id="glute-bridge", amount=10, sets=1)
    strength = given(stored, "strength")
    assert (strength.amount, strength.sets) == (10, 2)
    decision = decide(stored, [log(strength, "hard", 9)] * 5)
    assert decision.flagged
    assert decision.new_state is not None
    assert decision.new_state.flagged
    assert "pain 9/10 is above 5/10" in decision.reason


@pytest.mark.parametrize(
    ("stored_hold", "action", "hold_after"), [(25, Action.STEP_BACK_DOSE, 20), (20, Action.KEEP, 20)]
)
def test_a_70_year_olds_painful_30_s_hold_is_seen(stored_hold: int, action: Action, hold_after: int) -> None:
    stored = DoseState(drill_id=BUTTERFLY.id, amount=stored_hold, sets=1)
    hold = given(stored, "post-run", Profile(age=70))
    assert hold.amount == 30, "from 65 the planner holds 30-60 s"
    decision = decide(stored, [log(hold, "ok", 9)])
    assert decision.action is action
    assert decision.flagged
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.flagged) == (hold_after, True)
    assert "pain 9/10 is above 5/10" in decision.reason


def test_a_worse_morning_after_a_warm_up_steps_the_drill_back() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=14, sets=3)
    decision = decide(stored, [log(given(stored, "pre-run"), "easy", 1, next_morning_worse=True)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert "worse the next morning" in decision.reason


def test_a_painful_warm_up_is_not_hidden_by_later_sessions_at_the_stored_dose() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=14, sets=2)
    decision = decide(stored, [log(given(stored, "pre-run"), "ok", 7), log(stored), log(stored)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert "pain 7/10" in decision.reason


def test_a_warm_up_rated_hard_is_why_the_dose_stays() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=12, sets=2)
    decision = decide(stored, [log(stored), log(stored), log(given(stored, "pre-run"), "hard", 2)])
    assert decision.action is Action.KEEP
    assert "rated hard" in decision.reason


def test_a_painful_warm_up_steps_back_once_and_the_lower_dose_is_earned_back() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=14, sets=3)
    lowered = stored.model_copy(update={"amount": 12})
    logs = [log(given(stored, "pre-run"), "ok", 8), log(lowered), log(lowered), log(lowered)]
    final, decisions = replay("glute-bridge", logs, CATALOGUE, stored)
    assert [d.action for d in decisions] == [Action.STEP_BACK_DOSE, Action.KEEP, Action.KEEP, Action.RAISE_DOSE]
    assert final is not None
    assert (final.amount, final.sets, final.flagged) == (14, 3, False)


# ---- earning a raise when the planner adapts the dose -------------------------------------------------------


def test_three_easy_strength_sessions_above_the_stored_dose_earn_a_raise() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=10, sets=1)
    decision = decide(stored, [log(given(stored, "strength"))] * 3)
    assert decision.action is Action.RAISE_DOSE
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets) == (12, 1)


def test_easy_warm_ups_between_strength_sessions_neither_count_nor_break_the_run() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=10, sets=2)
    warm_up = given(stored, "pre-run")
    logs = [log(stored), log(warm_up), log(stored), log(warm_up), log(warm_up)]
    assert decide(stored, logs).action is Action.KEEP, "two sessions at the stored dose are not three"
    assert decide(stored, [*logs, log(stored)]).action is Action.RAISE_DOSE


def test_easy_one_set_warm_ups_never_raise_a_two_set_dose() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=10, sets=2)
    decision = decide(stored, [log(given(stored, "pre-run"))] * 5)
    assert decision.action is Action.KEEP
    assert "0 of 3" in decision.reason


def test_a_warm_up_that_was_not_easy_ends_the_run_of_easy_sessions() -> None:
    stored = DoseState(drill_id="glute-bridge", amount=10, sets=2)
    logs = [log(stored), log(stored), log(given(stored, "pre-run"), "ok", 4), log(stored)]
    decision = decide(stored, logs)
    assert decision.action is Action.KEEP
    assert "1 of 3" in decision.reason


# ---- a painful log is acted on once ---------------------------------------------------------------------


def test_after_a_painful_log_has_been_acted_on_easy_sessions_earn_progression_again() -> None:
    start = initial_state(ROLL)  # the lowest dose and no chain: the pain can only flag it
    logs = [log(start, "ok", 6)]
    for _ in range(9):
        current, _ = replay(ROLL.id, logs, CATALOGUE)
        assert current is not None
        logs.append(log(current))  # an easy, pain-free session at the dose the runner now has
    final, decisions = replay(ROLL.id, logs, CATALOGUE)
    assert [d.action for d in decisions] == [Action.KEEP, *([Action.KEEP, Action.KEEP, Action.RAISE_DOSE] * 3)]
    assert decisions[0].flagged
    assert final is not None
    assert (final.amount, final.flagged) == (60, False)
    assert sum("see a clinician" in reason for reason in final.reasons) == 1, "the pain is flagged once"
