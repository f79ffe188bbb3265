"""A runner reaches the clinic: the clinics a referral page shows (the runner's own first), a request for an
appointment (stored once however often it is sent, e-mailed to the clinic, the latest screen with it only when
ticked), the clinic's list of requests, and the runner's requests as an export carries them.

The screen a request carries is the runner's consent for the clinic to see that one screen, whether or not they
share with a clinician of it; nothing else of theirs comes with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, Runner, normalise_email
from hipcoach.app.clinic.models import (
    NAME_LENGTH,
    PHONE_LENGTH,
    TEXT_LENGTH,
    AppointmentRequest,
    Clinic,
    Link,
    LinkStatus,
)
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, latest_screen
from hipcoach.app.training.progress import TITLES
from hipcoach.core.limits import text_problem
from hipcoach.core.screen import compare_measures

logger = logging.getLogger(__name__)

PREFERRED_TIMES_LENGTH = AppointmentRequest._meta.get_field("preferred_times").max_length or 400
KEY_LENGTH = AppointmentRequest._meta.get_field("idempotency_key").max_length or 100
FIELD_LENGTHS = {
    "name": NAME_LENGTH,
    "email": EMAIL_MAX_LENGTH,
    "phone": PHONE_LENGTH,
    "preferred_times": PREFERRED_TIMES_LENGTH,
    "message": TEXT_LENGTH,
}
REQUIRED = {
    "name": "your name, so the clinic knows whom to call back",
    "email": "your e-mail address, where the clinic answers",
    "preferred_times": "when you could come, e.g. 'weekday mornings' or 'Tuesday after 17:00'",
}


class RequestError(ValueError):
    """A request that cannot be sent: each problem is "field: what is allowed"; nothing was stored or sent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# ---- the clinics a referral page shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicContact:
    """What a runner needs to reach a clinic, as every referral page shows it."""

    id: int
    name: str
    phone: str
    email: str
    address: str
    booking_url: str
    hours: str
    own: bool  # the clinic of a clinician the runner shares with

    @property
    def tel(self) -> str:
        """The phone as a tel: link takes it (RFC 3966): the digits, and a leading + when the number has one."""
        digits = "".join(character for character in self.phone if character.isdigit())
        return f"+{digits}" if self.phone.strip().startswith("+") else digits


def contact_of(clinic: Clinic, own: bool) -> ClinicContact:
    return ClinicContact(
        clinic.pk, clinic.name, clinic.phone, clinic.email, clinic.address, clinic.booking_url, clinic.hours, own
    )


def clinics_for(runner: Runner | None) -> list[ClinicContact]:
    """Every clinic set up here, the runner's own first (the clinics of the clinicians they share with, the latest
    accepted first), then the others in the order they were set up. Empty when no clinic is set up."""
    own: list[int] = []
    if runner is not None and runner.is_authenticated:
        links = (
            Link.objects.filter(runner=runner, status=LinkStatus.SHARING)
            .order_by("-accepted_at", "-id")
            .values_list("clinician__clinic_id", flat=True)
        )
        own = list(dict.fromkeys(links))
    clinics = list(Clinic.objects.order_by("id"))
    clinics.sort(key=lambda clinic: own.index(clinic.pk) if clinic.pk in own else len(own))
    return [contact_of(clinic, clinic.pk in own) for clinic in clinics]


# ---- a request ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    request: AppointmentRequest
    created: bool  # False: a retry of a request already stored (nothing sent again)


def text_problems(fields: dict[str, str]) -> list[str]:
    problems = []
    for field, value in fields.items():
        if field in REQUIRED and not value:
            problems.append(f"{field}: give {REQUIRED[field]}")
        elif len(value) > FIELD_LENGTHS[field]:
            problems.append(f"{field}: at most {FIELD_LENGTHS[field]} characters")
        elif (problem := text_problem(value)) is not None:
            problems.append(f"{field}: {problem}")
    if fields.get("email") and not any(problem.startswith("email:") for problem in problems):
        try:
            validate_email(fields["email"])
        except Exception:
            problems.append(f"email: '{fields['email']}' is not an e-mail address (like runner@example.org)")
    return problems


def screen_to_share(owner: ScreenOwner) -> Screen | None:
    """The screen a request would carry when ticked: the owner's latest (a visitor's, of this browser)."""
    if owner.user is None and not owner.session_key:
        return None  # the terminal's runner sends no request from a page
    return latest_screen(owner)


def already_requested(idempotency_key: str) -> bool:
    """Whether a request with this key is stored: a resent form, which sends nothing again."""
    key = idempotency_key.strip()
    return bool(key) and AppointmentRequest.objects.filter(idempotency_key=key).exists()


def request_appointment(
    owner: ScreenOwner,
    *,
    clinic_id: int,
    name: str,
    email: str,
    preferred_times: str,
    message: str = "",
    phone: str = "",
    share_screen: bool = False,
    idempotency_key: str = "",
) -> Sent:
    """Store the request and e-mail it to the clinic; a retry with the same key returns the first one, unsent again.

    ``owner`` is whoever sends it: an account (``runner`` is kept) or a visitor's browser (only what they typed)."""
    fields = {
        "name": name.strip(),
        "email": normalise_email(email),
        "phone": phone.strip(),
        "preferred_times": preferred_times.strip(),
        "message": message.strip(),
    }
    problems = text_problems(fields)
    key = idempotency_key.strip()
    if len(key) > KEY_LENGTH or text_problem(key):
        problems.append(f"idempotency_key: at most {KEY_LENGTH} plain characters")
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None:
        problems.append(f"clinic: no clinic {clinic_id} here; the referral page lists the clinics")
    if problems:
        raise RequestError(problems)
    assert clinic is not None
    if key and (earlier := AppointmentRequest.objects.filter(idempotency_key=key).first()) is not None:
        return Sent(same_request(earlier, owner, clinic), False)
    screen = screen_to_share(owner) if share_screen else None
    try:
        with transaction.atomic():
            stored = AppointmentRequest.objects.create(
                clinic=clinic, runner=owner.user, shared_screen=screen, idempotency_key=key or None, **fields
            )
    except IntegrityError:  # two retries raced: the other one stored it
        return Sent(same_request(AppointmentRequest.objects.get(idempotency_key=key), owner, clinic), False)
    email_to_clinic(stored)
    return Sent(stored, True)


def same_request(earlier: AppointmentRequest, owner: ScreenOwner, clinic: Clinic) -> AppointmentRequest:
    if earlier.clinic_id != clinic.pk or (owner.user is not None and earlier.runner_id != owner.user.pk):
        raise RequestError(["idempotency_key: already used for another request; send this one with a new key"])
    return earlier


def email_to_clinic(stored: AppointmentRequest) -> None:
    """The request e-mailed to the clinic (``emailed`` says it went); a clinic with no e-mail reads it on its
    requests page only. The screen's measures are not in the e-mail: the clinic reads them on that page."""
    clinic = stored.clinic
    if not clinic.email:
        return
    screen = "\nThey share their latest screen with this request: see it on your requests page.\n"
    body = (
        f"{stored.name} asks {clinic.name} for an appointment through hipcoach.\n\n"
        f"E-mail: {stored.email}\n"
        + (f"Phone: {stored.phone}\n" if stored.phone else "")
        + f"Preferred times: {stored.preferred_times}\n"
        + (f"\nTheir message:\n{stored.message}\n" if stored.message else "")
        + (screen if stored.shared_screen_id else "")
        + "\nAll requests: /clinic/requests/\n"
    )
    try:
        send_mail(f"hipcoach: appointment request from {stored.name}", body, None, [clinic.email])
    except Exception:  # the request stands: the clinic reads it on its requests page
        logger.exception("The appointment request %s could not be e-mailed to %s.", stored.pk, clinic.email)
        return
    AppointmentRequest.objects.filter(pk=stored.pk).update(emailed=True)
    stored.emailed = True


# ---- the clinic's requests -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenMeasure:
    title: str
    side: str  # left, right, or both
    value: float
    unit: str


@dataclass(frozen=True)
class SharedScreen:
    taken_at: datetime
    refer: bool
    refer_reasons: list[str]
    measures: list[ScreenMeasure]


def shared_screen_of(screen: Screen) -> SharedScreen:
    """The screen a request carries, each measure per side (a screen compared with itself lists what it holds)."""
    answers, result = screen.to_core()
    measures = [
        ScreenMeasure(TITLES.get(own.measure, own.measure), own.side.value if own.side else "both", own.later, own.unit)
        for own in compare_measures(answers, answers)
    ]
    return SharedScreen(screen.taken_at, result.refer, list(result.refer_reasons), measures)


@dataclass(frozen=True)
class RequestRow:
    request: AppointmentRequest
    screen: SharedScreen | None


def row_of(stored: AppointmentRequest) -> RequestRow:
    return RequestRow(stored, shared_screen_of(stored.shared_screen) if stored.shared_screen else None)


def requests_of(clinic: Clinic) -> list[RequestRow]:
    """The clinic's requests, newest first, each with the screen the runner shared (when they ticked it)."""
    stored = AppointmentRequest.objects.filter(clinic=clinic).select_related("clinic", "shared_screen")
    return [row_of(one) for one in stored.order_by("-created_at", "-id")]
