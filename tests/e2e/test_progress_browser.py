"""The progress page on a phone: Chart.js draws every chart from the page's JSON, with no console error."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, Response, expect

from hipcoach.app.accounts.accounts import create_runner
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.models import DrillEntry, ProgressionEvent, RunnerSettings, SessionLog
from hipcoach.core.screen import parse_answers

EMAIL = "lee.runner@example.org"
PASSWORD = "hip-circles-and-hills-9"
EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())


def a_runner_with_history() -> None:
    user = create_runner(EMAIL, PASSWORD)
    RunnerSettings.objects.create(owner=user, runs=["tue:easy:40", "sat:long:100"])
    today = timezone.localdate()
    for days_back in range(0, 60, 2):
        day = today - timedelta(days=days_back)
        log = SessionLog.objects.create(
            owner=user,
            client_key=f"browser-{days_back}",
            context=["pre-run", "post-run", "strength"][days_back % 3],
            planned_for=day,
            finished_at=timezone.make_aware(datetime.combine(day, time(7))),
            session={"items": [{"drill_id": "clamshell"}]},
            pain=days_back % 5,
        )
        DrillEntry.objects.create(
            log=log, order=0, drill_id="clamshell", amount=10, sets=2, sides_done=["left", "right"], rating="ok", pain=1
        )
    ProgressionEvent.objects.create(
        owner=user, drill_id="clamshell", action="raise-dose", reason="Easy twice in a row: one more rep."
    )
    for weeks_back, left in ((10, 24), (5, 29), (0, 36)):
        answers = {**EXAMPLE, "tests": {**EXAMPLE["tests"], "seated_ir_deg": {"left": left, "right": 38}}}
        taken = timezone.now() - timedelta(weeks=weeks_back)
        record_screen(parse_answers(answers), ScreenOwner(user=user), taken_at=taken)


@pytest.mark.django_db(transaction=True)
def test_progress_page_draws_its_charts_on_a_phone(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int]
) -> None:
    a_runner_with_history()
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    def response(answer: Response) -> None:
        if answer.status >= 400:
            problems.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", response)

    page.goto(f"{live_server.url}/accounts/login/?next=/progress/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("h1")).to_have_text("Your progress")

    measures = page.locator("canvas.measure-chart")
    expected = 2 + measures.count()
    assert measures.count() >= 5  # every measure of the example screen has its chart
    expect(page.locator("body")).to_have_attribute("data-charts-drawn", str(expected))
    # Chart.js took every canvas over and drew on it at the phone's width.
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas')].map((canvas) => {
            const chart = window.Chart.getChart(canvas);
            return chart ? [chart.config.type, canvas.width > 0 && canvas.height > 0] : null;
        })"""
    )
    assert len(drawn) == expected
    assert all(item is not None and item[1] for item in drawn), drawn
    assert drawn[0][0] == "bar"
    rotation = page.evaluate(
        """() => window.Chart.getChart(document.querySelector('canvas[data-measure="seated_ir_deg"]'))
            .data.datasets.map((set) => set.label)"""
    )
    assert "left: first ± 8.6" in rotation
    assert "left: real change" in rotation
    assert "right: within measurement error" in rotation
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
    expect(page.locator("#calendar .day.active").first).to_be_visible()
    page.screenshot(path=artefacts / "progress-390x844.png", full_page=True)
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_new_runner_with_one_screen_reads_sentences_not_empty_charts(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int]
) -> None:
    user = create_runner(EMAIL, PASSWORD)
    RunnerSettings.objects.create(owner=user, runs=["tue:easy:40", "sat:long:100"])
    record_screen(parse_answers(EXAMPLE), ScreenOwner(user=user))
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/?next=/progress/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    expect(page.locator("h1")).to_have_text("Your progress")
    assert page.locator("canvas").count() == 0
    assert not [url for url in loaded if "chart-" in url]  # no chart to draw: Chart.js is not loaded
    expect(page.locator("#adherence-first-week")).to_be_visible()
    expect(page.locator("#no-pain")).to_be_visible()
    expect(page.locator("#one-screen")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
    # Short on a phone: one table of the screen's values, not a chart box and a table for each measure.
    assert page.evaluate("document.documentElement.scrollHeight") <= 4 * phone["height"]
    page.screenshot(path=artefacts / "progress-new-runner-390x844.png", full_page=True)
