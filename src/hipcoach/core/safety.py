"""Red flags and hip-replacement precautions: the rules that stop or limit self-training.

Safety wins over everything else the screen finds. Every red flag refers the runner to a clinician, and
a profile that refers cannot be planned. The red flags are defined once, here, with the plain-language
question the CLI and web wizard ask and how urgent a yes is (REFERENCE.md section 6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from hipcoach.core.vocabulary import Caution, Term


class Urgency(StrEnum):
    """How soon a red flag needs a clinician (REFERENCE.md section 6)."""

    SAME_DAY = "same-day"
    REFER = "refer"


# REFERENCE 6, same day: groin or front-thigh pain with running or hopping, pain on hopping, painful limited
# internal rotation, a limp or night pain are signs of a possible femoral neck stress fracture.
STRESS_FRACTURE_ADVICE = (
    "possible femoral neck stress fracture: see a clinician today and do not run (Robertson & Wood 2017)"
)
# REFERENCE 6, refer: the list gives no cause for each sign, so the advice names none.
SEE_A_CLINICIAN = "see a clinician before training your hips on your own"


# REFERENCE.md section 6.
class RedFlag(StrEnum):
    """A yes/no question that, answered yes, stops self-training.

    Each member carries ``question`` (what the wizard asks), ``label`` (a short name for lists),
    ``urgency`` and ``meaning`` (what a yes means and what to do, in the words of REFERENCE 6). Same-day
    flags can be a sign of a femoral neck stress fracture: see a clinician the same day and do not run.
    """

    question: str
    label: str
    urgency: Urgency
    meaning: str

    def __new__(cls, value: str, label: str, question: str, urgency: Urgency, meaning: str = "") -> RedFlag:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.question = question
        member.urgency = urgency
        member.meaning = meaning or (STRESS_FRACTURE_ADVICE if urgency is Urgency.SAME_DAY else SEE_A_CLINICIAN)
        return member

    # REFERENCE 6, "same day, no running": possible femoral neck stress fracture.
    GROIN_PAIN_RUNNING = (
        "groin-pain-running",
        "groin or front-thigh pain that gets worse with running",
        "Do you have pain in the groin or the front of the thigh that gets worse when you run?",
        Urgency.SAME_DAY,
    )
    # REFERENCE 6: "the product must never ask someone with groin pain to hop": ask from memory only.
    PAIN_ON_HOPPING = (
        "pain-on-hopping",
        "pain on hopping",
        "Has hopping or landing on one leg hurt your hip, groin or thigh lately? "
        "Answer from memory: do not hop to find out.",
        Urgency.SAME_DAY,
    )
    # REFERENCE 6 (same day) and 3 (seated IR: painful, limited IR means refer). The wizard asks it again
    # right after the seated IR test, when the runner has just felt it.
    PAINFUL_LIMITED_IR = (
        "painful-limited-ir",
        "painful, limited inward turning of the hip",
        "When you turn your hip inward (sitting, the foot swings out to the side), does it hurt in the "
        "groin and stop short?",
        Urgency.SAME_DAY,
    )
    LIMP = "limp", "a limp", "Are you limping when you walk?", Urgency.SAME_DAY
    # REFERENCE 6 lists night pain both as same-day (a possible femoral neck stress fracture) and as refer
    # (night pain unrelated to activity): the stricter urgency wins, and the advice names both meanings.
    NIGHT_PAIN = (
        "night-pain",
        "hip or groin pain at night",
        "Does pain in your hip, groin or thigh wake you at night?",
        Urgency.SAME_DAY,
        "night pain can be a sign of a femoral neck stress fracture (Robertson & Wood 2017), and night pain "
        "unrelated to activity can have causes other than training that a clinician should look for: see a "
        "clinician today and do not run",
    )
    # REFERENCE 6, "refer".
    FEVER_OR_UNWELL = (
        "fever-or-unwell",
        "fever or feeling unwell",
        "Do you have a fever, or feel generally unwell, along with the hip pain?",
        Urgency.REFER,
    )
    UNEXPLAINED_WEIGHT_LOSS = (
        "unexplained-weight-loss",
        "unexplained weight loss",
        "Have you lost weight recently without trying?",
        Urgency.REFER,
    )
    NIGHT_SWEATS = "night-sweats", "night sweats", "Do you wake up drenched in sweat at night?", Urgency.REFER
    CANCER_HISTORY = "cancer-history", "a history of cancer", "Have you ever had cancer?", Urgency.REFER
    CONSTANT_PAIN = (
        "constant-pain",
        "constant pain unrelated to activity",
        "Is the pain there all the time, whatever you do, including at rest?",
        Urgency.REFER,
        "pain unrelated to activity can have causes other than training that a clinician should look for: see "
        "a clinician before training your hips on your own",
    )
    HOT_SWOLLEN_JOINT = (
        "hot-swollen-joint",
        "a hot, red or swollen joint",
        "Is your hip or another joint of the leg hot, red or swollen?",
        Urgency.REFER,
    )
    CANNOT_BEAR_WEIGHT = (
        "cannot-bear-weight",
        "cannot bear weight",
        "Are you unable to stand or walk on the leg?",
        Urgency.REFER,
    )
    RECENT_TRAUMA = (
        "recent-trauma",
        "a recent fall or injury",
        "Did the pain start after a recent fall, collision or other injury?",
        Urgency.REFER,
    )
    NUMBNESS_OR_WEAKNESS = (
        "numbness-or-weakness",
        "numbness, tingling or weakness in the leg",
        "Do you have numbness, pins and needles or weakness in the leg?",
        Urgency.REFER,
    )


# The same-day red flags whose question asks about pain in the groin (or hip, groin or thigh): with signs of
# low energy availability they point the more to a femoral neck stress fracture (REFERENCE 6 and 8).
GROIN_FLAGS = (RedFlag.GROIN_PAIN_RUNNING, RedFlag.PAIN_ON_HOPPING, RedFlag.PAINFUL_LIMITED_IR, RedFlag.NIGHT_PAIN)


# REFERENCE 6 and 8: a femoral neck stress fracture is more common with low energy availability and missed
# periods (Robertson & Wood 2017); with groin pain that is urgent, on its own advise seeing a clinician.
class EnergySign(StrEnum):
    """A sign of low energy availability, asked as a safety question: never assumed answered "no".

    Each member carries ``question`` (what the wizard asks) and ``label`` (a short name for lists). A yes
    never blocks training on its own (REFERENCE 8: advise seeing a clinician, not urgent); with groin pain
    it makes the referral urgent.
    """

    question: str
    label: str

    def __new__(cls, value: str, label: str, question: str) -> EnergySign:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.question = question
        return member

    MISSED_PERIODS = (
        "missed-periods",
        "missed or irregular periods",
        "Have your periods stopped, or become irregular, while you have been training? Answer no if you do "
        "not have periods.",
    )
    UNDER_FUELLING = (
        "under-fuelling",
        "eating too little for the training",
        "Do you eat too little for the training you do, or have you lost weight without meaning to?",
    )


def energy_labels(signs: Iterable[EnergySign], red_flags: Iterable[RedFlag] = ()) -> list[str]:
    """The signs of low energy availability given, in order; unexplained weight loss, a red flag of its own,
    is one of them too (REFERENCE 8: "missed or irregular periods, unintended weight loss")."""
    given = set(signs)
    labels = [sign.label for sign in EnergySign if sign in given]
    if RedFlag.UNEXPLAINED_WEIGHT_LOSS in set(red_flags):
        labels.append(RedFlag.UNEXPLAINED_WEIGHT_LOSS.label)
    return labels


def low_energy_urgent_reason(labels: Sequence[str], groin: Sequence[str]) -> str:
    """The same-day reason for groin pain with signs of low energy availability (REFERENCE 6 and 8)."""
    return (
        f"Groin pain ({'; '.join(groin)}) with signs of low energy availability ({'; '.join(labels)}): a "
        f"{STRESS_FRACTURE_ADVICE}; low energy availability makes it more likely."
    )


def low_energy_advice(labels: Sequence[str]) -> str:
    """The advice for signs of low energy availability without groin pain: see a clinician, not urgent."""
    return (
        f"Signs of low energy availability ({'; '.join(labels)}): they raise the risk of a bone stress injury, "
        "the femoral neck included (Robertson & Wood 2017). Please see a clinician about them (not urgent); "
        "your plan stays open. If groin or front-thigh pain starts, see a clinician the same day and do not run."
    )


# REFERENCE.md section 6.
class Approach(Term):
    """The surgical approach of a hip replacement, which sets its precautions."""

    POSTERIOR = "posterior", "Through the back of the hip."
    ANTERIOR = "anterior", "Through the front of the hip."
    LATERAL = "lateral", "Through the side of the hip."
    UNKNOWN = "unknown", "The runner does not know the approach."


# REFERENCE 6: posterior approach, no flexion past 90, no crossing the midline, no internal rotation
# (which includes turning inward under load); anterior approach, no extension with external rotation.
_POSTERIOR = (
    Caution.HIP_FLEXION_PAST_90,
    Caution.CROSSING_MIDLINE,
    Caution.HIP_INTERNAL_ROTATION,
    Caution.INTERNAL_ROTATION_UNDER_LOAD,
)
_ANTERIOR = (Caution.EXTENSION_WITH_EXTERNAL_ROTATION,)

# REFERENCE 6 gives no precautions for a lateral approach, and an unknown approach could be either:
# both take every precaution of the two approaches it names, the conservative choice.
PRECAUTIONS_BY_APPROACH: dict[Approach, tuple[Caution, ...]] = {
    Approach.POSTERIOR: _POSTERIOR,
    Approach.ANTERIOR: _ANTERIOR,
    Approach.LATERAL: _POSTERIOR + _ANTERIOR,
    Approach.UNKNOWN: _POSTERIOR + _ANTERIOR,
}

# REFERENCE 5: pain above 5/10 stops training. REFERENCE 6 is silent on pain at rest; hipcoach's choice is
# that pain above this level right now refers and skips the loaded tests.
PAIN_STOP_ABOVE = 5


def precautions_for(approach: Approach) -> list[Caution]:
    """The movement tags a hip replacement with this approach excludes, in vocabulary order."""
    excluded = set(PRECAUTIONS_BY_APPROACH[approach])
    return [caution for caution in Caution if caution in excluded]


def ordered_flags(red_flags: Iterable[RedFlag]) -> list[RedFlag]:
    """The red flags once each, in the order they are defined (same-day first)."""
    given = set(red_flags)
    return [flag for flag in RedFlag if flag in given]


def is_urgent(red_flags: Iterable[RedFlag]) -> bool:
    """True when any red flag needs a clinician the same day."""
    return any(flag.urgency is Urgency.SAME_DAY for flag in red_flags)


def red_flag_reason(flag: RedFlag) -> str:
    """Why this red flag refers and how soon, in words a runner reads."""
    return f"Red flag, {flag.label}: {flag.meaning}."


def pain_now_reason(pain_now: int) -> str | None:
    """The referral reason for pain right now above the stop level, or None."""
    if pain_now <= PAIN_STOP_ABOVE:
        return None
    return (
        f"Pain now {pain_now}/10: above {PAIN_STOP_ABOVE}/10, where training stops (pain-monitoring model, "
        "Silbernagel 2007); see a clinician before training your hips on your own."
    )


def loaded_tests_allowed(red_flags: Iterable[RedFlag], pain_now: int | None = None) -> tuple[bool, str]:
    """Whether the wizard may ask for the loaded tests (squats, one-leg standing), and why not.

    REFERENCE 6: never ask someone with groin pain to hop, and a same-day flag means no running. hipcoach
    goes further: any red flag, or pain now above 5/10, skips every loaded test, because the runner is
    referred anyway and the tests would add load without changing the advice.
    """
    flags = ordered_flags(red_flags)
    urgent = [flag for flag in flags if flag.urgency is Urgency.SAME_DAY]
    if urgent:
        labels = "; ".join(flag.label for flag in urgent)
        return False, (
            f"Loaded tests skipped: squats and standing on one leg load the hip, and {labels} may mean a "
            f"{STRESS_FRACTURE_ADVICE}."
        )
    if flags:
        labels = "; ".join(flag.label for flag in flags)
        return False, (
            f"Loaded tests skipped: a red flag ({labels}) means a clinician should see you before you load "
            "the hip on one leg or in a deep squat."
        )
    if pain_now is not None and pain_now > PAIN_STOP_ABOVE:
        return False, (
            f"Loaded tests skipped: pain now {pain_now}/10 is above {PAIN_STOP_ABOVE}/10, where loading stops "
            "(pain-monitoring model, Silbernagel 2007)."
        )
    return True, "Loaded tests allowed: no red flag and no pain above 5/10 right now."
