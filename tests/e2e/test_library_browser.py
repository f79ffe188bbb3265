"""A runner opens the library on a phone, filters it in place, and opens a drill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hipcoach.core.catalogue import default_catalogue


@pytest.mark.django_db(transaction=True)
def test_filter_the_library_in_place_and_open_a_drill(
    page: Page, live_server: Any, artefacts: Path, phone: dict[str, int], csp_violations: list[str]
) -> None:
    page.goto(f"{live_server.url}/drills/")
    cards = page.locator(".drill-card")
    expect(cards).to_have_count(len(default_catalogue()))
    page.screenshot(path=artefacts / "library-390x844.png", full_page=True)

    page.select_option("select[name=phase]", "strength")
    strength = [d for d in default_catalogue() if "strength" in d.phases]
    expect(cards).to_have_count(len(strength))
    expect(page).to_have_url(f"{live_server.url}/drills/?phase=strength&target=&equipment=&position=")

    page.select_option("select[name=equipment]", "band")
    banded = [d for d in strength if "band" in d.equipment]
    expect(cards).to_have_count(len(banded))

    page.locator(".drill-card a", has_text="Monster walk").click()
    expect(page.locator("h1")).to_have_text("Monster walk")
    expect(page.locator("#dose")).to_have_text(default_catalogue().get("monster-walk").dose_text())
    expect(page.locator(".chain .current")).to_contain_text("Monster walk")
    page.screenshot(path=artefacts / "drill-390x844.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= phone["width"], "the drill page scrolls sideways on a phone"
    assert csp_violations == []  # the filters' htmx swaps included
