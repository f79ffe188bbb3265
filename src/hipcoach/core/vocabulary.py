"""The controlled vocabulary of hipcoach, defined once.

Every word a drill, a screen result or a plan may use is a member of one of these enums. Each member
carries a plain-language description, which the CLI, the web pages and the README show; the README's
vocabulary table is generated from :func:`describe_all` so it cannot drift from the code.
"""

from __future__ import annotations

from enum import StrEnum


class Term(StrEnum):
    """A vocabulary word with a description a runner can read."""

    description: str

    def __new__(cls, value: str, description: str = "") -> Term:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member


class Kind(Term):
    DYNAMIC = "dynamic", "Controlled movement through range, done for repetitions (warm-up)."
    STATIC_STRETCH = "static-stretch", "A position held still to lengthen a muscle."
    SOFT_TISSUE = "soft-tissue", "Self-release with a foam roller or massage ball."
    ACTIVATION = "activation", "Low-load work that wakes a muscle up before it is needed."
    STRENGTH = "strength", "Loaded work in sets that builds strength over weeks."


class Position(Term):
    STANDING = "standing", "On your feet."
    HALF_KNEELING = "half-kneeling", "One knee down, the other foot in front."
    QUADRUPED = "quadruped", "On hands and knees."
    SUPINE = "supine", "Lying on your back."
    PRONE = "prone", "Lying face down."
    SIDE_LYING = "side-lying", "Lying on your side."
    SEATED = "seated", "Sitting, on the floor or on a chair."


class Equipment(Term):
    FOAM_ROLLER = "foam-roller", "A foam roller."
    MASSAGE_BALL = "massage-ball", "A small therapy or massage ball (a tennis or lacrosse ball works)."
    BAND = "band", "A resistance band or mini-band."
    BENCH = "bench", "Something knee-to-hip high and stable: a bench, a sturdy chair, a step or a sofa."
    DUMBBELL = "dumbbell", "A dumbbell or kettlebell (a full water bottle works to start)."


class Sides(Term):
    BOTH = "both", "Both legs work together; the dose is for the whole body."
    EACH = "each", "One side at a time, the full dose on each side."
    ALTERNATING = "alternating", "Left and right in turn; the dose is per side."


class Target(Term):
    HIP_FLEXORS = "hip-flexors", "Iliopsoas and the front of the hip."
    QUADRICEPS = "quadriceps", "Front of the thigh, including rectus femoris."
    TFL = "tfl", "Tensor fasciae latae, at the outer front of the hip."
    GLUTE_MAX = "glute-max", "Gluteus maximus, the big hip extensor."
    GLUTE_MED = "glute-med", "Gluteus medius, which keeps the pelvis level on one leg."
    DEEP_ROTATORS = "deep-rotators", "Piriformis and the small deep rotators of the hip."
    ADDUCTORS = "adductors", "Inner thigh and groin."
    HAMSTRINGS = "hamstrings", "Back of the thigh."
    CALVES = "calves", "Calf muscles and the ankle joint."
    CORE = "core", "Trunk muscles that hold the pelvis and spine steady."
    HIP_CAPSULE = "hip-capsule", "The hip joint itself, moved through its range."


class Restriction(Term):
    HIP_FLEXOR_TIGHTNESS = "hip-flexor-tightness", "Short one-joint hip flexors (thigh raised on the Thomas test)."
    RECTUS_FEMORIS_TIGHTNESS = "rectus-femoris-tightness", "Short rectus femoris (knee straightens on the Thomas test)."
    TFL_TIGHTNESS = "tfl-tightness", "Short TFL (thigh drifts out on the Thomas test)."
    HIP_IR_LIMIT = "hip-ir-limit", "Less hip internal rotation than the norm."
    HIP_ER_LIMIT = "hip-er-limit", "Less hip external rotation than the norm."
    HAMSTRING_TIGHTNESS = "hamstring-tightness", "Short hamstrings (active straight-leg raise)."
    HIP_CONTROL_DEFICIT = "hip-control-deficit", "The knee falls in or the pelvis drops on a single-leg squat."
    HIP_ABDUCTOR_WEAKNESS = "hip-abductor-weakness", "The pelvis drops when standing on one leg."
    ANKLE_DORSIFLEXION_LIMIT = "ankle-dorsiflexion-limit", "Stiff ankle on the knee-to-wall test."
    GENERAL_MOBILITY_LIMIT = "general-mobility-limit", "A deep squat is not possible with heels down."
    SEDENTARY_PATTERN = "sedentary-pattern", "Long hours sitting, which shortens the hip flexors."
    # From the runner's history (REFERENCE.md section 8), not from a test: work the history calls for.
    KNEE_PAIN_HISTORY = (
        "knee-pain-history",
        "Patellofemoral pain now or before: knee-targeted work with the hip work (JOSPT 2019 guideline).",
    )
    LATERAL_HIP_PAIN_HISTORY = (
        "lateral-hip-pain-history",
        "Gluteal tendinopathy (lateral hip pain) now or before: abductor work that starts with isometrics "
        "(Grimaldi 2015).",
    )


class Condition(Term):
    """Conditions of the runner's history, now or before, that change the plan (REFERENCE.md section 8)."""

    PATELLOFEMORAL_PAIN = "patellofemoral-pain", "Pain around or behind the kneecap (runner's knee)."
    ITB_PAIN = "itb-pain", "Pain at the outside of the knee from the iliotibial band."
    GLUTEAL_TENDINOPATHY = (
        "gluteal-tendinopathy",
        "Pain at the outside of the hip, over the bony point, from the gluteal tendons.",
    )
    ACHILLES_TENDINOPATHY = "achilles-tendinopathy", "Pain in the Achilles tendon."
    LOW_BACK_PAIN = "low-back-pain", "Low back pain."


class Phase(Term):
    PRE_RUN = "pre-run", "Before a run: 5-10 minutes that end on dynamic movement."
    POST_RUN = "post-run", "After a run: release, then static stretches, then gentle rotations."
    STRENGTH = "strength", "A strength session for the glutes and deep rotators, 2-3 days a week."
    REST_DAY = "rest-day", "A rest-day session: floor-based hip opening and release work."


class Caution(Term):
    """Movement tags a precaution can exclude, e.g. the typical precautions after a hip replacement."""

    # REFERENCE.md section 6: the hip-replacement precautions these tags express.

    HIP_FLEXION_PAST_90 = "hip-flexion-past-90", "The hip bends past a right angle."
    CROSSING_MIDLINE = "crossing-midline", "The leg crosses the body's midline (hip adduction past neutral)."
    HIP_INTERNAL_ROTATION = "hip-internal-rotation", "The hip turns inward towards its end of range."
    INTERNAL_ROTATION_UNDER_LOAD = "internal-rotation-under-load", "The hip turns inward while bearing weight."
    EXTENSION_WITH_EXTERNAL_ROTATION = (
        "extension-with-external-rotation",
        "The hip extends behind the body while turned outward.",
    )
    KNEELING = "kneeling", "Body weight rests on a knee."
    SINGLE_LEG_LOAD = "single-leg-load", "Body weight on one leg."
    # REFERENCE.md section 8: the history's precautions.
    DEEP_LOADED_KNEE_BEND = "deep-loaded-knee-bend", "The knee bends deeply while it carries body weight or a load."
    GLUTEAL_COMPRESSION = (
        "gluteal-compression",
        "The outside of the hip is compressed: the hip held in adduction, the knee pulled across the body, "
        "lying or hanging on one hip.",
    )
    ISOTONIC_ABDUCTION = (
        "isotonic-abduction",
        "The hip abductors move a load through range (before isometric holds have been tolerated).",
    )


class Section(Term):
    """Sections of the source article, which each drill cites."""

    DYNAMIC_LEG_SWINGS = "dynamic-leg-swings", "Dynamic Leg Swings"
    HIP_FLEXOR_RELEASE = "hip-flexor-release", "Hip Flexor Release Techniques"
    BUM_ACTIVATION = "bum-activation", "Bum Activation Exercises"
    DEEP_HIP_ROTATOR = "deep-hip-rotator", "Deep Hip Rotator Exercises"
    STANDING_SERIES = "standing-series", "Standing Hip Mobility Series"
    FLOOR_SEQUENCE = "floor-sequence", "Floor-Based Hip Opening Sequences"
    PRE_RUN_ROUTINE = "pre-run-routine", "Pre-Run Hip Mobility Routine"
    RECOVERY_STRETCHES = "recovery-stretches", "Recovery Stretches For Runners"


class Source(Term):
    """Where a drill comes from: the clinic's article, or published clinical guidance beyond it."""

    ARTICLE = "article", "The clinic's hip-mobility article for runners, which the catalogue comes from."
    CLINICAL_REFERENCE = (
        "clinical-reference",
        "Published clinical guidance beyond the article (for example a physiotherapy guideline); the drill names "
        "its source.",
    )


class Side(Term):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


VOCABULARIES: dict[str, type[Term]] = {
    "kind": Kind,
    "position": Position,
    "equipment": Equipment,
    "sides": Sides,
    "targets": Target,
    "addresses": Restriction,
    "phases": Phase,
    "cautions": Caution,
    "conditions": Condition,
    "sections": Section,
    "source": Source,
}


def allowed(vocabulary: type[Term]) -> str:
    """The words of a vocabulary as a comma-separated list, for error messages."""
    return ", ".join(member.value for member in vocabulary)


def describe_all() -> dict[str, list[tuple[str, str]]]:
    """Every vocabulary with its words and their descriptions (for docs and the API)."""
    return {
        field: [(member.value, member.description) for member in vocabulary]
        for field, vocabulary in VOCABULARIES.items()
    }
