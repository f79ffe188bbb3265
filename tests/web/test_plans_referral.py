"""The planning API refers a signed-in runner exactly as Today does: a latest screen that refers, or a warning
sign reported after a session, stops every plan, whichever screen or answers the request names."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.models import SessionLog
from hipcoach.core.screen import parse_answers

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())
REFERRING = {**EXAMPLE, "red_flags": ["night-pain"]}
COMPOSE = {"context": "pre-run", "minutes": 8}
WEEK = {"runs": ["tue:easy:40", "sat:long:100"]}


def post(client: Client, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def compose(client: Client, **body: Any) -> dict[str, Any]:
    response = post(client, "/api/v1/sessions/compose", {**COMPOSE, **body})
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def plan(client: Client, **body: Any) -> dict[str, Any]:
    response = post(client, "/api/v1/weeks/plan", {**WEEK, **body})
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def days_ago(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(date.today() - timedelta(days=days), time(9, 0)))


def take_screen(user: User, answers: dict[str, Any], days: int) -> Screen:
    screen, _ = record_screen(parse_answers(answers), ScreenOwner(user=user), taken_at=days_ago(days))
    return screen


def report_warning_sign(user: User, days: int = 1) -> SessionLog:
    return SessionLog.objects.create(
        owner=user,
        client_key=f"flag-{days}",
        context="post-run",
        planned_for=days_ago(days).date(),
        finished_at=days_ago(days),
        session={"items": [{"drill_id": "glute-bridge"}], "timeline": []},
        red_flag=True,
    )


def assert_referred(body: dict[str, Any], plan_key: str, words: str = "") -> None:
    assert body[plan_key] is None
    assert body["referral"] is not None
    assert body["referral"]["reasons"]
    assert words in " ".join(body["referral"]["reasons"])


def test_a_reported_warning_sign_stops_compose_and_the_week(alice: User, alice_client: Client) -> None:
    take_screen(alice, EXAMPLE, days=10)
    assert compose(alice_client)["session"] is not None
    report_warning_sign(alice)
    assert_referred(compose(alice_client), "session", "You reported a new warning sign")
    assert_referred(plan(alice_client), "week", "You reported a new warning sign")


def test_a_reported_warning_sign_stops_the_plans_of_an_api_token(alice: User) -> None:
    take_screen(alice, EXAMPLE, days=10)
    report_warning_sign(alice)
    _, token = issue_token(alice, "phone")
    headers = {"headers": {"Authorization": f"Bearer {token}"}}
    composed = post(Client(), "/api/v1/sessions/compose", COMPOSE, **headers).json()
    assert_referred(composed, "session", "You reported a new warning sign")
    assert_referred(post(Client(), "/api/v1/weeks/plan", WEEK, **headers).json(), "week")


def test_a_warning_sign_without_any_screen_still_stops_the_plans(alice: User, alice_client: Client) -> None:
    report_warning_sign(alice)
    assert_referred(compose(alice_client), "session", "You reported a new warning sign")
    assert_referred(plan(alice_client), "week", "You reported a new warning sign")


def test_a_screen_taken_after_the_warning_sign_unlocks_the_plans(alice: User, alice_client: Client) -> None:
    take_screen(alice, EXAMPLE, days=10)
    report_warning_sign(alice, days=3)
    take_screen(alice, EXAMPLE, days=1)
    assert compose(alice_client)["session"] is not None
    assert plan(alice_client)["week"] is not None


def test_an_older_screen_does_not_override_a_latest_screen_that_refers(alice: User, alice_client: Client) -> None:
    older = take_screen(alice, EXAMPLE, days=10)
    take_screen(alice, REFERRING, days=1)
    assert_referred(compose(alice_client, screen_id=older.pk), "session")
    assert_referred(plan(alice_client, screen_id=older.pk), "week")


def test_an_older_screen_does_not_override_a_reported_warning_sign(alice: User, alice_client: Client) -> None:
    older = take_screen(alice, EXAMPLE, days=10)
    report_warning_sign(alice)
    assert_referred(compose(alice_client, screen_id=older.pk), "session", "You reported a new warning sign")
    assert_referred(plan(alice_client, screen_id=older.pk), "week", "You reported a new warning sign")


def test_answers_in_the_request_do_not_override_a_signed_in_runners_referral(alice: User, alice_client: Client) -> None:
    take_screen(alice, REFERRING, days=1)
    assert_referred(compose(alice_client, screen=EXAMPLE), "session")
    assert_referred(plan(alice_client, screen=EXAMPLE), "week")
    Screen.objects.all().delete()
    report_warning_sign(alice)
    assert_referred(compose(alice_client, screen=EXAMPLE), "session", "You reported a new warning sign")


def test_an_urgent_referral_in_the_answers_stays_urgent(alice: User, alice_client: Client) -> None:
    report_warning_sign(alice)  # not urgent on its own
    urgent = {**EXAMPLE, "red_flags": ["groin-pain-running"]}
    body = compose(alice_client, screen=urgent)
    assert body["session"] is None
    assert body["referral"]["urgent"] is True


def test_a_bad_field_is_still_named_for_a_referred_runner(alice: User, alice_client: Client) -> None:
    report_warning_sign(alice)
    response = post(alice_client, "/api/v1/sessions/compose", {**COMPOSE, "minutes": 500})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "minutes"]
    response = post(alice_client, "/api/v1/weeks/plan", {"runs": ["funday:easy:30"]})
    assert response.status_code == 422


def test_an_anonymous_runners_older_screen_does_not_override_their_latest(client: Client) -> None:
    older = post(client, "/api/v1/screens", EXAMPLE).json()
    assert post(client, "/api/v1/screens", REFERRING).status_code == 201
    assert_referred(compose(client, screen_id=older["id"]), "session")


def test_an_anonymous_caller_is_planned_from_the_answers_sent(client: Client) -> None:
    assert post(client, "/api/v1/screens", REFERRING).status_code == 201
    body = compose(client, screen=EXAMPLE)
    assert body["profile_source"] == "answers"
    assert body["session"] is not None


def test_the_export_has_the_referral_for_a_reported_warning_sign(alice: User, alice_client: Client) -> None:
    take_screen(alice, EXAMPLE, days=10)
    report_warning_sign(alice)
    exported = alice_client.get("/api/v1/me/export").json()
    assert exported["plan"]["week"] is None
    assert "You reported a new warning sign" in " ".join(exported["plan"]["referral"]["reasons"])
