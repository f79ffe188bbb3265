"""The programme handout: a PDF of the runner's week that the runner downloads from Settings and their clinician
from the runner's record, headed by the clinic, with every drill the player plays, its dose per side, the pain rule
and the address of Today; a referral instead of any drill."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from hipcoach.app.clinic.handout import handout, handout_pdf
from hipcoach.app.clinic.models import Clinic
from hipcoach.app.clinic.prescription import prescribe
from hipcoach.app.clinic.sharing import stop_sharing
from hipcoach.app.training.models import RunnerSettings
from hipcoach.app.training.today import planned_day
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.progression import PAIN_RULE

MONDAY = date(2026, 3, 2)
WEEK = ["tue:easy:40", "thu:tempo:45", "sat:long:100"]


@pytest.fixture(autouse=True)
def on_monday(freeze_clock: Any) -> None:
    freeze_clock(MONDAY)


def save_week(user: User, runs: list[str] = WEEK) -> None:
    record, _ = RunnerSettings.objects.get_or_create(owner=user)
    record.runs = runs
    record.save()


def read_pdf(content: bytes) -> tuple[int, str]:
    """The number of pages, and the text of them all with its line breaks as plain spaces (a word broken at its
    hyphen joined again)."""
    assert content.startswith(b"%PDF-")
    pages = PdfReader(BytesIO(content)).pages
    text = "\n".join(page.extract_text() for page in pages)
    return len(pages), " ".join(re.sub(r"-\n", "-", text).split())


def played_this_week(user: User) -> list[tuple[str, str]]:
    """Every drill and dose the player plays in the runner's week, Monday to Sunday."""
    return [
        (item.name, item.dose)
        for offset in range(7)
        for session in planned_day(user, MONDAY + timedelta(days=offset)).sessions
        for item in session.session.items
    ]


def test_the_runner_downloads_a_handout_of_every_drill_the_player_plays_this_week(
    alice: User, alice_client: Client, alice_shares_with_sam: Any
) -> None:
    save_week(alice)
    response = alice_client.get("/settings/handout.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hipcoach-programme-2026-03-02.pdf"'
    pages, text = read_pdf(response.content)
    assert pages >= 2
    assert "Stride Physio" in text
    assert "+44 20 7946 0000" in text
    assert "alice@example.org" in text
    assert "2 March 2026" in text
    played = played_this_week(alice)
    assert played
    for name, dose in played:
        assert name in text
        assert dose in text
    assert PAIN_RULE in text
    assert "http://testserver/today/" in text
    for day in ("Tuesday", "Thursday", "Saturday"):
        assert day in text
    assert "Before a run, 8 min, before the easy run" in text
    assert "Long run, 100 min" in text


def test_the_settings_page_offers_the_handout(alice_client: Client) -> None:
    page = alice_client.get("/settings/").content.decode()
    assert 'href="/settings/handout.pdf"' in page


def test_the_handout_shows_each_drill_once_with_its_figure_and_cues(alice: User) -> None:
    save_week(alice)
    sheet = handout(alice, base_url="https://hipcoach.example.org")
    ids = [drill.drill_id for drill in sheet.drills]
    assert len(ids) == len(set(ids)) == len({item[0] for item in played_this_week(alice)})
    assert all(drill.figure and drill.figure.startswith("<svg") for drill in sheet.drills)
    catalogue = default_catalogue()
    _, text = read_pdf(handout_pdf(sheet))
    for drill in sheet.drills:
        for cue in catalogue.get(drill.drill_id).cues:
            assert " ".join(cue.split()) in text
    assert "https://hipcoach.example.org/today/" in text


def test_the_clinicians_prescription_is_the_programme_with_its_notes_and_who_wrote_it(
    alice: User, sam: Any, alice_shares_with_sam: Any, freeze_clock: Any
) -> None:
    save_week(alice)
    freeze_clock(MONDAY, hour=9)
    before = {drill.drill_id for drill in handout(alice, base_url="http://testserver").drills}
    absent = next(drill.id for drill in default_catalogue() if not drill.equipment and drill.id not in before)
    note = "Keep the knee over the second toe."
    prescribe(sam, alice.pk, {"drills": [{"drill_id": absent, "pinned": True, "note": note}]})
    sheet = handout(alice, base_url="http://testserver")
    assert [(drill.drill_id, drill.note) for drill in sheet.drills if drill.note] == [(absent, note)]
    _, text = read_pdf(handout_pdf(sheet))
    assert f"Note: {note}" in text
    assert f"Prescribed by {sam.name}, 2 March 2026" in text


def test_a_referred_runner_gets_the_referral_and_no_drill(
    alice: User, alice_client: Client, alice_shares_with_sam: Any, answer_safety_questions: Any, freeze_clock: Any
) -> None:
    save_week(alice)
    answer_safety_questions(alice, red_flags=["night-pain"], taken_at=freeze_clock(MONDAY, hour=9))
    _, text = read_pdf(alice_client.get("/settings/handout.pdf").content)
    assert "See a clinician before you train" in text
    assert "Stride Physio: +44 20 7946 0000" in text
    names = [drill.name for drill in default_catalogue()]
    assert [name for name in names if name in text] == []
    assert PAIN_RULE not in text


def test_a_runner_who_never_answered_the_safety_questions_is_sent_to_them(dave: User, dave_client: Client) -> None:
    save_week(dave)
    _, text = read_pdf(dave_client.get("/settings/handout.pdf").content)
    assert "Answer the safety questions first" in text
    assert "http://testserver/screen/safety/" in text
    assert [drill.name for drill in default_catalogue() if drill.name in text] == []


def test_the_clinic_configured_heads_the_handout_of_a_runner_who_shares_with_no_one(
    alice: User, alice_client: Client, clinic: Clinic
) -> None:
    _, text = read_pdf(alice_client.get("/settings/handout.pdf").content)
    assert text.startswith("Stride Physio")


def test_without_a_clinic_the_handout_has_no_clinic_header(alice: User, alice_client: Client) -> None:
    _, text = read_pdf(alice_client.get("/settings/handout.pdf").content)
    assert text.startswith("Hip-mobility programme for alice@example.org")


def test_the_clinician_downloads_it_from_the_record_until_the_runner_stops_sharing(
    alice: User, sam_client: Client, alice_shares_with_sam: Any
) -> None:
    save_week(alice)
    record = sam_client.get(f"/clinic/runners/{alice.pk}/").content.decode()
    assert f'href="/clinic/runners/{alice.pk}/handout.pdf"' in record
    response = sam_client.get(f"/clinic/runners/{alice.pk}/handout.pdf")
    assert response.status_code == 200
    _, text = read_pdf(response.content)
    assert "Stride Physio" in text
    assert "alice@example.org" in text
    stop_sharing(alice, alice_shares_with_sam.pk)
    assert sam_client.get(f"/clinic/runners/{alice.pk}/handout.pdf").status_code == 404


def test_the_base_url_setting_decides_the_printed_address(alice: User, alice_client: Client, settings: Any) -> None:
    settings.HIPCOACH_BASE_URL = "https://hipcoach.example.org/"
    _, text = read_pdf(alice_client.get("/settings/handout.pdf").content)
    assert "https://hipcoach.example.org/today/" in text
    assert "testserver" not in text


def test_the_handout_fetches_nothing(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every resource is inline: printing opens no address, not even a file."""
    import urllib.request

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the handout tried to fetch something")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    save_week(alice)
    assert handout_pdf(handout(alice, base_url="http://testserver")).startswith(b"%PDF-")
