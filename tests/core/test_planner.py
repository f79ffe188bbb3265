"""Example tests of the session composer: order per context, doses, personalisation, refer, input errors."""

from __future__ import annotations

from typing import Any

import pytest

from hipcoach.core.catalogue import Catalogue, default_catalogue, parse_catalogue
from hipcoach.core.planner import (
    Context,
    PlannerInputError,
    ReferralRequired,
    Session,
    build_problem,
    compose_session,
    dose_range,
    eligible_drills,
    solve,
)
from hipcoach.core.profile import Finding, Profile
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
    assert 0.8 * 600 <= session.total_seconds <= 600


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


def test_pre_run_static_limit_holds_while_doses_grow_and_after_a_run_it_does_not_apply() -> None:
    # Three 20-30 s holds on the same target and a closing swing, with time to spare: two holds at most,
    # and the doses stop growing before the target reaches 60 s a side (30 + 30 would).
    tables = [_table(f"hold-{name}", kind="static-stretch", position="supine") for name in "abc"]
    tables.append(_table("swing-a"))
    for table in tables:
        table["phases"] = ["pre-run", "post-run"]
    catalogue = parse_catalogue({"drill": tables})
    session = compose("pre-run", 20, catalogue=catalogue)
    holds = [item.drill_id for item in session.items if item.unit == "hold_seconds"]
    assert len(holds) == 2
    assert static_seconds_per_target(session, catalogue)["hip-capsule", Side.LEFT] == 55
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


def test_older_adult_post_run_holds_grow_towards_a_minute_when_there_is_time() -> None:
    session = compose("post-run", 30, Profile(age=72))
    holds = [dose.amount for item in session.items if item.kind is Kind.STATIC_STRETCH for dose in item.doses]
    assert max(holds) > 30
    assert any("30-60 s from age 65" in reason for item in session.items for reason in item.why)


def test_after_a_run_the_kneeling_hip_flexor_stretch_reaches_about_60_seconds_a_side_when_there_is_time() -> None:
    # REFERENCE.md 4, static stretch (ACSM): 2-4 repetitions to about 60 s per muscle group; before a
    # run the same stretch stays one hold.
    profile = Profile(restrictions=[finding("hip-flexor-tightness", "both", 3)])
    after = compose("post-run", 20, profile, level=1)
    stretch = next(item for item in after.items if item.drill_id == "half-kneeling-hip-flexor-stretch")
    assert [(dose.amount, dose.sets) for dose in stretch.doses] == [(30, 2), (30, 2)]
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
    assert 0.8 * 180 <= session.total_seconds <= 180
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


def test_the_tighter_side_gets_the_extra_set_or_the_longer_hold() -> None:
    profile = Profile(
        restrictions=[finding("hip-flexor-tightness", "left", 3), finding("hip-flexor-tightness", "right", 1)]
    )
    session = compose("post-run", 10, profile)
    one_sided = [
        item
        for item in session.items
        if Restriction.HIP_FLEXOR_TIGHTNESS in CATALOGUE.get(item.drill_id).addresses and len(item.doses) == 2
    ]
    assert one_sided
    for item in one_sided:
        limits = dose_range(Context.POST_RUN, CATALOGUE.get(item.drill_id), older_adult=False)
        if item.sides.value == "alternating" or (limits.low, limits.sets_low) == (limits.high, limits.sets_high):
            continue  # alternating drills work both legs alike; a fixed dose has nothing extra to give
        left, right = item.dose_for(Side.LEFT), item.dose_for(Side.RIGHT)
        assert (left.sets, left.amount) > (right.sets, right.amount), item.drill_id
        assert any("left side is the tighter one" in reason for reason in item.why)


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


def test_a_drill_the_runner_progressed_to_is_used_above_their_level() -> None:
    states = {"clamshell": DoseState(drill_id="clamshell", amount=10, sets=2)}
    strength = compose("strength", 30, level=1, dose_states=states)
    assert [i.drill_id for i in strength.items if i.drill_id in GLUTE_CHAIN] == ["glute-bridge", "clamshell"]
    pre_run = compose("pre-run", 15, level=1, dose_states=states)
    assert "glute-bridge" not in pre_run.drill_ids
    assert any("progressed past it to clamshell" in note for note in pre_run.notes)


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
