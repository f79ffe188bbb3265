"""Reaching the clinic on a phone: a referral on Today shows the clinic, the runner requests an appointment with
their screen, and the clinic's clinician reads it; every page fits the screen, every tap target is big enough, and
the policy refuses nothing."""

from __future__ import annotations

from typing import Any

from clinic_browsing import PASSWORD, SAM, phone_check
from django.core import mail
from playwright.sync_api import Page, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic

looks_right = phone_check("requests")


def test_a_referred_runner_requests_an_appointment_and_the_clinic_reads_it_on_a_phone(
    page: Page, live_server: Any, runner: Any, on_the_phone: Any, answer_safety_questions: Any, *, csp_violations: Any
) -> None:
    clinic = set_up_clinic(
        "Stride Physio", phone="+44 20 7946 0000", email="desk@stride.example",
        booking_url="https://stride.example/book", hours="Mon-Fri 8:00-19:00", address="1 High Street, London",
    )  # fmt: skip
    create_runner(SAM, PASSWORD)
    add_clinician(clinic, SAM)
    answer_safety_questions(runner, red_flags=["night-pain"])

    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#today-referral")).to_be_visible()
    expect(page.locator('#reach-clinic a[href="tel:+442079460000"]')).to_be_visible()
    looks_right(page, on_the_phone, "today-referral")
    page.click("#reach-clinic a.primary")
    page.fill("input[name=preferred_times]", "Weekday mornings")
    page.fill("textarea[name=message]", "Night pain in my left hip")
    page.check("input[name=share_screen]")
    looks_right(page, on_the_phone, "form")
    page.click("#send-request")
    expect(page.locator("main")).to_contain_text("Your request was sent to Stride Physio with your latest screen")
    looks_right(page, on_the_phone, "sent")
    assert len(mail.outbox) == 1

    page.click("#account-menu summary")
    page.click("#logout")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", SAM)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.goto(f"{live_server.url}/clinic/")
    page.click("#requests-link")
    expect(page.locator("#appointment-requests")).to_contain_text("Night pain in my left hip")
    expect(page.locator("#appointment-requests")).to_contain_text("The screen says to see a clinician")
    looks_right(page, on_the_phone, "clinic-list")
    assert csp_violations == []
