"""No plan before the safety questions: every web and API door that plans asks for them first, on one page."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.clock import local_today
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.calendar import calendar_entries, new_calendar_secret
from hipcoach.app.training.models import RunnerSettings
from hipcoach.core.safety import EnergySign, RedFlag
from hipcoach.core.week import DAYS

pytestmark = pytest.mark.django_db

PLANNING_PAGES = ["/today/", "/today/once/?context=pre-run&minutes=6", "/play/once/?context=pre-run&minutes=6"]


def a_run_every_day(user: User) -> None:
    RunnerSettings.objects.create(owner=user, runs=[f"{day.value}:easy:30" for day in DAYS])


@pytest.mark.parametrize("page", PLANNING_PAGES)
def test_a_runner_never_asked_sees_the_safety_check_instead_of_a_plan(dave_client: Client, page: str) -> None:
    response = dave_client.get(page)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'id="safety-check"' in html
    assert 'class="today-session' not in html
    assert "player-data" not in html


def test_the_check_asks_every_safety_question_of_the_core(dave_client: Client) -> None:
    html = unescape(dave_client.get("/screen/safety-check/").content.decode())
    for flag in RedFlag:
        assert flag.question in html  # a warning sign added to the core is asked here too
    for name in ("age", "pain_now", "hip_replacement"):
        assert f'name="{name}"' in html
    assert 'id="id_age"' in html
    assert 'for="id_age"' in html  # each field has its label


def test_answering_the_check_stores_it_and_today_then_plans(
    dave: User, dave_client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    a_run_every_day(dave)
    response = dave_client.post("/screen/safety-check/", check_form(next="/today/"))
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    screen = Screen.objects.get(owner=dave)
    answers, _ = screen.to_core()
    assert (answers.age, answers.pain_now, answers.red_flags, answers.tests.model_dump(exclude_none=True)) == (
        42,
        0,
        [],
        {},
    )
    page = unescape(dave_client.get("/today/").content.decode())
    assert 'id="safety-check"' not in page
    assert 'class="today-session' in page


def test_the_check_asks_about_low_energy_availability_and_never_assumes_no(
    dave_client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    page = unescape(dave_client.get("/screen/safety-check/").content.decode())
    for sign in EnergySign:
        assert f'name="energy_{sign.value}"' in page
    form = check_form()
    del form[f"energy_{EnergySign.MISSED_PERIODS.value}"]
    response = dave_client.post("/screen/safety-check/", form)
    assert response.status_code == 400
    assert not Screen.objects.exists()
    dave_client.post("/screen/safety-check/", check_form(**{f"energy_{EnergySign.MISSED_PERIODS.value}": "yes"}))
    answers, result = Screen.objects.get().to_core()
    assert answers.low_energy == [EnergySign.MISSED_PERIODS]
    assert not result.refer, "on its own, low energy availability advises a clinician; it does not lock the plan"


def test_a_check_left_unanswered_names_each_field_and_stores_nothing(
    dave_client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    form = check_form(age="7")
    del form["flag_limp"]
    response = dave_client.post("/screen/safety-check/", form)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert 'data-field="flag_limp"' in html
    assert "This field is required." in html
    assert "greater than or equal to 10" in html  # the age's bounds, on its field
    assert not Screen.objects.exists()


def test_a_warning_sign_on_the_check_shows_the_referral_not_a_plan(
    dave: User, dave_client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    a_run_every_day(dave)
    response = dave_client.post("/screen/safety-check/", check_form(**{"flag_night-pain": "yes"}, next="/today/"))
    screen = Screen.objects.get(owner=dave)
    assert screen.refer
    assert response["Location"] == f"/screens/{screen.pk}/"  # the referral comes first
    page = dave_client.get("/today/").content.decode()
    assert 'id="today-referral"' in page
    assert 'class="today-session' not in page


def test_a_browser_without_an_account_can_answer_the_check(
    client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    response = client.post("/screen/safety-check/", check_form())
    screen = Screen.objects.get()
    assert (screen.owner, response["Location"]) == (None, f"/screens/{screen.pk}/")


def test_the_welcome_page_offers_the_safety_questions_not_a_plan_without_them(dave_client: Client) -> None:
    html = unescape(dave_client.get("/welcome/").content.decode())
    assert 'href="/screen/safety-check/?next=/today/"' in html
    assert "skip to Today" not in html


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/today", None),
        ("post", "/api/v1/today/once", {"context": "pre-run", "minutes": 6}),
        ("post", "/api/v1/sessions/compose", {"context": "pre-run", "minutes": 6}),
        ("post", "/api/v1/weeks/plan", {"runs": ["sat:long:90"]}),
    ],
)
def test_the_api_answers_409_saying_how_to_answer_and_changes_nothing(
    dave_client: Client, method: str, path: str, body: Any
) -> None:
    sent = {} if body is None else {"data": body, "content_type": "application/json"}
    response = getattr(dave_client, method)(path, **sent)
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "safety questions" in detail
    assert "POST /api/v1/screens" in detail
    assert not Screen.objects.exists()


def test_answering_through_the_api_with_the_safety_answers_alone_lets_it_plan(
    dave_client: Client, safety_answers: dict[str, Any]
) -> None:
    saved = dave_client.post("/api/v1/screens", safety_answers, content_type="application/json")
    assert saved.status_code == 201
    assert dave_client.get("/api/v1/today").status_code == 200


def test_the_openapi_description_documents_the_409_of_every_endpoint_that_plans(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/today", "get"),
        ("/api/v1/today/once", "post"),
        ("/api/v1/sessions/compose", "post"),
        ("/api/v1/weeks/plan", "post"),
    ]:
        operation = paths[path][method]
        assert "409" in operation["responses"]
        assert "safety questions" in operation["description"]


def test_the_calendar_feed_of_a_runner_never_asked_holds_no_session(
    dave: User, dave_client: Client, check_form: Callable[..., dict[str, str]]
) -> None:
    a_run_every_day(dave)
    assert calendar_entries(dave, local_today(), "https://hipcoach.example.org") == []
    secret = new_calendar_secret(dave)
    feed = dave_client.get(f"/calendar/{secret}.ics")
    assert feed.status_code == 200
    assert b"BEGIN:VEVENT" not in feed.content
    dave_client.post("/screen/safety-check/", check_form())
    assert b"BEGIN:VEVENT" in dave_client.get(f"/calendar/{secret}.ics").content
