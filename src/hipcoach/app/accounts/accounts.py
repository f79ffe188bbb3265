"""Runner accounts: making one, the local runner of a computer and taking it to the web, and issuing, finding and
revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TypeAlias

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q

from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.screens.models import Screen
from hipcoach.core import clock

TOKEN_PREFIX = "hc_"
# Writing last_used_at on every call would make each API read a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)
# The username column holds the e-mail address, so it bounds the address's length.
EMAIL_MAX_LENGTH = 150
# The address of the account a terminal makes for its runner when the database has none. ".invalid" is reserved
# (RFC 2606): no mailbox has it, so no one can sign up with it or receive its mail.
LOCAL_RUNNER_EMAIL = "runner@local.invalid"
RESERVED_TOP_LEVEL_DOMAIN = "invalid"

# A runner's account. The project keeps Django's own User model (AUTH_USER_MODEL is left at its default); the
# application layer, the web and the terminal name a runner's type by this one alias.
Runner: TypeAlias = User


def normalise_email(email: str) -> str:
    """The login: an e-mail address, trimmed and lower-cased, stored as the username."""
    return email.strip().lower()


def create_runner(email: str, password: str) -> Runner:
    """An account that can log in at once, for an administrator or a test; the sign-up form makes an unconfirmed one
    that its e-mailed link opens (accounts.signup)."""
    address = normalise_email(email)
    user: Runner = get_user_model().objects.create_user(username=address, email=address, password=password)
    return user


def is_reserved_email(email: str) -> bool:
    """True for an address of the reserved ".invalid" domain (the local runner's): never a runner's own."""
    domain = normalise_email(email).rpartition("@")[2].rstrip(".")
    return domain.rpartition(".")[2] == RESERVED_TOP_LEVEL_DOMAIN


def is_local_runner(user: Runner) -> bool:
    """The account a terminal made for the runner of its computer, until it is given the runner's own address."""
    return bool(user.get_username() == LOCAL_RUNNER_EMAIL)


def can_log_in_on_the_web(user: Runner) -> bool:
    return bool(user.is_active and user.has_usable_password())


def local_runner() -> Runner:
    """The local runner of this database, made the first time it is asked for: an account no one can log in to
    (its password is unusable) nor sign up as (its address is reserved), so a runner who only uses the terminal
    keeps a log. Made in one transaction with the screens the terminal saved before it (no owner, no browser
    session), which move to it; two terminals asking at once get the same account."""
    users = get_user_model().objects
    with transaction.atomic():
        runner, created = users.get_or_create(
            username=LOCAL_RUNNER_EMAIL, defaults={"email": LOCAL_RUNNER_EMAIL, "password": make_password(None)}
        )
        if created:
            Screen.objects.filter(owner=None, session_key="").update(owner=runner)
    account: Runner = runner
    return account


class AccountInputError(ValueError):
    """What is wrong with a new password or address: each problem under the field it is about."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        said = [f"{field}: {message}" for field, messages in problems.items() for message in messages]
        super().__init__("; ".join(said))
        self.problems = problems


def terminal_runner() -> Runner | None:
    """The account the terminal acts as when none is named: the local runner of this computer, else the only active
    account, else (no active account yet) a new local runner; None when several accounts share the database and
    none is this computer's."""
    users = get_user_model().objects.filter(is_active=True)
    mine = users.filter(username=LOCAL_RUNNER_EMAIL).first()
    if mine is not None:
        return mine
    accounts = list(users.order_by("id")[:2])
    if len(accounts) > 1:
        return None
    return accounts[0] if accounts else local_runner()


def active_runner(email: str) -> Runner | None:
    """The active account with this e-mail (as the login normalises it), if there is one."""
    found: Runner | None = get_user_model().objects.filter(is_active=True, username=normalise_email(email)).first()
    return found


def new_address_problems(user: Runner, address: str) -> list[str]:
    try:
        validate_email(address)
    except ValidationError:
        return [f"{address!r} is not an e-mail address"]
    if len(address) > EMAIL_MAX_LENGTH:
        return [f"{address!r} is longer than {EMAIL_MAX_LENGTH} characters"]
    if is_reserved_email(address):
        return [f"{address!r} is a reserved address that no mail reaches: give your own e-mail address"]
    if address != user.get_username() and not is_local_runner(user):
        return [f"{user.get_username()} has its own address already; the address changes only for the local runner"]
    others = get_user_model().objects.exclude(pk=user.pk)
    if others.filter(Q(username=address) | Q(email__iexact=address)).exists():
        return [f"another account of this database has the address {address!r}: choose another one"]
    return []


def set_web_password(user: Runner, password: str, email: str | None = None) -> Runner:
    """Let the account log in on the web: the password (checked by the password validators) and, for the local
    runner, the runner's own address, which becomes the login. Either all of it is saved, or nothing is and
    AccountInputError says what is wrong."""
    address = user.get_username() if email is None else normalise_email(email)
    problems: dict[str, list[str]] = {}
    if email is not None and (wrong := new_address_problems(user, address)):
        problems["email"] = wrong
    candidate = get_user_model()(username=address, email=address)  # a password close to the new address is refused
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        problems["password"] = list(error.messages)
    if problems:
        raise AccountInputError(problems)
    users = get_user_model().objects
    try:
        with transaction.atomic():
            # The login is the e-mail address, as a sign-up makes it.
            users.filter(pk=user.pk).update(username=address, email=address, password=make_password(password))
            account = users.get(pk=user.pk)
    except IntegrityError:  # another account took the address meanwhile
        raise AccountInputError(
            {"email": [f"another account of this database has the address {address!r}: choose another one"]}
        ) from None
    password_validation.password_changed(password, account)
    changed: Runner = account
    return changed


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(owner: Runner, name: str) -> tuple[ApiToken, str]:
    """A new token for the owner: the stored record and the token itself, which is not kept anywhere."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(owner=owner, name=name.strip(), token_hash=hash_token(token))
    return record, token


def find_active_token(token: str) -> ApiToken | None:
    """The token's record when it is known, not revoked and its owner may still log in; else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("owner")
        .filter(token_hash=hash_token(token), revoked_at=None, owner__is_active=True)
        .first()
    )
    if record is not None:
        mark_used(record)
    return record


def mark_used(record: ApiToken) -> None:
    now = clock.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now


def revoke_token(record: ApiToken) -> None:
    if record.revoked_at is None:
        record.revoked_at = clock.now()
        record.save(update_fields=["revoked_at"])
