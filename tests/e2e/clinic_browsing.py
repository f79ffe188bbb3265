"""What the clinic's browser tests share: the clinician and the runner fixture's account, logging in and out through
the header, and a screenshot of each page checked as a runner would look at it on a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SAM = "sam@stride.example"
EMAIL = "pat.runner@example.org"  # the runner fixture's (tests/e2e/conftest.py)
PASSWORD = "strides-and-drills-7"  # the runner fixture's, given to the clinician's account too


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("#account-email")).to_have_text(email)


def log_out(page: Page) -> None:
    page.click("#account-menu summary")
    page.click("#logout")


def phone_check(prefix: str, *, targets: bool = True) -> Callable[[Page, Any, str], None]:
    """``looks_right(page, on_the_phone, name)``: saves test-artifacts/<prefix>-<name>.png and checks that the page
    fits the phone's width and (``targets``) that every tap target is big enough."""

    def looks_right(page: Page, on_the_phone: Any, name: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{prefix}-{name}.png"), full_page=True)
        assert on_the_phone.fits(), f"{name} scrolls sideways"
        if targets:
            assert on_the_phone.small_targets() == [], name

    return looks_right
