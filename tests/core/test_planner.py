"""Example tests of the session composer: order per context, doses, personalisation, refer, input errors."""

from __future__ import annotations

from typing import Any

import pytest

from hipcoach.core.catalogue import Catalogue, default_catalogue, parse_catalogue
from hipcoach.core.planner import (
    PlannerInputError,
    ReferralRequired,
    Session,
    build_problem,
    compose_session,
    eligible_drills,
    solve,
)
from hipcoach.core.profile import Finding, Profile, SideEmphasis
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import StepKind
from hipcoach.core.vocabulary import Caution, Equipment, Kind, Position, Restriction, Side

CATALOGUE = default_catalogue()
NOBODY = Profile()
GLUTE_CHAIN = ["glute-bridge", "clamshell", "monster-walk", "single-leg-deadlift", "hip-thrust"]


def static_seconds_per_target(session: Session, catalogue: Catalogue = CATALOGUE) -> dict[tuple[str, Side], int]:
    """Seconds each target is held still on each side in the session (a hold on both legs counts on both)."""
    totals: dict[tuple[str, Side], int] = {}
    for item in session.items:
        if item.unit != "hold_seconds":
            continue
        for dose in item.doses:
            sides = (Side.LEFT, Side.RIGHT) if dose.side is Side.BOTH else (dose.side,)
            for target in catalogue.get(item.drill_id).targets:
                for side in sides:
                    totals[target.value, side] = totals.get((target.value, side), 0) + dose.amount * dose.sets
    return totals


def finding(restriction: str, side: str = "both", severity: int = 2) -> Finding:
    return Finding(id=Restriction(restriction), side=Side(side), severity=severity, evidence=["test"])


def compose(context: str, minutes: float = 10, profile: Profile = NOBODY, **options: Any) -> Session:
    arguments: dict[str, Any] = {"equipment": None, "level": 5, "recent_history": [], "seed": 1}
    arguments.update(options)
    return compose_session(profile, context, minutes, **arguments)


# --------------------------------------------------------------------------------------------------
# Order per context
# --------------------------------------------------------------------------------------------------


def test_pre_run_goes_release_dynamic_activation_openers_and_ends_dynamic() -> None:
    session = compose("pre-run", 10)
    kinds = [item.kind for item in session.items]

    def group(item_kind: Kind, position: Position) -> int:
        if item_kind is Kind.SOFT_TISSUE:
            return 0
        if item_kind is Kind.DYNAMIC and position is Position.STANDING:
            return 1
        if item_kind in (Kind.ACTIVATION, Kind.STRENGTH):
            return 2
        return 3

    groups = [group(item.kind, item.position) for item in session.items[:-1]]
    assert groups == sorted(groups)
    assert set(groups) == {0, 1, 2, 3}, "ten minutes hold every part of the article's routine"
    assert kinds[-1] is Kind.DYNAMIC
    assert session.items[-1].position is Position.STANDING
    assert any("dynamic movement" in reason for reason in session.items[-1].why)
    assert session.total_seconds <= 600


def test_pre_run_holds_are_at_most_30_seconds_a_side() -> None:
    session = compose("pre-run", 15, Profile(age=70))
    holds = [item for item in session.items if item.unit == "hold_seconds"]
    assert holds
    for item in holds:
        assert all(dose.amount <= 30 and dose.sets == 1 for dose in item.doses)


@pytest.mark.parametrize("minutes", [10, 15])
def test_pre_run_holds_no_muscle_still_for_60_seconds_a_side_in_all(minutes: int) -> None:
    # REFERENCE.md 4: 60 s or more of static stretching per muscle before a run costs performance. The
    # half-kneeling stretch, the 90/90 and the pigeon all hold the hip flexors: not all three.
    profile = Profile(
        restrictions=[
            finding("hip-flexor-tightness", "both", 3),
            finding("sedentary-pattern", "both", 3),
            finding("hip-er-limit", "both", 3),
        ]
    )
    session = compose("pre-run", minutes, profile, seed=2)
    totals = static_seconds_per_target(session)
    assert totals, "the openers still hold stretches"
    assert max(totals.values()) < 60, totals
    assert totals["hip-flexors", Side.LEFT] > 0
    assert any("under 60 s a side on any one muscle" in note for note in session.notes)


def test_pre_run_static_limit_holds_and_after_a_run_it_does_not_apply() -> None:
    # Three 20-30 s holds on the same target and a closing swing, with time to spare: two holds at most
    # (three 20 s holds make 60 s a side), each at its starting 20 s.
    tables = [_table(f"hold-{name}", kind="static-stretch", position="supine") for name in "abc"]
    tables.append(_table("swing-a"))
    for table in tables:
        table["phases"] = ["pre-run", "post-run"]
    catalogue = parse_catalogue({"drill": tables})
    session = compose("pre-run", 20, catalogue=catalogue)
    holds = [item.drill_id for item in session.items if item.unit == "hold_seconds"]
    assert len(holds) == 2
    assert static_seconds_per_target(session, catalogue)["hip-capsule", Side.LEFT] == 40
    problem, _ = build_problem(NOBODY, "pre-run", 20, None, 5, catalogue=catalogue)
    static = [i for i, candidate in enumerate(problem.candidates) if candidate.static != (0, 0)]
    closing = next(i for i, candidate in enumerate(problem.candidates) if candidate.closing)
    assert len(static) == 3
    assert problem.seconds([*static, closing]) <= problem.budget
    assert not problem.feasible([*static, closing]), "three 20 s holds on one target make 60 s a side"
    assert problem.feasible([*static[:2], closing])
    after = compose("post-run", 20, catalogue=catalogue)
    assert static_seconds_per_target(after, catalogue)["hip-capsule", Side.LEFT] >= 60


def test_post_run_rolls_before_stretching_and_finishes_with_rotations() -> None:
    session = compose("post-run", 10)
    order = {Kind.SOFT_TISSUE: 0, Kind.STATIC_STRETCH: 1, Kind.DYNAMIC: 2}
    ranks = [order[item.kind] for item in session.items]
    assert ranks == sorted(ranks)
    assert set(ranks) == {0, 1, 2}


@pytest.mark.parametrize(("age", "low", "high"), [(40, 20, 30), (64, 20, 30), (65, 30, 60), (80, 30, 60)])
def test_post_run_holds_20_to_30_seconds_and_30_to_60_from_65(age: int, low: int, high: int) -> None:
    for minutes in (5, 10, 20):
        session = compose("post-run", minutes, Profile(age=age))
        holds = [item for item in session.items if item.kind is Kind.STATIC_STRETCH]
        assert holds
        for item in holds:
            assert all(low <= dose.amount <= high for dose in item.doses), (item.drill_id, item.doses)


def test_older_adult_post_run_holds_start_at_30_seconds_even_with_time_to_spare() -> None:
    # REFERENCE 4: 30-60 s from 65; the first dose is the bottom, and spare minutes never raise it.
    session = compose("post-run", 30, Profile(age=72))
    holds = [dose.amount for item in session.items if item.kind is Kind.STATIC_STRETCH for dose in item.doses]
    assert holds
    assert set(holds) == {30}
    assert any("30-60 s from age 65" in reason for item in session.items for reason in item.why)


def test_after_a_run_the_kneeling_hip_flexor_stretch_starts_at_one_hold_of_20_seconds_a_side() -> None:
    # REFERENCE 4: a dose rises through progression (the log), never to fill the minutes; twenty minutes
    # leave time, but the stretch still starts at the bottom of 1-2 x 20-30 s.
    profile = Profile(restrictions=[finding("hip-flexor-tightness", "both", 3)])
    after = compose("post-run", 20, profile, level=1)
    stretch = next(item for item in after.items if item.drill_id == "half-kneeling-hip-flexor-stretch")
    assert [(dose.amount, dose.sets) for dose in stretch.doses] == [(20, 1), (20, 1)]
    assert "1 x 20 s, the bottom of 1-2 x 20-30 s: the log's progression raises it (REFERENCE 4)." in stretch.why
    before = compose("pre-run", 20, profile, level=1)
    for item in before.items:
        assert all(dose.sets == 1 for dose in item.doses if item.unit == "hold_seconds")


@pytest.mark.parametrize(("level", "chain"), [(1, GLUTE_CHAIN[:1]), (3, GLUTE_CHAIN[:3]), (5, GLUTE_CHAIN)])
def test_strength_follows_the_glute_chain_up_to_the_level(level: int, chain: list[str]) -> None:
    session = compose("strength", 40, level=level)
    in_chain = [item.drill_id for item in session.items if item.drill_id in GLUTE_CHAIN]
    assert in_chain == chain
    for item in session.items:
        assert CATALOGUE.get(item.drill_id).level <= level
        if item.kind in (Kind.ACTIVATION, Kind.STRENGTH):
            assert all(2 <= dose.sets <= 3 and 10 <= dose.amount <= 15 for dose in item.doses)
    first_rotator = next(i for i, item in enumerate(session.items) if item.drill_id not in GLUTE_CHAIN)
    assert all(item.drill_id not in GLUTE_CHAIN for item in session.items[first_rotator:])
    top = next(item for item in session.items if item.drill_id == chain[-1])
    assert any("hardest drill of the glute chain" in reason for reason in top.why)


def test_strength_without_a_band_skips_the_monster_walk_but_keeps_the_chain_order() -> None:
    session = compose("strength", 40, level=5, equipment=["bench"])
    in_chain = [item.drill_id for item in session.items if item.drill_id in GLUTE_CHAIN]
    assert in_chain == ["glute-bridge", "clamshell", "single-leg-deadlift", "hip-thrust"]
    assert any("monster-walk" in note and "band" in note for note in session.notes)


def test_rest_day_starts_with_release_then_the_floor_sequence_in_the_articles_order() -> None:
    session = compose("rest-day", 20)
    assert session.items[0].kind is Kind.SOFT_TISSUE
    floor = ["90-90-stretch", "clamshell", "quadruped-hip-external-rotation", "supine-figure-four-stretch"]
    floor.append("butterfly-stretch")
    chosen = [item.drill_id for item in session.items if item.drill_id in floor]
    assert chosen == floor
    assert all(item.position is not Position.STANDING for item in session.items[:-1])


@pytest.mark.parametrize(
    ("context", "series"),
    [
        ("standing-series", ["forward-leg-swing", "lateral-leg-swing", "lateral-lunge", "standing-hip-circles"]),
        (
            "floor-sequence",
            [
                "90-90-stretch",
                "clamshell",
                "quadruped-hip-external-rotation",
                "supine-figure-four-stretch",
                "butterfly-stretch",
            ],
        ),
    ],
)
def test_presets_are_the_articles_series_in_its_order(context: str, series: list[str]) -> None:
    session = compose(context, 10)
    assert session.drill_ids == series
    assert "preset" in session.notes[0].lower()


def test_presets_are_still_filtered_by_precautions_and_equipment_and_say_so() -> None:
    profile = Profile(precautions=[Caution.CROSSING_MIDLINE])
    session = compose("floor-sequence", 10, profile)
    assert "clamshell" not in session.drill_ids
    assert session.drill_ids == [
        "90-90-stretch",
        "quadruped-hip-external-rotation",
        "supine-figure-four-stretch",
        "butterfly-stretch",
    ]
    assert any("clamshell" in note and "crossing-midline" in note for note in session.notes)
    assert "filtered by your precautions, equipment and level" in session.notes[0]


def test_a_preset_skips_only_the_drills_that_do_not_fit_and_keeps_the_articles_order() -> None:
    # Three minutes: the clamshell and the quadruped rotation (two sets of ten a side each) do not fit
    # after the 90/90, but the figure-four and the butterfly after them do.
    session = compose("floor-sequence", 3)
    assert session.drill_ids == ["90-90-stretch", "supine-figure-four-stretch", "butterfly-stretch"]
    assert session.total_seconds <= 180
    assert "Left out to fit the time: clamshell, quadruped-hip-external-rotation." in session.notes


# --------------------------------------------------------------------------------------------------
# Personalisation
# --------------------------------------------------------------------------------------------------


def test_restrictions_are_covered_and_each_item_says_which() -> None:
    profile = Profile(restrictions=[finding("hip-ir-limit", "both", 3), finding("ankle-dorsiflexion-limit", "left", 2)])
    session = compose("pre-run", 8, profile)
    covering = {
        restriction: [item for item in session.items if restriction in CATALOGUE.get(item.drill_id).addresses]
        for restriction in (Restriction.HIP_IR_LIMIT, Restriction.ANKLE_DORSIFLEXION_LIMIT)
    }
    for restriction, items in covering.items():
        assert items, restriction
        for item in items:
            assert any(restriction.value in reason for reason in item.why)


def test_findings_on_both_sides_at_different_severities_without_emphasis_get_equal_doses() -> None:
    # Issue 11: a difference the screen calls within measurement error (no emphasis entry) earns no extra
    # work on either side (REFERENCE 2); the severities still weigh the restriction.
    profile = Profile(
        restrictions=[finding("hip-flexor-tightness", "left", 3), finding("hip-flexor-tightness", "right", 1)]
    )
    session = compose("post-run", 10, profile)
    one_sided = [item for item in session.items if len(item.doses) == 2]
    assert one_sided
    for item in one_sided:
        left, right = item.dose_for(Side.LEFT), item.dose_for(Side.RIGHT)
        assert (left.amount, left.sets) == (right.amount, right.sets), item.drill_id
        assert not any(" on the left:" in reason or " on the right:" in reason for reason in item.why)


RIGHT_HIP_FLEXORS = "right hip flexors: thigh raised on the Thomas test, left normal"


def test_the_side_the_screen_found_really_tighter_gets_the_extra_set_and_the_reason() -> None:
    profile = Profile(
        restrictions=[finding("hip-flexor-tightness", "right", 2)],
        emphasis=[SideEmphasis(id=Restriction.HIP_FLEXOR_TIGHTNESS, side=Side.RIGHT, reason=RIGHT_HIP_FLEXORS)],
    )
    session = compose("post-run", 10, profile, level=1)
    stretch = next(item for item in session.items if item.drill_id == "half-kneeling-hip-flexor-stretch")
    assert (stretch.dose_for(Side.RIGHT).sets, stretch.dose_for(Side.LEFT).sets) == (2, 1)
    assert stretch.dose_for(Side.RIGHT).amount == stretch.dose_for(Side.LEFT).amount == 20
    assert f"Extra set on the right: {RIGHT_HIP_FLEXORS}." in stretch.why
    # A drill for other restrictions only gets no extra side.
    for item in session.items:
        if Restriction.HIP_FLEXOR_TIGHTNESS not in CATALOGUE.get(item.drill_id).addresses and len(item.doses) == 2:
            assert item.dose_for(Side.LEFT) == item.dose_for(Side.RIGHT).model_copy(update={"side": Side.LEFT})


def test_emphasis_entries_that_disagree_on_the_side_give_no_extra_work() -> None:
    # The pigeon addresses both hip flexor tightness and the external rotation limit: one says right, one left.
    profile = Profile(
        restrictions=[finding("hip-flexor-tightness", "right", 2), finding("hip-er-limit", "left", 2)],
        emphasis=[
            SideEmphasis(id=Restriction.HIP_FLEXOR_TIGHTNESS, side=Side.RIGHT, reason=RIGHT_HIP_FLEXORS),
            SideEmphasis(id=Restriction.HIP_ER_LIMIT, side=Side.LEFT, reason="left hip external rotation 25, right 40"),
        ],
    )
    problem, _ = build_problem(profile, "post-run", 20, None, 5)
    pigeon = next(c for c in problem.candidates if c.drill.id == "pigeon-pose")
    assert pigeon.bonus is None
    assert pigeon.doses[0][1:] == pigeon.doses[1][1:]
    figure_four = next(c for c in problem.candidates if c.drill.id == "supine-figure-four-stretch")
    assert (figure_four.tighter, figure_four.bonus) == (Side.LEFT, "set")


def test_more_severe_restrictions_win_the_time() -> None:
    severe = Profile(restrictions=[finding("hamstring-tightness", "both", 3)])
    mild = Profile(restrictions=[finding("hamstring-tightness", "left", 1), finding("hip-er-limit", "both", 3)])

    def covers(session: Session, restriction: Restriction) -> int:
        return sum(restriction in CATALOGUE.get(item.drill_id).addresses for item in session.items)

    assert covers(compose("post-run", 6, severe), Restriction.HAMSTRING_TIGHTNESS) >= covers(
        compose("post-run", 6, mild), Restriction.HAMSTRING_TIGHTNESS
    )


def test_equipment_none_allows_everything_and_an_empty_list_is_body_weight_only() -> None:
    with_kit = compose("post-run", 10, equipment=None)
    body_weight = compose("post-run", 10, equipment=[])
    assert any(item.equipment for item in with_kit.items)
    assert not any(item.equipment for item in body_weight.items)
    roller_only = compose("post-run", 10, equipment=["foam-roller"])
    assert all(set(item.equipment) <= {Equipment.FOAM_ROLLER} for item in roller_only.items)


def test_hip_replacement_precautions_exclude_drills_and_notes_say_why() -> None:
    posterior = [Caution.HIP_FLEXION_PAST_90, Caution.CROSSING_MIDLINE, Caution.HIP_INTERNAL_ROTATION]
    session = compose("pre-run", 10, Profile(precautions=posterior))
    assert "pigeon-pose" not in session.drill_ids
    assert "forward-leg-swing" not in session.drill_ids
    assert session.items[-1].kind is Kind.DYNAMIC
    assert any(note.startswith("Left out pigeon-pose: your precautions exclude it") for note in session.notes)


def test_variety_breaks_ties_against_recent_sessions() -> None:
    catalogue = _twin_catalogue()
    first = compose("pre-run", 1.5, catalogue=catalogue, recent_history=[["swing-a"]])
    second = compose("pre-run", 1.5, catalogue=catalogue, recent_history=[["swing-b"]])
    assert first.drill_ids == ["swing-b"]
    assert second.drill_ids == ["swing-a"]
    # The most recent session weighs more than an older one.
    both = compose("pre-run", 1.5, catalogue=catalogue, recent_history=[["swing-a"], ["swing-b"]])
    assert both.drill_ids == ["swing-b"]


def test_the_seed_breaks_remaining_ties_deterministically() -> None:
    catalogue = _twin_catalogue()
    picks = {compose("pre-run", 1.5, catalogue=catalogue, seed=seed).drill_ids[0] for seed in range(12)}
    assert picks == {"swing-a", "swing-b"}
    assert compose("pre-run", 1.5, catalogue=catalogue, seed=3) == compose("pre-run", 1.5, catalogue=catalogue, seed=3)


def test_dose_states_from_progression_set_the_dose() -> None:
    states = {"glute-bridge": DoseState(drill_id="glute-bridge", amount=14, sets=3)}
    session = compose("strength", 30, level=1, dose_states=states)
    bridge = next(item for item in session.items if item.drill_id == "glute-bridge")
    assert [(dose.amount, dose.sets) for dose in bridge.doses] == [(14, 3)]
    assert any("progression" in reason for reason in bridge.why)


def test_a_drill_the_runner_progressed_to_is_used_above_their_level_and_the_earlier_rungs_stay() -> None:
    # Issue 11: a chain is a ladder. After moving on to the clamshell, the glute bridge is still the right
    # activation before a run and on a rest day; only the drills past the runner's place are not yet theirs.
    states = {"clamshell": DoseState(drill_id="clamshell", amount=10, sets=2)}
    strength = compose("strength", 30, level=1, dose_states=states)
    assert [i.drill_id for i in strength.items if i.drill_id in GLUTE_CHAIN] == ["glute-bridge", "clamshell"]
    for context in ("pre-run", "rest-day", "strength"):
        ids = [drill.id for drill in eligible_drills(NOBODY, context, None, 1, dose_states=states)]
        assert "glute-bridge" in ids, context
        assert "clamshell" in ids, context
        assert "monster-walk" not in ids, context
    pre_run = compose("pre-run", 15, level=1, dose_states=states)
    assert "glute-bridge" in pre_run.drill_ids
    assert not any("progressed past it" in note for note in pre_run.notes)


def test_no_dynamic_drill_at_hand_means_no_static_hold_before_a_run() -> None:
    catalogue = parse_catalogue(
        {"drill": [_table("hold-a", kind="static-stretch"), _table("bridge-a", kind="activation")]}
    )
    session = compose("pre-run", 5, catalogue=catalogue)
    assert session.drill_ids == ["bridge-a"]
    assert any("holds no static stretch" in note for note in session.notes)


def test_a_budget_too_small_for_any_drill_gives_an_empty_session() -> None:
    session = compose("strength", 1)
    assert session.items == []
    assert session.total_seconds == 0


def test_the_composer_matches_exhaustive_search_on_a_small_problem() -> None:
    profile = Profile(
        restrictions=[finding("hip-er-limit", "both", 2), finding("hip-flexor-tightness", "left", 3)],
        precautions=[Caution.KNEELING],
    )
    for context, minutes, level in (("pre-run", 4, 1), ("pre-run", 3, 2), ("post-run", 4, 2), ("rest-day", 5, 2)):
        problem, _ = build_problem(profile, context, minutes, [], level, seed=7)
        count = len(problem.candidates)
        assert 6 <= count <= 16
        best = max(
            problem.value(chosen)
            for mask in range(1 << count)
            if problem.feasible(chosen := [i for i in range(count) if mask >> i & 1])
        )
        assert problem.value(solve(problem)) == pytest.approx(best, rel=1e-9)


# --------------------------------------------------------------------------------------------------
# Refer, input errors, output
# --------------------------------------------------------------------------------------------------


def test_a_profile_that_refers_gets_no_session_only_the_referral() -> None:
    profile = Profile(refer=True, urgent=True, refer_reasons=["Red flag, a limp: see a clinician today."])
    with pytest.raises(ReferralRequired) as raised:
        compose("pre-run", 10, profile)
    referral = raised.value.referral
    assert referral.urgent
    assert referral.reasons == ["Red flag, a limp: see a clinician today."]
    assert "no session" in referral.message
    assert referral.model_dump(mode="json")["reasons"]


@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        ({"context": "warm-up"}, "context", "pre-run"),
        ({"context": None}, "context", "rest-day"),
        ({"minutes": 0}, "minutes", "120"),
        ({"minutes": -5}, "minutes", "120"),
        ({"minutes": 121}, "minutes", "120"),
        ({"minutes": "ten"}, "minutes", "number"),
        ({"minutes": True}, "minutes", "number"),
        ({"equipment": ["kettlebell-rack"]}, "equipment", "foam-roller"),
        ({"equipment": 7}, "equipment", "foam-roller"),
        ({"level": 0}, "level", "1 to 5"),
        ({"level": 6}, "level", "1 to 5"),
        ({"level": "3"}, "level", "1 to 5"),
        ({"seed": "x"}, "seed", "whole number"),
        ({"recent_history": "forward-leg-swing"}, "recent_history", "list"),
    ],
)
def test_bad_input_names_the_field_and_what_is_allowed(change: dict[str, Any], field: str, hint: str) -> None:
    arguments: dict[str, Any] = {
        "profile": NOBODY,
        "context": "pre-run",
        "minutes": 10,
        "equipment": None,
        "level": 3,
        "recent_history": [],
        "seed": 0,
    }
    arguments.update(change)
    with pytest.raises(PlannerInputError) as raised:
        compose_session(**arguments)
    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)
    assert hint in str(raised.value)
    assert hint in raised.value.allowed


def test_equipment_may_be_given_as_a_comma_separated_string() -> None:
    session = compose("post-run", 10, equipment="foam-roller, band")
    assert all(set(item.equipment) <= {Equipment.FOAM_ROLLER, Equipment.BAND} for item in session.items)


def test_the_session_dumps_to_json_with_items_and_timeline() -> None:
    profile = Profile(restrictions=[finding("hip-flexor-tightness", "left", 2)])
    data = compose("pre-run", 8, profile).model_dump(mode="json")
    assert data["context"] == "pre-run"
    assert data["total_seconds"] == sum(step["seconds"] for step in data["timeline"])
    item = data["items"][0]
    for key in ("drill_id", "name", "sides", "dose", "sets", "seconds", "why", "doses"):
        assert key in item
    step = data["timeline"][0]
    assert {"kind", "seconds", "cue", "item", "side"} <= set(step)
    assert {s["kind"] for s in data["timeline"]} >= {StepKind.SETUP.value, StepKind.WORK.value}


def test_eligible_drills_lists_what_the_composer_may_choose() -> None:
    drills = eligible_drills(Profile(precautions=[Caution.KNEELING]), "post-run", equipment=[], level=1)
    ids = [drill.id for drill in drills]
    assert "half-kneeling-hip-flexor-stretch" not in ids
    assert all(not drill.equipment and drill.level == 1 for drill in drills)
    assert "single-knee-to-chest-stretch" in ids


# --------------------------------------------------------------------------------------------------
# Small catalogues built in the test
# --------------------------------------------------------------------------------------------------


def _table(drill_id: str, kind: str = "dynamic", **extra: Any) -> dict[str, Any]:
    dose: dict[str, Any] = {"reps": [10, 10], "seconds_per_rep": 2.0}
    if kind == "static-stretch":
        dose = {"hold_seconds": [20, 30]}
    table = {
        "id": drill_id,
        "name": drill_id.replace("-", " ").title(),
        "sections": ["pre-run-routine"],
        "kind": kind,
        "position": "standing",
        "sides": "each",
        "dose": dose,
        "targets": ["hip-capsule"],
        "phases": ["pre-run"],
        "level": 1,
        "cues": ["Stand tall."],
        "evidence": {"section": "pre-run-routine", "article": "test drill"},
    }
    table.update(extra)
    return table


def _twin_catalogue() -> Catalogue:
    """Two drills alike in everything but their id: only variety and the seed can choose between them."""
    return parse_catalogue({"drill": [_table("swing-a"), _table("swing-b")]})


# --------------------------------------------------------------------------------------------------
# Coach-grade plans (issue 11): dose by tolerance, side by evidence, must-haves first
# --------------------------------------------------------------------------------------------------

OFFICE_WORKER = Profile(
    restrictions=[
        finding("hip-flexor-tightness", "left", 2),
        finding("hip-flexor-tightness", "right", 2),
        finding("sedentary-pattern", "both", 2),
    ]
)


def test_office_worker_pre_run_holds_the_kneeling_stretch_and_ends_on_a_drill_for_their_findings() -> None:
    for seed in range(5):
        session = compose("pre-run", 8, OFFICE_WORKER, equipment=["foam-roller"], level=2, seed=seed)
        assert "half-kneeling-hip-flexor-stretch" in session.drill_ids, seed
        stretch = next(i for i in session.items if i.drill_id == "half-kneeling-hip-flexor-stretch")
        assert any(reason.startswith("Must-have for hip-flexor-tightness: the article") for reason in stretch.why)
        last = CATALOGUE.get(session.drill_ids[-1])
        assert last.kind is Kind.DYNAMIC
        assert {Restriction.HIP_FLEXOR_TIGHTNESS, Restriction.SEDENTARY_PATTERN} & set(last.addresses), last.id
        # Glute activation follows the hip flexor release work (the article, Bum Activation).
        assert any(CATALOGUE.get(i).kind is Kind.ACTIVATION for i in session.drill_ids)


def test_a_first_strength_session_does_every_activation_and_strength_drill_at_2_x_10() -> None:
    # REFERENCE 4: 2-3 sets of 10-15, from 2x10 to 3x15 over weeks; forty minutes leave time to spare.
    session = compose("strength", 40, OFFICE_WORKER, level=2)
    loaded = [item for item in session.items if item.kind in (Kind.ACTIVATION, Kind.STRENGTH)]
    assert loaded
    for item in loaded:
        assert {(dose.amount, dose.sets) for dose in item.doses} == {(10, 2)}, item.drill_id
        assert "2 x 10, the bottom of 2-3 x 10-15: the log's progression raises it (REFERENCE 4)." in item.why
    assert any(note.startswith("Ends about ") and "progression (REFERENCE 4)" in note for note in session.notes)


def test_a_session_that_fills_its_time_says_nothing_about_ending_early() -> None:
    session = compose("pre-run", 5, OFFICE_WORKER, level=2)
    assert session.budget_seconds - session.total_seconds < 60
    assert not any(note.startswith("Ends about") for note in session.notes)


def test_under_18_strength_starts_at_the_bottom_of_1_to_3_sets_of_6_to_15_and_is_supervised() -> None:
    # REFERENCE 8 (NSCA, Faigenbaum 2009).
    session = compose("strength", 20, Profile(age=15), level=2)
    loaded = [item for item in session.items if item.kind in (Kind.ACTIVATION, Kind.STRENGTH)]
    assert loaded
    for item in loaded:
        assert {(dose.amount, dose.sets) for dose in item.doses} == {(6, 1)}, item.drill_id
        assert any("Under 18" in reason and "supervised" in reason for reason in item.why)
    assert any("supervised" in note for note in session.notes)
    adult = compose("strength", 20, Profile(age=18), level=2)
    assert not any("supervised" in note for note in adult.notes)


def test_knee_pain_history_gets_knee_targeted_work_in_strength() -> None:
    profile = Profile(restrictions=[finding("knee-pain-history", "both", 2), finding("hip-control-deficit")])
    for minutes in (6, 10, 30):
        session = compose("strength", minutes, profile, level=2)
        knee = [i for i in session.items if i.drill_id in ("step-down", "wall-squat", "split-squat")]
        assert knee, minutes
        assert any("Must-have for knee-pain-history: REFERENCE 8" in reason for reason in knee[0].why)


def test_abductor_weakness_gets_the_clamshell_or_else_isometric_abduction() -> None:
    weak = Profile(restrictions=[finding("hip-abductor-weakness", "both", 1), finding("hip-er-limit", "both", 3)])
    session = compose("pre-run", 6, weak, level=2)
    assert {"clamshell", "monster-walk"} & set(session.drill_ids)
    # With the clamshell excluded (crossing the midline), isometric abduction answers the finding.
    careful = weak.model_copy(update={"precautions": [Caution.CROSSING_MIDLINE]})
    session = compose("pre-run", 6, careful, level=2)
    assert "clamshell" not in session.drill_ids
    assert "isometric-hip-abduction" in session.drill_ids


def test_a_must_have_drill_not_in_the_catalogue_is_simply_skipped() -> None:
    profile = Profile(restrictions=[finding("knee-pain-history", "both", 2)])
    catalogue = parse_catalogue({"drill": [_table("swing-a", addresses=["hip-control-deficit"]), _table("swing-b")]})
    problem, _ = build_problem(profile, "pre-run", 5, None, 5, catalogue=catalogue)
    assert problem.required == ()
    assert compose("pre-run", 5, profile, catalogue=catalogue).drill_ids


def test_must_haves_for_the_heaviest_findings_come_first_when_not_all_fit() -> None:
    profile = Profile(
        restrictions=[finding("hip-flexor-tightness", "both", 3), finding("hip-abductor-weakness", "left", 1)]
    )
    problem, _ = build_problem(profile, "pre-run", 2.5, [], 2)
    assert problem.required_for == (Restriction.HIP_FLEXOR_TIGHTNESS,)
    chosen = solve(problem)
    assert "half-kneeling-hip-flexor-stretch" in {problem.candidates[i].drill.id for i in chosen}
    assert problem.feasible(chosen)


def test_the_closing_drill_serves_a_finding_when_one_that_does_fits() -> None:
    ankle = Profile(restrictions=[finding("ankle-dorsiflexion-limit", "both", 1)])
    for seed in range(4):
        session = compose("pre-run", 4, ankle, level=2, seed=seed)
        assert session.drill_ids[-1] in ("dynamic-ankle-mobility", "lateral-lunge"), seed
    problem, _ = build_problem(OFFICE_WORKER, "pre-run", 8, ["foam-roller"], 2)
    closing = {c.drill.id for c in problem.candidates if c.closing}
    assert closing == {"forward-leg-swing"}, "ankle mobility no longer closes a session with no ankle finding"


def test_glute_activation_comes_with_hip_flexor_release_work_when_it_fits() -> None:
    tables = [
        _table("roll-hip-flexors", kind="soft-tissue", position="prone", targets=["hip-flexors"]),
        _table("bridge-a", kind="activation", position="supine", sides="both", targets=["glute-max"]),
        _table("swing-a"),
    ]
    tables[0]["sections"] = ["hip-flexor-release"]
    tables[0]["dose"] = {"duration_seconds": [30, 60]}
    tables[0]["addresses"] = ["hip-flexor-tightness"]
    catalogue = parse_catalogue({"drill": tables})
    profile = Profile(restrictions=[finding("hip-flexor-tightness", "both", 3)])
    problem, _ = build_problem(profile, "pre-run", 10, None, 5, catalogue=catalogue)
    ids = [c.drill.id for c in problem.candidates]
    roll, bridge = ids.index("roll-hip-flexors"), ids.index("bridge-a")
    swing = next(i for i, c in enumerate(problem.candidates) if c.closing)
    assert problem.seconds([roll, swing]) <= problem.budget
    assert not problem.feasible([roll, swing]), "release without the glute activation that fits"
    assert problem.feasible([roll, bridge, swing])
    assert problem.feasible([swing])
    session = compose("pre-run", 10, profile, catalogue=catalogue)
    assert session.drill_ids == ["roll-hip-flexors", "bridge-a", "swing-a"]
    assert any(reason.startswith("Glute activation after hip flexor release") for reason in session.items[1].why)
