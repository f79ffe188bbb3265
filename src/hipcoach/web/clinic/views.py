"""The clinic's dashboard (every runner who shares with the clinician, alerts first), a runner's record, and an
alert acknowledged with a note."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from hipcoach.app.clinic.alerts import AlertError, acknowledge
from hipcoach.app.clinic.dashboard import dashboard as dashboard_of
from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.record import runner_record
from hipcoach.app.clinic.sharing import runners_of
from hipcoach.app.clock import local_today
from hipcoach.web.clinic.access import clinician_required, runner_shared_with
from hipcoach.web.clinic.handout import handout_response


@clinician_required
def dashboard(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    board = dashboard_of(clinician, local_today())
    context = {"clinic": clinician.clinic, "me": clinician, "board": board}
    return render(request, "clinic/dashboard.html", context)


@clinician_required
def runner_page(request: HttpRequest, clinician: Clinician, runner_id: int) -> HttpResponse:
    runner = runner_shared_with(clinician, runner_id)
    return render(request, "clinic/runner.html", {"record": runner_record(runner), "clinic": clinician.clinic})


@never_cache
@require_safe
@clinician_required
def runner_handout(request: HttpRequest, clinician: Clinician, runner_id: int) -> HttpResponse:
    """The runner's programme on paper, headed by this clinician's clinic."""
    return handout_response(request, runner_shared_with(clinician, runner_id), clinician.clinic)


@require_POST
@clinician_required
def acknowledge_alert(request: HttpRequest, clinician: Clinician, alert_id: int) -> HttpResponse:
    mine = [runner.pk for runner in runners_of(clinician)]
    try:
        alert = acknowledge(clinician, alert_id, request.POST.get("note", ""), mine)
    except AlertError as error:
        if str(error).startswith("alert:"):
            raise Http404(str(error)) from None  # not an alert of their runners: nothing to tell
        messages.error(request, str(error))
        back = request.POST.get("runner", "")
        if back.isdigit() and int(back) in mine:
            return redirect("clinic:runner", runner_id=int(back))
        return redirect("clinic:dashboard")
    messages.success(request, f"Alert acknowledged: {alert.note}")
    return redirect("clinic:runner", runner_id=alert.runner_id)
