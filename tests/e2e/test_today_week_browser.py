"""On a phone: Today's week strip, a one-off played and saved that shows as done, and a day of the strip opened."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from hipcoach.app.clock import local_today
from hipcoach.app.training.models import RunnerSettings, SessionLog
from hipcoach.core.week import DAYS


@pytest.mark.django_db(transaction=True)
def test_the_week_strip_a_one_off_logged_as_done_and_a_day_opened(
    page: Page,
    live_server: Any,
    runner: User,
    *,
    artefacts: Path,
    on_the_phone: Any,
    csp_violations: list[str],
) -> None:
    today = local_today()
    tomorrow = today + timedelta(days=1)
    record, _ = RunnerSettings.objects.get_or_create(owner=runner)
    record.runs = [f"{DAYS[today.weekday()].value}:long:90", f"{DAYS[tomorrow.weekday()].value}:easy:30"]
    record.save()

    page.goto(f"{live_server.url}/today/")
    strip = page.locator("#week-strip .strip-day")
    expect(strip).to_have_count(7)
    expect(strip.nth(0)).to_have_attribute("aria-current", "page")
    heard = f"Today, {today:%A} {today.day} {today:%B}: long run, 90 min; before a run, to do"
    expect(strip.nth(0)).to_have_attribute("aria-label", re.compile("^" + re.escape(heard)))
    assert on_the_phone.fits()
    assert on_the_phone.small_targets("#week-strip .strip-day") == []
    page.screenshot(path=artefacts / "today-week-strip-390x844.png", full_page=True)

    # A one-off not in the plan: a rest-day session of 5 minutes, played at speed and saved.
    page.select_option("select[name=context]", "rest-day")
    page.fill("input[name=minutes]", "5")
    page.click("#compose-once")
    start = page.locator(".once-result a.start")
    expect(start).to_have_attribute("href", "/play/once/?context=rest-day&seconds=300")
    page.goto(f"{live_server.url}{start.get_attribute('href')}&speed=500")
    page.click("#toggle")
    expect(page.locator("#finish")).to_be_visible(timeout=30_000)
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    assert SessionLog.objects.filter(owner=runner, context="rest-day", planned_for=today).count() == 1

    page.goto(f"{live_server.url}/today/")
    done = page.locator('.today-sessions .today-session.unplanned[data-context="rest-day"]')
    expect(done).to_contain_text("Done today")
    expect(strip.nth(0).locator('.mark.done[data-context="rest-day"]')).to_have_count(1)
    expect(strip.nth(0)).to_have_attribute("aria-label", re.compile(r"; rest day \(not planned\), done$"))
    page.screenshot(path=artefacts / "today-one-off-done-390x844.png", full_page=True)

    # Tap tomorrow: its sessions, each with its Start, and the way back.
    strip.nth(1).click()
    expect(page.locator("h1")).to_have_text(f"{tomorrow:%A}")
    expect(page).to_have_url(f"{live_server.url}/today/?day={tomorrow.isoformat()}")
    first = page.locator(".today-sessions .today-session").first
    expect(first).to_have_attribute("data-context", "pre-run")
    expect(first.locator("a.start")).to_have_attribute("href", f"/play/{tomorrow.isoformat()}/pre-run/")
    expect(page.locator("#week-strip .strip-day").nth(1)).to_have_attribute("aria-current", "page")
    assert on_the_phone.fits()
    page.screenshot(path=artefacts / "today-another-day-390x844.png", full_page=True)
    page.click("#back-to-today")
    expect(page.locator("h1")).to_have_text("Today")

    page.set_viewport_size({"width": 1280, "height": 800})
    assert on_the_phone.small_targets("#week-strip .strip-day") == []
    page.screenshot(path=artefacts / "today-week-strip-1280x800.png", full_page=True)
    assert csp_violations == []
