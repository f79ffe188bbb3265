"""The forms of sharing: a clinician's invitation, the code a runner types, and the admin's new clinician."""

from __future__ import annotations

from django import forms

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, normalise_email
from hipcoach.app.clinic.sharing import invitation_email_problem

# A code is ten letters and digits, typed with a dash or spaces; room for a pasted link's worth of noise, no more.
CODE_MAX_LENGTH = 40


class InviteForm(forms.Form):
    email = forms.CharField(
        label="The runner's e-mail",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        error_messages={
            "required": "email: type the runner's e-mail address, or make a code to hand over instead",
            "max_length": f"email: an e-mail address of at most {EMAIL_MAX_LENGTH} characters",
        },
    )

    def clean_email(self) -> str:
        address = normalise_email(self.cleaned_data["email"])
        problem = invitation_email_problem(address)
        if problem:
            raise forms.ValidationError(f"email: {problem}")
        return address


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


class ClinicianForm(forms.Form):
    email = forms.CharField(
        label="The clinician's e-mail",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        error_messages={
            "required": "email: type the new clinician's e-mail address",
            "max_length": f"email: an e-mail address of at most {EMAIL_MAX_LENGTH} characters",
        },
    )
    admin = forms.BooleanField(label="May add and remove the clinic's clinicians", required=False)

    def clean_email(self) -> str:
        address = normalise_email(self.cleaned_data["email"])
        problem = invitation_email_problem(address)
        if problem:
            raise forms.ValidationError(f"email: {problem.replace('the runner', 'the clinician')}")
        return address
