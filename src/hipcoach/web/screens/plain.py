"""What a screen result means for the runner, in plain words: the lead of the result page, before any score,
reliability figure or measurement error (those stay on the page, behind its details control)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hipcoach.core.profile import Finding, SideEmphasis
from hipcoach.core.screen import NO_KNOWN_ERROR, REAL, WITHIN_ERROR, ScreenResult
from hipcoach.core.vocabulary import Restriction, Side

# One sentence per restriction; "{side}" is "left " or "right ", and empty for the findings without a side
# (the deep squat, sitting, the history), so "your {side}hip" reads "your left hip" or "your hip".
SENTENCES: dict[Restriction, str] = {
    Restriction.HIP_FLEXOR_TIGHTNESS: "The front of your {side}hip is tight (the hip flexors).",
    Restriction.RECTUS_FEMORIS_TIGHTNESS: "The front of your {side}thigh is tight (the rectus femoris).",
    Restriction.TFL_TIGHTNESS: "The outside of your {side}hip is tight (the TFL).",
    Restriction.HIP_IR_LIMIT: "Your {side}hip turns inward less than it should.",
    Restriction.HIP_ER_LIMIT: "Your {side}hip turns outward less than it should.",
    Restriction.HAMSTRING_TIGHTNESS: "The back of your {side}thigh is tight (the hamstrings).",
    Restriction.HIP_CONTROL_DEFICIT: "When you squat on your {side}leg, the knee falls in or the pelvis drops.",
    Restriction.HIP_ABDUCTOR_WEAKNESS: "When you stand on your {side}leg, the pelvis drops on the other side.",
    Restriction.ANKLE_DORSIFLEXION_LIMIT: "Your {side}ankle is stiff: the knee does not go far past the toes.",
    Restriction.GENERAL_MOBILITY_LIMIT: "You need your heels raised to squat all the way down.",
    Restriction.SEDENTARY_PATTERN: "You sit for long hours, which shortens the hip flexors.",
    Restriction.KNEE_PAIN_HISTORY: "After your knee pain, your plan adds knee work to the hip work.",
    Restriction.LATERAL_HIP_PAIN_HISTORY: "After pain on the outside of your hip, the side-hip work starts with holds.",
}

# What gets the extra work on one side, as a few words each.
SHORT_NAMES: dict[Restriction, str] = {
    Restriction.HIP_FLEXOR_TIGHTNESS: "hip flexors",
    Restriction.RECTUS_FEMORIS_TIGHTNESS: "front of the thigh",
    Restriction.TFL_TIGHTNESS: "outside of the hip",
    Restriction.HIP_IR_LIMIT: "turning the hip inward",
    Restriction.HIP_ER_LIMIT: "turning the hip outward",
    Restriction.HAMSTRING_TIGHTNESS: "hamstrings",
    Restriction.HIP_CONTROL_DEFICIT: "hip control on one leg",
    Restriction.HIP_ABDUCTOR_WEAKNESS: "side-hip strength",
    Restriction.ANKLE_DORSIFLEXION_LIMIT: "ankle",
}

# The left/right table's verdicts in plain words (REFERENCE 2: real only past the smallest real difference).
VERDICT_WORDS = {REAL: "real", WITHIN_ERROR: "too small to count", NO_KNOWN_ERROR: "not known if real"}


@dataclass(frozen=True)
class Meaning:
    headline: str
    findings: list[str] = field(default_factory=list)
    emphasis: list[str] = field(default_factory=list)
    unmeasured: str = ""


def finding_sentence(finding: Finding) -> str:
    side = "" if finding.side is Side.BOTH else f"{finding.side.value} "
    return SENTENCES.get(finding.id, finding.id.description).format(side=side)


def emphasis_sentences(emphasis: list[SideEmphasis]) -> list[str]:
    """One sentence per side that gets more work, naming what for."""
    sentences = []
    for side in (Side.LEFT, Side.RIGHT):
        names = [SHORT_NAMES.get(e.id, e.id.value) for e in emphasis if e.side is side]
        if names:
            sentences.append(
                f"Your {side.value} side gets an extra set or a longer hold, as it differs from the other side: "
                f"{', '.join(dict.fromkeys(names))}."
            )
    return sentences


def unmeasured_sentence(count: int) -> str:
    if not count:
        return ""
    sides = f"{count} test side{'s' if count != 1 else ''}"
    return f"{sides} not measured: your plan does not take {'them' if count != 1 else 'it'} as normal."


def meaning_of(result: ScreenResult) -> Meaning:
    """The result in plain words: what was found, most marked first, and which side gets more work."""
    restrictions = sorted(result.restrictions, key=lambda finding: -finding.severity)  # stable: screen order
    if restrictions:
        things = f"{len(restrictions)} thing{'s' if len(restrictions) != 1 else ''}"
        headline = f"Your plan works on {things} this screen found, the most marked first."
    else:
        headline = "Nothing in the tests you did needs extra work: your plan keeps your hips moving as they are."
    return Meaning(
        headline=headline,
        findings=[finding_sentence(finding) for finding in restrictions],
        emphasis=emphasis_sentences(result.emphasis),
        unmeasured=unmeasured_sentence(len(result.not_measured)),
    )
