"""What the planner gives: a :class:`Session`, or for a runner who must see a clinician the :class:`Referral`
carried by :class:`ReferralRequired`."""

from __future__ import annotations

from datetime import date

from pydantic import Field, computed_field

from hipcoach.core._model import Frozen
from hipcoach.core.planner.inputs import Context
from hipcoach.core.timeline import SessionItem, Step


class Referral(Frozen):
    """What a referred runner gets instead of a session."""

    urgent: bool
    reasons: list[str]
    message: str


class ReferralRequired(Exception):  # noqa: N818 - it is a result, not a failure of the program
    """Raised instead of a session (or a week) for a profile that refers: see ``referral``."""

    def __init__(self, referral: Referral) -> None:
        self.referral = referral
        super().__init__(referral.message)


class Session(Frozen):
    """A composed session. ``total_seconds`` is the sum of the timeline's steps."""

    context: Context
    budget_seconds: int
    items: list[SessionItem]
    timeline: list[Step]
    notes: list[str] = Field(description="Session-level reasons: the rules applied and what was left out.")
    objective: float = Field(description="The composer's objective V for the chosen drills.")
    seed: int
    prescribed_by: str | None = Field(default=None, description="The clinician whose prescription it follows.")
    prescribed_on: date | None = Field(default=None, description="The day of that prescription.")

    @computed_field  # type: ignore[prop-decorator]  # mypy takes no decorator over @property; pydantic says so
    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.timeline)

    @property
    def drill_ids(self) -> list[str]:
        return [item.drill_id for item in self.items]
