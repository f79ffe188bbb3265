"""Sign-up that tells no stranger which e-mail addresses have accounts.

Whatever address is typed, the answer is the same: "check your e-mail". The mailbox gets either a link to finish
signing up (a new address: the account waits, inactive, until the link is opened) or word that someone tried to
sign up with it (an address that has an account: nothing changes, the owner is told how to log in or reset the
password). Only the mailbox's owner learns which it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from hipcoach.app.accounts.accounts import Runner

logger = logging.getLogger(__name__)

# What this browser sent at sign-up (the session, kept on the server): the address, the mark of the password it chose
# and where to go after. Set the same way for every address, so the answer's cookies tell nothing either.
PENDING_SIGNUP = "hipcoach_pending_signup"


class ConfirmationTokens(PasswordResetTokenGenerator):
    """The link that finishes a sign-up: valid for PASSWORD_RESET_TIMEOUT (three days), and only while the account
    is unconfirmed with the password it was sent for (a later sign-up for the address makes earlier links void)."""

    key_salt = "hipcoach.web.accounts.signup.ConfirmationTokens"

    def _make_hash_value(self, user: Runner, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.get_username()}"


confirmation_tokens = ConfirmationTokens()


def is_unconfirmed(user: Runner) -> bool:
    """An account made by a sign-up whose link was never opened (one an administrator turned off has logged in)."""
    return not user.is_active and user.last_login is None


@dataclass(frozen=True)
class SignUp:
    """What a sign-up did, for the e-mail to send: never shown to whoever sent the form."""

    user: Runner
    new: bool  # True: an unconfirmed account waits for its link; False: the address has an account already


def register(email: str, password: str) -> SignUp:
    """The unconfirmed account for a new address (or for one whose link was never opened, which takes the newer
    password); for an address with an account, that account, untouched."""
    users = get_user_model().objects
    with transaction.atomic():
        user = users.select_for_update().filter(username=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    created = users.create_user(username=email, email=email, password=password, is_active=False)
            except IntegrityError:  # a sign-up for the same address got there first: that one sends the link
                return SignUp(users.get(username=email), new=False)
            return SignUp(created, new=True)
        if is_unconfirmed(user):
            user.set_password(password)
            user.save(update_fields=["password"])
            return SignUp(user, new=True)
    make_password(password)  # the same work as for a new address, so the time taken tells nothing either
    return SignUp(user, new=False)


def browser_mark(user: Runner) -> str:
    """Ties a pending sign-up to the password the browser chose, without keeping the password or its hash."""
    return salted_hmac("hipcoach.web.accounts.signup.browser", user.password).hexdigest()


def remember_in_browser(request: HttpRequest, email: str, signup: SignUp, next_url: str) -> None:
    mark = browser_mark(signup.user) if signup.new else ""
    request.session[PENDING_SIGNUP] = {"email": email, "mark": mark, "next": next_url}


def signed_up_in_this_browser(request: HttpRequest, user: Runner) -> bool:
    """True when this browser sent the sign-up that set the account's password: opening the link here logs in at
    once. Elsewhere the runner logs in with that password, so a link opened by someone else logs nobody in."""
    pending = request.session.get(PENDING_SIGNUP) or {}
    return pending.get("email") == user.get_username() and constant_time_compare(
        str(pending.get("mark", "")), browser_mark(user)
    )


def confirmation_path(user: Runner) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:signup-confirm", kwargs={"uidb64": uid, "token": confirmation_tokens.make_token(user)})


def user_from_link(uidb64: str, token: str) -> Runner | None:
    """The unconfirmed account a link finishes, or None for a link that is wrong, used or too old."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None
    if not is_unconfirmed(user) or not confirmation_tokens.check_token(user, token):
        return None
    return user


def confirm(user: Runner) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def send_signup_email(request: HttpRequest, signup: SignUp) -> None:
    """The link to finish signing up, or, for an address with an account, word to its owner that someone tried."""
    context = {
        "email": signup.user.get_username(),
        "confirm_url": request.build_absolute_uri(confirmation_path(signup.user)) if signup.new else "",
        "login_url": request.build_absolute_uri(reverse("accounts:login")),
        "reset_url": request.build_absolute_uri(reverse("accounts:password-reset")),
    }
    kind = "signup_confirm" if signup.new else "signup_exists"
    subject = render_to_string(f"accounts/{kind}_subject.txt", context).strip()
    body = render_to_string(f"accounts/{kind}_email.txt", context)
    try:
        send_mail(subject, body, None, [context["email"]])
    except Exception:  # the answer must not differ, nor fail, because a mail server did
        logger.exception("The sign-up e-mail to %s could not be sent.", context["email"])
