"""On a phone: the clinician adds a measurement and clears a referral on the runner's record, and the runner's Today
then says who cleared it; every page fits the screen, every tap target is big enough, and the policy refuses nothing."""

from __future__ import annotations

from typing import Any

import pytest
from clinic_browsing import EMAIL, PASSWORD, SAM, log_in, log_out, phone_check
from playwright.sync_api import Page, expect

from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.sharing import accept, invite
from hipcoach.app.clock import local_today

looks_right = phone_check("clinical")


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
