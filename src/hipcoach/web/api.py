"""The JSON API: one ninja Router per app, mounted under /api/v1."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from hipcoach import __version__
from hipcoach.web.accounts.api import router as account_router
from hipcoach.web.library.api import router as drills_router
from hipcoach.web.plans.api import sessions_router, weeks_router
from hipcoach.web.screens.api import router as screens_router
from hipcoach.web.training.api_data import router as data_router
from hipcoach.web.training.api_logs import router as logs_router
from hipcoach.web.training.api_today import me_router, today_router

api = NinjaAPI(
    title="hipcoach API",
    version=__version__,
    description="Hip-mobility training for runners: the drill catalogue, screens, plans and logs.",
    docs_url="/docs",
    # Swagger UI from the app's own static files ("ninja" in INSTALLED_APPS), and no validator badge: by default it
    # loads a picture from the Swagger validator's site, which the docs must not need (they work offline).
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with one entry per field: where it is, what was sent and what is allowed."""
    return api.create_response(request, {"detail": [without_parameter_name(e) for e in error.errors]}, status=422)


BODY_PARAMETER = "payload"


def without_parameter_name(error: dict[str, Any]) -> dict[str, Any]:
    """["body", "payload", "minutes"] -> ["body", "minutes"]: the field as the client wrote it."""
    loc = list(error.get("loc", []))
    if loc[:2] == ["body", BODY_PARAMETER]:
        return {**error, "loc": ["body", *loc[2:]]}
    return error


api.add_router("/v1/drills", drills_router)
api.add_router("/v1/screens", screens_router)
api.add_router("/v1/sessions", sessions_router)
api.add_router("/v1/weeks", weeks_router)
api.add_router("/v1/account", account_router)
api.add_router("/v1/logs", logs_router)
api.add_router("/v1/today", today_router)
api.add_router("/v1/me", me_router)
api.add_router("/v1/me", data_router)
