"""Shared test set-up: every test run keeps its data in a temporary folder, and reads the product's one clock.

The clock (``hipcoach.core.clock``) is moved and frozen with time-machine, which changes the time every caller
sees. ``--clock=2028-02-29T12:00:00+00:00`` (or ``HIPCOACH_TEST_NOW``) runs the whole suite at another instant,
held still there, so a test that passes only on the day it was written fails at once; ``.ci/run`` runs the
date-sensitive tests again on a DST change, on 29 February and on 31 December at 23:59.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import django
import pytest
import time_machine

# Settings read HIPCOACH_DATA_DIR at import; point it away from the user's home before Django loads. Django is set
# up here, not by pytest-django from the ini file: pytest-django loads the settings it names before any conftest.py,
# which left the tests' data (and the static files a `hipcoach serve` collects) in ~/.hipcoach.
os.environ.setdefault("HIPCOACH_DATA_DIR", tempfile.mkdtemp(prefix="hipcoach-test-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hipcoach.settings")
django.setup()

MOVED_CLOCK_HELP = (
    "run the tests with the clock held at this instant, ISO 8601 with its offset "
    "(e.g. 2027-03-28T01:30:00+00:00); default: $HIPCOACH_TEST_NOW, else the real time"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--clock", default=os.environ.get("HIPCOACH_TEST_NOW") or None, help=MOVED_CLOCK_HELP)


def moved_clock(value: str) -> datetime:
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock {value!r}: give the offset too, like 2027-12-31T23:59:00+00:00")
    return instant


def pytest_configure(config: pytest.Config) -> None:
    value = config.getoption("--clock")
    if value:
        traveller = time_machine.travel(moved_clock(value), tick=False)
        traveller.start()
        config.stash[MOVED] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(MOVED, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--clock")
    return f"clock held at {moved_clock(value).isoformat()}" if value else None


MOVED = pytest.StashKey[Any]()


@pytest.fixture
def freeze_clock(time_machine: Any) -> Callable[..., datetime]:
    """Hold the product's one clock still: at an aware instant, or at ``hour`` o'clock of a day in the server's
    time zone (``TIME_ZONE``). Returns the instant."""
    from django.conf import settings

    def freeze(when: date | datetime, hour: int = 12) -> datetime:
        if isinstance(when, datetime):
            instant = when
        else:
            instant = datetime.combine(when, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
        time_machine.move_to(instant, tick=False)
        return instant

    return freeze


# Long before any test's clock: every screen a test takes is later, so it is the latest the plan reads.
SAFETY_ANSWERED_AT = datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def safety_answers() -> dict[str, Any]:
    """The safety answers alone, all answered "no" (the one-page check), as a runner sends them (the API's screen,
    ``--safety FILE``): enough for a runner to get a plan."""
    from hipcoach.app.screens.safety_check import SAFETY_EXAMPLE

    return dict(SAFETY_EXAMPLE)


@pytest.fixture
def answer_safety_questions() -> Callable[..., Any]:
    """Store the safety answers (with ``changes``) as a screen of ``user``, or of the terminal with none: the one
    helper every test uses for a runner who has answered the safety questions. Calling it returns the screen (the
    test holds the database: ``db``, ``transactional_db`` or its mark)."""
    from hipcoach.app.screens.safety_check import SAFETY_EXAMPLE
    from hipcoach.app.screens.screens import ScreenOwner, record_screen
    from hipcoach.core.screen import parse_answers

    def answer(user: Any = None, *, taken_at: datetime = SAFETY_ANSWERED_AT, **changes: Any) -> Any:
        screen, _ = record_screen(
            parse_answers({**SAFETY_EXAMPLE, **changes}), ScreenOwner(user=user), taken_at=taken_at
        )
        return screen

    return answer


ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def artefacts() -> Path:
    """The folder a test saves what a person looks over (screenshots, the figures' contact sheet) to."""
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS
