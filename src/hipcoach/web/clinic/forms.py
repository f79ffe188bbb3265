"""The forms of sharing: a clinician's invitation, the code a runner types, and the admin's new clinician."""

from __future__ import annotations

from django import forms

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, normalise_email
from hipcoach.app.clinic.sharing import invitation_email_problem

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
