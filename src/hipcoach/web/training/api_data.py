"""GET /api/v1/me/export and POST /api/v1/me/import: everything of the signed-in runner, out and back in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema, Status

from hipcoach.app.training.data import (
    MAX_IMPORT_BYTES,
    AccountNotEmptyError,
    ExportDocument,
    ImportInputError,
    export_filename,
    export_json,
    import_document,
    parse_import,
)
from hipcoach.web.api_errors import ErrorMessage, FieldProblems
from hipcoach.web.limits import body_limit
from hipcoach.web.runner import runner_of
from hipcoach.web.training.api import router


class Imported(Schema):
    screens: int
    logs: int
    drill_entries: int
    morning_checks: int
    progression_states: int
    progression_events: int
    settings: int
    alerts: int
    prescriptions: int
    measurements: int
    clearances: int
    appointment_requests: int


@router.get(
    "/me/export",
    tags=["your data"],
    response=ExportDocument,
    summary="Everything of yours as one JSON document (format 1)",
    description="Profile, settings, screens, plan (week, progression states and events) and logs with their drills "
    "and morning checks. POST it to /api/v1/me/import of an empty account to restore it.",
)
def export(request: HttpRequest) -> HttpResponse:
    # The document is written by pydantic (times to the microsecond), not re-encoded by ninja.
    response = HttpResponse(export_json(runner_of(request)), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{export_filename(".json")}"'
    return response


@router.post(
    "/me/import",
    tags=["your data"],
    response={201: Imported, 409: ErrorMessage, 413: ErrorMessage, 422: FieldProblems},
    summary="Restore an export into this empty account",
    description="The body is a document from GET /api/v1/me/export (as JSON, or as the multipart field `file`). "
    "All or nothing, in one transaction: 422 names each invalid field (drill ids must exist in the library), "
    "409 when the account already holds screens, logs, progression or a usual week.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExportDocument"}}},
        }
    },
)
@body_limit(MAX_IMPORT_BYTES)
def import_(request: HttpRequest) -> Status[Any]:
    raw = _body(request)
    if raw is None:
        return Status(413, {"detail": f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB."})
    try:
        document = parse_import(raw)
        counts = import_document(runner_of(request), document)
    except ImportInputError as error:
        return Status(422, {"detail": [{**p, "loc": ["body", *p["loc"]]} for p in error.problems]})
    except AccountNotEmptyError as error:
        return Status(409, {"detail": str(error)})
    return Status(201, counts)


def _body(request: HttpRequest) -> bytes | None:
    """The raw document, read here rather than through ``request.body``: an export of years of logs is larger than
    Django's limit for ordinary request bodies (DATA_UPLOAD_MAX_MEMORY_SIZE), and has its own."""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            return b""
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            return None
        content: bytes = upload.read()
        return content
    raw = request.read(MAX_IMPORT_BYTES + 1)
    return None if len(raw) > MAX_IMPORT_BYTES else raw
