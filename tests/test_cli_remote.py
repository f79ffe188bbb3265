"""`hipcoach play` and `hipcoach history` on another computer, against a hipcoach server (--server, --token).

A real server (pytest-django's live server) and a real API token; the terminal talks HTTP to it. Where the
network has to misbehave, the client's transport drops what a bad connection would drop.
"""

from __future__ import annotations

import functools
import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import create_runner, issue_token, revoke_token
from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.clock import local_today
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.runner_settings import save_settings, validate_settings
from hipcoach.app.training.sessions import weekday_of
from hipcoach.cli import app, remote
from hipcoach.core.screen import parse_answers

runner = CliRunner()
EXAMPLE = json.loads((Path(__file__).resolve().parent / "data" / "screen_example.json").read_text())
PASSWORD = "hip-opener-42-lunge"
FAST = ["--speed", "10000", "--yes"]
LOGS = "/api/v1/logs"

served = pytest.mark.django_db(transaction=True)  # the live server reads what the test writes


def flat(text: str) -> str:
    """Output with its line wrapping undone, so assertions do not depend on the terminal's width."""
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """This computer's data directory, where the outbox lives: a fresh one per test."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def alice(transactional_db: Any, answer_safety_questions: Any) -> User:
    """A runner who answered the safety questions, with an easy run in her usual week today: Today has sessions for
    her."""
    user = create_runner("alice@example.org", PASSWORD)
    assert isinstance(user, User)
    answer_safety_questions(user)
    save_settings(
        user,
        validate_settings(
            {
                "runs": [f"{weekday_of(local_today()).value}:easy:40"],
                "age_band": "under-65",
                "pre_run_minutes": 6,
                "post_run_minutes": 6,
                "strength_minutes": 10,
                "rest_day_minutes": 6,
                "strength_days": 2,
                "level": 2,
                "reminder_minutes": 30,
                "equipment": None,
            }
        ),
    )
    return user


@pytest.fixture
def token(alice: User) -> str:
    _, made = issue_token(alice, "laptop CLI")
    return made


@pytest.fixture
def server(live_server: Any) -> str:
    return str(live_server.url)


def cli(*args: str, input: str | None = None, env: dict[str, str | None] | None = None) -> Any:
    return runner.invoke(app, list(args), input=input, env=env)


def on(server: str, token: str) -> list[str]:
    return ["--server", server, "--token", token]


def api(server: str, token: str, path: str) -> Any:
    response = httpx.get(server + path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def outbox(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "outbox").glob("*"))


class BadNetwork(httpx.HTTPTransport):
    """The connection between the terminal and the server, failing on saves (POST /api/v1/logs) only:
    ``lose_answers`` saves reach the server but their answer never comes back; ``down`` refuses every save."""

    def __init__(self, *, lose_answers: int = 0, down: bool = False) -> None:
        super().__init__()
        self.lose_answers = lose_answers
        self.down = down
        self.saves = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        saving = request.method == "POST" and request.url.path == LOGS
        if saving:
            self.saves += 1
        if saving and self.down:
            raise httpx.ConnectError("Connection refused", request=request)
        response = super().handle_request(request)
        if saving and self.lose_answers > 0:
            self.lose_answers -= 1
            response.close()
            raise httpx.ReadTimeout("timed out waiting for the answer", request=request)
        return response


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Put the terminal behind a bad network (and retry without pausing, to keep the tests quick)."""

    def behind(transport: BadNetwork) -> BadNetwork:
        monkeypatch.setattr(
            remote, "Server", functools.partial(remote.Server, transport=transport, retry_delays=(0, 0, 0))
        )
        return transport

    return behind


# ---- playing today's sessions on the server ---------------------------------------------------------------


@served
def test_play_plays_todays_next_session_from_the_server_and_stores_one_log(server: str, token: str) -> None:
    today = api(server, token, "/api/v1/today")
    first = today["sessions"][0]
    result = cli("play", *FAST, *on(server, token))
    assert result.exit_code == 0, result.output
    assert f"Server: {server}, account alice@example.org" in result.output
    assert f"{first['context']}, {first['minutes']:g} min" in flat(result.output)
    logs = api(server, token, LOGS)
    assert logs["count"] == 1
    log = logs["items"][0]
    assert (log["context"], log["planned_for"], log["source"]) == (first["context"], today["date"], "terminal")
    assert [drill["drill_id"] for drill in log["drills"]] == [item["drill_id"] for item in first["session"]["items"]]
    assert f"Saved: log {log['id']}, {first['context']} on {today['date']}" in flat(result.output)
    # history, with the server and token from the environment, reads the same log from the server.
    history = cli("history", "--json", env={"HIPCOACH_SERVER": server, "HIPCOACH_TOKEN": token})
    assert history.exit_code == 0, history.output
    assert [entry["id"] for entry in json.loads(history.stdout)] == [log["id"]]
    table = cli("history", *on(server, token))
    assert table.exit_code == 0, table.output
    assert f"{today['date']}" in table.output
    assert "terminal" in table.output


@served
def test_each_play_takes_the_next_session_of_the_day_until_all_are_done(server: str, token: str) -> None:
    planned = [session["context"] for session in api(server, token, "/api/v1/today")["sessions"]]
    assert len(planned) >= 2
    for _ in planned:
        assert cli("play", *FAST, *on(server, token)).exit_code == 0
    played = [log["context"] for log in reversed(api(server, token, LOGS)["items"])]
    assert played == planned
    done = cli("play", *FAST, *on(server, token))
    assert done.exit_code == 0
    assert "Today's sessions are all done" in flat(done.output)
    assert api(server, token, LOGS)["count"] == len(planned)


@served
def test_context_and_minutes_play_a_session_composed_now_on_the_server(server: str, token: str) -> None:
    result = cli("play", *FAST, "--context", "strength", "--minutes", "5", "--equipment", "none", *on(server, token))
    assert result.exit_code == 0, result.output
    [log] = api(server, token, LOGS)["items"]
    assert log["context"] == "strength"
    assert log["seconds_done"] <= 5 * 60


@served
def test_a_session_composed_now_follows_the_account_as_the_webs_one_off_does(
    alice: User, server: str, token: str, answer_safety_questions: Any
) -> None:
    answer_safety_questions(alice, age=70)  # her latest screen: she is 70
    result = cli("play", *FAST, "--context", "post-run", "--minutes", "12", *on(server, token))
    assert result.exit_code == 0, result.output
    [log] = api(server, token, LOGS)["items"]
    session = api(server, token, f"{LOGS}/{log['id']}")["session"]
    holds = [dose["amount"] for item in session["items"] if item["unit"] == "hold_seconds" for dose in item["doses"]]
    assert holds
    # From 65, holds after a run last 30-60 s (the account's screen; the server composes it).
    assert all(30 <= hold <= 60 for hold in holds)


@served
def test_bad_session_options_exit_2_naming_the_option_and_store_nothing(server: str, token: str) -> None:
    result = cli("play", *FAST, "--context", "warm-up", *on(server, token))
    assert result.exit_code == 2
    assert "--context: 'warm-up' is not allowed" in flat(result.output)
    assert api(server, token, LOGS)["count"] == 0


@served
def test_a_screen_file_that_is_not_text_exits_2_naming_the_option_and_stores_nothing(
    server: str, token: str, tmp_path: Path
) -> None:
    picture = tmp_path / "screen.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81")
    result = cli("play", *FAST, "--screen", str(picture), *on(server, token))
    assert result.exit_code == 2, result.output
    assert f"--screen: cannot read {picture}: not UTF-8 text" in flat(result.output)
    assert api(server, token, LOGS)["count"] == 0


# ---- a save that fails on the way -------------------------------------------------------------------------


@served
def test_a_save_whose_answer_is_lost_is_sent_again_and_the_server_keeps_one_log(
    server: str, token: str, network: Any
) -> None:
    lossy = network(BadNetwork(lose_answers=1))
    result = cli("play", *FAST, *on(server, token))
    assert result.exit_code == 0, result.output
    assert lossy.saves == 2  # the first save arrived but its answer was lost; the retry got the same log back
    assert api(server, token, LOGS)["count"] == 1
    assert "Saved: log" in result.output


@served
def test_when_the_server_cannot_take_the_log_it_waits_on_this_computer_and_goes_on_the_next_run(
    server: str, token: str, network: Any, data_dir: Path
) -> None:
    network(BadNetwork(down=True))
    result = cli("play", *FAST, *on(server, token))
    assert result.exit_code == 4
    assert f"cannot reach the hipcoach server at {server}" in flat(result.stderr)
    assert "Your session is kept on this computer" in flat(result.stderr)
    [kept] = outbox(data_dir)
    assert str(kept) in flat(result.stderr)
    assert api(server, token, LOGS)["count"] == 0

    network(BadNetwork())  # back online: the next command sends it first
    history = cli("history", "--json", *on(server, token))
    assert history.exit_code == 0, history.output
    assert "Sent the session kept on this computer" in flat(history.stderr)
    [log] = json.loads(history.stdout)
    assert (log["source"], log["client_key"]) == ("terminal", kept.stem)
    assert outbox(data_dir) == []
    again = cli("history", "--json", *on(server, token))
    assert len(json.loads(again.stdout)) == 1
    assert "Sent" not in again.stderr


class RevokedMeanwhile(BadNetwork):
    """The runner revokes the token on the web while the session plays: the save arrives with a revoked token."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == LOGS:
            for record in ApiToken.objects.filter(revoked_at=None):
                revoke_token(record)
        return super().handle_request(request)


@served
def test_a_token_revoked_during_the_session_keeps_the_log_until_a_new_token_sends_it(
    server: str, token: str, alice: User, network: Any, data_dir: Path
) -> None:
    network(RevokedMeanwhile())
    result = cli("play", *FAST, *on(server, token))
    assert result.exit_code == 2
    assert "the server refused the token" in flat(result.stderr)
    assert "Your session is kept on this computer" in flat(result.stderr)
    assert len(outbox(data_dir)) == 1

    network(BadNetwork())
    _, new_token = issue_token(alice, "laptop CLI, again")
    history = cli("history", "--json", *on(server, new_token))
    assert history.exit_code == 0, history.output
    assert len(json.loads(history.stdout)) == 1
    assert outbox(data_dir) == []


@served
def test_a_kept_log_the_server_refuses_is_set_aside_not_lost(server: str, token: str, data_dir: Path) -> None:
    payload = {"client_key": "kept-0001", "context": "pre-run", "source": "terminal", "seconds_done": 60}
    moonwalk = {"drill_id": "moonwalk", "amount": 10, "sets": 1, "sides_done": ["both"], "rating": "ok", "pain": 0}
    remote.Outbox(data_dir / "outbox").keep(server, "alice@example.org", {**payload, "drills": [moonwalk]})
    history = cli("history", "--json", *on(server, token))
    assert history.exit_code == 0, history.output
    assert json.loads(history.stdout) == []
    said = flat(history.stderr)
    assert "The server refused a session kept on this computer" in said
    assert "'moonwalk' is not a drill of the library" in said
    assert [path.name for path in outbox(data_dir)] == ["kept-0001.refused"]
    assert cli("history", "--json", *on(server, token)).stderr == ""  # not sent again


@served
def test_an_unreachable_server_exits_4_naming_its_address(data_dir: Path, token: str) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for command in (["play", *FAST], ["history"]):
        result = cli(*command, *on(nowhere, token))
        assert result.exit_code == 4, result.output
        assert f"cannot reach the hipcoach server at {nowhere}" in flat(result.stderr)
    assert outbox(data_dir) == []  # nothing was played, so nothing waits


# ---- tokens -------------------------------------------------------------------------------------------------


@served
def test_a_wrong_or_revoked_token_exits_2_saying_where_to_make_one(server: str, token: str) -> None:
    revoke_token(ApiToken.objects.get())
    for bad in ("hc_not-a-real-token", token):
        for command in (["play", *FAST], ["history", "--json"]):
            result = cli(*command, *on(server, bad))
            assert result.exit_code == 2, result.output
            said = flat(result.stderr)
            assert "the server refused the token" in said
            assert f"Settings → API tokens ({server}/settings/tokens/)" in said
            assert result.stdout == ""


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--server", "http://127.0.0.1:8000"], "--server needs your API token"),
        (["--token", "hc_abc"], "--token is for a server: give its address with --server URL"),
        (["--server", "hipcoach.example.org", "--token", "hc_abc"], "--server: 'hipcoach.example.org' is not a"),
        (["--server", "http://127.0.0.1:8000", "--token", "hc_abc", "--user", "a@example.org"], "--user is for"),
    ],
)
def test_a_server_needs_an_address_and_a_token_and_no_user(arguments: list[str], words: str) -> None:
    for command in ("play", "history"):
        result = cli(command, *arguments)
        assert result.exit_code == 2
        assert words in flat(result.stderr)


# ---- referrals ------------------------------------------------------------------------------------------------


@served
def test_a_runner_whose_screen_refers_gets_the_referral_and_exit_3(server: str, token: str, alice: User) -> None:
    record_screen(parse_answers({**EXAMPLE, "red_flags": ["night-pain"]}), ScreenOwner(user=alice))
    for options in ([], ["--context", "post-run", "--minutes", "6"]):
        result = cli("play", *FAST, *options, *on(server, token))
        assert result.exit_code == 3, result.output
        assert "See a clinician today" in flat(result.stderr)
    assert api(server, token, LOGS)["count"] == 0


@served
def test_a_warning_sign_reported_in_the_terminal_stops_the_next_play(server: str, token: str) -> None:
    drills = len(api(server, token, "/api/v1/today")["sessions"][0]["session"]["items"])
    answers = "\n\n" * drills + "\ny\n"  # ok and pain 0 for each drill, no notes, then yes: a new warning sign
    result = cli("play", "--speed", "10000", *on(server, token), input=answers)
    assert result.exit_code == 0, result.output
    assert "see a clinician" in flat(result.output)
    assert api(server, token, LOGS)["items"][0]["red_flag"] is True
    again = cli("play", *FAST, *on(server, token))
    assert again.exit_code == 3
    assert "You reported a new warning sign" in flat(again.stderr)
    assert api(server, token, LOGS)["count"] == 1
