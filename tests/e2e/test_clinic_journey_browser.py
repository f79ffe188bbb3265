"""The clinic's whole loop on a phone: a clinician invites, the runner accepts and plays a session that hurts (pain 7),
the clinician sees the alert and acknowledges it with a note, changes the prescription, the runner's next session
follows it (the pinned drill, its note, who prescribed it), and once the runner stops sharing the clinician loses
access at once."""

from __future__ import annotations

from typing import Any

from clinic_browsing import EMAIL, PASSWORD, SAM, log_in, log_out, phone_check
from playwright.sync_api import Page, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.models import Alert
from hipcoach.app.training.models import SessionLog
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import Context

ONE_OFF = "/play/once/?context=pre-run&minutes=6&equipment=none&speed=50"
NOTE = "Squeeze the glutes at the top"

looks_right = phone_check("clinic-journey", targets=False)


def play_a_session(page: Page, url: str, pain: str) -> list[str]:
    """Play today's pre-run routine to the end, report the pain and save; the drills it played, in order."""
    page.goto(f"{url}{ONE_OFF}")
    page.click("#toggle")
    expect(page.locator("#finish")).to_be_visible(timeout=60_000)
    page.locator("fieldset.drill-log").nth(0).locator("select").select_option(pain)
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    log = SessionLog.objects.order_by("-finished_at").first()
    assert log is not None
    return [entry.drill_id for entry in log.drills.order_by("order")]


def a_pre_run_drill_not_in(played: list[str]) -> str:
    """A body-weight activation drill of the pre-run routine that the session did not give."""
    return next(
        drill.id
        for drill in default_catalogue()
        if Context.PRE_RUN in drill.phases and drill.kind == "activation" and not drill.equipment
        and drill.level == 1 and drill.id not in played
    )  # fmt: skip


def test_invite_accept_alert_acknowledge_prescribe_follow_and_stop_sharing_on_a_phone(
    page: Page, live_server: Any, runner: Any, on_the_phone: Any, csp_violations: list[str]
) -> None:
    url = live_server.url
    clinic = set_up_clinic("Stride Physio", phone="+44 20 7946 0000")
    create_runner(SAM, PASSWORD)
    add_clinician(clinic, SAM, admin=True)
    log_out(page)

    # The clinician makes a one-time code and hands its link over.
    log_in(page, url, SAM)
    page.goto(f"{url}/clinic/")
    page.click("#invite-link")
    page.click("#make-code")
    link = page.locator("#invitation-link").inner_text()
    log_out(page)

    # The runner opens it, reads what is shared, accepts, and plays a session with pain 7.
    log_in(page, url, EMAIL)
    page.goto(link)
    page.click("#accept")
    expect(page.locator("#sharing-confirmed")).to_contain_text("Stride Physio")
    first = play_a_session(page, url, pain="7")
    log_out(page)

    # The clinician sees the alert first, and acknowledges it with a note that stays in the record.
    log_in(page, url, SAM)
    page.goto(f"{url}/clinic/")
    alert = page.locator("#clinic-alerts .alert-item").first
    expect(alert).to_contain_text("Pain 7 of 10")
    looks_right(page, on_the_phone, "dashboard-alert")
    alert.locator("textarea[name=note]").fill("Called Pat: easier week, see Thursday.")
    alert.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Alert acknowledged: Called Pat: easier week, see Thursday.")
    looks_right(page, on_the_phone, "record-acknowledged")
    assert Alert.objects.get(runner=runner).note == "Called Pat: easier week, see Thursday."
    record = page.url

    # The clinician pins a drill the session did not give, with a note, from the runner's record.
    pinned = a_pre_run_drill_not_in(first)
    page.click("#prescription-link")
    if page.locator(f'.prescribed-drill[data-drill="{pinned}"]').count():  # in the runner's week already
        page.check(f"input[name='action-{pinned}'][value=pin]")
    else:  # one more drill, pinned from the list of the others
        page.select_option("#pin", pinned)
        page.click("#save-prescription")
        expect(page.locator(".notice.saved")).to_contain_text("Prescription saved.")
    page.fill(f"#note-{pinned}", NOTE)
    page.click("#save-prescription")
    expect(page.locator(f"#note-{pinned}")).to_have_value(NOTE)
    looks_right(page, on_the_phone, "prescription")
    log_out(page)

    # The runner's next session follows it: the pinned drill is in it, with the note and who prescribed it.
    log_in(page, url, EMAIL)
    page.goto(f"{url}{ONE_OFF}")
    expect(page.locator("#prescribed-by")).to_contain_text(f"Prescribed by {SAM}")
    expect(page.locator("body")).to_contain_text(NOTE)
    looks_right(page, on_the_phone, "player-prescribed")
    second = play_a_session(page, url, pain="2")
    assert pinned in second
    assert pinned not in first

    # The runner stops sharing from Settings; the clinician's next look finds nothing.
    page.goto(f"{url}/settings/")
    section = page.locator("#sharing")
    section.locator("summary", has_text="Stop sharing").click()
    section.locator("button.danger").click()
    expect(page.locator("p.notice.saved")).to_contain_text("You stopped sharing with")
    log_out(page)

    log_in(page, url, SAM)
    response = page.goto(record)
    assert response is not None
    assert response.status == 404
    page.goto(f"{url}/clinic/")
    expect(page.locator(f'tr[data-runner="{runner.pk}"]')).to_have_count(0)
    expect(page.locator("#no-runners")).to_be_visible()
    looks_right(page, on_the_phone, "dashboard-after-stop")
    assert csp_violations == []
