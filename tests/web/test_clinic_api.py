"""The clinician's API: their runners with adherence and alerts, one runner's record and an alert acknowledged, each
for the clinician's own runners only, with the same tokens a runner's scripts use."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.clinic.models import Alert
from hipcoach.app.training.log import save_log


def bearer(user: User) -> dict[str, str]:
    _, token = issue_token(user, "clinic script")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def sore_session(alice: User, alice_shares_with_sam: Any) -> Alert:
    drills = [{"drill_id": "clamshell", "amount": 10, "sets": 2, "sides_done": ["left"], "rating": "hard", "pain": 7}]
    save_log(alice, {"client_key": "sore-session-1", "context": "strength", "drills": drills, "session": {}})
    return Alert.objects.get()


def test_a_clinician_lists_their_runners_with_adherence_and_open_alerts(
    sam: Any, alice: User, bob: User, sore_session: Alert
) -> None:
    body = Client().get("/api/v1/clinic/clients", headers=bearer(sam.user)).json()
    assert [client["email"] for client in body["clients"]] == [alice.email]
    client = body["clients"][0]
    assert client["open_alerts"] == 1
    assert client["last_session"]["pain"] == 7
    assert client["sessions_done"] == 1
    assert [alert["kind"] for alert in body["alerts"]] == ["pain-above-5"]


def test_a_runners_record_comes_back_for_their_clinician_only(
    sam: Any, lee: Any, alice: User, bob: User, sore_session: Alert
) -> None:
    record = Client().get(f"/api/v1/clinic/clients/{alice.pk}", headers=bearer(sam.user))
    assert record.status_code == 200
    assert record.json()["sessions"][0]["pain"] == 7
    assert Client().get(f"/api/v1/clinic/clients/{bob.pk}", headers=bearer(sam.user)).status_code == 404
    assert Client().get(f"/api/v1/clinic/clients/{alice.pk}", headers=bearer(lee.user)).status_code == 404


def test_an_alert_is_acknowledged_with_a_note_and_a_missing_note_is_named(sam: Any, sore_session: Alert) -> None:
    path = f"/api/v1/clinic/alerts/{sore_session.pk}/acknowledge"
    headers = bearer(sam.user)
    empty = Client().post(path, json.dumps({"note": ""}), content_type="application/json", headers=headers)
    assert empty.status_code == 422
    assert "note" in empty.json()["detail"]
    done = Client().post(path, json.dumps({"note": "Rang her"}), content_type="application/json", headers=headers)
    assert done.status_code == 200
    assert done.json()["acknowledged_by"] == "sam@stride.example"
    again = Client().post(path, json.dumps({"note": "Other"}), content_type="application/json", headers=headers)
    assert again.json()["note"] == "Rang her"


def test_a_runner_is_refused_and_anyone_signed_out_is_asked_to_sign_in(alice: User, sore_session: Alert) -> None:
    refused = Client().get("/api/v1/clinic/clients", headers=bearer(alice))
    assert refused.status_code == 403
    assert "clinicians" in refused.json()["detail"]
    assert Client().get("/api/v1/clinic/clients").status_code == 401
    path = f"/api/v1/clinic/alerts/{sore_session.pk}/acknowledge"
    own = Client().post(path, json.dumps({"note": "x"}), content_type="application/json", headers=bearer(alice))
    assert own.status_code == 403
    assert Alert.objects.get().is_open
