"""A runner signs up on a phone, sees their e-mail in the header, logs out and logs back in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

EMAIL = "Casey.Runner@example.org"
PASSWORD = "tempo-run-and-hills-12"


@pytest.mark.django_db(transaction=True)
def test_sign_up_log_out_and_log_back_in(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int], finish_sign_up: Callable[[], None]
) -> None:
    page.goto(f"{live_server.url}/drills/")
    page.click("#signup-link")
    expect(page.locator("h1")).to_have_text("Sign up")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", "not the same one")
    page.click("#signup")
    expect(page.locator(".error")).to_have_text("The two passwords differ. Type the same password twice.")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("#signup")
    finish_sign_up()

    # The e-mail, Settings and Log out are in the header's account menu: one line on a phone, opened with a tap.
    email = page.locator("#account-email")
    expect(email).to_have_text("casey.runner@example.org")
    expect(email).to_be_hidden()
    page.click("#account-menu summary")
    expect(email).to_be_visible()
    expect(page.locator("#logout")).to_be_visible()
    header = page.locator("header.top").bounding_box()
    assert header is not None
    assert header["height"] < 70  # one line of 44 px targets, not two
    # The header fits the phone: nothing pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
    page.screenshot(path=artefacts / "account-header-390x844.png")

    page.click("#logout")
    expect(page.locator("#account-email")).to_have_count(0)
    expect(page.locator("#login-link")).to_be_visible()

    page.click("#login-link")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", "wrong password")
    page.click("#login")
    expect(page.locator(".problems")).to_contain_text("do not match an account")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("#account-email")).to_have_text("casey.runner@example.org")

    page.click("#account-menu summary")
    page.click("#settings-link")
    page.click("#tokens-link")
    expect(page.locator("h1")).to_have_text("API tokens")
    page.fill("input[name=name]", "laptop")
    page.click("#create-token")
    expect(page.locator("#new-token")).to_contain_text("hc_")
    page.screenshot(path=artefacts / "account-tokens-390x844.png", full_page=True)
