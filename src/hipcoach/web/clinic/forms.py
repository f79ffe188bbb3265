"""The forms of sharing: a clinician's invitation, the code a runner types, and the admin's new clinician."""

from __future__ import annotations

from typing import Any

from django import forms

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, normalise_email
from hipcoach.app.clinic.models import TEXT_LENGTH
from hipcoach.app.clinic.sharing import invitation_email_problem
from hipcoach.core.clearance import ClearanceKind
from hipcoach.core.screen import CLINICIAN_MEASURES, POSITION_LENGTH, Instrument

# A code is ten letters and digits, typed with a dash or spaces; room for a pasted link's worth of noise, no more.
CODE_MAX_LENGTH = 40


def email_field(whose: str, required: str) -> forms.CharField:
    """The e-mail address of someone to invite (a runner, a new clinician), with its refusals in the form's words."""
    return forms.CharField(
        label=f"{whose.capitalize()}'s e-mail",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        error_messages={
            "required": f"email: {required}",
            "max_length": f"email: an e-mail address of at most {EMAIL_MAX_LENGTH} characters",
        },
    )


class InvitedAddressForm(forms.Form):
    """A form whose ``email`` is an address to send an invitation to, checked as sharing checks it."""

    whose = "the runner"

    def clean_email(self) -> str:
        address = normalise_email(self.cleaned_data["email"])
        problem = invitation_email_problem(address, self.whose)
        if problem:
            raise forms.ValidationError(f"email: {problem}")
        return address


class InviteForm(InvitedAddressForm):
    email = email_field("the runner", "type the runner's e-mail address, or make a code to hand over instead")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your clinician's code",
        max_length=CODE_MAX_LENGTH,
        help_text="Ten letters and digits, like ABCDE-FGHJK: any case, with or without the dash.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={
            "required": "code: type the code your clinician gave you",
            "max_length": f"code: a code is ten letters and digits (at most {CODE_MAX_LENGTH} characters typed)",
        },
    )


class ClinicianForm(InvitedAddressForm):
    whose = "the clinician"
    email = email_field("the clinician", "type the new clinician's e-mail address")
    admin = forms.BooleanField(label="May add and remove the clinic's clinicians", required=False)


def _choices(values: list[tuple[str, str]], field: str, allowed: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=values,
        error_messages={"required": f"{field}: {allowed}", "invalid_choice": f"{field}: {allowed}"},
    )


def _day(field: str, label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"{field}: a date (YYYY-MM-DD)", "invalid": f"{field}: a date (YYYY-MM-DD)"},
    )


MEASURE_CHOICES = [(path, f"{spec.title} ({spec.unit})") for path, spec in CLINICIAN_MEASURES.items()]
INSTRUMENTS = [(one.value, one.value) for one in Instrument]


class MeasurementForm(forms.Form):
    """A clinician's own measurement; the bounds are checked by the use case, in the screen's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["auto_id"] = "measurement-%s"  # two forms on one page: ids of their own
        super().__init__(*args, **kwargs)

    measure = _choices(MEASURE_CHOICES, "measure", f"one of {', '.join(CLINICIAN_MEASURES)}")
    side = _choices([("left", "left"), ("right", "right")], "side", "left or right")
    value = forms.FloatField(
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        error_messages={"required": "value: a number", "invalid": "value: a number"},
    )
    instrument = _choices(INSTRUMENTS, "instrument", f"one of {', '.join(v for v, _ in INSTRUMENTS)}")
    position = forms.CharField(
        max_length=POSITION_LENGTH,
        help_text="e.g. prone, knee at 90°",
        error_messages={
            "required": "position: how it was measured, e.g. 'prone, knee at 90°'",
            "max_length": f"position: at most {POSITION_LENGTH} characters",
        },
    )
    measured_on = _day("measured_on", "Measured on")
    note = forms.CharField(
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"note: at most {TEXT_LENGTH} characters"},
    )


class ClearanceForm(forms.Form):
    """A clinician's clearance of a referral or of a hip replacement's precautions, with the note the runner reads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["auto_id"] = "clearance-%s"  # two forms on one page: ids of their own
        super().__init__(*args, **kwargs)

    kind = _choices([(one.value, one.description) for one in ClearanceKind], "kind", "referral or hip-precautions")
    cleared_on = _day("cleared_on", "Cleared on")
    note = forms.CharField(
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the runner on Today and on their referral page.",
        error_messages={
            "required": "note: say what you found and why the runner may train (it is shown to them)",
            "max_length": f"note: at most {TEXT_LENGTH} characters",
        },
    )
