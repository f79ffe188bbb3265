"""The context's rules (the article; REFERENCE.md section 4): the named series, each context's slots and
their weights, the objective's drill terms, the dose ranges and hold limits, and what counts as a static
hold."""

from __future__ import annotations

from dataclasses import dataclass

from hipcoach.core.catalogue import Drill
from hipcoach.core.planner.inputs import Context
from hipcoach.core.timeline import DoseTuple, Unit, transition_seconds
from hipcoach.core.vocabulary import Kind, Phase, Position, Restriction, Section, Side, Target

# The article's two named series, in its order ("Standing Hip Mobility Series": leg swings forward and
# lateral, lateral lunges, hip circles; "Floor-Based Hip Opening Sequences": 90/90, clamshell, quadruped
# hip external rotation, figure-four, butterfly).
PRESET_DRILLS: dict[Context, tuple[str, ...]] = {
    Context.STANDING_SERIES: ("forward-leg-swing", "lateral-leg-swing", "lateral-lunge", "standing-hip-circles"),
    Context.FLOOR_SEQUENCE: (
        "90-90-stretch",
        "clamshell",
        "quadruped-hip-external-rotation",
        "supine-figure-four-stretch",
        "butterfly-stretch",
    ),
}
PRESET_SECTIONS: dict[Context, Section] = {
    Context.STANDING_SERIES: Section.STANDING_SERIES,
    Context.FLOOR_SEQUENCE: Section.FLOOR_SEQUENCE,
}


# Coverage: covering a restriction again is worth half the previous cover.
COVERAGE_RETURN = 0.5
# Drill terms of the objective.
ARTICLE_BONUS = 0.25
CHAIN_TOP_BONUS = 0.5
PROGRESSED_BONUS = 0.25
RECENT_WEIGHT = 0.002
RECENT_DECAY = 0.5
SEED_WEIGHT = 1e-6
# Rotation through a week (hipcoach.core.week): a drill not yet in the week's recovery, strength or rest-day
# sessions gets ROTATION_WEIGHT added to its term, halved for each time it already is. A fresh drill is ahead of a
# once-used one by 0.3, more than the article bonus (0.25), so the week rotates through the eligible drills; a
# bonus, never a penalty, so a drill the week already holds still adds value and a session is never left short
# for the sake of variety; and under the smallest finding's cover (severity 1 counts 1.0), so rotation never
# costs a finding the drill that covers it.
ROTATION_WEIGHT = 0.6


def rotation_bonus(uses: int) -> float:
    """What a drill's term gains in a rotating session for being ``uses`` times already in the week (fresh: most)."""
    return ROTATION_WEIGHT * 0.5 ** max(uses, 0)


@dataclass(frozen=True, slots=True)
class SlotRule:
    name: str
    weight: float
    diminishing: float
    rule: str


@dataclass(frozen=True, slots=True)
class ContextRules:
    phase: Phase | None
    slots: tuple[SlotRule, ...]
    closing: int | None
    article: frozenset[Section]
    summary: str
    # The static hold seconds a target may get per side in all, exclusive (None: no such limit).
    static_per_target: int | None = None


# REFERENCE 4, static stretch before a run: under 60 s per muscle costs about 1% performance, 60 s or more
# about 4.6%. Before a run the static holds on one target, summed over the session, stay under this, a side.
PRE_RUN_STATIC_PER_TARGET = 60

_PRE_RUN = ContextRules(
    phase=Phase.PRE_RUN,
    slots=(
        SlotRule("release", 1.0, 0.5, "Pre-run, article: start by foam rolling the hip flexors and quadriceps."),
        SlotRule(
            "dynamic",
            1.5,
            0.5,
            "Pre-run, article: dynamic drills (leg swings, lateral lunges) after the release; "
            "dynamic drills before a run help performance (Behm 2016).",
        ),
        SlotRule("activation", 1.0, 0.5, "Pre-run, article: activation (glute bridges, fire hydrants, clamshells)."),
        SlotRule(
            "rotators and openers",
            1.0,
            0.5,
            "Pre-run, article: rotators and openers (90/90, figure-four, pigeon); holds at most 30 s a side, "
            "under 60 s a side on any one muscle in all (Behm 2016).",
        ),
        SlotRule(
            "closing dynamic",
            1.0,
            0.5,
            "Ends the routine on dynamic movement: static stretching is followed by dynamic movement "
            "before running (Behm 2016).",
        ),
    ),
    closing=4,
    article=frozenset({Section.PRE_RUN_ROUTINE}),
    summary="Pre-run (article: 5-10 minutes): release, dynamic drills, activation, rotators and openers, "
    "and a dynamic drill last; static holds at most 30 s a side, and under 60 s a side on any one muscle "
    "in all (Behm 2016).",
    static_per_target=PRE_RUN_STATIC_PER_TARGET,
)
_POST_RUN = ContextRules(
    phase=Phase.POST_RUN,
    slots=(
        SlotRule(
            "release",
            1.0,
            0.5,
            "Post-run, article: foam roll the hip flexors, glutes and hamstrings before stretching "
            "(roll before stretching; Konrad 2021).",
        ),
        SlotRule(
            "static stretches",
            1.5,
            0.5,
            "Post-run, article: static stretches (kneeling and elevated hip flexor, knee-to-chest, "
            "figure-four, pigeon, butterfly).",
        ),
        SlotRule(
            "gentle rotations",
            1.0,
            0.5,
            "Post-run, article: gentle rotations to finish (straddle rocking, crab rotations).",
        ),
        SlotRule("other", 0.5, 0.5, "Post-run recovery work."),
    ),
    closing=None,
    article=frozenset({Section.RECOVERY_STRETCHES}),
    summary="Post-run (article: 5-10 minutes, at least three times a week): foam rolling, then static "
    "stretches held 20-30 s (30-60 s from age 65, ACSM), then gentle rotations.",
)
_STRENGTH = ContextRules(
    phase=Phase.STRENGTH,
    slots=(
        SlotRule("release", 0.5, 0.5, "Strength day: release work first."),
        SlotRule("warm-up", 0.5, 0.5, "Strength day: dynamic warm-up."),
        SlotRule(
            "glute chain",
            1.5,
            0.75,
            "Strength, article: glute activation along its chain (glute bridge, clamshell, monster walk, "
            "single-leg deadlift, hip thrust) up to your level; 2-3 sets of 10-15 (ACSM).",
        ),
        SlotRule(
            "deep rotators",
            1.0,
            0.5,
            "Strength, article: deep hip rotator work; 2-3 sets of 10-15 (ACSM).",
        ),
        SlotRule("stretch", 0.5, 0.5, "Strength day: a stretch to finish."),
    ),
    closing=None,
    article=frozenset({Section.BUM_ACTIVATION, Section.DEEP_HIP_ROTATOR}),
    summary="Strength (ACSM: 2-3 non-consecutive days a week, 2-3 sets of 10-15): the article's "
    "glute chain up to your level, then deep hip rotator work.",
)
_REST_DAY = ContextRules(
    phase=Phase.REST_DAY,
    slots=(
        SlotRule("release", 1.0, 0.5, "Rest day, article: release work (foam roller, therapy ball)."),
        SlotRule(
            "floor sequence",
            1.5,
            0.75,
            "Rest day, article: the floor-based hip opening sequence (90/90, clamshell, quadruped hip "
            "external rotation, figure-four, butterfly).",
        ),
        SlotRule("floor openers", 1.0, 0.5, "Rest day: more floor-based hip opening work."),
        SlotRule("standing", 0.5, 0.5, "Rest day: standing mobility."),
    ),
    closing=None,
    article=frozenset({Section.FLOOR_SEQUENCE, Section.HIP_FLEXOR_RELEASE}),
    summary="Rest day (article): the floor-based hip opening sequence and release work.",
)


def _preset_rules(context: Context) -> ContextRules:
    title = PRESET_SECTIONS[context].description
    return ContextRules(
        phase=None,
        slots=(SlotRule("series", 1.0, 0.75, f"The article's {title}, in its order (a fixed preset)."),),
        closing=None,
        article=frozenset({PRESET_SECTIONS[context]}),
        summary=f"Preset: the article's {title}, in its order. It is fixed, but still filtered by your "
        "precautions, equipment and level.",
    )


RULES: dict[Context, ContextRules] = {
    Context.PRE_RUN: _PRE_RUN,
    Context.POST_RUN: _POST_RUN,
    Context.STRENGTH: _STRENGTH,
    Context.REST_DAY: _REST_DAY,
    Context.STANDING_SERIES: _preset_rules(Context.STANDING_SERIES),
    Context.FLOOR_SEQUENCE: _preset_rules(Context.FLOOR_SEQUENCE),
}

# Body positions in the order a session moves through them within a slot: standing first, then down
# to the floor.
_POSITION_RANK = {
    Position.STANDING: 0,
    Position.HALF_KNEELING: 1,
    Position.QUADRUPED: 2,
    Position.SEATED: 3,
    Position.SUPINE: 4,
    Position.SIDE_LYING: 5,
    Position.PRONE: 6,
}
_POSITIONS = tuple(_POSITION_RANK)
_TRANSITION = tuple(tuple(transition_seconds(a, b) for b in _POSITIONS) for a in _POSITIONS)

# Bonus for the side the screen found really tighter when the sets cannot grow: one raise step of hold or reps.
BONUS_STEP: dict[str, int] = {"reps": 2, "hold_seconds": 5, "duration_seconds": 10}

# REFERENCE 4, static stretch: adults 10-30 s, 30-60 s from 65; the article: 20-30 s after a run.
POST_RUN_HOLD = (20, 30)
OLDER_HOLD = (30, 60)
# REFERENCE 4, static stretch before a run: under 60 s per muscle; each hold at most 30 s a side.
PRE_RUN_HOLD_MAX = 30
# REFERENCE 4, hip/glute strength: 2-3 sets of 10-15, progressing from 2x10 to 3x15 over weeks.
STRENGTH_SETS = (2, 3)
STRENGTH_REPS = (10, 15)
# REFERENCE 8, under 18 (NSCA, Faigenbaum 2009): 1-3 sets of 6-15 repetitions from low loads, supervised.
YOUTH_SETS = (1, 3)
YOUTH_REPS = (6, 15)
YOUTH_NOTE = "Under 18: 1-3 sets of 6-15 from low loads, supervised by an adult who knows the drill (NSCA)."


@dataclass(frozen=True, slots=True)
class DoseRange:
    unit: Unit
    low: int
    high: int
    sets_low: int
    sets_high: int
    notes: tuple[str, ...]


def dose_range(context: Context, drill: Drill, older_adult: bool, under_18: bool = False) -> DoseRange:
    """The amount and sets a drill may have in this context (its own range, with the context's rules).

    A first dose is the bottom of it (``low`` x ``sets_low``); only the progression log raises a dose
    (REFERENCE 4: 2x10 growing to 3x15 over weeks)."""
    dose = drill.dose
    unit: Unit = dose.unit
    low, high = dose.amount.min, dose.amount.max
    sets_low, sets_high = dose.sets.min, dose.sets.max
    notes: list[str] = []
    is_stretch_hold = unit == "hold_seconds" and drill.kind is Kind.STATIC_STRETCH
    if is_stretch_hold and older_adult:
        low, high = OLDER_HOLD
        notes.append("Holds 30-60 s from age 65 (ACSM).")
    elif is_stretch_hold and context is Context.POST_RUN:
        low, high = POST_RUN_HOLD
        notes.append("Post-run holds 20-30 s (the article; ACSM).")
    if context is Context.PRE_RUN:
        # A warm-up does one set of each drill: the article fits about ten drills in 5-10 minutes.
        sets_low = sets_high = 1
        if unit == "hold_seconds":
            high = min(high, PRE_RUN_HOLD_MAX)
            low = min(low, high)
            notes.append("Before a run a static hold is at most 30 s a side (Behm 2016).")
    if context is Context.STRENGTH and drill.kind in (Kind.ACTIVATION, Kind.STRENGTH):
        sets_low, sets_high = STRENGTH_SETS
        if unit == "reps":
            low, high = STRENGTH_REPS
        notes.append("2-3 sets of 10-15 (ACSM).")
    if under_18 and drill.kind in (Kind.ACTIVATION, Kind.STRENGTH):
        # REFERENCE 8: under 18, 1-3 sets of 6-15 from low loads (a warm-up keeps its one set).
        if context is not Context.PRE_RUN:
            sets_low, sets_high = YOUTH_SETS
        if unit == "reps":
            low, high = YOUTH_REPS
        notes = [note for note in notes if "ACSM" not in note]
        notes.append(YOUTH_NOTE)
    return DoseRange(unit, low, high, sets_low, sets_high, tuple(notes))


def is_static_hold(drill: Drill) -> bool:
    """True when the drill's work is held still: a dose in hold seconds, or a timed static stretch."""
    unit = drill.dose.unit
    return unit == "hold_seconds" or (drill.kind is Kind.STATIC_STRETCH and unit == "duration_seconds")


def holds_still(drill: Drill) -> bool:
    """A static stretch or a hold: work that must be followed by dynamic movement before a run (REFERENCE 4).
    With no dynamic drill at hand to close a pre-run session, none of it is chosen."""
    return drill.kind is Kind.STATIC_STRETCH or drill.dose.unit == "hold_seconds"


def static_seconds(doses: DoseTuple) -> tuple[int, int]:
    """Seconds held on the left and on the right side by these doses of a static hold (``both``: each)."""
    left = right = 0
    for side, amount, sets in doses:
        if side is not Side.RIGHT:
            left += amount * sets
        if side is not Side.LEFT:
            right += amount * sets
    return left, right


# --------------------------------------------------------------------------------------------------
# Must-haves: the named answer to a finding, placed before filler drills
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MustHave:
    """The drills that answer a finding, in tiers: a later tier only when no drill of an earlier one is
    eligible. A drill's later drills in its chain (``progresses_to``) that address the finding count too:
    the runner's progressed drill answers it as well. ``source`` is where the rule comes from."""

    restriction: Restriction
    tiers: tuple[tuple[str, ...], ...]
    source: str


MUST_HAVES: tuple[MustHave, ...] = (
    MustHave(
        Restriction.HIP_FLEXOR_TIGHTNESS,
        (("half-kneeling-hip-flexor-stretch",),),
        "the article, Hip Flexor Release Techniques: the kneeling hip flexor stretch, 20-30 s each side",
    ),
    MustHave(
        Restriction.HIP_ABDUCTOR_WEAKNESS,
        (("clamshell", "monster-walk"), ("isometric-hip-abduction",)),
        "the article, Bum Activation: clamshells for the gluteus medius, monster walks for abduction; "
        "isometric abduction first when moving the hip against load is excluded (REFERENCE 8, Grimaldi 2015)",
    ),
    MustHave(
        Restriction.KNEE_PAIN_HISTORY,
        (("step-down", "wall-squat", "split-squat"),),
        "REFERENCE 8: combined hip and knee exercise for patellofemoral pain (JOSPT 2019 guideline)",
    ),
    MustHave(
        Restriction.LATERAL_HIP_PAIN_HISTORY,
        (("isometric-hip-abduction",),),
        "REFERENCE 8: gluteal tendinopathy starts abductor loading with isometrics (Grimaldi 2015)",
    ),
    MustHave(
        Restriction.HAMSTRING_TIGHTNESS,
        (("hamstring-strap-stretch",),),
        "REFERENCE 8: static hamstring stretching for short hamstrings, with a strap to keep the back flat",
    ),
)
MUST_HAVE_OF: dict[Restriction, MustHave] = {row.restriction: row for row in MUST_HAVES}

# The article, Bum Activation: "Following hip flexor release work, proper glute activation becomes a
# natural next step". A session with hip flexor release or stretch work includes a glute activation drill
# when one fits.
GLUTE_AFTER_RELEASE = (
    "Glute activation after hip flexor release (the article, Bum Activation: following hip flexor release "
    "work, glute activation is the natural next step)."
)


def is_hip_flexor_release(drill: Drill) -> bool:
    """A drill of the article's Hip Flexor Release Techniques (rolling, the ball, the kneeling stretch)."""
    return Section.HIP_FLEXOR_RELEASE in drill.sections and Target.HIP_FLEXORS in drill.targets


def is_glute_activation(drill: Drill) -> bool:
    """Low-load work that wakes the glutes up."""
    return drill.kind is Kind.ACTIVATION and bool({Target.GLUTE_MAX, Target.GLUTE_MED} & set(drill.targets))
