"""API tokens, and who may see what: the owner / other runner / anonymous matrix for every page and endpoint."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.core.screen import parse_answers

pytestmark = [pytest.mark.django_db, pytest.mark.no_safety_answers]


# These tests count the screens an account holds: alice and bob start with none, not even the safety answers.


EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def screen_of(user: User, age: int = 34) -> Screen:
    screen, _ = record_screen(parse_answers({**EXAMPLE, "age": age}), ScreenOwner(user=user))
    return screen


@pytest.fixture
def alice_token(alice: User) -> str:
    _, token = issue_token(alice, "laptop CLI")
    return token


# ---- creating and revoking tokens ------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(alice_client: Client, alice: User) -> None:
    response = alice_client.post("/settings/tokens/", {"name": "treadmill script"})
    assert response.status_code == 200
    shown = re.search(r'id="new-token"[^>]*>([^<]+)<', response.content.decode())
    assert shown is not None
    token = shown.group(1)
    record = ApiToken.objects.get(owner=alice)
    assert record.name == "treadmill script"
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(token in value for value in stored)
    assert response["Cache-Control"].startswith("max-age=0")
    later = alice_client.get("/settings/tokens/").content.decode()
    assert token not in later
    assert "treadmill script" in later
    assert "never used" in later


def test_a_token_needs_a_name(alice_client: Client) -> None:
    response = alice_client.post("/settings/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_runner_revokes_their_token(alice_client: Client, alice_token: str) -> None:
    record = ApiToken.objects.get()
    response = alice_client.post(f"/settings/tokens/{record.pk}/revoke/")
    assert response["Location"] == "/settings/tokens/"
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert "revoked" in alice_client.get("/settings/tokens/").content.decode()
    assert Client().get("/api/v1/screens", headers=bearer(alice_token)).status_code == 401


# ---- calling the API with a token -------------------------------------------------------------------------


def test_a_bearer_token_lists_its_owners_screens(alice: User, alice_token: str) -> None:
    screen = screen_of(alice)
    response = Client().get("/api/v1/screens", headers=bearer(alice_token))
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [screen.pk]
    assert "sessionid" not in response.cookies
    assert ApiToken.objects.get().last_used_at is not None


def test_a_screen_posted_with_a_token_belongs_to_the_account(alice: User, alice_token: str) -> None:
    response = Client().post(
        "/api/v1/screens", json.dumps(EXAMPLE), content_type="application/json", headers=bearer(alice_token)
    )
    assert response.status_code == 201
    saved = Screen.objects.get()
    assert (saved.owner, saved.session_key) == (alice, "")


def test_the_account_endpoint_names_the_token_owner(alice_token: str) -> None:
    response = Client().get("/api/v1/account", headers=bearer(alice_token))
    assert response.json() == {"email": "alice@example.org"}


@pytest.mark.parametrize("path", ["/api/v1/screens", "/api/v1/account", "/api/v1/drills"])
def test_a_wrong_token_gets_401_everywhere_in_the_api(alice_token: str, path: str) -> None:
    for token in ("hc_not-a-real-token", alice_token[:-1], "something-else", ""):
        response = Client().get(path, headers=bearer(token))
        assert response.status_code == 401, token
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_revoked_token_gets_401(alice: User, alice_token: str) -> None:
    screen_of(alice)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    for path in ("/api/v1/screens", "/api/v1/account"):
        response = Client().get(path, headers=bearer(alice_token))
        assert response.status_code == 401
        assert "wrong or was revoked" in response.json()["detail"]


def test_a_deactivated_runners_token_gets_401(alice: User, alice_token: str) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert Client().get("/api/v1/screens", headers=bearer(alice_token)).status_code == 401


def test_bobs_token_never_sees_alices_screens(alice: User, bob: User, alice_token: str) -> None:
    alices = screen_of(alice, age=34)
    bobs = screen_of(bob, age=50)
    _, bob_token = issue_token(bob, "bob's script")
    assert [s["id"] for s in Client().get("/api/v1/screens", headers=bearer(bob_token)).json()] == [bobs.pk]
    assert [s["id"] for s in Client().get("/api/v1/screens", headers=bearer(alice_token)).json()] == [alices.pk]


def test_the_token_wins_over_another_runners_session(alice: User, bob_client: Client, alice_token: str) -> None:
    screen = screen_of(alice)
    listed = bob_client.get("/api/v1/screens", headers=bearer(alice_token)).json()
    assert [s["id"] for s in listed] == [screen.pk]


def test_pages_do_not_accept_a_token(alice: User, alice_token: str) -> None:
    screen = screen_of(alice)
    assert Client().get(f"/screens/{screen.pk}/", headers=bearer(alice_token)).status_code == 404
    assert Client().get("/settings/tokens/", headers=bearer(alice_token)).status_code == 302


def test_a_runner_without_an_account_still_uses_the_screens_api() -> None:
    client = Client()
    created = client.post("/api/v1/screens", json.dumps(EXAMPLE), content_type="application/json")
    assert created.status_code == 201
    assert [s["id"] for s in client.get("/api/v1/screens").json()] == [created.json()["id"]]
    assert Client().get("/api/v1/account").status_code == 401


def test_the_openapi_description_names_both_ways_to_sign_in() -> None:
    spec = Client().get("/api/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerToken"].items()
    assert schemes["BrowserSession"]["in"] == "cookie"


# ---- the permission matrix: owner, other runner, anonymous ---------------------------------------------------

WHO = ("owner", "other runner", "anonymous")


@pytest.fixture
def clients(alice_client: Client, bob_client: Client) -> dict[str, Client]:
    return {"owner": alice_client, "other runner": bob_client, "anonymous": Client()}


@pytest.fixture
def alices_screen(alice: User) -> Screen:
    return screen_of(alice)


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("other runner", 404), ("anonymous", 404)])
def test_matrix_a_screen_result_page(clients: dict[str, Client], alices_screen: Screen, who: str, status: int) -> None:
    assert clients[who].get(f"/screens/{alices_screen.pk}/").status_code == status


@pytest.mark.parametrize(("who", "listed"), [("owner", True), ("other runner", False), ("anonymous", False)])
def test_matrix_the_screens_page(clients: dict[str, Client], alices_screen: Screen, who: str, listed: bool) -> None:
    response = clients[who].get("/screens/")
    assert response.status_code == 200
    assert (f'href="/screens/{alices_screen.pk}/"' in response.content.decode()) is listed


@pytest.mark.parametrize(("who", "listed"), [("owner", True), ("other runner", False), ("anonymous", False)])
def test_matrix_the_screens_api(clients: dict[str, Client], alices_screen: Screen, who: str, listed: bool) -> None:
    response = clients[who].get("/api/v1/screens")
    assert response.status_code == 200
    assert ([s["id"] for s in response.json()] == [alices_screen.pk]) is listed


@pytest.mark.parametrize("who", WHO)
def test_matrix_the_tokens_page(clients: dict[str, Client], alice_token: str, who: str) -> None:
    response = clients[who].get("/settings/tokens/")
    if who == "anonymous":
        assert response["Location"] == "/accounts/login/?next=/settings/tokens/"
        return
    assert response.status_code == 200
    record = ApiToken.objects.get()
    assert (f'data-token-id="{record.pk}"' in response.content.decode()) is (who == "owner")


@pytest.mark.parametrize(
    ("who", "status", "revoked"), [("owner", 302, True), ("other runner", 404, False), ("anonymous", 302, False)]
)
def test_matrix_revoking_a_token(
    clients: dict[str, Client], alice_token: str, who: str, status: int, revoked: bool
) -> None:
    record = ApiToken.objects.get()
    response = clients[who].post(f"/settings/tokens/{record.pk}/revoke/")
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    record.refresh_from_db()
    assert (record.revoked_at is not None) is revoked


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("other runner", 200), ("anonymous", 401)])
def test_matrix_the_account_api(clients: dict[str, Client], who: str, status: int) -> None:
    response = clients[who].get("/api/v1/account")
    assert response.status_code == status
    if who != "anonymous":
        expected = "alice@example.org" if who == "owner" else "bob@example.org"
        assert response.json() == {"email": expected}
