"""Logging a runner in over the web: the address axes counts, and the move of a browser's anonymous screens."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest

from hipcoach.app.accounts.accounts import Runner, normalise_email
from hipcoach.app.screens.models import Screen

# The backend that checks the password; axes' backend only refuses locked-out attempts (settings.py).
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


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


def sign_in(request: HttpRequest, user: Runner) -> int:
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
