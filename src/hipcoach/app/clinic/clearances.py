"""A clinician's clearance of a runner's referral, or of a hip replacement's precautions, so the plan unlocks.

The rule is the core's (``core.clearance``): a clearance covers only what was known when it was given. The latest
screen's referral and a warning sign reported after a session are cleared only by a clearance recorded after them;
a new one refers again, with no plan, until a clinician clears that too. Every clearance stays in the runner's record.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.measures import day_problem, note_problem
from hipcoach.app.clinic.models import Clearance, Clinician
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import SessionLog
from hipcoach.core.clearance import Clearance as CoreClearance
from hipcoach.core.clearance import ClearanceKind, Cleared, apply_clearances, covering
from hipcoach.core.profile import Profile
from hipcoach.core.screen import replacement_only_precautions

NOTE_NEEDED = "say what you found and why the runner may train (it is shown to them)"


class ClearanceError(ValueError):
    """A clearance that cannot be given; the message names the field and what it allows."""


def clearances_of(runner: Runner) -> list[CoreClearance]:
    return [row.to_core() for row in Clearance.objects.filter(runner=runner).order_by("given_at", "id")]


def records_of(runner: Runner) -> list[Clearance]:
    """The runner's clearances as the record lists them, the latest first."""
    return list(Clearance.objects.filter(runner=runner).order_by("-given_at", "-id"))


def cleared_screen(screen: Screen, profile: Profile) -> Cleared:
    """The profile of a saved screen with the clearances that cover it (none for a screen without an account)."""
    answers, _ = screen.to_core()
    replacement = replacement_only_precautions(answers)
    if screen.owner_id is None or not (profile.refer or replacement):
        return Cleared(profile, ())  # nothing a clearance could change: no query
    given = [row.to_core() for row in Clearance.objects.filter(runner_id=screen.owner_id).order_by("given_at", "id")]
    if not given:
        return Cleared(profile, ())
    at = screen.taken_at
    return apply_clearances(profile, at, timezone.localdate(at), given, replacement)


def warning_sign_clearance(runner: Runner, flagged_at: datetime) -> CoreClearance | None:
    """The referral clearance that covers a warning sign reported at ``flagged_at``, or None: it still refers."""
    return covering(clearances_of(runner), ClearanceKind.REFERRAL, flagged_at, timezone.localdate(flagged_at))


def _latest_screen(runner: Runner) -> Screen | None:
    return Screen.objects.filter(owner=runner).order_by("-taken_at", "-id").first()


def _latest_warning_sign(runner: Runner) -> datetime | None:
    return (
        SessionLog.objects.filter(owner=runner, red_flag=True)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def what_to_clear(runner: Runner) -> dict[ClearanceKind, str]:
    """What a clinician may clear for this runner now, each with why, in words: a referral standing (the latest
    screen refers, or a warning sign since it), a hip replacement's precautions not lifted yet."""
    found: dict[ClearanceKind, str] = {}
    screen = _latest_screen(runner)
    flagged_at = _latest_warning_sign(runner)
    cleared = None
    if screen is not None:
        answers, result = screen.to_core()
        cleared = cleared_screen(screen, result.to_profile())
        if cleared.profile.refer:
            found[ClearanceKind.REFERRAL] = f"the screen of {timezone.localdate(screen.taken_at):%d %B %Y} refers"
        if set(replacement_only_precautions(answers)) & set(cleared.profile.precautions):
            found[ClearanceKind.HIP_PRECAUTIONS] = "the hip replacement's precautions apply"
    flag_open = flagged_at is not None and (screen is None or flagged_at > screen.taken_at)
    if flag_open and flagged_at is not None and warning_sign_clearance(runner, flagged_at) is None:
        found.setdefault(
            ClearanceKind.REFERRAL, f"a warning sign was reported on {timezone.localdate(flagged_at):%d %B %Y}"
        )
    return found


def _nothing_since(runner: Runner, at: datetime) -> bool:
    """No screen and no warning sign since ``at``: a clearance given then still covers all there is."""
    if Screen.objects.filter(owner=runner, taken_at__gte=at).exists():
        return False
    return not SessionLog.objects.filter(owner=runner, red_flag=True, finished_at__gte=at).exists()


def give_clearance(clinician: Clinician, runner: Runner, *, kind: str, cleared_on: date | None, note: str) -> Clearance:
    """Record the clinician's clearance (the caller has checked the runner shares with them). The same clearance sent
    again, with nothing new since, comes back as the first. Raises ClearanceError naming each bad field."""
    note = note.strip()
    problems = [p for p in (day_problem("cleared_on", cleared_on), note_problem(note, required=NOTE_NEEDED)) if p]
    if kind not in {one.value for one in ClearanceKind}:
        problems.insert(0, f"kind: one of {', '.join(one.value for one in ClearanceKind)}")
    if problems:
        raise ClearanceError("; ".join(problems))
    with transaction.atomic():
        fields = {"runner": runner, "clinician": clinician, "kind": kind, "cleared_on": cleared_on, "note": note}
        same = Clearance.objects.select_for_update().filter(**fields).order_by("-given_at").first()
        if same is not None and _nothing_since(runner, same.given_at):
            return same
        open_now = what_to_clear(runner)
        if ClearanceKind(kind) not in open_now:
            raise ClearanceError(f"kind: {_nothing_to_clear(ClearanceKind(kind))}")
        return Clearance.objects.create(clinician_name=clinician.name, **fields)


def _nothing_to_clear(kind: ClearanceKind) -> str:
    if kind is ClearanceKind.REFERRAL:
        return "the runner has no referral to clear (no screen that refers, no warning sign since)"
    return "the runner's latest screen has no hip replacement precautions to lift"
