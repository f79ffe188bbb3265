"""The whole journey of a new runner in a phone browser: sign up, screen, usual week, Today, a guided
session played to the end, rated and saved, and the log on the progress page. Every page is then
captured at phone and desktop size into the test artefacts folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from hipcoach.app.training.models import SessionLog
from hipcoach.core.safety import EnergySign, RedFlag
from hipcoach.core.week import DAYS

DESKTOP = {"width": 1280, "height": 800}
EMAIL = "sam.new@example.org"
PASSWORD = "tempo-tuesday-hills-9"


def sign_up(page: Page, base: str, finish_sign_up: Callable[[], None]) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("#signup")
    finish_sign_up()
    expect(page.locator("h1")).to_have_text("Welcome to hipcoach")


def take_a_short_screen(page: Page) -> None:
    page.click("#next")  # "Start the screen"
    page.click("#start")
    page.fill("input[name=age]", "36")
    page.fill("input[name=sitting_hours_per_day]", "9")
    page.fill("input[name=pain_now]", "0")
    page.click("button:has-text('Continue')")
    for flag in RedFlag:
        page.check(f"input[name='flag_{flag.value}'][value=no]")
    for sign in EnergySign:
        page.check(f"input[name='energy_{sign.value}'][value=no]")
    page.check("input[name=hip_replacement][value=no]")
    page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Modified Thomas test")
    page.select_option("select[name=left__thigh]", "raised")
    page.select_option("select[name=left__knee]", "bent")
    page.select_option("select[name=left__thigh_drifts_out]", "no")
    page.click("button:has-text('Save and continue')")
    expect(page.locator("h1")).to_have_text("Seated hip internal rotation")
    page.check("input[name=follow_up][value=no]")  # its groin-pain question is asked even to finish now
    page.click("button:has-text('Finish now')")
    page.click("#see-result")
    # The result leads with plain words; the finding's scores are behind its details control.
    expect(page.locator("#meaning")).to_contain_text("The front of your left hip is tight (the hip flexors).")


def set_todays_run(page: Page) -> None:
    page.click("#next")  # "Next: your usual week"
    expect(page.locator("h1")).to_have_text("Settings")
    today = DAYS[timezone.localdate().weekday()].value
    page.select_option(f"select[name=run-{today}-0-type]", "easy")
    page.fill(f"input[name=run-{today}-0-minutes]", "40")
    page.click("#save-settings")
    expect(page.locator(".saved")).to_contain_text("Settings saved.")
    page.click("#next")  # "Next: Today"


def play_the_pre_run_session(page: Page) -> None:
    expect(page.locator("h1")).to_have_text("Today")
    pre_run = page.locator(".today-session[data-context='pre-run']")
    href = pre_run.locator("a.start").get_attribute("href")
    assert href == f"/play/{timezone.localdate().isoformat()}/pre-run/"
    # The real timer code runs, with its clock sped up for the test.
    page.goto(page.url.split("/today/")[0] + f"{href}?speed=200")
    page.click("#toggle")
    expect(page.locator("#finish")).to_be_visible(timeout=60_000)
    drills = page.locator("fieldset.drill-log")
    drills.nth(0).locator("input[value=easy]").check()
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.")


@pytest.mark.django_db(transaction=True)
def test_a_new_runner_goes_from_sign_up_to_a_logged_session_on_the_progress_page(
    page: Page, live_server: Any, artefacts: Path, finish_sign_up: Callable[[], None]
) -> None:
    visited: list[tuple[str, str]] = []

    def remember(name: str) -> None:
        visited.append((name, page.url))
        page.screenshot(path=artefacts / f"journey-{name}-390x844.png", full_page=True)

    sign_up(page, live_server.url, finish_sign_up)
    remember("welcome")
    take_a_short_screen(page)
    remember("screen-result")
    set_todays_run(page)
    remember("today")
    play_the_pre_run_session(page)
    remember("player-saved")

    log = SessionLog.objects.get(owner__username=EMAIL)
    assert log.context == "pre-run"
    assert log.drills.count() >= 2

    page.click("#progress-link")
    expect(page.locator("h1")).to_have_text("Your progress")
    expect(page.locator("#this-week .stat-number")).to_contain_text("1")
    expect(page.locator("#day-streak .stat-number")).to_have_text("1")
    expect(page.locator("#calendar")).to_contain_text("1 session on 1 day this month.")
    remember("progress")

    page.set_viewport_size(DESKTOP)
    for name, url in visited:
        page.goto(url)
        page.screenshot(path=artefacts / f"journey-{name}-1280x800.png", full_page=True)
