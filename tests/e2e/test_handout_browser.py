"""The handout on a phone: the runner downloads it from Settings, their clinician from the runner's record; both
buttons fit the screen and are big enough to tap, and the file is the runner's programme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clinic_browsing import PASSWORD, SAM, SHOTS, phone_check
from playwright.sync_api import Page, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.sharing import accept, invite

looks_right = phone_check("handout")


def downloaded(page: Page, button: str) -> bytes:
    with page.expect_download() as download:
        page.click(button)
    return Path(download.value.path()).read_bytes()


def test_the_runner_and_their_clinician_download_the_handout_on_a_phone(
    page: Page, live_server: Any, runner: Any, on_the_phone: Any, csp_violations: list[str]
) -> None:
    clinic = set_up_clinic("Stride Physio", phone="+44 20 7946 0000")
    create_runner(SAM, PASSWORD)
    sam = add_clinician(clinic, SAM, admin=True).clinician
    accept(runner, invite(sam, runner.email).code)

    page.goto(f"{live_server.url}/settings/")
    page.locator("#handout").scroll_into_view_if_needed()
    looks_right(page, on_the_phone, "settings")
    page.locator("#handout").screenshot(path=str(SHOTS / "handout-settings-section.png"))
    assert downloaded(page, "#handout-download").startswith(b"%PDF-")

    page.click("#account-menu summary")
    page.click("#logout")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", SAM)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("#account-email")).to_have_text(SAM)
    page.goto(f"{live_server.url}/clinic/runners/{runner.pk}/")
    looks_right(page, on_the_phone, "record")
    assert downloaded(page, "#record-handout").startswith(b"%PDF-")
    assert csp_violations == []
