"""Settings: the runner's usual week and training preferences, on the page and through the API."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.training.models import RunnerSettings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def week_form(**changes: Any) -> dict[str, Any]:
    """The settings form as a runner fills it: easy Tuesday, tempo Thursday, long Sunday."""
    data: dict[str, Any] = {}
    for day in DAYS:
        data[f"run-{day}-0-type"] = ""
        data[f"run-{day}-0-minutes"] = ""
    data.update(
        {
            "run-tue-0-type": "easy",
            "run-tue-0-minutes": "40",
            "run-thu-0-type": "tempo",
            "run-thu-0-minutes": "45",
            "run-sun-0-type": "long",
            "run-sun-0-minutes": "100",
            "equipment": ["band", "foam-roller"],
            "pre_run_minutes": "6",
            "post_run_minutes": "12",
            "strength_minutes": "25",
            "rest_day_minutes": "10",
            "strength_days": "3",
            "level": "3",
            "age_band": "under-65",
            "reminder_minutes": "45",
        }
    )
    data.update(changes)
    return data


def problems_on(response: Any) -> list[str]:
    page = response.content.decode()
    block = re.search(r'<ul class="problems" role="alert" id="problems">(.*?)</ul>', page, re.S)
    return [unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)] if block else []


def saved_settings(user: User) -> dict[str, Any]:
    record = RunnerSettings.objects.get(owner=user)
    return {
        "runs": record.runs,
        "equipment": record.equipment,
        "minutes": (record.pre_run_minutes, record.post_run_minutes, record.strength_minutes, record.rest_day_minutes),
        "strength_days": record.strength_days,
        "level": record.level,
        "older_adult": record.older_adult,
        "reminder_minutes": record.reminder_minutes,
    }


API_SETTINGS: dict[str, Any] = {
    "runs": [{"day": "tue", "type": "easy", "minutes": 40}, {"day": "sat", "type": "long", "minutes": 110}],
    "equipment": ["band"],
    "pre_run_minutes": 7,
    "post_run_minutes": 10,
    "strength_minutes": 20,
    "rest_day_minutes": 15,
    "strength_days": 2,
    "level": 4,
    "age_band": "65-and-over",
    "reminder_minutes": 20,
    "time_zone": "America/Los_Angeles",
}


def put(client: Client, body: Any, **headers: str) -> Any:
    return client.put("/api/v1/me/settings", body, content_type="application/json", headers=headers)


# ---- the page ----------------------------------------------------------------------------------------------


def test_a_new_runner_sees_the_defaults_and_a_row_for_every_day(alice_client: Client) -> None:
    response = alice_client.get("/settings/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert f'<span class="run-day">{name}</span>' in page
    assert 'name="pre_run_minutes" value="8"' in page
    assert 'name="strength_minutes" value="20"' in page
    assert 'href="/settings/tokens/"' in page  # the API tokens are one step away


def test_saving_the_week_keeps_every_field_and_offers_the_next_step(alice: User, alice_client: Client) -> None:
    response = alice_client.post("/settings/", week_form())
    assert response.status_code == 302
    assert saved_settings(alice) == {
        "runs": ["tue:easy:40", "thu:tempo:45", "sun:long:100"],
        "equipment": ["foam-roller", "band"],
        "minutes": (6, 12, 25, 10),
        "strength_days": 3,
        "level": 3,
        "older_adult": False,
        "reminder_minutes": 45,
    }
    page = alice_client.get(response["Location"]).content.decode()
    assert "Settings saved." in page
    assert 'href="/today/" class="next-link" id="next">Next: Today' in page
    # The form shows what was saved.
    assert re.search(r'<option value="tempo" selected>', page)
    assert 'name="run-sun-0-minutes" value="100"' in page


def test_none_means_body_weight_only(alice: User, alice_client: Client) -> None:
    alice_client.post("/settings/", week_form(equipment=["none"]))
    assert RunnerSettings.objects.get(owner=alice).equipment == []
    page = alice_client.get("/settings/").content.decode()
    assert re.search(r'value="none"[^>]*checked', page)


def test_65_and_over_is_kept(alice: User, alice_client: Client) -> None:
    alice_client.post("/settings/", week_form(age_band="65-and-over"))
    assert RunnerSettings.objects.get(owner=alice).older_adult is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"run-tue-0-minutes": "0"}, "Tuesday, minutes: a whole number of minutes from 1 to 1440."),
        ({"run-tue-0-minutes": ""}, "Tuesday, minutes: a whole number of minutes from 1 to 1440."),
        ({"run-tue-0-minutes": "forty"}, "Tuesday, minutes: a whole number of minutes from 1 to 1440."),
        ({"run-wed-0-minutes": "30"}, "Wednesday: choose the type of run, or clear the minutes."),
        ({"run-tue-0-type": "jog"}, "Tuesday, type of run: easy, tempo, intervals, long, race."),
        ({"pre_run_minutes": "0"}, "Minutes before a run: a number of minutes from 1 to 120."),
        ({"post_run_minutes": "121"}, "Minutes after a run: a number of minutes from 1 to 120."),
        ({"strength_minutes": "lots"}, "Minutes strength day: a number of minutes from 1 to 120."),
        ({"strength_days": "4"}, "Strength days a week: 2 or 3."),
        ({"level": "6"}, "Level (1 easiest, 5 hardest): a whole number from 1 to 5."),
        ({"age_band": "old"}, "Age: under-65, 65-and-over."),
        (
            {"reminder_minutes": "-5"},
            "Calendar reminder, minutes before each session: a whole number of minutes from 0 to 1440.",
        ),
        (
            {"equipment": ["none", "band"]},
            "Equipment at hand: tick None (body weight only) or what you have, not both.",
        ),
        ({"equipment": ["rope"]}, "Equipment at hand: rope is not one hipcoach knows."),
    ],
)
def test_each_invalid_field_is_named_and_nothing_changes(
    alice: User, alice_client: Client, changes: dict[str, Any], message: str
) -> None:
    alice_client.post("/settings/", week_form())
    before = saved_settings(alice)
    response = alice_client.post("/settings/", week_form(**changes))
    assert response.status_code == 400
    assert problems_on(response) == [message]
    assert f'<p class="error" role="alert">{message}</p>' in unescape(response.content.decode())  # by the field
    assert saved_settings(alice) == before


def test_several_problems_are_listed_in_the_order_of_the_page(alice_client: Client) -> None:
    response = alice_client.post(
        "/settings/", week_form(**{"run-mon-0-minutes": "20", "level": "0", "pre_run_minutes": "0"})
    )
    assert problems_on(response) == [
        "Monday: choose the type of run, or clear the minutes.",
        "Minutes before a run: a number of minutes from 1 to 120.",
        "Level (1 easiest, 5 hardest): a whole number from 1 to 5.",
    ]


def test_a_second_run_on_one_day_set_through_the_api_survives_a_save_on_the_page(
    alice: User, alice_client: Client
) -> None:
    put(alice_client, {**API_SETTINGS, "runs": ["tue:easy:30", "tue:intervals:40", "sat:long:100"]})
    page = alice_client.get("/settings/").content.decode()
    assert "Tuesday, run 2" in page
    form = week_form()
    form.update({"run-tue-1-type": "intervals", "run-tue-1-minutes": "40"})
    assert alice_client.post("/settings/", form).status_code == 302
    assert RunnerSettings.objects.get(owner=alice).runs == [
        "tue:easy:40",
        "tue:intervals:40",
        "thu:tempo:45",
        "sun:long:100",
    ]


def test_the_settings_form_needs_its_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/settings/", week_form()).status_code == 403
    assert client.get("/api/v1/me/settings").json()["runs"] == []


# ---- the API -----------------------------------------------------------------------------------------------


def test_a_new_runner_gets_the_defaults(alice_client: Client) -> None:
    response = alice_client.get("/api/v1/me/settings")
    assert response.status_code == 200
    assert response.json() == {
        "runs": [],
        "equipment": [],  # body weight until they say what they own (issue 12: asked, not assumed)
        "pre_run_minutes": 8.0,
        "post_run_minutes": 10.0,
        "strength_minutes": 20.0,
        "rest_day_minutes": 10.0,
        "strength_days": 2,
        "level": 2,
        "age_band": "under-65",
        "reminder_minutes": 30,
        "time_zone": settings.TIME_ZONE,
    }


def test_put_replaces_the_settings_and_get_returns_them(alice: User, alice_client: Client) -> None:
    response = put(alice_client, API_SETTINGS)
    assert response.status_code == 200
    assert response.json() == {
        **API_SETTINGS,
        "pre_run_minutes": 7.0,
        "post_run_minutes": 10.0,
        "strength_minutes": 20.0,
        "rest_day_minutes": 15.0,
    }
    assert alice_client.get("/api/v1/me/settings").json() == response.json()
    assert RunnerSettings.objects.get(owner=alice).older_adult is True


def test_putting_the_same_settings_twice_gives_the_same_result(alice: User, alice_client: Client) -> None:
    first = put(alice_client, API_SETTINGS).json()
    second = put(alice_client, API_SETTINGS).json()
    assert first == second
    assert RunnerSettings.objects.filter(owner=alice).count() == 1


def test_runs_may_be_written_as_day_type_minutes(alice_client: Client) -> None:
    response = put(alice_client, {"runs": ["mon:easy:30", "sat:long:90"]})
    assert response.status_code == 200
    assert response.json()["runs"] == [
        {"day": "mon", "type": "easy", "minutes": 30},
        {"day": "sat", "type": "long", "minutes": 90},
    ]


def test_a_field_left_out_goes_back_to_its_default(alice_client: Client) -> None:
    put(alice_client, API_SETTINGS)
    response = put(alice_client, {"runs": API_SETTINGS["runs"]})
    assert response.json()["level"] == 2
    assert response.json()["equipment"] == [], "a new runner's equipment: body weight only"


@pytest.mark.parametrize(
    ("changes", "loc", "allowed"),
    [
        ({"runs": [{"day": "someday", "type": "easy", "minutes": 30}]}, ["body", "runs", 0, "day"], "mon, tue"),
        ({"runs": ["mon:easy:30", "tue:jog:30"]}, ["body", "runs", 1, "type"], "easy, tempo, intervals, long, race"),
        ({"runs": ["mon:easy:0"]}, ["body", "runs", 0, "minutes"], "from 1 to 1440"),
        ({"runs": ["mon-easy-30"]}, ["body", "runs", 0], "day:type:minutes"),
        ({"equipment": ["rope"]}, ["body", "equipment", 0], "'foam-roller', 'massage-ball', 'band', 'bench'"),
        ({"equipment": [""]}, ["body", "equipment", 0], "'foam-roller', 'massage-ball', 'band', 'bench'"),
        ({"runs": ["SAT:Long:90"]}, ["body", "runs", 0, "day"], "mon, tue"),
        ({"runs": [" mon:easy:30"]}, ["body", "runs", 0, "day"], "mon, tue"),
        ({"runs": ["mon:easy:045"]}, ["body", "runs", 0], "day:type:minutes"),
        ({"runs": [""]}, ["body", "runs", 0], "day:type:minutes"),
        ({"runs": [{"day": "mon", "type": "easy", "minutes": "30"}]}, ["body", "runs", 0, "minutes"], "from 1 to"),
        ({"runs": [{"day": "Mon", "type": "easy", "minutes": 30}]}, ["body", "runs", 0, "day"], "mon, tue"),
        ({"time_zone": "Mars/Olympus"}, ["body", "time_zone"], "IANA time zone"),
        ({"pre_run_minutes": 0}, ["body", "pre_run_minutes"], "from 1 to 120"),
        ({"rest_day_minutes": 500}, ["body", "rest_day_minutes"], "from 1 to 120"),
        ({"strength_days": 1}, ["body", "strength_days"], "2 or 3"),
        ({"level": 6}, ["body", "level"], "from 1 to 5"),
        ({"reminder_minutes": 2000}, ["body", "reminder_minutes"], "from 0 to 1440"),
        ({"age_band": "old"}, ["body", "age_band"], "under-65"),
        ({"colour": "red"}, ["body", "colour"], "Extra inputs are not permitted"),
    ],
)
def test_put_with_an_invalid_field_is_422_naming_it_and_changes_nothing(
    alice_client: Client, changes: dict[str, Any], loc: list[Any], allowed: str
) -> None:
    put(alice_client, API_SETTINGS)
    before = alice_client.get("/api/v1/me/settings").json()
    response = put(alice_client, {**API_SETTINGS, **changes})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [entry["loc"] for entry in detail] == [loc]
    assert allowed in detail[0]["msg"]
    assert alice_client.get("/api/v1/me/settings").json() == before


def test_every_problem_is_listed_at_once(alice_client: Client) -> None:
    response = put(alice_client, {**API_SETTINGS, "runs": ["mon:easy:0"], "level": 9, "strength_days": 5})
    locs = [entry["loc"] for entry in response.json()["detail"]]
    assert locs == [["body", "runs", 0, "minutes"], ["body", "level"], ["body", "strength_days"]]


def test_an_api_token_reads_and_replaces_the_settings(alice: User) -> None:
    _, token = issue_token(alice, "watch")
    client = Client()
    auth = {"Authorization": f"Bearer {token}"}
    assert put(client, API_SETTINGS, **auth).status_code == 200
    assert client.get("/api/v1/me/settings", headers=auth).json()["runs"] == API_SETTINGS["runs"]


def test_a_browser_session_needs_its_csrf_token_to_put(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert put(client, API_SETTINGS).status_code == 403
    assert client.get("/api/v1/me/settings").json()["runs"] == []


# ---- who can reach what ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in(db: Any, client: Client) -> None:
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/settings/")
    assert client.post("/settings/", week_form()).status_code == 302
    assert client.get("/api/v1/me/settings").status_code == 401
    assert put(client, API_SETTINGS).status_code == 401
    assert not RunnerSettings.objects.exists()


def test_a_wrong_token_is_refused(db: Any) -> None:
    client = Client()
    assert client.get("/api/v1/me/settings", headers={"Authorization": "Bearer hc_nope"}).status_code == 401


def test_each_runner_reads_and_writes_only_their_own_settings(
    alice: User, bob: User, alice_client: Client, bob_client: Client
) -> None:
    alice_client.post("/settings/", week_form())
    assert bob_client.get("/api/v1/me/settings").json()["runs"] == []
    assert 'value="100"' not in bob_client.get("/settings/").content.decode()
    put(bob_client, {"runs": ["fri:race:30"]})
    assert RunnerSettings.objects.get(owner=alice).runs == ["tue:easy:40", "thu:tempo:45", "sun:long:100"]
    assert RunnerSettings.objects.get(owner=bob).runs == ["fri:race:30"]
