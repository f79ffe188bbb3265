"""Appointment requests through the API: a runner's new request (POST /api/v1/me/appointment-requests), on a Router
of its own, and the clinic's requests (GET /api/v1/clinic/requests) on the clinic's Router."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH
from hipcoach.app.clinic.models import NAME_LENGTH, PHONE_LENGTH, TEXT_LENGTH
from hipcoach.app.clinic.requests import (
    KEY_LENGTH,
    PREFERRED_TIMES_LENGTH,
    RequestError,
    RequestRow,
    already_requested,
    clinics_for,
    request_appointment,
    requests_of,
    row_of,
)
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.web.accounts.auth import runner_auth
from hipcoach.web.accounts.ratelimits import appointment_request_refusal
from hipcoach.web.api_errors import ErrorMessage, FieldProblems
from hipcoach.web.clinic.api import clinician_of_request
from hipcoach.web.clinic.api import router as clinic_router
from hipcoach.web.limits import KB, MAX_ID, body_limit
from hipcoach.web.runner import runner_of

router = Router(auth=runner_auth, tags=["clinic"])

# The longest request with every character written as a JSON escape (12 bytes), and room for the names.
MAX_REQUEST_BYTES = 12 * (NAME_LENGTH + EMAIL_MAX_LENGTH + PHONE_LENGTH + PREFERRED_TIMES_LENGTH + TEXT_LENGTH) + 2 * KB


class AppointmentRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")
    clinic: int | None = Field(
        None, ge=1, le=MAX_ID, description="The clinic's id; left out: your own (your clinician's), else the first."
    )
    name: str = Field("", max_length=NAME_LENGTH, description="Left out: your account's name, else your e-mail.")
    email: str = Field("", max_length=EMAIL_MAX_LENGTH, description="Left out: your account's e-mail.")
    phone: str = Field("", max_length=PHONE_LENGTH)
    preferred_times: str = Field(
        min_length=1, max_length=PREFERRED_TIMES_LENGTH, description="When you could come, e.g. 'weekday mornings'."
    )
    message: str = Field("", max_length=TEXT_LENGTH)
    share_screen: bool = Field(False, description="Send your latest screen with the request.")
    idempotency_key: str = Field(
        "", max_length=KEY_LENGTH, description="The same key again returns the request already stored, sent once."
    )


class SharedMeasureOut(Schema):
    measure: str
    side: str = Field(description="left, right, or both.")
    value: float
    unit: str


class SharedScreenOut(Schema):
    taken_at: datetime
    refer: bool
    refer_reasons: list[str]
    measures: list[SharedMeasureOut]


class AppointmentRequestOut(Schema):
    id: int
    clinic: str = Field(description="The clinic's name.")
    name: str
    email: str
    phone: str
    preferred_times: str
    message: str
    created_at: datetime
    emailed: bool = Field(description="The clinic's e-mail was sent.")
    shared_screen: SharedScreenOut | None = Field(description="The screen sent with it, when the runner ticked it.")


def request_out(row: RequestRow) -> AppointmentRequestOut:
    stored = row.request
    screen = None
    if row.screen is not None:
        screen = SharedScreenOut(
            taken_at=row.screen.taken_at,
            refer=row.screen.refer,
            refer_reasons=row.screen.refer_reasons,
            measures=[
                SharedMeasureOut(measure=m.title, side=m.side, value=m.value, unit=m.unit) for m in row.screen.measures
            ],
        )
    return AppointmentRequestOut(
        id=stored.pk, clinic=stored.clinic.name, name=stored.name, email=stored.email, phone=stored.phone,
        preferred_times=stored.preferred_times, message=stored.message, created_at=stored.created_at,
        emailed=stored.emailed, shared_screen=screen,
    )  # fmt: skip


def problems_out(error: RequestError) -> dict[str, Any]:
    return {
        "detail": [
            {"type": "value_error", "loc": ["body", problem.partition(":")[0]], "msg": problem}
            for problem in error.problems
        ]
    }


@router.post(
    "",
    response={201: AppointmentRequestOut, 200: AppointmentRequestOut, 404: ErrorMessage, 422: FieldProblems,
              429: ErrorMessage},
    summary="Request an appointment at the clinic (e-mailed to it, shown on its requests page)",
    description="201: stored and e-mailed to the clinic; 200: a retry with the same `idempotency_key`, nothing sent "
    "again; 404 when no clinic is set up here; 422 names each field; 429 past the rate limit (Retry-After), nothing "
    "stored. With `share_screen`, your latest screen goes with it (each test per side), nothing else of yours.",
)  # fmt: skip
@body_limit(MAX_REQUEST_BYTES)
def create_request(request: HttpRequest, payload: AppointmentRequestIn) -> Any:
    runner = runner_of(request)
    clinics = clinics_for(runner)
    if not clinics:
        return Status(404, {"detail": "No clinic is set up here: contact a physiotherapist yourself."})
    retry = already_requested(payload.idempotency_key)
    if not retry and (refusal := appointment_request_refusal(request)) is not None:
        message = f"Too many appointment requests from your network; try again in {refusal.retry_after} seconds."
        answer = JsonResponse({"detail": message}, status=429)
        answer["Retry-After"] = str(refusal.retry_after)
        return answer
    full_name = f"{runner.first_name} {runner.last_name}".strip()
    try:
        sent = request_appointment(
            ScreenOwner(user=runner),
            clinic_id=payload.clinic or clinics[0].id,
            name=payload.name or full_name or runner.email,
            email=payload.email or runner.email,
            phone=payload.phone,
            preferred_times=payload.preferred_times,
            message=payload.message,
            share_screen=payload.share_screen,
            idempotency_key=payload.idempotency_key,
        )
    except RequestError as error:
        return Status(422, problems_out(error))
    return Status(201 if sent.created else 200, request_out(row_of(sent.request)))


@clinic_router.get(
    "/requests",
    auth=runner_auth,
    response={200: list[AppointmentRequestOut], 403: ErrorMessage},
    summary="The clinic's appointment requests, newest first (clinicians only)",
    description="Each with the screen the runner chose to share. 403 for an account that is not a clinician's.",
)
def list_requests(request: HttpRequest) -> list[AppointmentRequestOut]:
    clinician = clinician_of_request(request)
    return [request_out(row) for row in requests_of(clinician.clinic)]
