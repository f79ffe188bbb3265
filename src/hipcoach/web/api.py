"""The JSON API: one ninja Router per area (drills, screens, account, plans, training, the runner's sharing and the
clinic), each mounted once under /api/v1."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hipcoach import __version__
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.training.log import JSON_VALUE, json_value_component
from hipcoach.web.accounts.api import router as account_router
from hipcoach.web.api_errors import ANSWER_SAFETY_QUESTIONS, with_error_responses
from hipcoach.web.clinic.api import router as clinic_router
from hipcoach.web.clinic.api_requests import router as appointment_requests_router
from hipcoach.web.clinic.api_sharing import router as sharing_router
from hipcoach.web.library.api import router as drills_router
from hipcoach.web.limits import BoundedParser, problem_entries, refused_body
from hipcoach.web.plans.api import router as plans_router
from hipcoach.web.screens.api import answer_format_components, with_component_references
from hipcoach.web.screens.api import router as screens_router
from hipcoach.web.training.api import router as training_router


class HipcoachAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Ninja's description, with the screen's answer format as components and the errors every operation can
        answer (api_errors.with_error_responses)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, component in answer_format_components().items():
            components.setdefault(name, component)
        components.setdefault(JSON_VALUE, json_value_component())
        return with_error_responses(with_component_references(schema))


api = HipcoachAPI(
    title="hipcoach API",
    version=__version__,
    description="Hip-mobility training for runners: the drill catalogue, screens, plans and logs.",
    docs_url="/docs",
    # Swagger UI from the app's own static files ("ninja" in INSTALLED_APPS), and no validator badge: by default it
    # loads a picture from the Swagger validator's site, which the docs must not need (they work offline).
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=BoundedParser(),
)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with one entry per field: where it is, what was sent and what is allowed."""
    return api.create_response(request, {"detail": [without_parameter_name(e) for e in error.errors]}, status=422)


SIGN_IN = "Sign in, or send an API token of yours: Authorization: Bearer <token> (Settings → API tokens)."


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    """401 for an endpoint of an account called with neither a token nor a signed-in session: what to send."""
    response = api.create_response(request, {"detail": SIGN_IN}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="hipcoach"'
    return response


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """413 rather than Django's bare 400 for a body over the limit for requests (the import has its own)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request, {"detail": f"The request body is larger than the {limit:,} bytes allowed."}, status=413
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """ninja's HttpError; a body the bounded reader refused (ninja wraps it in a 400) is a 422 naming the field."""
    refused = refused_body(error.__cause__)
    if refused is not None:
        return api.create_response(request, {"detail": problem_entries(refused.problems)}, status=422)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(SafetyQuestionsUnansweredError)
def safety_questions_unanswered(request: HttpRequest, error: SafetyQuestionsUnansweredError) -> HttpResponse:
    """409 from every endpoint that plans, for a runner with no screen on record: what to answer, and where."""
    return api.create_response(request, {"detail": f"{error.message} {ANSWER_SAFETY_QUESTIONS}"}, status=409)


BODY_PARAMETER = "payload"


def without_parameter_name(error: dict[str, Any]) -> dict[str, Any]:
    """["body", "payload", "minutes"] -> ["body", "minutes"]: the field as the client wrote it."""
    loc = list(error.get("loc", []))
    if loc[:2] == ["body", BODY_PARAMETER]:
        return {**error, "loc": ["body", *loc[2:]]}
    return error


# One router per area, each mounted once.
api.add_router("/v1/drills", drills_router)
api.add_router("/v1/screens", screens_router)
api.add_router("/v1/account", account_router)
api.add_router("/v1", plans_router)
api.add_router("/v1", training_router)
api.add_router("/v1/me/sharing", sharing_router)
api.add_router("/v1/me/appointment-requests", appointment_requests_router)
api.add_router("/v1/clinic", clinic_router)
