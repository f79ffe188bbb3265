"""/clinic/staff/: the clinic's admin adds clinicians (each gets a one-time link to set a password) and removes them."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hipcoach.app.clinic.clinics import AddedClinician, ClinicError, add_clinician, remove_clinician
from hipcoach.app.clinic.models import Clinic, Clinician
from hipcoach.web.clinic.access import clinician_required
from hipcoach.web.clinic.forms import ClinicianForm
from hipcoach.web.limits import MAX_ID

logger = logging.getLogger(__name__)


def admin_only(clinician: Clinician) -> None:
    if not clinician.is_admin:
        raise PermissionDenied("Only the clinic's admin adds and removes its clinicians.")


def send_welcome(request: HttpRequest, clinician: Clinician, password_url: str, added_by: Clinician) -> bool:
    context = {"clinic": clinician.clinic.name, "added_by": added_by.name, "password_url": password_url}
    subject = render_to_string("clinic/staff_subject.txt", context).strip()
    body = render_to_string("clinic/staff_email.txt", context)
    try:
        send_mail(subject, body, None, [clinician.user.email or str(clinician.user.get_username())])
    except Exception:  # the clinician is added; the page shows the link to pass on instead
        logger.exception("The new clinician's e-mail to %s could not be sent.", clinician.user.email)
        return False
    return True


def new_clinician(clinic: Clinic, email: str, *, admin: bool) -> AddedClinician:
    """A clinician who is not one yet: adding someone already of the clinic would change their admin right instead."""
    with transaction.atomic():
        if clinic.clinicians.select_for_update().filter(user__username=email).exists():
            raise ClinicError([f"email: {email} is already a clinician of {clinic.name}"])
        return add_clinician(clinic, email, admin=admin)


@clinician_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_page(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """The clinic's clinicians; POST adds one by e-mail (the one-time set-password link shown here once and
    e-mailed to them)."""
    admin_only(clinician)
    clinic = clinician.clinic
    form = ClinicianForm(request.POST if request.method == "POST" else None)
    added: dict[str, object] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = new_clinician(clinic, form.cleaned_data["email"], admin=form.cleaned_data["admin"])
            except ClinicError as error:
                for problem in error.problems:
                    form.add_error("email" if problem.startswith("email:") else None, problem)
            else:
                url = request.build_absolute_uri(result.password_path)
                added = {
                    "clinician": result.clinician,
                    "url": url,
                    "mailed": send_welcome(request, result.clinician, url, clinician),
                    "created": result.created,
                }
                form = ClinicianForm()
                status = 200
    return render_staff(request, clinician, form, added=added, status=status)


def render_staff(
    request: HttpRequest,
    clinician: Clinician,
    form: ClinicianForm,
    *,
    added: dict[str, object] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "clinic": clinician.clinic,
        "me": clinician,
        "clinicians": clinician.clinic.clinicians.select_related("user").order_by("id"),
        "form": form,
        "added": added,
        "problem": problem,
    }
    return render(request, "clinic/staff.html", context, status=status)


@clinician_required
@require_POST
def remove_page(request: HttpRequest, clinician: Clinician, clinician_id: int) -> HttpResponse:
    """The clinician leaves the clinic (their links to runners end with it); the admin cannot remove themselves."""
    admin_only(clinician)
    if clinician_id == clinician.pk:
        problem = "clinician: you cannot remove yourself; another admin of the clinic can"
        return render_staff(request, clinician, ClinicianForm(), problem=problem, status=400)
    leaving = None
    if clinician_id <= MAX_ID:
        leaving = clinician.clinic.clinicians.select_related("user").filter(pk=clinician_id).first()
    if leaving is None:
        raise Http404("No clinician of your clinic with this id.")
    try:
        remove_clinician(clinician.clinic, clinician_id)
    except ClinicError:
        raise Http404("No clinician of your clinic with this id.") from None
    messages.success(request, f"{leaving.name} is no longer a clinician of {clinician.clinic.name}.")
    return redirect("clinic:staff")
