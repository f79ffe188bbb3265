"""What the screen found, in the form every later feature works from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hipcoach.core.vocabulary import Caution, Condition, Restriction, Side

# REFERENCE.md section 4: holds of 30-60 s from age 65, 10-30 s for younger adults.
OLDER_ADULT_AGE = 65
# REFERENCE.md section 8: under 18, resistance training from low loads; the norms of section 1 are for adults.
ADULT_AGE = 18


class Finding(BaseModel):
    """One restriction on one side, how marked it is, and the test results that produced it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Restriction
    side: Side
    severity: int = Field(ge=1, le=3)
    evidence: list[str] = Field(min_length=1)


class SideEmphasis(BaseModel):
    """One side of a restriction that gets more work, and the screen's evidence that the difference is real.

    The screen gives one only when a test is positive on one side and normal on the other, or when it calls
    the left/right difference real (beyond the smallest real difference, REFERENCE.md section 2).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Restriction
    side: Side = Field(description="left or right: the side that gets the extra set or the longer hold.")
    reason: str = Field(min_length=1, description="Why, in words, e.g. 'right hip flexors: thigh raised ...'.")


class Profile(BaseModel):
    """A runner as the planner sees them: restrictions, precautions and the referral decision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    restrictions: list[Finding] = Field(default_factory=list)
    precautions: list[Caution] = Field(default_factory=list)
    refer: bool = False
    urgent: bool = False
    refer_reasons: list[str] = Field(default_factory=list)
    age: int | None = Field(default=None, ge=10, le=110)
    # Sides that get more work; none unless the screen found a real difference (REFERENCE.md section 2).
    emphasis: list[SideEmphasis] = Field(default_factory=list)
    # The runner's history, now or before (REFERENCE.md section 8).
    conditions: list[Condition] = Field(default_factory=list)
    # What the screen advises besides the plan, which it does not lock: e.g. seeing a clinician about signs of low
    # energy availability, not urgently (REFERENCE.md section 8). Every plan repeats it.
    advice: list[str] = Field(default_factory=list)

    @property
    def plannable(self) -> bool:
        """False when the runner is referred: no training plan until a clinician has seen them."""
        return not self.refer

    @property
    def older_adult(self) -> bool:
        return self.age is not None and self.age >= OLDER_ADULT_AGE

    @property
    def under_18(self) -> bool:
        return self.age is not None and self.age < ADULT_AGE
