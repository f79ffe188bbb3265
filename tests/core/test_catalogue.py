"""The drill catalogue: what a runner, a physio and the planner can rely on."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from hipcoach.core.catalogue import (
    BODY_WEIGHT,
    DEFAULT_CATALOGUE_PATH,
    CatalogueError,
    Drill,
    default_catalogue,
    load_catalogue_file,
    parse_catalogue,
)
from hipcoach.core.planner import Context, dose_range
from hipcoach.core.vocabulary import (
    Caution,
    Equipment,
    Kind,
    Phase,
    Position,
    Restriction,
    Section,
    Sides,
    Source,
    Target,
    allowed,
)

# Every drill of the source article, by article section.
ARTICLE_DRILLS = [
    # Dynamic Leg Swings, Standing Series
    "forward-leg-swing",
    "lateral-leg-swing",
    # Hip Flexor Release
    "foam-roller-hip-flexor-release",
    "half-kneeling-hip-flexor-stretch",
    "therapy-ball-hip-flexor-release",
    # Bum Activation
    "glute-bridge",
    "clamshell",
    "monster-walk",
    "single-leg-deadlift",
    "hip-thrust",
    # Deep Hip Rotator
    "quadruped-hip-external-rotation",
    "seated-hip-rotation",
    "banded-hip-rotation",
    # Standing Series
    "lateral-lunge",
    "standing-hip-circles",
    # Floor-Based Sequence
    "90-90-stretch",
    "supine-figure-four-stretch",
    "butterfly-stretch",
    # Pre-Run Routine
    "fire-hydrant",
    "reverse-lunge-with-twist",
    "dynamic-ankle-mobility",
    "pigeon-pose",
    "foam-roller-quadriceps-release",
    # Recovery Stretches
    "foam-roller-glute-release",
    "foam-roller-hamstring-release",
    "half-kneeling-hip-flexor-stretch-with-rotation",
    "elevated-hip-flexor-stretch",
    "single-knee-to-chest-stretch",
    "straddle-rocking-with-rotation",
    "crab-hip-rotations",
]
# Drills the article does not have, from the clinical reference (REFERENCE.md section 8): what the runner's
# history calls for.
REFERENCE_DRILLS = ["hamstring-strap-stretch", "step-down", "wall-squat", "split-squat", "isometric-hip-abduction"]
ALL_DRILLS = [drill.id for drill in default_catalogue()]
FOAM_ROLLER_DRILLS = [
    "foam-roller-hip-flexor-release",
    "foam-roller-quadriceps-release",
    "foam-roller-glute-release",
    "foam-roller-hamstring-release",
]
GLUTE_CHAIN = ["glute-bridge", "clamshell", "monster-walk", "single-leg-deadlift", "hip-thrust"]
KNEELING_STRETCH_CHAIN = [
    "half-kneeling-hip-flexor-stretch",
    "half-kneeling-hip-flexor-stretch-with-rotation",
    "elevated-hip-flexor-stretch",
]
# REFERENCE.md section 6: typical precautions after a hip replacement.
POSTERIOR_APPROACH = {Caution.HIP_FLEXION_PAST_90, Caution.CROSSING_MIDLINE, Caution.HIP_INTERNAL_ROTATION}
ANTERIOR_APPROACH = {Caution.EXTENSION_WITH_EXTERNAL_ROTATION}
HIP_REPLACEMENT_CAUTIONS = sorted(POSTERIOR_APPROACH | ANTERIOR_APPROACH)
REFERENCE_ROWS = {
    "4. static stretch",
    "4. static stretch before a run",
    "4. dynamic drills before a run",
    "4. foam rolling",
    "4. hip/glute strength",
    "8. patellofemoral pain",
    "8. gluteal tendinopathy",
    "8. short hamstrings",
}


def drill(drill_id: str) -> Drill:
    return default_catalogue().get(drill_id)


def allowed_after(excluded: set[Caution], phase: Phase) -> list[Drill]:
    return [d for d in default_catalogue().filter(phase=phase) if not excluded & set(d.cautions)]


# --- the article's drills are all there -------------------------------------------------------------


@pytest.mark.parametrize("drill_id", ARTICLE_DRILLS)
def test_every_article_drill_is_in_the_catalogue_ready_to_use(drill_id: str) -> None:
    found = drill(drill_id)
    assert found.dose.amount.min >= 1
    assert found.cues
    assert found.targets
    assert found.phases


@pytest.mark.parametrize("drill_id", ALL_DRILLS)
def test_each_drill_has_a_few_plain_steps_and_its_common_faults(drill_id: str) -> None:
    found = drill(drill_id)
    assert 3 <= len(found.cues) <= 6
    assert 1 <= len(found.mistakes) <= 3


@pytest.mark.parametrize(
    ("drill_id", "sections"),
    [
        ("clamshell", {Section.BUM_ACTIVATION, Section.FLOOR_SEQUENCE, Section.PRE_RUN_ROUTINE}),
        ("90-90-stretch", {Section.FLOOR_SEQUENCE, Section.PRE_RUN_ROUTINE}),
        ("quadruped-hip-external-rotation", {Section.DEEP_HIP_ROTATOR, Section.FLOOR_SEQUENCE}),
        ("forward-leg-swing", {Section.DYNAMIC_LEG_SWINGS, Section.STANDING_SERIES, Section.PRE_RUN_ROUTINE}),
        ("lateral-leg-swing", {Section.DYNAMIC_LEG_SWINGS, Section.STANDING_SERIES, Section.PRE_RUN_ROUTINE}),
        ("lateral-lunge", {Section.STANDING_SERIES, Section.PRE_RUN_ROUTINE}),
        ("supine-figure-four-stretch", {Section.FLOOR_SEQUENCE, Section.PRE_RUN_ROUTINE}),
        ("glute-bridge", {Section.BUM_ACTIVATION, Section.PRE_RUN_ROUTINE}),
        (
            "foam-roller-hip-flexor-release",
            {Section.HIP_FLEXOR_RELEASE, Section.PRE_RUN_ROUTINE, Section.RECOVERY_STRETCHES},
        ),
        ("half-kneeling-hip-flexor-stretch", {Section.HIP_FLEXOR_RELEASE, Section.RECOVERY_STRETCHES}),
    ],
)
def test_a_drill_cites_every_article_section_it_appears_in(drill_id: str, sections: set[Section]) -> None:
    assert set(drill(drill_id).sections) == sections


@pytest.mark.parametrize("drill_id", ALL_DRILLS)
def test_each_drill_says_where_its_dose_comes_from(drill_id: str) -> None:
    found = drill(drill_id)
    evidence = found.evidence
    if found.source is Source.ARTICLE:
        assert evidence.section is not None  # the section that states the dose, which may be another one
        assert evidence.article
    else:
        assert evidence.citation
    assert set(evidence.reference) <= REFERENCE_ROWS


def test_the_catalogue_is_the_articles_30_drills_and_the_clinical_references_few() -> None:
    by_source = {source: [d.id for d in default_catalogue() if d.source is source] for source in Source}
    assert sorted(by_source[Source.ARTICLE]) == sorted(ARTICLE_DRILLS)
    assert sorted(by_source[Source.CLINICAL_REFERENCE]) == sorted(REFERENCE_DRILLS)


@pytest.mark.parametrize(
    ("drill_id", "row", "source"),
    [
        ("hamstring-strap-stretch", "8. short hamstrings", "Garber 2011"),
        ("step-down", "8. patellofemoral pain", "JOSPT 2019 guideline, Willy et al."),
        ("wall-squat", "8. patellofemoral pain", "JOSPT 2019 guideline, Willy et al."),
        ("split-squat", "8. patellofemoral pain", "JOSPT 2019 guideline, Willy et al."),
        ("isometric-hip-abduction", "8. gluteal tendinopathy", "Grimaldi & Fearon 2015"),
    ],
)
def test_a_drill_from_the_clinical_reference_names_its_published_source_and_never_the_article(
    drill_id: str, row: str, source: str
) -> None:
    found = drill(drill_id)
    assert found.source is Source.CLINICAL_REFERENCE
    assert not found.from_article
    assert found.sections == []
    assert found.evidence.section is None
    assert found.evidence.article is None
    assert row in found.evidence.reference
    assert source in (found.evidence.citation or "")
    assert found.source_text().startswith("Clinical reference, not the article: ")


def test_an_article_drill_says_the_article_section_and_its_words() -> None:
    text = drill("clamshell").source_text()
    assert text.startswith('The article, Bum Activation Exercises: "Progress to clamshells')
    assert text.endswith("(dose: 4. hip/glute strength)")


@pytest.mark.parametrize("drill_id", REFERENCE_DRILLS)
def test_a_drill_from_the_clinical_reference_joins_no_chain_of_the_article(drill_id: str) -> None:
    assert [d.id for d in default_catalogue().progression_chain(drill_id)] == [drill_id]


def test_a_drill_stored_before_sources_were_told_apart_reads_as_the_articles() -> None:
    record = drill("pigeon-pose").model_dump(mode="json")
    del record["source"]
    del record["evidence"]["citation"]
    assert Drill.model_validate(record) == drill("pigeon-pose")


# --- doses: the article first, then REFERENCE.md section 4 -------------------------------------------


@pytest.mark.parametrize("drill_id", ["forward-leg-swing", "lateral-leg-swing"])
def test_leg_swings_are_10_to_15_reps_per_leg(drill_id: str) -> None:
    found = drill(drill_id)
    assert found.dose.unit == "reps"
    assert (found.dose.amount.min, found.dose.amount.max) == (10, 15)
    assert found.one_sided
    assert found.dose_text() == "10-15 reps per side"


@pytest.mark.parametrize("drill_id", FOAM_ROLLER_DRILLS)
def test_foam_rolling_lasts_30_to_60_seconds_per_area(drill_id: str) -> None:
    found = drill(drill_id)
    assert found.dose.unit == "duration_seconds"
    assert (found.dose.amount.min, found.dose.amount.max) == (30, 60)
    assert found.one_sided
    assert Equipment.FOAM_ROLLER in found.equipment


def test_kneeling_hip_flexor_stretch_is_held_20_to_30_seconds_each_side() -> None:
    found = drill("half-kneeling-hip-flexor-stretch")
    assert found.dose.unit == "hold_seconds"
    assert (found.dose.amount.min, found.dose.amount.max) == (20, 30)
    assert found.sides is Sides.EACH


def test_therapy_ball_holds_pressure_30_seconds_on_each_side() -> None:
    found = drill("therapy-ball-hip-flexor-release")
    assert found.dose.unit == "duration_seconds"
    assert (found.dose.amount.min, found.dose.amount.max) == (30, 30)
    assert found.one_sided
    assert found.equipment == [Equipment.MASSAGE_BALL]


@pytest.mark.parametrize("drill_id", [d.id for d in default_catalogue() if d.kind in {Kind.STRENGTH, Kind.ACTIVATION}])
def test_strength_and_activation_work_is_2_to_3_sets_of_10_to_15_with_rest(drill_id: str) -> None:
    dose = drill(drill_id).dose
    assert dose.unit == "reps"
    assert (dose.amount.min, dose.amount.max) == (10, 15)
    assert (dose.sets.min, dose.sets.max) == (2, 3)
    assert 30 <= dose.rest_seconds <= 60


@pytest.mark.parametrize("drill_id", [d.id for d in default_catalogue() if d.kind is Kind.STATIC_STRETCH])
def test_static_stretches_are_held_within_the_adult_range(drill_id: str) -> None:
    dose = drill(drill_id).dose
    assert dose.unit == "hold_seconds"
    assert 10 <= dose.amount.min <= dose.amount.max <= 30


@pytest.mark.parametrize("drill_id", [d.id for d in default_catalogue() if d.kind is Kind.SOFT_TISSUE])
def test_soft_tissue_work_stays_within_30_to_120_seconds(drill_id: str) -> None:
    dose = drill(drill_id).dose
    assert dose.unit == "duration_seconds"
    assert 30 <= dose.amount.min <= dose.amount.max <= 120


@pytest.mark.parametrize("drill_id", [d.id for d in default_catalogue() if d.dose.unit == "reps"])
def test_every_rep_has_a_realistic_pace(drill_id: str) -> None:
    pace = drill(drill_id).dose.seconds_per_rep
    assert pace is not None
    assert 1 <= pace <= 5


@pytest.mark.parametrize(
    ("drill_id", "text"),
    [
        ("forward-leg-swing", "10-15 reps per side"),
        ("glute-bridge", "10-15 reps, 2-3 sets, 30 s rest"),
        ("clamshell", "10-15 reps per side, 2-3 sets, 30 s rest"),
        ("half-kneeling-hip-flexor-stretch", "hold 20-30 s per side, 1-2 sets"),
        ("therapy-ball-hip-flexor-release", "30 s per side"),
        ("foam-roller-quadriceps-release", "30-60 s per side"),
        ("butterfly-stretch", "hold 20-30 s, 1-2 sets, 10 s rest"),
    ],
)
def test_the_dose_reads_in_plain_words(drill_id: str, text: str) -> None:
    assert drill(drill_id).dose_text() == text


@pytest.mark.parametrize("drill_id", ["glute-bridge", "butterfly-stretch", "hip-thrust", "monster-walk"])
def test_drills_done_with_both_legs_together_are_dosed_for_the_whole_body(drill_id: str) -> None:
    assert drill(drill_id).sides is Sides.BOTH
    assert "per side" not in drill(drill_id).dose_text()


@pytest.mark.parametrize(
    ("drill_id", "equipment"),
    [
        ("monster-walk", {Equipment.BAND}),
        ("banded-hip-rotation", {Equipment.BAND}),
        ("therapy-ball-hip-flexor-release", {Equipment.MASSAGE_BALL}),
        ("elevated-hip-flexor-stretch", {Equipment.BENCH}),
        ("hip-thrust", {Equipment.BENCH}),
        ("glute-bridge", set()),
        ("90-90-stretch", set()),
    ],
)
def test_each_drill_asks_only_for_the_kit_it_needs(drill_id: str, equipment: set[Equipment]) -> None:
    assert set(drill(drill_id).equipment) == equipment


# --- progressions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("member", GLUTE_CHAIN)
def test_the_glute_chain_runs_from_bridge_to_hip_thrust(member: str) -> None:
    chain = default_catalogue().progression_chain(member)
    assert [d.id for d in chain] == GLUTE_CHAIN
    levels = [d.level for d in chain]
    assert levels == sorted(set(levels))
    assert drill("single-leg-deadlift").level == 4
    assert drill("hip-thrust").level == 5


@pytest.mark.parametrize("member", KNEELING_STRETCH_CHAIN)
def test_the_kneeling_hip_flexor_stretch_has_two_harder_variants(member: str) -> None:
    chain = default_catalogue().progression_chain(member)
    assert [d.id for d in chain] == KNEELING_STRETCH_CHAIN
    levels = [d.level for d in chain]
    assert levels == sorted(set(levels))


def test_a_drill_outside_any_chain_is_a_chain_of_one() -> None:
    assert [d.id for d in default_catalogue().progression_chain("pigeon-pose")] == ["pigeon-pose"]


# --- phases, coverage and safety ---------------------------------------------------------------------


@pytest.mark.parametrize("phase", list(Phase))
def test_every_phase_has_drills_to_choose_from(phase: Phase) -> None:
    assert len(default_catalogue().filter(phase=phase)) >= 5


@pytest.mark.parametrize(
    "drill_id", [d.id for d in default_catalogue().filter(phase=Phase.PRE_RUN, kind=Kind.STATIC_STRETCH)]
)
@pytest.mark.parametrize("older_adult", [False, True])
def test_a_static_hold_before_a_run_is_at_most_30_seconds(drill_id: str, older_adult: bool) -> None:
    # REFERENCE.md 4: static stretch before a run costs least when under 60 s per muscle. The catalogue
    # may allow a second hold after a run; before a run the planner gives one hold of at most 30 s.
    assert drill(drill_id).dose.amount.max <= 30
    limits = dose_range(Context.PRE_RUN, drill(drill_id), older_adult)
    assert limits.high <= 30
    assert limits.sets_low == limits.sets_high == 1
    assert limits.high * limits.sets_high < 60


POST_RUN_STATIC_STRETCHES = [d.id for d in default_catalogue().filter(phase=Phase.POST_RUN, kind=Kind.STATIC_STRETCH)]


@pytest.mark.parametrize("drill_id", POST_RUN_STATIC_STRETCHES)
def test_a_static_stretch_after_a_run_can_reach_about_60_seconds_in_2_to_4_holds(drill_id: str) -> None:
    # REFERENCE.md 4, static stretch (ACSM): 2-4 repetitions to about 60 s per muscle group. One hold
    # stays allowed for a short session; the top of the range reaches 60 s and one hold fewer does not.
    found = drill(drill_id)
    dose = found.dose
    assert dose.unit == "hold_seconds"
    assert dose.sets.min == 1
    assert 2 <= dose.sets.max <= 4
    assert dose.amount.max * dose.sets.max >= 60 > dose.amount.max * (dose.sets.max - 1)
    assert "4. static stretch" in found.evidence.reference


@pytest.mark.parametrize("drill_id", ALL_DRILLS)
def test_a_drill_cites_a_before_a_run_row_only_when_it_is_done_before_a_run(drill_id: str) -> None:
    found = drill(drill_id)
    before_a_run = [row for row in found.evidence.reference if row.endswith("before a run")]
    if before_a_run:
        assert Phase.PRE_RUN in found.phases, before_a_run


def test_a_pre_run_session_can_always_end_on_dynamic_movement() -> None:
    dynamic = default_catalogue().filter(phase=Phase.PRE_RUN, kind=Kind.DYNAMIC)
    assert {d.id for d in dynamic} >= {
        "forward-leg-swing",
        "lateral-leg-swing",
        "lateral-lunge",
        "standing-hip-circles",
        "reverse-lunge-with-twist",
        "dynamic-ankle-mobility",
    }


@pytest.mark.parametrize(
    ("drill_id", "phase"),
    [
        ("monster-walk", Phase.STRENGTH),
        ("single-leg-deadlift", Phase.STRENGTH),
        ("hip-thrust", Phase.STRENGTH),
        ("banded-hip-rotation", Phase.STRENGTH),
        ("butterfly-stretch", Phase.REST_DAY),
        ("90-90-stretch", Phase.REST_DAY),
        ("foam-roller-hip-flexor-release", Phase.PRE_RUN),
        ("foam-roller-hip-flexor-release", Phase.POST_RUN),
        ("elevated-hip-flexor-stretch", Phase.POST_RUN),
        ("crab-hip-rotations", Phase.POST_RUN),
    ],
)
def test_drills_are_offered_where_the_article_uses_them(drill_id: str, phase: Phase) -> None:
    assert phase in drill(drill_id).phases


@pytest.mark.parametrize("restriction", list(Restriction))
def test_every_restriction_is_worked_on_by_some_drill(restriction: Restriction) -> None:
    assert [d for d in default_catalogue() if restriction in d.addresses]


@pytest.mark.parametrize(
    ("restriction", "drill_id"),
    [
        (Restriction.ANKLE_DORSIFLEXION_LIMIT, "dynamic-ankle-mobility"),
        (Restriction.HIP_IR_LIMIT, "90-90-stretch"),
        (Restriction.HIP_IR_LIMIT, "seated-hip-rotation"),
        (Restriction.HIP_ER_LIMIT, "supine-figure-four-stretch"),
        (Restriction.HIP_ER_LIMIT, "pigeon-pose"),
        (Restriction.HIP_ABDUCTOR_WEAKNESS, "clamshell"),
        (Restriction.HIP_ABDUCTOR_WEAKNESS, "monster-walk"),
        (Restriction.HIP_CONTROL_DEFICIT, "single-leg-deadlift"),
        (Restriction.HIP_CONTROL_DEFICIT, "fire-hydrant"),
        (Restriction.SEDENTARY_PATTERN, "glute-bridge"),
        (Restriction.RECTUS_FEMORIS_TIGHTNESS, "elevated-hip-flexor-stretch"),
        (Restriction.GENERAL_MOBILITY_LIMIT, "standing-hip-circles"),
        # REFERENCE.md section 8: the history's work, from the clinical reference.
        (Restriction.KNEE_PAIN_HISTORY, "step-down"),
        (Restriction.KNEE_PAIN_HISTORY, "wall-squat"),
        (Restriction.KNEE_PAIN_HISTORY, "split-squat"),
        (Restriction.HIP_CONTROL_DEFICIT, "step-down"),
        (Restriction.HIP_CONTROL_DEFICIT, "split-squat"),
        (Restriction.LATERAL_HIP_PAIN_HISTORY, "isometric-hip-abduction"),
        (Restriction.HIP_ABDUCTOR_WEAKNESS, "isometric-hip-abduction"),
        (Restriction.HAMSTRING_TIGHTNESS, "hamstring-strap-stretch"),
    ],
)
def test_a_restriction_leads_to_the_drills_meant_for_it(restriction: Restriction, drill_id: str) -> None:
    assert restriction in drill(drill_id).addresses


@pytest.mark.parametrize(
    ("drill_id", "caution"),
    [
        ("single-knee-to-chest-stretch", Caution.HIP_FLEXION_PAST_90),
        ("90-90-stretch", Caution.HIP_FLEXION_PAST_90),
        ("90-90-stretch", Caution.HIP_INTERNAL_ROTATION),
        ("pigeon-pose", Caution.HIP_FLEXION_PAST_90),
        ("supine-figure-four-stretch", Caution.HIP_FLEXION_PAST_90),
        ("seated-hip-rotation", Caution.HIP_INTERNAL_ROTATION),
        ("crab-hip-rotations", Caution.HIP_INTERNAL_ROTATION),
        ("lateral-leg-swing", Caution.CROSSING_MIDLINE),
        ("half-kneeling-hip-flexor-stretch", Caution.KNEELING),
        ("elevated-hip-flexor-stretch", Caution.EXTENSION_WITH_EXTERNAL_ROTATION),
        ("single-leg-deadlift", Caution.SINGLE_LEG_LOAD),
        ("single-leg-deadlift", Caution.INTERNAL_ROTATION_UNDER_LOAD),
        ("reverse-lunge-with-twist", Caution.INTERNAL_ROTATION_UNDER_LOAD),
        ("forward-leg-swing", Caution.SINGLE_LEG_LOAD),
        # REFERENCE.md section 8: the history's precautions.
        ("elevated-hip-flexor-stretch", Caution.DEEP_LOADED_KNEE_BEND),
        ("lateral-lunge", Caution.DEEP_LOADED_KNEE_BEND),
        ("reverse-lunge-with-twist", Caution.DEEP_LOADED_KNEE_BEND),
        ("straddle-rocking-with-rotation", Caution.DEEP_LOADED_KNEE_BEND),
        ("clamshell", Caution.GLUTEAL_COMPRESSION),
        ("pigeon-pose", Caution.GLUTEAL_COMPRESSION),
        ("lateral-leg-swing", Caution.GLUTEAL_COMPRESSION),
        ("crab-hip-rotations", Caution.GLUTEAL_COMPRESSION),
        ("clamshell", Caution.ISOTONIC_ABDUCTION),
        ("fire-hydrant", Caution.ISOTONIC_ABDUCTION),
        ("monster-walk", Caution.ISOTONIC_ABDUCTION),
        ("step-down", Caution.SINGLE_LEG_LOAD),
        ("split-squat", Caution.SINGLE_LEG_LOAD),
        ("hamstring-strap-stretch", Caution.HIP_FLEXION_PAST_90),
    ],
)
def test_a_drill_carries_the_cautions_of_its_movement(drill_id: str, caution: Caution) -> None:
    assert caution in drill(drill_id).cautions


@pytest.mark.parametrize(
    ("drill_id", "caution"),
    [
        # The knee work for patellofemoral pain goes only to a comfortable depth (REFERENCE.md 8).
        ("step-down", Caution.DEEP_LOADED_KNEE_BEND),
        ("wall-squat", Caution.DEEP_LOADED_KNEE_BEND),
        ("split-squat", Caution.DEEP_LOADED_KNEE_BEND),
        # The first abductor work for gluteal tendinopathy: isometric, lying on the back, knees apart.
        ("isometric-hip-abduction", Caution.GLUTEAL_COMPRESSION),
        ("isometric-hip-abduction", Caution.ISOTONIC_ABDUCTION),
        ("isometric-hip-abduction", Caution.CROSSING_MIDLINE),
        # A figure four turns the crossed leg out, away from the midline.
        ("supine-figure-four-stretch", Caution.GLUTEAL_COMPRESSION),
    ],
)
def test_the_historys_safe_alternatives_are_free_of_what_it_avoids(drill_id: str, caution: Caution) -> None:
    assert caution not in drill(drill_id).cautions


def test_patellofemoral_pain_now_still_leaves_every_knee_drill_for_strength() -> None:
    # REFERENCE.md 8: avoid deep loaded knee bending while it hurts, and add knee-targeted work.
    remaining = allowed_after({Caution.DEEP_LOADED_KNEE_BEND}, Phase.STRENGTH)
    knee_work = {d.id for d in remaining if Restriction.KNEE_PAIN_HISTORY in d.addresses}
    assert knee_work == {"step-down", "wall-squat", "split-squat"}


@pytest.mark.parametrize("phase", [Phase.PRE_RUN, Phase.STRENGTH, Phase.REST_DAY])
def test_gluteal_tendinopathy_now_still_has_isometric_abductor_work(phase: Phase) -> None:
    # REFERENCE.md 8 (Grimaldi & Fearon 2015): avoid compression, start the abductors with isometrics.
    remaining = allowed_after({Caution.GLUTEAL_COMPRESSION, Caution.ISOTONIC_ABDUCTION}, phase)
    abductor_work = [d.id for d in remaining if Restriction.LATERAL_HIP_PAIN_HISTORY in d.addresses]
    assert abductor_work == ["isometric-hip-abduction"]
    assert not {"clamshell", "fire-hydrant", "monster-walk", "pigeon-pose"} & {d.id for d in remaining}


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize(
    "precautions",
    [{Caution.DEEP_LOADED_KNEE_BEND}, {Caution.GLUTEAL_COMPRESSION, Caution.ISOTONIC_ABDUCTION}],
    ids=["patellofemoral-pain-now", "gluteal-tendinopathy-now"],
)
def test_a_runner_with_a_history_still_has_a_routine(precautions: set[Caution], phase: Phase) -> None:
    remaining = allowed_after(precautions, phase)
    assert len(remaining) >= 4
    if phase is Phase.PRE_RUN:
        assert any(d.kind is Kind.DYNAMIC for d in remaining)


@pytest.mark.parametrize(("drill_id", "low", "high"), [("hamstring-strap-stretch", 10, 30)])
def test_the_strap_hamstring_stretch_is_held_as_acsm_gives(drill_id: str, low: int, high: int) -> None:
    # REFERENCE.md 4, static stretch: hold 10-30 s for adults.
    dose = drill(drill_id).dose
    assert (dose.unit, dose.amount.min, dose.amount.max) == ("hold_seconds", low, high)
    assert Phase.PRE_RUN not in drill(drill_id).phases


@pytest.mark.parametrize("phase", [Phase.PRE_RUN, Phase.POST_RUN])
@pytest.mark.parametrize("caution", HIP_REPLACEMENT_CAUTIONS)
def test_each_hip_replacement_precaution_leaves_enough_drills(caution: Caution, phase: Phase) -> None:
    assert len(allowed_after({caution}, phase)) >= 4


@pytest.mark.parametrize("phase", [Phase.PRE_RUN, Phase.POST_RUN])
@pytest.mark.parametrize("precautions", [POSTERIOR_APPROACH, ANTERIOR_APPROACH], ids=["posterior", "anterior"])
def test_a_runner_with_a_hip_replacement_still_has_a_routine(precautions: set[Caution], phase: Phase) -> None:
    remaining = allowed_after(precautions, phase)
    assert len(remaining) >= 4
    if phase is Phase.PRE_RUN:
        assert any(d.kind is Kind.DYNAMIC for d in remaining)


# --- filtering ---------------------------------------------------------------------------------------


def test_filter_by_phase_keeps_only_drills_for_that_phase() -> None:
    strength = default_catalogue().filter(phase=Phase.STRENGTH)
    assert {d.id for d in strength} >= set(GLUTE_CHAIN)
    assert all(Phase.STRENGTH in d.phases for d in strength)


def test_filter_by_target_finds_the_ankle_drill() -> None:
    assert [d.id for d in default_catalogue().filter(target=Target.CALVES)] == ["dynamic-ankle-mobility"]


def test_filter_by_equipment_finds_every_foam_roller_drill() -> None:
    found = {d.id for d in default_catalogue().filter(equipment=Equipment.FOAM_ROLLER)}
    assert found == set(FOAM_ROLLER_DRILLS)


def test_filter_for_body_weight_only_needs_no_kit() -> None:
    body_weight = default_catalogue().filter(equipment=BODY_WEIGHT)
    assert body_weight
    assert all(not d.equipment for d in body_weight)
    assert "monster-walk" not in {d.id for d in body_weight}


def test_filter_by_position_finds_the_half_kneeling_stretches() -> None:
    found = {d.id for d in default_catalogue().filter(position=Position.HALF_KNEELING)}
    assert found == set(KNEELING_STRETCH_CHAIN)


def test_filters_combine() -> None:
    found = default_catalogue().filter(phase=Phase.PRE_RUN, target=Target.GLUTE_MED, kind=Kind.ACTIVATION)
    assert {d.id for d in found} == {"clamshell", "fire-hydrant", "isometric-hip-abduction"}


def test_asking_for_an_unknown_drill_names_it() -> None:
    with pytest.raises(KeyError, match="no drill with id 'moonwalk'"):
        default_catalogue().get("moonwalk")


# --- validation of a broken catalogue ----------------------------------------------------------------


@cache
def _real_tables() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


def real_data() -> dict[str, Any]:
    """A fresh copy of the shipped catalogue's data, safe to break."""
    return copy.deepcopy(_real_tables())


def table(data: dict[str, Any], drill_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["drill"] if t["id"] == drill_id)
    return found


def problems_of(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    return str(caught.value)


def set_field(drill_id: str, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        table(data, drill_id)[field] = value

    return mutate


def set_dose(drill_id: str, **dose: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        table(data, drill_id)["dose"] = dose

    return mutate


def drop_dose(data: dict[str, Any]) -> None:
    del table(data, "clamshell")["dose"]


def duplicate_id(data: dict[str, Any]) -> None:
    data["drill"].append(copy.deepcopy(table(data, "pigeon-pose")))


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        pytest.param(
            set_field("glute-bridge", "kind", "stretchy"),
            ["drill 'glute-bridge'", "field 'kind'", "'stretchy' is not allowed", f"allowed: {allowed(Kind)}"],
            id="unknown-kind",
        ),
        pytest.param(
            set_field("glute-bridge", "targets", ["glute-max", "toes"]),
            ["drill 'glute-bridge'", "field 'targets.1'", "'toes' is not allowed", f"allowed: {allowed(Target)}"],
            id="unknown-target",
        ),
        pytest.param(
            set_field("pigeon-pose", "phases", ["warm-down"]),
            ["drill 'pigeon-pose'", "field 'phases.0'", "'warm-down'", f"allowed: {allowed(Phase)}"],
            id="unknown-phase",
        ),
        pytest.param(
            set_field("monster-walk", "equipment", ["kettle"]),
            ["drill 'monster-walk'", "field 'equipment.0'", "'kettle'", f"allowed: {allowed(Equipment)}"],
            id="unknown-equipment",
        ),
        pytest.param(
            set_field("90-90-stretch", "cautions", ["jumping"]),
            ["drill '90-90-stretch'", "field 'cautions.0'", "'jumping'", f"allowed: {allowed(Caution)}"],
            id="unknown-caution",
        ),
        pytest.param(
            drop_dose,
            ["drill 'clamshell'", "field 'dose' is missing; give one of reps, hold_seconds, duration_seconds"],
            id="missing-dose",
        ),
        pytest.param(
            set_dose("clamshell"),
            ["drill 'clamshell'", "field 'dose'", "give exactly one of reps, hold_seconds, duration_seconds"],
            id="dose-without-amount",
        ),
        pytest.param(
            set_dose("pigeon-pose", hold_seconds=[20, 30], duration_seconds=[30, 60]),
            [
                "drill 'pigeon-pose'",
                "field 'dose'",
                "give exactly one of reps, hold_seconds, duration_seconds",
                "found hold_seconds, duration_seconds",
            ],
            id="two-dose-kinds",
        ),
        pytest.param(
            set_dose("forward-leg-swing", reps=[15, 10], seconds_per_rep=2),
            ["drill 'forward-leg-swing'", "field 'dose.reps'", "inverted", "min 15 is greater than max 10"],
            id="inverted-range",
        ),
        pytest.param(
            duplicate_id,
            ["drill 'pigeon-pose'", "field 'id'", "ids are unique"],
            id="duplicate-id",
        ),
        pytest.param(
            set_field("fire-hydrant", "progresses_to", "moonwalk"),
            ["drill 'fire-hydrant'", "field 'progresses_to'", "'moonwalk' names no drill in the catalogue"],
            id="progression-to-nowhere",
        ),
        pytest.param(
            set_field("hip-thrust", "progresses_to", "glute-bridge"),
            ["drill 'hip-thrust'", "field 'progresses_to'", "chain returns to 'hip-thrust'", "a chain must end"],
            id="progression-cycle",
        ),
        pytest.param(
            set_field("glute-bridge", "source", "blog"),
            ["drill 'glute-bridge'", "field 'source'", "'blog' is not allowed", "allowed: article, clinical-reference"],
            id="unknown-source",
        ),
        pytest.param(
            set_field("glute-bridge", "sections", []),
            ["drill 'glute-bridge'", "field 'sections'", "a drill of the article lists the article sections"],
            id="article-drill-without-sections",
        ),
        pytest.param(
            set_field("clamshell", "evidence", {"reference": ["4. hip/glute strength"]}),
            ["drill 'clamshell'", "field 'evidence'", "cites its section and what it says"],
            id="article-drill-without-its-words",
        ),
        pytest.param(
            set_field("step-down", "evidence", {"reference": ["8. patellofemoral pain"]}),
            ["drill 'step-down'", "field 'evidence.citation'", "names its published source"],
            id="reference-drill-without-citation",
        ),
        pytest.param(
            set_field("wall-squat", "sections", ["pre-run-routine"]),
            ["drill 'wall-squat'", "field 'sections'", "is not in the article; leave sections empty"],
            id="reference-drill-claiming-the-article",
        ),
        pytest.param(
            set_field("hip-thrust", "level", 6),
            ["drill 'hip-thrust'", "field 'level'", "less than or equal to 5"],
            id="level-6",
        ),
    ],
)
def test_a_broken_catalogue_is_refused_with_a_message_naming_drill_field_and_what_is_allowed(
    break_it: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    data = real_data()
    break_it(data)
    message = problems_of(data)
    for part in expected:
        assert part in message


def test_a_catalogue_with_several_problems_lists_every_one() -> None:
    data = real_data()
    table(data, "pigeon-pose")["kind"] = "stretchy"
    table(data, "fire-hydrant")["level"] = 6
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    assert len(caught.value.problems) == 2


def test_breaking_a_copy_leaves_the_shipped_catalogue_intact() -> None:
    data = real_data()
    table(data, "glute-bridge")["kind"] = "stretchy"
    assert len(parse_catalogue(real_data())) == len(default_catalogue())


def test_a_file_that_is_not_toml_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "drills.toml"
    path.write_text("[[drill]\nid = glute bridge\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML") as caught:
        load_catalogue_file(path)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(CatalogueError, match="cannot read the file"):
        load_catalogue_file(path)


def test_a_file_without_drills_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text('title = "no drills here"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"expected one or more \[\[drill\]\] tables"):
        load_catalogue_file(path)
