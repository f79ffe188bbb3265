"""`hipcoach play` (the terminal player) and `hipcoach history`, against the same log the web shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import LOCAL_RUNNER_EMAIL, create_runner
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.log import save_log
from hipcoach.app.training.models import ProgressionEvent, RunnerSettings, SessionLog
from hipcoach.cli import app
from hipcoach.cli.play import compose_for

pytestmark = pytest.mark.django_db

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent / "data" / "screen_example.json"
PASSWORD = "hip-opener-42-lunge"
FAST = ["--speed", "1000"]


@pytest.fixture(autouse=True)
def terminal_answered(answer_safety_questions: Any) -> Any:
    """The runner at this terminal answered the safety questions before any account existed (a screen of no
    account): the local runner made on first use plans from it."""
    return answer_safety_questions(None)


@pytest.fixture
def alice(answer_safety_questions: Any) -> User:
    user = create_runner("alice@example.org", PASSWORD)
    assert isinstance(user, User)
    answer_safety_questions(user)
    return user


@pytest.fixture
def bob(answer_safety_questions: Any) -> User:
    user = create_runner("bob@example.org", PASSWORD)
    assert isinstance(user, User)
    answer_safety_questions(user)
    return user


def play(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["play", *args], input=input)


def test_play_runs_the_session_and_saves_one_log_for_the_only_account(alice: User) -> None:
    result = play(*FAST, "--yes", "--context", "pre-run", "--minutes", "8")
    assert result.exit_code == 0, result.output
    log = SessionLog.objects.get()
    assert (log.owner, log.source, log.context) == (alice, "terminal", "pre-run")
    assert f"Saved: log {log.pk}, pre-run" in result.output
    items = log.session["items"]
    assert [entry.drill_id for entry in log.drills.all()] == [item["drill_id"] for item in items]
    for entry, item in zip(log.drills.all(), items, strict=True):
        assert (entry.rating, entry.pain) == ("ok", 0)
        assert set(entry.sides_done) == {dose["side"] for dose in item["doses"]}
    assert 0.8 * 480 <= log.seconds_done <= 480
    # The countdown speaks each step's cue, in order.
    first_cue = log.session["timeline"][0]["cue"].split(".")[0]
    assert first_cue in result.output


def drills_in(account: User, minutes: str) -> int:
    """How many drills the session of these options holds (every one is played to the end)."""
    session, _ = compose_for(
        account, context="pre-run", minutes=float(minutes), screen=None, equipment="none", level=None
    )
    return len(session.items)


def test_the_questions_are_asked_per_drill_and_a_bad_answer_is_asked_again(alice: User) -> None:
    first = "meh\nhard\n11\n7\n"  # a word and a pain hipcoach does not take, then good ones
    rest = "\n\n" * (drills_in(alice, "4") - 1)  # the defaults for every other drill
    result = play(*FAST, "--minutes", "4", "--equipment", "none", input=first + rest + "stiff calves\nn\n")
    assert result.exit_code == 0, result.output
    assert "answer one of: easy, ok, hard" in result.output
    assert "pain: a whole number from 0 (none) to 10 (worst)" in result.output
    log = SessionLog.objects.get()
    entry = log.drills.first()
    assert entry is not None
    assert (entry.rating, entry.pain) == ("hard", 7)
    assert log.notes == "stiff calves"
    # Pain above 5 steps the drill back, and the terminal says so with the reason.
    event = ProgressionEvent.objects.get(owner=alice)
    assert "pain 7/10 is above 5/10" in event.reason
    assert " ".join(event.reason.split()) in " ".join(result.output.split())


def test_a_new_warning_sign_is_saved_and_the_runner_told_to_see_a_clinician(alice: User) -> None:
    answers = "\n\n" * drills_in(alice, "3") + "\ny\n"  # defaults, no notes, then yes: a new warning sign
    result = play(*FAST, "--minutes", "3", "--equipment", "none", input=answers)
    assert result.exit_code == 0, result.output
    assert SessionLog.objects.get().red_flag is True
    assert "see a clinician" in result.output
    again = play(*FAST, "--yes")
    assert again.exit_code == 3
    assert "take the hip screen again" in again.output
    assert SessionLog.objects.count() == 1


def test_with_several_accounts_the_user_says_whose_log_it_is(alice: User, bob: User) -> None:
    unsure = play(*FAST, "--yes")
    assert unsure.exit_code == 2
    assert "--user EMAIL" in unsure.output
    assert SessionLog.objects.count() == 0
    chosen = play(*FAST, "--yes", "--user", "Bob@Example.org")
    assert chosen.exit_code == 0, chosen.output
    assert SessionLog.objects.get().owner == bob


def test_without_an_account_play_saves_to_the_local_runner_of_this_computer() -> None:
    result = play(*FAST, "--yes")
    assert result.exit_code == 0, result.output
    log = SessionLog.objects.get()
    assert log.owner.get_username() == LOCAL_RUNNER_EMAIL
    assert not log.owner.has_usable_password()
    assert play(*FAST, "--yes").exit_code == 0
    assert User.objects.count() == 1  # made once, then the terminal acts as it
    assert set(SessionLog.objects.values_list("owner", flat=True)) == {log.owner.pk}


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--user", "carol@example.org"], "--user: no account with the e-mail 'carol@example.org'"),
        (["--speed", "0"], "--speed: 0 is not allowed"),
        (["--context", "warm-up"], "--context: 'warm-up' is not allowed"),
        (["--minutes", "500"], "--minutes: 500 is not allowed"),
        (["--level", "9"], "--level: 9 is not allowed"),
        (["--equipment", "trampoline"], "--equipment: 'trampoline' is not allowed"),
    ],
)
def test_bad_options_exit_2_naming_the_option_and_save_nothing(alice: User, arguments: list[str], words: str) -> None:
    result = play(*FAST, "--yes", *arguments)
    assert result.exit_code == 2
    assert words in result.output
    assert SessionLog.objects.count() == 0


def test_a_screen_that_refers_gets_the_referral_and_no_session(alice: User, tmp_path: Path) -> None:
    answers = json.loads(EXAMPLE.read_text())
    flagged = tmp_path / "flagged.json"
    flagged.write_text(json.dumps({**answers, "red_flags": ["night-pain"]}))
    result = play(*FAST, "--yes", "--screen", str(flagged))
    assert result.exit_code == 3
    assert "See a clinician today" in result.output
    assert SessionLog.objects.count() == 0


def test_a_screen_file_that_is_not_text_exits_2_naming_the_option_and_saves_nothing(
    alice: User, tmp_path: Path
) -> None:
    picture = tmp_path / "screen.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81")
    result = play(*FAST, "--yes", "--screen", str(picture))
    assert result.exit_code == 2, result.output
    assert f"--screen: cannot read {picture}: not UTF-8 text" in " ".join(result.output.split())
    assert SessionLog.objects.count() == 0


def test_a_screen_file_personalises_the_session(alice: User) -> None:
    result = play(*FAST, "--yes", "--context", "post-run", "--screen", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert f"Profile: screen answers in {EXAMPLE}" in result.output
    whys = " ".join(" ".join(item["why"]) for item in SessionLog.objects.get().session["items"])
    assert "Works on" in whys


def test_a_long_path_is_printed_whole_for_scripts_whatever_the_width(alice: User, tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-folder-with-a-long-name"] * 6)
    deep.mkdir(parents=True)
    answers = deep / "my-screen-answers.json"
    answers.write_text(EXAMPLE.read_text())
    result = play(*FAST, "--yes", "--context", "post-run", "--screen", str(answers))
    assert result.exit_code == 0, result.output
    assert f"Profile: screen answers in {answers}\n" in result.output


def test_the_terminal_proposes_the_computers_time_zone_once(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    assert play(*FAST, "--yes", "--context", "pre-run", "--minutes", "3").exit_code == 0
    assert RunnerSettings.objects.get(owner=alice).time_zone == "Pacific/Auckland"
    monkeypatch.setenv("TZ", "Europe/Lisbon")  # travelling: the runner's own choice stays until they change it
    assert play(*FAST, "--yes", "--context", "pre-run", "--minutes", "3").exit_code == 0
    assert RunnerSettings.objects.get(owner=alice).time_zone == "Pacific/Auckland"


# ---- history --------------------------------------------------------------------------------------------


def test_history_lists_the_sessions_done_newest_first(alice: User) -> None:
    play(*FAST, "--yes", "--context", "pre-run", "--minutes", "6")
    save_log(
        alice,
        {
            "client_key": "web-session-0001",
            "context": "post-run",
            "drills": [
                {"drill_id": "pigeon-pose", "amount": 20, "sets": 1, "sides_done": ["left"], "rating": "ok", "pain": 3}
            ],
            "seconds_done": 300,
        },
    )
    result = runner.invoke(app, ["history", "--json"])
    assert result.exit_code == 0, result.output
    logs = json.loads(result.stdout)
    assert [log["context"] for log in logs] == ["post-run", "pre-run"]
    assert [log["source"] for log in logs] == ["web", "terminal"]
    assert logs[0]["drills"][0] == {
        "drill_id": "pigeon-pose",
        "name": "Pigeon pose",
        "amount": 20,
        "sets": 1,
        "sides_done": ["left"],
        "rating": "ok",
        "pain": 3,
    }
    assert (logs[0]["minutes"], logs[0]["pain"]) == (5.0, 3)
    table = runner.invoke(app, ["history"])
    assert table.exit_code == 0
    assert "post-run" in table.output
    assert "3/10" in table.output


def test_history_shows_only_the_chosen_runners_sessions(alice: User, bob: User) -> None:
    play(*FAST, "--yes", "--user", "alice@example.org")
    mine = json.loads(runner.invoke(app, ["history", "--json", "--user", "alice@example.org"]).stdout)
    theirs = json.loads(runner.invoke(app, ["history", "--json", "--user", "bob@example.org"]).stdout)
    assert len(mine) == 1
    assert theirs == []
    empty = runner.invoke(app, ["history", "--user", "bob@example.org"])
    assert "No session yet" in empty.output


def test_the_terminal_journey_screen_then_play_uses_the_accounts_screen(alice: User) -> None:
    saved = runner.invoke(app, ["screen", "--answers", str(EXAMPLE), "--user", "alice@example.org", "--json"])
    assert saved.exit_code == 0
    assert alice.screens.count() == 2  # her safety answers, then the full screen
    history = runner.invoke(app, ["screen", "--history", "--user", "alice@example.org", "--json"])
    assert history.exit_code == 0
    result = play("--context", "pre-run", "--minutes", "8", *FAST, "--yes", "--user", "alice@example.org")
    assert result.exit_code == 0
    log = SessionLog.objects.get(owner=alice)
    whys = " ".join(" ".join(item["why"]) for item in log.session["items"])
    assert "left" in whys  # planned for the account's screen, which found the left side tighter


def test_a_screen_for_an_unknown_account_exits_2_and_saves_nothing(alice: User) -> None:
    result = runner.invoke(app, ["screen", "--answers", str(EXAMPLE), "--user", "nobody@example.org"])
    assert result.exit_code == 2
    assert "nobody@example.org" in result.stderr
    assert alice.screens.count() == 1  # only her safety answers


def test_play_without_the_safety_questions_answered_exits_3_and_plays_nothing(
    tmp_path: Path, safety_answers: dict[str, Any]
) -> None:
    Screen.objects.all().delete()
    result = play(*FAST, "--yes", "--context", "pre-run", "--minutes", "8")
    assert result.exit_code == 3
    assert "hipcoach screen --safety-only" in " ".join(result.stderr.split())
    assert not SessionLog.objects.exists()
    answers = tmp_path / "safety.json"
    answers.write_text(json.dumps(safety_answers))
    played = play(*FAST, "--yes", "--context", "pre-run", "--minutes", "8", "--safety", str(answers))
    assert played.exit_code == 0, played.output
    assert SessionLog.objects.count() == 1
