"""The four weeks ahead in a calendar app: the private feed address and the file to download."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from icalendar import Calendar

from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.models import RunnerSettings
from hipcoach.core.profile import Profile
from hipcoach.core.screen import parse_answers
from hipcoach.core.week import plan_week

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())
SATURDAY = date(2026, 11, 28)
WEEK = ["tue:easy:40", "thu:tempo:45", "sat:long:100"]


@pytest.fixture(autouse=True)
def on_saturday(freeze_clock: Any) -> None:
    freeze_clock(SATURDAY)


def save_week(user: User, runs: list[str] = WEEK, **fields: Any) -> None:
    record, _ = RunnerSettings.objects.get_or_create(owner=user)
    record.runs = runs
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()


def events_of(response: Any) -> list[Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def make_link(client: Client) -> str:
    response = client.post("/settings/calendar/link/")
    assert response.status_code == 302
    page = client.get("/settings/").content.decode()
    found = re.search(r'<code class="token" id="calendar-feed">http://testserver(/calendar/[^<]+\.ics)</code>', page)
    assert found, "the settings page shows the feed address"
    return found.group(1)


def local(value: Any) -> datetime:
    return value.dt.astimezone(ZoneInfo("UTC"))


# ---- the file ------------------------------------------------------------------------------------------------


def test_the_file_holds_every_planned_session_of_the_next_four_weeks(alice: User, alice_client: Client) -> None:
    save_week(alice)
    response = alice_client.get("/settings/calendar.ics")
    assert response["Content-Disposition"] == 'attachment; filename="hipcoach.ics"'
    events = events_of(response)
    weekly = sum(len(plan.sessions) for plan in plan_week(Profile(), WEEK).days)
    assert len(events) == 4 * weekly
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    starts = [local(event["DTSTART"]).date() for event in events]
    assert min(starts) == SATURDAY
    assert SATURDAY + timedelta(days=21) <= max(starts) <= SATURDAY + timedelta(days=27)
    for event in events:
        assert event["DTSTAMP"]
        assert local(event["DTEND"]) > local(event["DTSTART"])
        assert re.fullmatch(r"hipcoach: (pre-run|post-run|strength|rest-day) \d+ min", str(event["SUMMARY"]))


def test_pre_run_ends_as_the_run_starts_and_post_run_starts_as_it_ends(alice: User, alice_client: Client) -> None:
    save_week(alice)
    events = events_of(alice_client.get("/settings/calendar.ics"))
    first_day = [event for event in events if local(event["DTSTART"]).date() == SATURDAY]
    by_summary = {str(event["SUMMARY"]): event for event in first_day}
    pre = by_summary["hipcoach: pre-run 8 min"]
    post = by_summary["hipcoach: post-run 10 min"]
    run_start = datetime(2026, 11, 28, 7, 0, tzinfo=ZoneInfo("UTC"))
    assert local(pre["DTEND"]) == run_start
    assert local(pre["DTSTART"]) == run_start - timedelta(minutes=8)
    assert local(post["DTSTART"]) == run_start + timedelta(minutes=100)
    assert local(post["DTEND"]) == run_start + timedelta(minutes=110)


def test_each_event_lists_its_drills_and_links_to_the_player(alice: User, alice_client: Client) -> None:
    save_week(alice)
    events = events_of(alice_client.get("/settings/calendar.ics"))
    pre = next(event for event in events if str(event["SUMMARY"]).startswith("hipcoach: pre-run"))
    description = str(pre["DESCRIPTION"])
    assert "Before your" in description
    assert re.search(r"^- .+: .+$", description, re.M)
    assert str(pre["URL"]).startswith("http://testserver/play/")
    assert f"Start: {pre['URL']}" in description


def test_each_event_reminds_the_chosen_minutes_before(alice: User, alice_client: Client) -> None:
    save_week(alice, reminder_minutes=45)
    events = events_of(alice_client.get("/settings/calendar.ics"))
    for event in events:
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt == -timedelta(minutes=45)


def test_uids_stay_the_same_from_one_download_to_the_next(alice: User, alice_client: Client) -> None:
    save_week(alice)
    first = [str(event["UID"]) for event in events_of(alice_client.get("/settings/calendar.ics"))]
    save_week(alice, reminder_minutes=10)  # a change of reminder updates the events, it does not add new ones
    second = [str(event["UID"]) for event in events_of(alice_client.get("/settings/calendar.ics"))]
    assert first == second


def test_times_carry_the_server_time_zone(alice: User, alice_client: Client, settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    save_week(alice)
    response = alice_client.get("/settings/calendar.ics")
    text = response.content.decode()
    assert "BEGIN:VTIMEZONE" in text
    assert "TZID:Europe/Paris" in text
    assert re.search(r"DTSTART;TZID=Europe/Paris:20261128T065200", text)
    events = events_of(response)
    pre = next(event for event in events if str(event["SUMMARY"]) == "hipcoach: pre-run 8 min")
    assert pre["DTEND"].dt == datetime(2026, 11, 28, 7, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_referred_runner_gets_a_calendar_without_sessions(alice: User, alice_client: Client) -> None:
    save_week(alice)
    record_screen(parse_answers({**EXAMPLE, "red_flags": ["night-pain"]}), ScreenOwner(user=alice))
    assert events_of(alice_client.get("/settings/calendar.ics")) == []


# ---- the feed ------------------------------------------------------------------------------------------------


def test_the_private_address_serves_the_same_calendar_without_a_login(
    db: Any, alice: User, alice_client: Client
) -> None:
    save_week(alice)
    path = make_link(alice_client)
    feed = Client().get(path)
    assert feed["Content-Disposition"] == 'inline; filename="hipcoach.ics"'
    from_feed = [str(event["UID"]) for event in events_of(feed)]
    from_file = [str(event["UID"]) for event in events_of(alice_client.get("/settings/calendar.ics"))]
    assert from_feed == from_file
    assert from_feed
    assert Client().head(path).status_code == 200  # some calendar apps check the address first


def test_a_new_address_retires_the_old_one(alice: User, alice_client: Client) -> None:
    save_week(alice)
    old = make_link(alice_client)
    new = make_link(alice_client)
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_turned_off_address_is_404(alice: User, alice_client: Client) -> None:
    save_week(alice)
    path = make_link(alice_client)
    assert alice_client.post("/settings/calendar/revoke/").status_code == 302
    assert Client().get(path).status_code == 404
    assert RunnerSettings.objects.get(owner=alice).calendar_secret is None
    assert 'id="calendar-feed"' not in alice_client.get("/settings/").content.decode()


def test_an_unknown_address_is_404(db: Any) -> None:
    assert Client().get("/calendar/not-a-real-secret.ics").status_code == 404


def test_each_runner_has_their_own_address_and_sessions(
    alice: User, bob: User, alice_client: Client, bob_client: Client
) -> None:
    save_week(alice)
    save_week(bob, ["mon:easy:30"])
    alice_path = make_link(alice_client)
    bob_path = make_link(bob_client)
    assert Client().get(alice_path).status_code == 200  # bob's new address did not touch alice's
    alice_uids = {str(event["UID"]) for event in events_of(Client().get(alice_path))}
    bob_events = events_of(Client().get(bob_path))
    assert not alice_uids & {str(event["UID"]) for event in bob_events}
    assert not any("long run" in str(event["DESCRIPTION"]) for event in bob_events)


def test_anonymous_visitors_cannot_download_or_make_an_address(db: Any, client: Client) -> None:
    response = client.get("/settings/calendar.ics")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/settings/calendar/link/").status_code == 302
    assert client.post("/settings/calendar/revoke/").status_code == 302
    assert not RunnerSettings.objects.exclude(calendar_secret=None).exists()


def test_making_an_address_needs_a_post_with_its_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/settings/calendar/link/").status_code == 405
    assert client.post("/settings/calendar/link/").status_code == 403
    assert not RunnerSettings.objects.exclude(calendar_secret=None).exists()
