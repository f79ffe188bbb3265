"""On a phone: the clinician adds a measurement and clears a referral on the runner's record, and the runner's Today
then says who cleared it; every page fits the screen, every tap target is big enough, and the policy refuses nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.sharing import accept, invite
from hipcoach.app.clock import local_today

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SAM = "sam@stride.example"
EMAIL = "pat.runner@example.org"  # the runner fixture's (tests/e2e/conftest.py)
PASSWORD = "strides-and-drills-7"


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("#account-email")).to_have_text(email)


def log_out(page: Page) -> None:
    page.click("#account-menu summary")
    page.click("#logout")


def looks_right(page: Page, on_the_phone: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"clinical-{name}.png"), full_page=True)
    assert on_the_phone.fits(), f"{name} scrolls sideways"
    assert on_the_phone.small_targets() == [], name


@pytest.fixture
def referred(runner: Any, answer_safety_questions: Any) -> Any:
    """The runner's latest screen reports a recent fall: referred, no plan."""
    answer_safety_questions(runner, taken_at=runner.date_joined, red_flags=["recent-trauma"])
    return runner


def test_a_clinician_measures_and_clears_and_the_runners_plan_unlocks_on_a_phone(
    page: Page, live_server: Any, referred: Any, on_the_phone: Any, csp_violations: list[str]
) -> None:
    runner = referred
    sam = add_clinician(set_up_clinic("Stride Physio", phone="+44 20 7946 0000"), SAM).clinician
    sam.user.set_password(PASSWORD)
    sam.user.save()
    accept(runner, invite(sam, EMAIL).code)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#today-referral")).to_be_visible()
    log_out(page)

    log_in(page, live_server.url, SAM)
    page.goto(f"{live_server.url}/clinic/runners/{runner.pk}/")
    page.click("text=Add your measurement")
    page.select_option("#measurement-measure", "seated_ir_deg")
    page.select_option("#measurement-side", "left")
    page.fill("#measurement-value", "31")
    page.select_option("#measurement-instrument", "inclinometer")
    page.fill("#measurement-position", "seated, knee at 90°")
    page.click("#add-measurement")
    expect(page.locator(".clinician-measured")).to_contain_text("clinician-measured: inclinometer, seated, knee at 90°")
    page.select_option("#clearance-kind", "referral")
    page.fill("#clearance-note", "Examined: bruising only, no fracture")
    page.click("#give-clearance")
    expect(page.locator("#record-clearances")).to_contain_text("Referral cleared")
    looks_right(page, on_the_phone, "record")
    log_out(page)

    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#today-referral")).to_have_count(0)
    day = local_today()
    expect(page.locator("[data-cleared]")).to_have_text(
        f"Cleared by {SAM} on {day.day} {day:%B %Y}: Examined: bruising only, no fracture"
    )
    looks_right(page, on_the_phone, "today")
    assert csp_violations == []
