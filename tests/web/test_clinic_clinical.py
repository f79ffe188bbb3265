"""On a runner's record a clinician adds their own measurements (clinician-measured, with instrument and position,
judged against the smallest real change as the runner's screens are) and clears a referral or a hip replacement's
precautions so the runner's plan unlocks; a warning sign or a screen that refers after the clearance locks it again."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.clinic.models import Clearance, Measurement
from hipcoach.app.training.log import save_log
from hipcoach.app.training.runner import runner_profile
from hipcoach.app.training.runner_settings import settings_of
from hipcoach.core.vocabulary import Caution

MONDAY = date(2026, 3, 2)
TUESDAY = MONDAY + timedelta(days=1)
SCREENED = datetime(2026, 3, 1, 9, 0, tzinfo=__import__("zoneinfo").ZoneInfo("UTC"))


@pytest.fixture
def monday(freeze_clock: Any) -> datetime:
    return freeze_clock(MONDAY, hour=18)


def bearer(user: User) -> dict[str, str]:
    _, token = issue_token(user, "clinic script")
    return {"Authorization": f"Bearer {token}"}


def post_json(path: str, body: dict[str, Any], user: User) -> Any:
    return Client().post(path, json.dumps(body), content_type="application/json", headers=bearer(user))


def measurement(**changes: Any) -> dict[str, Any]:
    body = {
        "measure": "seated_ir_deg", "side": "left", "value": "30", "instrument": "goniometer",
        "position": "prone, knee at 90°", "measured_on": MONDAY.isoformat(), "note": "End feel firm",
    }  # fmt: skip
    return body | changes


def clearance(**changes: Any) -> dict[str, Any]:
    return {"kind": "referral", "cleared_on": MONDAY.isoformat(), "note": "Examined: no stress fracture"} | changes


def flag(runner: User, key: str, day: date = MONDAY) -> Any:
    body = {
        "client_key": f"{key}-session-key", "context": "strength", "planned_for": day.isoformat(), "red_flag": True,
        "drills": [{"drill_id": "clamshell", "amount": 10, "sets": 2, "sides_done": ["left"], "rating": "ok",
                    "pain": 2}],
        "session": {"items": [{"drill_id": "clamshell"}], "timeline": []},
    }  # fmt: skip
    saved, _ = save_log(runner, body)
    return saved


@pytest.fixture
def referred_alice(alice: User, alice_shares_with_sam: Any, answer_safety_questions: Any) -> Any:
    """Alice's latest screen, of Sunday, reports a limp: she is referred, with no plan."""
    return answer_safety_questions(alice, taken_at=SCREENED, red_flags=["limp"])


# ---- measurements ----


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_a_clinicians_measurements_show_on_the_record_with_instrument_position_and_the_real_change_verdict(
    sam_client: Client, alice: User
) -> None:
    path = f"/clinic/runners/{alice.pk}/measurements/"
    first = sam_client.post(path, measurement(measured_on=(MONDAY - timedelta(days=28)).isoformat(), value="24"))
    assert first.status_code == 302
    sam_client.post(path, measurement(value="36"))
    sam_client.post(path, measurement(measure="knee_to_wall_cm", instrument="tape", position="standing lunge",
                                      value="9.5", side="right", measured_on="2026-02-23"))  # fmt: skip
    sam_client.post(path, measurement(measure="knee_to_wall_cm", instrument="tape", position="standing lunge",
                                      value="10.2", side="right"))  # fmt: skip
    page = sam_client.get(f"/clinic/runners/{alice.pk}/").content.decode()
    assert "clinician-measured: goniometer, prone, knee at 90°" in page
    assert "clinician-measured: tape, standing lunge" in page
    rotation = page[page.index('data-measure="seated_ir_deg" data-side="left" data-instrument="goniometer"') :]
    assert "real change (+12)" in rotation[: rotation.index("</tr>")]
    ankle = page[page.index('data-measure="knee_to_wall_cm" data-side="right" data-instrument="tape"') :]
    assert "within measurement error (+0.7)" in ankle[: ankle.index("</tr>")]
    assert "End feel firm" in page


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_a_measurement_outside_the_screens_bounds_or_with_the_wrong_instrument_is_named_and_nothing_is_stored(
    sam_client: Client, alice: User
) -> None:
    path = f"/clinic/runners/{alice.pk}/measurements/"
    too_far = sam_client.post(path, measurement(value="95", instrument="tape"))
    assert too_far.status_code == 400
    page = too_far.content.decode()
    assert "value: a number from 0 to 90 deg" in page
    assert "instrument: one of goniometer, inclinometer" in page
    future = sam_client.post(path, measurement(measured_on=TUESDAY.isoformat()))
    assert "measured_on: a date from 2000-01-01 to today (2026-03-02)" in future.content.decode()
    no_position = sam_client.post(path, measurement(position=""))
    assert "position: how it was measured" in no_position.content.decode()
    assert Measurement.objects.count() == 0


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_the_api_takes_a_measurement_once_however_often_sent_and_the_record_returns_it(sam: Any, alice: User) -> None:
    path = f"/api/v1/clinic/clients/{alice.pk}/measurements"
    body = measurement(value=31.5)
    made = post_json(path, body, sam.user)
    assert made.status_code == 201, made.content
    again = post_json(path, body, sam.user)
    assert again.json()["id"] == made.json()["id"]
    assert Measurement.objects.count() == 1
    record = Client().get(f"/api/v1/clinic/clients/{alice.pk}", headers=bearer(sam.user)).json()
    (one,) = record["clinician_measurements"]
    assert one | {"id": 0} == {
        "id": 0, "measure": "seated_ir_deg", "side": "left", "value": 31.5, "unit": "deg", "instrument": "goniometer",
        "position": "prone, knee at 90°", "measured_on": "2026-03-02", "note": "End feel firm",
        "measured_by": "sam@stride.example", "clinician_measured": True,
    }  # fmt: skip
    assert record["clinician_series"][0]["verdict"] == "one measurement so far"
    bad = post_json(path, measurement(value=26, measure="knee_to_wall_cm", instrument="tape"), sam.user)
    assert bad.status_code == 422
    assert "value: a number from 0 to 25 cm" in bad.json()["detail"]


# ---- clearances ----


@pytest.mark.usefixtures("monday")
def test_a_cleared_referral_unlocks_the_plan_and_today_and_the_referral_page_say_who_cleared_it(
    referred_alice: Any, alice_client: Client, sam_client: Client, alice: User
) -> None:
    assert 'id="today-referral"' in alice_client.get("/today/").content.decode()
    record = sam_client.get(f"/clinic/runners/{alice.pk}/").content.decode()
    assert "To clear: the screen of 01 March 2026 refers." in record
    given = sam_client.post(f"/clinic/runners/{alice.pk}/clearances/", clearance())
    assert given.status_code == 302
    line = "Cleared by sam@stride.example on 2 March 2026: Examined: no stress fracture"
    today = alice_client.get("/today/").content.decode()
    assert 'id="today-referral"' not in today
    assert line in today
    referral_page = alice_client.get(f"/screens/{referred_alice.pk}/").content.decode()
    assert line in referral_page
    assert 'id="referral-cleared"' in referral_page
    assert "Referral cleared" in sam_client.get(f"/clinic/runners/{alice.pk}/").content.decode()
    assert "referred" not in sam_client.get("/clinic/").content.decode().split('id="clinic-runners"')[1]


@pytest.mark.usefixtures("referred_alice")
def test_a_warning_sign_after_the_clearance_refers_again_until_a_clinician_clears_that_too(
    freeze_clock: Any, alice_client: Client, sam: Any, alice: User
) -> None:
    freeze_clock(MONDAY, hour=10)
    assert post_json(f"/api/v1/clinic/clients/{alice.pk}/clearances", clearance(), sam.user).status_code == 201
    assert 'id="today-referral"' not in alice_client.get("/today/").content.decode()
    freeze_clock(MONDAY, hour=19)
    flag(alice, "night")
    today = alice_client.get("/today/").content.decode()
    assert 'id="today-referral"' in today
    assert "new warning sign" in today
    freeze_clock(TUESDAY, hour=9)
    again = post_json(
        f"/api/v1/clinic/clients/{alice.pk}/clearances",
        clearance(cleared_on=TUESDAY.isoformat(), note="Seen again"),
        sam.user,
    )
    assert again.status_code == 201
    assert "Cleared by sam@stride.example on 3 March 2026: Seen again" in alice_client.get("/today/").content.decode()


@pytest.mark.usefixtures("referred_alice")
def test_a_new_screen_that_refers_after_the_clearance_refers_again(
    freeze_clock: Any, alice_client: Client, sam: Any, alice: User, answer_safety_questions: Any
) -> None:
    freeze_clock(MONDAY, hour=10)
    post_json(f"/api/v1/clinic/clients/{alice.pk}/clearances", clearance(), sam.user)
    answer_safety_questions(alice, taken_at=datetime(2026, 3, 2, 12, tzinfo=SCREENED.tzinfo), red_flags=["limp"])
    freeze_clock(MONDAY, hour=13)
    assert 'id="today-referral"' in alice_client.get("/today/").content.decode()


@pytest.mark.usefixtures("monday", "referred_alice")
def test_a_clearance_needs_a_note_a_day_no_later_than_today_and_something_to_clear(sam: Any, alice: User) -> None:
    path = f"/api/v1/clinic/clients/{alice.pk}/clearances"
    no_note = post_json(path, clearance(note="   "), sam.user)
    assert no_note.status_code == 422
    assert "note: say what you found" in no_note.json()["detail"]
    later = post_json(path, clearance(cleared_on=TUESDAY.isoformat()), sam.user)
    assert "cleared_on: a date from 2000-01-01 to today" in later.json()["detail"]
    hips = post_json(path, clearance(kind="hip-precautions"), sam.user)
    assert hips.status_code == 422
    assert "kind: the runner's latest screen has no hip replacement precautions" in hips.json()["detail"]
    assert Clearance.objects.count() == 0
    made = post_json(path, clearance(), sam.user)
    assert post_json(path, clearance(), sam.user).json()["id"] == made.json()["id"]  # a retry keeps the first
    assert Clearance.objects.count() == 1


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_the_record_page_names_a_missing_note(sam_client: Client, alice: User) -> None:
    answer = sam_client.post(f"/clinic/runners/{alice.pk}/clearances/", clearance(note=""))
    assert answer.status_code == 400
    assert "note: say what you found and why the runner may train" in answer.content.decode()


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_lifting_hip_precautions_brings_their_movements_back_and_keeps_the_historys(
    sam: Any, alice: User, answer_safety_questions: Any
) -> None:
    replacement = {"side": "left", "approach": "posterior", "cleared_by_clinician": True}
    answer_safety_questions(alice, taken_at=SCREENED, hip_replacement=replacement)
    before = runner_profile(alice, settings_of(alice)).profile.precautions
    assert Caution.HIP_FLEXION_PAST_90 in before
    given = post_json(
        f"/api/v1/clinic/clients/{alice.pk}/clearances",
        clearance(kind="hip-precautions", note="Twelve weeks after surgery, precautions lifted"),
        sam.user,
    )
    assert given.status_code == 201, given.content
    choice = runner_profile(alice, settings_of(alice))
    assert Caution.HIP_FLEXION_PAST_90 not in choice.profile.precautions
    assert [one.note for one in choice.cleared] == ["Twelve weeks after surgery, precautions lifted"]


@pytest.mark.usefixtures("monday", "referred_alice")
def test_the_measurements_and_clearances_go_with_the_runners_export_and_come_back_on_import(
    sam: Any, alice: User, carol: User
) -> None:
    post_json(f"/api/v1/clinic/clients/{alice.pk}/measurements", measurement(value=33), sam.user)
    post_json(f"/api/v1/clinic/clients/{alice.pk}/clearances", clearance(), sam.user)
    alices, carols = Client(), Client()
    alices.force_login(alice)
    carols.force_login(carol)
    exported = alices.get("/api/v1/me/export").json()
    assert [one["value"] for one in exported["clinic"]["measurements"]] == [33]
    assert [one["kind"] for one in exported["clinic"]["clearances"]] == ["referral"]
    answer = carols.post("/api/v1/me/import", json.dumps(exported), content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["measurements"], answer.json()["clearances"]) == (1, 1)
    again = carols.get("/api/v1/me/export").json()["clinic"]
    assert again["measurements"] == exported["clinic"]["measurements"]
    assert again["clearances"] == exported["clinic"]["clearances"]
