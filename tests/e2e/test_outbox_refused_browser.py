"""A log the server refuses while the outbox sends it from another page is not lost: Today shows it under
"needs attention" with what the server said, a download of the log, and a clinician warning when it
reported a new warning sign. A server that cannot take it now (down, busy, signed out) is no refusal: the
log stays in the outbox and is sent again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, Route, expect

from hipcoach.app.library.models import Drill as LibraryDrill
from hipcoach.app.training.log import save_log
from hipcoach.app.training.models import SessionLog

ONE_OFF = "/play/once/?context=pre-run&minutes=6&equipment=none"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "accept_downloads": True}


def stored(page: Page, key: str) -> dict[str, Any]:
    return dict(json.loads(page.evaluate(f"localStorage.getItem({key!r})") or "{}"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_a_log_refused_when_sent_from_today_waits_there_with_a_clinician_warning(
    page: Page, context: BrowserContext, live_server: Any, artefacts: Path
) -> None:
    page.goto(f"{live_server.url}{ONE_OFF}&speed=500")
    page.click("#toggle")
    expect(page.locator("#finish")).to_be_visible(timeout=15_000)
    drill_id = page.evaluate("JSON.parse(document.querySelector('#player-data').textContent).session.items[0].drill_id")
    # Saved offline, with a new warning sign reported; the runner leaves the player before coming back online.
    context.set_offline(True)
    # Functions, not bare expressions: Playwright polls an expression with eval(), which the page's policy refuses.
    page.wait_for_function("() => !navigator.onLine")  # else a send may start before the network is cut
    page.check("#red-flag")
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved on this phone; will send when you are back online.")
    # The player is closed, not navigated from: leaving a page while Chromium emulates offline lets the
    # outbox send (an artefact of the emulation), which would race the change below.
    page.close()
    # Meanwhile a drill of the session leaves the library: the server refuses the log (422).
    LibraryDrill.objects.filter(id=drill_id).update(retired=True)
    assert SessionLog.objects.count() == 0
    context.set_offline(False)

    page = context.new_page()
    page.goto(f"{live_server.url}/today/")
    attention = page.locator("#needs-attention")
    expect(attention).to_be_visible(timeout=10_000)
    refused = attention.locator("article.refused-log")
    expect(refused).to_have_count(1)
    expect(refused.locator(".refused-reason")).to_contain_text("The server refused it (422)")
    expect(refused.locator(".refused-reason")).to_contain_text(f"'{drill_id}' is not a drill of the library")
    warning = refused.locator(".red-flag-refused")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("See a clinician before you train again")
    page.screenshot(path=artefacts / "today-needs-attention-390x844.png", full_page=True)
    assert SessionLog.objects.count() == 0
    # Out of the outbox (not sent again and again), kept on the phone.
    assert stored(page, "hipcoach.outbox") == {}
    (entry,) = stored(page, "hipcoach.refused").values()
    assert entry["payload"]["red_flag"] is True
    assert entry["refused"]["status"] == 422

    # The download is the log as it was sent.
    with page.expect_download() as info:
        refused.locator(".refused-download").click()
    downloaded = json.loads(Path(info.value.path()).read_text())
    assert downloaded["payload"] == entry["payload"]
    assert info.value.suggested_filename.endswith(f"{entry['payload']['client_key']}.json")

    # Still there on the next page load, and in the player too.
    page.reload()
    expect(page.locator("#needs-attention article.refused-log")).to_have_count(1)
    page.goto(f"{live_server.url}{ONE_OFF}")
    expect(page.locator("#needs-attention article.refused-log")).to_have_count(1)

    # Dismissed, it is gone for good.
    page.goto(f"{live_server.url}/today/")
    page.locator("#needs-attention .refused-dismiss").click()
    expect(page.locator("#needs-attention")).to_be_hidden()
    assert stored(page, "hipcoach.refused") == {}
    page.reload()
    expect(page.locator("#needs-attention")).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_a_key_reused_for_another_log_is_a_refusal_kept_until_sent_again(
    page: Page, live_server: Any, runner: User
) -> None:
    drill = {"drill_id": "forward-leg-swing", "amount": 10, "sets": 1, "sides_done": ["left", "right"]}
    save_log(
        runner, {"client_key": "reused-key-1", "context": "pre-run", "drills": [{**drill, "rating": "ok", "pain": 0}]}
    )
    different = {"client_key": "reused-key-1", "context": "pre-run", "drills": [{**drill, "rating": "hard", "pain": 4}]}
    waiting = {"reused-key-1": {"url": "/api/v1/logs", "user": runner.pk, "payload": different}}
    page.evaluate(f"localStorage.setItem('hipcoach.outbox', {json.dumps(json.dumps(waiting))})")

    page.goto(f"{live_server.url}/today/")
    refused = page.locator("#needs-attention article.refused-log")
    expect(refused).to_have_count(1, timeout=10_000)
    expect(refused.locator(".refused-reason")).to_contain_text("The server refused it (409)")
    expect(refused.locator(".refused-reason")).to_contain_text("already used for a different log")
    expect(refused.locator(".red-flag-refused")).to_have_count(0)
    assert SessionLog.objects.count() == 1

    # Once the other log under that key is gone (deleted on the data page), sending it again saves it.
    SessionLog.objects.filter(client_key="reused-key-1").delete()
    page.locator("#needs-attention .refused-send").click()
    expect(page.locator("#needs-attention")).to_be_hidden(timeout=10_000)
    page.wait_for_function("() => localStorage.getItem('hipcoach.outbox') === '{}'", timeout=10_000)
    saved = SessionLog.objects.get()
    assert saved.drills.get().rating == "hard"
    assert stored(page, "hipcoach.refused") == {}
    assert stored(page, "hipcoach.outbox") == {}


# --------------------------------------------------------------------------------------------------
# Every 4xx but 401/403/408/429 is a refusal; 5xx, 401/403 and 408/429 are "try later"
# (the server's answers are made up here by intercepting the request, as a proxy or a bad build could)
# --------------------------------------------------------------------------------------------------

WAITING_KEY = "waiting-log-1"


def a_log_waits_in_the_outbox(page: Page, user: User) -> None:
    """A log saved on this phone earlier, not yet sent: the next page load sends it."""
    drill = {"drill_id": "forward-leg-swing", "amount": 10, "sets": 1, "sides_done": ["left", "right"]}
    payload = {"client_key": WAITING_KEY, "context": "pre-run", "drills": [{**drill, "rating": "ok", "pain": 0}]}
    waiting = {WAITING_KEY: {"url": "/api/v1/logs", "user": user.pk, "payload": payload}}
    page.wait_for_load_state()  # this page's outbox has run, with nothing to send: the log waits for the next page
    page.evaluate(f"localStorage.setItem('hipcoach.outbox', {json.dumps(json.dumps(waiting))})")
    # What the outbox makes of each answer, in order (each send ends with this event).
    page.add_init_script(
        "window.sentResults = [];"
        "addEventListener('hipcoach:sent', (event) => window.sentResults.push(event.detail.state));"
    )


def answer_every_send(page: Page, status: int, body: str, headers: dict[str, str] | None = None) -> list[int]:
    """Every POST of a log answered with ``status`` instead of reaching the server; the list counts them."""
    answered: list[int] = []

    def answer(route: Route) -> None:
        answered.append(status)
        content_type = "application/json" if body.startswith("{") else "text/html"
        route.fulfill(status=status, body=body, content_type=content_type, headers=headers or {})

    page.route("**/api/v1/logs", answer)
    return answered


# The answer, and what the runner is shown of it: a proxy's page for 413 is no JSON, so its status text.
REFUSALS = {
    400: (json.dumps({"detail": "Cannot parse request body"}), "Cannot parse request body"),
    413: ("<h1>Request Entity Too Large</h1>", "Too Large"),
}


def results(page: Page, count: int) -> list[str]:
    page.wait_for_function(f"() => window.sentResults.length >= {count}", timeout=10_000)
    return list(page.evaluate("window.sentResults"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", sorted(REFUSALS))
def test_any_other_4xx_is_a_refusal_kept_under_needs_attention(
    page: Page, live_server: Any, runner: User, status: int
) -> None:
    body, said = REFUSALS[status]
    a_log_waits_in_the_outbox(page, runner)
    answered = answer_every_send(page, status, body)

    page.goto(f"{live_server.url}/today/")
    refused = page.locator("#needs-attention article.refused-log")
    expect(refused).to_have_count(1, timeout=10_000)
    expect(refused.locator(".refused-reason")).to_contain_text(f"The server refused it ({status})")
    expect(refused.locator(".refused-reason")).to_contain_text(said)
    assert results(page, 1) == ["rejected"]
    assert stored(page, "hipcoach.outbox") == {}
    assert stored(page, "hipcoach.refused")[WAITING_KEY]["refused"]["status"] == status

    # Not sent again on every page load: it waits for the runner.
    page.reload()
    expect(refused).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert answered == [status]
    assert SessionLog.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [503, 500, 401, 403, 408])
def test_a_server_that_cannot_take_it_now_keeps_it_in_the_outbox_to_send_again(
    page: Page, live_server: Any, runner: User, status: int
) -> None:
    a_log_waits_in_the_outbox(page, runner)
    answered = answer_every_send(page, status, json.dumps({"detail": "Not now."}))

    page.goto(f"{live_server.url}/today/")
    assert results(page, 1) == ["later"]
    assert list(stored(page, "hipcoach.outbox")) == [WAITING_KEY]
    assert stored(page, "hipcoach.refused") == {}
    expect(page.locator("#needs-attention")).to_be_hidden()

    page.reload()
    assert results(page, 1) == ["later"]
    assert answered == [status, status]  # sent again on the next page load

    # Once the server takes it, it is saved, once.
    page.unroute("**/api/v1/logs")
    page.reload()
    assert results(page, 1) == ["saved"]
    assert stored(page, "hipcoach.outbox") == {}
    assert SessionLog.objects.get().client_key == WAITING_KEY


@pytest.mark.django_db(transaction=True)
def test_too_many_requests_waits_as_long_as_the_server_asks(page: Page, live_server: Any, runner: User) -> None:
    a_log_waits_in_the_outbox(page, runner)
    answered = answer_every_send(page, 429, json.dumps({"detail": "Too many requests."}), {"Retry-After": "3600"})

    page.goto(f"{live_server.url}/today/")
    assert results(page, 1) == ["later"]
    assert list(stored(page, "hipcoach.outbox")) == [WAITING_KEY]
    expect(page.locator("#needs-attention")).to_be_hidden()

    # The next page load, within the hour, leaves it waiting.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert answered == [429]
    assert list(stored(page, "hipcoach.outbox")) == [WAITING_KEY]
