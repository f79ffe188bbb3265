"""The clinic's dashboard (every runner who shares with the clinician, alerts first), a runner's record, an alert
acknowledged with a note, on the record the clinician's own measurement and clearance, and the runner's
prescription."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.alerts import AlertError, acknowledge
from hipcoach.app.clinic.clearances import ClearanceError, give_clearance
from hipcoach.app.clinic.dashboard import RunnerRow
from hipcoach.app.clinic.dashboard import dashboard as dashboard_of
from hipcoach.app.clinic.measures import MeasurementError, add_measurement
from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.prescribing import drills_from_form
from hipcoach.app.clinic.prescribing import prescription_page as prescription_view
from hipcoach.app.clinic.prescription import PrescriptionAccessError, prescribe
from hipcoach.app.clinic.record import runner_record
from hipcoach.app.clinic.sharing import runners_of
from hipcoach.app.clock import local_today
from hipcoach.core.prescription import SESSIONS_PER_WEEK_ALLOWED, PrescriptionError
from hipcoach.web.clinic.access import clinician_required, runner_shared_with
from hipcoach.web.clinic.alert_items import alert_items, path_pattern
from hipcoach.web.clinic.forms import ClearanceForm, MeasurementForm
from hipcoach.web.clinic.handout import handout_response

RUNNER_ROW = (
    '<tr data-runner="{}"><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td></tr>"
)


def runner_rows(rows: list[RunnerRow]) -> SafeString:
    """The dashboard's table body, one row per runner. Hundreds of rows: built with format_html (escaped as the
    template would), which takes a tenth of the template engine's time for the same markup; the record's address is
    reversed once for the table, not once per row."""
    record_path = path_pattern("clinic:runner")
    return format_html_join(
        "\n",
        RUNNER_ROW,
        (
            (
                row.id,
                record_path.format(row.id),
                row.email,
                row.sessions_text,
                row.trend,
                row.last_text,
                format_html('<span class="referral-tag">{}</span>', row.referral) if row.referral else "none",
                format_html("<strong>{} open</strong>", row.open_alerts) if row.open_alerts else "none",
            )
            for row in rows
        ),
    )


@clinician_required
def dashboard(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    board = dashboard_of(clinician, local_today())
    context = {
        "clinic": clinician.clinic,
        "me": clinician,
        "board": board,
        "rows": runner_rows(board.runners),
        "alert_items": alert_items(request, board.alerts, with_runner=True),
    }
    return render(request, "clinic/dashboard.html", context)


def render_record(
    request: HttpRequest, clinician: Clinician, runner: Runner, status: int = 200, **forms_given: forms.Form
) -> HttpResponse:
    today = local_today()
    record = runner_record(runner)
    context: dict[str, Any] = {
        "record": record,
        "alert_items": alert_items(request, record.alerts),
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


@clinician_required
def prescription_page(request: HttpRequest, clinician: Clinician, runner_id: int) -> HttpResponse:
    """The runner's week as planned now, and the form that pins, swaps and removes drills, sets doses, locks them,
    adds a note to each and sets the recovery sessions a week."""
    try:
        page = prescription_view(clinician, runner_id)
    except PrescriptionAccessError:
        raise Http404("No runner of yours with this id: they may have stopped sharing.") from None
    problem = ""
    status = 200
    if request.method == "POST":
        data = drills_from_form(request.POST, [row.drill_id for row in page.rows])
        try:
            _, made = prescribe(clinician, runner_id, data)
        except PrescriptionAccessError:
            raise Http404("No runner of yours with this id: they may have stopped sharing.") from None
        except PrescriptionError as error:
            problem, status = form_problem(error, data), 400
        else:
            messages.success(request, "Prescription saved." if made else "Nothing changed: this is the prescription.")
            return redirect("clinic:prescription", runner_id=runner_id)
    context = {"page": page, "clinic": clinician.clinic, "problem": problem, "per_week": SESSIONS_PER_WEEK_ALLOWED}
    return render(request, "clinic/prescription.html", context, status=status)


def form_problem(error: PrescriptionError, data: dict[str, Any]) -> str:
    """The core's refusal in the form's words: ``drills[2].amount`` becomes the drill's name and the field."""
    index, _, name = error.field.removeprefix("drills[").partition("].")
    drills = data.get("drills", [])
    if index.isdigit() and int(index) < len(drills):
        drill_id = str(drills[int(index)].get("drill_id", ""))
        return f"{drill_id}, {name or 'drill'}: {error.given!r} is not allowed; allowed: {error.allowed}"
    return str(error)
