"""One-off sessions ("I have 6 minutes before a run"): composed now, for the context and the time there is.

The request is parsed once by the door (:func:`~hipcoach.core.planner.parse_session_request`), with the one set of
bounds every door shares; the player's address carries its seconds, so the player composes the very session the
card showed.
"""

from __future__ import annotations

from dataclasses import dataclass

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.prescription import current_prescription
from hipcoach.app.screens.profiles import ProfileChoice, profile_from_saved
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.app.training.runner import dose_states_of, recent_history_of, referral_of, runner_profile, with_age_band
from hipcoach.app.training.runner_settings import settings_of
from hipcoach.app.training.sessions import composed_session
from hipcoach.core.planner import Context, Referral, ReferralRequired, Session, SessionRequest, check_referral
from hipcoach.core.settings_schema import LEVEL
from hipcoach.core.vocabulary import Equipment


def once_play_url(request: SessionRequest) -> str:
    """The player's address for a one-off session: it composes the same session from the same request."""
    url = f"/play/once/?context={request.context.value}&seconds={request.seconds}"
    if request.equipment is not None:
        url += "&equipment=" + (",".join(word.value for word in request.equipment) or "none")
    return url


@dataclass(frozen=True)
class OneOff:
    request: SessionRequest
    session: Session | None
    referral: Referral | None
    play_url: str
    profile_source: str

    @property
    def context(self) -> Context:
        return self.request.context

    @property
    def minutes(self) -> float:
        return self.request.minutes

    @property
    def equipment(self) -> tuple[Equipment, ...] | None:
        return self.request.equipment


def one_off_session(user: Runner, request: SessionRequest, profile: ProfileChoice | None = None) -> OneOff:
    """A session composed now for the runner: their latest screen (or ``profile``, a screen given now), settings,
    progression and recent sessions; the referral instead when their screen or a warning sign since says so."""
    record = settings_of(user)
    choice = runner_profile(user, record) if profile is None else with_age_band(profile, record)
    url = once_play_url(request)
    referral = referral_of(user, choice.profile)
    if referral is not None:
        return OneOff(request, None, referral, url, choice.source)
    preferences = record.to_core()
    session = composed_session(
        choice.profile,
        request,
        equipment=preferences.equipment,
        level=record.level,
        history=recent_history_of(user),
        dose_states=dose_states_of(user),
        prescription=current_prescription(user),
    )
    return OneOff(request, session, None, url, choice.source)


def visitor_one_off(owner: ScreenOwner, request: SessionRequest) -> OneOff:
    """A one-off session for a visitor without an account (``owner`` is their browser session): the profile of the
    screen they took in this browser (the safety questions at least, else SafetyQuestionsUnansweredError), body
    weight unless they tick what they have (nobody is assumed to own a foam roller), the starting level, no history.
    Nothing is saved for them: a visitor has no log."""
    choice = profile_from_saved(owner, None)
    url = once_play_url(request)
    try:
        check_referral(choice.profile)
    except ReferralRequired as referral:
        return OneOff(request, None, referral.referral, url, choice.source)
    session = composed_session(choice.profile, request, equipment=(), level=LEVEL.default, history=[], dose_states={})
    return OneOff(request, session, None, url, choice.source)
