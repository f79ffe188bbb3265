"""`hipcoach routine` and `hipcoach week` in the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hipcoach.app.screens.models import Screen
from hipcoach.cli import app
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.safety import EnergySign, RedFlag

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent / "data" / "screen_example.json"
pytestmark = pytest.mark.django_db  # the terminal's screens: plans are made from the latest


@pytest.fixture(autouse=True)
def terminal_answered(answer_safety_questions: Any) -> Any:
    """The runner at this terminal answered the safety questions once (a screen of no account)."""
    return answer_safety_questions(None)


def routine(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["routine", *args, "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def test_a_pre_run_routine_fits_the_minutes_and_ends_on_a_dynamic_drill() -> None:
    code, session = routine("--context", "pre-run", "--minutes", "8")
    assert code == 0
    assert 0.8 * 480 <= session["total_seconds"] <= 480
    assert session["total_seconds"] == sum(step["seconds"] for step in session["timeline"])
    last = default_catalogue().get(session["items"][-1]["drill_id"])
    assert last.kind == "dynamic"
    for item in session["items"]:
        assert {"drill_id", "name", "sides", "dose", "sets", "seconds", "why"} <= item.keys()
        assert item["why"]
    assert session["profile_source"].startswith("your screen of ")


def test_the_screen_file_personalises_the_routine() -> None:
    code, session = routine("--context", "post-run", "--minutes", "10", "--screen", str(EXAMPLE))
    assert code == 0
    assert session["profile_source"] == f"screen answers in {EXAMPLE}"
    whys = " ".join(" ".join(item["why"]) for item in session["items"])
    assert "left" in whys


def test_body_weight_only_means_no_equipment() -> None:
    code, session = routine("--context", "post-run", "--minutes", "10", "--equipment", "none")
    assert code == 0
    assert session["items"]
    assert all(not item["equipment"] for item in session["items"])


def test_a_band_and_a_roller_are_all_it_uses() -> None:
    code, session = routine("--context", "strength", "--minutes", "20", "--equipment", "foam-roller,band")
    assert code == 0
    assert {e for item in session["items"] for e in item["equipment"]} <= {"foam-roller", "band"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--context", "breakfast", "--minutes", "8"], "context: 'breakfast' is not allowed; allowed: pre-run"),
        (["--context", "pre-run", "--minutes", "0"], "minutes: 0 is not allowed"),
        (["--context", "pre-run", "--minutes", "8", "--equipment", "kettlebell"], "'kettlebell' is not allowed"),
        (
            ["--context", "pre-run", "--minutes", "8", "--level", "9"],
            "level: 9 is not allowed; allowed: a whole number",
        ),
        (["--context", "pre-run", "--minutes", "8", "--screen", "/no/such/file.json"], "--screen: cannot read"),
    ],
)
def test_bad_input_exits_2_naming_the_option(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["routine", *args])
    assert result.exit_code == 2
    assert message in result.stderr


# A picture given instead of the answers: bytes that are not UTF-8 text.
NOT_TEXT = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81"


@pytest.mark.parametrize(
    "command",
    [["routine", "--context", "pre-run", "--minutes", "8"], ["week", "--runs", "mon:easy:40,sat:long:100"]],
    ids=["routine", "week"],
)
def test_a_screen_file_that_is_not_text_exits_2_naming_the_option_and_the_file(
    tmp_path: Path, command: list[str]
) -> None:
    picture = tmp_path / "screen.png"
    picture.write_bytes(NOT_TEXT)
    result = runner.invoke(app, [*command, "--screen", str(picture)])
    assert result.exit_code == 2, result.output
    assert f"--screen: cannot read {picture}: not UTF-8 text" in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_a_screen_that_refers_gives_the_referral_not_a_routine(tmp_path: Path) -> None:
    answers = json.loads(EXAMPLE.read_text())
    answers["red_flags"] = ["night-pain"]
    flagged = tmp_path / "flagged.json"
    flagged.write_text(json.dumps(answers))
    result = runner.invoke(app, ["routine", "--context", "pre-run", "--minutes", "8", "--screen", str(flagged)])
    assert result.exit_code == 3
    assert "no session is planned" in result.stderr
    assert result.stdout == ""


@pytest.mark.django_db
def test_latest_uses_the_last_saved_screen() -> None:
    assert runner.invoke(app, ["screen", "--answers", str(EXAMPLE)]).exit_code == 0
    code, session = routine("--context", "pre-run", "--minutes", "8", "--screen", "latest")
    assert code == 0
    assert session["profile_source"].startswith("your screen of ")


@pytest.mark.django_db
def test_latest_without_a_saved_screen_says_so() -> None:
    Screen.objects.all().delete()  # not even the safety answers
    result = runner.invoke(app, ["routine", "--context", "pre-run", "--minutes", "8", "--screen", "latest"])
    assert result.exit_code == 2
    assert "no saved screen yet" in result.stderr


def test_the_week_is_built_around_the_runs() -> None:
    result = runner.invoke(app, ["week", "--runs", "mon:easy:40,wed:intervals:50,sat:long:100", "--json"])
    assert result.exit_code == 0
    week = json.loads(result.stdout)
    contexts = {day["day"]: [s["context"] for s in day["sessions"]] for day in week["days"]}
    assert contexts["mon"][0] == "pre-run"
    assert "post-run" in contexts["wed"]
    assert "post-run" in contexts["sat"]
    assert "strength" not in contexts["fri"]  # never the day before a long run
    table = runner.invoke(app, ["week", "--runs", "mon:easy:40,sat:long:100"])
    assert "Your week" in table.stdout


def test_a_malformed_run_exits_2_naming_it() -> None:
    result = runner.invoke(app, ["week", "--runs", "xyz:easy:40"])
    assert result.exit_code == 2
    assert "xyz" in result.stderr


# ---- the safety questions before any plan -------------------------------------------------------------------


def no_answers_on_record() -> None:
    Screen.objects.all().delete()


def test_a_script_without_answers_gets_exit_3_and_how_to_answer() -> None:
    no_answers_on_record()
    result = runner.invoke(app, ["routine", "--context", "pre-run", "--minutes", "8", "--json"])
    assert result.exit_code == 3
    said = " ".join(result.stderr.split())
    assert "hipcoach screen --safety-only" in said
    assert "--safety FILE" in said
    assert json.loads(result.stdout)["safety_questions_answered"] is False
    week = runner.invoke(app, ["week", "--runs", "sat:long:90"])  # not a terminal: no one to ask
    assert week.exit_code == 3
    assert not Screen.objects.exists()


def test_safety_answers_in_a_file_are_stored_then_planned_from(tmp_path: Path, safety_answers: dict[str, Any]) -> None:
    no_answers_on_record()
    answers = tmp_path / "safety.json"
    answers.write_text(json.dumps(safety_answers))
    code, session = routine("--context", "pre-run", "--minutes", "8", "--safety", str(answers))
    assert code == 0
    assert session["items"]
    assert Screen.objects.count() == 1
    code, _ = routine("--context", "pre-run", "--minutes", "8")  # answered once is enough
    assert code == 0


def test_a_bad_safety_file_exits_2_naming_the_field_and_stores_nothing(
    tmp_path: Path, safety_answers: dict[str, Any]
) -> None:
    no_answers_on_record()
    answers = tmp_path / "safety.json"
    answers.write_text(json.dumps({**safety_answers, "pain_now": 11, "red_flags": None}))
    result = runner.invoke(app, ["routine", "--context", "pre-run", "--minutes", "8", "--safety", str(answers)])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "--safety: pain_now" in said
    assert "--safety: red_flags" in said
    assert not Screen.objects.exists()


def test_a_warning_sign_in_the_safety_file_refers_instead_of_planning(
    tmp_path: Path, safety_answers: dict[str, Any]
) -> None:
    no_answers_on_record()
    answers = tmp_path / "safety.json"
    answers.write_text(json.dumps({**safety_answers, "red_flags": ["limp"]}))
    result = runner.invoke(app, ["week", "--runs", "sat:long:90", "--safety", str(answers), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["referral"]["reasons"]


# Age, pain now, "no" to every warning sign of the core, no hip replacement.
SAFETY_TYPED = "\n".join(["42", "0", *(["n"] * len(RedFlag)), *(["n"] * len(EnergySign)), "none"]) + "\n"


def test_screen_safety_only_asks_the_safety_questions_and_stores_them() -> None:
    no_answers_on_record()
    result = runner.invoke(app, ["screen", "--safety-only"], input=SAFETY_TYPED)
    assert result.exit_code == 0, result.output
    answers, _ = Screen.objects.get().to_core()
    assert (answers.age, answers.pain_now, answers.red_flags, answers.hip_replacement) == (42, 0, [], None)
    assert answers.low_energy == [], "the low-energy question is one of the safety questions"


def test_at_a_terminal_the_questions_are_asked_then_the_routine_planned(monkeypatch: pytest.MonkeyPatch) -> None:
    no_answers_on_record()
    monkeypatch.setattr("hipcoach.cli.plans.answer_them_here", lambda: True)
    result = runner.invoke(app, ["routine", "--context", "pre-run", "--minutes", "8"], input=SAFETY_TYPED)
    assert result.exit_code == 0, result.output
    assert "Safety questions" in result.stdout
    assert "pre-run:" in result.stdout  # the routine's table
    assert Screen.objects.count() == 1
