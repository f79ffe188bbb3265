"""The JSON API: one ninja Router per app, mounted under /api/v1."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from hipcoach import __version__
from hipcoach.web.library.api import router as drills_router
from hipcoach.web.screens.api import router as screens_router

api = NinjaAPI(
    title="hipcoach API",
    version=__version__,
    description="Hip-mobility training for runners: the drill catalogue, screens, plans and logs.",
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with one entry per field: where it is, what was sent and what is allowed."""
    return api.create_response(request, {"detail": error.errors}, status=422)


api.add_router("/v1/drills", drills_router)
api.add_router("/v1/screens", screens_router)
