"""Setting up the clinic and its clinicians, from the terminal or the clinic's staff page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hipcoach.app.accounts.accounts import Runner, normalise_email
from hipcoach.app.clinic.models import Clinic, Clinician
from hipcoach.app.clinic.sharing import invitation_email_problem

CLINIC_FIELDS = ("name", "phone", "email", "address", "booking_url", "hours")


class ClinicError(ValueError):
    """A clinic or clinician that cannot be saved: each problem names its field and what is allowed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def clinic_data(clinic: Clinic) -> dict[str, object]:
    """The clinic as the terminal's --json and the API show it."""
    return {
        **{field: getattr(clinic, field) for field in CLINIC_FIELDS},
        "clinicians": [
            {"email": str(clinician.user.get_username()), "admin": clinician.is_admin}
            for clinician in clinic.clinicians.select_related("user")
        ],
    }


def validation_problems(error: ValidationError) -> list[str]:
    return [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]


def set_up_clinic(name: str, **details: str) -> Clinic:
    """Create the clinic of that name, or update its details: only the details given change."""
    unknown = sorted(set(details) - set(CLINIC_FIELDS))
    if unknown:
        raise ClinicError([f"{field}: not a clinic detail; allowed: {', '.join(CLINIC_FIELDS)}" for field in unknown])
    with transaction.atomic():
        clinic = Clinic.objects.select_for_update().filter(name=name.strip()).first() or Clinic(name=name.strip())
        for field, value in details.items():
            setattr(clinic, field, value.strip())
        try:
            clinic.full_clean()
        except ValidationError as error:
            raise ClinicError(validation_problems(error)) from None
        clinic.save()
    return clinic


@dataclass(frozen=True)
class AddedClinician:
    clinician: Clinician
    created: bool  # a new account: it sets its password through the link
    password_path: str  # where the account sets (or resets) its password


def password_path(user: Runner) -> str:
    """The one-time address at which the account sets its password (Django's password reset)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/password-reset/{uid}/{default_token_generator.make_token(user)}/"


def add_clinician(clinic: Clinic, email: str, *, admin: bool = False) -> AddedClinician:
    """Make the account of that e-mail a clinician of the clinic (a new account when there is none)."""
    address = normalise_email(email)
    problem = invitation_email_problem(address, "the clinician")
    problems = [f"email: {problem}"] if problem else []
    with transaction.atomic():
        user = get_user_model().objects.filter(username=address).first()
        existing = Clinician.objects.filter(user=user).select_related("clinic").first() if user else None
        if existing is not None and existing.clinic_id != clinic.pk:
            problems.append(f"email: {address} is already a clinician of {existing.clinic.name}")
        if problems:
            raise ClinicError(problems)
        created = user is None
        if user is None:
            user = get_user_model().objects.create_user(username=address, email=address)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        clinician, _ = Clinician.objects.update_or_create(user=user, defaults={"clinic": clinic, "is_admin": admin})
    return AddedClinician(clinician, created, password_path(user))


def remove_clinician(clinic: Clinic, clinician_id: int) -> None:
    """The clinician leaves the clinic: their account stays, their links to runners end with it."""
    deleted, _ = Clinician.objects.filter(clinic=clinic, pk=clinician_id).delete()
    if not deleted:
        raise ClinicError([f"clinician: {clinic.name} has no clinician {clinician_id}"])
