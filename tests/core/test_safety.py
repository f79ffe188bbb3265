"""Safety wins over everything: red flags, painful tests and hip replacements (REFERENCE.md section 6)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hipcoach.core.safety import (
    PRECAUTIONS_BY_APPROACH,
    Approach,
    RedFlag,
    Urgency,
    loaded_tests_allowed,
    precautions_for,
)
from hipcoach.core.screen import TEST_STEPS, ScreenResult, TestId, parse_answers, score_screen, skipped_tests
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
