"""An import trusts neither the file's clock nor its scoring: no time in the future, and every screen scored
again from its answers, so a file cannot hide later screens or a referral."""

from __future__ import annotations

import copy
import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.data import data_counts
from hipcoach.app.training.models import DrillEntry, MorningCheck, ProgressionEvent, SessionLog
from hipcoach.core.screen import parse_answers, score_screen

# These tests count the screens an account holds: alice and bob start with none, not even the safety answers.
pytestmark = pytest.mark.no_safety_answers


EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())
EMPTY = dict.fromkeys(
    (
        "screens",
        "logs",
        "drill_entries",
        "morning_checks",
        "progression_states",
        "progression_events",
        "settings",
        "alerts",
        "prescriptions",
        "measurements",
        "clearances",
        "appointment_requests",
    ),
    0,
)


def days_ago(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days), time(9, 0)))


@pytest.fixture
def alice_export(alice: User, alice_client: Client) -> dict[str, Any]:
    """alice's export: a screen, a log with a morning check, and a progression event tied to it."""
    record_screen(parse_answers(EXAMPLE), ScreenOwner(user=alice), taken_at=days_ago(5))
    log = SessionLog.objects.create(
        owner=alice,
        client_key="k1-bridge-session",
        context="pre-run",
        planned_for=days_ago(3).date(),
        started_at=days_ago(3) - timedelta(minutes=8),
        finished_at=days_ago(3),
        session={"items": [{"drill_id": "glute-bridge"}], "timeline": []},
    )
    DrillEntry.objects.create(
        log=log, order=0, drill_id="glute-bridge", amount=12, sets=2, sides_done=["both"], rating="ok", pain=1
    )
    MorningCheck.objects.create(log=log, worse=False, answered_at=days_ago(2))
    ProgressionEvent.objects.create(
        owner=alice,
        log=log,
        at=days_ago(3),
        drill_id="glute-bridge",
        action="progress",
        reason="Easy three times.",
        before=None,
        after=None,
    )
    response = alice_client.get("/api/v1/me/export")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def post_import(client: Client, document: dict[str, Any]) -> Any:
    return client.post("/api/v1/me/import", json.dumps(document), content_type="application/json")


def changed(document: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    target: Any = copied
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copied


def refused(client: Client, user: User, document: dict[str, Any], loc: list[str | int], words: str) -> None:
    response = post_import(client, document)
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert loc in [problem["loc"] for problem in problems], problems
    assert words in next(p["msg"] for p in problems if p["loc"] == loc)
    assert data_counts(user) == EMPTY


def two_days_ahead() -> str:
    """An instant well past the clock skew a phone is allowed."""
    return (timezone.now() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    "path",
    [
        ["screens", 0, "taken_at"],
        ["logs", 0, "finished_at"],
        ["logs", 0, "started_at"],
        ["logs", 0, "morning_check", "answered_at"],
        ["plan", "progression_events", 0, "at"],
        ["exported_at"],
    ],
)
def test_a_time_in_the_future_is_refused_and_nothing_is_imported(
    alice_export: dict[str, Any], carol: User, carol_client: Client, path: list[str | int]
) -> None:
    refused(carol_client, carol, changed(alice_export, path, two_days_ahead()), ["body", *path], "in the future")


def test_a_screen_dated_in_the_future_cannot_hide_the_runners_later_screens(
    alice_export: dict[str, Any], carol: User, carol_client: Client
) -> None:
    document = changed(alice_export, ["screens", 0, "taken_at"], two_days_ahead())
    assert post_import(carol_client, document).status_code == 422
    assert not Screen.objects.filter(owner=carol).exists()


def test_a_clock_a_little_fast_is_allowed(alice_export: dict[str, Any], carol: User, carol_client: Client) -> None:
    soon = (timezone.now() + timedelta(minutes=2)).isoformat()
    document = changed(changed(alice_export, ["screens", 0, "taken_at"], soon), ["exported_at"], soon)
    response = post_import(carol_client, document)
    assert response.status_code == 201, response.content


def test_answers_with_a_warning_sign_cannot_come_with_a_result_that_does_not_refer(
    alice_export: dict[str, Any], carol: User, carol_client: Client
) -> None:
    document = changed(alice_export, ["screens", 0, "answers", "red_flags"], ["night-pain"])
    assert document["screens"][0]["refer"] is False
    assert document["screens"][0]["result"]["refer"] is False
    refused(carol_client, carol, document, ["body", "screens", 0, "refer"], "the answers score")


def test_a_result_that_refers_cannot_be_dropped_from_answers_that_refer(
    alice: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    record_screen(parse_answers({**EXAMPLE, "red_flags": ["night-pain"]}), ScreenOwner(user=alice))
    document = alice_client.get("/api/v1/me/export").json()
    document["screens"][0]["refer"] = document["screens"][0]["result"]["refer"] = False
    refused(carol_client, carol, document, ["body", "screens", 0, "refer"], "the answers score")


def test_the_stored_result_is_the_one_scored_from_the_answers(
    alice_export: dict[str, Any], carol: User, carol_client: Client
) -> None:
    document = changed(alice_export, ["screens", 0, "result", "restrictions"], [])
    response = post_import(carol_client, document)
    assert response.status_code == 201, response.content
    stored = Screen.objects.get(owner=carol)
    assert stored.result == score_screen(parse_answers(EXAMPLE)).model_dump(mode="json")
    assert stored.result["restrictions"]


# --------------------------------------------------------------------------------------------------
# A log in the file keeps the rules the log API holds every log to (services.py, the same functions)
# --------------------------------------------------------------------------------------------------


def test_a_log_that_starts_after_it_finishes_is_refused(
    alice_export: dict[str, Any], carol: User, carol_client: Client
) -> None:
    late = (days_ago(3) + timedelta(minutes=1)).isoformat()
    document = changed(alice_export, ["logs", 0, "started_at"], late)
    refused(carol_client, carol, document, ["body", "logs", 0, "started_at"], "is after finished_at")


def test_a_log_planned_far_ahead_is_refused(alice_export: dict[str, Any], carol: User, carol_client: Client) -> None:
    ten_days_ahead = (timezone.localdate() + timedelta(days=10)).isoformat()
    document = changed(alice_export, ["logs", 0, "planned_for"], ten_days_ahead)
    refused(carol_client, carol, document, ["body", "logs", 0, "planned_for"], "more than a week ahead")


def test_a_log_planned_a_week_ahead_is_taken(alice_export: dict[str, Any], carol: User, carol_client: Client) -> None:
    week_ahead = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = post_import(carol_client, changed(alice_export, ["logs", 0, "planned_for"], week_ahead))
    assert response.status_code == 201, response.content
    assert SessionLog.objects.get(owner=carol).planned_for.isoformat() == week_ahead


def test_a_drill_reported_twice_in_a_log_is_refused(
    alice_export: dict[str, Any], carol: User, carol_client: Client
) -> None:
    entry = {"order": 0, "drill": "glute-bridge", "amount": 12, "sets": 2, "sides_done": ["both"], "rating": "ok"}
    twice = [{**entry, "pain": 0}, {**entry, "order": 1, "pain": 2}]
    document = changed(alice_export, ["logs", 0, "drills"], twice)
    refused(carol_client, carol, document, ["body", "logs", 0, "drills", 1, "drill"], "already reported at drills.0")


def test_the_upload_form_names_the_log_that_breaks_a_log_rule(
    alice_export: dict[str, Any], carol: User, carol_client: Client
) -> None:
    late = (days_ago(3) + timedelta(minutes=1)).isoformat()
    document = changed(alice_export, ["logs", 0, "started_at"], late)
    upload = SimpleUploadedFile("hipcoach.json", json.dumps(document).encode(), content_type="application/json")
    response = carol_client.post("/settings/data/", {"file": upload})
    assert response.status_code == 422
    assert "logs[0].started_at: is after finished_at" in response.content.decode()
    assert data_counts(carol) == EMPTY
