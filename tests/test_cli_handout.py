"""`hipcoach handout`: the runner's programme printed to a PDF file from the terminal, for the terminal's runner or
the one given with --user; bad input exits 2 naming the option and writes nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.training.models import RunnerSettings
from hipcoach.cli import app
from hipcoach.core.progression import PAIN_RULE

runner = CliRunner()
pytestmark = pytest.mark.django_db
PASSWORD = "hip-opener-42-lunge"


@pytest.fixture(autouse=True)
def on_monday(freeze_clock: Any) -> None:
    freeze_clock(date(2026, 3, 2))


def runner_with_a_week(email: str, answer_safety_questions: Any) -> User:
    user = create_runner(email, PASSWORD)
    answer_safety_questions(user)
    RunnerSettings.objects.update_or_create(owner=user, defaults={"runs": ["tue:easy:40", "sat:long:100"]})
    return user


@pytest.fixture
def alice(answer_safety_questions: Any) -> User:
    return runner_with_a_week("alice@example.org", answer_safety_questions)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(path.read_bytes())).pages).split())


def handout(*args: str) -> Any:
    return runner.invoke(app, ["handout", *args])


@pytest.mark.usefixtures("alice")
def test_the_handout_of_the_only_account_is_written_with_the_configured_address(tmp_path: Path, settings: Any) -> None:
    settings.HIPCOACH_BASE_URL = "https://hipcoach.example.org"
    out = tmp_path / "programme.pdf"
    result = handout("--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Handout written to {out}" in result.stdout
    text = pdf_text(out)
    assert "alice@example.org" in text
    assert "2 March 2026" in text
    assert PAIN_RULE in text
    assert "https://hipcoach.example.org/today/" in text


def test_user_chooses_whose_handout_and_url_its_address(
    alice: User, answer_safety_questions: Any, tmp_path: Path
) -> None:
    runner_with_a_week("bob@example.org", answer_safety_questions)
    out = tmp_path / "bob.pdf"
    result = handout("--user", "bob@example.org", "--out", str(out), "--url", "http://192.168.1.20:8000/")
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert "bob@example.org" in text
    assert "alice@example.org" not in text
    assert "http://192.168.1.20:8000/today/" in text


@pytest.mark.usefixtures("alice")
@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--out", "{tmp}/programme.txt"], "--out"),
        (["--out", "{tmp}/missing/programme.pdf"], "--out"),
        (["--out", "{tmp}/folder.pdf"], "--out"),
        (["--out", "{tmp}/programme.pdf", "--user", "nobody@example.org"], "--user"),
        (["--out", "{tmp}/programme.pdf", "--url", "hipcoach.example.org"], "--url"),
    ],
)
def test_bad_input_is_named_and_writes_nothing(tmp_path: Path, args: list[str], option: str) -> None:
    (tmp_path / "folder.pdf").mkdir()
    result = handout(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 2
    assert f"{option}:" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder.pdf"]


def test_a_missing_out_is_named() -> None:
    result = handout()
    assert result.exit_code == 2
    assert "--out" in result.output


def test_a_referred_runner_gets_the_referral_in_the_file(
    alice: User, answer_safety_questions: Any, freeze_clock: Any, tmp_path: Path
) -> None:
    answer_safety_questions(alice, red_flags=["night-pain"], taken_at=freeze_clock(date(2026, 3, 2), hour=9))
    out = tmp_path / "programme.pdf"
    result = handout("--out", str(out))
    assert result.exit_code == 0, result.output
    assert "your referral, no drill" in result.stdout
    text = pdf_text(out)
    assert "See a clinician before you train" in text
    assert PAIN_RULE not in text
