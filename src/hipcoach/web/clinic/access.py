"""Who reaches the clinician's pages: a signed-in clinician, and of a runner's pages only those of a runner who shares
with them now. Everyone else gets the login page (not signed in), a 403 (a runner) or a 404 (a runner not shared)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.requests import clinics_for
from hipcoach.app.clinic.sharing import clinician_of, shared_runner

View = Callable[..., HttpResponse]


_CLINICIAN = "_hipcoach_clinician"  # the request's clinician, looked up once per request


def clinician_of_request(request: HttpRequest) -> Clinician | None:
    """The signed-in user's clinician account, or None; read once per request (the view and the header share it)."""
    if not hasattr(request, _CLINICIAN):
        user = request.user
        setattr(request, _CLINICIAN, clinician_of(user) if user.is_authenticated else None)
    found: Clinician | None = getattr(request, _CLINICIAN)
    return found


def clinician_required(view: View) -> View:
    """The view gets the request's clinician as its second argument."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        clinician = clinician_of_request(request)
        if clinician is None:
            raise PermissionDenied("These pages are for the clinic's clinicians.")
        return view(request, clinician, *args, **kwargs)

    return guarded


def runner_shared_with(clinician: Clinician, runner_id: int) -> Runner:
    """The runner, when they share with this clinician now; else a 404 that tells nothing more."""
    runner = shared_runner(clinician, runner_id)
    if runner is None:
        raise Http404("No runner of yours with this id: they may have stopped sharing.")
    return runner


def clinician_context(request: HttpRequest) -> dict[str, Any]:
    """``clinician`` in every template (the header's Clinic link), looked up only when a template reads it."""
    return {"clinician": SimpleLazyObject(lambda: clinician_of_request(request))}


def reach_clinic_context(request: HttpRequest) -> dict[str, Any]:
    """``clinics_to_reach`` in every template (each referral page shows them, the runner's own first), looked up only
    when a template reads it."""
    return {
        "clinics_to_reach": SimpleLazyObject(
            lambda: clinics_for(request.user if request.user.is_authenticated else None)
        )
    }
