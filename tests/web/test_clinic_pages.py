"""The clinic's pages: a clinician lands on the dashboard and sees the runners who share with them, and no one else
reaches it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.clinic.models import Clinic


def test_a_clinician_lands_on_the_dashboard_and_a_runner_on_today(sam_client: Client, alice_client: Client) -> None:
    assert sam_client.get("/")["Location"] == "/clinic/"
    assert alice_client.get("/")["Location"] == "/today/"
    page = sam_client.get("/clinic/").content.decode()
    assert "Stride Physio" in page
    assert 'id="clinic-link"' in page
    assert 'id="clinic-menu-link"' in page  # a phone's header has no room for a fifth link: it is in the menu
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


def test_a_runners_record_shows_their_screens_side_by_side_and_their_sessions(
    alice: User, alice_shares_with_sam: Any, sam_client: Client, answer_safety_questions: Any
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from hipcoach.app.training.log import save_log

    utc = ZoneInfo("UTC")
    answer_safety_questions(
        alice, taken_at=datetime(2026, 1, 5, tzinfo=utc), tests={"knee_to_wall_cm": {"left": 8, "right": 11}}
    )
    answer_safety_questions(
        alice, taken_at=datetime(2026, 2, 5, tzinfo=utc), tests={"knee_to_wall_cm": {"left": 10, "right": 11}}
    )
    drills = [{"drill_id": "clamshell", "amount": 10, "sets": 2, "sides_done": ["left"], "rating": "hard", "pain": 3}]
    save_log(alice, {"client_key": "record-session-1", "context": "strength", "drills": drills, "session": {}})
    page = sam_client.get(f"/clinic/runners/{alice.pk}/").content.decode()
    assert "5 Jan 2026" in page
    assert "5 Feb 2026" in page
    left = page.split('data-measure="knee_to_wall_cm" data-side="left"', 1)[1].split("</tr>", 1)[0]
    assert "<td>8</td><td>10</td>" in left
    assert "<td>real change</td>" in left  # 2 cm more, beyond the smallest real change of 1 cm
    assert "Strength" in page.split('id="record-sessions"', 1)[1]


def test_a_clinician_gets_404_for_a_runner_who_does_not_share_with_them(
    alice: User, bob: User, alice_shares_with_sam: Any, sam_client: Client, lee: Any
) -> None:
    assert sam_client.get(f"/clinic/runners/{bob.pk}/").status_code == 404
    lee_client = Client()
    lee_client.force_login(lee.user)
    assert lee_client.get(f"/clinic/runners/{alice.pk}/").status_code == 404


def test_the_site_admin_sets_up_the_clinic_from_the_admin_too(db: Any) -> None:
    operator = User.objects.create_superuser("operator@example.org", "operator@example.org", "a long admin password 42")
    admin = Client()
    admin.force_login(operator)
    assert admin.get("/admin/clinic/clinic/add/").status_code == 200
    answer = admin.post(
        "/admin/clinic/clinic/add/",
        {"name": "Harbour Physio", "phone": "+44 20 7946 0101", "email": "desk@harbour.example", "address": "",
         "booking_url": "https://harbour.example/book", "hours": "Mon-Sat 8-18"},
    )  # fmt: skip
    assert answer.status_code == 302, answer.content[:2000]
    assert Clinic.objects.get(name="Harbour Physio").booking_url == "https://harbour.example/book"
    assert admin.get("/admin/clinic/clinician/").status_code == 200
