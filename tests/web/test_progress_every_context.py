"""The progress page over sessions of every context (standing series and floor sequences too), and the one
vocabulary and week skeleton it shares with Today."""

from __future__ import annotations

import inspect
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from hipcoach.app.training import progress, sessions
from hipcoach.app.training.models import DrillEntry, RunnerSettings, SessionLog
from hipcoach.core.planner import Context
from hipcoach.web.training import forms

# A Wednesday: this week began on Monday 23 November 2026.
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def on_today(freeze_clock: Any) -> date:
    freeze_clock(TODAY)
    return TODAY


def log(user: User, day: date, context: str) -> SessionLog:
    entry = SessionLog.objects.create(
        owner=user,
        client_key=f"{user.pk}-{day.isoformat()}-{context}",
        context=context,
        planned_for=day,
        finished_at=timezone.make_aware(datetime.combine(day, time(7, 30))),
        session={"items": [{"drill_id": "forward-leg-swing"}]},
        pain=1,
    )
    DrillEntry.objects.create(
        log=entry,
        order=0,
        drill_id="forward-leg-swing",
        amount=10,
        sets=1,
        sides_done=["left", "right"],
        rating="ok",
        pain=1,
    )
    return entry


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_every_context_has_one_label_used_by_the_forms_and_the_progress_page() -> None:
    assert set(forms.CONTEXT_LABELS) == set(Context)
    assert progress.CONTEXT_LABELS is forms.CONTEXT_LABELS


def test_standing_series_and_floor_sequence_sessions_show_this_month(alice: User, alice_client: Client) -> None:
    log(alice, TODAY, "standing-series")
    log(alice, TODAY - timedelta(days=1), "floor-sequence")
    log(alice, TODAY - timedelta(days=1), "pre-run")

    response = alice_client.get("/progress/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-day="2026-11-25" data-sessions="1"' in html
    assert "Wednesday 25 November: 1 session (standing series)" in html
    assert "Tuesday 24 November: 2 sessions (before a run, floor sequence)" in html
    assert '<i class="dot standing-series"></i>' in html
    assert '<i class="dot floor-sequence"></i>' in html
    text = text_of(html)
    assert "Standing series: 1 of 0" in text  # this week, by kind of session
    assert "Floor sequence: 1 of 0" in text
    legend = re.search(r'<p class="legend muted">(.*?)</p>', html, re.S)
    assert legend is not None
    assert "standing series" in text_of(legend.group(1))
    assert "floor sequence" in text_of(legend.group(1))


def test_standing_series_and_floor_sequence_sessions_show_in_an_earlier_month(
    alice: User, alice_client: Client
) -> None:
    log(alice, date(2026, 10, 6), "standing-series")
    log(alice, date(2026, 10, 7), "floor-sequence")

    response = alice_client.get("/progress/?month=2026-10")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>October 2026</h2>" in html
    assert "Tuesday 6 October: 1 session (standing series)" in html
    assert "Wednesday 7 October: 1 session (floor sequence)" in html
    assert "2 sessions on 2 days this month" in html


@pytest.mark.parametrize("strength_days", [2, 3])
@pytest.mark.parametrize("runs", [[], ["tue:easy:40", "sat:long:100"], ["mon:easy:30", "wed:tempo:45"]])
def test_planned_sessions_come_from_todays_week_skeleton(alice: User, runs: list[str], strength_days: int) -> None:
    record = RunnerSettings.objects.create(owner=alice, runs=runs, strength_days=strength_days)
    sessions._skeleton.cache_clear()
    planned = progress.planned_per_week(record)
    assert sessions._skeleton.cache_info().currsize == 1  # the progress page placed the week with Today's skeleton
    slots = [slot.context for day in sessions.week_skeleton(record.week_runs(), strength_days) for slot in day]
    assert planned == {context: slots.count(context) for context in Context if slots.count(context)}
    assert sessions._skeleton.cache_info().hits >= 1


def test_the_skeleton_and_local_today_are_defined_once() -> None:
    source = inspect.getsource(progress)
    assert "plan_week(" not in source
    assert "def local_today" not in source
    assert "CONTEXT_LABELS = " not in source
