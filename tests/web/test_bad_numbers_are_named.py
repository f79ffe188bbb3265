"""Numbers out of any range and other odd input get a 4xx naming the field, never a server error."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.training import progress

# Past the largest float: int() takes it, float() of it overflows.
HUGE = "1" + "0" * 400
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TODAY = date(2026, 11, 25)


def problems_on(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("minutes", [HUGE, f"-{HUGE}", "1" * 5000, "1e400"])
def test_a_one_off_on_today_with_minutes_past_any_range_names_the_field(alice_client: Client, minutes: str) -> None:
    response = alice_client.get("/today/once/", {"context": "pre-run", "minutes": minutes})
    assert response.status_code == 400
    assert "Minutes I have: a number of minutes from 1 to 120." in problems_on(response.content.decode())


@pytest.mark.parametrize("minutes", [HUGE, f"-{HUGE}"])
def test_a_one_off_in_the_player_with_minutes_past_any_range_names_the_field(
    alice_client: Client, minutes: str
) -> None:
    response = alice_client.get("/play/once/", {"context": "pre-run", "minutes": minutes})
    assert response.status_code == 400
    assert "Minutes I have: a number of minutes from 1 to 120." in problems_on(response.content.decode())


@pytest.mark.parametrize("field", ["pre_run_minutes", "post_run_minutes", "strength_minutes", "rest_day_minutes"])
def test_settings_minutes_past_any_range_name_the_field(alice_client: Client, field: str) -> None:
    data: dict[str, Any] = {f"run-{day}-0-{part}": "" for day in DAYS for part in ("type", "minutes")}
    data.update(
        {
            "run-tue-0-type": "easy",
            "run-tue-0-minutes": "40",
            "pre_run_minutes": "6",
            "post_run_minutes": "12",
            "strength_minutes": "25",
            "rest_day_minutes": "10",
            "strength_days": "3",
            "level": "3",
            "age_band": "under-65",
            "reminder_minutes": "45",
            field: HUGE,
        }
    )
    response = alice_client.post("/settings/", data)
    assert response.status_code == 400
    assert "a number of minutes from 1 to 120." in problems_on(response.content.decode())


@pytest.mark.parametrize("month", ["0001-01", "0001-02", "0099-12", "1899-12"])
def test_a_month_before_any_log_could_be_shows_this_month_and_says_why(
    alice_client: Client, freeze_clock: Any, month: str
) -> None:
    freeze_clock(TODAY)
    response = alice_client.get("/progress/", {"month": month})
    assert response.status_code == 200
    html = response.content.decode()
    message = re.search(r'id="month-message">(.*?)</p>', html, re.S)
    assert message is not None
    assert unescape(message.group(1)).startswith(f"month: {month} is before ")
    assert "<h2>November 2026</h2>" in html


def test_the_earliest_month_shown_has_no_earlier_one_to_go_to(
    alice: User, alice_client: Client, freeze_clock: Any
) -> None:
    freeze_clock(TODAY)
    first = date(progress.EARLIEST_YEAR, 1, 1)
    alice.date_joined = alice.date_joined.replace(year=progress.EARLIEST_YEAR - 1, month=6, day=1)
    alice.save()
    response = alice_client.get("/progress/", {"month": f"{first:%Y-%m}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h2>{first:%B %Y}</h2>" in html
    assert 'id="month-previous"' not in html


@pytest.mark.parametrize("answered", ["²", "١٢", "99999999999999999999999", "-1", " 1", "1.0"])
def test_the_morning_page_ignores_an_answered_id_that_is_not_one(alice_client: Client, answered: str) -> None:
    response = alice_client.get("/morning/", {"answered": answered})
    assert response.status_code == 200
