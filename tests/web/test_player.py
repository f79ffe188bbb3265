"""The player page, the morning check page, and what saving a session does to a runner's progression."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training import log as services
from hipcoach.app.training.log import LogConflictError, LogInputError, save_log
from hipcoach.app.training.models import MorningCheck, ProgressionEvent, ProgressionState, RunnerSettings, SessionLog
from hipcoach.app.training.morning import answer_morning
from hipcoach.app.training.today import planned_day, today_plan
from hipcoach.app.training.week_strip import STRIP_DAYS
from hipcoach.core.progression import Action
from hipcoach.core.screen import parse_answers

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())
EVERY_DAY = [f"{day}:easy:40" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
PAGE_BUDGET = 100 * 1024


def drill(
    drill_id: str = "forward-leg-swing",
    *,
    amount: int = 10,
    sets: int = 1,
    rating: str = "easy",
    pain: int = 0,
    sides: tuple[str, ...] = ("left", "right"),
) -> dict[str, Any]:
    return {
        "drill_id": drill_id,
        "amount": amount,
        "sets": sets,
        "sides_done": list(sides),
        "rating": rating,
        "pain": pain,
    }


def session_log(key: str, *drills: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A log as a client sends it; the key is made long enough, as a client's UUID is."""
    return {"client_key": f"key-{key}", "context": "pre-run", "drills": list(drills) or [drill()], **extra}


def state_of(owner: User, chain: str) -> Any:
    return ProgressionState.objects.get(owner=owner, chain_start=chain).to_core()


# ---- saving: idempotent ---------------------------------------------------------------------------------


def test_a_retry_stores_one_log_and_moves_progression_once(alice: User) -> None:
    first, created = save_log(alice, session_log("retry-key-0001"))
    again, created_again = save_log(alice, session_log("retry-key-0001"))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert SessionLog.objects.count() == 1
    assert ProgressionState.objects.count() == 1


def test_racing_retries_store_one_log(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two saves of one key that both miss the other's log: the database's unique key settles it."""
    save_log(alice, session_log("racing-key-0001"))
    monkeypatch.setattr(services, "_log_with_key", _looked_too_early())
    log, created = save_log(alice, session_log("racing-key-0001"))
    assert created is False
    assert SessionLog.objects.filter(owner=alice).count() == 1
    assert log.drills.count() == 1
    assert ProgressionEvent.objects.count() == 0


def _looked_too_early() -> Any:
    """The first look finds nothing (the other save has not committed yet); later looks see it."""
    real = services._log_with_key
    calls = {"n": 0}

    def look(owner: Any, key: str) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(owner, key)

    return look


def test_a_racing_retry_with_a_different_body_is_a_conflict(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    save_log(alice, session_log("racing-key-0002"))
    monkeypatch.setattr(services, "_log_with_key", _looked_too_early())
    with pytest.raises(LogConflictError):
        save_log(alice, session_log("racing-key-0002", drill(pain=3)))
    assert SessionLog.objects.count() == 1


def test_an_unexpected_database_error_is_not_taken_for_a_retry(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(owner: Any, payload: Any) -> Any:
        raise IntegrityError("something else")

    monkeypatch.setattr(services, "_store", broken)
    with pytest.raises(IntegrityError):
        save_log(alice, session_log("broken-key-0001"))


def test_an_invalid_log_names_every_field_and_stores_nothing(alice: User) -> None:
    with pytest.raises(LogInputError) as error:
        save_log(alice, session_log("bad-key-00001", drill("no-such-drill"), drill(pain=11), drill(rating="meh")))
    locs = [problem["loc"] for problem in error.value.problems]
    assert ["body", "drills", 1, "pain"] in locs
    assert ["body", "drills", 2, "rating"] in locs
    assert SessionLog.objects.count() == 0


# ---- progression ----------------------------------------------------------------------------------------


def test_three_easy_sessions_raise_the_dose_with_the_reason(alice: User) -> None:
    for number in range(3):
        save_log(alice, session_log(f"easy-session-{number}"))
    assert (state_of(alice, "forward-leg-swing").amount, state_of(alice, "forward-leg-swing").sets) == (12, 1)
    event = ProgressionEvent.objects.get(owner=alice)
    assert event.action == Action.RAISE_DOSE
    assert "3 sessions in a row rated easy" in event.reason
    assert (event.before["amount"], event.after["amount"]) == (10, 12)
    assert event.log == SessionLog.objects.get(client_key="key-easy-session-2")


def test_two_easy_sessions_and_a_hard_one_keep_the_dose(alice: User) -> None:
    save_log(alice, session_log("mixed-1"))
    save_log(alice, session_log("mixed-2"))
    save_log(alice, session_log("mixed-3", drill(rating="hard")))
    assert state_of(alice, "forward-leg-swing").amount == 10
    assert not ProgressionEvent.objects.exists()


def test_a_session_with_one_side_missed_does_not_count_towards_a_raise(alice: User) -> None:
    save_log(alice, session_log("sides-1"))
    save_log(alice, session_log("sides-2"))
    save_log(alice, session_log("sides-3", drill(sides=("left",))))
    assert state_of(alice, "forward-leg-swing").amount == 10


def test_pain_above_five_steps_back_and_flags(alice: User) -> None:
    save_log(alice, session_log("pain-1", drill("clamshell", amount=12, sets=2, pain=6)))
    state = state_of(alice, "glute-bridge")  # the clamshell's chain starts at the glute bridge
    assert (state.drill_id, state.amount, state.sets, state.flagged) == ("clamshell", 10, 2, True)
    event = ProgressionEvent.objects.get()
    assert event.action == Action.STEP_BACK_DOSE
    assert "pain 6/10 is above 5/10" in event.reason


def test_pain_at_the_lowest_dose_goes_back_to_the_previous_drill_of_the_chain(alice: User) -> None:
    save_log(alice, session_log("pain-2", drill("clamshell", amount=10, sets=2, pain=7)))
    state = state_of(alice, "glute-bridge")
    assert (state.drill_id, state.amount, state.sets, state.flagged) == ("glute-bridge", 15, 3, True)
    assert ProgressionEvent.objects.get().action == Action.STEP_BACK_DRILL


def test_after_a_step_back_the_count_of_easy_sessions_starts_again(alice: User) -> None:
    for number in range(3):
        save_log(alice, session_log(f"up-{number}"))
    save_log(alice, session_log("hurt", drill(amount=12, pain=6)))
    assert state_of(alice, "forward-leg-swing").amount == 10
    save_log(alice, session_log("easy-again"))  # one easy session at 10 reps is not three
    assert state_of(alice, "forward-leg-swing").amount == 10
    assert [e.action for e in ProgressionEvent.objects.order_by("id")] == [Action.RAISE_DOSE, Action.STEP_BACK_DOSE]


@pytest.mark.parametrize("pain", [0, 3, 5])
def test_a_strength_lead_in_does_not_move_the_chain(alice: User, pain: int) -> None:
    """The strength session walks the glute chain from its start; the furthest drill speaks for it, and an
    easy lead-in (pain 0-5: safe or acceptable) earns nothing."""
    for number in range(3):
        lead_in = drill("glute-bridge", amount=15, sets=3, pain=pain, sides=("both",))
        clamshell = drill("clamshell", amount=10, sets=2, rating="ok")
        save_log(alice, session_log(f"strength-{number}", lead_in, clamshell, context="strength"))
    state = state_of(alice, "glute-bridge")
    assert (state.drill_id, state.amount, state.flagged) == ("clamshell", 10, False)
    assert not ProgressionEvent.objects.exists()


# ---- pain on a strength session's lead-in (REFERENCE.md section 5) -----------------------------------------


def at_the_clamshell(owner: User) -> None:
    """A runner whose place in the glute chain is the clamshell: a strength session leads in with the bridge."""
    ProgressionState.objects.create(
        owner=owner, chain_start="glute-bridge", state={"drill_id": "clamshell", "amount": 10, "sets": 2}
    )


def lead_in_session(key: str, bridge_pain: int, **extra: Any) -> dict[str, Any]:
    bridge = drill("glute-bridge", amount=15, sets=3, rating="ok", pain=bridge_pain, sides=("both",))
    return session_log(key, bridge, drill("clamshell", amount=10, sets=2), context="strength", **extra)


def test_pain_7_on_the_bridge_done_as_a_lead_in_steps_the_glute_chain_back(alice: User) -> None:
    at_the_clamshell(alice)
    log, _ = save_log(alice, lead_in_session("lead-in-hurt", bridge_pain=7))
    state = state_of(alice, "glute-bridge")
    assert (state.drill_id, state.amount, state.sets, state.flagged) == ("glute-bridge", 13, 3, True)
    event = ProgressionEvent.objects.get()
    assert (event.log, event.action, event.drill_id) == (log, Action.STEP_BACK_DRILL, "clamshell")
    assert "Glute bridge" in event.reason
    assert "pain 7/10 is above 5/10" in event.reason
    assert (event.before["drill_id"], event.after["drill_id"]) == ("clamshell", "glute-bridge")


def test_the_step_back_for_a_painful_lead_in_is_listed_with_its_reason(alice: User, alice_client: Client) -> None:
    at_the_clamshell(alice)
    save_log(alice, lead_in_session("lead-in-listed", bridge_pain=8))
    page = unescape(alice_client.get("/progress/").content.decode())
    assert 'data-action="step-back-drill"' in page
    assert "Glute bridge, done as a lead-in before Clamshell: pain 8/10 is above 5/10" in page


def test_saving_the_same_log_twice_steps_back_once(alice: User) -> None:
    at_the_clamshell(alice)
    first, created = save_log(alice, lead_in_session("lead-in-twice", bridge_pain=7))
    again, created_again = save_log(alice, lead_in_session("lead-in-twice", bridge_pain=7))
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert ProgressionEvent.objects.count() == 1
    state = state_of(alice, "glute-bridge")
    assert (state.drill_id, state.amount, state.sets) == ("glute-bridge", 13, 3)


def test_the_next_session_does_not_act_again_on_the_lead_in_that_hurt(alice: User) -> None:
    at_the_clamshell(alice)
    save_log(alice, lead_in_session("lead-in-then", bridge_pain=7))
    bridge = drill("glute-bridge", amount=13, sets=3, rating="ok", sides=("both",))
    save_log(alice, session_log("after-lead-in", bridge, context="strength"))
    state = state_of(alice, "glute-bridge")
    assert (state.drill_id, state.amount, state.sets) == ("glute-bridge", 13, 3)
    assert ProgressionEvent.objects.count() == 1


def test_a_painful_lead_in_is_acted_on_though_the_session_completes_a_run_of_easy_ones(alice: User) -> None:
    at_the_clamshell(alice)
    for number in range(2):
        save_log(alice, session_log(f"clam-{number}", drill("clamshell", amount=10, sets=2), context="strength"))
    save_log(alice, lead_in_session("lead-in-third", bridge_pain=6))
    assert [e.action for e in ProgressionEvent.objects.all()] == [Action.STEP_BACK_DRILL]
    assert state_of(alice, "glute-bridge").drill_id == "glute-bridge"


@pytest.fixture
def this_morning(freeze_clock: Any) -> datetime:
    return freeze_clock(timezone.localdate(), hour=9)


def yesterday(now: datetime, hour: int = 18) -> str:
    return (now - timedelta(days=1)).replace(hour=hour).isoformat()


def test_worse_the_next_morning_steps_back_one_level(alice: User, this_morning: datetime) -> None:
    log, _ = save_log(alice, session_log("morning-1", drill(amount=14), finished_at=yesterday(this_morning)))
    answer_morning(alice, log.pk, worse=True)
    state = state_of(alice, "forward-leg-swing")
    assert (state.amount, state.flagged) == (12, True)
    event = ProgressionEvent.objects.get()
    assert (event.action, event.log) == (Action.STEP_BACK_DOSE, log)
    assert "worse the next morning" in event.reason


def test_a_worse_morning_after_a_session_whose_lead_in_hurt_steps_back_once(
    alice: User, alice_client: Client, this_morning: datetime
) -> None:
    """The session's pain already brought the load down; its morning does not bring it down again."""
    at_the_clamshell(alice)
    log, _ = save_log(alice, lead_in_session("lead-in-morning", bridge_pain=7, finished_at=yesterday(this_morning)))
    after_the_session = state_of(alice, "glute-bridge")
    assert (after_the_session.drill_id, after_the_session.amount) == ("glute-bridge", 13)
    answered = alice_client.post(f"/morning/{log.pk}/", {"worse": "yes"})
    state = state_of(alice, "glute-bridge")
    assert (state.drill_id, state.amount, state.sets, state.flagged) == ("glute-bridge", 13, 3, True)
    actions = [e.action for e in ProgressionEvent.objects.order_by("id")]
    assert actions.count(Action.STEP_BACK_DRILL) + actions.count(Action.STEP_BACK_DOSE) == 1
    page = alice_client.get(answered["Location"]).content.decode()
    assert "already" in page
    assert "Nothing to step back" not in page


def test_a_worse_morning_after_a_session_that_already_stepped_back_for_pain_steps_back_once(
    alice: User, this_morning: datetime
) -> None:
    log, _ = save_log(
        alice, session_log("hurt-then-morning", drill(amount=14, pain=7), finished_at=yesterday(this_morning))
    )
    assert state_of(alice, "forward-leg-swing").amount == 12
    answer_morning(alice, log.pk, worse=True)
    assert state_of(alice, "forward-leg-swing").amount == 12


def test_a_raise_followed_by_a_worse_morning_comes_back_down(alice: User, this_morning: datetime) -> None:
    for number in range(3):
        finished = (this_morning - timedelta(days=3 - number)).replace(hour=18).isoformat()
        log, _ = save_log(alice, session_log(f"climb-{number}", finished_at=finished))
    assert state_of(alice, "forward-leg-swing").amount == 12
    answer_morning(alice, log.pk, worse=True)
    assert state_of(alice, "forward-leg-swing").amount == 10


# ---- the red flag ---------------------------------------------------------------------------------------


def test_a_new_warning_sign_stops_the_plan_until_the_screen_is_taken_again(
    alice: User, alice_client: Client, freeze_clock: Any
) -> None:
    morning = freeze_clock(timezone.localdate(), hour=7)
    RunnerSettings.objects.create(owner=alice, runs=EVERY_DAY)
    save_log(alice, session_log("flagged-1", red_flag=True))
    assert SessionLog.objects.get().red_flag is True
    assert ProgressionEvent.objects.get().action == Action.STOP
    page = alice_client.get(f"/play/{timezone.localdate().isoformat()}/pre-run/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "See a clinician before you train again" in text
    assert 'id="player-data"' not in text
    freeze_clock(morning + timedelta(hours=3))  # the screen taken again, later that morning
    record_screen(parse_answers(EXAMPLE), ScreenOwner(user=alice))
    assert 'id="player-data"' in alice_client.get(f"/play/{timezone.localdate().isoformat()}/pre-run/").content.decode()


# ---- the player page ------------------------------------------------------------------------------------


@pytest.fixture
def alice_runs_every_day(alice: User) -> RunnerSettings:
    return RunnerSettings.objects.create(owner=alice, runs=EVERY_DAY)


def test_the_player_runs_todays_planned_session(
    alice_client: Client, alice: User, alice_runs_every_day: Any, player_data: Callable[[Any], dict[str, Any]]
) -> None:
    day = timezone.localdate()
    response = alice_client.get(f"/play/{day.isoformat()}/pre-run/")
    assert response.status_code == 200
    data = player_data(response)
    planned = next(p for p in today_plan(alice, day).sessions if p.context == "pre-run")
    assert data["session"]["timeline"] == planned.session.model_dump(mode="json")["timeline"]
    assert data["planned_for"] == day.isoformat()
    assert data["scope"] == f"{day.isoformat()}/pre-run"
    assert len(data["prescribed"]) == len(planned.session.items)
    text = response.content.decode()
    assert 'id="countdown"' in text
    assert 'id="red-flag"' in text
    for item in planned.session.items:
        assert item.name in unescape(text)


def test_the_players_day_holds_the_sessions_today_shows_for_it(alice: User, alice_runs_every_day: Any) -> None:
    today = timezone.localdate()
    SessionLog.objects.create(
        owner=alice,
        client_key="key-played-this-morning",
        context="pre-run",
        planned_for=today,
        session={"items": [{"drill_id": "glute-bridge"}], "timeline": []},
    )
    for offset in range(-1, STRIP_DAYS):  # yesterday (a late log), today (one done) and the week ahead
        day = today + timedelta(days=offset)
        played = planned_day(alice, day)
        assert played.referral is None
        assert played.sessions == today_plan(alice, day).sessions
    assert planned_day(alice, today).sessions[0].done


def bench_page_weight() -> Any:
    """bench/bench_app.py's page-weight measure, so the test and the benchmark weigh a page the same way."""
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_app.py"
    spec = importlib.util.spec_from_file_location("bench_app", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.page_weight


@pytest.mark.parametrize("url", ["/play/{today}/pre-run/", "/play/once/?context=strength&minutes=60"])
def test_the_page_and_everything_it_loads_weigh_under_100_kb(
    alice_client: Client, alice_runs_every_day: Any, url: str, player_data: Callable[[Any], dict[str, Any]]
) -> None:
    url = url.format(today=timezone.localdate().isoformat())
    assert len(player_data(alice_client.get(url))["session"]["timeline"]) > 10
    total, _, parts = bench_page_weight()(alice_client, url)
    loaded = {ref for ref, _ in parts}
    assert {"/static/hipcoach/player.js", "/static/hipcoach/outbox.js", "/static/hipcoach/player.css"} <= loaded
    assert any("/figure.svg?side=" in ref for ref in loaded)  # the first step's figure, which the page loads at once
    assert total < PAGE_BUDGET, f"{total} bytes: {parts}"


def test_the_player_does_not_load_htmx_but_pages_that_swap_still_do(
    alice_client: Client, alice_runs_every_day: Any
) -> None:
    player = alice_client.get(f"/play/{timezone.localdate().isoformat()}/pre-run/").content.decode()
    assert re.search(r"<script[^>]*htmx", player) is None
    for page in ("/today/", "/drills/"):
        assert "/static/vendor/htmx-2.0.11.min.js" in alice_client.get(page).content.decode(), page


def test_the_sound_switch_is_a_toggle_named_sound_and_pressed_while_on(
    alice_client: Client, alice_runs_every_day: Any
) -> None:
    page = alice_client.get(f"/play/{timezone.localdate().isoformat()}/pre-run/").content.decode()
    switch = re.search(r'<button type="button" id="mute"([^>]*)>(.*?)</button>', page, re.S)
    assert switch is not None
    assert 'aria-pressed="true"' in switch.group(1)
    # What a screen reader names it: the words not hidden from it; the on/off word is for the eye only.
    named = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", switch.group(2))
    assert re.sub(r"<[^>]+>", "", named).strip() == "Sound"


def test_a_one_off_session_plays_from_todays_link(
    alice_client: Client, player_data: Callable[[Any], dict[str, Any]]
) -> None:
    response = alice_client.get("/play/once/?context=pre-run&minutes=6&equipment=none")
    assert response.status_code == 200
    data = player_data(response)
    assert data["session"]["context"] == "pre-run"
    assert data["session"]["total_seconds"] <= 360
    for item in data["session"]["items"]:
        assert item["equipment"] == []
    assert data["scope"] == "once/pre-run/360s/none"


def test_a_one_off_with_equipment_listed_either_way_is_the_same_session(
    alice_client: Client, player_data: Callable[[Any], dict[str, Any]]
) -> None:
    listed = player_data(alice_client.get("/play/once/?context=post-run&minutes=10&equipment=foam-roller,band"))
    repeated = player_data(
        alice_client.get("/play/once/?context=post-run&minutes=10&equipment=foam-roller&equipment=band")
    )
    assert listed["session"] == repeated["session"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("context=warm-up&minutes=6", "For:"),
        ("context=pre-run&minutes=500", "Minutes I have:"),
        ("context=pre-run&minutes=6&equipment=trampoline", "trampoline"),
    ],
)
def test_a_one_off_with_bad_input_shows_the_form_with_the_problem(alice_client: Client, query: str, words: str) -> None:
    response = alice_client.get(f"/play/once/?{query}")
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert words in text
    assert 'id="player-data"' not in text
    assert SessionLog.objects.count() == 0


def test_play_once_without_parameters_asks_what_the_session_is_for(alice_client: Client) -> None:
    response = alice_client.get("/play/once/")
    assert response.status_code == 200
    assert 'id="play-once-form"' in response.content.decode()


def test_a_day_or_context_that_is_not_planned_is_not_found(alice_client: Client, alice_runs_every_day: Any) -> None:
    today = timezone.localdate()
    assert alice_client.get(f"/play/{today.isoformat()}/warm-up/").status_code == 404
    assert alice_client.get("/play/2026-02-30/pre-run/").status_code == 404
    assert alice_client.get(f"/play/{(today + timedelta(days=30)).isoformat()}/pre-run/").status_code == 404


def test_a_referring_screen_gets_the_referral_and_no_player(alice_client: Client, alice: User) -> None:
    record_screen(parse_answers({**EXAMPLE, "red_flags": ["groin-pain-running"]}), ScreenOwner(user=alice))
    response = alice_client.get("/play/once/?context=pre-run&minutes=6")
    assert response.status_code == 200
    text = response.content.decode()
    assert "See a clinician today. Do not run." in text
    assert 'id="player-data"' not in text


def test_each_runner_plays_their_own_session(
    alice_client: Client,
    bob_client: Client,
    alice: User,
    alice_runs_every_day: Any,
    player_data: Callable[[Any], dict[str, Any]],
) -> None:
    """Alice's progression shapes her session; Bob, on the same address, gets his own."""
    for number in range(3):
        save_log(alice, session_log(f"alice-{number}"))
    url = "/play/once/?context=pre-run&minutes=10&equipment=none"
    alice_items = {i["drill_id"]: i for i in player_data(alice_client.get(url))["session"]["items"]}
    bob_items = {i["drill_id"]: i for i in player_data(bob_client.get(url))["session"]["items"]}
    assert "Dose from your progression log." in alice_items["forward-leg-swing"]["why"]
    assert alice_items["forward-leg-swing"]["doses"][0]["amount"] == 12
    assert not any("progression log" in " ".join(item["why"]) for item in bob_items.values())
    assert player_data(bob_client.get(url))["user"] != player_data(alice_client.get(url))["user"]


def test_a_planned_session_needs_a_signed_in_runner(client: Client) -> None:
    # A one-off is open to visitors, after the safety questions (tests/web/test_home.py); a plan is a runner's.
    response = client.get(f"/play/{timezone.localdate().isoformat()}/pre-run/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# ---- the morning check page -----------------------------------------------------------------------------


def test_the_morning_page_lists_yesterdays_sessions_and_takes_the_answer(
    alice_client: Client, alice: User, this_morning: datetime
) -> None:
    log, _ = save_log(alice, session_log("page-1", drill(amount=14), finished_at=yesterday(this_morning)))
    save_log(alice, session_log("page-today", drill("lateral-leg-swing")))  # today's: asked tomorrow
    page = alice_client.get("/morning/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'id="morning-{log.pk}"' in text
    assert text.count('class="morning-log"') == 1
    answered = alice_client.post(f"/morning/{log.pk}/", {"worse": "yes"})
    assert answered.status_code == 302
    follow = alice_client.get(answered["Location"])
    assert "worse this morning" in follow.content.decode()
    assert "dose lowered to 12 reps per side" in follow.content.decode()
    assert MorningCheck.objects.get(log=log).worse is True
    assert 'class="morning-log"' not in alice_client.get("/morning/").content.decode()


def test_a_morning_answer_that_is_neither_yes_nor_no_changes_nothing(
    alice_client: Client, alice: User, this_morning: datetime
) -> None:
    log, _ = save_log(alice, session_log("page-2", finished_at=yesterday(this_morning)))
    response = alice_client.post(f"/morning/{log.pk}/", {"worse": "perhaps"}, follow=True)
    assert "worse: answer yes" in response.content.decode()
    assert not MorningCheck.objects.exists()


def test_the_morning_page_shows_only_the_runners_own_sessions(
    alice_client: Client, bob_client: Client, client: Client, alice: User, this_morning: datetime
) -> None:
    log, _ = save_log(alice, session_log("page-3", finished_at=yesterday(this_morning)))
    assert f'id="morning-{log.pk}"' not in bob_client.get("/morning/").content.decode()
    assert bob_client.post(f"/morning/{log.pk}/", {"worse": "yes"}).status_code == 404
    assert client.get("/morning/").status_code == 302
    assert client.post(f"/morning/{log.pk}/", {"worse": "yes"}).status_code == 302
    assert not MorningCheck.objects.exists()


def test_before_four_the_morning_check_is_not_open_yet(alice_client: Client, alice: User, freeze_clock: Any) -> None:
    three = freeze_clock(timezone.localdate(), hour=3)
    save_log(alice, session_log("late-1", finished_at=(three - timedelta(hours=6)).isoformat()))
    text = alice_client.get("/morning/").content.decode()
    assert "opens at 04:00" in text
    assert 'class="morning-log"' not in text
