"""Runner accounts: making one, and issuing, finding and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from hipcoach.app.accounts.models import ApiToken
from hipcoach.core import clock

TOKEN_PREFIX = "hc_"
# Writing last_used_at on every call would make each API read a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def normalise_email(email: str) -> str:
    """The login: an e-mail address, trimmed and lower-cased, stored as the username."""
    return email.strip().lower()


def create_runner(email: str, password: str) -> AbstractBaseUser:
    """An account that can log in at once, for an administrator or a test; the sign-up form makes an unconfirmed one
    that its e-mailed link opens (accounts.signup)."""
    address = normalise_email(email)
    user: AbstractBaseUser = get_user_model().objects.create_user(username=address, email=address, password=password)
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(owner: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
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
