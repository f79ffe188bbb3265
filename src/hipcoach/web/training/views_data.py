"""/settings/data/: export everything (JSON) or the logs (CSV), import an export into an empty account, and
/settings/delete/: delete the account and all its data."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hipcoach.app.accounts.accounts import normalise_email
from hipcoach.app.training.data import (
    MAX_IMPORT_BYTES,
    AccountNotEmptyError,
    ImportInputError,
    data_counts,
    delete_account,
    export_filename,
    export_json,
    has_data,
    import_document,
    logs_csv_rows,
    parse_import,
    where,
)
from hipcoach.web.runner import runner_of

COUNT_LABELS = {
    "screens": "hip screens",
    "logs": "sessions logged",
    "drill_entries": "drills in those sessions",
    "morning_checks": "morning checks",
    "progression_states": "drill chains with a progression",
    "progression_events": "progressions and step-backs",
    "settings": "usual week and settings",
    "alerts": "clinic alerts, with your clinicians' notes",
    "prescriptions": "versions of your clinician's prescription",
    "measurements": "measurements your clinicians took",
    "clearances": "clearances your clinicians gave",
    "appointment_requests": "appointment requests sent to a clinic",
}
Download = TypeVar("Download", bound=HttpResponseBase)


class ImportForm(forms.Form):
    file = forms.FileField(label="Export file (.json)", help_text="A file made by “Download everything”.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
        return upload


class DeleteForm(forms.Form):
    email = forms.CharField(
        label="Type your e-mail address to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, account_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def clean_email(self) -> str:
        typed = normalise_email(self.cleaned_data["email"])
        if typed != normalise_email(self.account_email):
            raise forms.ValidationError("This is not your account's e-mail address: nothing was deleted.")
        return typed


def _page(request: HttpRequest, form: ImportForm, problems: list[str], status: int) -> HttpResponse:
    counts = data_counts(runner_of(request))
    context = {
        "form": form,
        "problems": problems,
        "counts": [(COUNT_LABELS[name], number, name) for name, number in counts.items()],
        "empty": not has_data(runner_of(request)),
    }
    return render(request, "training/data.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def data_page(request: HttpRequest) -> HttpResponse:
    """GET: what the account holds and the ways out; POST: import an export file into this empty account."""
    if request.method != "POST":
        return _page(request, ImportForm(), [], 200)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, [], 400)
    try:
        document = parse_import(form.cleaned_data["file"].read())
        counts = import_document(runner_of(request), document)
    except ImportInputError as error:
        problems = [f"{where(p['loc'])}: {p['msg']}" for p in error.problems]
        return _page(request, ImportForm(), problems, 422)
    except AccountNotEmptyError as error:
        return _page(request, ImportForm(), [str(error)], 409)
    messages.success(
        request,
        f"Imported {counts['screens']} screen(s), {counts['logs']} session(s) with {counts['drill_entries']} drill(s), "
        f"and {counts['progression_events']} progression(s).",
    )
    return redirect("progress:data")


def _download(response: Download, suffix: str) -> Download:
    """The response as a file to save, named for today, that no cache between the runner and us keeps."""
    response["Content-Disposition"] = f'attachment; filename="{export_filename(suffix)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_everything(request: HttpRequest) -> HttpResponse:
    return _download(HttpResponse(export_json(runner_of(request)), content_type="application/json"), ".json")


@login_required
@require_GET
def export_logs_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = logs_csv_rows(runner_of(request))
    return _download(StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8"), "-logs.csv")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete_page(request: HttpRequest) -> HttpResponse:
    """GET: what deleting removes and the confirmation; POST with the account's e-mail: delete and log out."""
    user = runner_of(request)
    email = getattr(user, "email", "") or user.get_username()
    form = DeleteForm(request.POST if request.method == "POST" else None, account_email=email)
    if request.method == "POST" and form.is_valid():
        delete_account(user)
        logout(request)  # ends this session; any other session of the account no longer finds its user
        return redirect("progress:deleted")
    counts = data_counts(user)
    context = {
        "form": form,
        "email": email,
        "counts": [(COUNT_LABELS[name], number, name) for name, number in counts.items()],
    }
    return render(request, "training/data_delete.html", context, status=400 if request.method == "POST" else 200)


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "training/data_deleted.html")
