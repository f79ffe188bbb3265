"""The one-off form on Today (htmx, no browser validation): a value out of range shows its problem beside
the field, named, instead of nothing happening."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("runner")
def test_too_many_minutes_on_today_names_the_field(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/today/")
    page.select_option("#once select[name=context]", "pre-run")
    page.fill("#once input[name=minutes]", "500")
    with page.expect_response(lambda response: "/today/once/" in response.url) as answer:
        page.click("#compose-once")
    assert answer.value.status == 400
    expect(page.locator("#once")).to_contain_text("Minutes I have: a number of minutes from 1 to 120.")
    assert page.url == f"{live_server.url}/today/"  # swapped in place, not a new page
    # Corrected, the session comes in the same place.
    page.fill("#once input[name=minutes]", "6")
    page.click("#compose-once")
    expect(page.locator("#once .once-result a.start")).to_have_attribute(
        "href", "/play/once/?context=pre-run&seconds=360"
    )
    expect(page.locator("#once")).not_to_contain_text("Minutes I have: a number")
