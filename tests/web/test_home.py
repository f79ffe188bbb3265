"""The first visit: a home page that says what hipcoach is, a session a visitor can try without an account (after
the safety questions), the header and footer every page shares, and onboarding that asks for the equipment."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import SessionLog
from hipcoach.app.training.runner_settings import settings_data, settings_of
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.settings_schema import NUMBER_SETTINGS
from hipcoach.core.week import DAYS

pytestmark = pytest.mark.django_db

TRY_SESSION = "/play/once/?context=pre-run&minutes=5"


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


# ---- the home page ------------------------------------------------------------------------------------------


def test_a_visitor_at_the_root_sees_what_hipcoach_is_and_where_to_start(client: Client) -> None:
    response = client.get("/")
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "hip-mobility coach for runners" in html
    assert f"{len(default_catalogue())} drills" in html
    assert "9 simple tests at home" in html
    assert {"/screen/", TRY_SESSION, "/accounts/signup/", "/accounts/login/"} <= set(links(html))
    assert "Take the hip screen" in html
    assert "Try a 5-minute pre-run session" in html
    # A few figures show the movements before a visitor reads about them.
    for title in ("Forward leg swing", "Modified Thomas test", "Half-kneeling hip flexor stretch"):
        assert f"<title>{title}</title>" in html


def test_a_signed_in_runner_at_the_root_goes_to_today(alice_client: Client) -> None:
    # They came back to train, not to read what hipcoach is.
    response = alice_client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/today/")


def test_public_pages_describe_themselves_to_search_engines(client: Client) -> None:
    for url in ("/", "/drills/", "/drills/forward-leg-swing/", "/screen/", "/accounts/login/"):
        html = client.get(url).content.decode()
        found = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert found is not None, url
        assert "hipcoach" in found.group(1), url
        assert len(found.group(1)) >= 50, url


def test_the_developer_api_is_in_the_footer_not_the_main_menu(client: Client, alice_client: Client) -> None:
    for html in (client.get("/").content.decode(), alice_client.get("/today/").content.decode()):
        header = html[html.index('<header class="top">') : html.index("</header>")]
        footer = html[html.index("<footer>") : html.index("</footer>")]
        assert "/api/docs" not in header
        assert 'href="/api/docs"' in footer


def test_the_header_keeps_the_runners_e_mail_in_the_account_menu(alice: User, alice_client: Client) -> None:
    html = alice_client.get("/today/").content.decode()
    menu = html[html.index('<details class="account" id="account-menu">') : html.index("</details>")]
    assert alice.email in menu
    assert 'id="logout"' in menu
    assert 'id="settings-link"' in menu
    assert 'aria-label="Account menu"' in menu


# ---- a visitor tries a session ------------------------------------------------------------------------------


def test_a_visitor_plays_the_five_minute_session_after_the_safety_questions(
    client: Client, check_form: Callable[..., dict[str, str]], player_data: Callable[[Any], dict[str, Any]]
) -> None:
    asked = client.get(TRY_SESSION)
    assert asked.status_code == 200
    assert 'id="safety-check"' in asked.content.decode()
    assert 'name="next" value="/play/once/?context=pre-run&amp;minutes=5"' in asked.content.decode()

    answered = client.post("/screen/safety-check/", {**check_form(), "next": TRY_SESSION})
    assert answered["Location"] == TRY_SESSION  # straight on to the session they asked for

    page = client.get(TRY_SESSION)
    html = page.content.decode()
    data = player_data(page)
    assert page.status_code == 200
    assert data["session"]["context"] == "pre-run"
    assert 0 < data["session"]["total_seconds"] <= 5 * 60
    assert all(item["equipment"] == [] for item in data["session"]["items"])  # body weight: they said nothing else
    assert 'id="visitor-note"' in html
    assert Screen.objects.get().owner is None  # the answers are this browser's, no account made
    assert not SessionLog.objects.exists()


def test_a_visitor_who_ticks_equipment_gets_a_session_that_uses_it(
    client: Client, check_form: Callable[..., dict[str, str]], player_data: Callable[[Any], dict[str, Any]]
) -> None:
    client.post("/screen/safety-check/", check_form())
    data = player_data(client.get("/play/once/?context=post-run&minutes=10&equipment=foam-roller"))
    used = {word for item in data["session"]["items"] for word in item["equipment"]}
    assert used <= {"foam-roller"}
    assert "foam-roller" in used  # not a body-weight session that merely leaves the roller out


def test_a_visitor_with_a_warning_sign_is_referred_not_given_a_session(
    client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    answered = client.post("/screen/safety-check/", {**check_form(**{"flag_night-pain": "yes"}), "next": TRY_SESSION})
    screen = Screen.objects.get()
    assert answered["Location"] == f"/screens/{screen.pk}/"  # the referral comes first
    html = client.get(TRY_SESSION).content.decode()
    assert 'id="player-referral"' in html
    assert 'id="player-data"' not in html


def test_another_browser_is_asked_the_questions_again(
    client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    client.post("/screen/safety-check/", check_form())
    assert 'id="safety-check"' in Client().get(TRY_SESSION).content.decode()


# ---- onboarding asks for the equipment ----------------------------------------------------------------------


def test_a_new_runner_has_only_body_weight_until_they_say(db: Any) -> None:
    runner = create_runner("new.runner@example.org", "strides-and-drills-7")
    assert settings_data(settings_of(runner))["equipment"] == []


def test_the_first_settings_page_asks_for_the_equipment_with_nothing_ticked(alice_client: Client) -> None:
    html = alice_client.get("/settings/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="equipment"[^>]*>', html)
    assert len(boxes) == 6  # none (body weight) and the five things a runner may own
    assert not [box for box in boxes if "checked" in box]
    assert 'id="equipment-ask"' in html


def test_once_saved_the_settings_page_shows_what_the_runner_ticked(alice_client: Client) -> None:
    form: dict[str, Any] = {f"run-{day.value}-0-{part}": "" for day in DAYS for part in ("type", "minutes")}
    form.update({"run-tue-0-type": "easy", "run-tue-0-minutes": "40", "equipment": ["band"]})
    form.update({setting.name: str(setting.default) for setting in NUMBER_SETTINGS})
    form.update({"age_band": "under-65"})
    saved = alice_client.post("/settings/", form)
    assert saved.status_code == 302, saved.content.decode()
    html = alice_client.get("/settings/").content.decode()
    ticked = re.findall(r'<input type="checkbox" name="equipment" value="([^"]+)"[^>]*checked', html)
    assert ticked == ["band"]
    assert 'id="equipment-ask"' not in html


def test_each_days_minutes_box_is_named_by_its_day_for_screen_readers(alice_client: Client) -> None:
    html = alice_client.get("/settings/").content.decode()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert f'<span class="visually-hidden">{day}, minutes of running</span>' in html
    assert html.count('<span class="muted" aria-hidden="true">min</span>') == 7
