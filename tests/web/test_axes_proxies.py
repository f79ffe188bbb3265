"""Behind reverse proxies (HIPCOACH_TRUSTED_PROXY_COUNT), the login lockout counts the client's address."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from hipcoach.settings import trusted_proxy_count
from hipcoach.web.accounts.login import axes_client_ip

PROXY = "10.0.0.2"


@pytest.mark.parametrize(("value", "count"), [(None, 0), ("", 0), (" ", 0), ("0", 0), ("1", 1), (" 2 ", 2)])
def test_the_count_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None, count: int) -> None:
    if value is None:
        monkeypatch.delenv("HIPCOACH_TRUSTED_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("HIPCOACH_TRUSTED_PROXY_COUNT", value)
    assert trusted_proxy_count() == count


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "true"])
def test_a_count_that_is_no_whole_number_stops_the_start(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HIPCOACH_TRUSTED_PROXY_COUNT", value)
    with pytest.raises(ImproperlyConfigured, match="HIPCOACH_TRUSTED_PROXY_COUNT must be a whole number"):
        trusted_proxy_count()


def address(settings: Any, count: int, forwarded_for: str | None, remote: str = PROXY) -> str | None:
    settings.HIPCOACH_TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return axes_client_ip(RequestFactory().post("/accounts/login/", **extra))


def test_with_no_trusted_proxy_the_connection_decides(settings: Any) -> None:
    assert settings.AXES_CLIENT_IP_CALLABLE == "hipcoach.web.accounts.login.axes_client_ip"
    assert address(settings, 0, None) == PROXY
    assert address(settings, 0, "203.0.113.9") == PROXY  # anyone can send the header: not believed


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.4, 203.0.113.9", "203.0.113.9"),  # the left entry is the client's own claim
        (2, "198.51.100.4, 203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two proxies: the second from the right
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.9", PROXY),  # fewer entries than proxies: it did not come through them all
        (1, None, PROXY),
        (1, "unknown", PROXY),
        (1, "203.0.113.9:4711", PROXY),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted(
    settings: Any, count: int, forwarded_for: str | None, expected: str
) -> None:
    assert address(settings, count, forwarded_for) == expected


def log_in(email: str, password: str, forwarded_for: str) -> int:
    answer = Client().post(
        "/accounts/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return int(answer.status_code)


def test_a_lockout_behind_a_proxy_pauses_that_client_only(alice: User, password: str, settings: Any) -> None:
    settings.HIPCOACH_TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        log_in("alice@example.org", "wrong-password", "203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert log_in("alice@example.org", password, "203.0.113.9") == 429
    # Claiming another address in front of the proxy's entry changes nothing.
    assert log_in("alice@example.org", password, "198.51.100.4, 203.0.113.9") == 429
    # The same login from another client behind the same proxy still works.
    assert log_in("alice@example.org", password, "198.51.100.4") == 302


def test_without_the_setting_everyone_behind_the_proxy_shares_its_address(
    alice: User, password: str, settings: Any
) -> None:
    settings.HIPCOACH_TRUSTED_PROXY_COUNT = 0
    for _ in range(5):
        log_in("alice@example.org", "wrong-password", "203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
    assert log_in("alice@example.org", password, "198.51.100.4") == 429
