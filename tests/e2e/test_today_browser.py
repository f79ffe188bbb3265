"""On a phone: a new runner goes from sign-up through the welcome steps and their week to Today."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.core.screen import parse_answers
from hipcoach.core.week import DAYS

PASSWORD = "long-run-sunday-hills-7"
EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())


@pytest.mark.django_db(transaction=True)
def test_from_sign_up_to_todays_sessions(
    page: Page,
    live_server: Any,
    artefacts: Path,
    *,
    on_the_phone: Any,
    csp_violations: list[str],
    finish_sign_up: Callable[[], None],
) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=email]", "robin@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("#signup")
    finish_sign_up()
    expect(page.locator("h1")).to_have_text("Welcome to hipcoach")
    expect(page.locator("#next")).to_have_text("Start the screen")

    # The screen itself has its own browser test; here it is saved as the wizard would save it.
    record_screen(parse_answers(EXAMPLE), ScreenOwner(user=User.objects.get(username="robin@example.org")))
    page.reload()
    expect(page.locator("#step-screen .state")).to_contain_text("Done")
    page.click("#next")

    expect(page.locator("h1")).to_have_text("Settings")
    today = DAYS[timezone.localdate().weekday()].value
    page.select_option(f"select[name=run-{today}-0-type]", "long")
    page.fill(f"input[name=run-{today}-0-minutes]", "0")
    page.click("#save-settings")
    expect(page.locator("#problems")).to_contain_text("minutes: a whole number of minutes from 1 to 1440")
    page.fill(f"input[name=run-{today}-0-minutes]", "100")
    page.click("#save-settings")
    expect(page.locator(".saved")).to_contain_text("Settings saved.")
    assert on_the_phone.fits()
    page.screenshot(path=artefacts / "settings-390x844.png", full_page=True)
    page.click("#next")

    expect(page.locator("h1")).to_have_text("Today")
    sessions = page.locator(".today-sessions .today-session")
    # The week's one run is a long one: its pre-run, its recovery, and strength after it (never the day before a
    # hard run, and the week keeps its days off free).
    expect(sessions).to_have_count(3)
    expect(sessions.nth(0)).to_have_attribute("data-context", "pre-run")
    expect(sessions.nth(1)).to_have_attribute("data-context", "post-run")
    expect(sessions.nth(2)).to_have_attribute("data-context", "strength")
    day = timezone.localdate().isoformat()
    expect(sessions.nth(0).locator("a.start")).to_have_attribute("href", f"/play/{day}/pre-run/")
    assert on_the_phone.fits()
    page.screenshot(path=artefacts / "today-390x844.png", full_page=True)

    page.select_option("select[name=context]", "pre-run")
    page.fill("input[name=minutes]", "6")
    page.click("#compose-once")
    result = page.locator(".once-result .today-session")
    expect(result.locator("a.start")).to_have_attribute("href", "/play/once/?context=pre-run&seconds=360")
    assert on_the_phone.fits()
    # Sign-up, settings and Today (htmx and its swaps included) ran under the Content-Security-Policy.
    assert csp_violations == []
