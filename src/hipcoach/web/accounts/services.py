"""Signing runners in (with their anonymous screens), and issuing, finding and revoking API tokens."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from hipcoach.core import clock
from hipcoach.web.accounts.models import ApiToken
from hipcoach.web.screens.models import Screen

# The backend that checks the password; axes' backend only refuses locked-out attempts (settings.py).
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"
TOKEN_PREFIX = "hc_"
# Writing last_used_at on every call would make each API read a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def normalise_email(email: str) -> str:
    """The login: an e-mail address, trimmed and lower-cased, stored as the username."""
    return email.strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The username axes counts failures against, normalised like the login form normalises it."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return normalise_email(str(raw))


def axes_client_ip(request: HttpRequest) -> str | None:
    """The address axes counts failed logins from (settings.AXES_CLIENT_IP_CALLABLE).

    With no trusted proxy (HIPCOACH_TRUSTED_PROXY_COUNT=0, the default) it is the connection's address. Behind N
    proxies each appends the address it was reached from to X-Forwarded-For, so the client's is the N-th entry from
    the right; entries further left come from the client and are not believed. A header with fewer entries, or an
    entry that is not an IP address, leaves the connection's address.
    """
    remote: str | None = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "HIPCOACH_TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def create_runner(email: str, password: str) -> AbstractBaseUser:
    """An account that can log in at once, for an administrator or a test; the sign-up form makes an unconfirmed one
    that its e-mailed link opens (accounts.signup)."""
    address = normalise_email(email)
    user: AbstractBaseUser = get_user_model().objects.create_user(username=address, email=address, password=password)
    return user


def sign_in(request: HttpRequest, user: AbstractBaseUser) -> int:
    """Log the runner in and move the screens this browser took anonymously to the account.

    Django gives the session a new key on login, so the old key is read first; the login and the move
    happen in one transaction. Returns how many screens moved.
    """
    anonymous_key = request.session.session_key
    with transaction.atomic():
        login(request, user, backend=PASSWORD_BACKEND)
        if not anonymous_key:
            return 0
        return Screen.objects.filter(owner=None, session_key=anonymous_key).update(owner=user, session_key="")


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
