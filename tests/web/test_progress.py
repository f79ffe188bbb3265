"""The progress page: adherence against the usual week, the calendar, streaks, screen measures with their
smallest real change, session pain and the progression events, each runner seeing only their own."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training import progress as progress_module
from hipcoach.app.training.models import DrillEntry, ProgressionEvent, RunnerSettings, SessionLog
from hipcoach.app.training.progress import DayTotals, WeekAdherence, planned_per_week, streaks
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import Context
from hipcoach.core.profile import Profile
from hipcoach.core.screen import parse_answers
from hipcoach.core.week import WeekPreferences, plan_week

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())
# A Wednesday: this week began on Monday 23 November 2026.
TODAY = date(2026, 11, 25)
THIS_MONDAY = date(2026, 11, 23)
WEEK = ["tue:easy:40", "sat:long:100"]


@pytest.fixture(autouse=True)
def today(freeze_clock: Any) -> date:
    freeze_clock(TODAY)
    return TODAY


def save_week(user: User, runs: list[str], strength_days: int = 2) -> RunnerSettings:
    return RunnerSettings.objects.create(owner=user, runs=runs, strength_days=strength_days)


def log(user: User, day: date, context: str = "pre-run", pain: int = 0, key: str | None = None) -> SessionLog:
    finished = timezone.make_aware(datetime.combine(day, time(7, 30)))
    entry = SessionLog.objects.create(
        owner=user,
        client_key=key or f"{user.pk}-{day.isoformat()}-{context}-{SessionLog.objects.count()}",
        context=context,
        planned_for=day,
        finished_at=finished,
        session={"items": [{"drill_id": "forward-leg-swing"}]},
        pain=pain,
    )
    DrillEntry.objects.create(
        log=entry,
        order=0,
        drill_id="forward-leg-swing",
        amount=10,
        sets=1,
        sides_done=["left", "right"],
        rating="ok",
        pain=pain,
    )
    return entry


def screen(user: User, taken: date, **tests: Any) -> None:
    answers = {**EXAMPLE, "tests": {**EXAMPLE["tests"], **tests}}
    record_screen(
        parse_answers(answers), ScreenOwner(user=user), taken_at=timezone.make_aware(datetime.combine(taken, time(9)))
    )


def page(client: Client, url: str = "/progress/") -> tuple[str, dict[str, Any]]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    return html, json.loads(found.group(1))


def table_row(html: str, attribute: str, value: str) -> str:
    found = re.search(rf'<tr [^>]*{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', html, re.S)
    assert found is not None, f"no row with {attribute}={value}"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()


def stat(html: str, name: str) -> str:
    found = re.search(rf'id="{name}">\s*<span class="stat-number">(.*?)</span>\s*<span class="stat-label">', html, re.S)
    assert found is not None
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()


# --------------------------------------------------------------------------------------------------
# Planned: the usual week
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runs", "strength_days"),
    [([], 2), (WEEK, 2), (["mon:easy:30", "wed:intervals:50", "fri:tempo:40", "sun:long:120"], 3)],
)
def test_planned_sessions_are_what_the_full_week_plan_places(
    db: Any, alice: User, runs: list[str], strength_days: int
) -> None:
    record = save_week(alice, runs, strength_days)
    week = plan_week(Profile(), runs, WeekPreferences(strength_days=strength_days), catalogue=default_catalogue())
    expected = {context: week.count(context) for context in Context if week.count(context)}
    assert planned_per_week(record) == expected


def test_without_settings_the_default_week_is_planned(db: Any) -> None:
    assert sum(planned_per_week(None).values()) == 5  # two strength days and three rest-day recoveries


# --------------------------------------------------------------------------------------------------
# Adherence and streaks on the page
# --------------------------------------------------------------------------------------------------


def test_adherence_shows_done_against_planned_per_week(alice: User, alice_client: Client) -> None:
    save_week(alice, WEEK)
    planned = sum(planned_per_week(RunnerSettings.objects.get(owner=alice)).values())
    assert planned == 7
    last_monday = THIS_MONDAY - timedelta(weeks=1)
    for offset in range(7):
        log(alice, last_monday + timedelta(days=offset))
    log(alice, THIS_MONDAY, "strength")
    log(alice, THIS_MONDAY + timedelta(days=1), "pre-run")
    log(alice, THIS_MONDAY + timedelta(days=1), "post-run")
    two_weeks_ago = THIS_MONDAY - timedelta(weeks=2)
    log(alice, two_weeks_ago)

    html, data = page(alice_client)

    assert table_row(html, "data-week", last_monday.isoformat()) == "16 Nov 2026 7 7 100% on plan"
    assert table_row(html, "data-week", THIS_MONDAY.isoformat()) == "23 Nov 2026 this week 3 7 43% under way"
    assert table_row(html, "data-week", two_weeks_ago.isoformat()) == "9 Nov 2026 1 7 14%"
    assert stat(html, "this-week") == "3 / 7"
    assert data["adherence"]["done"][-3:] == [1, 7, 3]
    assert data["adherence"]["planned"][-1] == 7
    assert "This week by kind of session" in html
    assert "Strength: 1 of 2" in html


def test_week_and_day_streaks(alice: User, alice_client: Client) -> None:
    save_week(alice, [], strength_days=2)  # 5 sessions a week
    # Three full weeks on plan before this one, a week short before them, and two on plan before that.
    for weeks_back, sessions in ((1, 5), (2, 6), (3, 5), (4, 4), (5, 5), (6, 5)):
        monday = THIS_MONDAY - timedelta(weeks=weeks_back)
        for number in range(sessions):
            log(alice, monday + timedelta(days=number % 7), key=f"w{weeks_back}-{number}")
    # Days in a row: Monday to today (Wednesday), and last Sunday was logged too (from weeks_back=1, day 4 is Fri).
    for day in (THIS_MONDAY, THIS_MONDAY + timedelta(days=1), TODAY):
        log(alice, day)

    html, _ = page(alice_client)

    assert stat(html, "week-streak") == "3"  # this week (3 of 5) is under way and does not break it
    assert stat(html, "best-streak") == "3"
    assert stat(html, "day-streak") == "3"  # Sunday 22 had no session


def test_a_week_on_plan_already_counts_while_under_way() -> None:
    planned = {Context.STRENGTH: 2}
    weeks = [
        WeekAdherence(THIS_MONDAY - timedelta(weeks=1), 2, 2, planned, {Context.STRENGTH: 2}, current=False),
        WeekAdherence(THIS_MONDAY, 2, 2, planned, {Context.STRENGTH: 2}, current=True),
    ]
    days = {TODAY - timedelta(days=1): DayTotals(TODAY - timedelta(days=1), sessions=1)}
    result = streaks(weeks, days, TODAY)
    assert (result.weeks, result.best_weeks, result.this_week_met) == (2, 2, True)
    assert result.days == 1  # yesterday, while today has nothing yet


def test_a_missed_week_breaks_the_streak() -> None:
    planned = {Context.STRENGTH: 2}
    weeks = [
        WeekAdherence(THIS_MONDAY - timedelta(weeks=2), 2, 2, planned, {}, current=False),
        WeekAdherence(THIS_MONDAY - timedelta(weeks=1), 2, 1, planned, {}, current=False),
        WeekAdherence(THIS_MONDAY, 2, 0, planned, {}, current=True),
    ]
    result = streaks(weeks, {}, TODAY)
    assert (result.weeks, result.best_weeks, result.days) == (0, 1, 0)


def test_no_logs_at_all(alice: User, alice_client: Client) -> None:
    html, data = page(alice_client)
    assert stat(html, "this-week") == "0 / 5"
    assert stat(html, "week-streak") == "0"
    assert stat(html, "day-streak") == "0"
    assert 'id="no-measures"' in html
    assert 'id="no-events"' in html
    assert data["measures"] == []
    assert "set your usual week" in html


def test_an_account_dated_after_today_still_shows_this_week(alice: User, alice_client: Client) -> None:
    save_week(alice, WEEK)
    # Made where it was already tomorrow, or before the server's clock was set back.
    alice.date_joined = timezone.make_aware(datetime.combine(TODAY + timedelta(days=9), time(9)))
    alice.save()
    html, _ = page(alice_client)
    assert stat(html, "this-week") == "0 / 7"
    assert f"<h2>{TODAY:%B %Y}</h2>" in html


# --------------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------------


def test_calendar_marks_the_days_with_sessions(alice: User, alice_client: Client) -> None:
    log(alice, date(2026, 11, 3), "pre-run")
    log(alice, date(2026, 11, 3), "post-run")
    log(alice, date(2026, 11, 20), "strength")
    log(alice, date(2026, 10, 30), "rest-day")  # another month

    html, _ = page(alice_client)

    assert "<h2>November 2026</h2>" in html
    marked = dict(re.findall(r'data-day="([\d-]+)" data-sessions="(\d+)"', html))
    assert len(marked) == 30  # every day of November, none of the days shown from October or December
    assert {day: n for day, n in marked.items() if n != "0"} == {"2026-11-03": "2", "2026-11-20": "1"}
    assert "Tuesday 3 November: 2 sessions (before a run, after a run)" in html
    assert "3 sessions on 2 days this month" in html
    assert 'id="month-next"' not in html  # nothing to see in the future
    assert 'href="?month=2026-10#calendar"' in html


def test_calendar_of_an_earlier_month(alice: User, alice_client: Client) -> None:
    log(alice, date(2026, 10, 30), "rest-day")
    html, _ = page(alice_client, "/progress/?month=2026-10")
    assert "<h2>October 2026</h2>" in html
    assert 'data-day="2026-10-30" data-sessions="1"' in html
    assert 'href="?month=2026-11#calendar"' in html


def test_calendar_beyond_the_streak_window_is_still_read(alice: User, alice_client: Client) -> None:
    old = TODAY - timedelta(days=progress_module.HISTORY_DAYS + 40)
    log(alice, old)
    html, _ = page(alice_client, f"/progress/?month={old:%Y-%m}")
    assert f'data-day="{old.isoformat()}" data-sessions="1"' in html


@pytest.mark.parametrize(
    ("month", "words"),
    [("2026-13", "not a month written YYYY-MM"), ("soon", "not a month"), ("2027-01", "in the future")],
)
def test_a_bad_month_names_the_field_and_shows_this_month(alice_client: Client, month: str, words: str) -> None:
    html, _ = page(alice_client, f"/progress/?month={month}")
    message = re.search(r'id="month-message">(.*?)</p>', html, re.S)
    assert message is not None
    assert unescape(message.group(1)).startswith("month: ")
    assert words in unescape(message.group(1))
    assert "<h2>November 2026</h2>" in html


# --------------------------------------------------------------------------------------------------
# Screen measures
# --------------------------------------------------------------------------------------------------


def test_measures_per_side_with_band_and_verdict(alice: User, alice_client: Client) -> None:
    # Seated IR: left 24 -> 30 -> 36 (12 degrees, past the 8.6 smallest real change: real); right 38 -> 40 -> 41
    # (within measurement error). The Thomas test records categories, not degrees (REFERENCE 3): no measure.
    screen(alice, date(2026, 9, 1), seated_ir_deg={"left": 24, "right": 38})
    screen(alice, date(2026, 10, 1), seated_ir_deg={"left": 30, "right": 40})
    screen(alice, date(2026, 11, 1), seated_ir_deg={"left": 36, "right": 41})

    html, data = page(alice_client)

    assert table_row(html, "data-side", "left").startswith("left")
    rotation = re.search(r'<article class="measure" data-measure="seated_ir_deg">(.*?)</article>', html, re.S)
    assert rotation is not None
    block = rotation.group(1)
    assert "Seated hip internal rotation" in block
    assert table_row(block, "data-side", "left") == "left 24 → 36 deg (+12) 15.4–32.6 real change"
    assert table_row(block, "data-side", "right") == "right 38 → 41 deg (+3) 29.4–46.6 within measurement error"
    assert 'data-measure="thomas' not in html

    chart = next(c for c in data["measures"] if c["measure"] == "seated_ir_deg")
    assert chart["labels"] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    sides = {side["side"]: side for side in chart["sides"]}
    assert sides["left"]["values"] == [24, 30, 36]
    assert sides["left"]["band"] == [15.4, 32.6]
    assert sides["left"]["smallest_real_change"] == 8.6
    assert sides["left"]["verdict"] == "real change"
    assert sides["right"]["verdict"] == "within measurement error"
    knee = next(c for c in data["measures"] if c["measure"] == "knee_to_wall_cm")
    assert {s["side"]: s["band"] for s in knee["sides"]} == {"left": [7.0, 9.0], "right": [10.0, 12.0]}
    squat = next(c for c in data["measures"] if c["measure"] == "deep_squat")
    assert [s["side"] for s in squat["sides"]] == ["both"]
    assert squat["sides"][0]["band"] is None


def test_a_measure_missing_from_a_screen_leaves_a_gap(alice: User, alice_client: Client) -> None:
    screen(alice, date(2026, 9, 1), knee_to_wall_cm={"left": 8, "right": 11})
    screen(alice, date(2026, 10, 1), knee_to_wall_cm=None)
    screen(alice, date(2026, 11, 1), knee_to_wall_cm={"left": 10, "right": 11})
    _, data = page(alice_client)
    knee = next(c for c in data["measures"] if c["measure"] == "knee_to_wall_cm")
    assert knee["labels"] == ["2026-09-01", "2026-11-01"]
    assert {s["side"]: s["verdict"] for s in knee["sides"]} == {
        "left": "real change",
        "right": "within measurement error",
    }
    rotation = next(c for c in data["measures"] if c["measure"] == "seated_ir_deg")
    assert len(rotation["labels"]) == 3


# --------------------------------------------------------------------------------------------------
# Pain and progression events
# --------------------------------------------------------------------------------------------------


def test_pain_by_week(alice: User, alice_client: Client) -> None:
    log(alice, THIS_MONDAY, pain=1)
    log(alice, THIS_MONDAY + timedelta(days=1), pain=4)
    log(alice, THIS_MONDAY - timedelta(days=3), pain=2)

    html, data = page(alice_client)

    pain = data["pain"]
    assert len(pain["labels"]) == progress_module.PAIN_WEEKS
    assert pain["average"][-1] == 2.5
    assert pain["highest"][-1] == 4
    assert pain["average"][-2] == 2.0
    assert pain["average"][-3] is None
    assert (pain["safe"], pain["stop"]) == (2, 5)
    assert table_row(html, "data-pain-week", THIS_MONDAY.isoformat()) == "23 Nov 2026 2 2.5 4"


def test_progression_events_with_reasons(alice: User, bob: User, alice_client: Client) -> None:
    source = log(alice, THIS_MONDAY)
    ProgressionEvent.objects.create(
        owner=alice,
        log=source,
        at=timezone.make_aware(datetime(2026, 11, 23, 8)),
        drill_id="glute-bridge",
        action="progress",
        reason="Rated easy three sessions running at the top of the range: on to the clamshell.",
        before={"drill_id": "glute-bridge", "amount": 15, "sets": 3},
        after={"drill_id": "clamshell", "amount": 10, "sets": 2},
    )
    ProgressionEvent.objects.create(
        owner=alice,
        at=timezone.make_aware(datetime(2026, 11, 24, 8)),
        drill_id="monster-walk",
        action="step-back-dose",
        reason="Worse the next morning: one set less.",
        before={"drill_id": "monster-walk", "amount": 12, "sets": 3},
        after={"drill_id": "monster-walk", "amount": 12, "sets": 2},
    )
    ProgressionEvent.objects.create(
        owner=bob, at=timezone.now(), drill_id="clamshell", action="stop", reason="Bob's pain above 5."
    )

    html, _ = page(alice_client)

    events = re.findall(r'<li class="event ([a-z]+)" data-action="([a-z-]+)">(.*?)</li>', html, re.S)
    assert [(kind, action) for kind, action, _ in events] == [("backward", "step-back-dose"), ("forward", "progress")]
    newest = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", events[0][2]))).strip()
    assert newest.startswith("Monster walk : dose stepped back 24 Nov 2026")
    assert "monster-walk 3 x 12 → monster-walk 2 x 12" in newest
    assert "Worse the next morning: one set less." in newest
    assert "on to the clamshell" in html
    assert "1 step forward, 1 back or stop in all" in html
    assert "Bob's pain" not in html


# --------------------------------------------------------------------------------------------------
# Who sees what, and speed
# --------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/progress/")


def test_another_runner_sees_only_their_own(alice: User, bob: User, bob_client: Client) -> None:
    save_week(alice, WEEK)
    for offset in range(5):
        log(alice, THIS_MONDAY - timedelta(days=offset), pain=3)
    screen(alice, date(2026, 11, 1))
    html, data = page(bob_client)
    assert stat(html, "this-week") == "0 / 5"
    assert sum(data["adherence"]["done"]) == 0
    assert data["measures"] == []
    assert all(value is None for value in data["pain"]["average"])
    assert 'data-sessions="1"' not in html


def test_post_is_not_allowed(alice_client: Client) -> None:
    assert alice_client.post("/progress/").status_code == 405


def test_queries_do_not_grow_with_the_log(
    alice: User, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    save_week(alice, WEEK)
    screen(alice, date(2026, 9, 1))
    screen(alice, date(2026, 11, 1))
    for offset in range(120):
        entry = log(alice, TODAY - timedelta(days=offset * 3), pain=offset % 4)
        ProgressionEvent.objects.create(
            owner=alice, log=entry, drill_id="clamshell", action="raise-dose", reason="easy"
        )
    # the session, the user and the runner's time zone, then settings, daily totals, screens, and the events
    # with their totals; whether the account is a clinician's (the header's Clinic link), and a clinician's
    # prescription (its recovery sessions a week count as planned)
    with django_assert_max_num_queries(9):
        html, data = page(alice_client)
    assert sum(data["adherence"]["done"]) > 0
    assert html.count('class="event forward"') == progress_module.EVENTS_SHOWN


def test_one_screen_has_a_band_but_no_verdict_yet(alice: User, alice_client: Client) -> None:
    screen(alice, date(2026, 11, 1))
    html, data = page(alice_client)
    rotation = re.search(r'<article class="measure" data-measure="seated_ir_deg">(.*?)</article>', html, re.S)
    assert rotation is not None
    assert table_row(rotation.group(1), "data-side", "left") == "left 24 deg 15.4–32.6 one screen so far"
    chart = next(c for c in data["measures"] if c["measure"] == "seated_ir_deg")
    assert chart["labels"] == ["2026-11-01"]


# ---- a chart only with two points or more ----------------------------------------------------------------

CHART_SCRIPT = "/static/vendor/chart-4.6.1.umd.min.js"


def test_a_new_runner_reads_sentences_and_loads_no_chart(alice: User, alice_client: Client) -> None:
    save_week(alice, WEEK)
    html, _ = page(alice_client)
    assert "<canvas" not in html
    assert CHART_SCRIPT not in html
    planned = progress_module.progress_of(alice).planned_total
    assert f"Your first week: 0 of {planned} sessions done. A chart of your weeks starts with the second." in html
    assert "No session logged yet" in html


def test_one_week_of_sessions_and_one_screen_are_sentences_not_charts(alice: User, alice_client: Client) -> None:
    save_week(alice, WEEK)
    log(alice, THIS_MONDAY, pain=2)
    log(alice, TODAY, pain=4)
    screen(alice, date(2026, 11, 24))
    html, _ = page(alice_client)
    assert "<canvas" not in html
    assert CHART_SCRIPT not in html
    pain = re.search(r'<p id="pain-one-week">(.*?)</p>', html, re.S)
    assert pain is not None
    assert "3.0 on average, 4 at most, over 2 sessions" in unescape(pain.group(1))
    assert 'id="one-screen"' in html
    # One short table of the screen's values; each measure's band folds away until a second screen.
    assert table_row(html, "data-measure", "seated_ir_deg") == "Seated hip internal rotation left 24 deg, right 38 deg"
    bands = re.search(r'<details class="measure-bands">(.*?)</details>', html, re.S)
    assert bands is not None
    assert '<article class="measure" data-measure="seated_ir_deg">' in bands.group(1)


def test_two_weeks_and_two_screens_draw_every_chart(alice: User, alice_client: Client) -> None:
    save_week(alice, WEEK)
    log(alice, THIS_MONDAY - timedelta(days=7), pain=1)
    log(alice, TODAY, pain=3)
    screen(alice, date(2026, 10, 1))
    screen(alice, date(2026, 11, 24), seated_ir_deg={"left": 33, "right": 38})
    html, data = page(alice_client)
    assert CHART_SCRIPT in html
    assert 'id="adherence-chart"' in html
    assert 'id="pain-chart"' in html
    assert html.count('<canvas class="measure-chart"') == len(data["measures"])
    assert 'id="one-screen"' not in html
    # Beside a chart, its week-by-week table folds away, so the page stays short on a phone.
    weeks = re.search(r'<details class="adherence-weeks">(.*?)</details>', html, re.S)
    assert weeks is not None
    assert 'id="adherence-table"' in weeks.group(1)
