"""On a phone: a visitor's first visit (the home page, then a 5-minute session without an account), and taps big
enough for a thumb on every page of the journey."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect


@pytest.mark.django_db(transaction=True)
def test_a_visitor_reads_the_home_page_and_plays_a_five_minute_session(
    page: Page, live_server: Any, artefacts: Path, *, on_the_phone: Any, csp_violations: list[str]
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("hips for your running")
    assert on_the_phone.small_targets() == []
    assert on_the_phone.fits()
    header = page.locator("header.top").bounding_box()
    assert header is not None
    assert header["height"] < 70
    page.screenshot(path=artefacts / "home-390x844.png", full_page=True)

    page.click("#home-try")
    expect(page.locator("#safety-check")).to_be_visible()
    page.fill("input[name=age]", "34")
    page.fill("input[name=pain_now]", "0")
    for question in page.locator("fieldset input[type=radio][value=no]").all():
        question.check()
    page.screenshot(path=artefacts / "home-visitor-safety-390x844.png", full_page=True)
    page.locator("#safety-check button[type=submit]").click()

    expect(page.locator("#player")).to_be_visible()
    expect(page.locator("#player-title")).to_contain_text("Before a run, 5 min")
    # The player's script has started (it sets the first step's countdown) before the runner ends the session.
    expect(page.locator("#countdown")).not_to_have_text("0:00")
    page.click("#end")
    expect(page.locator("#visitor-note")).to_be_visible()
    expect(page.locator("#log-form")).to_be_hidden()
    page.screenshot(path=artefacts / "home-visitor-done-390x844.png", full_page=True)
    assert csp_violations == []


@pytest.mark.django_db(transaction=True)
def test_every_tap_target_on_the_journey_is_at_least_44_px(
    page: Page, live_server: Any, runner: User, artefacts: Path, *, on_the_phone: Any
) -> None:
    for name, path in [
        ("drills", "/drills/"),
        ("drill", "/drills/forward-leg-swing/"),
        ("today", "/today/"),
        ("settings", "/settings/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert on_the_phone.small_targets() == [], path
        assert on_the_phone.fits(), path
        page.screenshot(path=artefacts / f"taps-{name}-390x844.png", full_page=True)
    # The account menu open: the e-mail, Settings and Log out, each a thumb's width, Log out on one line.
    page.click("#account-menu summary")
    expect(page.locator("#logout")).to_be_visible()
    assert on_the_phone.small_targets() == []
    logout = page.locator("#logout").bounding_box()
    assert logout is not None
    assert logout["height"] < 2 * on_the_phone.tap
    page.screenshot(path=artefacts / "taps-account-menu-390x844.png")
