"""A clinician's clearance: what lets a referred runner's plan unlock, and what lifts a hip replacement's precautions.

Safety first (REFERENCE 6): a clearance covers only what was known when it was given. A red flag, a screen that
refers or a warning sign reported after it refers again, until a clinician clears that too; without a clearance
nothing changes. A clearance covers an event when the event came before the clearance was recorded and on or before
the day the clinician gives (a clearance dated earlier than it was written never covers what happened in between).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from hipcoach.core.profile import Profile
from hipcoach.core.vocabulary import Caution, Term


class ClearanceKind(Term):
    REFERRAL = "referral", "The referral is cleared: the runner may train on their own again."
    # REFERENCE 6: the typical precautions after a hip replacement last about 3 months, until a surgeon or
    # physiotherapist lifts them.
    HIP_PRECAUTIONS = "hip-precautions", "The hip replacement's precautions are lifted: its movements come back."


@dataclass(frozen=True)
class Clearance:
    """One clearance: its kind, when it was recorded (``given_at``), the day it names (``on``), who and why."""

    kind: ClearanceKind
    given_at: datetime
    on: date
    by: str
    note: str

    def covers(self, at: datetime, day: date) -> bool:
        """True when an event at ``at`` (on the local ``day``) was known when this clearance was given."""
        return at < self.given_at and day <= self.on

    @property
    def line(self) -> str:
        return f"Cleared by {self.by} on {self.on.day} {self.on:%B %Y}: {self.note}"


def covering(clearances: Sequence[Clearance], kind: ClearanceKind, at: datetime, day: date) -> Clearance | None:
    """The latest clearance of this kind that covers an event at ``at``, or None."""
    found = [one for one in clearances if one.kind is kind and one.covers(at, day)]
    return max(found, key=lambda one: one.given_at, default=None)


@dataclass(frozen=True)
class Cleared:
    """A profile after the clearances that apply to it, and those clearances (for the runner to read)."""

    profile: Profile
    applied: tuple[Clearance, ...]


def apply_clearances(
    profile: Profile,
    screened_at: datetime,
    screened_on: date,
    clearances: Sequence[Clearance],
    replacement_precautions: Collection[Caution] = (),
) -> Cleared:
    """The profile of a screen taken at ``screened_at`` with the clearances that cover it.

    A referral clearance lifts the screen's referral (its reasons and urgency); a hip-precautions clearance lifts the
    ``replacement_precautions`` (those only the hip replacement adds: the history's stay). Nothing else changes.
    """
    applied: list[Clearance] = []
    changes: dict[str, object] = {}
    referral = covering(clearances, ClearanceKind.REFERRAL, screened_at, screened_on) if profile.refer else None
    if referral is not None:
        changes |= {"refer": False, "urgent": False, "refer_reasons": []}
        applied.append(referral)
    lifted = set(replacement_precautions) & set(profile.precautions)
    precautions = covering(clearances, ClearanceKind.HIP_PRECAUTIONS, screened_at, screened_on) if lifted else None
    if precautions is not None:
        changes["precautions"] = [caution for caution in profile.precautions if caution not in lifted]
        applied.append(precautions)
    if not applied:
        return Cleared(profile, ())
    return Cleared(profile.model_copy(update=changes), tuple(applied))
