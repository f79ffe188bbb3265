"""A runner reaches the clinic: the request for an appointment (/appointment/), open to a visitor as the referral
pages are, and the clinic's list of requests (/clinic/requests/) for its clinicians."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.requests import (
    RequestError,
    already_requested,
    clinics_for,
    request_appointment,
    requests_of,
    screen_to_share,
)
from hipcoach.web.accounts.ratelimits import appointment_request_refusal
from hipcoach.web.accounts.views import rate_limited
from hipcoach.web.clinic.access import clinician_required
from hipcoach.web.clinic.forms import AppointmentRequestForm
from hipcoach.web.screens.owner import owner_of

REQUEST_TEMPLATE = "clinic/request.html"


def account_initial(request: HttpRequest) -> dict[str, Any]:
    """The account's name (its e-mail when it has none) and e-mail, filled in for a signed-in runner; a visitor
    types theirs."""
    user = request.user
    if not user.is_authenticated:
        return {}
    email = getattr(user, "email", "")
    name = f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}".strip()
    return {"name": name or email, "email": email}


@never_cache
@require_http_methods(["GET", "POST"])
def request_page(request: HttpRequest) -> HttpResponse:
    """GET: the clinics and the form (none when no clinic is set up); POST stores and e-mails the request."""
    clinics = clinics_for(request.user if request.user.is_authenticated else None)
    if not clinics:
        return render(request, REQUEST_TEMPLATE, {"form": None})
    owner = owner_of(request)
    screen = screen_to_share(owner)
    taken = screen.taken_at if screen else None
    if request.method != "POST":
        chosen = request.GET.get("clinic", "")
        initial = {
            **account_initial(request),
            "clinic": int(chosen) if chosen.isdigit() and int(chosen) in {c.id for c in clinics} else clinics[0].id,
            "key": uuid.uuid4().hex,
        }
        form = AppointmentRequestForm(initial=initial, clinics=clinics, screen_taken=taken)
        return render(request, REQUEST_TEMPLATE, {"form": form, "clinics": clinics})
    form = AppointmentRequestForm(request.POST, clinics=clinics, screen_taken=taken)
    if form.is_valid():
        data = form.cleaned_data
        if not already_requested(data["key"]) and (refusal := appointment_request_refusal(request)) is not None:
            return rate_limited(request, refusal)
        try:
            sent = request_appointment(
                owner,
                clinic_id=data["clinic"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                preferred_times=data["preferred_times"],
                message=data["message"],
                share_screen=bool(data.get("share_screen")),
                idempotency_key=data["key"],
            )
        except RequestError as error:
            for problem in error.problems:
                field, _, _ = problem.partition(":")
                form.add_error(field if field in form.fields else None, problem)
        else:
            stored = sent.request
            shared = " with your latest screen" if stored.shared_screen_id else ""
            messages.success(
                request,
                f"Your request was sent to {stored.clinic.name}{shared}. They will answer at {stored.email}.",
            )
            return redirect("clinic:request-sent")
    return render(request, REQUEST_TEMPLATE, {"form": form, "clinics": clinics}, status=400)


@never_cache
def request_sent(request: HttpRequest) -> HttpResponse:
    """Where a sent request lands: what was sent, to whom (a resent form lands here too, and sends nothing)."""
    return render(request, "clinic/request_sent.html")


@clinician_required
def requests_page(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """The clinic's appointment requests, newest first, each with the screen the runner chose to share."""
    context = {"clinic": clinician.clinic, "rows": requests_of(clinician.clinic)}
    return render(request, "clinic/requests.html", context)
