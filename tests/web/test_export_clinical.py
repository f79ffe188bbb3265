"""What the runner's clinicians wrote, and what the runner sent the clinic, is the runner's too: it is in their
export, the import restores it into a new account (naming the clinician, giving nobody access), and a file made
before it was kept still imports."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.clinic.alerts import acknowledge
from hipcoach.app.clinic.models import Alert, AppointmentRequest, Link, Prescription
from hipcoach.app.clinic.prescription import current_prescription, prescribe
from hipcoach.app.clinic.requests import request_appointment
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.app.training.data import data_counts
from hipcoach.app.training.log import save_log

MONDAY = date(2026, 3, 2)


@pytest.fixture
def alice_with_notes(freeze_clock: Any, alice: User, sam: Any, alice_shares_with_sam: Any) -> User:
    """Alice shared with Sam, logged a session with pain 7, and Sam acknowledged the alert with a note."""
    freeze_clock(MONDAY, hour=18)
    drills = [{"drill_id": "clamshell", "amount": 10, "sets": 2, "sides_done": ["left", "right"], "rating": "ok",
               "pain": 7}]  # fmt: skip
    save_log(alice, {
        "client_key": "sore-session-key", "context": "strength", "planned_for": MONDAY.isoformat(), "drills": drills,
        "session": {"items": [{"drill_id": "clamshell"}], "timeline": []},
    })  # fmt: skip
    alert = Alert.objects.get(runner=alice)
    freeze_clock(MONDAY, hour=19)
    acknowledge(sam, alert.pk, "Called her: easier dose for a week.", [alice.pk])
    pinned = {"drill_id": "clamshell", "pinned": True, "sets": 2, "amount": 12, "note": "Knee over the second toe."}
    prescribe(sam, alice.pk, {"sessions_per_week": 4, "drills": [pinned]})
    freeze_clock(MONDAY, hour=20)
    prescribe(sam, alice.pk, {"sessions_per_week": 5, "drills": [{**pinned, "locked": True}]})
    request_appointment(
        ScreenOwner(user=alice), clinic_id=sam.clinic_id, name="Alice Runner", email=alice.email,
        preferred_times="Weekday mornings", message="The hip aches after long runs.", share_screen=True,
    )  # fmt: skip
    return alice


def exported(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/me/export")
    assert response.status_code == 200, response.content[:500]
    return dict(json.loads(response.content))


def post_import(client: Client, document: Any) -> Any:
    return client.post("/api/v1/me/import", json.dumps(document), content_type="application/json")


def test_the_export_holds_each_alert_with_the_clinicians_name_and_note(
    alice_with_notes: User, alice_client: Client
) -> None:
    [alert] = exported(alice_client)["clinic"]["alerts"]
    assert alert["kind"] == "pain-above-5"
    assert alert["day"] == "2026-03-02"
    assert alert["acknowledged_by"] == "sam@stride.example"
    assert alert["note"] == "Called her: easier dose for a week."
    assert alert["acknowledged_at"] == "2026-03-02T19:00:00Z"
    assert not {"id", "runner"} & set(alert)


def test_the_import_restores_the_notes_into_a_new_account_and_gives_the_clinician_no_access(
    alice_with_notes: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    original = exported(alice_client)
    response = post_import(carol_client, original)
    assert response.status_code == 201, response.content
    assert response.json()["alerts"] == 1
    restored = exported(carol_client)
    assert restored["clinic"] == original["clinic"]
    assert data_counts(carol)["alerts"] == 1
    assert not Link.objects.filter(runner=carol).exists()
    assert Alert.objects.get(runner=carol).acknowledged_by is None  # named, not linked


def test_a_file_from_before_the_clinic_part_still_imports(
    alice_with_notes: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    older = exported(alice_client)
    del older["clinic"]
    response = post_import(carol_client, older)
    assert response.status_code == 201, response.content
    assert response.json()["alerts"] == 0
    assert not any(exported(carol_client)["clinic"].values())  # every part empty


def test_the_export_holds_every_prescription_version_and_the_request_sent(
    alice_with_notes: User, alice_client: Client
) -> None:
    clinic = exported(alice_client)["clinic"]
    assert [(v["sessions_per_week"], v["current"]) for v in clinic["prescriptions"]] == [(4, False), (5, True)]
    assert clinic["prescriptions"][1]["drills"][0]["note"] == "Knee over the second toe."
    assert clinic["prescriptions"][1]["prescribed_by"] == "sam@stride.example"
    [request] = clinic["appointment_requests"]
    assert request["clinic"] == "Stride Physio"
    assert request["preferred_times"] == "Weekday mornings"
    assert request["shared_screen_taken_at"] is not None


def test_the_restored_prescription_and_request_are_the_runners_record_not_a_link(
    alice_with_notes: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    response = post_import(carol_client, exported(alice_client))
    assert response.status_code == 201, response.content
    assert (response.json()["prescriptions"], response.json()["appointment_requests"]) == (2, 1)
    assert Prescription.objects.filter(runner=carol, current=True).count() == 1
    assert current_prescription(carol) is None  # no clinician follows carol: her plan is the planner's own
    request = AppointmentRequest.objects.get(runner=carol)
    assert request.shared_screen is not None
    assert request.shared_screen.owner == carol


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda c: c["prescriptions"][1]["drills"][0].update(amount=99), ["prescriptions", 1, "drills", 0, "amount"],
         "99 is not allowed"),
        (lambda c: c["prescriptions"][1]["drills"][0].update(drill_id="moonwalk"),
         ["prescriptions", 1, "drills", 0, "drill_id"], "moonwalk"),
        (lambda c: c["prescriptions"][0].update(current=True), ["prescriptions", 1, "current"], "only one"),
        (lambda c: c["appointment_requests"][0].update(preferred_times=""), ["appointment_requests", 0,
         "preferred_times"], "give when"),
        (lambda c: c["appointment_requests"][0].update(shared_screen_taken_at="2026-01-01T00:00:00Z"),
         ["appointment_requests", 0, "shared_screen_taken_at"], "no screen"),
    ],
)  # fmt: skip
@pytest.mark.usefixtures("alice_with_notes")
def test_a_wrong_prescription_or_request_is_named_and_nothing_is_imported(
    alice_client: Client, carol_client: Client, change: Any, field: list[Any], words: str
) -> None:
    document = exported(alice_client)
    change(document["clinic"])
    response = post_import(carol_client, document)
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    where = ["body", "clinic", *field]
    assert any(p["loc"] == where and words in p["msg"] for p in problems), problems
    assert not Prescription.objects.exclude(runner__email="alice@example.org").exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda a: a.update(acknowledged_at="2026-03-01T07:00:00Z"), "acknowledged_at", "not be before raised_at"),
        (lambda a: a.update(acknowledged_at=None), "acknowledged_at", "needs the time"),
        (lambda a: a.update(raised_at="2099-01-01T00:00:00Z"), "raised_at", "in the future"),
        (lambda a: a.update(kind="gossip"), "kind", "pain-above-5"),
        (lambda a: a.update(day="1999-12-31"), "day", "from 2000-01-01"),
        (lambda a: a.update(note="x" * 2001), "note", "2000"),
    ],
)
@pytest.mark.usefixtures("alice_with_notes", "carol")
def test_a_wrong_alert_is_named_and_nothing_is_imported(
    alice_client: Client, carol_client: Client, change: Any, field: str, words: str
) -> None:
    document = copy.deepcopy(exported(alice_client))
    change(document["clinic"]["alerts"][0])
    response = post_import(carol_client, document)
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert any(p["loc"][-4:] == ["clinic", "alerts", 0, field] and words in p["msg"] for p in problems), problems
    assert Alert.objects.count() == 1  # alice's own, nothing of carol's


def test_the_same_alert_twice_is_refused(
    alice_with_notes: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    document = exported(alice_client)
    document["clinic"]["alerts"].append(dict(document["clinic"]["alerts"][0]))
    response = post_import(carol_client, document)
    assert response.status_code == 422
    assert "a second pain-above-5 alert" in response.content.decode()
    assert Alert.objects.filter(runner=carol).count() == 0


def test_an_account_holding_alerts_is_not_empty(
    alice_with_notes: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    Alert.objects.create(runner=carol, kind="nothing-logged", key="spell", day=MONDAY, message="Nothing logged",
                         raised_at=datetime(2026, 3, 2, 9, tzinfo=UTC))  # fmt: skip
    response = post_import(carol_client, exported(alice_client))
    assert response.status_code == 409
    assert Alert.objects.filter(runner=carol).count() == 1
