"""Sign-up and password reset are rate-limited per client address (a reset per e-mail too): past the limit a 429
page says why and when to come back, with a Retry-After header, and nothing is done."""

from __future__ import annotations

import re
import threading
from typing import Any

import django_ratelimit.core
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test import Client
from django.test.utils import override_settings
from django_ratelimit.checks import check_caches

from hipcoach.app.accounts.models import RateLimitEntry
from hipcoach.settings import env_rate

pytestmark = pytest.mark.django_db

PASSWORD = "cadence-and-drills-31"
PROXY = "10.0.0.2"
HOUR = 3600


class Clock:
    """django-ratelimit's clock, held still so that no test straddles the end of a window by chance."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # Counts live in the database: each test starts with none, whatever the tests before it counted.
    assert not RateLimitEntry.objects.exists()
    held = Clock()
    monkeypatch.setattr(django_ratelimit.core, "time", held)
    return held


def sign_up(email: str, **extra: Any) -> Any:
    return Client().post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, **extra)


def reset(email: str, **extra: Any) -> Any:
    return Client().post("/accounts/password-reset/", {"email": email}, **extra)


def alert(response: Any) -> str:
    found = re.search(r'id="rate-limited"[^>]*>(.*?)</p>', response.content.decode(), re.DOTALL)
    assert found is not None
    return " ".join(found.group(1).split())


def retry_after(response: Any) -> int:
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= HOUR + 1
    return seconds


def five_sign_ups(prefix: str = "runner", **extra: Any) -> None:
    for number in range(1, 6):
        assert sign_up(f"{prefix}{number}@example.org", **extra).status_code == 302


# ---- sign-up ----------------------------------------------------------------------------------------------


def test_the_sixth_sign_up_from_one_address_in_an_hour_is_refused() -> None:
    five_sign_ups()
    response = sign_up("runner6@example.org")
    assert response.status_code == 429
    assert alert(response).startswith("Too many sign-ups from your network in the last hour; try again later, in ")
    assert "No account was created." in alert(response)
    retry_after(response)
    assert "no-store" in response["Cache-Control"]
    assert not User.objects.filter(username="runner6@example.org").exists()
    assert User.objects.count() == 5
    # The form itself still opens: only sending it is limited.
    assert Client().get("/accounts/signup/").status_code == 200


def test_another_address_is_not_affected() -> None:
    five_sign_ups()
    assert sign_up("runner6@example.org").status_code == 429
    assert sign_up("runner6@example.org", REMOTE_ADDR="198.51.100.4").status_code == 302
    assert User.objects.filter(username="runner6@example.org").exists()


def test_every_sign_up_sent_counts_not_only_those_accepted() -> None:
    # Refused forms count too: otherwise the form could be used to test e-mail addresses without end.
    for _ in range(5):
        response = Client().post(
            "/accounts/signup/", {"email": "carol@example.org", "password1": PASSWORD, "password2": "not-the-same"}
        )
        assert response.status_code == 400
    assert sign_up("carol@example.org").status_code == 429
    assert not User.objects.exists()


def test_sign_ups_for_an_address_with_an_account_count_and_past_the_limit_e_mail_nobody(alice: User) -> None:
    # Each try e-mails the owner, so the limit also bounds how often a stranger can make that mailbox ring.
    for _ in range(5):
        assert sign_up("alice@example.org").status_code == 302
    assert len(mail.outbox) == 5
    assert sign_up("alice@example.org").status_code == 429
    assert sign_up("newcomer@example.org").status_code == 429
    assert len(mail.outbox) == 5
    assert not User.objects.filter(username="newcomer@example.org").exists()


def test_behind_a_trusted_proxy_the_client_address_counts(settings: Any) -> None:
    settings.HIPCOACH_TRUSTED_PROXY_COUNT = 1
    five_sign_ups(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert sign_up("late@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Claiming another address in front of the proxy's entry changes nothing.
    spoofed = sign_up("late@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.4, 203.0.113.9")
    assert spoofed.status_code == 429
    # Another client behind the same proxy signs up.
    assert sign_up("other@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302


def test_without_trusted_proxies_everyone_behind_the_proxy_shares_its_address(settings: Any) -> None:
    settings.HIPCOACH_TRUSTED_PROXY_COUNT = 0
    five_sign_ups(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert sign_up("other@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 429


def test_an_ipv6_client_is_counted_by_its_64_block() -> None:
    for number in range(1, 6):
        assert sign_up(f"runner{number}@example.org", REMOTE_ADDR=f"2001:db8::{number}").status_code == 302
    assert sign_up("runner6@example.org", REMOTE_ADDR="2001:db8::ffff:1").status_code == 429
    assert sign_up("runner6@example.org", REMOTE_ADDR="2001:db8:0:1::1").status_code == 302


def test_the_limit_ends_when_retry_after_says(clock: Clock) -> None:
    five_sign_ups()
    wait = retry_after(sign_up("runner6@example.org"))
    clock.advance(wait - 1)
    assert retry_after(sign_up("runner6@example.org")) == 1
    clock.advance(1)
    assert sign_up("runner6@example.org").status_code == 302
    assert User.objects.count() == 6


def test_the_rate_comes_from_the_settings(settings: Any) -> None:
    settings.HIPCOACH_SIGNUP_RATE = "2/15m"
    assert sign_up("runner1@example.org").status_code == 302
    assert sign_up("runner2@example.org").status_code == 302
    response = sign_up("runner3@example.org")
    assert response.status_code == 429
    assert "in the last 15 minutes; try again later, in " in alert(response)
    assert retry_after(response) <= 15 * 60 + 1


# ---- password reset ---------------------------------------------------------------------------------------


def test_the_sixth_password_reset_from_one_address_in_an_hour_is_refused(alice: User) -> None:
    for number in range(1, 6):
        assert reset(f"nobody{number}@example.org").status_code == 302
    response = reset("alice@example.org")
    assert response.status_code == 429
    assert alert(response).startswith("Too many password resets from your network in the last hour; try again later")
    retry_after(response)
    assert mail.outbox == []
    # From another address the reset goes out.
    assert reset("alice@example.org", REMOTE_ADDR="198.51.100.4").status_code == 302
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_one_mailbox_gets_at_most_five_resets_an_hour_from_anywhere(alice: User, bob: User) -> None:
    for number in range(1, 6):
        email = "alice@example.org" if number % 2 else "ALICE@Example.org"  # any case is the same mailbox
        assert reset(email, REMOTE_ADDR=f"198.51.100.{number}").status_code == 302
    assert len(mail.outbox) == 5
    response = reset("alice@example.org", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert alert(response).startswith("Too many password resets for this e-mail address in the last hour")
    retry_after(response)
    assert len(mail.outbox) == 5
    # Another mailbox, from that same address, is not affected.
    assert reset("bob@example.org", REMOTE_ADDR="203.0.113.9").status_code == 302
    assert mail.outbox[-1].to == ["bob@example.org"]


def test_a_reset_for_an_unknown_address_counts_like_any_other() -> None:
    # The limit per e-mail says nothing about whether an account uses the address.
    for number in range(1, 6):
        assert reset("nobody@example.org", REMOTE_ADDR=f"198.51.100.{number}").status_code == 302
    assert reset("nobody@example.org", REMOTE_ADDR="203.0.113.9").status_code == 429


def test_the_reset_limits_end_with_their_window(alice: User, clock: Clock) -> None:
    for number in range(1, 6):
        reset("alice@example.org", REMOTE_ADDR=f"198.51.100.{number}")
    wait = retry_after(reset("alice@example.org"))
    clock.advance(wait)
    assert reset("alice@example.org").status_code == 302
    assert len(mail.outbox) == 6


# ---- configuration ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "rate"), [(None, "5/h"), ("", "5/h"), (" 10/15m ", "10/15m"), ("100/d", "100/d")])
def test_a_rate_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None, rate: str) -> None:
    if value is None:
        monkeypatch.delenv("HIPCOACH_SIGNUP_RATE", raising=False)
    else:
        monkeypatch.setenv("HIPCOACH_SIGNUP_RATE", value)
    assert env_rate("HIPCOACH_SIGNUP_RATE", "5/h") == rate


@pytest.mark.parametrize("value", ["5", "5 per hour", "5/hour", "0/h", "5/0h", "5/w", "-5/h", "h"])
def test_a_rate_that_is_not_one_stops_the_start(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HIPCOACH_SIGNUP_RATE", value)
    with pytest.raises(ImproperlyConfigured, match="HIPCOACH_SIGNUP_RATE must be a number of requests per period"):
        env_rate("HIPCOACH_SIGNUP_RATE", "5/h")


def test_the_counts_are_kept_in_the_database_every_process_shares(settings: Any) -> None:
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert settings.CACHES["ratelimit"]["LOCATION"] == RateLimitEntry._meta.db_table
    sign_up("runner1@example.org")
    assert RateLimitEntry.objects.count() == 1


def test_django_ratelimit_checks_the_cache_it_counts_in(settings: Any) -> None:
    # Only "not officially supported" (W001, silenced in the settings): the increment is atomic, see below.
    assert settings.SILENCED_SYSTEM_CHECKS == ["django_ratelimit.W001"]
    assert [message.id for message in check_caches(None)] == ["django_ratelimit.W001"]
    per_process = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": per_process, "ratelimit": per_process}):
        assert "django_ratelimit.E003" in [message.id for message in check_caches(None)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_are_not_lost() -> None:
    if connection.vendor == "sqlite":
        # Django's in-memory SQLite test database makes a second writer fail instead of wait; the file database
        # the server uses takes the write lock at BEGIN IMMEDIATE (settings.py), which serialises the increments.
        pytest.skip("needs a database server: run with DATABASE_URL=postgres://...")
    caches["ratelimit"].add("count", 0, 60)
    errors: list[BaseException] = []

    def count_up() -> None:
        try:
            for _ in range(25):
                caches["ratelimit"].incr("count")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert caches["ratelimit"].get("count") == 200
