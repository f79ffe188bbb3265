"""The home hip screen: questions, tests, scoring against published norms, and the resulting Profile.

A runner answers a few questions and does up to nine home tests (REFERENCE.md section 3), each side on
its own. :func:`score_screen` turns the answers into a :class:`ScreenResult`: restrictions per side with
the evidence behind each, left/right differences judged against the smallest real change (section 2),
hip-replacement precautions and the referral decision (section 6). Safety wins over everything: a red
flag, a painful test or an uncleared hip replacement refers, and a profile that refers cannot be planned.

The answer format is a public contract: :func:`screen_json_schema` publishes it as JSON Schema, and
:func:`parse_answers` refuses bad input with one message per problem, each naming the field path and
what is allowed. A test not done is "not measured", never assumed normal.

The wizard (CLI and web) stays thin: it asks the :class:`RedFlag` questions, then walks
:data:`TEST_STEPS` in order, skipping what :func:`skipped_tests` says with the reason it gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from types import NoneType
from typing import Any, TypeVar, get_args, get_origin

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from hipcoach.core.profile import ADULT_AGE, Finding, Profile, SideEmphasis
from hipcoach.core.safety import (
    GROIN_FLAGS,
    Approach,
    EnergySign,
    RedFlag,
    Urgency,
    energy_labels,
    is_urgent,
    loaded_tests_allowed,
    low_energy_advice,
    low_energy_urgent_reason,
    ordered_flags,
    pain_now_reason,
    precautions_for,
    red_flag_reason,
)
from hipcoach.core.vocabulary import Caution, Condition, Restriction, Side, Term

DISCLAIMER = "The screen guides training; it does not diagnose and it does not predict injury."

T = TypeVar("T")

# --------------------------------------------------------------------------------------------------
# Vocabularies of the answers
# --------------------------------------------------------------------------------------------------


class Sex(Term):
    # Recorded only: REFERENCE 1 notes women have more range, but gives no sex-specific cut-offs.
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or not stated"


# REFERENCE.md section 7 states what the hip evidence says for each injury.
class Injury(Term):
    """Past running injuries."""

    PATELLOFEMORAL_PAIN = "patellofemoral-pain", "Pain around or behind the kneecap (runner's knee)."
    ITB_SYNDROME = "itb-syndrome", "Pain at the outside of the knee from the iliotibial band."
    ACHILLES_TENDINOPATHY = "achilles-tendinopathy", "Pain in the Achilles tendon."
    MEDIAL_TIBIAL_STRESS_SYNDROME = "medial-tibial-stress-syndrome", "Shin splints along the inner shin bone."
    HAMSTRING_STRAIN = "hamstring-strain", "A torn or strained hamstring."
    HIP_FLEXOR_STRAIN = "hip-flexor-strain", "A strained hip flexor at the front of the hip."
    PLANTAR_FASCIITIS = "plantar-fasciitis", "Pain under the heel."
    GLUTEAL_TENDINOPATHY = "gluteal-tendinopathy", "Pain at the outside of the hip from the gluteal tendons."
    STRESS_FRACTURE = "stress-fracture", "A bone stress injury or stress fracture."
    OTHER = "other", "Another injury."


# Past injuries that are conditions of the history (REFERENCE.md section 8): an answer that lists one of them
# among ``injuries`` (the only way to say it before the history question) counts as that condition before.
INJURY_CONDITIONS: dict[Injury, Condition] = {
    Injury.PATELLOFEMORAL_PAIN: Condition.PATELLOFEMORAL_PAIN,
    Injury.ITB_SYNDROME: Condition.ITB_PAIN,
    Injury.GLUTEAL_TENDINOPATHY: Condition.GLUTEAL_TENDINOPATHY,
    Injury.ACHILLES_TENDINOPATHY: Condition.ACHILLES_TENDINOPATHY,
}
# The past injuries the history question does not already ask about, which the wizards ask beside it.
OTHER_INJURIES: tuple[Injury, ...] = tuple(injury for injury in Injury if injury not in INJURY_CONDITIONS)


# REFERENCE.md section 3, modified Thomas.
class ThighPosition(Term):
    """Where the hanging thigh rests on the modified Thomas test."""

    LEVEL = "level", "The thigh rests level with the bed (normal)."
    RAISED = "raised", "The thigh stays above the bed (short one-joint hip flexors)."
    BELOW = "below", "The thigh drops below the bed (no flexor restriction)."


# REFERENCE 3, modified Thomas: normal knee bent about 80 deg; straighter = short rectus femoris. "Low reliability
# (ICC 0.30-0.65) ... record categories, not degrees": the knee is asked as one of two categories.
class ThomasKnee(Term):
    """How bent the hanging knee is on the modified Thomas test."""

    BENT = "bent", "The knee bends to about a right angle (about 80 deg) or more (normal)."
    STRAIGHTER = "straighter", "The knee stays straighter than that, the shin out in front (short rectus femoris)."


# REFERENCE.md section 3, FABER.
class FaberPain(Term):
    """Where FABER hurts, if it does."""

    NONE = "none", "No pain."
    GROIN = "groin", "Pain in the groin or front of the hip: points to the hip joint."
    BUTTOCK = "buttock", "Pain in the buttock near the sacrum: points to the sacroiliac joint."
    LATERAL = "lateral", "Pain at the outside of the hip."


class TestId(Term):
    """The home tests, in the order the wizard runs them; the values are the keys of ``tests``."""

    __test__ = False  # not a pytest test class, despite the name

    THOMAS = "thomas", "Modified Thomas test"
    SEATED_IR = "seated_ir_deg", "Seated hip internal rotation"
    SEATED_ER = "seated_er_deg", "Seated hip external rotation"
    ACTIVE_SLR = "active_slr", "Active straight-leg raise"
    FABER = "faber", "FABER (figure-4)"
    KNEE_TO_WALL = "knee_to_wall_cm", "Knee-to-wall"
    SINGLE_LEG_STANCE = "single_leg_stance", "Single-leg stance"
    SINGLE_LEG_SQUAT = "single_leg_squat_faults", "Single-leg squat"
    DEEP_SQUAT = "deep_squat", "Deep squat"


# --------------------------------------------------------------------------------------------------
# The answers (the public contract)
# --------------------------------------------------------------------------------------------------

# Physiological bounds: wide enough for every real runner, narrow enough to catch typing slips.
AGE_MIN, AGE_MAX = 10, 110  # as Profile.age
MAX_KM_PER_WEEK = 400  # above the heaviest ultra-distance training weeks
MAX_ROTATION_DEG = 90  # seated rotation norms are 30-60 (REFERENCE 1); past 90 the shin is horizontal
MAX_KNEE_BEND_DEG = 160  # the knee's full flexion is about 150-160 degrees (old answers gave the Thomas knee so)
# REFERENCE 3: normal Thomas knee bend is about 80 degrees; straighter means short rectus femoris. Used only to read
# answers saved when the knee was recorded in degrees.
THOMAS_KNEE_NORMAL_DEG = 80
MAX_KNEE_TO_WALL_CM = 25  # ~10 cm is adequate (REFERENCE 3); 25 cm is about 90 degrees, beyond any ankle
MAX_FABER_KNEE_CM = 50  # the knee cannot sit higher above the bed than the shin is long
STANCE_SECONDS = 30  # the single-leg stance test ends at 30 s (REFERENCE 3)


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _json_types(cls, value: object, info: ValidationInfo) -> object:
        """A number where the format has a number, true or false where it has a yes/no: the answer format's types, as
        its JSON Schema states them. Taken loosely, a deep squat sent as false scored 0, which refers as pain."""
        if info.field_name is None:
            return value
        kinds = _types_in(cls.model_fields[info.field_name].annotation)
        takes_number = any(kind in (int, float) for kind in kinds)
        takes_text = any(isinstance(kind, type) and issubclass(kind, str) for kind in kinds)
        if isinstance(value, bool):
            wrong = takes_number and bool not in kinds
        elif isinstance(value, int | float):
            wrong = bool in kinds and not takes_number
        elif isinstance(value, str):
            wrong = (takes_number or bool in kinds) and not takes_text
        else:
            wrong = False
        if wrong:
            raise ValueError("not of the type the answer format gives this field")
        return value


class ThomasSide(_Answer):
    """One side of the modified Thomas test: the side is the leg that hangs.

    The knee is a category (``knee``: bent or straighter), as REFERENCE 3 asks. Answers saved when it was a
    number of degrees (``knee_deg``) still parse and score the same: under 80 deg reads as straighter.
    """

    thigh: ThighPosition = Field(description="Where the hanging thigh rests: level, raised or below the bed.")
    knee: ThomasKnee = Field(
        description="How bent the hanging knee is: bent (to about a right angle or more, normal) or straighter "
        "(short rectus femoris)."
    )
    thigh_drifts_out: bool = Field(description="Does the hanging thigh drift out to the side?")

    @model_validator(mode="before")
    @classmethod
    def _knee_from_degrees(cls, data: object) -> object:
        """An answer saved with the knee in degrees, read as its category (REFERENCE 3: under about 80 deg is
        straighter). A number out of its old bounds stays as it is, to be refused as an unknown field."""
        if not isinstance(data, dict) or "knee_deg" not in data or "knee" in data:
            return data
        degrees = data["knee_deg"]
        if isinstance(degrees, bool) or not isinstance(degrees, int | float) or not 0 <= degrees <= MAX_KNEE_BEND_DEG:
            return data
        knee = ThomasKnee.STRAIGHTER if degrees < THOMAS_KNEE_NORMAL_DEG else ThomasKnee.BENT
        return {**{key: value for key, value in data.items() if key != "knee_deg"}, "knee": knee.value}


class Thomas(_Answer):
    left: ThomasSide | None = None
    right: ThomasSide | None = None


class SeatedIr(_Answer):
    left: float | None = Field(default=None, ge=0, le=MAX_ROTATION_DEG, description="Hip internal rotation, degrees.")
    right: float | None = Field(default=None, ge=0, le=MAX_ROTATION_DEG, description="Hip internal rotation, degrees.")


class SeatedEr(_Answer):
    left: float | None = Field(default=None, ge=0, le=MAX_ROTATION_DEG, description="Hip external rotation, degrees.")
    right: float | None = Field(default=None, ge=0, le=MAX_ROTATION_DEG, description="Hip external rotation, degrees.")


_SLR_SCORE = "Score: 3 ankle between hip bone and mid-thigh, 2 mid-thigh to knee, 1 below the knee, 0 any pain."


class ActiveSlr(_Answer):
    left: int | None = Field(default=None, ge=0, le=3, description=_SLR_SCORE)
    right: int | None = Field(default=None, ge=0, le=3, description=_SLR_SCORE)


_SQUAT_FAULTS = (
    "Faults seen, 0-4: knee inside the big toe, knee wobble, pelvis drops or turns, trunk lean or loss of balance."
)


_SQUAT_PAIN = "Did the squat on this leg hurt? Pain on the test refers you to a clinician."


class SingleLegSquatFaults(_Answer):
    """The single-leg squat, per leg squatted on: the faults seen, and whether it hurt.

    The pain answers sit beside the fault counts (``left_pain``, ``right_pain``) so that a side's answer
    stays a number; they default to no pain, so answers saved before they existed still parse. Pain can
    be recorded without a fault count: the runner is told to stop if it hurts.
    """

    left: int | None = Field(default=None, ge=0, le=4, description=_SQUAT_FAULTS)
    right: int | None = Field(default=None, ge=0, le=4, description=_SQUAT_FAULTS)
    left_pain: bool = Field(default=False, description=_SQUAT_PAIN)
    right_pain: bool = Field(default=False, description=_SQUAT_PAIN)


class StanceSide(_Answer):
    """One side of the single-leg stance test: the side is the leg stood on."""

    seconds: float = Field(ge=0, le=STANCE_SECONDS, description="Seconds held on one leg, up to 30.")
    pelvis_drops: bool = Field(description="Does the pelvis drop on the side of the lifted leg?")
    lateral_hip_pain: int = Field(ge=0, le=10, description="Pain at the outside of the standing hip, 0-10.")


_STANCE_PAIN = (
    "Pain at the outside of the standing hip, 0-10, even if you stopped early; 2 or more refers you to a clinician."
)


class SingleLegStance(_Answer):
    """The single-leg stance, per leg stood on: seconds held, pelvis drop and lateral hip pain.

    A leg whose stance was recorded holds its pain in its own object (``lateral_hip_pain``). A leg whose
    stance was not recorded can still hold its pain beside it (``left_lateral_hip_pain``,
    ``right_lateral_hip_pain``): the runner may have stopped because the hip hurt, and that pain refers
    (REFERENCE 3 and 6). They default to null, so answers saved before they existed still parse.
    """

    left: StanceSide | None = None
    right: StanceSide | None = None
    left_lateral_hip_pain: int | None = Field(default=None, ge=0, le=10, description=_STANCE_PAIN)
    right_lateral_hip_pain: int | None = Field(default=None, ge=0, le=10, description=_STANCE_PAIN)


_KNEE_TO_WALL = "Big toe to wall in cm, heel down and knee touching the wall."


class KneeToWall(_Answer):
    left: float | None = Field(default=None, ge=0, le=MAX_KNEE_TO_WALL_CM, description=_KNEE_TO_WALL)
    right: float | None = Field(default=None, ge=0, le=MAX_KNEE_TO_WALL_CM, description=_KNEE_TO_WALL)


class FaberSide(_Answer):
    """One side of FABER: the side is the leg whose ankle rests on the other knee."""

    knee_above_cm: float = Field(ge=0, le=MAX_FABER_KNEE_CM, description="Height of the knee above the bed, cm.")
    pain: FaberPain = Field(description="Where it hurts: none, groin, buttock or lateral.")


_FABER_PAIN = (
    "Where it hurts, even if you stopped before the knee settled: none, groin, buttock or lateral (the outside of "
    "the hip); groin pain refers you to a clinician."
)


class Faber(_Answer):
    """FABER, per leg whose ankle rests on the other knee: the knee height and where it hurts.

    A side whose knee height was recorded holds its pain place in its own object (``pain``). A side whose height
    was not recorded can still hold its pain place beside it (``left_pain``, ``right_pain``): the runner may have
    stopped because it hurt, and groin pain refers (REFERENCE 3). They default to null, so answers saved before
    they existed still parse.
    """

    left: FaberSide | None = None
    right: FaberSide | None = None
    left_pain: FaberPain | None = Field(default=None, description=_FABER_PAIN)
    right_pain: FaberPain | None = Field(default=None, description=_FABER_PAIN)


class Tests(_Answer):
    """The home tests; every test and every side is optional. Missing means not measured."""

    __test__ = False  # not a pytest test class, despite the name

    thomas: Thomas | None = Field(default=None, description="Modified Thomas test, per hanging leg.")
    seated_ir_deg: SeatedIr | None = Field(default=None, description="Seated hip internal rotation, degrees.")
    seated_er_deg: SeatedEr | None = Field(default=None, description="Seated hip external rotation, degrees.")
    active_slr: ActiveSlr | None = Field(default=None, description="Active straight-leg raise score, 0-3.")
    faber: Faber | None = Field(default=None, description="FABER: knee height and pain place.")
    knee_to_wall_cm: KneeToWall | None = Field(default=None, description="Knee-to-wall distance, cm.")
    single_leg_stance: SingleLegStance | None = Field(default=None, description="Single-leg stance, 30 s.")
    single_leg_squat_faults: SingleLegSquatFaults | None = Field(default=None, description="Single-leg squat faults.")
    deep_squat: int | None = Field(
        default=None, ge=0, le=3, description="Deep squat, arms overhead: 3 full, 2 heels raised, 1 cannot, 0 pain."
    )


class HipReplacement(_Answer):
    side: Side = Field(description="The replaced hip: left, right or both.")
    approach: Approach = Field(description="Surgical approach: posterior, anterior, lateral or unknown.")
    cleared_by_clinician: bool = Field(
        description="Has a surgeon or physiotherapist cleared you for self-guided mobility work?"
    )


class ScreenAnswers(_Answer):
    """A runner's answers to the hip screen.

    Red flags, pain now and the hip-replacement question are required (``[]``, a number and ``null`` are
    answers): safety questions are never assumed answered "no". The low-energy question (``low_energy``) is
    asked by every wizard; answers saved before it existed have none, which reads as "not asked" (listed in
    the result's ``not_answered``), never as "no".
    """

    age: int = Field(ge=AGE_MIN, le=AGE_MAX, description="Age in years.")
    sex: Sex | None = Field(default=None, description="female, male or other.")
    sitting_hours_per_day: float | None = Field(default=None, ge=0, le=24, description="Hours sitting a day.")
    running_km_per_week: float | None = Field(
        default=None, ge=0, le=MAX_KM_PER_WEEK, description="Running distance a week, km."
    )
    injuries: list[Injury] = Field(
        default_factory=list, max_length=len(Injury), description="Past running injuries, each once."
    )
    # The history question (REFERENCE.md section 8). Both default to [] so that answers saved before it still
    # parse; a condition in both lists counts as now.
    conditions_now: list[Condition] = Field(
        default_factory=list,
        max_length=len(Condition),
        description="Conditions that trouble you now, each once: " + ", ".join(c.value for c in Condition) + ".",
    )
    conditions_before: list[Condition] = Field(
        default_factory=list,
        max_length=len(Condition),
        description="Conditions you had before and that have settled, each once: "
        + ", ".join(c.value for c in Condition)
        + ".",
    )
    red_flags: list[RedFlag] = Field(
        max_length=len(RedFlag), description="Red flags answered yes, each once; [] when every answer was no."
    )
    pain_now: int = Field(ge=0, le=10, description="Hip, groin or thigh pain right now, 0-10.")
    hip_replacement: HipReplacement | None = Field(description="The hip replacement, or null when there is none.")
    low_energy: list[EnergySign] | None = Field(
        default=None,
        max_length=len(EnergySign),
        description="Signs of low energy availability answered yes, each once: missed-periods (periods stopped or "
        "irregular), under-fuelling (eating too little for the training, or weight lost without meaning to); [] "
        "when both answers were no; null or missing when the question was not asked, never read as no.",
    )
    tests: Tests = Field(default_factory=Tests, description="The home tests; each test and side is optional.")

    def history(self) -> dict[Condition, bool]:
        """The runner's conditions, each with True when it troubles them now, in vocabulary order: the history
        question's two lists and the past injuries that are conditions (before)."""
        before = {*self.conditions_before, *(INJURY_CONDITIONS[i] for i in self.injuries if i in INJURY_CONDITIONS)}
        now = set(self.conditions_now)
        return {condition: condition in now for condition in Condition if condition in now | before}


# The safety questions of the answers, by field name: never assumed answered "no" (REFERENCE 6 and 8). Only the
# low-energy question may be unanswered, in answers saved before it was asked (unanswered_safety_questions). Not
# app.screens.safety_check.SAFETY_FIELDS, the required answers: the age and these but the low-energy question.
SAFETY_QUESTION_FIELDS: tuple[str, ...] = ("red_flags", "pain_now", "hip_replacement", "low_energy")


def unanswered_safety_questions(answers: ScreenAnswers) -> list[str]:
    """The safety questions these answers hold no answer to, by field name, in :data:`SAFETY_QUESTION_FIELDS` order.

    Only one that may be missing can be unanswered: the low-energy question, in answers saved before it existed
    (the others are required, and ``null`` for the hip replacement is the answer "none")."""
    return [
        name
        for name in SAFETY_QUESTION_FIELDS
        if not ScreenAnswers.model_fields[name].is_required() and getattr(answers, name) is None
    ]


# --------------------------------------------------------------------------------------------------
# Parsing and the published schema
# --------------------------------------------------------------------------------------------------


class ScreenInputError(ValueError):
    """Answers that failed validation; ``problems`` holds one message per problem, each naming the field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def parse_answers(data: object) -> ScreenAnswers:
    """Validate answers (parsed JSON or a form's data); raise :class:`ScreenInputError` listing every problem."""
    try:
        return ScreenAnswers.model_validate(data)
    except ValidationError as error:
        raise ScreenInputError([_describe_problem(detail) for detail in error.errors()]) from None


def screen_json_schema() -> dict[str, Any]:
    """The answer format as JSON Schema (draft 2020-12), generated from :class:`ScreenAnswers`."""
    schema = ScreenAnswers.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "hipcoach hip screen answers",
        **{key: value for key, value in schema.items() if key != "title"},
        "description": f"{schema.get('description', '')}\n\n{DISCLAIMER}".strip(),
    }


def _describe_problem(detail: ErrorDetails) -> str:
    location = tuple(detail["loc"])
    path = ".".join(str(part) for part in location) or "answers"
    if detail["type"] == "extra_forbidden":
        owner = _model_at(location[:-1])
        fields = ", ".join(owner.model_fields) if owner is not None else ""
        return f"{path}: unknown field; allowed fields here: {fields}"
    if detail["type"] == "model_type" and not location:
        return "answers: expected an object with the screen answers"
    allowed_text = _allowed_text(_field_at(location), item=bool(location) and isinstance(location[-1], int))
    if detail["type"] == "missing":
        return f"{path}: missing; required: {allowed_text}" if allowed_text else f"{path}: missing; required"
    given = _shown(detail["input"])
    if len(given) > 60:  # keep messages readable when a whole object is in the wrong place
        given = given[:57] + "..."
    if allowed_text:
        return f"{path}: {given} is not allowed; allowed: {allowed_text}"
    return f"{path}: {given} is not allowed: {detail['msg']}"


def _shown(value: object) -> str:
    """The value as Python writes it, or its kind when it cannot be written (an integer past 4,300 digits)."""
    try:
        return repr(value)
    except ValueError:
        return f"a {type(value).__name__} too long to show"


def _model_at(location: Sequence[int | str]) -> type[BaseModel] | None:
    """The answer model found at a field path (list indexes skipped), or None."""
    model: type[BaseModel] | None = ScreenAnswers
    for part in location:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None
        model = _model_in(model.model_fields[part])
    return model


def _field_at(location: Sequence[int | str]) -> FieldInfo | None:
    names = [part for part in location if isinstance(part, str)]
    if not names:
        return None
    owner = _model_at(location[: max(i for i, part in enumerate(location) if isinstance(part, str))])
    if owner is None or names[-1] not in owner.model_fields:
        return None
    return owner.model_fields[names[-1]]


def _types_in(annotation: object) -> list[object]:
    """The concrete types inside an annotation such as ``X | None`` or ``list[X]``."""
    args = get_args(annotation)
    if not args:
        return [] if annotation is NoneType else [annotation]
    return [inner for arg in args for inner in _types_in(arg)]


def _model_in(info: FieldInfo) -> type[BaseModel] | None:
    for kind in _types_in(info.annotation):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    """A field's inclusive lower and upper bound (its ``ge`` and ``le``), each None when it has none."""
    lowest = next((float(m.ge) for m in info.metadata if isinstance(m, Ge) and isinstance(m.ge, int | float)), None)
    highest = next((float(m.le) for m in info.metadata if isinstance(m, Le) and isinstance(m.le, int | float)), None)
    return lowest, highest


def _allowed_text(info: FieldInfo | None, *, item: bool = False) -> str:
    """What a field (or, with ``item``, one item of a list field) allows: a range, words, true/false, fields."""
    if info is None:
        return ""
    kinds = _types_in(info.annotation)
    is_list = any(get_origin(arg) is list for arg in (info.annotation, *get_args(info.annotation)))
    for kind in kinds:
        if isinstance(kind, type) and issubclass(kind, Enum):
            words = ", ".join(str(member.value) for member in kind)
            return f"a list of any of {words}" if is_list and not item else f"one of {words}"
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            or_null = " or null" if NoneType in get_args(info.annotation) else ""
            return f"an object with {', '.join(kind.model_fields)}{or_null}"
    if bool in kinds:
        return "true or false"
    lowest, highest = _bounds(info)
    number = "a whole number" if int in kinds else "a number"
    bounded = lowest is not None and highest is not None
    range_text = f"{number} from {lowest:g} to {highest:g}" if bounded else number
    return f"{range_text} ({info.description.rstrip('.')})" if info.description else range_text


# --------------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------------

REAL = "real"
WITHIN_ERROR = "within measurement error"
NO_KNOWN_ERROR = "no known measurement error"


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Asymmetry(_Result):
    """A left/right difference in one measure, judged against its smallest real difference."""

    measure: str = Field(
        description="The measure's path in the answers, e.g. 'seated_ir_deg' or 'faber.knee_above_cm'."
    )
    test: TestId
    unit: str
    left: float
    right: float
    difference: float = Field(ge=0, description="Absolute left/right difference.")
    smallest_real_difference: float | None = Field(description="None when no measurement error is known.")
    real: bool | None = Field(description="True only beyond the smallest real difference; None when unknown.")
    verdict: str = Field(description="'real', 'within measurement error' or 'no known measurement error'.")


class Unmeasured(_Result):
    """A test, or one side of it, that was not done. It is reported, never assumed normal."""

    test: TestId
    side: Side | None = Field(default=None, description="None for a test without sides (deep squat).")


class MeasureChange(_Result):
    """How one measure on one side changed between two screens."""

    measure: str
    test: TestId
    side: Side | None
    unit: str
    earlier: float
    later: float
    change: float = Field(description="later minus earlier")
    smallest_real_change: float | None = Field(description="None when no measurement error is known.")
    real: bool | None = Field(description="True only beyond the smallest real change; None when unknown.")
    verdict: str = Field(description="'real', 'within measurement error' or 'no known measurement error'.")


class ScreenResult(_Result):
    """What the screen found. ``profile`` is the form the planner works from."""

    refer: bool
    urgent: bool
    refer_reasons: list[str]
    restrictions: list[Finding] = Field(
        description="One finding per restriction and side; side 'both' for tests without sides."
    )
    asymmetries: list[Asymmetry]
    precautions: list[Caution]
    not_measured: list[Unmeasured]
    notes: list[str] = Field(description="Findings that neither restrict nor refer, e.g. buttock pain on FABER.")
    advice: list[str] = Field(
        default_factory=list,
        description="Advice to see a clinician that does not lock the plan, shown first: signs of low energy "
        "availability without groin pain (REFERENCE 8: not urgent).",
    )
    not_answered: list[str] = Field(
        default_factory=list,
        description="Safety questions not asked, by answer field (answers saved before the question existed): "
        "never read as no.",
    )
    summary: str
    age: int
    emphasis: list[SideEmphasis] = Field(
        default_factory=list,
        description="The sides that get more work: only where a left/right difference is real (REFERENCE 2) or "
        "a test is positive on one side and normal on the other.",
    )
    # Results saved before the history question hold none: they were scored without it.
    conditions: list[Condition] = Field(
        default_factory=list, description="The runner's history, now or before, that the plan takes into account."
    )
    disclaimer: str = DISCLAIMER

    def to_profile(self) -> Profile:
        return Profile(
            restrictions=list(self.restrictions),
            emphasis=list(self.emphasis),
            precautions=list(self.precautions),
            refer=self.refer,
            urgent=self.urgent,
            refer_reasons=list(self.refer_reasons),
            age=self.age,
            conditions=list(self.conditions),
            advice=list(self.advice),
        )

    @property
    def profile(self) -> Profile:
        return self.to_profile()


# --------------------------------------------------------------------------------------------------
# Measures and their measurement error (REFERENCE.md section 2)
# --------------------------------------------------------------------------------------------------

# REFERENCE 2: hip IR/ER by goniometer 6.1-8.6 degrees. hipcoach does not record the device, so it
# takes the upper bound, 8.6, for every rotation measure: a difference is called real only past it.
ROTATION_SMALLEST_REAL_CHANGE = 8.6
# REFERENCE 2: knee-to-wall, 1.5 cm for a left/right difference, 1.0 cm for a change on one side.
KNEE_TO_WALL_SIDE_DIFFERENCE = 1.5
KNEE_TO_WALL_CHANGE = 1.0


@dataclass(frozen=True)
class _Measure:
    test: TestId
    key: str  # the field inside a side's answer; "" when the side's answer is the number itself
    unit: str
    per_side: bool = True
    side_difference: float | None = None  # smallest real left/right difference
    change: float | None = None  # smallest real change on one side
    source: str = ""  # the published source of the smallest real change, shown to the runner

    @property
    def path(self) -> str:
        return f"{self.test.value}.{self.key}" if self.key else self.test.value


MEASURES: tuple[_Measure, ...] = (
    # The modified Thomas test records categories, not degrees (REFERENCE 3), so it has no measure to compare.
    _Measure(
        TestId.SEATED_IR, "", "deg", True, ROTATION_SMALLEST_REAL_CHANGE, ROTATION_SMALLEST_REAL_CHANGE, "Gradoz 2018"
    ),
    _Measure(
        TestId.SEATED_ER, "", "deg", True, ROTATION_SMALLEST_REAL_CHANGE, ROTATION_SMALLEST_REAL_CHANGE, "Gradoz 2018"
    ),
    _Measure(TestId.ACTIVE_SLR, "", "score"),
    _Measure(TestId.FABER, "knee_above_cm", "cm"),
    _Measure(TestId.KNEE_TO_WALL, "", "cm", True, KNEE_TO_WALL_SIDE_DIFFERENCE, KNEE_TO_WALL_CHANGE, "Chisholm 2012"),
    _Measure(TestId.SINGLE_LEG_STANCE, "seconds", "s"),
    _Measure(TestId.SINGLE_LEG_SQUAT, "", "faults"),
    _Measure(TestId.DEEP_SQUAT, "", "score", per_side=False),
)


def _measure(test: TestId) -> _Measure:
    return next(measure for measure in MEASURES if measure.test is test)


def _value(tests: Tests, measure: _Measure, side: Side | None) -> float | None:
    """One measure on one side (or the whole test), or None when it was not measured."""
    answer = getattr(tests, measure.test.value)
    if answer is not None and side is not None:
        answer = getattr(answer, side.value)
    if answer is not None and measure.key:
        answer = getattr(answer, measure.key)
    return None if answer is None else float(answer)


def _tidy(difference: float) -> float:
    """A difference without float noise (32.6 - 24 is 8.600000000000001), so 8.6 stays 8.6."""
    return round(difference, 6)


def _exceeds(difference: float, smallest_real: float) -> bool:
    # REFERENCE 2, rule: real only when it exceeds the smallest real change.
    return abs(_tidy(difference)) > smallest_real


def _judge(difference: float, smallest_real: float | None) -> tuple[bool | None, str]:
    if smallest_real is None:
        return None, NO_KNOWN_ERROR
    real = _exceeds(difference, smallest_real)
    return real, REAL if real else WITHIN_ERROR


def _asymmetries(tests: Tests) -> list[Asymmetry]:
    found = []
    for measure in MEASURES:
        if not measure.per_side:
            continue
        left, right = _value(tests, measure, Side.LEFT), _value(tests, measure, Side.RIGHT)
        if left is None or right is None or left == right:
            continue
        difference = _tidy(abs(left - right))
        real, verdict = _judge(difference, measure.side_difference)
        found.append(
            Asymmetry(
                measure=measure.path,
                test=measure.test,
                unit=measure.unit,
                left=left,
                right=right,
                difference=difference,
                smallest_real_difference=measure.side_difference,
                real=real,
                verdict=verdict,
            )
        )
    return found


def compare_measures(earlier: ScreenAnswers, later: ScreenAnswers) -> list[MeasureChange]:
    """For each measure present in both screens, the change and whether it is real (REFERENCE.md section 2)."""
    changes = []
    for measure in MEASURES:
        sides: tuple[Side | None, ...] = (Side.LEFT, Side.RIGHT) if measure.per_side else (None,)
        for side in sides:
            before, after = _value(earlier.tests, measure, side), _value(later.tests, measure, side)
            if before is None or after is None:
                continue
            real, verdict = _judge(after - before, measure.change)
            changes.append(
                MeasureChange(
                    measure=measure.path,
                    test=measure.test,
                    side=side,
                    unit=measure.unit,
                    earlier=before,
                    later=after,
                    change=_tidy(after - before),
                    smallest_real_change=measure.change,
                    real=real,
                    verdict=verdict,
                )
            )
    return changes


# --------------------------------------------------------------------------------------------------
# Scoring, one function per test
# --------------------------------------------------------------------------------------------------

# REFERENCE 1: clinical ranges with hip and knee at 90 degrees, the position of the seated tests. The measured
# means are of adults 20-60, and range falls with age (Soucie 2011): REFERENCE gives no norms by age.
IR_NORM_LOW = 30  # internal rotation 30-40 (seated mean 37.9)
ER_NORM_LOW = 40  # external rotation 40-60; the measured adult mean, 38.5 supine, sits below this low end
# REFERENCE 1: the adults the measured means come from.
NORM_AGES = (20, 60)
# REFERENCE 3 (*unverified*, clinic sources only): around 10 cm knee-to-wall is called adequate.
KNEE_TO_WALL_ADEQUATE_CM = 10
# REFERENCE 3 gives no severity bands for knee-to-wall. hipcoach's choice: 3 cm bands (about 11 degrees
# at 3.6 degrees per cm, REFERENCE 3), close to the 8.6-degree bands used for hip rotation.
KNEE_TO_WALL_BAND_CM = 3.0
# REFERENCE 3 (Grimaldi 2016): lateral hip pain of 2/10 or more within 30 s suggests gluteal tendinopathy.
LATERAL_HIP_PAIN_REFER = 2
# REFERENCE has no sitting cut-off. hipcoach's choice: 8 h a day, a full working day seated (the top
# band in sitting-time studies); each 2 h more adds a severity step. The source article: long sitting
# shortens the hip flexors.
SITTING_HOURS_SEDENTARY = 8
SITTING_HOURS_BAND = 2

# REFERENCE 3, modified Thomas: low reliability, valid only with the low back flat.
_THOMAS_CAVEAT = "low reliability, ICC 0.30-0.65; valid only with the low back flat"
# REFERENCE 3, knee-to-wall: the 10 cm norm is *unverified*, and the runner is told so.
_KNEE_TO_WALL_NORM = "about 10 cm, commonly called adequate (unverified: clinic sources only)"


def _sides(left: T | None, right: T | None) -> Iterator[tuple[Side, T]]:
    """The measured sides, left first."""
    for side, value in ((Side.LEFT, left), (Side.RIGHT, right)):
        if value is not None:
            yield side, value


def _number(value: float) -> str:
    return f"{value:g}"


def _severity_by_deficit(deficit: float, band: float) -> int:
    """1, 2 or 3 by how many bands below the norm; deficit must be above 0."""
    return min(3, max(1, math.ceil(round(deficit / band, 9))))


def _finding(restriction: Restriction, side: Side, severity: int, *evidence: str) -> Finding:
    return Finding(id=restriction, side=side, severity=severity, evidence=list(evidence))


def _thomas_findings(thomas: Thomas | None) -> list[Finding]:
    if thomas is None:
        return []
    findings = []
    # REFERENCE 3: record categories, not degrees, so each positive category is severity 1.
    for side, result in _sides(thomas.left, thomas.right):
        where = f"Modified Thomas, {side.value} leg hanging"
        if result.thigh is ThighPosition.RAISED:
            findings.append(
                _finding(
                    Restriction.HIP_FLEXOR_TIGHTNESS,
                    side,
                    1,
                    f"{where}: thigh raised above the bed; normal is level ({_THOMAS_CAVEAT}).",
                )
            )
        if result.knee is ThomasKnee.STRAIGHTER:
            findings.append(
                _finding(
                    Restriction.RECTUS_FEMORIS_TIGHTNESS,
                    side,
                    1,
                    f"{where}: knee straighter than the normal bend of about 80 deg ({_THOMAS_CAVEAT}).",
                )
            )
        if result.thigh_drifts_out:
            findings.append(
                _finding(
                    Restriction.TFL_TIGHTNESS,
                    side,
                    1,
                    f"{where}: thigh drifts out to the side ({_THOMAS_CAVEAT}).",
                )
            )
    return findings


def _difference_line(label: str, side: Side, value: float, other: float, measure: _Measure) -> list[str]:
    """An evidence line when this side is lower than the other by a real difference (REFERENCE 2)."""
    smallest = measure.side_difference
    difference = _tidy(other - value)
    if smallest is None or difference <= 0 or not _exceeds(difference, smallest):
        return []
    other_side = Side.RIGHT if side is Side.LEFT else Side.LEFT
    source = f", {measure.source}" if measure.source else ""
    return [
        f"{label}: {side.value} {_number(difference)} {measure.unit} less than {other_side.value}, a real "
        f"difference (beyond the smallest real difference of {_number(smallest)} {measure.unit}{source})."
    ]


def _rotation_findings(
    pair: SeatedIr | SeatedEr | None, restriction: Restriction, norm_low: int, norm_text: str, label: str
) -> list[Finding]:
    if pair is None:
        return []
    measure = _measure(TestId.SEATED_IR if isinstance(pair, SeatedIr) else TestId.SEATED_ER)
    findings = []
    for side, degrees in _sides(pair.left, pair.right):
        deficit = _tidy(norm_low - degrees)
        if deficit <= 0:
            continue
        other = pair.right if side is Side.LEFT else pair.left
        real_difference = [] if other is None else _difference_line(label, side, degrees, other, measure)
        # REFERENCE 2: a reading within one smallest real change (8.6 deg) of the range's low end cannot be told
        # from the low end itself, and the adult means sit at or below the low ends (REFERENCE 1: ER 38.5 supine
        # against 40). So a side is limited only when it is below the low end by more than that, or below it and
        # really less than the other side (the runner's own hip as the norm, whatever their age).
        if not _exceeds(deficit, ROTATION_SMALLEST_REAL_CHANGE) and not real_difference:
            continue
        # Severity bands are one smallest real change wide, so each step up is a difference the measurement
        # can resolve: 1 within 8.6 deg of the low end (only with a real left/right difference), 2 within 17.2,
        # 3 beyond.
        severity = _severity_by_deficit(deficit, ROTATION_SMALLEST_REAL_CHANGE)
        if _exceeds(deficit, ROTATION_SMALLEST_REAL_CHANGE):
            where = (
                f"{_number(deficit)} deg below {norm_text}, more than the smallest real change of "
                f"{_number(ROTATION_SMALLEST_REAL_CHANGE)} deg (Gradoz 2018)"
            )
        else:
            where = (
                f"below {norm_text} by no more than the smallest real change of "
                f"{_number(ROTATION_SMALLEST_REAL_CHANGE)} deg (Gradoz 2018), but really less than the other side"
            )
        findings.append(
            _finding(
                restriction,
                side,
                severity,
                f"{label}, {side.value}: {_number(degrees)} deg, {where}.",
                *real_difference,
            )
        )
    return findings


def _active_slr_findings(slr: ActiveSlr | None) -> list[Finding]:
    if slr is None:
        return []
    # REFERENCE 3: 3 is normal; each grade lower is one severity step. 0 (pain) refers instead.
    severity_by_score = {2: 1, 1: 2}
    where_by_score = {2: "ankle between mid-thigh and knee", 1: "ankle below the knee"}
    return [
        _finding(
            Restriction.HAMSTRING_TIGHTNESS,
            side,
            severity_by_score[score],
            f"Active straight-leg raise, {side.value}: {score} of 3 ({where_by_score[score]}); 3 is normal, ankle "
            "between hip bone and mid-thigh.",
        )
        for side, score in _sides(slr.left, slr.right)
        if score in severity_by_score
    ]


def _single_leg_squat_findings(squat: SingleLegSquatFaults | None) -> list[Finding]:
    if squat is None:
        return []
    # REFERENCE 3 counts 0-4 faults without bands. hipcoach's choice: 1 fault severity 1, 2 faults
    # severity 2, 3 or 4 faults severity 3.
    return [
        _finding(
            Restriction.HIP_CONTROL_DEFICIT,
            side,
            min(3, faults),
            f"Single-leg squat, {side.value}: {faults} of 4 faults (knee inside the big toe, knee wobble, pelvic "
            "drop or rotation, trunk lean or loss of balance); 0 is best.",
        )
        for side, faults in _sides(squat.left, squat.right)
        if faults > 0
    ]


def _single_leg_stance_findings(stance: SingleLegStance | None) -> list[Finding]:
    if stance is None:
        return []
    findings = []
    for side, result in _sides(stance.left, stance.right):
        signs = []
        if result.pelvis_drops:
            signs.append("pelvis dropped")
        if result.seconds < STANCE_SECONDS:
            signs.append(f"held {_number(result.seconds)} s of {STANCE_SECONDS}")
        if not signs:
            continue
        # REFERENCE 3: a drop or under 30 s is positive. hipcoach's choice: one sign severity 1, both 2.
        findings.append(
            _finding(
                Restriction.HIP_ABDUCTOR_WEAKNESS,
                side,
                len(signs),
                f"Single-leg stance on the {side.value} leg: {' and '.join(signs)}; normal is a level pelvis for "
                f"{STANCE_SECONDS} s (Trendelenburg test).",
            )
        )
    return findings


def _deep_squat_findings(score: int | None) -> list[Finding]:
    # REFERENCE 3: 3 full with heels down is normal; 2 heels raised severity 1, 1 cannot severity 2.
    # 0 (pain) refers instead.
    severity_by_score = {2: 1, 1: 2}
    if score not in severity_by_score:
        return []
    what = {2: "full only with heels raised", 1: "cannot squat fully"}[score]
    return [
        _finding(
            Restriction.GENERAL_MOBILITY_LIMIT,
            Side.BOTH,
            severity_by_score[score],
            f"Deep squat: {score} of 3 ({what}); 3 is a full squat with heels down.",
        )
    ]


def _knee_to_wall_findings(knee_to_wall: KneeToWall | None) -> list[Finding]:
    if knee_to_wall is None:
        return []
    measure = _measure(TestId.KNEE_TO_WALL)
    findings = []
    for side, cm in _sides(knee_to_wall.left, knee_to_wall.right):
        if cm >= KNEE_TO_WALL_ADEQUATE_CM:
            continue
        severity = _severity_by_deficit(KNEE_TO_WALL_ADEQUATE_CM - cm, KNEE_TO_WALL_BAND_CM)
        other = knee_to_wall.right if side is Side.LEFT else knee_to_wall.left
        evidence = [f"Knee-to-wall, {side.value}: {_number(cm)} cm, below {_KNEE_TO_WALL_NORM}."]
        if other is not None:
            evidence += _difference_line("Knee-to-wall", side, cm, other, measure)
        findings.append(_finding(Restriction.ANKLE_DORSIFLEXION_LIMIT, side, severity, *evidence))
    return findings


def _sedentary_findings(sitting_hours: float | None) -> list[Finding]:
    if sitting_hours is None or sitting_hours < SITTING_HOURS_SEDENTARY:
        return []
    severity = min(3, 1 + int((sitting_hours - SITTING_HOURS_SEDENTARY) // SITTING_HOURS_BAND))
    return [
        _finding(
            Restriction.SEDENTARY_PATTERN,
            Side.BOTH,
            severity,
            f"Sitting {_number(sitting_hours)} h a day: {SITTING_HOURS_SEDENTARY} h or more (hipcoach's own cut-off, "
            "not a published norm). The source article: long sitting shortens the hip flexors.",
        )
    ]


# --------------------------------------------------------------------------------------------------
# The runner's history (REFERENCE.md sections 7 and 8)
# --------------------------------------------------------------------------------------------------

JOSPT_2019 = "JOSPT 2019 patellofemoral pain guideline (Willy et al.)"
GRIMALDI_2015 = "Grimaldi & Fearon 2015"


def _when(now: bool) -> str:
    return "now" if now else "before"


def _history_findings(history: Mapping[Condition, bool]) -> list[Finding]:
    """The work the history calls for, as findings for both sides (a history has no side, and severity 1: it
    adds the work without ranking it above what a test found)."""
    findings = []
    if Condition.PATELLOFEMORAL_PAIN in history:
        # REFERENCE 8 and 7: combined hip- and knee-targeted exercise (JOSPT 2019 guideline).
        findings.append(
            _finding(
                Restriction.KNEE_PAIN_HISTORY,
                Side.BOTH,
                1,
                f"Patellofemoral pain {_when(history[Condition.PATELLOFEMORAL_PAIN])}: combined hip- and "
                f"knee-targeted exercise ({JOSPT_2019}).",
            )
        )
    if Condition.GLUTEAL_TENDINOPATHY in history:
        # REFERENCE 8: abductor loading that starts with isometrics (Grimaldi & Fearon 2015).
        findings.append(
            _finding(
                Restriction.LATERAL_HIP_PAIN_HISTORY,
                Side.BOTH,
                1,
                f"Gluteal tendinopathy (lateral hip pain) {_when(history[Condition.GLUTEAL_TENDINOPATHY])}: abductor "
                f"work that starts with isometric holds ({GRIMALDI_2015}).",
            )
        )
    return findings


def _history_precautions(history: Mapping[Condition, bool]) -> set[Caution]:
    excluded = set()
    if history.get(Condition.PATELLOFEMORAL_PAIN):
        # REFERENCE 8: avoid deep loaded knee bending while it is painful.
        excluded.add(Caution.DEEP_LOADED_KNEE_BEND)
    if Condition.GLUTEAL_TENDINOPATHY in history:
        # REFERENCE 8 (Grimaldi & Fearon 2015): avoid sustained or repeated adduction and compressive positions,
        # now or before, since compression is what loads the tendons.
        excluded.add(Caution.GLUTEAL_COMPRESSION)
        if history[Condition.GLUTEAL_TENDINOPATHY]:
            # ... and, while it hurts, start abductor loading with isometrics before isotonic work.
            excluded.add(Caution.ISOTONIC_ABDUCTION)
    return excluded


# The article's own words (source, "Recovery Stretches For Runners", last paragraph): advice, not a referral: it
# locks nothing, so it is shown beside the result of a screen that reports low back pain now, and nowhere else.
LOW_BACK_PAIN_ADVICE = (
    "For persistent lower back pain that may be affecting your running form, consulting with lower back "
    "specialists can help identify and address underlying issues that impact hip mobility."
)


def low_back_pain_advice(answers: ScreenAnswers) -> str | None:
    """The article's advice when the runner reports low back pain that troubles them now (persistent, not past)."""
    return LOW_BACK_PAIN_ADVICE if answers.history().get(Condition.LOW_BACK_PAIN) else None


def _history_notes(history: Mapping[Condition, bool]) -> list[str]:
    """One sentence or two per condition: what the plan does for it, and its source (REFERENCE 7 and 8)."""
    return [_HISTORY_NOTES[condition](now) for condition, now in history.items()]


def _patellofemoral_note(now: bool) -> str:
    avoid = (
        " Deep loaded knee bending is left out while it hurts, and the pain-monitoring model sets the dose: 0-2/10 "
        "is safe, 3-5 acceptable, above 5 stop (Silbernagel 2007)."
        if now
        else ""
    )
    return (
        f"Patellofemoral pain ({_when(now)}): your plan adds knee-targeted work (step-downs, wall squats, split "
        f"squats to a comfortable depth) to the hip work: combined hip and knee exercise, as the {JOSPT_2019} "
        f"recommends.{avoid}"
    )


def _gluteal_note(now: bool) -> str:
    start = (
        " While it hurts, abductor work is isometric only: clamshells, fire hydrants and monster walks wait until it "
        "has settled (answer 'before' in your next screen)."
        if now
        else ""
    )
    return (
        f"Gluteal tendinopathy, lateral hip pain ({_when(now)}): your plan leaves out positions that squeeze the "
        "outside of the hip (the legs crossed or the knee pulled across the body, lying on one hip) and includes "
        f"isometric abductor holds ({GRIMALDI_2015}).{start}"
    )


def _itb_note(now: bool) -> str:
    # REFERENCE 7: an association (cross-sectional) and case series, not evidence that this runner is weak; the
    # single-leg stance and squat measure the abductors and hip control directly, and their findings add the work.
    return (
        f"ITB pain ({_when(now)}): it is associated with weaker hip abductors and external rotators and more hip "
        "adduction, and hip-strength rehabilitation helped in case series (Fredericson 2000). Your plan adds "
        "abductor and hip-control work when the single-leg stance or single-leg squat finds it, not on the "
        "history alone: do those tests if you have not."
    )


def _achilles_note(now: bool) -> str:
    return (
        f"Achilles tendinopathy ({_when(now)}): the link to the hip is weak (delayed gluteal activation in one small "
        "cross-sectional study), so your plan does not change for it; stop a drill that brings the pain above "
        "5/10 (Silbernagel 2007)."
    )


def _low_back_note(now: bool) -> str:
    return (
        f"Low back pain ({_when(now)}): the clinical guidance hipcoach follows gives no hip rule for it, so your plan "
        "does not change for it; stop a drill that brings the pain above 5/10 (Silbernagel 2007)."
    )


_HISTORY_NOTES: dict[Condition, Callable[[bool], str]] = {
    Condition.PATELLOFEMORAL_PAIN: _patellofemoral_note,
    Condition.ITB_PAIN: _itb_note,
    Condition.GLUTEAL_TENDINOPATHY: _gluteal_note,
    Condition.ACHILLES_TENDINOPATHY: _achilles_note,
    Condition.LOW_BACK_PAIN: _low_back_note,
}


def _restrictions(answers: ScreenAnswers, history: Mapping[Condition, bool]) -> list[Finding]:
    tests = answers.tests
    return [
        *_thomas_findings(tests.thomas),
        *_rotation_findings(
            tests.seated_ir_deg,
            Restriction.HIP_IR_LIMIT,
            IR_NORM_LOW,
            "the clinical range 30-40 deg (norms: Wilson 2014; seated mean 37.9 in adults 20-60)",
            "Seated hip IR",
        ),
        *_rotation_findings(
            tests.seated_er_deg,
            Restriction.HIP_ER_LIMIT,
            ER_NORM_LOW,
            "the clinical range 40-60 deg (norms: Wilson 2014; supine mean 38.5 in adults 20-60)",
            "Seated hip ER",
        ),
        *_active_slr_findings(tests.active_slr),
        *_knee_to_wall_findings(tests.knee_to_wall_cm),
        *_single_leg_stance_findings(tests.single_leg_stance),
        *_single_leg_squat_findings(tests.single_leg_squat_faults),
        *_deep_squat_findings(tests.deep_squat),
        *_sedentary_findings(answers.sitting_hours_per_day),
        *_history_findings(history),
    ]


# --------------------------------------------------------------------------------------------------
# Safety: referral and precautions
# --------------------------------------------------------------------------------------------------


def _faber_pains(faber: Faber) -> Iterator[tuple[Side, list[FaberPain]]]:
    """Each side's FABER pain places, left first: the one in its recorded object and the one kept beside it (a
    side whose knee height was not recorded: the runner may have stopped because it hurt)."""
    for side, result, beside in ((Side.LEFT, faber.left, faber.left_pain), (Side.RIGHT, faber.right, faber.right_pain)):
        pains = [pain for pain in (None if result is None else result.pain, beside) if pain is not None]
        yield side, list(dict.fromkeys(pains))


def _test_refer_reasons(tests: Tests) -> list[str]:
    """Referral reasons found by the tests themselves (REFERENCE 3 and 6)."""
    reasons = []
    if tests.active_slr is not None:
        reasons += [
            f"Active straight-leg raise, {side.value}: pain (score 0); pain on a scored test refers."
            for side, score in _sides(tests.active_slr.left, tests.active_slr.right)
            if score == 0
        ]
    if tests.faber is not None:
        # REFERENCE 3: groin pain on FABER points to the hip joint, refer; with or without the knee height.
        reasons += [
            f"FABER, {side.value}: groin pain, which points to the hip joint; refer."
            for side, pains in _faber_pains(tests.faber)
            if FaberPain.GROIN in pains
        ]
    stance = tests.single_leg_stance
    if stance is not None:
        # A leg whose stance was not recorded keeps its pain beside it: the runner may have stopped because it hurt.
        for side, result, beside in (
            (Side.LEFT, stance.left, stance.left_lateral_hip_pain),
            (Side.RIGHT, stance.right, stance.right_lateral_hip_pain),
        ):
            given = [pain for pain in (beside, None if result is None else result.lateral_hip_pain) if pain is not None]
            if given and max(given) >= LATERAL_HIP_PAIN_REFER:
                reasons.append(
                    f"Single-leg stance on the {side.value} leg: lateral hip pain {max(given)}/10, "
                    f"{LATERAL_HIP_PAIN_REFER}/10 or more suggests gluteal tendinopathy (Grimaldi 2016)."
                )
    squat = tests.single_leg_squat_faults
    if squat is not None:
        # REFERENCE 6 refers on "pain at 0 in any scored test". The single-leg squat is scored (0-4 faults,
        # REFERENCE 3) but its scale has no grade for pain, so pain is recorded beside the faults and refers
        # as pain on any other scored test does (the active straight-leg raise and deep squat score it 0).
        reasons += [
            f"Single-leg squat on the {side.value} leg: pain; pain on a scored test refers."
            for side, pain in ((Side.LEFT, squat.left_pain), (Side.RIGHT, squat.right_pain))
            if pain
        ]
    if tests.deep_squat == 0:
        reasons.append("Deep squat: pain (score 0); pain on a scored test refers.")
    return reasons


def _hip_replacement_reasons(replacement: HipReplacement | None) -> list[str]:
    if replacement is None or replacement.cleared_by_clinician:
        return []
    return [
        f"Hip replacement ({replacement.side.value}, {replacement.approach.value} approach) not cleared by a surgeon "
        "or physiotherapist: no self-guided mobility work without clearance (typical precautions after hip "
        "replacement)."
    ]


def _groin_pain(answers: ScreenAnswers) -> list[str]:
    """Where the answers report groin pain: a red flag that asks about it, or FABER's groin pain on a side.

    Pain now (0-10) is not one: its question covers the hip, groin and thigh together."""
    found = [flag.label for flag in ordered_flags(answers.red_flags) if flag in GROIN_FLAGS]
    if answers.tests.faber is not None:
        found += [
            f"FABER, {side.value}: groin pain"
            for side, pains in _faber_pains(answers.tests.faber)
            if FaberPain.GROIN in pains
        ]
    return found


def _low_energy_urgent_reason(answers: ScreenAnswers) -> str | None:
    """REFERENCE 8: low energy availability with groin pain is urgent (a possible femoral neck stress fracture)."""
    labels = energy_labels(answers.low_energy or (), answers.red_flags)
    groin = _groin_pain(answers)
    return low_energy_urgent_reason(labels, groin) if labels and groin else None


def urgent_answers(answers: ScreenAnswers) -> bool:
    """True when the answers need a clinician the same day: a same-day red flag, or groin pain with signs of low
    energy availability (REFERENCE 6 and 8). The wizard asks it after every step, as it does skipped_tests."""
    return _urgent(answers, _low_energy_urgent_reason(answers))


def _urgent(answers: ScreenAnswers, low_energy: str | None) -> bool:
    """:func:`urgent_answers`, given the answers' :func:`_low_energy_urgent_reason`."""
    return is_urgent(answers.red_flags) or low_energy is not None


def _refer_reasons(answers: ScreenAnswers, low_energy: str | None) -> list[str]:
    """Why the answers refer; ``low_energy`` is their :func:`_low_energy_urgent_reason`."""
    reasons = [red_flag_reason(flag) for flag in ordered_flags(answers.red_flags)]
    if low_energy is not None:
        reasons.append(low_energy)
    pain_reason = pain_now_reason(answers.pain_now)
    if pain_reason is not None:
        reasons.append(pain_reason)
    reasons += _hip_replacement_reasons(answers.hip_replacement)
    reasons += _test_refer_reasons(answers.tests)
    return reasons


def _precautions(answers: ScreenAnswers, history: Mapping[Condition, bool]) -> list[Caution]:
    """The movements left out of every drill, in vocabulary order: the hip replacement's and the history's."""
    replacement = answers.hip_replacement
    # REFERENCE 6: the approach's precautions hold even when cleared; clearance lifts only the referral.
    excluded = set() if replacement is None else set(precautions_for(replacement.approach))
    excluded |= _history_precautions(history)
    return [caution for caution in Caution if caution in excluded]


def _notes(answers: ScreenAnswers, history: Mapping[Condition, bool]) -> list[str]:
    notes = []
    faber = answers.tests.faber
    if faber is not None:
        # REFERENCE 3: buttock pain points to the sacroiliac joint, not the hip joint: noted, not referred.
        for side, pains in _faber_pains(faber):
            if FaberPain.BUTTOCK in pains:
                notes.append(
                    f"FABER, {side.value}: buttock pain points to the sacroiliac joint rather than the hip; "
                    "if it persists, see a clinician."
                )
            if FaberPain.LATERAL in pains:
                notes.append(f"FABER, {side.value}: pain at the outside of the hip; if it persists, see a clinician.")
    notes += _age_notes(answers)
    labels = energy_labels(answers.low_energy or (), answers.red_flags)
    if labels and answers.pain_now > 0 and not _groin_pain(answers):
        # REFERENCE 8: with groin pain it is urgent; the pain-now question does not say where the pain is.
        notes.append(
            f"Pain now {answers.pain_now}/10 with signs of low energy availability: if the pain is in the groin or "
            "the front of the thigh, see a clinician today and do not run (possible femoral neck stress fracture, "
            "Robertson & Wood 2017)."
        )
    replacement = answers.hip_replacement
    if replacement is not None:
        notes.append(
            f"Hip replacement precautions for the {replacement.approach.value} approach apply to every drill "
            "(typical precautions after hip replacement, usually for about 3 months; only your surgeon or "
            "physiotherapist lifts them)."
        )
    return notes + _history_notes(history)


def _age_notes(answers: ScreenAnswers) -> list[str]:
    """How far the norms fit the runner's age: REFERENCE 1's measured means are of adults 20-60."""
    youngest, oldest = NORM_AGES
    if answers.age < ADULT_AGE:
        # REFERENCE 8: the norms of section 1 are for adults; resistance training under 18 from low loads.
        return [
            f"Age {answers.age}: the norms this screen compares with are for adults ({youngest}-{oldest}), so read "
            "the findings as a rough guide. Strength work under 18 is safe when supervised and started from low "
            "loads (NSCA position statement, Faigenbaum 2009)."
        ]
    rotation = answers.tests.seated_ir_deg is not None or answers.tests.seated_er_deg is not None
    if answers.age > oldest and rotation:
        return [
            f"Age {answers.age}: the hip rotation norms come from adults {youngest}-{oldest}, and range falls with "
            "age (Soucie 2011); a rotation is called limited only well below the norm or against your other side."
        ]
    return []


def _advice(answers: ScreenAnswers, low_energy: str | None) -> list[str]:
    """Advice that does not lock the plan: signs of low energy availability without groin pain (REFERENCE 8).
    ``low_energy`` is the answers' :func:`_low_energy_urgent_reason`."""
    labels = energy_labels(answers.low_energy or (), answers.red_flags)
    if not labels or low_energy is not None:
        return []
    return [low_energy_advice(labels)]


def _not_measured(tests: Tests) -> list[Unmeasured]:
    missing = []
    for test in TestId:
        answer = getattr(tests, test.value)
        if test is TestId.DEEP_SQUAT:
            if answer is None:
                missing.append(Unmeasured(test=test))
            continue
        missing += [
            Unmeasured(test=test, side=side)
            for side in (Side.LEFT, Side.RIGHT)
            if answer is None or getattr(answer, side.value) is None
        ]
    return missing


# Short plain-language names for the summary line.
_PLAIN_NAMES: dict[Restriction, str] = {
    Restriction.HIP_FLEXOR_TIGHTNESS: "tight hip flexors",
    Restriction.RECTUS_FEMORIS_TIGHTNESS: "tight rectus femoris",
    Restriction.TFL_TIGHTNESS: "tight TFL",
    Restriction.HIP_IR_LIMIT: "limited inward hip rotation",
    Restriction.HIP_ER_LIMIT: "limited outward hip rotation",
    Restriction.HAMSTRING_TIGHTNESS: "tight hamstrings",
    Restriction.HIP_CONTROL_DEFICIT: "hip control on one leg",
    Restriction.HIP_ABDUCTOR_WEAKNESS: "weak hip abductors",
    Restriction.ANKLE_DORSIFLEXION_LIMIT: "stiff ankle",
    Restriction.GENERAL_MOBILITY_LIMIT: "deep squat mobility",
    Restriction.SEDENTARY_PATTERN: "long hours sitting",
    Restriction.KNEE_PAIN_HISTORY: "knee work after patellofemoral pain",
    Restriction.LATERAL_HIP_PAIN_HISTORY: "isometric abductor work after lateral hip pain",
}


# Findings of the history, not of a test: they have no side or severity to show.
_HISTORY_RESTRICTIONS = frozenset({Restriction.KNEE_PAIN_HISTORY, Restriction.LATERAL_HIP_PAIN_HISTORY})


def plain_name(restriction: Restriction) -> str:
    """A restriction in the runner's words, as the summary line says it ("tight hip flexors")."""
    return _PLAIN_NAMES.get(restriction, restriction.value)


def _summary_name(finding: Finding) -> str:
    name = plain_name(finding.id)
    if finding.id in _HISTORY_RESTRICTIONS:
        return name
    return f"{name} ({finding.side.value}, {finding.severity}/3)"


def _summary(
    answers: ScreenAnswers,
    restrictions: list[Finding],
    reasons: list[str],
    unmeasured: int,
    *,
    urgent: bool,
    low_energy: str | None,
    advice: list[str],
) -> str:
    """The summary line; ``urgent``, ``low_energy`` and ``advice`` are the answers' :func:`urgent_answers`,
    :func:`_low_energy_urgent_reason` and :func:`_advice`."""
    if urgent:
        same_day = [flag.label for flag in ordered_flags(answers.red_flags) if flag.urgency is Urgency.SAME_DAY]
        if low_energy is not None:
            same_day.append("groin pain with signs of low energy availability")
        return (
            f"Stop running and see a clinician today ({'; '.join(same_day)}); no training plan until a clinician has "
            "seen you."
        )
    if reasons:
        count = f"{len(reasons)} reason{'s' if len(reasons) > 1 else ''}"
        return f"See a clinician before training your hips on your own ({count}); no training plan until then."
    not_measured = f"; {unmeasured} test side{'s' if unmeasured != 1 else ''} not measured" if unmeasured else ""
    precautions = "; hip replacement precautions apply" if answers.hip_replacement is not None else ""
    # REFERENCE 8: low energy availability on its own: advise seeing a clinician, not urgent; the plan stays open.
    see = "; see a clinician about signs of low energy availability (not urgent)" if advice else ""
    not_asked = "; the low-energy question was not asked" if unanswered_safety_questions(answers) else ""
    after = f"{not_measured}{precautions}{see}{not_asked}"
    if not restrictions:
        return f"No restrictions in the tests you did{after}."
    work_on = ", ".join(_summary_name(finding) for finding in restrictions)
    return f"Work on: {work_on}{after}."


def score_screen(answers: ScreenAnswers) -> ScreenResult:
    """Score the answers: restrictions, asymmetries, precautions and the referral decision.

    Deterministic: the same answers always give the same result, in the same order.
    """
    history = answers.history()
    low_energy = _low_energy_urgent_reason(answers)
    urgent = _urgent(answers, low_energy)
    advice = _advice(answers, low_energy)
    restrictions = _restrictions(answers, history)
    reasons = _refer_reasons(answers, low_energy)
    unmeasured = _not_measured(answers.tests)
    asymmetries = _asymmetries(answers.tests)
    return ScreenResult(
        refer=bool(reasons),
        urgent=urgent,
        refer_reasons=reasons,
        restrictions=restrictions,
        asymmetries=asymmetries,
        precautions=_precautions(answers, history),
        not_measured=unmeasured,
        notes=_notes(answers, history),
        advice=advice,
        not_answered=unanswered_safety_questions(answers),
        summary=_summary(
            answers, restrictions, reasons, len(unmeasured), urgent=urgent, low_energy=low_energy, advice=advice
        ),
        age=answers.age,
        emphasis=side_emphasis(answers.tests, restrictions, asymmetries),
        conditions=list(history),
    )


# --------------------------------------------------------------------------------------------------
# Side emphasis: which side of a restriction gets more work
# --------------------------------------------------------------------------------------------------

# The test each one-sided restriction comes from, and what a positive side shows on it.
_EMPHASIS_TESTS: dict[Restriction, tuple[TestId, str]] = {
    Restriction.HIP_FLEXOR_TIGHTNESS: (TestId.THOMAS, "thigh raised on the Thomas test"),
    Restriction.RECTUS_FEMORIS_TIGHTNESS: (TestId.THOMAS, "knee straighter on the Thomas test"),
    Restriction.TFL_TIGHTNESS: (TestId.THOMAS, "thigh drifts out on the Thomas test"),
    Restriction.HIP_IR_LIMIT: (TestId.SEATED_IR, "less inward rotation"),
    Restriction.HIP_ER_LIMIT: (TestId.SEATED_ER, "less outward rotation"),
    Restriction.HAMSTRING_TIGHTNESS: (TestId.ACTIVE_SLR, "a lower straight-leg raise"),
    Restriction.HIP_CONTROL_DEFICIT: (TestId.SINGLE_LEG_SQUAT, "faults on the single-leg squat"),
    Restriction.HIP_ABDUCTOR_WEAKNESS: (TestId.SINGLE_LEG_STANCE, "the pelvis not held on the single-leg stance"),
    Restriction.ANKLE_DORSIFLEXION_LIMIT: (TestId.KNEE_TO_WALL, "a shorter knee-to-wall"),
}


def _side_measured(tests: Tests, test: TestId, side: Side) -> bool:
    answer = getattr(tests, test.value)
    return answer is not None and getattr(answer, side.value) is not None


def _real_lower_side(test: TestId, asymmetries: Sequence[Asymmetry]) -> tuple[Side, Asymmetry] | None:
    """The side with the lower value when the screen calls this test's left/right difference real."""
    for asymmetry in asymmetries:
        if asymmetry.test is test and asymmetry.real:
            return (Side.LEFT if asymmetry.left < asymmetry.right else Side.RIGHT), asymmetry
    return None


def _emphasis_of(
    restriction: Restriction, sides: set[Side], tests: Tests, asymmetries: Sequence[Asymmetry]
) -> SideEmphasis | None:
    test, shows = _EMPHASIS_TESTS[restriction]
    plain = plain_name(restriction)
    measure = next((measure for measure in MEASURES if measure.test is test), None)
    if measure is not None and measure.side_difference is not None:
        # A measured difference counts only beyond the smallest real difference (REFERENCE 2), even when one
        # side is under the norm and the other just over it (knee-to-wall 9 vs 10 cm is within error).
        real = _real_lower_side(test, asymmetries)
        if real is None or real[0] not in sides:
            return None
        side, asymmetry = real
        other = Side.RIGHT if side is Side.LEFT else Side.LEFT
        return SideEmphasis(
            id=restriction,
            side=side,
            reason=f"{side.value} {plain}: {shows}, {_number(asymmetry.difference)} {asymmetry.unit} less than "
            f"{other.value}, a real difference (beyond {_number(measure.side_difference)} {asymmetry.unit}).",
        )
    # A test without a known measurement error: only positive on one side and normal on the other.
    if len(sides) != 1:
        return None
    (side,) = sides
    other = Side.RIGHT if side is Side.LEFT else Side.LEFT
    if not _side_measured(tests, test, other):
        return None
    return SideEmphasis(id=restriction, side=side, reason=f"{side.value} {plain}: {shows}, {other.value} normal.")


def side_emphasis(
    tests: Tests, restrictions: Sequence[Finding], asymmetries: Sequence[Asymmetry]
) -> list[SideEmphasis]:
    """The sides that get more work (REFERENCE 2): a real left/right difference, or a test positive on one side
    only with the other side measured and normal. Findings on both sides alike give no emphasis."""
    sides: dict[Restriction, set[Side]] = {}
    for finding in restrictions:
        if finding.id in _EMPHASIS_TESTS and finding.side in (Side.LEFT, Side.RIGHT):
            sides.setdefault(finding.id, set()).add(finding.side)
    found = (_emphasis_of(restriction, found_sides, tests, asymmetries) for restriction, found_sides in sides.items())
    return [emphasis for emphasis in found if emphasis is not None]


# --------------------------------------------------------------------------------------------------
# The wizard's steps
# --------------------------------------------------------------------------------------------------


class InputKind(StrEnum):
    NUMBER = "number"
    WHOLE_NUMBER = "whole-number"
    CHOICE = "choice"
    YES_NO = "yes-no"


class StepInput(_Result):
    """One value the runner records for a side (or for the whole test)."""

    key: str = Field(description="Key inside the side's answer object; '' when the side's answer is this value.")
    prompt: str
    kind: InputKind
    minimum: float | None = None
    maximum: float | None = None
    choices: list[str] = Field(default_factory=list)
    beside: bool = Field(
        default=False,
        description="A pain answer kept beside the side's answer, as '<side>_<key>' in the test's object (the "
        "single-leg squat's yes/no pain, the single-leg stance's lateral hip pain 0-10, FABER's pain place). "
        "Asked for every side shown, even when its measure is left empty, and needed whenever the measure is "
        "given: a pain question is never assumed answered no. Without the measure it is kept when it reports "
        "pain (see reports_pain).",
    )
    in_side: bool = Field(
        default=False,
        description="For a beside answer that a recorded side's own object holds too (the single-leg stance's "
        "lateral hip pain, FABER's pain place): with the side recorded it goes in the side's object under 'key'; "
        "beside only when not.",
    )

    def answer_key(self, side: Side) -> str:
        """Where a beside answer goes in the test's object, e.g. 'left_pain'."""
        return f"{side.value}_{self.key}"

    def reports_pain(self, answer: object) -> bool:
        """Whether a beside answer reports pain (a yes, a rating above 0, a pain place other than none), and so
        counts without the measure."""
        if isinstance(answer, bool):
            return answer
        if isinstance(answer, str):
            return self.kind is InputKind.CHOICE and answer in self.choices and answer != FaberPain.NONE.value
        return isinstance(answer, int | float) and answer > 0


class TestStep(_Result):
    """A home test as the wizard presents it: how to do it, what to record, and what it involves."""

    __test__ = False  # not a pytest test class, despite the name

    id: TestId
    title: str
    screens: str = Field(description="What the test screens.")
    how: list[str] = Field(description="Instructions; '{side}' and '{other}' are filled in by instructions().")
    criteria: str = Field(description="What counts as normal.")
    per_side: bool
    loaded: bool = Field(description="Loads the hip on one leg or in a deep squat; skipped after any red flag.")
    involves: list[Caution] = Field(description="Movements that hip-replacement precautions may exclude.")
    follow_up: RedFlag | None = Field(default=None, description="A red flag to ask right after this test.")
    inputs: list[StepInput]

    @property
    def sides(self) -> tuple[Side, ...]:
        """The sides in the order the wizard asks them: left, then right; none for a whole-body test."""
        return (Side.LEFT, Side.RIGHT) if self.per_side else ()

    def instructions(self, side: Side | None = None) -> list[str]:
        """The how-to lines for one side (or for a test without sides)."""
        if side is None or side is Side.BOTH:
            return [line.format(side="test", other="other") for line in self.how]
        other = Side.RIGHT if side is Side.LEFT else Side.LEFT
        return [line.format(side=side.value, other=other.value) for line in self.how]


def _input_from(key: str, info: FieldInfo, *, beside: bool = False, in_side: bool = False) -> StepInput:
    kinds = _types_in(info.annotation)
    enum = next((k for k in kinds if isinstance(k, type) and issubclass(k, Enum)), None)
    if enum is not None:
        kind, choices = InputKind.CHOICE, [str(member.value) for member in enum]
    elif bool in kinds:
        kind, choices = InputKind.YES_NO, []
    else:
        kind, choices = (InputKind.WHOLE_NUMBER if int in kinds else InputKind.NUMBER), []
    lowest, highest = _bounds(info)
    return StepInput(
        key=key,
        prompt=info.description or key,
        kind=kind,
        minimum=lowest,
        maximum=highest,
        choices=choices,
        beside=beside,
        in_side=in_side,
    )


def _inputs_for(test: TestId) -> list[StepInput]:
    """What the wizard records for a test, read from the answer model so bounds are defined once."""
    field = Tests.model_fields[test.value]
    pair = _model_in(field)
    if pair is None:
        return [_input_from("", field)]
    side_field = pair.model_fields["left"]
    side_model = _model_in(side_field)
    # Answers kept beside the sides ('left_pain' with 'right_pain'), asked per side after its measure. One
    # that the side's own object holds too is asked once, as the beside answer (it goes in the side when given).
    beside = [name.removeprefix("left_") for name in pair.model_fields if name.startswith("left_")]
    in_side = set(beside) & set(side_model.model_fields if side_model is not None else ())
    if side_model is None:
        inputs = [_input_from("", side_field)]
    else:
        inputs = [_input_from(name, info) for name, info in side_model.model_fields.items() if name not in in_side]
    return inputs + [
        _input_from(key, pair.model_fields[f"left_{key}"], beside=True, in_side=key in in_side) for key in beside
    ]


def _step(
    test: TestId,
    screens: str,
    how: Sequence[str],
    criteria: str,
    *,
    per_side: bool = True,
    loaded: bool = False,
    involves: Sequence[Caution] = (),
    follow_up: RedFlag | None = None,
) -> TestStep:
    return TestStep(
        id=test,
        title=test.description,
        screens=screens,
        how=list(how),
        criteria=criteria,
        per_side=per_side,
        loaded=loaded,
        involves=list(involves),
        follow_up=follow_up,
        inputs=_inputs_for(test),
    )


# REFERENCE 3, "how" column, written for a runner at home. Unloaded tests first and loaded ones last, so
# that pain found early (a red flag, groin pain on FABER) can stop the loaded tests before they start.
TEST_STEPS: tuple[TestStep, ...] = (
    _step(
        TestId.THOMAS,
        "Hip flexors: one-joint (iliopsoas), rectus femoris and TFL.",
        (
            "Sit on the very end of a firm bed or table.",
            "Hug your {other} knee to your chest with both hands and roll back onto the bed, still hugging it.",
            "Keep your low back flat on the bed: the test counts only with the back flat.",
            "Let your {side} leg hang over the end, relaxed. A helper or a phone on video watches from the side.",
            "Record: does the {side} thigh rest level with the bed, stay raised, or drop below it? Is the knee "
            "bent to about a right angle or more, or straighter, with the shin out in front? Does the thigh drift "
            "out to the side?",
        ),
        "Normal: the thigh rests level and the knee bends about 80 deg, near a right angle. Thigh raised: short "
        "one-joint flexors; knee straighter: short rectus femoris; thigh drifts out: TFL. Low reliability: "
        "categories only, no degrees.",
        # Hugging one knee bends that hip past 90; the hanging leg extends and may turn out.
        involves=(Caution.HIP_FLEXION_PAST_90, Caution.EXTENSION_WITH_EXTERNAL_ROTATION),
    ),
    _step(
        TestId.SEATED_IR,
        "Hip internal rotation.",
        (
            "Sit tall on a table or high bed, thighs supported and knees bent at 90 deg, feet off the floor.",
            "Place a phone flat on the front of your {side} shin, just above the ankle, with an inclinometer "
            "(level) app; zero it with the shin hanging straight down.",
            "Keep the {side} thigh still and both sitting bones on the table. Swing the {side} foot out to the "
            "side, which turns the hip inward, as far as it goes without pain.",
            "Record the angle in degrees. Stop if it hurts in the groin.",
        ),
        "Clinical range 30-40 deg (seated mean 37.9). Painful, limited inward rotation means refer.",
        involves=(Caution.HIP_INTERNAL_ROTATION,),
        # REFERENCE 3 and 6: painful, limited IR refers the same day; ask while the runner has just felt it.
        follow_up=RedFlag.PAINFUL_LIMITED_IR,
    ),
    _step(
        TestId.SEATED_ER,
        "Hip external rotation.",
        (
            "Sit as for inward rotation: thighs supported, knees at 90 deg, feet off the floor.",
            "Place the phone flat on the front of your {side} shin, just above the ankle; zero it with the shin "
            "hanging straight down.",
            "Keep the {side} thigh still and both sitting bones on the table. Swing the {side} foot in, across "
            "in front of the {other} shin, which turns the hip outward, as far as it goes without pain.",
            "Record the angle in degrees.",
        ),
        "Clinical range 40-60 deg.",
    ),
    _step(
        TestId.ACTIVE_SLR,
        "Hamstrings.",
        (
            "Lie on your back on the floor, both legs straight, arms by your sides.",
            "Keep the {other} leg flat on the floor and both knees straight.",
            "Lift the straight {side} leg as high as it goes, slowly.",
            "Record where the {side} ankle reaches, against the {other} leg: between the hip bone and mid-thigh "
            "= 3; between mid-thigh and the knee = 2; below the knee = 1. Any pain = 0: stop there.",
        ),
        "3 is normal. 0 (pain) means refer.",
        # A full raise can take the hip towards 90 deg; conservative for a posterior hip replacement.
        involves=(Caution.HIP_FLEXION_PAST_90,),
    ),
    _step(
        TestId.FABER,
        "Hip joint versus sacroiliac pain.",
        (
            "Lie on your back on a firm bed or the floor, both legs straight.",
            "Put your {side} ankle on your {other} knee, like a figure 4.",
            "Let the {side} knee drop towards the bed, relaxed; do not push it.",
            "Record the height of the {side} knee above the bed in cm, and whether it hurts and where: groin, "
            "buttock or the outside of the hip (if you stopped because it hurt, record where even without the "
            "height).",
        ),
        "Groin pain points to the hip joint and means refer; buttock pain points to the sacroiliac joint.",
    ),
    _step(
        TestId.KNEE_TO_WALL,
        "Ankle dorsiflexion.",
        (
            "Face a wall with your {side} foot in front, big toe a few cm from the wall.",
            "Keep the {side} heel down and bend the knee forward until it touches the wall.",
            "Move the foot back a little at a time until the knee only just touches with the heel still down.",
            "Record the distance from the big toe to the wall in cm.",
        ),
        "Around 10 cm is commonly called adequate (unverified, clinic sources only). 1 cm is about 3.6 deg.",
    ),
    _step(
        TestId.SINGLE_LEG_STANCE,
        "Hip abductors (Trendelenburg).",
        (
            "Stand in front of a mirror with your hands on your hips, next to a wall or chair for safety.",
            "Lift your {other} foot and stand on your {side} leg for up to 30 s.",
            "Watch your pelvis: does the {other} side drop?",
            "Record the seconds held (up to 30), whether the pelvis dropped, and any pain at the outside of the "
            "{side} hip, 0-10 (if you stopped because it hurt, record the pain even without the seconds).",
        ),
        "Normal: the pelvis stays level for 30 s. Lateral hip pain of 2/10 or more means refer.",
        loaded=True,
        involves=(Caution.SINGLE_LEG_LOAD,),
    ),
    _step(
        TestId.SINGLE_LEG_SQUAT,
        "Hip control.",
        (
            "Stand on your {side} leg in front of a mirror or a phone on video, next to a chair for safety.",
            "Squat on the {side} leg as deep as you can control, and come back up. Stop if it hurts.",
            "Count one fault each for: knee goes inside the big toe; knee wobbles; pelvis drops or turns; trunk "
            "leans or you lose balance.",
            "Record the faults, 0-4, and whether it hurt (if you stopped because it hurt, record that even "
            "without the faults).",
        ),
        "0 faults is best; higher is worse. Pain means refer.",
        loaded=True,
        # The knee falling in turns the hip inward under load.
        involves=(Caution.SINGLE_LEG_LOAD, Caution.INTERNAL_ROTATION_UNDER_LOAD),
    ),
    _step(
        TestId.DEEP_SQUAT,
        "Overall lower-limb mobility.",
        (
            "Stand with your feet shoulder-width apart and your arms straight overhead.",
            "Squat as deep as you can with your arms overhead and your heels down.",
            "If you cannot, try again with your heels raised on a thin book or board.",
            "Record: 3 full squat with heels down; 2 full only with heels raised; 1 cannot; 0 pain: stop.",
        ),
        "3 is normal. 0 (pain) means refer.",
        per_side=False,
        loaded=True,
        involves=(Caution.HIP_FLEXION_PAST_90,),
    ),
)


def step_for(test: TestId) -> TestStep:
    """The wizard step of one test."""
    return next(step for step in TEST_STEPS if step.id is test)


def skipped_tests(answers: ScreenAnswers) -> dict[TestId, str]:
    """The tests the wizard must skip for these answers so far, each with the reason to show.

    The wizard calls this again after every step with the answers so far (the tests done are optional,
    so partial answers validate): a follow-up red flag, groin pain on FABER or pain on a scored test then
    stops the loaded tests that come later.
    """
    replacement = answers.hip_replacement
    if replacement is not None and not replacement.cleared_by_clinician:
        # REFERENCE 6: no self-guided mobility without clearance, and the tests are self-guided mobility.
        reason = (
            "Skipped: no self-guided mobility tests after a hip replacement until a surgeon or physiotherapist "
            "clears you (typical precautions after hip replacement)."
        )
        return {step.id: reason for step in TEST_STEPS}
    skipped: dict[TestId, str] = {}
    if replacement is not None:
        excluded = set(precautions_for(replacement.approach))
        for step in TEST_STEPS:
            clashes = [caution.value for caution in step.involves if caution in excluded]
            if clashes:
                skipped[step.id] = (
                    f"Skipped: this test involves {', '.join(clashes)}, which your hip replacement's precautions "
                    f"({replacement.approach.value} approach) exclude (typical precautions after hip replacement)."
                )
    allowed, reason = loaded_tests_allowed(answers.red_flags, answers.pain_now)
    if allowed:
        pain_found = _test_refer_reasons(answers.tests)
        if pain_found:
            allowed, reason = False, f"Loaded tests skipped: a test already refers you to a clinician. {pain_found[0]}"
    if not allowed:
        for step in TEST_STEPS:
            if step.loaded:
                skipped.setdefault(step.id, reason)
    return skipped


def answers_with_test(answers: ScreenAnswers, test: TestId, value: Mapping[str, Any] | int | None) -> ScreenAnswers:
    """The answers with one test's result set (validated), for a wizard that builds answers step by step."""
    data = answers.model_dump(mode="json")
    data["tests"][test.value] = value
    return parse_answers(data)


# --------------------------------------------------------------------------------------------------
# A clinician's own measurement of a screen measure
# --------------------------------------------------------------------------------------------------


class Instrument(Term):
    """What a clinician measured with (REFERENCE 2: goniometer and inclinometer differ by 3-5 degrees)."""

    GONIOMETER = "goniometer", "A goniometer: the angle read off its arms."
    INCLINOMETER = "inclinometer", "An inclinometer (digital or a phone's) on the shin."
    TAPE = "tape", "A tape measure, for distances."


@dataclass(frozen=True)
class ClinicianMeasure:
    """A screen measure a clinician can take with an instrument: the screen's own bounds and smallest real change."""

    path: str
    title: str
    unit: str
    low: float
    high: float
    instruments: tuple[Instrument, ...]
    smallest_real_change: float | None

    def judge(self, first: float, latest: float) -> tuple[float, bool | None, str]:
        """The change from ``first`` to ``latest`` and its verdict, as the runner's own screens are judged."""
        real, verdict = _judge(latest - first, self.smallest_real_change)
        return _tidy(latest - first), real, verdict


def _clinician_measure(measure: _Measure) -> ClinicianMeasure:
    model = _model_in(Tests.model_fields[measure.test.value])
    assert model is not None  # every measured test has an answer model
    side = model.model_fields["left"]
    side_model = _model_in(side)
    info = side_model.model_fields[measure.key] if side_model is not None and measure.key else side
    low, high = _bounds(info)
    assert low is not None  # every numeric answer has stated bounds
    assert high is not None
    angles = measure.unit == "deg"
    instruments = (Instrument.GONIOMETER, Instrument.INCLINOMETER) if angles else (Instrument.TAPE,)
    # A clinician may measure rotation lying prone or supine too: the position is recorded beside the value.
    title = measure.test.description.removeprefix("Seated ").capitalize()
    return ClinicianMeasure(measure.path, title, measure.unit, low, high, instruments, measure.change)


# The measures taken with an instrument (degrees or centimetres, per side); scores, faults and seconds are not.
CLINICIAN_MEASURES: dict[str, ClinicianMeasure] = {
    measure.path: _clinician_measure(measure)
    for measure in MEASURES
    if measure.per_side and measure.unit in ("deg", "cm")
}
POSITION_LENGTH = 120


def clinician_measurement_problems(measure: str, side: str, value: float, instrument: str, position: str) -> list[str]:
    """What is wrong with a clinician's measurement, each as 'field: what is allowed'; empty when it is fine."""
    spec = CLINICIAN_MEASURES.get(measure)
    if spec is None:
        return [f"measure: one of {', '.join(CLINICIAN_MEASURES)}"]
    problems = []
    if side not in (Side.LEFT.value, Side.RIGHT.value):
        problems.append("side: left or right")
    if not (math.isfinite(value) and spec.low <= value <= spec.high):
        problems.append(f"value: a number from {spec.low:g} to {spec.high:g} {spec.unit} ({spec.title})")
    if instrument not in spec.instruments:
        problems.append(f"instrument: one of {', '.join(str(one) for one in spec.instruments)} for {spec.title}")
    if not position.strip() or len(position) > POSITION_LENGTH:
        problems.append(f"position: how it was measured, e.g. 'prone, knee at 90°' (1 to {POSITION_LENGTH} characters)")
    return problems


def replacement_only_precautions(answers: ScreenAnswers) -> list[Caution]:
    """The precautions only the hip replacement adds (the history's own stay when a clinician lifts these)."""
    replacement = answers.hip_replacement
    if replacement is None:
        return []
    history = _history_precautions(answers.history())
    return [caution for caution in precautions_for(replacement.approach) if caution not in history]
