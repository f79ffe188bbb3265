"""The terminal on its own: the local runner of this computer, `hipcoach account`, and `account set-password`, which
takes that runner to the web with the same screens and sessions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import LOCAL_RUNNER_EMAIL, create_runner, is_local_runner, local_runner
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.models import SessionLog
from hipcoach.cli import app
from hipcoach.core.screen import parse_answers

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent / "data" / "screen_example.json"
PASSWORD = "strides-and-skips-77"
FAST = ["--speed", "1000", "--yes"]


@pytest.fixture
def terminal_answered(answer_safety_questions: Any) -> Any:
    """The runner at this terminal answered the safety questions before any account existed: the local runner
    made on first use plans from them."""
    return answer_safety_questions(None)


def flat(text: str) -> str:
    return " ".join(text.split())


def invoke(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


def account_json(*args: str) -> dict[str, Any]:
    result = invoke("account", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def the_local_runner() -> User:
    return User.objects.get(username=LOCAL_RUNNER_EMAIL)


def log_in(client: Client, email: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password})


# ---- a fresh data folder, with no browser -----------------------------------------------------------------


def environment(data_dir: Path) -> dict[str, str]:
    """A runner's shell: their data folder (the embedded database in it), nothing of the test run's Django set-up."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "HIPCOACH_")) and name not in {"DATABASE_URL", "SECRET_KEY"}
    }
    return {**inherited, "HIPCOACH_DATA_DIR": str(data_dir)}


def hipcoach(data_dir: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """`hipcoach ARGS` as a runner types it, on their own data folder."""
    return subprocess.run(
        [sys.executable, "-m", "hipcoach", *args],
        input=input,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_a_runner_who_only_uses_the_terminal_screens_plays_and_sees_the_session(tmp_path: Path) -> None:
    data_dir = tmp_path / "hipcoach"
    screened = hipcoach(data_dir, "screen", "--answers", str(EXAMPLE))
    assert screened.returncode == 0, screened.stderr
    assert "Saved as screen 1" in screened.stdout
    played = hipcoach(data_dir, "play", "--context", "pre-run", "--minutes", "5", "--speed", "1000", "--yes")
    assert played.returncode == 0, played.stderr
    assert "Profile: screen 1 of " in played.stdout  # planned from the screen just taken, as the web plans
    history = hipcoach(data_dir, "history", "--json")
    assert history.returncode == 0, history.stderr
    sessions = json.loads(history.stdout)
    assert len(sessions) == 1
    assert (sessions[0]["context"], sessions[0]["source"]) == ("pre-run", "terminal")
    shown = hipcoach(data_dir, "account", "--json")
    assert json.loads(shown.stdout) == {
        "email": LOCAL_RUNNER_EMAIL,
        "local_runner": True,
        "can_log_in_on_web": False,
        "screens": 1,
        "sessions": 1,
    }
    arguments = ["account", "set-password", "--password-stdin", "--email", "me@example.org"]
    taken = hipcoach(data_dir, *arguments, input=PASSWORD + "\n")  # a script gives the password on standard input
    assert taken.returncode == 0, taken.stderr
    assert json.loads(hipcoach(data_dir, "history", "--json").stdout) == sessions  # the same log, the same account


def test_terminals_started_at_once_on_a_fresh_folder_make_one_local_runner(
    tmp_path: Path, safety_answers: dict[str, Any]
) -> None:
    data_dir = tmp_path / "hipcoach"
    safety = tmp_path / "safety.json"
    safety.write_text(json.dumps(safety_answers))
    players = [
        subprocess.Popen(
            [sys.executable, "-m", "hipcoach", "play", "--minutes", "3", "--safety", str(safety), *FAST],
            env=environment(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for player in players:
        _, stderr = player.communicate(timeout=180)
        assert player.returncode == 0, stderr
    shown = json.loads(hipcoach(data_dir, "account", "--json").stdout)
    assert (shown["email"], shown["sessions"]) == (LOCAL_RUNNER_EMAIL, 3)


# ---- hipcoach account ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_account_shows_the_local_runner_and_how_to_take_it_to_the_web() -> None:
    assert invoke("screen", "--answers", str(EXAMPLE)).exit_code == 0
    assert invoke("play", "--minutes", "3", *FAST).exit_code == 0
    shown = invoke("account")
    assert shown.exit_code == 0, shown.output
    text = flat(shown.stdout)
    assert f"The terminal acts as: the local runner of this computer ({LOCAL_RUNNER_EMAIL})" in text
    assert "On the web: cannot log in yet. `hipcoach account set-password --email YOU@EXAMPLE.ORG`" in text
    assert "Screens: 1 Sessions: 1" in text
    assert account_json() == {
        "email": LOCAL_RUNNER_EMAIL,
        "local_runner": True,
        "can_log_in_on_web": False,
        "screens": 1,
        "sessions": 1,
    }


@pytest.mark.django_db
def test_account_with_user_or_with_several_accounts() -> None:
    create_runner("alice@example.org", PASSWORD)
    create_runner("bob@example.org", PASSWORD)
    chosen = account_json("--user", "Bob@Example.org")
    assert (chosen["email"], chosen["local_runner"], chosen["can_log_in_on_web"]) == ("bob@example.org", False, True)
    unsure = invoke("account")
    assert unsure.exit_code == 2
    assert "--user EMAIL" in unsure.stderr
    unknown = invoke("account", "--user", "carol@example.org")
    assert unknown.exit_code == 2
    assert "--user: no account with the e-mail 'carol@example.org'" in flat(unknown.stderr)
    assert not User.objects.filter(username=LOCAL_RUNNER_EMAIL).exists()  # made only for a database with no account


# ---- the local runner --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("terminal_answered")
def test_the_local_runner_cannot_log_in_on_the_web_nor_get_a_reset_link() -> None:
    assert invoke("play", "--minutes", "3", *FAST).exit_code == 0
    made = the_local_runner()
    assert not made.has_usable_password()
    for password in ("!", made.password, PASSWORD):
        client = Client()
        response = log_in(client, LOCAL_RUNNER_EMAIL, password)
        assert response.status_code == 200  # the form again, with its error: nobody is logged in
        assert "That e-mail and password do not match an account." in response.content.decode()
        assert "_auth_user_id" not in client.session
    Client().post("/accounts/password-reset/", {"email": LOCAL_RUNNER_EMAIL})
    assert mail.outbox == []


@pytest.mark.django_db
def test_local_runner_is_made_once_and_takes_the_screens_the_terminal_saved_before() -> None:
    earlier, _ = record_screen(parse_answers(json.loads(EXAMPLE.read_text())), ScreenOwner.terminal())
    browser, _ = record_screen(parse_answers(json.loads(EXAMPLE.read_text())), ScreenOwner(session_key="a-browser"))
    made = local_runner()
    assert local_runner() == made
    assert is_local_runner(made)
    assert User.objects.count() == 1
    earlier.refresh_from_db()
    browser.refresh_from_db()
    assert earlier.owner == made
    assert (browser.owner, browser.session_key) == (None, "a-browser")  # a browser's screens stay the browser's
    latest = invoke("routine", "--context", "pre-run", "--minutes", "8", "--screen", "latest", "--json")
    assert latest.exit_code == 0, latest.output
    assert json.loads(latest.stdout)["profile_source"].startswith("your screen of ")


@pytest.mark.django_db
def test_play_with_screen_latest_finds_a_screen_the_terminal_saved_before_the_local_runner() -> None:
    record_screen(parse_answers(json.loads(EXAMPLE.read_text())), ScreenOwner.terminal())
    result = invoke("play", "--minutes", "3", "--screen", "latest", *FAST)
    assert result.exit_code == 0, result.output
    assert "Profile: screen " in result.stdout  # moved to the local runner when it was made, and planned from
    assert Screen.objects.get().owner == the_local_runner()


@pytest.mark.django_db
def test_with_one_account_the_terminal_screens_and_plays_for_it() -> None:
    alice = create_runner("alice@example.org", PASSWORD)
    earlier, _ = record_screen(parse_answers(json.loads(EXAMPLE.read_text())), ScreenOwner.terminal())
    saved = invoke("screen", "--answers", str(EXAMPLE), "--json")
    assert saved.exit_code == 0, saved.output
    assert Screen.objects.get(pk=json.loads(saved.stdout)["id"]).owner == alice
    earlier.refresh_from_db()
    assert earlier.owner is None  # a web account is not this computer's runner: its old screens are not moved
    played = invoke("play", "--minutes", "3", *FAST)
    assert played.exit_code == 0, played.output
    assert SessionLog.objects.get().owner == alice
    assert not User.objects.filter(username=LOCAL_RUNNER_EMAIL).exists()


@pytest.mark.django_db
def test_with_several_accounts_and_no_local_runner_screens_stay_the_terminals() -> None:
    create_runner("alice@example.org", PASSWORD)
    create_runner("bob@example.org", PASSWORD)
    saved = invoke("screen", "--answers", str(EXAMPLE), "--json")
    assert saved.exit_code == 0, saved.output
    screen = Screen.objects.get(pk=json.loads(saved.stdout)["id"])
    assert (screen.owner, screen.session_key) == (None, "")
    latest = invoke("routine", "--context", "pre-run", "--minutes", "8", "--screen", "latest", "--json")
    assert latest.exit_code == 0, latest.output
    assert invoke("play", *FAST).exit_code == 2  # whose log: --user EMAIL


@pytest.mark.django_db
def test_the_local_runner_stays_the_terminals_after_someone_signs_up_on_the_web() -> None:
    assert invoke("screen", "--answers", str(EXAMPLE)).exit_code == 0
    create_runner("alice@example.org", PASSWORD)
    result = invoke("play", "--minutes", "3", *FAST)
    assert result.exit_code == 0, result.output
    assert SessionLog.objects.get().owner == the_local_runner()
    assert account_json()["email"] == LOCAL_RUNNER_EMAIL


# ---- hipcoach account set-password ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_set_password_with_email_takes_the_local_runner_to_the_web_with_its_screens_and_sessions() -> None:
    assert invoke("screen", "--answers", str(EXAMPLE)).exit_code == 0
    assert invoke("play", "--minutes", "3", *FAST).exit_code == 0
    made = the_local_runner()
    typed = f"{PASSWORD}\n{PASSWORD}\n"  # asked twice, not shown
    result = invoke("account", "set-password", "--email", "  Me@Example.ORG ", input=typed)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "The same password again" in result.output
    text = flat(result.stdout)
    assert "Log in on the web app (/accounts/login/" in text
    assert "as me@example.org with this password: the same 1 screen and 1 session are there." in text
    assert account_json() == {
        "email": "me@example.org",
        "local_runner": False,
        "can_log_in_on_web": True,
        "screens": 1,
        "sessions": 1,
    }
    shown = flat(invoke("account").stdout)
    assert "The terminal acts as: me@example.org On the web: logs in as me@example.org with its password." in shown
    taken = User.objects.get()
    assert (taken.pk, taken.username, taken.email) == (made.pk, "me@example.org", "me@example.org")
    client = Client()
    assert log_in(client, "ME@example.org", PASSWORD).status_code == 302
    assert len(client.get("/api/v1/screens").json()) == 1
    assert client.get("/api/v1/logs").json()["count"] == 1
    assert invoke("play", "--minutes", "3", *FAST).exit_code == 0  # the terminal still acts as it, its only account
    assert client.get("/api/v1/logs").json()["count"] == 2


@pytest.mark.django_db
def test_set_password_asks_again_when_the_two_passwords_differ() -> None:
    result = invoke("account", "set-password", input=f"{PASSWORD}\nsomething-else-9\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert the_local_runner().check_password(PASSWORD)


@pytest.mark.django_db
def test_set_password_without_email_logs_in_with_the_reserved_address_and_says_so() -> None:
    result = invoke("account", "set-password", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert f"No mail reaches {LOCAL_RUNNER_EMAIL}, so a forgotten password cannot be reset by e-mail" in flat(
        result.stdout
    )
    assert account_json()["can_log_in_on_web"] is True
    assert log_in(Client(), LOCAL_RUNNER_EMAIL, PASSWORD).status_code == 302
    later = invoke("account", "set-password", "--password-stdin", "--email", "me@example.org", input=PASSWORD + "\n")
    assert later.exit_code == 0, later.output
    assert log_in(Client(), "me@example.org", PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-1", "password: This password is too short. It must contain at least 10 characters."),
        ("password123", "password: This password is too common."),
        ("8675309123456", "password: This password is entirely numeric."),
        ("marathonrunner", "password: The password is too similar to the username."),
    ],
)
@pytest.mark.usefixtures("terminal_answered")
def test_a_password_the_validators_refuse_exits_2_and_changes_nothing(password: str, message: str) -> None:
    assert invoke("play", "--minutes", "3", *FAST).exit_code == 0
    before = the_local_runner().password
    arguments = ["account", "set-password", "--password-stdin", "--email", "marathonrunner@example.org"]
    result = invoke(*arguments, input=password + "\n")
    assert result.exit_code == 2
    assert message in flat(result.stderr)
    assert "nothing was changed" in result.stderr
    after = the_local_runner()
    assert (after.password, after.email) == (before, LOCAL_RUNNER_EMAIL)
    assert account_json()["can_log_in_on_web"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("Alice@Example.org", "--email: another account of this database has the address 'alice@example.org'"),
        ("not-an-address", "--email: 'not-an-address' is not an e-mail address"),
        ("me@elsewhere.invalid", "--email: 'me@elsewhere.invalid' is a reserved address that no mail reaches"),
    ],
)
def test_an_address_taken_or_not_an_address_exits_2_and_changes_nothing(email: str, message: str) -> None:
    assert invoke("screen", "--answers", str(EXAMPLE)).exit_code == 0  # the local runner, then alice signs up
    alice = create_runner("alice@example.org", "hip-opener-42-lunge")
    result = invoke("account", "set-password", "--password-stdin", "--email", email, input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert message in flat(result.stderr)
    mine = the_local_runner()
    assert not mine.has_usable_password()
    assert mine.screens.count() == 1
    alice.refresh_from_db()
    assert alice.check_password("hip-opener-42-lunge")


@pytest.mark.django_db
def test_set_password_with_user_changes_that_accounts_password_but_not_its_address() -> None:
    create_runner("alice@example.org", "hip-opener-42-lunge")
    create_runner("bob@example.org", "hip-opener-42-lunge")
    moved = invoke(
        "account", "set-password", "--user", "bob@example.org", "--password-stdin", "--email", "robert@example.org"
    )
    assert moved.exit_code == 2
    assert "bob@example.org has its own address already" in flat(moved.stderr)
    result = invoke("account", "--user", "bob@example.org", "set-password", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Several accounts use this database: the terminal acts as this one with --user bob@example.org" in flat(
        result.stdout
    )
    assert log_in(Client(), "bob@example.org", PASSWORD).status_code == 302
    assert User.objects.get(username="alice@example.org").check_password("hip-opener-42-lunge")


@pytest.mark.django_db
def test_an_empty_standard_input_is_no_password() -> None:
    result = invoke("account", "set-password", "--password-stdin", input="")
    assert result.exit_code == 2
    assert "--password-stdin: standard input held no password" in result.stderr
    assert not the_local_runner().has_usable_password()
