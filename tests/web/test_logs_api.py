"""The log API: save a session (idempotent), list and read your logs, answer the morning check.

Every endpoint is tried by its owner, another runner and an anonymous client.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.training.log import save_log
from hipcoach.app.training.models import DrillEntry, MorningCheck, ProgressionEvent, ProgressionState, SessionLog
from hipcoach.core.catalogue import default_catalogue

pytestmark = pytest.mark.django_db


def drill(
    drill_id: str = "forward-leg-swing",
    *,
    amount: int = 10,
    sets: int = 1,
    sides: tuple[str, ...] = ("left", "right"),
    rating: str = "ok",
    pain: Any = 0,
) -> dict[str, Any]:
    return {
        "drill_id": drill_id,
        "amount": amount,
        "sets": sets,
        "sides_done": list(sides),
        "rating": rating,
        "pain": pain,
    }


def log_body(
    key: str = "a1b2c3d4-first-session", drills: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    drills = drills if drills is not None else [drill(), drill("clamshell", amount=10, sets=2, rating="easy")]
    session = {"items": [{"drill_id": d["drill_id"]} for d in drills], "timeline": []}
    return {"client_key": key, "context": "pre-run", "drills": drills, "session": session, **extra}


def post(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def alice_token(alice: User) -> str:
    _, token = issue_token(alice, "watch sync")
    return token


# ---- saving ---------------------------------------------------------------------------------------------


def test_a_saved_session_comes_back_with_its_drills(alice_client: Client, alice: User) -> None:
    response = post(alice_client, "/api/v1/logs", log_body(notes="Felt loose", seconds_done=412))
    assert response.status_code == 201
    body = response.json()
    assert body["context"] == "pre-run"
    assert body["planned_for"] == timezone.localdate().isoformat()
    assert body["notes"] == "Felt loose"
    assert body["minutes"] == 6.9
    assert [d["drill_id"] for d in body["drills"]] == ["forward-leg-swing", "clamshell"]
    assert body["drills"][1]["name"] == "Clamshell"
    assert body["source"] == "web"
    assert body["red_flag"] is False
    log = SessionLog.objects.get(owner=alice)
    assert log.drills.count() == 2


def test_a_retried_save_returns_the_same_log_and_stores_one(alice_client: Client, alice: User) -> None:
    first = post(alice_client, "/api/v1/logs", log_body())
    again = post(alice_client, "/api/v1/logs", log_body())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert SessionLog.objects.filter(owner=alice).count() == 1
    assert DrillEntry.objects.filter(log__owner=alice).count() == 2


def test_the_same_key_for_a_different_session_is_a_conflict_that_changes_nothing(
    alice_client: Client, alice: User
) -> None:
    post(alice_client, "/api/v1/logs", log_body())
    different = log_body(drills=[drill(pain=4)])
    response = post(alice_client, "/api/v1/logs", different)
    assert response.status_code == 409
    assert "client_key" in response.json()["detail"]
    log = SessionLog.objects.get(owner=alice)
    assert [e.pain for e in log.drills.all()] == [0, 0]


def test_two_runners_may_happen_to_use_the_same_key(alice_client: Client, bob_client: Client) -> None:
    assert post(alice_client, "/api/v1/logs", log_body()).status_code == 201
    assert post(bob_client, "/api/v1/logs", log_body()).status_code == 201
    assert SessionLog.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "loc", "words"),
    [
        ({"drills": [drill("no-such-drill")]}, ["body", "drills", 0, "drill_id"], "not a drill of the library"),
        ({"drills": [drill(pain=11)]}, ["body", "drills", 0, "pain"], "less than or equal to 10"),
        ({"drills": [drill(rating="meh")]}, ["body", "drills", 0, "rating"], "'easy', 'ok' or 'hard'"),
        ({"drills": [drill(), drill()]}, ["body", "drills", 1, "drill_id"], "already reported at drills.0"),
        ({"drills": []}, ["body", "drills"], "at least 1"),
        ({"context": "warm-up"}, ["body", "context"], "pre-run"),
        ({"client_key": "x"}, ["body", "client_key"], "at least 8"),
        ({"drills": [drill(sides=("front",))]}, ["body", "drills", 0, "sides_done", 0], "left"),
        ({"notes": "x" * 2001}, ["body", "notes"], "at most 2000"),
        ({"red_flag": "true"}, ["body", "red_flag"], "valid boolean"),
        ({"red_flag": 1}, ["body", "red_flag"], "valid boolean"),
        ({"drills": [drill(pain="3")]}, ["body", "drills", 0, "pain"], "valid integer"),
        ({"drills": [drill(pain=True)]}, ["body", "drills", 0, "pain"], "valid integer"),
        ({"drills": [drill(pain=2.5)]}, ["body", "drills", 0, "pain"], "valid integer"),
        (
            {"started_at": "2026-01-05T07:40:00Z", "finished_at": "2026-01-05T07:30:00Z"},
            ["body", "started_at"],
            "is after finished_at",
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(
    alice_client: Client, change: dict[str, Any], loc: list[Any], words: str
) -> None:
    response = post(alice_client, "/api/v1/logs", {**log_body(), **change})
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert any(p["loc"] == loc and words in p["msg"] for p in problems), problems
    assert SessionLog.objects.count() == 0
    assert ProgressionState.objects.count() == 0


def test_a_whole_number_written_with_a_point_is_taken(alice_client: Client) -> None:
    response = post(alice_client, "/api/v1/logs", {**log_body(), "drills": [drill(pain=2.0)], "seconds_done": 60.0})
    assert response.status_code == 201, response.content
    assert response.json()["drills"][0]["pain"] == 2


def test_the_description_names_the_drills_of_the_library(alice_client: Client) -> None:
    components = alice_client.get("/api/openapi.json").json()["components"]["schemas"]
    stated = components["DrillReport"]["properties"]["drill_id"]["enum"]
    assert stated == sorted(drill.id for drill in default_catalogue())


@pytest.mark.parametrize(
    ("field", "ahead", "words"),
    [
        ("finished_at", timedelta(days=2), "in the future"),
        ("planned_for", timedelta(days=10), "more than a week ahead"),
    ],
)
def test_a_log_from_the_future_is_a_422_naming_the_field(
    alice_client: Client, field: str, ahead: timedelta, words: str
) -> None:
    value = (
        (timezone.now() + ahead).isoformat() if field == "finished_at" else (timezone.localdate() + ahead).isoformat()
    )
    response = post(alice_client, "/api/v1/logs", log_body(**{field: value}))
    assert response.status_code == 422
    assert any(p["loc"] == ["body", field] and words in p["msg"] for p in response.json()["detail"])
    assert SessionLog.objects.count() == 0


def test_a_session_played_a_week_before_its_day_is_saved(alice_client: Client) -> None:
    week_ahead = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = post(alice_client, "/api/v1/logs", log_body(planned_for=week_ahead))
    assert response.status_code == 201, response.content
    assert response.json()["planned_for"] == week_ahead


def test_a_body_that_is_not_json_is_refused(alice_client: Client) -> None:
    response = alice_client.post("/api/v1/logs", "{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert "not valid JSON" in response.json()["detail"][0]["msg"]
    assert SessionLog.objects.count() == 0


def test_a_script_saves_with_its_token(alice: User, alice_token: str) -> None:
    response = post(Client(), "/api/v1/logs", log_body(source="terminal"), **bearer(alice_token))
    assert response.status_code == 201
    assert SessionLog.objects.get().owner == alice


def test_a_browser_write_needs_its_csrf_token(alice: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = post(browser, "/api/v1/logs", log_body())
    assert response.status_code == 403
    assert SessionLog.objects.count() == 0
    browser.get("/today/")  # a page sets the CSRF cookie, as the player page does
    token = browser.cookies["csrftoken"].value
    assert post(browser, "/api/v1/logs", log_body(), **{"X-CSRFToken": token}).status_code == 201


def test_saving_needs_an_account(client: Client) -> None:
    response = post(client, "/api/v1/logs", log_body())
    assert response.status_code == 401
    assert post(Client(), "/api/v1/logs", log_body(), **bearer("hc_not-a-token")).status_code == 401
    assert SessionLog.objects.count() == 0


def test_the_answer_tells_what_changed_and_why(alice_client: Client) -> None:
    body = post(alice_client, "/api/v1/logs", log_body(drills=[drill("clamshell", amount=12, sets=2, pain=6)])).json()
    change = body["changes"][0]
    assert change["action"] == "step-back-dose"
    assert "pain 6/10" in change["reason"]
    assert change["after"]["amount"] == 10
    assert change["after"]["flagged"] is True


def test_a_new_warning_sign_is_kept_and_the_runner_told_to_see_a_clinician(alice_client: Client) -> None:
    body = post(alice_client, "/api/v1/logs", log_body(red_flag=True)).json()
    assert body["red_flag"] is True
    assert "see a clinician" in body["advice"][0]
    assert "take the hip screen again" in body["advice"][0]
    assert {change["action"] for change in body["changes"]} == {"stop"}


# ---- reading --------------------------------------------------------------------------------------------


def test_the_list_is_newest_first_a_page_at_a_time(alice_client: Client, alice: User, bob: User) -> None:
    start = timezone.now() - timedelta(days=5)
    for day in range(5):
        finished = (start + timedelta(days=day)).isoformat()
        post(alice_client, "/api/v1/logs", log_body(key=f"alice-session-{day}", finished_at=finished))
    save_log(bob, log_body(key="bob-session-1"))
    page = alice_client.get("/api/v1/logs?limit=2").json()
    assert page["count"] == 5
    assert [log["client_key"] for log in page["items"]] == ["alice-session-4", "alice-session-3"]
    rest = alice_client.get("/api/v1/logs?limit=2&offset=4").json()
    assert [log["client_key"] for log in rest["items"]] == ["alice-session-0"]


def test_a_page_size_out_of_range_is_a_422(alice_client: Client) -> None:
    response = alice_client.get("/api/v1/logs?limit=500")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_one_log_shows_its_session_to_its_owner_only(alice_client: Client, bob_client: Client, alice: User) -> None:
    log, _ = save_log(alice, log_body())
    mine = alice_client.get(f"/api/v1/logs/{log.pk}")
    assert mine.status_code == 200
    assert mine.json()["session"]["items"][0]["drill_id"] == "forward-leg-swing"
    assert bob_client.get(f"/api/v1/logs/{log.pk}").status_code == 404
    assert bob_client.get("/api/v1/logs").json()["count"] == 0
    assert Client().get(f"/api/v1/logs/{log.pk}").status_code == 401
    assert Client().get("/api/v1/logs").status_code == 401


# ---- the morning check ----------------------------------------------------------------------------------


@pytest.fixture
def this_morning(freeze_clock: Any) -> datetime:
    """Nine o'clock this morning, whatever time the tests run."""
    return freeze_clock(timezone.localdate(), hour=9)


def yesterdays_log(owner: User, now: datetime, **extra: Any) -> SessionLog:
    finished = (now - timedelta(days=1)).replace(hour=18).isoformat()
    log, _ = save_log(owner, log_body(drills=[drill(amount=12)], finished_at=finished, **extra))
    return log


def test_worse_next_morning_steps_back_and_flags(alice_client: Client, alice: User, this_morning: datetime) -> None:
    log = yesterdays_log(alice, this_morning)
    response = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": True})
    assert response.status_code == 201
    body = response.json()
    assert body["morning_check"]["worse"] is True
    stepped = [c for c in body["changes"] if c["action"] == "step-back-dose"]
    assert "worse the next morning" in stepped[0]["reason"]
    state = ProgressionState.objects.get(owner=alice, chain_start="forward-leg-swing").to_core()
    assert (state.amount, state.flagged) == (10, True)


def test_answering_the_morning_check_again_changes_nothing(
    alice_client: Client, alice: User, this_morning: datetime
) -> None:
    log = yesterdays_log(alice, this_morning)
    post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": True})
    events = ProgressionEvent.objects.count()
    again = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": True})
    assert again.status_code == 200
    assert ProgressionEvent.objects.count() == events
    assert ProgressionState.objects.get(owner=alice).to_core().amount == 10
    other = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": False})
    assert other.status_code == 409
    assert "already answered: worse" in other.json()["detail"]


def test_not_worse_keeps_the_dose(alice_client: Client, alice: User, this_morning: datetime) -> None:
    log = yesterdays_log(alice, this_morning)
    response = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": False})
    assert response.status_code == 201
    assert ProgressionState.objects.get(owner=alice).to_core().amount == 12
    assert not ProgressionEvent.objects.exists()


def test_the_morning_check_waits_for_the_next_morning(alice_client: Client, alice: User) -> None:
    log, _ = save_log(alice, log_body())
    response = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": True})
    assert response.status_code == 409
    assert "opens at 04:00" in response.json()["detail"]
    assert not MorningCheck.objects.exists()


def test_the_morning_check_closes_at_the_end_of_the_next_day(
    alice_client: Client, alice: User, this_morning: datetime
) -> None:
    finished = (this_morning - timedelta(days=3)).isoformat()
    log, _ = save_log(alice, log_body(finished_at=finished))
    response = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": True})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_the_morning_answer_must_be_yes_or_no(alice_client: Client, alice: User, this_morning: datetime) -> None:
    log = yesterdays_log(alice, this_morning)
    response = post(alice_client, f"/api/v1/logs/{log.pk}/morning", {"worse": "maybe"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "worse"]
    assert not MorningCheck.objects.exists()


def test_only_the_owner_answers_the_morning_check(
    bob_client: Client, alice: User, alice_token: str, this_morning: datetime
) -> None:
    log = yesterdays_log(alice, this_morning)
    assert post(bob_client, f"/api/v1/logs/{log.pk}/morning", {"worse": True}).status_code == 404
    assert post(Client(), f"/api/v1/logs/{log.pk}/morning", {"worse": True}).status_code == 401
    assert not MorningCheck.objects.exists()
    mine = post(Client(), f"/api/v1/logs/{log.pk}/morning", {"worse": False}, **bearer(alice_token))
    assert mine.status_code == 201


def test_a_number_beyond_what_a_browser_reads_exactly_in_the_session_is_a_422(alice_client: Client) -> None:
    body = log_body(session={"items": [], "timeline": [{"seconds": 2**53}]})
    response = post(alice_client, "/api/v1/logs", body)
    assert response.status_code == 422
    assert any(p["loc"] == ["body", "session"] and "9007199254740991" in p["msg"] for p in response.json()["detail"])
    assert SessionLog.objects.count() == 0
