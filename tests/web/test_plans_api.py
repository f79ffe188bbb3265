"""Planning through the API: compose a session, plan a week."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hipcoach.core.week import MAX_RUN_MINUTES, RUN_PATTERN

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_compose_a_session_for_the_minutes_there_are(client: Client, safety_answers: dict[str, Any]) -> None:
    saved = post(client, "/api/v1/screens", safety_answers).json()  # the safety questions alone are enough
    response = post(client, "/api/v1/sessions/compose", {"context": "post-run", "minutes": 10})
    assert response.status_code == 200
    body = response.json()
    session = body["session"]
    assert 480 <= session["total_seconds"] <= 600
    assert body["profile_source"].startswith(f"screen {saved['id']} of ")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/sessions/compose", {"context": "post-run", "minutes": 10}),
        ("/api/v1/weeks/plan", {"runs": ["tue:tempo:45"]}),
    ],
)
def test_no_plan_before_the_safety_questions_409_says_how_to_answer(
    client: Client, path: str, body: dict[str, Any]
) -> None:
    response = post(client, path, body)
    assert response.status_code == 409
    message = response.json()["detail"]
    assert "safety questions" in message
    assert "POST /api/v1/screens" in message
    assert post(client, path, {**body, "screen": EXAMPLE}).status_code == 200  # answers sent answer them too


def test_bad_input_is_named_before_the_safety_questions_are_asked(client: Client) -> None:
    response = post(client, "/api/v1/weeks/plan", {"runs": ["funday:easy:30"]})
    assert response.status_code == 422


def test_compose_from_screen_answers_in_the_request(client: Client) -> None:
    body = post(client, "/api/v1/sessions/compose", {"context": "pre-run", "minutes": 8, "screen": EXAMPLE}).json()
    assert body["profile_source"] == "answers"
    assert body["session"]["items"]


def test_compose_uses_the_runners_latest_saved_screen(client: Client) -> None:
    saved = post(client, "/api/v1/screens", EXAMPLE).json()
    body = post(client, "/api/v1/sessions/compose", {"context": "strength", "minutes": 20}).json()
    assert body["profile_source"].startswith(f"screen {saved['id']} of ")


def test_another_runners_screen_cannot_be_used(client: Client) -> None:
    saved = post(client, "/api/v1/screens", EXAMPLE).json()
    response = post(
        Client(), "/api/v1/sessions/compose", {"context": "pre-run", "minutes": 8, "screen_id": saved["id"]}
    )
    assert response.status_code == 404
    assert response.json() == {"detail": f"No screen of yours with id {saved['id']}."}


def test_a_referring_screen_gets_the_referral_and_no_session(client: Client) -> None:
    flagged = {**EXAMPLE, "red_flags": ["groin-pain-running"]}
    body = post(client, "/api/v1/sessions/compose", {"context": "pre-run", "minutes": 8, "screen": flagged}).json()
    assert body["session"] is None
    assert body["referral"]["urgent"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"context": "lunch"}, ["body", "context"]),
        ({"minutes": -3}, ["body", "minutes"]),
        ({"minutes": 500}, ["body", "minutes"]),
        ({"level": 0}, ["body", "level"]),
        ({"equipment": ["trampoline"]}, ["body", "equipment", 0]),
        ({"recent_history": [["forward-leg-swing", "no-such-drill"]]}, ["body", "recent_history", 0, 1]),
        ({"colour": "red"}, ["body", "colour"]),
        ({"screen": {**EXAMPLE, "pain_now": 11}}, ["body", "screen", "pain_now"]),
    ],
)
def test_bad_input_gets_422_naming_the_field(client: Client, change: dict[str, Any], field: list[Any]) -> None:
    response = post(client, "/api/v1/sessions/compose", {"context": "pre-run", "minutes": 8, **change})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == field


def test_plan_a_week_around_the_runs(client: Client, safety_answers: dict[str, Any]) -> None:
    post(client, "/api/v1/screens", safety_answers)
    body = {"runs": ["tue:tempo:45", "thu:easy:30", "sun:long:90"], "preferences": {"strength_minutes": 15}}
    week = post(client, "/api/v1/weeks/plan", body).json()["week"]
    contexts = {day["day"]: [s["context"] for s in day["sessions"]] for day in week["days"]}
    assert contexts["tue"] == ["pre-run", "post-run"]
    # Strength goes after a run, never the day before a hard one: after Thursday's easy run and Sunday's long run.
    assert contexts["sun"] == ["pre-run", "post-run", "strength"]
    assert "strength" not in contexts["mon"] + contexts["sat"]
    assert [day["day"] for day in week["days"] if "strength" in contexts[day["day"]]] == ["thu", "sun"]
    strength = [s for day in week["days"] for s in day["sessions"] if s["context"] == "strength"]
    assert all(s["session"]["total_seconds"] <= 15 * 60 for s in strength)


def test_a_malformed_run_gets_422(client: Client) -> None:
    response = post(client, "/api/v1/weeks/plan", {"runs": ["funday:easy:30"]})
    assert response.status_code == 422
    assert "funday" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("run", ["SAT:long:90", "sat:long:090", " sat:long:90", "sat:long:1441", ""])
def test_a_run_not_written_as_the_description_states_gets_422(client: Client, run: str) -> None:
    response = post(client, "/api/v1/weeks/plan", {"runs": ["tue:easy:30", run]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "runs", 1]


def test_the_description_states_a_runs_pattern_that_takes_exactly_its_minutes() -> None:
    written = re.compile(RUN_PATTERN)
    taken = [minutes for minutes in range(0, 3000) if written.fullmatch(f"mon:easy:{minutes}")]
    assert taken == list(range(1, MAX_RUN_MINUTES + 1))
