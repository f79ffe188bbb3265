"""The prescription page on a phone: the clinician pins a drill with a note and saves; the page fits the screen,
every tap target is big enough and the policy refuses nothing; the runner's player then shows the note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.sharing import accept, invite

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SAM = "sam@stride.example"
PASSWORD = "strides-and-drills-7"  # the runner fixture's (tests/e2e/conftest.py)

NOTE = "Keep the knee over the second toe"


def test_a_clinician_pins_a_drill_with_a_note_on_a_phone(
    page: Page, live_server: Any, runner: Any, on_the_phone: Any, csp_violations: list[str]
) -> None:
    clinic = set_up_clinic("Stride Physio", phone="+44 20 7946 0000")
    create_runner(SAM, PASSWORD)
    sam = add_clinician(clinic, SAM).clinician
    accept(runner, invite(sam, runner.email).code)
    page.click("#account-menu summary")
    page.click("#logout")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", SAM)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.goto(f"{live_server.url}/clinic/runners/{runner.pk}/")
    page.click("#prescription-link")
    expect(page.locator("h1")).to_have_text("Prescription")
    drill = page.locator(".prescribed-drill").first.get_attribute("data-drill")
    page.check(f"input[name='action-{drill}'][value=pin]")
    page.fill(f"#note-{drill}", NOTE)
    page.click("#save-prescription")
    expect(page.locator(".notice.saved")).to_contain_text("Prescription saved.")
    expect(page.locator(f"#note-{drill}")).to_have_value(NOTE)
    expect(page.locator("#prescription-signature")).to_contain_text(f"Prescribed by {SAM}")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "prescription-page.png"), full_page=True)
    assert on_the_phone.fits(), "the prescription page scrolls sideways"
    assert on_the_phone.small_targets() == []
    assert csp_violations == []
