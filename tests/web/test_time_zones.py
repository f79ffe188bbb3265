"""Each runner's "today" is their own: one server serves runners in Sydney and in Los Angeles, and at one instant
each sees their own date on Today, in the player, the morning check, progress and the calendar."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from icalendar import Calendar

from hipcoach.app.training.log import save_log
from hipcoach.app.training.models import RunnerSettings, SessionLog

SYDNEY = "Australia/Sydney"
LOS_ANGELES = "America/Los_Angeles"
# Saturday 28 November 2026, 20:00 UTC: already Sunday 07:00 in Sydney, still Saturday 12:00 in Los Angeles.
ONE_INSTANT = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


def lives_in(user: User, zone: str, runs: list[str] | None = None) -> None:
    RunnerSettings.objects.update_or_create(owner=user, defaults={"time_zone": zone, "runs": runs or []})


@pytest.fixture
def sydney_and_los_angeles(alice: User, bob: User) -> None:
    lives_in(alice, SYDNEY, ["sun:long:90"])
    lives_in(bob, LOS_ANGELES, ["sat:easy:40"])


@pytest.mark.usefixtures("sydney_and_los_angeles")
def test_two_runners_at_one_instant_have_two_todays(
    alice_client: Client, bob_client: Client, freeze_clock: Any
) -> None:
    freeze_clock(ONE_INSTANT)
    sydney = alice_client.get("/api/v1/today").json()
    los_angeles = bob_client.get("/api/v1/today").json()
    assert (sydney["date"], sydney["weekday"]) == ("2026-11-29", "sun")
    assert (los_angeles["date"], los_angeles["weekday"]) == ("2026-11-28", "sat")
    assert [run["type"] for run in sydney["runs"]] == ["long"]
    assert [run["type"] for run in los_angeles["runs"]] == ["easy"]
    assert 'href="/play/2026-11-29/pre-run/"' in alice_client.get("/today/").content.decode()
    assert 'href="/play/2026-11-28/pre-run/"' in bob_client.get("/today/").content.decode()


@pytest.mark.usefixtures("sydney_and_los_angeles")
def test_a_one_off_session_is_logged_for_the_runners_own_day(alice_client: Client, freeze_clock: Any) -> None:
    freeze_clock(ONE_INSTANT)
    page = alice_client.get("/play/once/", {"context": "pre-run", "minutes": "6"}).content.decode()
    assert '"planned_for": "2026-11-29"' in page


@pytest.mark.usefixtures("sydney_and_los_angeles")
def test_the_players_days_are_counted_from_the_runners_today(
    alice_client: Client, bob_client: Client, freeze_clock: Any
) -> None:
    freeze_clock(ONE_INSTANT)
    # Sydney's Sunday 6 December is a week after its today; for Los Angeles it is eight days ahead.
    assert alice_client.get("/play/2026-12-06/pre-run/").status_code == 200
    assert bob_client.get("/play/2026-12-06/pre-run/").status_code == 404


def evening_log(owner: User, finished: datetime) -> SessionLog:
    body = {
        "client_key": f"evening-{owner.pk}",
        "context": "post-run",
        "finished_at": finished.isoformat(),
        "session": {"items": [], "timeline": []},
        "drills": [{"drill_id": "glute-bridge", "amount": 10, "sets": 1, "rating": "ok", "pain": 0}],
    }
    log, _ = save_log(owner, body)
    return log


@pytest.mark.usefixtures("sydney_and_los_angeles")
def test_the_morning_check_opens_at_four_in_the_runners_morning(
    alice: User, alice_client: Client, freeze_clock: Any
) -> None:
    # Saturday 19:00 in Sydney; its morning check opens at 04:00 on Sunday in Sydney, 17:00 UTC on Saturday.
    freeze_clock(datetime(2026, 11, 28, 8, 30, tzinfo=UTC))
    log = evening_log(alice, datetime(2026, 11, 28, 8, 0, tzinfo=UTC))
    freeze_clock(datetime(2026, 11, 28, 16, 0, tzinfo=UTC))  # 03:00 in Sydney
    assert f'id="morning-{log.pk}"' not in alice_client.get("/morning/").content.decode()
    freeze_clock(datetime(2026, 11, 28, 18, 0, tzinfo=UTC))  # 05:00 in Sydney, still Saturday in UTC
    assert f'id="morning-{log.pk}"' in alice_client.get("/morning/").content.decode()
    response = alice_client.post(f"/morning/{log.pk}/", {"worse": "no"})
    assert response.status_code == 302
    assert SessionLog.objects.get(pk=log.pk).morning_check.worse is False


@pytest.mark.usefixtures("sydney_and_los_angeles")
def test_progress_weeks_begin_on_the_runners_monday(
    alice_client: Client, bob_client: Client, freeze_clock: Any
) -> None:
    # Monday 30 November 07:00 in Sydney is Sunday 29 November 12:00 in Los Angeles.
    freeze_clock(datetime(2026, 11, 29, 20, 0, tzinfo=UTC))
    assert 'data-week="2026-11-30"' in alice_client.get("/progress/").content.decode()
    assert 'data-week="2026-11-30"' not in bob_client.get("/progress/").content.decode()
    assert 'data-week="2026-11-23"' in bob_client.get("/progress/").content.decode()


@pytest.mark.usefixtures("sydney_and_los_angeles")
def test_the_calendar_is_in_the_runners_time_zone(alice_client: Client, freeze_clock: Any) -> None:
    freeze_clock(ONE_INSTANT)
    feed = Calendar.from_ical(alice_client.get("/settings/calendar.ics").content)
    assert feed["X-WR-TIMEZONE"] == SYDNEY
    assert [zone["TZID"] for zone in feed.walk("VTIMEZONE")] == [SYDNEY]
    first = min(feed.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    start = first.decoded("dtstart")
    # The first session is the pre-run routine of Sunday's long run, in Sydney's morning, on Sydney's today.
    assert (start.date(), str(start.tzinfo)) == (date(2026, 11, 29), SYDNEY)
    assert start.hour < 12


def test_sign_up_takes_the_browsers_time_zone(freeze_clock: Any, db: Any) -> None:
    form = {"email": "dana@example.org", "password1": "hip-opener-42-lunge", "password2": "hip-opener-42-lunge"}
    response = Client().post("/accounts/signup/", {**form, "time_zone": SYDNEY})
    assert response.status_code == 302
    assert RunnerSettings.objects.get(owner__username="dana@example.org").time_zone == SYDNEY


def test_sign_up_ignores_a_time_zone_that_is_not_one(db: Any) -> None:
    form = {"email": "erin@example.org", "password1": "hip-opener-42-lunge", "password2": "hip-opener-42-lunge"}
    response = Client().post("/accounts/signup/", {**form, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 302
    settings = RunnerSettings.objects.filter(owner__username="erin@example.org").first()
    assert settings is None or settings.time_zone == ""


def test_settings_refuse_a_time_zone_that_is_not_one_naming_the_field(alice: User, alice_client: Client) -> None:
    body = {"runs": [], "time_zone": "Mars/Olympus_Mons"}
    response = alice_client.put("/api/v1/me/settings", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "time_zone" in response.content.decode()
    assert "IANA time zone" in response.content.decode()
    assert not RunnerSettings.objects.filter(owner=alice).exclude(time_zone="").exists()


def test_settings_without_a_time_zone_keep_the_runners(alice: User, alice_client: Client) -> None:
    lives_in(alice, SYDNEY)
    response = alice_client.put("/api/v1/me/settings", json.dumps({"runs": []}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["time_zone"] == SYDNEY


def test_the_settings_page_changes_the_time_zone(alice: User, alice_client: Client) -> None:
    page = alice_client.get("/settings/").content.decode()
    assert '<option value="Australia/Sydney">Australia/Sydney</option>' in page
    form = {
        "pre_run_minutes": "8",
        "post_run_minutes": "10",
        "strength_minutes": "20",
        "rest_day_minutes": "10",
        "strength_days": "2",
        "level": "2",
        "age_band": "under-65",
        "reminder_minutes": "30",
        "time_zone": LOS_ANGELES,
    }
    assert alice_client.post("/settings/", form).status_code == 302
    assert RunnerSettings.objects.get(owner=alice).time_zone == LOS_ANGELES
    refused = alice_client.post("/settings/", {**form, "time_zone": "Atlantis"})
    assert refused.status_code == 400
    assert "IANA time zone" in refused.content.decode()
