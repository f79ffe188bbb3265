"""The same minutes get the same answer through every door: the page, the player, the API's one-off and compose,
`hipcoach routine`, `hipcoach play` on this computer and `hipcoach play --server`. One parser
(``parse_session_request``) checks them, so a session is accepted everywhere with the same seconds, or refused
everywhere with the same words.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import create_runner, issue_token
from hipcoach.app.training.models import SessionLog
from hipcoach.cli import app

ALLOWED = "a number of minutes from 1 to 120"
# (minutes as typed or sent, the seconds the session gets); the text is what a page or a terminal receives.
ACCEPTED = [("1", 1, 60), ("5", 5, 300), ("1.00833349", 1.00833349, 61), ("7.5", 7.5, 450), ("120", 120, 7200)]
# (as typed, as sent in JSON, what the refusal shows of it)
REFUSED = [("0", 0, "0"), ("0.5", 0.5, "0.5"), ("120.5", 120.5, "120.5"), ("six", "six", "'six'")]

served = pytest.mark.django_db(transaction=True)  # the live server reads what the test writes
cli = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path  # the terminal's outbox, fresh per test
    return tmp_path


@pytest.fixture
def alice(transactional_db: Any, answer_safety_questions: Any) -> User:
    user = create_runner("alice@example.org", "hip-opener-42-lunge")
    assert isinstance(user, User)
    answer_safety_questions(user)
    return user


@pytest.fixture
def browser(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def server(live_server: Any, alice: User) -> list[str]:
    _, token = issue_token(alice, "laptop")
    return ["--server", str(live_server.url), "--token", token]


# Each door answers (the seconds planned, None) when it takes the minutes, or (None, what it said) when not.
Answer = tuple[int | None, str | None]


def through_the_today_page(browser: Client, typed: str) -> Answer:
    page = browser.get("/today/once/", {"context": "pre-run", "minutes": typed})
    text = html.unescape(page.content.decode())
    if page.status_code == 200:
        played = re.search(r"/play/once/\?context=pre-run&seconds=(\d+)", text)
        assert played is not None, text
        seconds = int(played.group(1))
        # The card's Start link plays the very session the card showed: the player gets the seconds, not a rounding.
        assert player_budget(browser.get(played.group(0))) == seconds
        return seconds, None
    assert page.status_code == 400
    return None, text


def player_budget(page: Any) -> int:
    """The seconds of the session the player page plays (its data for player.js)."""
    found = re.search(r'<script id="player-data" type="application/json">(.*?)</script>', page.content.decode(), re.S)
    assert found is not None
    return int(json.loads(found.group(1))["session"]["budget_seconds"])


def through_the_player(browser: Client, typed: str) -> Answer:
    page = browser.get("/play/once/", {"context": "pre-run", "minutes": typed})
    text = html.unescape(page.content.decode())
    if page.status_code == 200:
        return player_budget(page), None
    assert page.status_code == 400
    return None, text


def through_the_api(path: str) -> Callable[[Client, Any], Answer]:
    def door(browser: Client, sent: Any) -> Answer:
        answer = browser.post(path, {"context": "pre-run", "minutes": sent}, content_type="application/json")
        if answer.status_code == 200:
            return answer.json()["session"]["budget_seconds"], None
        assert answer.status_code == 422, answer.content
        [problem] = answer.json()["detail"]
        assert problem["loc"] == ["body", "minutes"]
        return None, problem["msg"]

    return door


def through_routine(typed: str) -> Answer:
    result = cli.invoke(app, ["routine", "--context", "pre-run", "--minutes", typed, "--json"])
    if result.exit_code == 0:
        return json.loads(result.stdout)["budget_seconds"], None
    assert result.exit_code == 2, result.output
    return None, result.stderr


def through_play(typed: str, *server: str) -> Answer:
    before = SessionLog.objects.count()
    result = cli.invoke(app, ["play", "--context", "pre-run", "--minutes", typed, "--speed", "10000", "--yes", *server])
    if result.exit_code == 0:
        assert SessionLog.objects.count() == before + 1
        return SessionLog.objects.latest("id").session["budget_seconds"], None
    assert result.exit_code == 2, result.output
    assert SessionLog.objects.count() == before
    return None, result.stderr


def every_door(browser: Client, server: list[str], typed: str, sent: Any) -> dict[str, Answer]:
    return {
        "today page": through_the_today_page(browser, typed),
        "player": through_the_player(browser, typed),
        "POST /api/v1/today/once": through_the_api("/api/v1/today/once")(browser, sent),
        "POST /api/v1/sessions/compose": through_the_api("/api/v1/sessions/compose")(browser, sent),
        "hipcoach routine": through_routine(typed),
        "hipcoach play": through_play(typed),
        "hipcoach play --server": through_play(typed, *server),
    }


@served
@pytest.mark.parametrize(("typed", "sent", "seconds"), ACCEPTED)
def test_minutes_taken_by_one_door_are_taken_by_every_door_with_the_same_seconds(
    browser: Client, server: list[str], typed: str, sent: Any, seconds: int
) -> None:
    answers = every_door(browser, server, typed, sent)
    assert answers == dict.fromkeys(answers, (seconds, None))


@served
@pytest.mark.parametrize(("typed", "sent", "shown"), REFUSED)
def test_minutes_refused_by_one_door_are_refused_by_every_door_with_the_same_words(
    browser: Client, server: list[str], typed: str, sent: Any, shown: str
) -> None:
    answers = every_door(browser, server, typed, sent)
    assert {door: seconds for door, (seconds, _) in answers.items()} == dict.fromkeys(answers)
    said = {door: " ".join(str(words).split()) for door, (_, words) in answers.items()}
    for door in ("today page", "player"):
        assert f"Minutes I have: {ALLOWED}." in said[door], door
    exact = f"{shown} is not allowed; allowed: {ALLOWED}"
    for door in ("POST /api/v1/today/once", "POST /api/v1/sessions/compose"):
        assert said[door] == f"minutes: {exact}", door
    for door in ("hipcoach routine", "hipcoach play", "hipcoach play --server"):
        assert said[door] == f"error: --minutes: {exact}", door
