"""Settings and the data page link to each other; the downloads there are files no cache keeps."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse


def test_the_settings_page_links_to_the_data_page(alice_client: Client) -> None:
    page = alice_client.get(reverse("training:settings"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<a href="{reverse("progress:data")}" id="data-link">Your data: export, import or delete</a>' in text


def test_the_data_page_links_back_to_settings(alice_client: Client) -> None:
    page = alice_client.get(reverse("progress:data"))
    assert page.status_code == 200
    assert f'<a class="back" href="{reverse("training:settings")}" id="back-to-settings">' in page.content.decode()


def test_both_downloads_are_dated_attachments_that_no_cache_keeps(alice: User, alice_client: Client) -> None:
    for name, suffix in (("progress:export-json", '.json"'), ("progress:export-csv", '-logs.csv"')):
        response = alice_client.get(reverse(name))
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith('attachment; filename="hipcoach-'), name
        assert response["Content-Disposition"].endswith(suffix), name
        assert response["Cache-Control"] == "no-store", name
