"""Sharing on a phone: the clinician makes a code, the runner opens its link, reads what is shared, accepts, and stops
from Settings; every page fits the screen, every tap target is big enough, and the policy refuses nothing."""

from __future__ import annotations

from typing import Any

from clinic_browsing import EMAIL, PASSWORD, SAM, SHOTS, log_in, log_out, phone_check
from playwright.sync_api import Page, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.sharing import SHARED

looks_right = phone_check("sharing")


def test_a_runner_shares_with_a_clinician_and_stops_on_a_phone(
    page: Page, live_server: Any, runner: Any, on_the_phone: Any, csp_violations: list[str]
) -> None:
    clinic = set_up_clinic("Stride Physio", phone="+44 20 7946 0000")
    create_runner(SAM, PASSWORD)
    add_clinician(clinic, SAM, admin=True)
    log_out(page)

    log_in(page, live_server.url, SAM)
    page.goto(f"{live_server.url}/clinic/")
    page.click("#invite-link")
    looks_right(page, on_the_phone, "invite")
    page.click("#make-code")
    link = page.locator("#invitation-link").inner_text()
    assert link.startswith(f"{live_server.url}/sharing/accept/?code=")
    looks_right(page, on_the_phone, "invite-made")
    page.goto(f"{live_server.url}/clinic/staff/")
    looks_right(page, on_the_phone, "staff")
    log_out(page)

    # Not signed in, the link goes by the login page and back.
    page.goto(link)
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("#invitation-clinic")).to_have_text("Stride Physio")
    expect(page.locator(".shared-list li")).to_have_text(list(SHARED))
    looks_right(page, on_the_phone, "accept")
    page.click("#accept")
    expect(page.locator("#sharing-confirmed")).to_contain_text("Stride Physio")
    looks_right(page, on_the_phone, "shared")

    page.click("#where-to-stop")
    section = page.locator("#sharing")
    section.locator("summary", has_text="Stop sharing").click()
    looks_right(page, on_the_phone, "settings-stop")
    section.screenshot(path=str(SHOTS / "sharing-settings-stop-section.png"))
    section.locator("button.danger").click()
    expect(page.locator("p.notice.saved")).to_contain_text("You stopped sharing with")
    expect(page.locator("#sharing .tag.warn")).to_contain_text("stopped on")
    looks_right(page, on_the_phone, "settings-stopped")

    page.goto(f"{live_server.url}/sharing/accept/?code=NOPE")
    expect(page.locator("#code-form .error")).to_contain_text("code: no open invitation has this code")
    looks_right(page, on_the_phone, "accept-unknown")
    assert csp_violations == []
