"""The forms of the clinic: a clinician's invitation, the code a runner types, the admin's new clinician, and a
runner's request for an appointment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import validate_email

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, normalise_email
from hipcoach.app.clinic.models import NAME_LENGTH, PHONE_LENGTH, TEXT_LENGTH
from hipcoach.app.clinic.requests import KEY_LENGTH, PREFERRED_TIMES_LENGTH, ClinicContact
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


class AppointmentRequestForm(forms.Form):
    """A runner's request for an appointment: to which clinic (a choice only when there are several, the runner's
    own first), who, when, what, and whether the latest screen comes with it. ``key`` makes a resent form one
    request."""

    clinic = forms.TypedChoiceField(
        label="To",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "clinic: choose the clinic to send it to",
            "invalid_choice": "clinic: choose one of the clinics listed",
        },
    )
    name = forms.CharField(
        label="Your name",
        max_length=NAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "name: type your name, so the clinic knows whom to call back",
            "max_length": f"name: at most {NAME_LENGTH} characters",
        },
    )
    email = forms.CharField(
        label="Your e-mail",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={
            "required": "email: type your e-mail address, where the clinic answers",
            "max_length": f"email: an e-mail address of at most {EMAIL_MAX_LENGTH} characters",
        },
    )
    phone = forms.CharField(
        label="Your phone (optional)",
        max_length=PHONE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": f"phone: at most {PHONE_LENGTH} characters"},
    )
    preferred_times = forms.CharField(
        label="When could you come?",
        max_length=PREFERRED_TIMES_LENGTH,
        help_text="For example: weekday mornings, or Tuesday after 17:00.",
        error_messages={
            "required": "preferred_times: say when you could come, e.g. weekday mornings",
            "max_length": f"preferred_times: at most {PREFERRED_TIMES_LENGTH} characters",
        },
    )
    message = forms.CharField(
        label="Message (optional)",
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"message: at most {TEXT_LENGTH} characters"},
    )
    share_screen = forms.BooleanField(label="Share my latest screen with this request", required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=KEY_LENGTH, required=False)

    def __init__(self, *args: Any, clinics: list[ClinicContact], screen_taken: datetime | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinic"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(clinic.id, clinic.name) for clinic in clinics]
        if len(clinics) == 1:
            field.widget = forms.HiddenInput()
        if screen_taken is None:
            del self.fields["share_screen"]
        else:
            self.fields["share_screen"].help_text = (
                f"The screen of {screen_taken.day} {screen_taken:%B %Y}: each test per side, and what it found. "
                "Nothing else of yours goes with it."
            )

    def clean_email(self) -> str:
        address = normalise_email(self.cleaned_data["email"])
        try:
            validate_email(address)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"email: '{address}' is not an e-mail address (like runner@example.org)"
            ) from None
        return address


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
