"""The terminal holds an answers file to the API's bounds: a number beyond range, text no database can keep or a
file nested thousands deep exits 2 naming the option and the field, never with a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipcoach.app.screens.models import Screen
from hipcoach.cli import app

runner = CliRunner()
EXAMPLE = json.loads((Path(__file__).resolve().parent / "data" / "screen_example.json").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return " ".join(text.split())


def answers_with(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    return path


def with_huge_rotation() -> str:
    text = json.dumps(EXAMPLE)
    huge = text.replace('"seated_ir_deg": {"left": 24', '"seated_ir_deg": {"left": ' + "9" * 5000)
    assert huge != text
    return huge


COMMANDS = [
    pytest.param(["screen", "--answers"], id="screen --answers"),
    pytest.param(["routine", "--context", "pre-run", "--minutes", "8", "--screen"], id="routine --screen"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("command", COMMANDS)
def test_a_five_thousand_digit_number_exits_2_naming_the_field(tmp_path: Path, command: list[str]) -> None:
    result = runner.invoke(app, [*command, str(answers_with(tmp_path, with_huge_rotation()))])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    option = command[-1]
    assert f"error: {option}: tests.seated_ir_deg.left: a number of 5000 characters; at most 32" in flat(result.stderr)
    assert Screen.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("text", "words"), [("\u0000", "the NUL character"), ("\udfff", "a lone surrogate")])
def test_text_no_database_can_keep_exits_2_naming_the_field(
    tmp_path: Path, command: list[str], text: str, words: str
) -> None:
    path = answers_with(tmp_path, json.dumps({**EXAMPLE, "sex": text}))
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 2, result.output
    assert f"error: {command[-1]}: sex: contains {words}" in flat(result.stderr)
    assert Screen.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_nested_thousands_deep_exits_2(tmp_path: Path, command: list[str]) -> None:
    path = answers_with(tmp_path, '{"a":' * 5000)
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 2, result.output
    assert f"error: {command[-1]}: {path} is nested too deeply: more than 32 levels" in flat(result.stderr)


@pytest.mark.parametrize(
    ("runs", "message"),
    [
        (
            ",".join(["sat:long:100"] * 7000),
            "runs: '7000 runs' is not allowed; allowed: at most 21 runs a week, 3 on any day",
        ),
        ("sat:easy:10,sun:long:90,sat:easy:10,sat:easy:10,sat:easy:10", "runs[4]: 'sat:easy:10' is not allowed"),
    ],
)
def test_a_week_of_too_many_runs_exits_2_naming_the_limit(runs: str, message: str) -> None:
    result = runner.invoke(app, ["week", "--runs", runs])
    assert result.exit_code == 2, result.output
    assert message in flat(result.stderr)
