"""Today (the signed-in runner's home), the one-off session, GET /api/v1/today and the welcome steps."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training import sessions as sessions_module
from hipcoach.app.training.focus import focus_of
from hipcoach.app.training.models import RunnerSettings, SessionLog
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.profile import Finding, Profile, SideEmphasis
from hipcoach.core.screen import parse_answers
from hipcoach.core.vocabulary import Restriction, Side
from hipcoach.core.week import DAYS, MAX_RUNS_PER_DAY, Run, RunType, plan_week

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())
SATURDAY = date(2026, 11, 28)
# A long run on Saturday; strength goes after Monday's and Thursday's runs (the furthest apart of the run days), so
# Saturday holds its pre-run and post-run sessions only.
LONG_SATURDAY = ["mon:easy:40", "thu:easy:40", "sat:long:100"]


@pytest.fixture
def on_day(freeze_clock: Any) -> Any:
    """Make 'today' a chosen date for the pages and the API."""

    def set_day(day: date) -> date:
        freeze_clock(day)
        return day

    return set_day


def save_week(user: User, runs: list[str], **fields: Any) -> RunnerSettings:
    record, _ = RunnerSettings.objects.get_or_create(owner=user)
    record.runs = runs
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


def take_screen(user: User, **changes: Any) -> None:
    record_screen(parse_answers({**EXAMPLE, **changes}), ScreenOwner(user=user))


def log_session(user: User, context: str, day: date, key: str, **fields: Any) -> SessionLog:
    return SessionLog.objects.create(
        owner=user,
        client_key=key,
        context=context,
        planned_for=day,
        session={"items": [{"drill_id": "glute-bridge"}], "timeline": []},
        **fields,
    )


def cards(page: str) -> list[dict[str, Any]]:
    """Each session card: its context, whether it is done, its Start link and its drills."""
    found = []
    pattern = r'<article class="today-session([^"]*)" data-context="([^"]+)">(.*?)</article>'
    for classes, context, body in re.findall(pattern, page, re.S):
        start = re.search(r'<a class="button primary start" href="([^"]+)">Start</a>', body)
        found.append(
            {
                "context": context,
                "done": "done" in classes,
                "start": unescape(start.group(1)) if start else None,
                "drills": re.findall(r'<li><a href="/drills/[^"]+/">([^<]+)</a>', body),
                "text": unescape(re.sub(r"<[^>]+>", " ", body)),
            }
        )
    return found


def once_cards(page: str) -> list[dict[str, Any]]:
    return [card for card in cards(page) if card["start"] and card["start"].startswith("/play/once/")]


def today_page(client: Client) -> str:
    response = client.get("/today/")
    assert response.status_code == 200
    return response.content.decode()


def next_date(weekday: str, after: date = SATURDAY) -> date:
    offset = (DAYS.index(weekday) - after.weekday()) % 7  # type: ignore[arg-type]
    return after + timedelta(days=offset)


# ---- Today ---------------------------------------------------------------------------------------------------


def test_a_long_run_day_has_pre_run_before_it_and_post_run_after_it(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    page = today_page(alice_client)
    assert "Saturday 28 November 2026 · long run, 100 min" in unescape(page)
    found = cards(page)
    assert [card["context"] for card in found] == ["pre-run", "post-run"]
    pre, post = found
    assert "8 min" in pre["text"]
    assert "Before your long run" in pre["text"]
    assert "10 min" in post["text"]
    assert "After your long run" in post["text"]
    assert pre["drills"]
    assert post["drills"]
    assert pre["start"] == "/play/2026-11-28/pre-run/"
    assert post["start"] == "/play/2026-11-28/post-run/"


def test_a_strength_day_shows_the_strength_session(alice: User, alice_client: Client, on_day: Any) -> None:
    week = plan_week(Profile(), LONG_SATURDAY)
    strength_day = week.strength_days()[0]
    save_week(alice, LONG_SATURDAY)
    day = on_day(next_date(strength_day.value))
    found = cards(today_page(alice_client))
    strength = [card for card in found if card["context"] == "strength"]
    assert len(strength) == 1
    assert "20 min" in strength[0]["text"]
    assert "Strength day" in strength[0]["text"]
    assert strength[0]["start"] == f"/play/{day.isoformat()}/strength/"


def test_a_day_with_nothing_planned_says_so_and_offers_a_session_now(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    week = plan_week(Profile(), LONG_SATURDAY)
    free = next(plan.day for plan in week.days if not plan.sessions)
    save_week(alice, LONG_SATURDAY)
    on_day(next_date(free.value))
    page = today_page(alice_client)
    assert cards(page) == []
    assert "Nothing planned today" in page
    assert 'id="compose-once"' in page


def test_the_minutes_and_equipment_of_the_settings_shape_the_sessions(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY, pre_run_minutes=5, equipment=[])
    on_day(SATURDAY)
    body = alice_client.get("/api/v1/today").json()
    pre = body["sessions"][0]
    assert pre["minutes"] == 5
    assert pre["session"]["total_seconds"] <= 5 * 60
    assert all(item["equipment"] == [] for s in body["sessions"] for item in s["session"]["items"])


def test_a_session_logged_today_shows_as_done(alice: User, bob: User, alice_client: Client, on_day: Any) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    log_session(alice, "pre-run", SATURDAY, "a1")
    log_session(alice, "post-run", SATURDAY - timedelta(days=7), "a2")  # last week's does not count
    log_session(bob, "post-run", SATURDAY, "b1")  # nor does another runner's
    pre, post = cards(today_page(alice_client))
    assert pre["done"]
    assert pre["start"] is None
    assert "Done today" in pre["text"]
    assert not post["done"]
    assert post["start"] == "/play/2026-11-28/post-run/"
    body = alice_client.get("/api/v1/today").json()
    assert body["done"] == ["pre-run"]
    assert [s["done"] for s in body["sessions"]] == [True, False]


def test_two_runs_and_one_pre_run_logged_leaves_the_second_to_do(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, ["sat:easy:30", "sat:long:90"])
    on_day(SATURDAY)
    log_session(alice, "pre-run", SATURDAY, "a1")
    body = alice_client.get("/api/v1/today").json()
    pre_runs = [s for s in body["sessions"] if s["context"] == "pre-run"]
    assert [s["done"] for s in pre_runs] == [True, False]


def test_a_screen_that_refers_shows_the_referral_instead_of_any_session(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    take_screen(alice, red_flags=["pain-on-hopping"])
    page = today_page(alice_client)
    assert cards(page) == []
    assert 'id="today-referral"' in page
    assert "See a clinician today. Do not run." in page
    assert 'href="/screen/"' in page
    assert 'id="compose-once"' not in page
    body = alice_client.get("/api/v1/today").json()
    assert body["sessions"] == []
    assert body["referral"]["urgent"] is True
    assert body["referral"]["reasons"]


def test_a_warning_sign_reported_after_a_session_stops_the_plan_until_a_new_screen(
    alice: User, alice_client: Client, freeze_clock: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    freeze_clock(SATURDAY - timedelta(days=1), hour=9)
    take_screen(alice)
    freeze_clock(SATURDAY - timedelta(days=1), hour=18)
    log_session(alice, "post-run", SATURDAY - timedelta(days=1), "flag", red_flag=True)
    freeze_clock(SATURDAY, hour=8)
    page = today_page(alice_client)
    assert cards(page) == []
    assert 'id="today-referral"' in page
    assert "You reported a new warning sign" in unescape(page)
    freeze_clock(SATURDAY, hour=9)
    take_screen(alice)
    assert [card["context"] for card in cards(today_page(alice_client))] == ["pre-run", "post-run"]


def test_without_a_screen_today_asks_the_safety_questions_instead_of_planning(
    dave: User, dave_client: Client, on_day: Any
) -> None:
    save_week(dave, LONG_SATURDAY)
    on_day(SATURDAY)
    page = unescape(today_page(dave_client))
    assert 'id="safety-check"' in page
    assert cards(page) == []
    take_screen(dave)
    page = unescape(today_page(dave_client))
    assert 'id="safety-check"' not in page
    assert [card["context"] for card in cards(page)] == ["pre-run", "post-run"]
    assert dave_client.get("/api/v1/today").json()["profile_source"].startswith("screen ")


def test_a_new_runner_is_asked_for_their_week(alice_client: Client) -> None:
    page = today_page(alice_client)
    assert 'id="set-week"' in page
    assert RunnerSettings.objects.count() == 1  # made on first use, with the defaults


def holds_after_the_run(client: Client) -> list[int]:
    body = client.get("/api/v1/today").json()
    post = next(s for s in body["sessions"] if s["context"] == "post-run")
    return [
        dose["amount"] for item in post["session"]["items"] if item["unit"] == "hold_seconds" for dose in item["doses"]
    ]


def test_from_65_holds_after_a_run_last_30_to_60_seconds(alice: User, alice_client: Client, on_day: Any) -> None:
    on_day(SATURDAY)
    save_week(alice, LONG_SATURDAY, post_run_minutes=15)
    younger = holds_after_the_run(alice_client)
    assert younger
    assert all(hold <= 30 for hold in younger)
    # Every screen gives an age now (the safety questions ask it), and the screen's age is the one that counts.
    take_screen(alice, age=70)
    older = holds_after_the_run(alice_client)
    assert older
    assert all(30 <= hold <= 60 for hold in older)


def test_today_takes_the_same_few_queries_however_long_the_log(
    alice: User, alice_client: Client, on_day: Any, django_assert_max_num_queries: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    take_screen(alice)
    for number in range(40):
        log_session(alice, "pre-run", SATURDAY - timedelta(days=number + 1), f"k{number}")
    # the session, the user and the runner's time zone; then settings, screens, states, logs, the clinician's
    # prescription (one query, whether or not there is one) and the cache
    with django_assert_max_num_queries(10):
        alice_client.get("/api/v1/today")


def test_a_second_visit_reuses_the_sessions_until_something_they_depend_on_changes(
    alice: User, alice_client: Client, on_day: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    caches["sessions"].clear()
    composed: list[list[str]] = []
    plan = sessions_module.plan_week

    def counting(*args: Any, **kwargs: Any) -> Any:
        week = plan(*args, **kwargs)
        composed.append([planned.context.value for planned in week.day("sat").sessions])
        return week

    monkeypatch.setattr(sessions_module, "plan_week", counting)
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    first = alice_client.get("/api/v1/today").json()
    # Today is a day of the runner's week, composed once with every day's rules.
    assert composed == [["pre-run", "post-run"]]
    assert [session["context"] for session in first["sessions"]] == ["pre-run", "post-run"]
    assert alice_client.get("/api/v1/today").json() == first
    assert len(composed) == 1, "the second visit reuses the week"
    log_session(alice, "rest-day", SATURDAY - timedelta(days=1), "yesterday")  # new recent history
    alice_client.get("/api/v1/today")
    assert len(composed) == 2, "a new log makes a new week"


# ---- a session now ------------------------------------------------------------------------------------------


def test_a_one_off_session_fits_the_minutes_and_links_to_the_player(alice: User, alice_client: Client) -> None:
    response = alice_client.get("/today/once/", {"context": "pre-run", "minutes": "6"})
    assert response.status_code == 200
    page = response.content.decode()
    [card] = once_cards(page)
    assert card["start"] == "/play/once/?context=pre-run&seconds=360"
    assert card["drills"]
    minutes, seconds = re.search(r"6 min · (\d+) min(?: (\d+) s)?", card["text"]).groups()  # type: ignore[union-attr]
    assert int(minutes) * 60 + int(seconds or 0) <= 6 * 60


def test_a_one_off_session_can_name_the_equipment_at_hand(alice: User, alice_client: Client) -> None:
    response = alice_client.get("/today/once/", {"context": "post-run", "minutes": "10", "equipment": ["none"]})
    [card] = once_cards(response.content.decode())
    assert card["start"] == "/play/once/?context=post-run&seconds=600&equipment=none"
    needs_kit = {drill.name for drill in default_catalogue() if drill.equipment}
    assert card["drills"]
    assert not needs_kit & set(card["drills"])


def test_htmx_gets_only_the_one_off_part(alice_client: Client) -> None:
    response = alice_client.get(
        "/today/once/", {"context": "strength", "minutes": "12"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.strip().startswith('<div id="once">')
    assert "/play/once/?context=strength&amp;seconds=720" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"context": "pre-run", "minutes": "0"}, "Minutes I have: a number of minutes from 1 to 120."),
        ({"context": "pre-run", "minutes": ""}, "Minutes I have: a number of minutes from 1 to 120."),
        (
            {"context": "nap", "minutes": "6"},
            "For: pre-run, post-run, strength, rest-day, standing-series, floor-sequence.",
        ),
        (
            {"context": "pre-run", "minutes": "6", "equipment": ["none", "band"]},
            "Equipment at hand: tick None (body weight only) or what you have, not both.",
        ),
    ],
)
def test_a_one_off_request_with_a_bad_field_names_it(alice_client: Client, query: dict[str, Any], message: str) -> None:
    response = alice_client.get("/today/once/", query)
    assert response.status_code == 400
    assert f'<p class="error" role="alert">{message}</p>' in unescape(response.content.decode())
    assert "/play/once/" not in response.content.decode()


def test_a_referred_runner_gets_the_referral_for_a_one_off_too(alice: User, alice_client: Client) -> None:
    take_screen(alice, red_flags=["night-pain"])
    response = alice_client.get("/today/once/", {"context": "pre-run", "minutes": "6"})
    assert "/play/once/" not in response.content.decode()
    assert 'id="today-referral"' in response.content.decode()


# ---- the API ----------------------------------------------------------------------------------------------


def test_the_api_gives_the_date_the_sessions_with_their_timeline_and_what_is_done(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    body = alice_client.get("/api/v1/today").json()
    assert body["date"] == "2026-11-28"
    assert body["weekday"] == "sat"
    assert body["runs"] == [{"day": "sat", "type": "long", "minutes": 100}]
    assert body["referral"] is None
    assert body["done"] == []
    assert [s["context"] for s in body["sessions"]] == ["pre-run", "post-run"]
    for planned in body["sessions"]:
        assert planned["session"]["items"]
        assert planned["session"]["timeline"]
        assert planned["session"]["total_seconds"] <= planned["minutes"] * 60
        assert planned["play_url"] == f"/play/2026-11-28/{planned['context']}/"
        assert planned["run"] == {"day": "sat", "type": "long", "minutes": 100}


def test_an_api_token_gets_its_runners_today(alice: User, on_day: Any) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    _, token = issue_token(alice, "phone")
    response = Client().get("/api/v1/today", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert len(response.json()["sessions"]) == 2


def test_each_runner_gets_their_own_today(alice: User, bob: User, bob_client: Client, on_day: Any) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    log_session(alice, "pre-run", SATURDAY, "a1")
    body = bob_client.get("/api/v1/today").json()
    assert body["runs"] == []
    assert body["done"] == []
    assert "pre-run" not in [s["context"] for s in body["sessions"]]
    assert "long run" not in bob_client.get("/today/").content.decode()


def once_from_the_api(client: Client, **body: Any) -> Any:
    return client.post("/api/v1/today/once", body, content_type="application/json")


def test_the_api_gives_a_one_off_session_as_the_web_does(alice: User, alice_client: Client) -> None:
    save_week(alice, LONG_SATURDAY)
    take_screen(alice, age=70)
    response = once_from_the_api(alice_client, context="post-run", minutes=12)
    assert response.status_code == 200
    body = response.json()
    assert body["referral"] is None
    assert body["play_url"] == "/play/once/?context=post-run&seconds=720"
    assert 0 < body["session"]["total_seconds"] <= 12 * 60
    # The account's screen applies, as on the web: from 65, holds after a run last 30-60 s.
    holds = [
        dose["amount"] for item in body["session"]["items"] if item["unit"] == "hold_seconds" for dose in item["doses"]
    ]
    assert holds
    assert all(30 <= hold <= 60 for hold in holds)
    web = alice_client.get("/today/once/", {"context": "post-run", "minutes": "12"})
    assert body["play_url"] in unescape(web.content.decode())


def test_a_one_off_from_the_api_takes_the_equipment_at_hand(alice: User, alice_client: Client) -> None:
    body = once_from_the_api(alice_client, context="strength", minutes=15, equipment=[]).json()
    assert body["play_url"] == "/play/once/?context=strength&seconds=900&equipment=none"
    assert body["session"]["items"]
    assert all(not default_catalogue().get(item["drill_id"]).equipment for item in body["session"]["items"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"context": "nap", "minutes": 6}, "context"),
        ({"context": "pre-run", "minutes": 0}, "minutes"),
        ({"context": "pre-run", "minutes": 6, "equipment": ["rocket"]}, "equipment"),
    ],
)
def test_a_bad_one_off_request_to_the_api_names_the_field(
    alice_client: Client, body: dict[str, Any], field: str
) -> None:
    response = once_from_the_api(alice_client, **body)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", field]
    assert problem["msg"].startswith(f"{field}: ")


def test_a_referred_runner_gets_the_referral_instead_of_a_one_off_from_the_api(
    alice: User, alice_client: Client
) -> None:
    take_screen(alice, red_flags=["night-pain"])
    body = once_from_the_api(alice_client, context="pre-run", minutes=6).json()
    assert body["session"] is None
    assert body["referral"]["reasons"]


def test_only_a_signed_in_runner_gets_a_one_off_from_the_api(db: Any, client: Client) -> None:
    assert once_from_the_api(client, context="pre-run", minutes=6).status_code == 401


def test_anonymous_visitors_are_asked_to_log_in(db: Any, client: Client) -> None:
    for url in ("/today/", "/today/once/?context=pre-run&seconds=360", "/welcome/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/api/v1/today").status_code == 401
    assert client.get("/api/v1/today", headers={"Authorization": "Bearer hc_wrong"}).status_code == 401


def test_the_home_page_is_today_for_a_runner_and_the_welcome_for_anyone_else(
    db: Any, client: Client, alice_client: Client
) -> None:
    assert client.get("/").status_code == 200  # the visitors' home page (tests/web/test_home.py)
    assert alice_client.get("/")["Location"] == "/today/"


# ---- the welcome steps -------------------------------------------------------------------------------------


def step_states(client: Client) -> tuple[bool, bool, str]:
    page = client.get("/welcome/").content.decode()
    screen_done = bool(re.search(r'class="onboarding-step done[^"]*" id="step-screen"', page))
    week_done = bool(re.search(r'class="onboarding-step done[^"]*" id="step-week"', page))
    next_link = re.search(r'href="([^"]+)" id="next"', page)
    assert next_link
    return screen_done, week_done, next_link.group(1)


def test_signing_up_leads_to_the_welcome_steps(db: Any) -> None:
    client = Client()
    password = "hip-opener-42-lunge"
    client.post("/accounts/signup/", {"email": "carol@example.org", "password1": password, "password2": password})
    link = re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", str(mail.outbox[0].body))
    assert link
    response = client.post(link.group(1))
    assert response["Location"] == "/welcome/"
    assert step_states(client) == (False, False, "/screen/")


def test_the_welcome_steps_follow_the_runner(dave: User, bob: User, dave_client: Client) -> None:
    take_screen(bob)
    save_week(bob, LONG_SATURDAY)
    assert step_states(dave_client) == (False, False, "/screen/")  # bob's steps are not dave's
    take_screen(dave)
    assert step_states(dave_client) == (True, False, "/settings/")
    dave_client.put("/api/v1/me/settings", {"runs": LONG_SATURDAY}, content_type="application/json")
    assert step_states(dave_client) == (True, True, "/today/")


def test_the_screen_result_offers_the_next_step_to_a_runner(alice: User, alice_client: Client) -> None:
    take_screen(alice)
    screen_id = Screen.objects.filter(owner=alice).latest("taken_at").pk
    page = alice_client.get(f"/screens/{screen_id}/").content.decode()
    assert 'href="/settings/" id="next">Next: your usual week' in page


# ---- the week's skeleton ----------------------------------------------------------------------------------

RUNS = st.lists(
    st.builds(Run, day=st.sampled_from(DAYS), type=st.sampled_from(list(RunType)), minutes=st.integers(1, 240)),
    max_size=9,
).filter(lambda runs: all(sum(run.day == day for run in runs) <= MAX_RUNS_PER_DAY for day in DAYS))


@settings(max_examples=40, deadline=None)
@given(runs=RUNS, strength_days=st.sampled_from([2, 3]))
def test_the_week_skeleton_places_each_days_sessions_as_the_full_week_does(runs: list[Run], strength_days: int) -> None:
    full = plan_week(Profile(), runs, {"strength_days": strength_days})
    skeleton = sessions_module.week_skeleton(runs, strength_days)
    for plan, slots in zip(full.days, skeleton, strict=True):
        assert [(s.context, s.reason, s.session.seed) for s in plan.sessions] == [
            (slot.context, slot.reason, slot.seed) for slot in slots
        ]
        assert [None if s.run is None else plan.runs[s.run] for s in plan.sessions] == [slot.run for slot in slots]


def test_the_date_is_the_server_local_date(alice_client: Client) -> None:
    assert alice_client.get("/api/v1/today").json()["date"] == timezone.localdate().isoformat()


def test_today_asks_the_morning_after_whether_pain_or_stiffness_is_worse(
    alice: User, alice_client: Client, freeze_clock: Any
) -> None:
    morning = freeze_clock(date(2026, 11, 26), hour=9)
    last_evening = morning - timedelta(hours=15)
    log = log_session(alice, "post-run", last_evening.date(), "k-evening", finished_at=last_evening)
    page = alice_client.get("/today/").content.decode()
    assert f'id="morning-{log.pk}"' in page
    assert "Is pain or stiffness worse this morning" in page
    alice_client.post(f"/morning/{log.pk}/", {"worse": "yes"})
    log.refresh_from_db()
    assert log.morning_check.worse is True
    assert f'id="morning-{log.pk}"' not in alice_client.get("/today/").content.decode()


def test_today_keeps_the_weeks_rules_no_drill_twice_a_day_and_the_same_strength_all_week(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    strength: list[list[str]] = []
    for offset in range(7):
        on_day(SATURDAY - timedelta(days=5 - offset))  # Monday to Sunday
        sessions = alice_client.get("/api/v1/today").json()["sessions"]
        drills = [item["drill_id"] for session in sessions for item in session["session"]["items"]]
        assert len(drills) == len(set(drills)), drills
        strength += [
            sorted(item["drill_id"] for item in session["session"]["items"])
            for session in sessions
            if session["context"] == "strength"
        ]
    assert len(strength) == 2
    assert strength[0] == strength[1], "the week's strength sessions do the same exercises"


def test_today_shows_the_screens_advice_on_low_energy_availability_above_the_sessions(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    take_screen(alice, low_energy=["under-fuelling"])
    page = unescape(today_page(alice_client))
    advice = page.index('class="notice advice"')
    assert "low energy availability" in page[advice : advice + 400]
    assert advice < page.index('class="today-session')


# ---- the week ahead, the focus, and a day with nothing planned --------------------------------------------------


def strip_days(page: str) -> list[dict[str, Any]]:
    """Each day of the week strip: its date, link, what it says to a screen reader, and its marks."""
    pattern = r'<a class="strip-day([^"]*)" href="([^"]+)"\s+data-day="([^"]+)" aria-label="([^"]+)"(.*?)</a>'
    return [
        {
            "date": day,
            "href": unescape(href),
            "label": unescape(label),
            "chosen": "chosen" in classes,
            "marks": re.findall(r'<span class="mark( done)?" data-context="([^"]+)">', body),
        }
        for classes, href, day, label, body in re.findall(pattern, page, re.S)
    ]


def test_today_shows_the_week_ahead_each_day_linking_to_its_sessions(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    log_session(alice, "pre-run", SATURDAY, "a1")
    days = strip_days(today_page(alice_client))
    assert [day["date"] for day in days] == [(SATURDAY + timedelta(days=n)).isoformat() for n in range(7)]
    saturday, sunday, monday = days[0], days[1], days[2]
    assert saturday["href"] == "/today/"
    assert saturday["chosen"]
    assert saturday["label"] == (
        "Today, Saturday 28 November: long run, 100 min; before a run, done; after a run, to do"
    )
    assert saturday["marks"] == [(" done", "pre-run"), ("", "post-run")]
    assert monday["href"] == "/today/?day=2026-11-30"
    assert monday["label"].startswith("Monday 30 November: easy run, 40 min; before a run, to do")
    week = plan_week(Profile(), LONG_SATURDAY)
    assert [context for _, context in sunday["marks"]] == [s.context.value for s in week.day("sun").sessions]


def test_a_day_of_the_strip_opens_with_its_sessions_and_their_start(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    response = alice_client.get("/today/", {"day": "2026-11-30"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "<h1>Monday</h1>" in page
    monday = cards(page)
    assert monday[0]["context"] == "pre-run"
    assert monday[0]["start"] == "/play/2026-11-30/pre-run/"
    assert 'id="compose-once"' not in page, "a session now is for today"
    assert [day["chosen"] for day in strip_days(page)] == [False, False, True, False, False, False, False]
    # The player plays the very session the day's page showed.
    player = alice_client.get("/play/2026-11-30/pre-run/").content.decode()
    assert all(drill in player for drill in monday[0]["drills"])


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("monday", "day: 'monday' is not a date; a date written like 2026-11-28, from today to 2026-12-04"),
        ("2026-12-05", "day: 2026-12-05 is not in the week ahead; a date written like 2026-11-28"),
        ("2026-11-27", "day: 2026-11-27 is not in the week ahead"),
    ],
)
def test_a_day_outside_the_week_ahead_is_refused_by_name(
    alice: User, alice_client: Client, on_day: Any, day: str, message: str
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    response = alice_client.get("/today/", {"day": day})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert message in page
    assert "<h1>Today</h1>" in page, "Today itself is shown beneath the message"


def test_a_one_off_logged_today_shows_as_done_on_today_and_in_the_strip(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    # A one-off strength session: Saturday plans none, and the player logs a one-off for the day it is played.
    log_session(alice, "strength", SATURDAY, "once-1")
    page = today_page(alice_client)
    found = cards(page)
    assert [(card["context"], card["done"]) for card in found] == [
        ("pre-run", False),
        ("post-run", False),
        ("strength", True),
    ]
    assert "Done today" in found[2]["text"]
    assert "not planned" in found[2]["text"]
    assert strip_days(page)[0]["marks"][-1] == (" done", "strength")
    assert "strength (not planned), done" in strip_days(page)[0]["label"]
    body = alice_client.get("/api/v1/today").json()
    assert body["unplanned_done"] == ["strength"]
    assert body["week"][0]["sessions"][-1] == {
        "context": "strength",
        "minutes": None,
        "done": True,
        "planned": False,
        "play_url": "",
    }


def test_a_one_off_on_a_day_with_nothing_planned_shows_as_done(alice: User, alice_client: Client, on_day: Any) -> None:
    week = plan_week(Profile(), LONG_SATURDAY)
    free = next(plan.day for plan in week.days if not plan.sessions)
    save_week(alice, LONG_SATURDAY)
    day = on_day(next_date(free.value))
    log_session(alice, "rest-day", day, "once-1")
    [card] = cards(today_page(alice_client))
    assert card["context"] == "rest-day"
    assert card["done"]


def test_a_day_with_nothing_planned_offers_the_next_session_and_one_tap_to_a_session_now(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    week = plan_week(Profile(), LONG_SATURDAY)
    free = next(plan.day for plan in week.days if not plan.sessions)
    save_week(alice, LONG_SATURDAY, rest_day_minutes=12)
    day = on_day(next_date(free.value))
    page = unescape(today_page(alice_client))
    now = re.search(r'<a class="button primary" id="session-now" href="([^"]+)">([^<]+)</a>', page)
    assert now is not None
    assert now.group(1) == "/play/once/?context=rest-day&seconds=720"
    assert now.group(2) == "Start a 12-minute rest-day session now"
    assert alice_client.get(now.group(1)).status_code == 200
    # The next planned session: the first of the days after this one that has any.
    offset, plan = next(
        (n, week.day(DAYS[(day.weekday() + n) % 7]))
        for n in range(1, 7)
        if week.day(DAYS[(day.weekday() + n) % 7]).sessions
    )
    following = day + timedelta(days=offset)
    body = alice_client.get("/api/v1/today").json()
    assert body["next_session"] == {
        "date": following.isoformat(),
        "context": plan.sessions[0].context.value,
        "minutes": plan.sessions[0].minutes,
        "play_url": f"/play/{following.isoformat()}/{plan.sessions[0].context.value}/",
    }
    assert f'<p id="next-session">Next planned: <a href="/today/?day={following.isoformat()}">' in page
    assert body["session_now"]["play_url"] == "/play/once/?context=rest-day&seconds=720"


def test_a_day_with_sessions_offers_no_next_session(alice: User, alice_client: Client, on_day: Any) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    body = alice_client.get("/api/v1/today").json()
    assert body["next_session"] is None
    assert body["session_now"] is None
    assert 'id="session-now"' not in today_page(alice_client)


def test_today_says_the_focus_of_the_latest_screen_in_plain_words(
    alice: User, alice_client: Client, on_day: Any
) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    # The example's left side: a raised thigh on the Thomas test, right normal; faults on the single-leg squat.
    take_screen(alice)
    page = unescape(today_page(alice_client))
    focus = re.search(r'<p class="today-focus" id="today-focus">(.*?)</p>', page, re.S)
    assert focus is not None
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", focus.group(1)))
    assert "Your focus: left hip control on one leg; left tight hip flexors; left tight rectus femoris" in words
    assert "Key work: half-kneeling hip flexor stretch; glute activation." in words
    body = alice_client.get("/api/v1/today").json()
    assert body["focus"]["findings"][:2] == ["left hip control on one leg", "left tight hip flexors"]
    assert body["focus"]["work"] == ["half-kneeling hip flexor stretch", "glute activation"]


def test_a_tight_side_on_both_legs_says_which_gets_more_work() -> None:
    tight = Restriction.HIP_FLEXOR_TIGHTNESS
    both = [Finding(id=tight, side=side, severity=1, evidence=["thomas"]) for side in (Side.LEFT, Side.RIGHT)]
    even = focus_of(Profile(restrictions=both))
    assert even.findings == ["tight hip flexors on both sides"]
    emphasis = [SideEmphasis(id=tight, side=Side.RIGHT, reason="right thigh higher")]
    uneven = focus_of(Profile(restrictions=both, emphasis=emphasis))
    assert (
        uneven.words == "tight hip flexors on both sides, more on the right; half-kneeling hip flexor stretch; "
        "glute activation"
    )


def test_a_referred_runner_gets_no_strip_nor_focus(alice: User, alice_client: Client, on_day: Any) -> None:
    save_week(alice, LONG_SATURDAY)
    on_day(SATURDAY)
    take_screen(alice, red_flags=["pain-on-hopping"])
    body = alice_client.get("/api/v1/today").json()
    assert body["week"] == []
    assert body["focus"] is None
    page = today_page(alice_client)
    assert 'id="week-strip"' not in page
    assert 'id="today-focus"' not in page
