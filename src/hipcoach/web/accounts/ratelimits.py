"""Rate limits on sign-up, password reset and appointment requests: per client address, and per e-mail for a reset.

django-ratelimit counts the requests in the "ratelimit" cache (settings.RATELIMIT_USE_CACHE), a table in the
database, so every server process shares the counts. The client address is the one the login lockout counts
(accounts.login.axes_client_ip, which believes X-Forwarded-For only from the trusted proxies).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from hipcoach.app.accounts.accounts import normalise_email
from hipcoach.web.accounts.login import axes_client_ip

logger = logging.getLogger(__name__)

# A rate as the settings give it: how many requests per period, like "5/h" or "10/15m".
RATE = re.compile(r"(?P<count>[1-9]\d*)/(?P<multiple>[1-9]\d*)?(?P<unit>[smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 24 * 3600}
# One subscriber usually holds a whole IPv6 /64; counting its addresses one by one would let it go round the limit.
IPV6_PREFIX = 64

SIGNUP = "accounts.signup"
RESET_FROM_NETWORK = "accounts.password-reset"
RESET_FOR_EMAIL = "accounts.password-reset-email"
APPOINTMENT_REQUEST = "clinic.appointment-request"


def period_seconds(rate: str) -> int:
    """The period of a rate such as "5/h" (3600) or "10/15m" (900)."""
    found = RATE.fullmatch(rate)
    if found is None:
        raise ValueError(f"not a rate: {rate!r}")
    return int(found["multiple"] or 1) * UNIT_SECONDS[found["unit"]]


def client_network(group: str, request: HttpRequest) -> str:
    """Whom a limit per address counts: the client's address as the lockout sees it; for IPv6, its /64."""
    address = axes_client_ip(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return str(ip)


def target_email(group: str, request: HttpRequest) -> str:
    """Whom a limit per e-mail counts: the address typed, normalised as the login is (any case is one mailbox)."""
    return normalise_email(str(request.POST.get("email", "")))


@dataclass(frozen=True)
class Refusal:
    """A request over a limit: which limit ("signup", "reset-network", "reset-email", "appointment"), its period
    and how many seconds until its count starts again (the Retry-After)."""

    limit: str
    period: int
    retry_after: int


def count_request(
    request: HttpRequest, limit: str, group: str, rate: str, key: Callable[[str, HttpRequest], str]
) -> Refusal | None:
    """Count this request in the group; a refusal when that makes it one too many for the rate."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    period = period_seconds(rate)
    if usage["time_left"] < 0:  # the cache failed: django-ratelimit refuses rather than let everything through
        logger.error("The rate-limit cache could not count a request for %s; it is refused.", group)
        return Refusal(limit, period, period)
    # The window's last second still counts in it (django_ratelimit.core._get_window): the next one is free.
    return Refusal(limit, period, max(1, int(usage["time_left"]) + 1))


def signup_refusal(request: HttpRequest) -> Refusal | None:
    """Count a sign-up (every POST, accepted or not) from the client's address against HIPCOACH_SIGNUP_RATE."""
    return count_request(request, "signup", SIGNUP, settings.HIPCOACH_SIGNUP_RATE, client_network)


def password_reset_refusal(request: HttpRequest) -> Refusal | None:
    """Count a password reset from the client's address, then, if that is allowed, for the e-mail typed."""
    refusal = count_request(
        request, "reset-network", RESET_FROM_NETWORK, settings.HIPCOACH_PASSWORD_RESET_RATE, client_network
    )
    if refusal is not None or not target_email(RESET_FOR_EMAIL, request):
        return refusal
    rate = settings.HIPCOACH_PASSWORD_RESET_EMAIL_RATE
    return count_request(request, "reset-email", RESET_FOR_EMAIL, rate, target_email)


def appointment_request_refusal(request: HttpRequest) -> Refusal | None:
    """Count a new appointment request (from a page or the API) from the client's address against
    HIPCOACH_APPOINTMENT_REQUEST_RATE: each one e-mails the clinic."""
    rate = settings.HIPCOACH_APPOINTMENT_REQUEST_RATE
    return count_request(request, "appointment", APPOINTMENT_REQUEST, rate, client_network)
