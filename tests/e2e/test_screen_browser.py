"""A runner takes the hip screen in a phone browser, from the first question to the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hipcoach.core.safety import RedFlag
from hipcoach.web.screens.wizard import TestForm


@pytest.mark.django_db(transaction=True)
def test_from_first_question_to_the_result(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int], answer_the_questions: Any
) -> None:
    answer_the_questions(live_server.url)
    expect(page.locator("h1")).to_have_text("Modified Thomas test")
    page.screenshot(path=artefacts / "screen-test-390x844.png", full_page=True)
    page.select_option("select[name=left__thigh]", "raised")
    page.select_option("select[name=left__knee]", "straighter")
    page.select_option("select[name=left__thigh_drifts_out]", "no")
    page.select_option("select[name=right__thigh]", "level")
    page.select_option("select[name=right__knee]", "bent")
    page.select_option("select[name=right__thigh_drifts_out]", "no")
    page.click("button:has-text('Save and continue')")

    expect(page.locator("h1")).to_have_text("Seated hip internal rotation")
    page.fill("input[name=left]", "400")
    page.click("button:has-text('Save and continue')")
    # Both problems at once: the angle out of range, and the follow-up question, needed even with no angle.
    expect(page.locator("[data-field=follow_up] .error")).to_contain_text("Please answer this")
    expect(page.locator(".field .error")).to_contain_text("allowed: a number from 0 to 90")
    page.fill("input[name=left]", "24")
    page.fill("input[name=right]", "38")
    page.check("input[name=follow_up][value=no]")
    page.click("button:has-text('Save and continue')")

    expect(page.locator("h1")).to_have_text("Seated hip external rotation")
    page.click("button:has-text('Finish now')")
    page.click("#see-result")

    expect(page.locator("h1")).to_have_text("Your hip screen")
    # Plain words first; the scores and the measurement error wait behind the details control.
    expect(page.locator("#meaning")).to_contain_text("The front of your left hip is tight (the hip flexors).")
    expect(page.locator("#meaning")).to_contain_text("Your left hip turns inward less than it should.")
    finding = page.locator(".finding[data-restriction='hip-ir-limit'][data-side='left']")
    expect(finding).to_be_hidden()
    expect(page.locator("tr[data-measure='seated_ir_deg'] .verdict")).to_have_text("real")
    # The left/right table fits the phone: nothing to scroll sideways to, no column cut off.
    wrap = page.locator("#left-right .table-wrap")
    assert wrap.evaluate("(box) => box.scrollWidth <= box.clientWidth")
    expect(page.locator(".not-measured")).to_contain_text("Deep squat")
    page.screenshot(path=artefacts / "screen-result-390x844.png", full_page=True)
    summary = page.locator("#result-details summary")
    box = summary.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a tap target
    summary.click()
    expect(page.locator(".finding[data-restriction='hip-flexor-tightness'][data-side='left']")).to_be_visible()
    expect(finding).to_contain_text("smallest real change")
    page.screenshot(path=artefacts / "screen-result-details-390x844.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]


@pytest.mark.django_db(transaction=True)
def test_the_urgent_path_skips_loaded_tests_and_ends_in_a_referral(
    page: Page, live_server: Any, artefacts: Path, answer_the_questions: Any
) -> None:
    answer_the_questions(live_server.url, yes=frozenset({RedFlag.GROIN_PAIN_RUNNING}))
    expect(page.locator(".urgent")).to_contain_text("See a clinician today, and do not run.")
    expect(page.locator(".skipped")).to_contain_text("Single-leg squat")
    expect(page.locator(".skipped")).to_contain_text("Loaded tests skipped")
    titles = []
    while page.locator("button:has-text('Not measured: skip')").count():
        titles.append(page.locator("h1").inner_text())
        if page.locator("input[name=follow_up]").count():  # seated IR's follow-up: asked even when skipped
            page.check("input[name=follow_up][value=no]")
        page.click("button:has-text('Not measured: skip')")
    assert not {"Single-leg stance", "Single-leg squat", "Deep squat"} & set(titles)
    page.click("#see-result")
    expect(page.locator(".referral h1")).to_have_text("See a clinician today. Do not run.")
    expect(page.locator(".refer-reasons")).to_contain_text("groin")
    expect(page.get_by_text("Your training plan is locked")).to_be_visible()
    page.screenshot(path=artefacts / "screen-referral-390x844.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_pain_on_the_single_leg_squat_ends_in_a_referral(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int], answer_the_questions: Any
) -> None:
    answer_the_questions(live_server.url)
    while page.locator("h1").inner_text() != "Single-leg squat":
        if page.locator("input[name=follow_up]").count():
            page.check("input[name=follow_up][value=no]")
        page.click("button:has-text('Not measured: skip')")
    page.fill("input[name=left]", "1")
    page.click("button:has-text('Save and continue')")
    expect(page.locator(".error")).to_have_text(TestForm.PAIN_NEEDED)
    page.select_option("select[name=left__pain]", "no")
    page.select_option("select[name=right__pain]", "yes")  # the right leg hurt: stopped without counting faults
    page.screenshot(path=artefacts / "screen-squat-pain-390x844.png", full_page=True)
    page.click("button:has-text('Save and continue')")
    expect(page.locator("h1")).to_have_text("Ready for your result")  # the deep squat after pain is skipped
    page.click("#see-result")
    expect(page.locator(".refer-reasons")).to_contain_text("Single-leg squat on the right leg: pain")
    expect(page.get_by_text("Your training plan is locked")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
