"""The site's icon: linked from every page, and /favicon.ico (which browsers ask for on their own) finds it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

ICON = "/static/hipcoach/favicon.svg"
ICON_LINK = f'<link rel="icon" href="{ICON}" type="image/svg+xml">'


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_svg_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == ICON
    icon = Client().get(ICON)
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    body = body_of(icon)
    assert body.startswith(b"<svg")
    assert len(body) < 1024  # the player page's weight is measured


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/drills/", "/screen/", "/accounts/login/"])
def test_pages_link_the_icon(path: str) -> None:
    page = Client().get(path)
    assert page.status_code == 200
    assert ICON_LINK in page.content.decode()


def test_signed_in_pages_link_the_icon(alice_client: Client) -> None:
    for path in ("/settings/", "/settings/data/", "/progress/"):
        page = alice_client.get(path)
        assert page.status_code == 200, path
        assert ICON_LINK in page.content.decode(), path
