"""What the screen found, in the form every later feature works from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hipcoach.core.vocabulary import Caution, Restriction, Side

# REFERENCE.md section 4: holds of 30-60 s from age 65, 10-30 s for younger adults.
OLDER_ADULT_AGE = 65


class Finding(BaseModel):
    """One restriction on one side, how marked it is, and the test results that produced it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Restriction
    side: Side
    severity: int = Field(ge=1, le=3)
    evidence: list[str] = Field(min_length=1)


class Profile(BaseModel):
    """A runner as the planner sees them: restrictions, precautions and the referral decision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    restrictions: list[Finding] = Field(default_factory=list)
    precautions: list[Caution] = Field(default_factory=list)
    refer: bool = False
    urgent: bool = False
    refer_reasons: list[str] = Field(default_factory=list)
    age: int | None = Field(default=None, ge=10, le=110)

    @property
    def plannable(self) -> bool:
        """False when the runner is referred: no training plan until a clinician has seen them."""
        return not self.refer

    @property
    def older_adult(self) -> bool:
        return self.age is not None and self.age >= OLDER_ADULT_AGE
