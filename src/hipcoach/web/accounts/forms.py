"""Sign-up, log-in and token forms: the e-mail address is the login, compared in lower case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, is_reserved_email, normalise_email

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        # Whether the address has an account is not a problem of the form: the answer must not tell (accounts.signup).
        address = normalise_email(self.cleaned_data["email"])
        if is_reserved_email(address):
            # The local runner's address (a terminal's account) and every other of the reserved ".invalid" domain:
            # refused whether or not an account has it, so the answer tells nothing either.
            raise forms.ValidationError("No mail reaches an address ending in .invalid: sign up with your own address.")
        return address

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ. Type the same password twice.")
        elif first:
            # Validated against the would-be user, so a password close to the e-mail is refused too.
            candidate = get_user_model()(username=cleaned.get("email", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ConfirmSignUpForm(forms.Form):
    """Finishing a sign-up from another browser: the password chosen at sign-up, which only its author knows."""

    password = forms.CharField(
        label="The password you chose when signing up",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not the password chosen when signing up with this address. Type it again, or sign up "
                "again to choose a new one."
            )
        return password


class EmailLoginForm(AuthenticationForm):
    """Django's login form, asking for the e-mail address and comparing it in lower case."""

    error_messages: ClassVar[dict[str, StrOrPromise]] = {  # type: ignore[misc]  # Django's is a class attribute
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password do not match an account. Check both and try again.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "E-mail"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "maxlength": EMAIL_MAX_LENGTH}
        )

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data["username"])


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, e.g. “laptop CLI” or “watch sync”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
