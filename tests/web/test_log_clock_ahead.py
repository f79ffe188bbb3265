"""A phone whose clock runs ahead: its log is taken with its times moved back to when it arrived, not refused
(a refused log from another page used to vanish, a warning sign with it)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hipcoach.app.training import log as services
from hipcoach.app.training.models import SessionLog

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def now(freeze_clock: Any) -> datetime:
    return freeze_clock(NOW)


def body(key: str, finished: datetime, started: datetime | None = None, **extra: Any) -> str:
    return json.dumps(
        {
            "client_key": key,
            "context": "pre-run",
            "planned_for": "2026-11-25",
            "finished_at": finished.isoformat(),
            **({"started_at": started.isoformat()} if started else {}),
            "drills": [
                {
                    "drill_id": "forward-leg-swing",
                    "amount": 10,
                    "sets": 1,
                    "sides_done": ["left", "right"],
                    "rating": "ok",
                    "pain": 0,
                }
            ],
            **extra,
        }
    )


@pytest.mark.parametrize("ahead", [timedelta(minutes=5), timedelta(minutes=25), timedelta(hours=3)])
def test_a_clock_ahead_is_moved_back_to_now_with_the_start(alice_client: Client, ahead: timedelta) -> None:
    finished = NOW + ahead
    started = finished - timedelta(minutes=8)
    response = alice_client.post(
        "/api/v1/logs", body("clock-ahead-1", finished, started, red_flag=True), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    log = SessionLog.objects.get()
    assert log.finished_at == NOW
    assert log.started_at == NOW - timedelta(minutes=8)
    assert log.red_flag is True
    # A retry of the same log later is the same log, not a conflict.
    again = alice_client.post(
        "/api/v1/logs", body("clock-ahead-1", finished, started, red_flag=True), content_type="application/json"
    )
    assert again.status_code == 200
    assert SessionLog.objects.count() == 1


def test_a_time_more_than_a_day_ahead_is_still_refused(alice_client: Client) -> None:
    finished = NOW + services.CLOCK_SKEW + timedelta(minutes=1)
    response = alice_client.post("/api/v1/logs", body("clock-ahead-2", finished), content_type="application/json")
    assert response.status_code == 422
    assert any(p["loc"] == ["body", "finished_at"] for p in response.json()["detail"])
    assert not SessionLog.objects.exists()
    assert timedelta(days=1) == services.CLOCK_SKEW
