"""The handout as a download: the runner's own (from Settings) and a runner's, for their clinician (from the record)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.handout import PDF_TYPE, base_url_for, handout, handout_filename, handout_pdf
from hipcoach.app.clinic.models import Clinic


def handout_response(request: HttpRequest, runner: Runner, clinic: Clinic | None = None) -> HttpResponse:
    """The runner's handout as a PDF file, its link and QR code to this site (the address the page was reached at,
    unless ``HIPCOACH_BASE_URL`` says otherwise)."""
    sheet = handout(runner, base_url=base_url_for(request.build_absolute_uri("/")), clinic=clinic)
    response = HttpResponse(handout_pdf(sheet), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{handout_filename(sheet)}"'
    response["X-Robots-Tag"] = "noindex"
    return response
