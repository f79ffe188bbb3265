"""A runner signing up on a phone set to Sydney time starts with Sydney's "today"."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from hipcoach.app.training.models import RunnerSettings


@pytest.mark.django_db(transaction=True)
def test_sign_up_takes_the_phones_time_zone(browser: Browser, live_server: Any, phone: dict[str, int]) -> None:
    context = browser.new_context(viewport=phone, timezone_id="Australia/Sydney")
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=email]", "sam.sydney@example.org")
    page.fill("input[name=password1]", "harbour-bridge-run-9")
    page.fill("input[name=password2]", "harbour-bridge-run-9")
    page.click("#signup")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    settings = RunnerSettings.objects.get(owner__username="sam.sydney@example.org")
    assert settings.time_zone == "Australia/Sydney"
    assert refused == []
    context.close()
