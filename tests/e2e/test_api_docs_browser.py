"""The interactive API documentation works with no internet, under the Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, expect


def test_the_api_docs_render_every_operation_from_this_site_alone(
    page: Page, live_server: Any, artefacts: Path, csp_violations: list[str]
) -> None:
    own_host = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def only_this_site(route: Route) -> None:
        # No internet here: anything asked of another host is noted and refused, as an offline machine would.
        if urlsplit(route.request.url).netloc != own_host:
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_this_site)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("hipcoach API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 15
    page.locator(".opblock-summary", has_text="/api/v1/drills").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    # "Try it out" calls the API from the page, as the policy's connect-src allows.
    page.locator(".try-out__btn").first.click()
    page.locator(".execute").first.click()
    expect(page.locator(".live-responses-table td.response-col_status:not(.col_header)").first).to_have_text("200")
    page.screenshot(path=artefacts / "api-docs-390x844.png")
    assert elsewhere == []
    assert csp_violations == []
