"""The clinic's dashboard: every runner who shares with the clinician."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.sharing import runners_of
from hipcoach.web.clinic.access import clinician_required


@clinician_required
def dashboard(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    context = {"clinic": clinician.clinic, "me": clinician, "runners": runners_of(clinician)}
    return render(request, "clinic/dashboard.html", context)
