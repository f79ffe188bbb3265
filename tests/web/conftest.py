"""Named runners for the web tests, each with an account and a password: alice and bob, who have answered the
safety questions (so their pages plan), carol, who starts empty (an account to import into), and dave, who never
answered them (no plan until he does)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.core.safety import EnergySign, RedFlag


def runner_named(name: str, password: str) -> User:
    user = create_runner(f"{name}@example.org", password)
    assert isinstance(user, User)
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    """The named runners' password: long enough and uncommon enough for the validators."""
    return "hip-opener-42-lunge"


def answered_runner(name: str, password: str, request: pytest.FixtureRequest, answer: Any) -> User:
    """A named runner who answered the safety questions, unless the test is marked ``no_safety_answers`` (tests
    that count an account's screens: there the only screens are the ones a test takes)."""
    user = runner_named(name, password)
    if request.node.get_closest_marker("no_safety_answers") is None:
        answer(user)
    return user


@pytest.fixture
def alice(db: Any, password: str, request: pytest.FixtureRequest, answer_safety_questions: Any) -> User:
    return answered_runner("alice", password, request, answer_safety_questions)


@pytest.fixture
def bob(db: Any, password: str, request: pytest.FixtureRequest, answer_safety_questions: Any) -> User:
    return answered_runner("bob", password, request, answer_safety_questions)


@pytest.fixture
def carol(db: Any, password: str) -> User:
    return runner_named("carol", password)


@pytest.fixture
def dave(db: Any, password: str) -> User:
    return runner_named("dave", password)


@pytest.fixture
def dave_client(dave: User) -> Client:
    return logged_in(dave)


@pytest.fixture
def alice_client(alice: User) -> Client:
    return logged_in(alice)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return logged_in(bob)


@pytest.fixture
def carol_client(carol: User) -> Client:
    return logged_in(carol)


@pytest.fixture
def check_form() -> Callable[..., dict[str, str]]:
    """The one-page safety check as a runner fills it in (with ``changes``): age, no pain, every warning sign and
    sign of low energy availability no, no hip replacement."""

    def form(**changes: str) -> dict[str, str]:
        answers = {"age": "42", "pain_now": "0", "hip_replacement": "no"}
        answers.update({f"flag_{flag.value}": "no" for flag in RedFlag})
        answers.update({f"energy_{sign.value}": "no" for sign in EnergySign})
        answers.update(changes)
        return answers

    return form


@pytest.fixture
def player_data() -> Callable[[Any], dict[str, Any]]:
    """The session a player page carries (its ``player-data`` JSON), read from the page's response."""

    def read(response: Any) -> dict[str, Any]:
        found = re.search(
            r'<script id="player-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
        )
        assert found is not None, "the page carries no session"
        data: dict[str, Any] = json.loads(unescape(found.group(1)))
        return data

    return read


@pytest.fixture
def server_process(tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """Run a script in a process of its own, as a server starts (the settings read from its environment, a data
    folder of its own, nothing of this test run's Django set-up), and return the JSON its last line prints."""

    def run(script: str, **env: str) -> dict[str, Any]:
        inherited = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "HIPCOACH_"))}
        environment = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "hipcoach.settings",
            "HIPCOACH_DATA_DIR": str(tmp_path),
            "ALLOWED_HOSTS": "testserver",
            **env,
        }
        result = subprocess.run(
            [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120, check=True
        )
        answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        return answer

    return run


# ---- the clinic: Stride Physio with Sam (its admin) and Kim; Riverside with Lee, a clinician of another clinic ----


@pytest.fixture
def clinic(db: Any) -> Any:
    from hipcoach.app.clinic.clinics import set_up_clinic

    return set_up_clinic(
        "Stride Physio",
        phone="+44 20 7946 0000",
        email="desk@stride.example",
        booking_url="https://stride.example/book",
        hours="Mon-Fri 8:00-19:00",
    )


def clinician_named(clinic: Any, name: str, password: str, *, admin: bool = False) -> Any:
    from hipcoach.app.clinic.clinics import add_clinician

    user = create_runner(f"{name}@{clinic.name.split()[0].lower()}.example", password)
    return add_clinician(clinic, user.email, admin=admin).clinician


@pytest.fixture
def sam(clinic: Any, password: str) -> Any:
    """Stride Physio's admin clinician."""
    return clinician_named(clinic, "sam", password, admin=True)


@pytest.fixture
def kim(clinic: Any, password: str) -> Any:
    """Another clinician of Stride Physio."""
    return clinician_named(clinic, "kim", password)


@pytest.fixture
def lee(db: Any, password: str) -> Any:
    """A clinician of another clinic, Riverside."""
    from hipcoach.app.clinic.clinics import set_up_clinic

    return clinician_named(set_up_clinic("Riverside Sports Clinic", phone="+44 161 496 0000"), "lee", password)


@pytest.fixture
def sam_client(sam: Any) -> Client:
    return logged_in(sam.user)


@pytest.fixture
def alice_shares_with_sam(alice: User, sam: Any) -> Any:
    """Alice accepted Sam's invitation: Sam sees what she shares."""
    from hipcoach.app.clinic.sharing import accept, invite

    return accept(alice, invite(sam, alice.email).code)
