"""Which profile a plan is made for: a screen given now, or a saved screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.screens.screens import ScreenOwner, latest_screen, screens_of
from hipcoach.core.clearance import Clearance
from hipcoach.core.profile import Profile
from hipcoach.core.screen import parse_answers, score_screen


@dataclass(frozen=True)
class ProfileChoice:
    profile: Profile
    source: str  # "answers" or "screen <id> of <date>"
    # The clinician's clearances that apply to the profile (a referral cleared, hip precautions lifted).
    cleared: tuple[Clearance, ...] = ()


class NoSuchScreenError(LookupError):
    pass


def profile_from_answers(answers: Any) -> ProfileChoice:
    """Score answers given with the request (raises ScreenInputError naming the field)."""
    return ProfileChoice(score_screen(parse_answers(answers)).to_profile(), "answers")


def profile_from_saved(owner: ScreenOwner, screen_id: int | None) -> ProfileChoice:
    """A saved screen of this runner: the one asked for, else the latest.

    Raises :class:`SafetyQuestionsUnansweredError` when the runner has none: no plan is made for someone never asked
    the safety questions (this is the one place that decides it; every use case that plans reads a profile here).
    """
    if screen_id is not None:
        screen = screens_of(owner).filter(pk=screen_id).first()
        if screen is None:
            raise NoSuchScreenError(f"No screen of yours with id {screen_id}.")
    else:
        screen = latest_screen(owner)
        if screen is None:
            raise SafetyQuestionsUnansweredError()
    _, result = screen.to_core()
    # A clinician's clearance covers a saved screen taken before it (never answers given now, nor a later screen).
    from hipcoach.app.clinic.clearances import cleared_screen

    cleared = cleared_screen(screen, result.to_profile())
    return ProfileChoice(cleared.profile, f"screen {screen.pk} of {screen.taken_at:%Y-%m-%d}", cleared.applied)
