"""Sharing through the API. The runner's links (/api/v1/me/sharing: list, accept a code, stop) on a Router of its own,
and a clinician's new invitation (POST /api/v1/clinic/invitations) on the clinic's Router."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja import Path as PathParam
from pydantic import ConfigDict

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH
from hipcoach.app.clinic.models import Link
from hipcoach.app.clinic.sharing import SHARED, SharingError, accept, clinician_of, invite, sharing_links, stop_sharing
from hipcoach.web.accounts.auth import runner_auth
from hipcoach.web.api_errors import ErrorMessage, FieldProblems
from hipcoach.web.clinic.api import router as clinic_router
from hipcoach.web.clinic.forms import CODE_MAX_LENGTH
from hipcoach.web.clinic.views_sharing import accept_url, send_invitation
from hipcoach.web.limits import KB, MAX_ID, body_limit
from hipcoach.web.runner import runner_of

router = Router(auth=runner_auth, tags=["sharing"])

# A code, or an e-mail address of at most 150 characters however it is escaped, and nothing else.
MAX_SHARING_BYTES = 4 * KB
NOT_FOUND = "No link of yours with this id; GET /api/v1/me/sharing lists yours."


class SharingLink(Schema):
    id: int
    clinic: str = Field(description="The clinic's name.")
    clinician: str = Field(description="The clinician's name.")
    status: str = Field(description="sharing, or stopped.")
    accepted_at: datetime | None
    stopped_at: datetime | None
    shared: list[str] = Field(description="What the clinician sees while the link is sharing, in words.")


class CodeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(
        min_length=1, max_length=CODE_MAX_LENGTH, description="The clinician's code, e.g. ABCDE-FGHJK (any case)."
    )


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(
        "",
        max_length=EMAIL_MAX_LENGTH,
        description="The runner's e-mail, to send them the invitation; empty or left out: a code to hand over.",
    )


class InvitationOut(Schema):
    id: int
    code: str = Field(description="The one-time code, ABCDE-FGHJK: shown only in this answer.")
    link: str = Field(description="The one-time link the runner opens to accept.")
    email: str
    emailed: bool
    expires_at: datetime


def link_data(link: Link) -> dict[str, Any]:
    return {
        "id": link.pk,
        "clinic": link.clinician.clinic.name,
        "clinician": link.clinician.name,
        "status": link.status,
        "accepted_at": link.accepted_at,
        "stopped_at": link.stopped_at,
        "shared": list(SHARED),
    }


def field_problem(field: str, error: SharingError) -> dict[str, Any]:
    return {"detail": [{"type": "value_error", "loc": ["body", field], "msg": str(error)}]}


LinkId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The link's id.")]


@router.get("", response=list[SharingLink], summary="Your links to clinicians, sharing ones first")
def list_links(request: HttpRequest) -> list[dict[str, Any]]:
    return [link_data(link) for link in sharing_links(runner_of(request))]


@router.post(
    "",
    response={201: SharingLink, 200: SharingLink, 422: FieldProblems},
    summary="Accept a clinician's invitation by its code",
    description="201: you now share with that clinician what `shared` lists; 200: you already did, and nothing "
    "changes; 422 names `code` when no open invitation has it (mistyped, used, expired, or your own).",
)
@body_limit(MAX_SHARING_BYTES)
def accept_code(request: HttpRequest, payload: CodeIn) -> Status[Any]:
    runner = runner_of(request)
    before = {link.pk for link in sharing_links(runner) if link.status == "sharing"}
    try:
        link = accept(runner, payload.code)
    except SharingError as error:
        return Status(422, field_problem("code", error))
    return Status(200 if link.pk in before else 201, link_data(link))


def _stop(request: HttpRequest, link_id: int) -> Status[Any]:
    try:
        link = stop_sharing(runner_of(request), link_id)
    except SharingError:
        return Status(404, {"detail": NOT_FOUND})
    return Status(200, link_data(link))


@router.post(
    "/{link_id}",
    response={200: SharingLink, 404: ErrorMessage},
    summary="Stop sharing through this link, at once",
    description="The clinician sees nothing more of yours from this moment; stopping again changes nothing. "
    "The same as DELETE.",
)
@body_limit(MAX_SHARING_BYTES)
def stop_link(request: HttpRequest, link_id: LinkId) -> Status[Any]:
    return _stop(request, link_id)


@router.delete(
    "/{link_id}",
    response={200: SharingLink, 404: ErrorMessage},
    summary="Stop sharing through this link, at once",
    description="The same as POST /api/v1/me/sharing/{link_id}.",
)
def delete_link(request: HttpRequest, link_id: LinkId) -> Status[Any]:
    return _stop(request, link_id)


@clinic_router.post(
    "/invitations",
    auth=runner_auth,
    response={201: InvitationOut, 403: ErrorMessage, 422: FieldProblems},
    summary="Invite a runner (clinicians only)",
    description="With `email`, the invitation is e-mailed to the runner; without, hand over the code or the link. "
    "Either works once, for 14 days. 403 for an account that is not a clinician's; 422 names `email`.",
)
@body_limit(MAX_SHARING_BYTES)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[Any]:
    clinician = clinician_of(request.user)
    if clinician is None:
        return Status(403, {"detail": "Only the clinic's clinicians invite runners."})
    try:
        sent = invite(clinician, payload.email.strip())
    except SharingError as error:
        return Status(422, field_problem("email", error))
    emailed = send_invitation(request, sent) if sent.link.invited_email else False
    return Status(
        201,
        {
            "id": sent.link.pk,
            "code": sent.code,
            "link": accept_url(request, sent.code),
            "email": sent.link.invited_email,
            "emailed": emailed,
            "expires_at": sent.link.expires_at,
        },
    )
