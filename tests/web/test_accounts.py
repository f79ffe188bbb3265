"""Accounts: sign up, log in and out, lockout, password reset, CSRF, and screens moving to the account."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from hipcoach.app.accounts.accounts import LOCAL_RUNNER_EMAIL, issue_token, local_runner
from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.core.screen import parse_answers

pytestmark = [pytest.mark.django_db, pytest.mark.no_safety_answers]


# These tests count the screens an account holds: alice and bob start with none, not even the safety answers.


EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())
NEW_PASSWORD = "strides-and-skips-77"
SIGN_UP_PASSWORD = "cadence-and-drills-31"


def log_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


def sign_up(client: Client, email: str, password: str = SIGN_UP_PASSWORD, again: str | None = None) -> Any:
    return client.post("/accounts/signup/", {"email": email, "password1": password, "password2": again or password})


def confirmation_link(number: int) -> str:
    """The path of the sign-up link in the e-mail sent that many e-mails ago (0: the first one)."""
    found = re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", str(mail.outbox[number].body))
    assert found is not None
    return found.group(1)


def header_email(client: Client) -> str | None:
    found = re.search(r'id="account-email"[^>]*>([^<]+)<', client.get("/drills/").content.decode())
    return found.group(1) if found else None


def errors_on(response: Any) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]+)<', response.content.decode()) + re.findall(
        r'class="problems"[^>]*><li>([^<]+)<', response.content.decode()
    )


def take_screen_anonymously(client: Client) -> int:
    response = client.post("/api/v1/screens", json.dumps(EXAMPLE), content_type="application/json")
    assert response.status_code == 201
    return int(response.json()["id"])


# ---- sign up ------------------------------------------------------------------------------------------


def test_signing_up_e_mails_a_link_that_opens_the_account_and_logs_in() -> None:
    client = Client()
    response = sign_up(client, "  Carol@Example.org ")
    assert (response.status_code, response["Location"]) == (302, "/accounts/signup/sent/")
    sent = client.get(response["Location"]).content.decode()
    assert "We sent an e-mail to <strong>carol@example.org</strong>." in sent
    carol = User.objects.get()
    assert (carol.username, carol.email, carol.is_active) == ("carol@example.org", "carol@example.org", False)
    assert header_email(client) is None
    assert log_in(Client(), "carol@example.org", SIGN_UP_PASSWORD).status_code == 200  # not before the link
    assert mail.outbox[0].to == ["carol@example.org"]
    assert mail.outbox[0].subject == "Finish signing up to hipcoach"

    link = confirmation_link(0)
    assert "Finish signing up" in client.get(link).content.decode()
    assert not User.objects.get().is_active  # opening the link alone (a mail scanner) changes nothing
    response = client.post(link)
    assert response["Location"] == "/welcome/"
    assert User.objects.get().is_active
    assert header_email(client) == "carol@example.org"
    assert client.post(link).status_code == 400  # the link works once


def test_the_link_opened_in_another_browser_asks_for_the_password_chosen_at_sign_up() -> None:
    sign_up(Client(), "carol@example.org")
    elsewhere = Client()
    link = confirmation_link(0)
    assert 'name="password"' in elsewhere.get(link).content.decode()
    wrong = elsewhere.post(link, {"password": "a-guess-at-it-123"})
    assert wrong.status_code == 400
    assert errors_on(wrong) == [
        "That is not the password chosen when signing up with this address. Type it again, or sign up again to "
        "choose a new one."
    ]
    assert elsewhere.post(link).status_code == 400
    assert not User.objects.get().is_active
    response = elsewhere.post(link, {"password": SIGN_UP_PASSWORD})
    assert response["Location"] == "/welcome/"
    assert header_email(elsewhere) == "carol@example.org"


def test_the_owner_of_a_mailbox_cannot_open_an_account_a_stranger_started_with_their_address() -> None:
    # A stranger signs up with Carol's address and a password of theirs; Carol, following the e-mail, does not know
    # it: the account stays closed, so the stranger never gets into an account Carol then fills with her data.
    sign_up(Client(), "carol@example.org", "strangers-own-secret-1")
    carol = Client()
    assert carol.post(confirmation_link(0), {"password": SIGN_UP_PASSWORD}).status_code == 400
    assert not User.objects.get().is_active
    # Signing up herself gives her own password and a new link.
    sign_up(carol, "carol@example.org")
    assert carol.post(confirmation_link(1))["Location"] == "/welcome/"
    assert log_in(Client(), "carol@example.org", "strangers-own-secret-1").status_code == 200


def test_a_later_sign_up_for_an_unconfirmed_address_takes_over_and_voids_the_first_link() -> None:
    first, second = Client(), Client()
    sign_up(first, "carol@example.org")
    sign_up(second, "carol@example.org", "second-choice-of-words-5")
    assert User.objects.count() == 1
    assert first.post(confirmation_link(0)).status_code == 400
    # The first browser holds the first link's password, not the one the account now has: it is not logged in.
    assert first.post(confirmation_link(1)).status_code == 400
    assert header_email(first) is None
    assert first.post(confirmation_link(1), {"password": "second-choice-of-words-5"}).status_code == 302
    assert header_email(first) == "carol@example.org"


def test_a_wrong_or_old_link_says_so_and_opens_nothing() -> None:
    sign_up(Client(), "carol@example.org")
    link = confirmation_link(0)
    assert Client().get(link[:-3] + "abc/").status_code == 400
    assert Client().get("/accounts/signup/confirm/xx/bad-token/").status_code == 400
    assert "This link no longer works" in Client().post(link[:-3] + "abc/").content.decode()
    assert not User.objects.get().is_active


def test_a_password_is_stored_with_argon2(alice: User) -> None:
    assert alice.password.startswith("argon2")
    sign_up(Client(), "carol@example.org")
    assert User.objects.get(username="carol@example.org").password.startswith("argon2$argon2id$")


def comparable(response: Any, client: Client) -> dict[str, Any]:
    """Everything a stranger can see of a sign-up's answer and of the page it leads to, minus what differs on every
    request anyway (the CSRF token, the e-mail typed)."""
    page = client.get(response["Location"])
    return {
        "status": response.status_code,
        "location": response["Location"],
        "headers": sorted(response.headers),
        "cookies": sorted(response.cookies),
        "page": re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+|[a-z]+@example\.org", "", page.content.decode()),
        "page status": page.status_code,
    }


def test_signing_up_with_an_address_that_has_an_account_answers_as_for_a_new_one(alice: User, password: str) -> None:
    stranger, newcomer = Client(), Client()
    known = sign_up(stranger, "ALICE@example.org")
    unknown = sign_up(newcomer, "carol@example.org")
    assert comparable(known, stranger) == comparable(unknown, newcomer)
    assert "An account with this e-mail already exists" not in str(comparable(known, stranger))
    # Alice is told, and nothing about her account changed: the stranger's password does not open it.
    to_alice = mail.outbox[0]
    assert to_alice.to == ["alice@example.org"]
    assert to_alice.subject == "Someone tried to sign up to hipcoach with your address"
    assert "If it was you, log in" in to_alice.body
    assert "http://testserver/accounts/login/" in to_alice.body
    assert "http://testserver/accounts/password-reset/" in to_alice.body
    assert "/accounts/signup/confirm/" not in to_alice.body
    assert log_in(Client(), "alice@example.org", SIGN_UP_PASSWORD).status_code == 200
    assert log_in(Client(), "alice@example.org", password).status_code == 302
    assert User.objects.filter(username="alice@example.org").count() == 1


def test_a_mail_server_that_fails_changes_nothing_in_the_answer(
    alice: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("hipcoach.web.accounts.signup.send_mail", refused)
    stranger, newcomer = Client(), Client()
    known = sign_up(stranger, "alice@example.org")
    unknown = sign_up(newcomer, "carol@example.org")
    assert comparable(known, stranger) == comparable(unknown, newcomer)
    assert [record.getMessage() for record in caplog.records if record.name == "hipcoach.web.accounts.signup"] == [
        "The sign-up e-mail to alice@example.org could not be sent.",
        "The sign-up e-mail to carol@example.org could not be sent.",
    ]


def test_the_owner_is_told_of_every_try_and_nobody_is_logged_in(alice: User) -> None:
    stranger = Client()
    sign_up(stranger, "alice@example.org")
    sign_up(stranger, "Alice@Example.org")
    assert [message.to for message in mail.outbox] == [["alice@example.org"], ["alice@example.org"]]
    assert header_email(stranger) is None


@pytest.mark.parametrize(
    ("weak", "again", "message"),
    [
        ("short-1", None, "This password is too short. It must contain at least 10 characters."),
        ("password123", None, "This password is too common."),
        ("8675309123456", None, "This password is entirely numeric."),
        (SIGN_UP_PASSWORD, "something-else-9", "The two passwords differ. Type the same password twice."),
    ],
)
def test_a_weak_or_mistyped_password_is_refused(weak: str, again: str | None, message: str) -> None:
    response = sign_up(Client(), "carol@example.org", weak, again)
    assert response.status_code == 400
    assert message in errors_on(response)
    assert not User.objects.exists()


def test_a_password_like_the_e_mail_is_refused() -> None:
    response = sign_up(Client(), "marathonrunner@example.org", "marathonrunner")
    assert "The password is too similar to the username." in errors_on(response)


def test_sign_up_goes_back_where_the_runner_was_but_never_off_site() -> None:
    both = {"password1": SIGN_UP_PASSWORD, "password2": SIGN_UP_PASSWORD}
    client = Client()
    client.post("/accounts/signup/", {"email": "carol@example.org", **both, "next": "/screens/"})
    assert client.post(confirmation_link(0))["Location"] == "/screens/"
    client = Client()
    client.post("/accounts/signup/", {"email": "dan@example.org", **both, "next": "https://evil.example/"})
    assert client.post(confirmation_link(1))["Location"] == "/welcome/"  # a new runner's first steps


@pytest.mark.parametrize("made", [True, False])
@pytest.mark.parametrize("email", [LOCAL_RUNNER_EMAIL, "Runner@Local.Invalid", "someone@example.invalid"])
def test_no_one_signs_up_with_the_terminals_reserved_address(made: bool, email: str) -> None:
    if made:
        local_runner()  # the account a terminal makes for its runner when the database has none
    response = sign_up(Client(), email)
    assert response.status_code == 400
    assert errors_on(response) == ["No mail reaches an address ending in .invalid: sign up with your own address."]
    assert mail.outbox == []
    assert [user.username for user in User.objects.all()] == ([LOCAL_RUNNER_EMAIL] if made else [])
    assert not User.objects.filter(is_active=True).exclude(password__startswith="!").exists()


# ---- log in and out -------------------------------------------------------------------------------------


def test_logging_in_with_the_e_mail_in_any_case(alice: User, password: str) -> None:
    client = Client()
    assert header_email(client) is None
    response = log_in(client, "Alice@Example.org", password)
    assert response.status_code == 302
    assert header_email(client) == "alice@example.org"


def test_a_wrong_password_says_so_and_logs_nobody_in(alice: User) -> None:
    client = Client()
    response = log_in(client, "alice@example.org", "not-the-password")
    assert response.status_code == 200
    assert errors_on(response) == ["That e-mail and password do not match an account. Check both and try again."]
    assert header_email(client) is None


def test_logging_in_goes_to_next_only_on_this_site(alice: User, password: str) -> None:
    response = Client().post(
        "/accounts/login/?next=/settings/tokens/", {"username": "alice@example.org", "password": password}
    )
    assert response["Location"] == "/settings/tokens/"
    response = Client().post(
        "/accounts/login/?next=https://evil.example/", {"username": "alice@example.org", "password": password}
    )
    assert response["Location"] == "/"


def test_logging_out_takes_a_post_and_ends_the_session(alice_client: Client) -> None:
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert header_email(alice_client) == "alice@example.org"
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert header_email(alice_client) is None
    assert alice_client.get("/settings/tokens/").status_code == 302


def test_the_header_offers_log_in_and_sign_up_to_a_visitor() -> None:
    page = Client().get("/drills/").content.decode()
    assert 'href="/accounts/login/"' in page
    assert 'href="/accounts/signup/"' in page
    assert 'id="logout"' not in page


def test_the_header_offers_settings_and_a_log_out_form_to_a_runner(alice_client: Client) -> None:
    page = alice_client.get("/drills/").content.decode()
    assert 'href="/settings/" id="settings-link">Settings</a>' in page  # the API tokens are linked from there
    form = re.search(r'<form method="post" action="/accounts/logout/".*?</form>', page, re.S)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(0)


# ---- lockout (django-axes) ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_login_for_an_hour(alice: User, password: str) -> None:
    client = Client()
    for _ in range(4):
        assert log_in(client, "alice@example.org", "wrong-password").status_code == 200
    fifth = log_in(client, "ALICE@example.org", "wrong-password")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Too many failed logins" in page
    assert "after 5 wrong passwords, for 1 hour" in page
    assert 'href="/accounts/password-reset/"' in page
    # Even the right password is refused now.
    right = log_in(client, "alice@example.org", password)
    assert right.status_code == 429
    assert header_email(client) is None


def test_the_lockout_is_for_that_e_mail_from_that_address_only(alice: User, bob: User, password: str) -> None:
    for _ in range(5):
        log_in(Client(), "alice@example.org", "wrong-password", REMOTE_ADDR="203.0.113.9")
    assert log_in(Client(), "alice@example.org", password, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert log_in(Client(), "alice@example.org", password, REMOTE_ADDR="198.51.100.4").status_code == 302
    assert log_in(Client(), "bob@example.org", password, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_a_successful_login_clears_earlier_failures(alice: User, password: str) -> None:
    for _ in range(4):
        log_in(Client(), "alice@example.org", "wrong-password")
    assert log_in(Client(), "alice@example.org", password).status_code == 302
    for _ in range(4):
        log_in(Client(), "alice@example.org", "wrong-password")
    assert log_in(Client(), "alice@example.org", password).status_code == 302


# ---- password reset ---------------------------------------------------------------------------------------


def reset_link() -> str:
    assert len(mail.outbox) == 1
    found = re.search(r"http://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    return found.group(1)


def test_a_password_reset_e_mails_a_link_that_sets_a_new_password(alice: User, password: str) -> None:
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "Alice@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox[0].to == ["alice@example.org"]
    assert mail.outbox[0].subject == "Set a new hipcoach password"
    form_page = client.get(reset_link(), follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password-reset/done/"
    assert log_in(Client(), "alice@example.org", password).status_code == 200
    assert log_in(Client(), "alice@example.org", NEW_PASSWORD).status_code == 302
    # The link worked once.
    again = Client().get(reset_link(), follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing() -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_new_password_ends_a_lockout(alice: User) -> None:
    for _ in range(5):
        log_in(Client(), "alice@example.org", "wrong-password")
    client = Client()
    client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    form_url = client.get(reset_link(), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(Client(), "alice@example.org", NEW_PASSWORD).status_code == 302


# ---- CSRF -------------------------------------------------------------------------------------------------


def csrf_token_of(client: Client, url: str) -> str:
    client.get(url)
    return str(client.cookies["csrftoken"].value)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"username": "alice@example.org", "password": "{password}"}),
        ("/accounts/signup/", {"email": "carol@example.org", "password1": "{password}", "password2": "{password}"}),
        ("/accounts/password-reset/", {"email": "alice@example.org"}),
    ],
)
def test_account_forms_refuse_a_post_without_the_csrf_token(
    alice: User, password: str, url: str, data: dict[str, str]
) -> None:
    data = {name: value.format(password=password) for name, value in data.items()}
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, data).status_code == 403
    token = csrf_token_of(client, url)
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302


def test_log_out_and_token_forms_refuse_a_post_without_the_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    record, _ = issue_token(alice, "laptop")
    assert client.post("/settings/tokens/", {"name": "script"}).status_code == 403
    assert client.post(f"/settings/tokens/{record.pk}/revoke/").status_code == 403
    assert client.post("/accounts/logout/").status_code == 403
    assert ApiToken.objects.filter(owner=alice, revoked_at=None).count() == 1
    assert header_email(client) == "alice@example.org"


def test_a_logged_in_browser_must_send_the_csrf_token_to_write_through_the_api(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    body = json.dumps(EXAMPLE)
    refused = client.post("/api/v1/screens", body, content_type="application/json")
    assert refused.status_code == 403
    assert not Screen.objects.exists()
    token = csrf_token_of(client, "/drills/")
    accepted = client.post("/api/v1/screens", body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201
    assert Screen.objects.get().owner == alice


# ---- anonymous screens move to the account ---------------------------------------------------------------


def test_signing_up_claims_the_screens_this_browser_took() -> None:
    client = Client()
    screen_id = take_screen_anonymously(client)
    someone_else = take_screen_anonymously(Client())
    sign_up(client, "carol@example.org")
    client.post(confirmation_link(0))
    carol = User.objects.get(username="carol@example.org")
    assert list(Screen.objects.filter(owner=carol).values_list("id", flat=True)) == [screen_id]
    assert Screen.objects.get(pk=someone_else).owner is None
    assert [s["id"] for s in client.get("/api/v1/screens").json()] == [screen_id]
    assert client.get(f"/screens/{screen_id}/").status_code == 200


def test_logging_in_claims_the_screens_this_browser_took(alice: User, password: str) -> None:
    record_screen(parse_answers(EXAMPLE), ScreenOwner(user=alice))
    client = Client()
    screen_id = take_screen_anonymously(client)
    log_in(client, "alice@example.org", password)
    assert Screen.objects.filter(owner=alice).count() == 2
    claimed = Screen.objects.get(pk=screen_id)
    assert (claimed.owner, claimed.session_key) == (alice, "")
    assert len(client.get("/api/v1/screens").json()) == 2
    # Logged out, the browser is a new anonymous runner: the screens stay with the account.
    client.post("/accounts/logout/")
    assert client.get("/api/v1/screens").json() == []
    assert client.get(f"/screens/{screen_id}/").status_code == 404


def test_a_failed_login_claims_nothing(alice: User) -> None:
    client = Client()
    screen_id = take_screen_anonymously(client)
    log_in(client, "alice@example.org", "wrong-password")
    assert Screen.objects.get(pk=screen_id).owner is None
