"""The guided player on a phone: play a session to the end, resume after a reload, save while offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from hipcoach.app.training.models import SessionLog

ONE_OFF = "/play/once/?context=pre-run&minutes=6&equipment=none"


def shown(page: Page) -> tuple[str, str, str]:
    return (
        page.locator("#drill-name").text_content() or "",
        page.locator("#player-side").text_content() or "",
        page.locator("#step-count").text_content() or "",
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_play_a_session_to_the_end_rate_it_and_save(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int], csp_violations: list[str]
) -> None:
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(f"{live_server.url}{ONE_OFF}&speed=50")
    expect(page.locator("#speed")).to_have_text("clock ×50")
    assert not [url for url in loaded if "htmx" in url]  # the player swaps nothing: htmx is not loaded
    # The sound switch is one toggle named "Sound", pressed while the sound is on.
    sound = page.get_by_role("button", name="Sound", exact=True)
    expect(sound).to_have_attribute("aria-pressed", "true")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "false")
    expect(sound).to_have_text("Sound off")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#toggle")).to_have_text("Start")
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
    page.click("#toggle")
    expect(page.locator("#toggle")).to_have_text("Pause")
    # Each side is timed on its own and shown in big letters.
    expect(page.locator("#player-side")).to_have_text("LEFT", timeout=15_000)
    page.screenshot(path=artefacts / "player-390x844.png")
    expect(page.locator("#finish")).to_be_visible(timeout=30_000)
    expect(page.locator("#step-kind")).to_have_text("Done")
    drills = page.locator("fieldset.drill-log")
    count = drills.count()
    assert count >= 2
    # Every side the timeline worked is ticked as done.
    assert page.locator("fieldset.drill-log input[type=checkbox]:not(:checked)").count() == 0
    for box in (drills.nth(n).locator("select").bounding_box() for n in range(count)):
        assert box is not None
        assert min(box["width"], box["height"]) >= 44, box  # a pain select is a tap target of its own
    drills.nth(0).locator("input[value=easy]").check()
    drills.nth(0).locator("select").select_option("2")
    page.fill("textarea[name=notes]", "Hips felt free")
    page.screenshot(path=artefacts / "player-rating-390x844.png", full_page=True)
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved.")
    expect(page.locator("#result")).to_be_visible()
    log = SessionLog.objects.get()
    assert log.drills.count() == count
    first = log.drills.first()
    assert first is not None
    assert (first.rating, first.pain) == ("easy", 2)
    assert log.notes == "Hips felt free"
    assert log.seconds_done >= 0.8 * 360
    # The player, its sounds and the save ran under the page's Content-Security-Policy without a refusal.
    assert csp_violations == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_a_reload_in_the_middle_resumes_at_the_same_step(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}{ONE_OFF}")
    page.click("#toggle")
    for _ in range(3):
        page.click("#skip")
    page.click("#toggle")  # pause, as a runner does before the phone reloads
    expect(page.locator("#toggle")).to_have_text("Resume")
    before = shown(page)
    assert before[2].startswith("Step 4 of ")
    page.reload()
    expect(page.locator("#step-count")).to_have_text(before[2])
    assert shown(page) == before
    expect(page.locator("#toggle")).to_have_text("Resume")
    page.click("#back")  # early in a step, Back goes to the step before
    expect(page.locator("#step-count")).to_have_text(before[2].replace("Step 4", "Step 3"))
    page.click("#skip")
    assert shown(page) == before
    countdown = page.locator("#countdown").inner_text()
    page.click("#toggle")
    expect(page.locator("#toggle")).to_have_text("Pause")
    expect(page.locator("#countdown")).not_to_have_text(countdown, timeout=5_000)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_a_log_saved_offline_waits_on_the_phone_and_is_sent_once(
    page: Page, context: BrowserContext, live_server: Any, artefacts: Path
) -> None:
    page.goto(f"{live_server.url}{ONE_OFF}&speed=500")
    page.click("#toggle")
    expect(page.locator("#finish")).to_be_visible(timeout=15_000)
    context.set_offline(True)
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved on this phone; will send when you are back online.")
    page.screenshot(path=artefacts / "player-offline-390x844.png")
    assert SessionLog.objects.count() == 0
    context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("Saved.", timeout=10_000)
    assert SessionLog.objects.count() == 1
    # The next page load finds nothing left to send, and nothing is stored twice.
    page.goto(f"{live_server.url}/today/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("localStorage.getItem('hipcoach.outbox')") == "{}"
    assert SessionLog.objects.count() == 1


def figure_state(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
              const box = document.querySelector("#player-figure");
              const svg = box.querySelector("svg");
              const rect = svg ? svg.getBoundingClientRect() : null;
              return {
                drill: box.dataset.drill || "", side: box.dataset.side || "", drawn: svg ? svg.outerHTML.length : 0,
                paused: svg ? svg.animationsPaused() : null, time: svg ? svg.getCurrentTime() : null,
                width: rect ? rect.width : 0, height: rect ? rect.height : 0, right: rect ? rect.right : 0,
              };
            }"""
        )
    )


def skip_to(page: Page, kind: str, *, side: str | None = None) -> None:
    """Skip steps until the player shows a step of that kind (and that side): at most a session's worth."""
    for _ in range(80):
        if page.locator("#step-kind").text_content() == kind and (side is None or shown(page)[1] == side):
            return
        page.click("#skip")
    raise AssertionError(f"no {kind} step {side or ''} in the session")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
@pytest.mark.parametrize("screen", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=str)
def test_the_player_shows_the_movement_on_the_side_being_worked_in_time_with_the_countdown(
    page: Page, live_server: Any, artefacts: Path, screen: dict[str, int], csp_violations: list[str]
) -> None:
    page.set_viewport_size(screen)
    page.goto(f"{live_server.url}{ONE_OFF}")
    session = page.evaluate("JSON.parse(document.querySelector('#player-data').textContent).session")
    expect(page.locator("#player-figure svg")).to_be_visible()
    ready = figure_state(page)
    assert ready["drill"] == session["items"][0]["drill_id"]
    assert ready["paused"] is True  # still, at the first key pose, until the runner starts
    assert ready["height"] > 100
    assert ready["right"] <= screen["width"]
    page.screenshot(path=artefacts / f"player-ready-{screen['width']}x{screen['height']}.png")
    controls = page.locator(".controls").bounding_box()
    assert controls is not None
    assert controls["y"] + controls["height"] <= screen["height"]  # the figure leaves Start on the first screen

    page.click("#toggle")
    skip_to(page, "Go", side="LEFT")
    expect(page.locator("#player-figure")).to_have_attribute("data-side", "left")
    working = figure_state(page)
    assert working["paused"] is False
    page.wait_for_function(
        "start => document.querySelector('#player-figure svg').getCurrentTime() > start + 0.3", arg=working["time"]
    )
    page.screenshot(path=artefacts / f"player-figure-{screen['width']}x{screen['height']}.png")

    page.click("#toggle")  # pause: the figure stands still with the countdown
    expect(page.locator("#toggle")).to_have_text("Resume")
    held = figure_state(page)
    assert held["paused"] is True
    page.wait_for_timeout(400)
    assert figure_state(page)["time"] == held["time"]

    page.click("#toggle")
    skip_to(page, "Go", side="RIGHT")
    expect(page.locator("#player-figure")).to_have_attribute("data-side", "right")
    right = figure_state(page)
    assert right["paused"] is False
    assert right["drawn"] > 0
    assert csp_violations == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_with_reduced_motion_the_player_shows_the_key_pose_without_moving(page: Page, live_server: Any) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}{ONE_OFF}")
    page.click("#toggle")
    skip_to(page, "Go")
    expect(page.locator("#player-figure svg")).to_be_visible()
    page.wait_for_timeout(300)
    assert figure_state(page)["paused"] is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_the_player_and_everything_it_loads_with_its_first_figure_weigh_under_100_kb(
    page: Page, live_server: Any
) -> None:
    loaded: dict[str, int] = {}

    def weigh(response: Any) -> None:
        # The bytes as the page uses them (unpacked), so the budget holds even where nothing is compressed.
        loaded[response.url] = len(response.body())

    page.on("response", weigh)
    page.goto(f"{live_server.url}/play/once/?context=strength&minutes=60")
    expect(page.locator("#player-figure svg")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any("/figure.svg" in url for url in loaded)
    assert sum(loaded.values()) < 100_000, loaded
