"""The clinician's prescription: written on the runner's prescription page or through the API by a clinician the
runner shares with, followed by every session the runner gets, shown to the runner with its notes, kept in versions.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.clinic.dashboard import dashboard
from hipcoach.app.clinic.models import Prescription
from hipcoach.app.clinic.prescription import (
    current_prescription,
    prescribe,
)
from hipcoach.app.clinic.sharing import stop_sharing
from hipcoach.app.training.log import save_log
from hipcoach.app.training.models import ProgressionState, RunnerSettings
from hipcoach.app.training.progress import planned_per_week
from hipcoach.app.training.today import PlannedToday, today_plan
from hipcoach.core.planner import Context

MONDAY = date(2026, 3, 2)
RECOVERY = (Context.POST_RUN, Context.REST_DAY)
NOTE = "Keep the knee over the second toe"


@pytest.fixture
def monday(freeze_clock: Any) -> datetime:
    return freeze_clock(MONDAY, hour=9)


@pytest.fixture
def named_sam(sam: Any) -> Any:
    sam.user.first_name, sam.user.last_name = "Sam", "Carter"
    sam.user.save()
    return sam


def bearer(user: User) -> dict[str, str]:
    _, token = issue_token(user, "clinic script")
    return {"Authorization": f"Bearer {token}"}


def first_session(runner: User) -> tuple[date, PlannedToday]:
    """The first day of the week from Monday with a planned session, and that session."""
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        sessions = today_plan(runner, day).sessions
        if sessions:
            return day, sessions[0]
    raise AssertionError("the runner's week has no session")


def pin_clamshell(sam: Any, alice: User, **dose: Any) -> None:
    drill = {"drill_id": "clamshell", "pinned": True, "note": NOTE, **dose}
    prescribe(sam, alice.pk, {"sessions_per_week": 5, "drills": [drill]})


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_the_page_starts_from_the_runners_week_and_is_linked_from_the_record(
    alice: User, named_sam: Any, sam_client: Client
) -> None:
    record = sam_client.get(f"/clinic/runners/{alice.pk}/").content.decode()
    assert f'href="/clinic/runners/{alice.pk}/prescription/"' in record
    page = sam_client.get(f"/clinic/runners/{alice.pk}/prescription/").content.decode()
    _, planned = first_session(alice)
    assert "No prescription yet" in page
    assert f'data-drill="{planned.session.items[0].drill_id}"' in page
    assert 'id="prescription-week"' in page


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_a_clinician_pins_removes_doses_and_notes_a_drill_and_every_session_follows(
    alice: User, named_sam: Any, sam_client: Client
) -> None:
    _, before = first_session(alice)
    out = next(item.drill_id for item in before.session.items if item.drill_id != "clamshell")
    form = {
        "sessions_per_week": "5",
        f"action-{out}": "remove",
        "pin": "clamshell",
        "sets-clamshell": "3",
        "amount-clamshell": "12",
        "note-clamshell": NOTE,
    }
    page = sam_client.post(f"/clinic/runners/{alice.pk}/prescription/", form)
    assert page.status_code == 302
    shown = sam_client.get(page["Location"]).content.decode()
    assert "Prescription saved." in shown
    assert "Prescribed by Sam Carter, 2 March 2026" in shown
    week = [today_plan(alice, MONDAY + timedelta(days=n)) for n in range(7)]
    sessions = [planned for plan in week for planned in plan.sessions]
    assert sum(planned.context in ("post-run", "rest-day") for planned in sessions) == 5
    assert all(out not in planned.session.drill_ids for planned in sessions)
    assert all(planned.session.prescribed_by == "Sam Carter" for planned in sessions)
    with_clamshell = [planned for planned in sessions if "clamshell" in planned.session.drill_ids]
    assert with_clamshell
    item = next(item for item in with_clamshell[0].session.items if item.drill_id == "clamshell")
    assert item.note == NOTE


@pytest.mark.usefixtures("alice_shares_with_sam")
def test_the_runner_sees_who_prescribed_it_on_today_and_each_note_in_the_player(
    alice: User, alice_client: Client, named_sam: Any, freeze_clock: Any
) -> None:
    freeze_clock(MONDAY, hour=9)
    pin_clamshell(named_sam, alice)
    day, planned = first_session(alice)
    freeze_clock(day, hour=9)
    today = alice_client.get("/today/").content.decode()
    assert "Prescribed by Sam Carter, 2 March 2026" in today
    player = alice_client.get(planned.play_url).content.decode()
    assert "Prescribed by Sam Carter, 2 March 2026" in player
    assert f"Your clinician: {NOTE}" in player
    data = json.loads(player.split('id="player-data" type="application/json">')[1].split("</script>")[0])
    notes = {item["drill_id"]: item["note"] for item in data["session"]["items"]}
    assert notes["clamshell"] == NOTE


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_a_bad_dose_is_a_form_error_naming_the_drill_and_field_and_nothing_is_saved(
    alice: User, named_sam: Any, sam_client: Client
) -> None:
    page = sam_client.post(f"/clinic/runners/{alice.pk}/prescription/", {"pin": "clamshell", "amount-clamshell": "99"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "clamshell, amount: 99 is not allowed" in text
    assert "repetitions from" in text
    assert not Prescription.objects.exists()


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_a_retried_save_keeps_one_version_and_a_change_keeps_the_earlier_one(alice: User, named_sam: Any) -> None:
    pin_clamshell(named_sam, alice)
    pin_clamshell(named_sam, alice)
    assert Prescription.objects.count() == 1
    pin_clamshell(named_sam, alice, sets=3)
    versions = list(Prescription.objects.order_by("id").values_list("current", flat=True))
    assert versions == [False, True]


@pytest.mark.usefixtures("monday")
def test_the_plan_stops_following_it_once_the_runner_stops_sharing(
    alice: User, named_sam: Any, alice_shares_with_sam: Any
) -> None:
    pin_clamshell(named_sam, alice)
    assert current_prescription(alice) is not None
    stop_sharing(alice, alice_shares_with_sam.pk)
    assert current_prescription(alice) is None
    _, planned = first_session(alice)
    assert planned.session.prescribed_by is None


def easy_strength_log(runner: User, key: str, amount: int, sets: int) -> None:
    drills = [{"drill_id": "clamshell", "amount": amount, "sets": sets, "sides_done": ["left", "right"],
               "rating": "easy", "pain": 0}]  # fmt: skip
    body = {"client_key": f"{key}-log-key", "context": "strength", "drills": drills,
            "session": {"items": [{"drill_id": "clamshell"}], "timeline": []}}  # fmt: skip
    save_log(runner, body)


@pytest.mark.usefixtures("alice_shares_with_sam")
@pytest.mark.parametrize(("locked", "after"), [(False, {"amount": 14, "sets": 2}), (True, {"amount": 12, "sets": 2})])
def test_a_prescribed_dose_progresses_by_the_log_unless_locked(
    alice: User, named_sam: Any, freeze_clock: Any, locked: bool, after: dict[str, int]
) -> None:
    freeze_clock(MONDAY, hour=9)
    pin_clamshell(named_sam, alice, sets=2, amount=12, locked=locked)
    for day in range(3):
        freeze_clock(MONDAY + timedelta(days=day), hour=18)
        easy_strength_log(alice, f"easy-{day}", 12, 2)
    state = ProgressionState.objects.get(owner=alice, chain_start="glute-bridge").state
    assert {"amount": state["amount"], "sets": state["sets"]} == after


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_the_api_reads_and_writes_the_prescription_with_field_errors_in_the_api_shape(
    alice: User, named_sam: Any
) -> None:
    headers = bearer(named_sam.user)
    url = f"/api/v1/clinic/clients/{alice.pk}/prescription"
    empty = Client().get(url, headers=headers).json()
    assert empty["prescribed_by"] is None
    assert empty["drills"] == []
    body = {"sessions_per_week": 4, "drills": [{"drill_id": "clamshell", "pinned": True, "sets": 3, "note": NOTE}]}
    written = Client().put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert written.status_code == 200, written.content
    answer = written.json()
    assert answer["prescribed_by"] == "Sam Carter"
    assert answer["applies"] is True
    assert answer["drills"][0]["note"] == NOTE
    again = Client().put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert again.status_code == 200
    assert Prescription.objects.count() == 1
    bad = {"drills": [{"drill_id": "clamshell", "sets": 9}]}
    refused = Client().put(url, json.dumps(bad), content_type="application/json", headers=headers)
    assert refused.status_code == 422
    problem = refused.json()["detail"][0]
    assert problem["loc"] == ["body", "drills", 0, "sets"]
    assert "from 1 to 3" in problem["msg"]
    assert Prescription.objects.count() == 1


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_the_prescription_is_in_the_openapi_document() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    operations = paths["/api/v1/clinic/clients/{runner_id}/prescription"]
    assert set(operations) == {"get", "put"}


@pytest.mark.usefixtures("monday", "alice_shares_with_sam")
def test_the_prescribed_recovery_sessions_count_as_planned_on_the_dashboard_and_the_progress_page(
    alice: User, named_sam: Any
) -> None:
    record, _ = RunnerSettings.objects.get_or_create(owner=alice)
    record.runs = ["tue:easy:40", "sat:long:90"]
    record.save()
    planned_before = dashboard(named_sam, MONDAY + timedelta(days=27)).runners[0].planned
    recovery_before = sum(planned_per_week(record).get(context, 0) for context in RECOVERY)
    prescribe(named_sam, alice.pk, {"sessions_per_week": 6, "drills": []})
    assert dashboard(named_sam, MONDAY + timedelta(days=27)).runners[0].planned > planned_before
    assert recovery_before == 3  # the article's at least three
    prescription = current_prescription(alice)
    assert prescription is not None
    assert sum(planned_per_week(record, prescription.sessions_per_week).get(c, 0) for c in RECOVERY) == 6
    stop_sharing(alice, alice.clinic_links.get().pk)
    assert current_prescription(alice) is None  # the planner's own week again: three
