"""The week: each rule of the week plan has its own test."""

from __future__ import annotations

from typing import Any

import pytest

from hipcoach.core.catalogue import parse_catalogue
from hipcoach.core.planner import Context, PlannerInputError, ReferralRequired
from hipcoach.core.profile import Finding, Profile
from hipcoach.core.vocabulary import Restriction, Side
from hipcoach.core.week import DAYS, HARD_RUNS, Day, RunType, Week, WeekPreferences, parse_run, plan_week

RUNNER = Profile(
    restrictions=[Finding(id=Restriction.HIP_FLEXOR_TIGHTNESS, side=Side.LEFT, severity=2, evidence=["t"])]
)
TYPICAL = ["mon:easy:40", "tue:intervals:50", "thu:tempo:45", "sat:easy:30", "sun:long:100"]


def plan(runs: Any, **preferences: Any) -> Week:
    return plan_week(RUNNER, runs, preferences or None)


def recovery_count(week: Week) -> int:
    return week.count(Context.POST_RUN) + week.count(Context.REST_DAY)


def test_a_pre_run_routine_before_every_run() -> None:
    runs = [*TYPICAL, "sat:easy:20"]
    week = plan(runs)
    for day_plan in week.days:
        before = [s for s in day_plan.sessions if s.context is Context.PRE_RUN]
        assert sorted(s.run for s in before if s.run is not None) == list(range(len(day_plan.runs)))
    assert week.count(Context.PRE_RUN) == len(runs)


def test_post_run_recovery_after_every_long_tempo_intervals_and_race_run() -> None:
    week = plan(["mon:race:30", "tue:tempo:40", "wed:intervals:50", "thu:long:120", "fri:easy:30"])
    for day_plan in week.days:
        for index, run in enumerate(day_plan.runs):
            after = [s for s in day_plan.sessions if s.context is Context.POST_RUN and s.run == index]
            assert bool(after) == (run.type in HARD_RUNS), (day_plan.day, run)


@pytest.mark.parametrize(
    "runs",
    [[], ["wed:easy:30"], ["mon:easy:30", "fri:easy:40"], TYPICAL, [f"{day}:easy:30" for day in DAYS]],
)
def test_at_least_three_recovery_sessions_a_week(runs: list[str]) -> None:
    assert recovery_count(plan(runs)) >= 3


def test_easy_runs_get_recovery_first_when_hard_runs_give_too_few_longest_first() -> None:
    week = plan(["mon:easy:30", "tue:tempo:40", "wed:easy:60", "fri:easy:45"])
    post = {day_plan.day for day_plan in week.days if Context.POST_RUN in day_plan.contexts()}
    assert post == {Day.TUE, Day.WED, Day.FRI}
    assert week.count(Context.REST_DAY) == 0


def test_rest_day_sessions_where_the_week_would_otherwise_fall_short() -> None:
    week = plan(["wed:easy:30"])
    assert week.count(Context.POST_RUN) == 1
    assert week.count(Context.REST_DAY) == 2
    for day_plan in week.days:
        if Context.REST_DAY in day_plan.contexts():
            assert not day_plan.runs
    nothing = plan([])
    assert nothing.count(Context.REST_DAY) == 3
    rest_days = [DAYS.index(d.day) for d in nothing.days if Context.REST_DAY in d.contexts()]
    assert all((b - a) % 7 not in (1, 6) for a in rest_days for b in rest_days if a != b), "spread, not in a row"
    busy = plan(TYPICAL)
    assert busy.count(Context.REST_DAY) == 0, "three hard runs already give three recovery sessions"


def test_rest_day_sessions_prefer_days_without_strength() -> None:
    week = plan(["wed:easy:30"])
    for day_plan in week.days:
        contexts = day_plan.contexts()
        assert not (Context.REST_DAY in contexts and Context.STRENGTH in contexts)


@pytest.mark.parametrize("runs", [TYPICAL, [], ["mon:easy:30"], ["tue:tempo:40", "thu:intervals:40", "sat:long:90"]])
@pytest.mark.parametrize("wanted", [2, 3])
def test_strength_on_two_or_three_non_consecutive_days_never_before_a_hard_run(runs: list[str], wanted: int) -> None:
    week = plan(runs, strength_days=wanted)
    days = [DAYS.index(day) for day in week.strength_days()]
    hard = {DAYS.index(parse_run(run).day) for run in runs if parse_run(run).type in HARD_RUNS}
    assert 2 <= len(days) <= 3
    for day in days:
        assert (day + 1) % 7 not in hard, f"strength on {DAYS[day]} is the day before a hard run"
    for first in days:
        for second in days:
            assert first == second or (second - first) % 7 not in (1, 6), "strength days must not be consecutive"
    if not runs:
        assert len(days) == wanted


def test_strength_counts_sunday_as_the_day_before_monday() -> None:
    week = plan(["mon:tempo:40", "wed:easy:30", "fri:easy:30"])
    assert Day.SUN not in week.strength_days()


def test_strength_never_on_race_day_and_a_note_when_it_cannot_fit() -> None:
    hard_every_day = [f"{day}:{'race' if day == 'sat' else 'tempo'}:40" for day in DAYS]
    week = plan(hard_every_day)
    assert week.strength_days() == []
    assert any("strength day" in note for note in week.notes)


@pytest.mark.parametrize("strength_days", [2, 3])
def test_strength_prefers_days_without_runs(strength_days: int) -> None:
    # Wednesday, Friday and Sunday have no run and no two of them are consecutive: every strength day
    # wanted fits on them, so each one must be on them.
    week = plan(["mon:easy:30", "tue:easy:30", "thu:easy:30", "sat:easy:30"], strength_days=strength_days)
    assert len(week.strength_days()) == strength_days
    assert set(week.strength_days()) <= {Day.WED, Day.FRI, Day.SUN}
    assert all(not week.day(day).runs for day in week.strength_days())


def test_minutes_per_context_come_from_the_preferences() -> None:
    default = plan(TYPICAL)
    budgets = {
        planned.context: planned.session.budget_seconds for day_plan in default.days for planned in day_plan.sessions
    }
    assert budgets == {Context.PRE_RUN: 480, Context.POST_RUN: 600, Context.STRENGTH: 1200}
    custom = plan(["sat:easy:30"], pre_run_minutes=6, post_run_minutes=12, strength_minutes=25, rest_day_minutes=15)
    for day_plan in custom.days:
        for planned in day_plan.sessions:
            expected = {"pre-run": 6, "post-run": 12, "strength": 25, "rest-day": 15}[planned.context.value]
            assert planned.minutes == expected
            assert planned.session.budget_seconds == expected * 60
            assert planned.session.total_seconds <= expected * 60


def test_every_planned_session_is_composed() -> None:
    week = plan(TYPICAL, level=3)
    sessions = [planned.session for day_plan in week.days for planned in day_plan.sessions]
    assert all(session.items for session in sessions)
    assert week.model_dump(mode="json")["days"][0]["sessions"][0]["session"]["items"]


def test_the_week_varies_drills_where_their_value_is_equal() -> None:
    twins = parse_catalogue({"drill": [_twin("swing-a"), _twin("swing-b")]})
    week = plan_week(RUNNER, ["mon:easy:30", "wed:easy:30", "fri:easy:30"], {"pre_run_minutes": 1.5}, catalogue=twins)
    picks = [s.session.drill_ids for d in week.days for s in d.sessions if s.context is Context.PRE_RUN]
    assert picks[0] != picks[1]
    assert picks[1] != picks[2]


def test_the_same_week_twice_is_the_same() -> None:
    assert plan(TYPICAL, seed=5) == plan(TYPICAL, seed=5)


def test_a_profile_that_refers_gets_no_week() -> None:
    with pytest.raises(ReferralRequired):
        plan_week(Profile(refer=True, refer_reasons=["Red flag"]), TYPICAL)


@pytest.mark.parametrize(
    ("runs", "field"),
    [
        (["xyz:easy:40"], "runs[0].day"),
        (["mon:easy:40", "tue:jog:40"], "runs[1].type"),
        (["mon:easy:0"], "runs[0].minutes"),
        (["mon:easy:-10"], "runs[0].minutes"),
        (["mon:easy:forty"], "runs[0].minutes"),
        (["mon:easy"], "runs[0]"),
        ([42], "runs[0]"),
        (7, "runs"),
    ],
)
def test_a_malformed_run_names_the_field_and_what_is_allowed(runs: Any, field: str) -> None:
    with pytest.raises(PlannerInputError) as raised:
        plan_week(RUNNER, runs)
    assert raised.value.field == field
    assert raised.value.allowed


@pytest.mark.parametrize(
    ("preferences", "field"),
    [
        ({"pre_run_minutes": 0}, "preferences.pre_run_minutes"),
        ({"strength_minutes": 500}, "preferences.strength_minutes"),
        ({"strength_days": 4}, "preferences.strength_days"),
        ({"level": 9}, "preferences.level"),
        ({"equipment": ["sofa"]}, "preferences.equipment.0"),
        ({"holiday": True}, "preferences.holiday"),
    ],
)
def test_bad_preferences_name_the_field(preferences: dict[str, Any], field: str) -> None:
    with pytest.raises(PlannerInputError) as raised:
        plan_week(RUNNER, TYPICAL, preferences)
    assert raised.value.field == field


def test_runs_may_be_given_as_objects_mappings_tuples_or_one_string() -> None:
    as_text = plan("mon:easy:40 thu:tempo:45")
    as_data = plan([{"day": "mon", "type": "easy", "minutes": 40}, ("thu", "tempo", 45)])
    assert as_text == as_data
    assert parse_run("Mon:Easy:40").type is RunType.EASY
    assert plan_week(RUNNER, TYPICAL, WeekPreferences(level=2)).days[0].runs[0].minutes == 40


def _twin(drill_id: str) -> dict[str, Any]:
    return {
        "id": drill_id,
        "name": drill_id,
        "sections": ["pre-run-routine"],
        "kind": "dynamic",
        "position": "standing",
        "sides": "each",
        "dose": {"reps": [10, 10], "seconds_per_rep": 2.0},
        "targets": ["hip-capsule"],
        "phases": ["pre-run", "post-run", "rest-day", "strength"],
        "level": 1,
        "cues": ["Stand tall."],
        "evidence": {"section": "pre-run-routine", "article": "test drill"},
    }
