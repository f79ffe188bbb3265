"""The clinic's pages: a clinician lands on the dashboard and sees the runners who share with them, and no one else
reaches it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client


def test_a_clinician_lands_on_the_dashboard_and_a_runner_on_today(sam_client: Client, alice_client: Client) -> None:
    assert sam_client.get("/")["Location"] == "/clinic/"
    assert alice_client.get("/")["Location"] == "/today/"
    page = sam_client.get("/clinic/").content.decode()
    assert "Stride Physio" in page
    assert 'id="clinic-link"' in page
    assert 'id="clinic-link"' not in alice_client.get("/drills/").content.decode()


def test_the_dashboard_lists_the_runners_who_share_and_no_one_else(
    sam: Any, sam_client: Client, alice: User, bob: User, alice_shares_with_sam: Any
) -> None:
    page = sam_client.get("/clinic/").content.decode()
    assert alice.email in page
    assert bob.email not in page


def test_the_dashboard_is_for_clinicians_only(client: Client, alice_client: Client, sam: Any) -> None:
    assert client.get("/clinic/")["Location"].startswith("/accounts/login/")
    assert alice_client.get("/clinic/").status_code == 403
