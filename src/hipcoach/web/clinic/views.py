"""The clinic's dashboard (every runner who shares with the clinician, alerts first), a runner's record, an alert
acknowledged with a note, and on the record the clinician's own measurement and clearance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.alerts import AlertError, acknowledge
from hipcoach.app.clinic.clearances import ClearanceError, give_clearance
from hipcoach.app.clinic.dashboard import dashboard as dashboard_of
from hipcoach.app.clinic.measures import MeasurementError, add_measurement
from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.record import runner_record
from hipcoach.app.clinic.sharing import runners_of
from hipcoach.app.clock import local_today
from hipcoach.web.clinic.access import clinician_required, runner_shared_with
from hipcoach.web.clinic.forms import ClearanceForm, MeasurementForm


@clinician_required
def dashboard(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    board = dashboard_of(clinician, local_today())
    context = {"clinic": clinician.clinic, "me": clinician, "board": board}
    return render(request, "clinic/dashboard.html", context)


def render_record(
    request: HttpRequest, clinician: Clinician, runner: Runner, status: int = 200, **forms_given: forms.Form
) -> HttpResponse:
    today = local_today()
    context: dict[str, Any] = {
        "record": runner_record(runner),
        "clinic": clinician.clinic,
        "measurement_form": MeasurementForm(initial={"measured_on": today}),
        "clearance_form": ClearanceForm(initial={"cleared_on": today}),
        "today": today,
        **forms_given,
    }
    return render(request, "clinic/runner.html", context, status=status)


@clinician_required
def runner_page(request: HttpRequest, clinician: Clinician, runner_id: int) -> HttpResponse:
    return render_record(request, clinician, runner_shared_with(clinician, runner_id))


def _refused(form: forms.Form, error: ValueError) -> None:
    for problem in str(error).split("; "):
        field, _, _ = problem.partition(":")
        form.add_error(field if field in form.fields else None, problem)


@require_POST
@clinician_required
def add_measurement_page(request: HttpRequest, clinician: Clinician, runner_id: int) -> HttpResponse:
    runner = runner_shared_with(clinician, runner_id)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            saved = add_measurement(clinician, runner, **form.cleaned_data)
        except MeasurementError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Measurement added: {saved.value:g} on the {saved.side}, {saved.instrument}.")
            return redirect("clinic:runner", runner_id=runner.pk)
    return render_record(request, clinician, runner, 400, measurement_form=form)


@require_POST
@clinician_required
def add_clearance_page(request: HttpRequest, clinician: Clinician, runner_id: int) -> HttpResponse:
    runner = runner_shared_with(clinician, runner_id)
    form = ClearanceForm(request.POST)
    if form.is_valid():
        try:
            saved = give_clearance(clinician, runner, **form.cleaned_data)
        except ClearanceError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{saved.to_core().line}. The runner's plan is open again.")
            return redirect("clinic:runner", runner_id=runner.pk)
    return render_record(request, clinician, runner, 400, clearance_form=form)


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
