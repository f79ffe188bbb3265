"""Browser tests: Playwright driving Debian's Chromium against a live server.

Playwright cannot download its own browser on these machines, so the launch arguments point it at the
system Chromium (DESIGN.md).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import ConsoleMessage, Page, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.core.safety import EnergySign, RedFlag

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that thread are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
EMAIL = "pat.runner@example.org"
PASSWORD = "strides-and-drills-7"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def phone() -> dict[str, int]:
    """A phone's screen in CSS pixels: every browser test's viewport, and the width no page may scroll past."""
    return dict(PHONE)


@pytest.fixture
def desktop() -> dict[str, int]:
    """A laptop's window in CSS pixels, for the pages that must work on a desktop too."""
    return dict(DESKTOP)


@pytest.fixture
def viewport(phone: dict[str, int]) -> dict[str, int]:
    """The browser's viewport: the phone's, unless a test module overrides this fixture (to run at a desktop's
    ``DESKTOP`` too, say)."""
    return phone


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], viewport: dict[str, int]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": viewport}


# WCAG 2.5.5 (target size, enhanced): 44 by 44 CSS pixels, the smallest tap target a runner's thumb should meet.
TAP = 44
# Everything a runner taps on the pages that is not a link inside a sentence.
TAPPABLE = ", ".join(
    [
        "header a", "header summary", "header button", "main a.back", "main summary", "main button",
        "main a.button", "main select", "main label.choice", ".drill-card a", "footer a",
    ]
)  # fmt: skip
MEASURE = """selector => [...document.querySelectorAll(selector)]
  .filter(element => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden")
  .map(element => {
    const box = element.getBoundingClientRect();
    return {what: element.outerHTML.slice(0, 90), width: box.width, height: box.height};
  })"""


@dataclass(frozen=True)
class PhoneChecks:
    """What every page must meet on the phone: taps big enough for a thumb, and no sideways scrolling."""

    page: Page
    phone: dict[str, int]
    tap: int = TAP

    def small_targets(self, selector: str = TAPPABLE) -> list[dict[str, Any]]:
        """The visible targets of ``selector`` smaller than a tap either way."""
        targets: list[dict[str, Any]] = self.page.evaluate(MEASURE, selector)
        assert targets, f"nothing to tap on {self.page.url}"
        return [t for t in targets if t["width"] < self.tap or t["height"] < self.tap]

    def fits(self) -> bool:
        """Whether the page is no wider than the phone's screen."""
        return bool(self.page.evaluate("document.documentElement.scrollWidth") <= self.phone["width"])


@pytest.fixture
def on_the_phone(page: Page, phone: dict[str, int]) -> PhoneChecks:
    return PhoneChecks(page, phone)


@pytest.fixture
def runner(transactional_db: None, page: Page, live_server: Any, answer_safety_questions: Any) -> User:
    """A runner with an account who answered the safety questions (so Today plans), signed in on ``page`` through
    the login form."""
    user = create_runner(EMAIL, PASSWORD)
    answer_safety_questions(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("#account-email")).to_have_text(EMAIL)
    assert isinstance(user, User)
    return user


@pytest.fixture
def finish_sign_up(page: Page) -> Callable[[], None]:
    """After the sign-up form: open the link of the last e-mail sent, in this browser, and finish (the live server
    runs in this process, so its e-mails are in Django's test outbox)."""

    def finish() -> None:
        expect(page.locator("h1")).to_have_text("Check your e-mail")
        link = re.search(r"https?://\S+/accounts/signup/confirm/\S+/", str(mail.outbox[-1].body))
        assert link is not None
        page.goto(link.group(0))
        page.click("#confirm-signup")

    return finish


@pytest.fixture
def answer_the_questions(page: Page) -> Callable[..., None]:
    """Start the hip screen at ``base`` and answer its first questions and the safety questions: no to every red
    flag but those in ``yes``, no to every low-energy sign and to a hip replacement. Ends on the first test's step
    (or the urgent note)."""

    def answer(base: str, yes: frozenset[RedFlag] = frozenset()) -> None:
        page.goto(f"{base}/screen/")
        page.click("#start")
        page.fill("input[name=age]", "38")
        page.fill("input[name=sitting_hours_per_day]", "9")
        page.fill("input[name=pain_now]", "1")
        page.click("button:has-text('Continue')")
        expect(page.locator("h1")).to_have_text("Safety questions")
        for flag in RedFlag:
            answer = "yes" if flag in yes else "no"
            page.check(f"input[name='flag_{flag.value}'][value={answer}]")
        for sign in EnergySign:
            page.check(f"input[name='energy_{sign.value}'][value=no]")
        page.check("input[name=hip_replacement][value=no]")
        page.click("button:has-text('Continue')")

    return answer


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """What the browser refused on ``page`` under the Content-Security-Policy, as its console reports it (Chromium
    logs each refusal: "Refused to execute inline script because it violates the following Content Security Policy
    directive ..."). A page that works as intended leaves it empty."""
    refused: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", console)
    return refused


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.e2e)
