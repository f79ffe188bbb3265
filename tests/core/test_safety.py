"""Safety wins over everything: red flags, painful tests and hip replacements (REFERENCE.md section 6)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hipcoach.core.safety import (
    PRECAUTIONS_BY_APPROACH,
    Approach,
    EnergySign,
    RedFlag,
    Urgency,
    loaded_tests_allowed,
    precautions_for,
)
from hipcoach.core.screen import (
    SAFETY_QUESTION_FIELDS,
    TEST_STEPS,
    ScreenAnswers,
    ScreenInputError,
    ScreenResult,
    TestId,
    parse_answers,
    score_screen,
    screen_json_schema,
    skipped_tests,
    unanswered_safety_questions,
    urgent_answers,
)
from hipcoach.core.vocabulary import Caution

BASE: dict[str, Any] = {"age": 40, "red_flags": [], "pain_now": 0, "hip_replacement": None, "tests": {}}
LOADED = {TestId.SINGLE_LEG_SQUAT, TestId.SINGLE_LEG_STANCE, TestId.DEEP_SQUAT}
SAME_DAY = {
    RedFlag.GROIN_PAIN_RUNNING,
    RedFlag.PAIN_ON_HOPPING,
    RedFlag.PAINFUL_LIMITED_IR,
    RedFlag.LIMP,
    RedFlag.NIGHT_PAIN,
}


def answers(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def score(**changes: Any) -> ScreenResult:
    return score_screen(parse_answers(answers(**changes)))


def replacement(approach: str, cleared: bool, side: str = "left") -> dict[str, Any]:
    return {"side": side, "approach": approach, "cleared_by_clinician": cleared}


# ---------------------------------------------------------------------------------------------
# Red flags
# ---------------------------------------------------------------------------------------------


def test_the_red_flags_cover_reference_section_6() -> None:
    assert {flag.value for flag in RedFlag} == {
        "night-pain",
        "groin-pain-running",
        "pain-on-hopping",
        "painful-limited-ir",
        "limp",
        "fever-or-unwell",
        "unexplained-weight-loss",
        "night-sweats",
        "cannot-bear-weight",
        "numbness-or-weakness",
        "hot-swollen-joint",
        "recent-trauma",
        "cancer-history",
        "constant-pain",
    }


@pytest.mark.parametrize("flag", list(RedFlag), ids=str)
def test_every_red_flag_has_a_kebab_id_a_plain_question_and_an_urgency(flag: RedFlag) -> None:
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", flag.value)
    assert flag.question.strip().endswith(("?", "find out."))
    assert flag.label
    assert flag.urgency in set(Urgency)


@pytest.mark.parametrize("flag", list(RedFlag), ids=str)
def test_every_red_flag_refers_and_makes_planning_impossible(flag: RedFlag) -> None:
    result = score(red_flags=[flag.value])
    assert result.refer
    assert not result.profile.plannable
    assert result.profile.refer
    assert any(flag.label in reason for reason in result.refer_reasons)


@pytest.mark.parametrize("flag", list(RedFlag), ids=str)
def test_same_day_flags_are_urgent_and_the_others_are_not(flag: RedFlag) -> None:
    result = score(red_flags=[flag.value])
    assert result.urgent is (flag in SAME_DAY)
    assert (flag.urgency is Urgency.SAME_DAY) is (flag in SAME_DAY)
    assert result.profile.urgent is result.urgent


@pytest.mark.parametrize("flag", [RedFlag.GROIN_PAIN_RUNNING, RedFlag.PAIN_ON_HOPPING], ids=str)
def test_groin_pain_with_running_or_pain_on_hopping_means_no_running_today(flag: RedFlag) -> None:
    result = score(red_flags=[flag.value])
    assert result.urgent
    assert "stress fracture" in result.refer_reasons[0]
    assert "do not run" in result.refer_reasons[0]
    assert "(Robertson & Wood 2017)" in result.refer_reasons[0]
    assert result.summary.startswith("Stop running and see a clinician today")


def test_night_pain_advice_names_a_stress_fracture_and_causes_other_than_training() -> None:
    # REFERENCE 6 lists night pain both with the same-day signs of a stress fracture and, unrelated to activity,
    # with the signs to refer: the advice says both, and the stricter urgency holds.
    result = score(red_flags=["night-pain"])
    [reason] = result.refer_reasons
    assert "stress fracture" in reason
    assert "unrelated to activity" in reason
    assert "causes other than training" in reason
    assert "see a clinician today and do not run" in reason
    assert result.urgent


def test_constant_pain_advice_says_what_it_means_without_naming_a_stress_fracture() -> None:
    [reason] = score(red_flags=["constant-pain"]).refer_reasons
    assert "unrelated to activity can have causes other than training" in reason
    assert "stress fracture" not in reason


@pytest.mark.parametrize("flag", [flag for flag in RedFlag if flag.urgency is Urgency.REFER], ids=str)
def test_a_refer_flag_never_claims_a_stress_fracture(flag: RedFlag) -> None:
    [reason] = score(red_flags=[flag.value]).refer_reasons
    assert "stress fracture" not in reason
    assert "see a clinician before training your hips on your own" in reason


def test_the_hopping_question_never_asks_the_runner_to_hop() -> None:
    assert "do not hop" in RedFlag.PAIN_ON_HOPPING.question


def test_a_red_flag_refers_even_when_every_test_is_normal() -> None:
    tests = {"seated_ir_deg": {"left": 38, "right": 38}, "deep_squat": 3}
    result = score(red_flags=["cancer-history"], tests=tests)
    assert result.restrictions == []
    assert result.refer
    assert result.summary.startswith("See a clinician")


# ---------------------------------------------------------------------------------------------
# Loaded tests
# ---------------------------------------------------------------------------------------------


def test_loaded_tests_are_allowed_without_red_flags_or_strong_pain() -> None:
    allowed, reason = loaded_tests_allowed([], pain_now=5)
    assert allowed
    assert reason
    assert skipped_tests(parse_answers(answers(pain_now=5))) == {}


@pytest.mark.parametrize("flag", sorted(SAME_DAY), ids=str)
def test_urgent_flags_disable_loaded_tests_with_the_reason(flag: RedFlag) -> None:
    allowed, reason = loaded_tests_allowed([flag])
    assert not allowed
    assert "stress fracture" in reason
    assert flag.label in reason


@pytest.mark.parametrize("flag", sorted(set(RedFlag) - SAME_DAY), ids=str)
def test_any_other_red_flag_disables_loaded_tests_too(flag: RedFlag) -> None:
    allowed, reason = loaded_tests_allowed([flag])
    assert not allowed
    assert flag.label in reason


def test_pain_above_5_now_disables_loaded_tests_and_refers() -> None:
    allowed, reason = loaded_tests_allowed([], pain_now=6)
    assert not allowed
    assert "6/10" in reason
    result = score(pain_now=6)
    assert result.refer
    assert not result.urgent
    assert "Silbernagel 2007" in result.refer_reasons[0]


def test_the_wizard_skips_every_loaded_test_after_groin_pain_and_says_why() -> None:
    skipped = skipped_tests(parse_answers(answers(red_flags=["groin-pain-running"])))
    assert set(skipped) == LOADED
    assert all("stress fracture" in reason for reason in skipped.values())
    unloaded = [step.id for step in TEST_STEPS if not step.loaded]
    assert not set(unloaded) & set(skipped)


@pytest.mark.parametrize(
    "tests",
    [
        {"faber": {"left": {"knee_above_cm": 12, "pain": "groin"}}},
        {"active_slr": {"right": 0}},
    ],
    ids=["groin-on-faber", "pain-on-slr"],
)
def test_pain_found_by_an_early_test_stops_the_loaded_tests_that_follow(tests: dict[str, Any]) -> None:
    skipped = skipped_tests(parse_answers(answers(tests=tests)))
    assert set(skipped) == LOADED
    assert all("already refers" in reason for reason in skipped.values())


# ---------------------------------------------------------------------------------------------
# Painful tests
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tests", "mentions"),
    [
        ({"active_slr": {"left": 0}}, "Active straight-leg raise, left: pain"),
        ({"deep_squat": 0}, "Deep squat: pain"),
        ({"single_leg_stance": {"right": {"seconds": 30, "pelvis_drops": False, "lateral_hip_pain": 2}}}, "Grimaldi"),
        ({"faber": {"left": {"knee_above_cm": 10, "pain": "groin"}}}, "FABER, left: groin pain"),
    ],
    ids=["slr-0", "deep-squat-0", "lateral-hip-pain-2", "faber-groin"],
)
def test_a_painful_test_refers_without_urgency(tests: dict[str, Any], mentions: str) -> None:
    result = score(tests=tests)
    assert result.refer
    assert not result.urgent
    assert not result.profile.plannable
    assert any(mentions in reason for reason in result.refer_reasons)


def test_a_painful_scored_test_is_not_a_restriction() -> None:
    result = score(tests={"active_slr": {"left": 0}, "deep_squat": 0})
    assert result.restrictions == []


# ---------------------------------------------------------------------------------------------
# Hip replacement
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("approach", list(Approach), ids=str)
def test_a_hip_replacement_without_clearance_refers_and_skips_every_test(approach: Approach) -> None:
    data = answers(hip_replacement=replacement(approach.value, cleared=False))
    result = score_screen(parse_answers(data))
    assert result.refer
    assert not result.urgent
    assert any("not cleared" in reason for reason in result.refer_reasons)
    assert set(skipped_tests(parse_answers(data))) == set(TestId)


def test_cleared_posterior_gives_its_precaution_tags_and_does_not_refer() -> None:
    result = score(hip_replacement=replacement("posterior", cleared=True))
    assert not result.refer
    assert result.precautions == [
        Caution.HIP_FLEXION_PAST_90,
        Caution.CROSSING_MIDLINE,
        Caution.HIP_INTERNAL_ROTATION,
        Caution.INTERNAL_ROTATION_UNDER_LOAD,
    ]
    assert result.profile.precautions == result.precautions
    assert result.profile.plannable


def test_cleared_anterior_excludes_extension_with_external_rotation() -> None:
    result = score(hip_replacement=replacement("anterior", cleared=True, side="right"))
    assert result.precautions == [Caution.EXTENSION_WITH_EXTERNAL_ROTATION]


@pytest.mark.parametrize("approach", ["lateral", "unknown"])
def test_lateral_or_unknown_approach_takes_every_precaution(approach: str) -> None:
    result = score(hip_replacement=replacement(approach, cleared=True))
    expected = set(PRECAUTIONS_BY_APPROACH[Approach.POSTERIOR]) | set(PRECAUTIONS_BY_APPROACH[Approach.ANTERIOR])
    assert set(result.precautions) == expected


@pytest.mark.parametrize("cleared", [True, False])
def test_precautions_apply_whether_or_not_cleared(cleared: bool) -> None:
    result = score(hip_replacement=replacement("posterior", cleared=cleared))
    assert result.precautions == precautions_for(Approach.POSTERIOR)


def test_a_cleared_posterior_hip_skips_the_tests_its_precautions_exclude() -> None:
    data = answers(hip_replacement=replacement("posterior", cleared=True))
    skipped = skipped_tests(parse_answers(data))
    assert set(skipped) == {
        TestId.THOMAS,
        TestId.SEATED_IR,
        TestId.ACTIVE_SLR,
        TestId.SINGLE_LEG_SQUAT,
        TestId.DEEP_SQUAT,
    }
    assert "hip-flexion-past-90" in skipped[TestId.DEEP_SQUAT]
    assert "typical precautions after hip replacement" in skipped[TestId.DEEP_SQUAT]


def test_a_cleared_anterior_hip_skips_only_the_thomas_test() -> None:
    data = answers(hip_replacement=replacement("anterior", cleared=True))
    assert set(skipped_tests(parse_answers(data))) == {TestId.THOMAS}


def test_no_hip_replacement_no_precautions() -> None:
    assert score().precautions == []


# ---------------------------------------------------------------------------------------------
# Low energy availability (REFERENCE 6 and 8)
# ---------------------------------------------------------------------------------------------

GROIN_ON_FABER = {"faber": {"left": {"knee_above_cm": 12, "pain": "groin"}}}


def test_the_safety_questions_are_answer_fields_and_include_the_low_energy_question() -> None:
    assert SAFETY_QUESTION_FIELDS == ("red_flags", "pain_now", "hip_replacement", "low_energy")
    assert set(SAFETY_QUESTION_FIELDS) <= set(ScreenAnswers.model_fields)


@pytest.mark.parametrize("sign", list(EnergySign), ids=str)
def test_every_low_energy_sign_has_a_plain_question(sign: EnergySign) -> None:
    assert sign.question.strip().endswith(("?", "periods."))
    assert sign.label


@pytest.mark.parametrize("sign", ["missed-periods", "under-fuelling"])
def test_low_energy_on_its_own_advises_a_clinician_without_locking_the_plan(sign: str) -> None:
    result = score(low_energy=[sign])
    assert not result.refer
    assert not result.urgent
    assert result.profile.plannable
    [advice] = result.advice
    assert "see a clinician about them (not urgent)" in advice
    assert "bone stress injury" in advice
    assert "Robertson & Wood 2017" in advice
    assert EnergySign(sign).label in advice
    assert "see a clinician about signs of low energy availability (not urgent)" in result.summary


def test_missed_periods_with_groin_pain_on_faber_is_urgent() -> None:
    result = score(low_energy=["missed-periods"], tests=GROIN_ON_FABER)
    assert result.refer
    assert result.urgent
    assert result.profile.urgent
    urgent = [reason for reason in result.refer_reasons if "low energy availability" in reason]
    assert urgent == [
        "Groin pain (FABER, left: groin pain) with signs of low energy availability (missed or irregular periods): a "
        "possible femoral neck stress fracture: see a clinician today and do not run (Robertson & Wood 2017); low "
        "energy availability makes it more likely."
    ]
    assert result.summary.startswith("Stop running and see a clinician today (groin pain with signs of low energy")
    assert result.advice == []  # the urgent referral says it all


def test_groin_pain_on_faber_without_low_energy_refers_but_is_not_urgent() -> None:
    for low_energy in ([], None):
        result = score(low_energy=low_energy, tests=GROIN_ON_FABER)
        assert result.refer
        assert not result.urgent


def test_groin_pain_noted_beside_an_unrecorded_faber_side_counts_too() -> None:
    result = score(low_energy=["under-fuelling"], tests={"faber": {"right_pain": "groin"}})
    assert result.urgent


def test_unexplained_weight_loss_is_a_low_energy_sign_with_groin_pain() -> None:
    # REFERENCE 8 names unintended weight loss among the signs of low energy availability.
    result = score(red_flags=["unexplained-weight-loss"], low_energy=[], tests=GROIN_ON_FABER)
    assert result.urgent
    assert urgent_answers(parse_answers(answers(red_flags=["unexplained-weight-loss"], tests=GROIN_ON_FABER)))
    assert not score(red_flags=["unexplained-weight-loss"]).urgent


def test_a_groin_red_flag_with_low_energy_says_low_energy_makes_it_more_likely() -> None:
    result = score(red_flags=["groin-pain-running"], low_energy=["missed-periods"])
    assert result.urgent
    assert any("low energy availability makes it more likely" in reason for reason in result.refer_reasons)


def test_pain_now_with_low_energy_says_groin_pain_would_be_urgent() -> None:
    # The pain-now question covers hip, groin and thigh together: it cannot tell groin pain by itself.
    result = score(low_energy=["missed-periods"], pain_now=3)
    assert not result.urgent
    assert any(
        note.startswith("Pain now 3/10 with signs of low energy availability: if the pain is in the groin")
        for note in result.notes
    )


def test_answers_saved_before_the_low_energy_question_still_parse_and_say_it_was_not_asked() -> None:
    saved = answers()  # no low_energy: answers saved before the question existed
    parsed = parse_answers(saved)
    assert parsed.low_energy is None
    assert unanswered_safety_questions(parsed) == ["low_energy"]
    result = score_screen(parsed)
    assert result.not_answered == ["low_energy"]
    assert "the low-energy question was not asked" in result.summary
    assert result.advice == []
    answered = score(low_energy=[])
    assert answered.not_answered == []
    assert "not asked" not in answered.summary


def test_results_saved_before_the_advice_and_not_answered_lists_still_parse() -> None:
    saved = score().model_dump(mode="json")
    del saved["advice"], saved["not_answered"]
    assert ScreenResult.model_validate(saved).not_answered == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["tired"], "low_energy.0: 'tired' is not allowed; allowed: one of missed-periods, under-fuelling"),
        ("no", "low_energy: 'no' is not allowed; allowed: a list of any of missed-periods, under-fuelling"),
        (True, "low_energy: True is not allowed; allowed: a list of any of missed-periods, under-fuelling"),
    ],
)
def test_a_low_energy_answer_outside_the_question_is_refused_naming_the_field(value: object, problem: str) -> None:
    with pytest.raises(ScreenInputError) as error:
        parse_answers(answers(low_energy=value))
    assert error.value.problems == [problem]


def test_the_schema_publishes_the_low_energy_question() -> None:
    field = screen_json_schema()["properties"]["low_energy"]
    assert "not asked" in field["description"]
