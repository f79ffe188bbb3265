"""Own your data: export everything (JSON) and the logs (CSV), import an export into an empty account, and
delete the account with all its data; on the pages and through the API, each runner only their own."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.app.training.data import data_counts
from hipcoach.app.training.models import (
    DrillEntry,
    MorningCheck,
    ProgressionEvent,
    ProgressionState,
    RunnerSettings,
    SessionLog,
)
from hipcoach.core.screen import parse_answers

# These tests count the screens an account holds: alice and bob start with none, not even the safety answers.
pytestmark = pytest.mark.no_safety_answers


EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text())
PAGES = ["/settings/data/", "/settings/export.json", "/settings/export-logs.csv", "/settings/delete/"]
EMPTY = {
    "screens": 0,
    "logs": 0,
    "drill_entries": 0,
    "morning_checks": 0,
    "progression_states": 0,
    "progression_events": 0,
    "settings": 0,
    "alerts": 0,
    "prescriptions": 0,
    "measurements": 0,
    "clearances": 0,
    "appointment_requests": 0,
}


def at(day: date, hour: int = 7, minute: int = 30, micro: int = 0) -> datetime:
    """An instant in UTC, as the export writes it, whatever the server's time zone."""
    return datetime.combine(day, time(hour, minute, 0, micro), tzinfo=UTC)


def fill_account(user: User, days: int = 6) -> None:
    """A runner with everything: settings, two screens, logs with drills and morning checks, progression."""
    RunnerSettings.objects.create(
        owner=user,
        runs=["tue:easy:40", "sat:long:100"],
        equipment=["band", "foam-roller"],
        pre_run_minutes=7.5,
        strength_days=3,
        level=3,
        older_adult=True,
        reminder_minutes=45,
        time_zone="Australia/Sydney",
        calendar_secret=f"secret-of-{user.pk}",
    )
    record_screen(parse_answers(EXAMPLE), ScreenOwner(user=user), taken_at=at(date(2026, 9, 1), 9, 0))
    later = {**EXAMPLE, "tests": {**EXAMPLE["tests"], "seated_ir_deg": {"left": 34, "right": 39}}}
    record_screen(
        parse_answers(later),
        ScreenOwner(user=user),
        idempotency_key=f"k-{user.pk}",
        taken_at=at(date(2026, 11, 1), 9, 0),
    )
    first = date(2026, 11, 10)
    logs = []
    for number in range(days):
        day = first + timedelta(days=number)
        log = SessionLog.objects.create(
            owner=user,
            client_key=f"session-{number:03d}",
            context=["pre-run", "post-run", "strength"][number % 3],
            planned_for=day,
            started_at=at(day, 7, 20),
            finished_at=at(day, 7, 30, micro=123456 + number),
            seconds_done=480 + number,
            session={"items": [{"drill_id": "glute-bridge"}, {"drill_id": "clamshell"}], "timeline": [{"seconds": 30}]},
            pain=number % 4,
            notes='Felt tight on the left. Ünïcode, "quotes", commas' if number == 1 else "",
            source="terminal" if number == 2 else "web",
            red_flag=False,
        )
        logs.append(log)
        DrillEntry.objects.create(
            log=log, order=0, drill_id="glute-bridge", amount=12, sets=2, sides_done=["both"], rating="easy", pain=0
        )
        DrillEntry.objects.create(
            log=log,
            order=1,
            drill_id="clamshell",
            amount=10 + number,
            sets=2,
            sides_done=["left", "right"],
            rating="hard" if number == 3 else "ok",
            pain=number % 4,
        )
        if number % 2 == 0:
            MorningCheck.objects.create(log=log, worse=number == 4, answered_at=at(day + timedelta(days=1), 6))
    ProgressionState.objects.create(
        owner=user,
        chain_start="glute-bridge",
        state={
            "drill_id": "clamshell",
            "amount": 10,
            "sets": 2,
            "flagged": False,
            "reasons": ["Easy three times: on to the clamshell."],
        },
    )
    ProgressionState.objects.create(
        owner=user, chain_start="forward-leg-swing", state={"drill_id": "forward-leg-swing", "amount": 12, "sets": 1}
    )
    ProgressionEvent.objects.create(
        owner=user,
        log=logs[2],
        at=at(date(2026, 11, 12), 8),
        drill_id="glute-bridge",
        action="progress",
        reason="Easy three times: on to the clamshell.",
        before={"drill_id": "glute-bridge", "amount": 15, "sets": 3},
        after={"drill_id": "clamshell", "amount": 10, "sets": 2},
    )
    ProgressionEvent.objects.create(
        owner=user,
        log=None,
        at=at(date(2026, 11, 15), 8),
        drill_id="clamshell",
        action="step-back-dose",
        reason="Worse the next morning.",
        before={"drill_id": "clamshell", "amount": 12, "sets": 2},
        after={"drill_id": "clamshell", "amount": 10, "sets": 2},
    )


@pytest.fixture
def alice_full(alice: User) -> User:
    fill_account(alice)
    return alice


def exported(client: Client, url: str = "/api/v1/me/export") -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/json"
    data: dict[str, Any] = json.loads(response.content)
    return data


def post_import(client: Client, document: Any, **headers: Any) -> Any:
    body = document if isinstance(document, str | bytes) else json.dumps(document)
    return client.post("/api/v1/me/import", body, content_type="application/json", **headers)


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """An export without what must differ between two accounts: the e-mail and the moment of export."""
    copied = copy.deepcopy(document)
    copied.pop("exported_at")
    copied["profile"].pop("email")
    return copied


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def test_export_holds_every_part(alice_full: User, alice_client: Client) -> None:
    response = alice_client.get("/settings/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="hipcoach-')
    data = json.loads(response.content)

    assert data["format"] == 1
    assert set(data) == {"format", "exported_at", "profile", "settings", "screens", "plan", "logs", "clinic"}
    assert data["profile"] == {"email": "alice@example.org"}
    assert data["settings"] == {
        "runs": ["tue:easy:40", "sat:long:100"],
        "equipment": ["band", "foam-roller"],
        "pre_run_minutes": 7.5,
        "post_run_minutes": 10.0,
        "strength_minutes": 20.0,
        "rest_day_minutes": 10.0,
        "strength_days": 3,
        "level": 3,
        "older_adult": True,
        "reminder_minutes": 45,
        "time_zone": "Australia/Sydney",
    }
    assert [s["taken_at"] for s in data["screens"]] == ["2026-09-01T09:00:00Z", "2026-11-01T09:00:00Z"]
    assert data["screens"][1]["answers"]["tests"]["seated_ir_deg"] == {"left": 34, "right": 39}
    assert data["screens"][0]["result"]["summary"]
    week = {day["day"]: [s["context"] for s in day["sessions"]] for day in data["plan"]["week"]["days"]}
    assert week["tue"][0] == "pre-run"
    assert week["sat"][:2] == ["pre-run", "post-run"]
    assert sum(contexts.count("strength") for contexts in week.values()) == 3
    assert all(s["session"]["items"] for day in data["plan"]["week"]["days"] for s in day["sessions"])
    assert data["plan"]["referral"] is None
    assert [s["chain_start"] for s in data["plan"]["progression_states"]] == ["forward-leg-swing", "glute-bridge"]
    assert data["plan"]["progression_states"][1]["state"]["reasons"] == ["Easy three times: on to the clamshell."]
    events = data["plan"]["progression_events"]
    assert [(e["drill"], e["action"], e["log"]) for e in events] == [
        ("glute-bridge", "progress", "session-002"),
        ("clamshell", "step-back-dose", None),
    ]
    assert events[0]["reason"] == "Easy three times: on to the clamshell."
    logs = data["logs"]
    assert [log["client_key"] for log in logs] == [f"session-{n:03d}" for n in range(6)]
    assert logs[0]["finished_at"] == "2026-11-10T07:30:00.123456Z"  # to the microsecond
    assert logs[1]["notes"] == 'Felt tight on the left. Ünïcode, "quotes", commas'
    assert logs[3]["drills"][1] == {
        "order": 1,
        "drill": "clamshell",
        "amount": 13,
        "sets": 2,
        "sides_done": ["left", "right"],
        "rating": "hard",
        "pain": 3,
    }
    assert logs[4]["morning_check"] == {"worse": True, "answered_at": "2026-11-15T06:30:00Z"}
    assert logs[1]["morning_check"] is None
    text = response.content.decode()
    assert f"secret-of-{alice_full.pk}" not in text  # the calendar link is a secret
    assert f"k-{alice_full.pk}" not in text
    parts = [data, data["settings"], *data["screens"], *data["logs"], *data["logs"][0]["drills"], *events]
    assert all("id" not in part and "pk" not in part and "owner" not in part for part in parts)


def test_api_export_is_the_page_export(alice_full: User, alice_client: Client) -> None:
    assert comparable(exported(alice_client)) == comparable(exported(alice_client, "/settings/export.json"))


def test_export_of_a_referred_runner_has_the_referral_instead_of_a_week(alice: User, alice_client: Client) -> None:
    record_screen(parse_answers({**EXAMPLE, "red_flags": ["night-pain"]}), ScreenOwner(user=alice))
    plan = exported(alice_client)["plan"]
    assert plan["week"] is None
    assert plan["referral"]["reasons"]


def test_logs_as_csv(alice_full: User, alice_client: Client) -> None:
    response = alice_client.get("/settings/export-logs.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('-logs.csv"')
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == ["date", "context", "drill", "drill_name", "amount", "unit", "sets", "sides", "rating", "pain"]
    assert len(rows) == 1 + DrillEntry.objects.filter(log__owner=alice_full).count() == 13
    assert rows[1] == ["2026-11-10", "pre-run", "glute-bridge", "Glute bridge", "12", "reps", "2", "both", "easy", "0"]
    assert rows[8] == ["2026-11-13", "pre-run", "clamshell", "Clamshell", "13", "reps", "2", "left right", "hard", "3"]


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


def test_round_trip_restores_everything(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    original = exported(alice_client)
    response = post_import(carol_client, original)
    assert response.status_code == 201, response.content
    assert response.json() == {
        "screens": 2,
        "logs": 6,
        "drill_entries": 12,
        "morning_checks": 3,
        "progression_states": 2,
        "progression_events": 2,
        "settings": 1,
        "alerts": 0,
        "prescriptions": 0,
        "measurements": 0,
        "clearances": 0,
        "appointment_requests": 0,
    }
    restored = exported(carol_client)
    assert restored["profile"]["email"] == "carol@example.org"
    assert comparable(restored) == comparable(original)
    assert data_counts(carol) == data_counts(alice_full)
    # The restored data is carol's: her progress page shows it, and alice's is untouched.
    assert SessionLog.objects.filter(owner=carol).count() == 6
    assert carol_client.get("/progress/").content.decode().count('class="event ') == 2
    assert comparable(exported(alice_client)) == comparable(original)


def test_import_through_the_upload_form(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    original = alice_client.get("/settings/export.json").content
    upload = SimpleUploadedFile("hipcoach.json", original, content_type="application/json")
    response = carol_client.post("/settings/data/", {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == "/settings/data/"
    page = carol_client.get("/settings/data/").content.decode()
    assert "Imported 2 screen(s), 6 session(s) with 12 drill(s), and 2 progression(s)." in page
    assert comparable(exported(carol_client)) == comparable(json.loads(original))


def test_import_with_an_api_token_and_a_body_larger_than_djangos_limit(
    alice_full: User, alice_client: Client, carol: User, settings: Any
) -> None:
    document = exported(alice_client)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # far smaller than the export: the import reads its own body
    _, token = issue_token(carol, "laptop")
    response = post_import(Client(), document, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert SessionLog.objects.filter(owner=carol).count() == 6
    assert ApiToken.objects.filter(owner=carol).count() == 1  # a token does not make the account "not empty"


def test_import_as_a_multipart_file(alice_full: User, alice_client: Client, carol: User, carol_client: Client) -> None:
    original = alice_client.get("/settings/export.json").content
    upload = SimpleUploadedFile("hipcoach.json", original, content_type="application/json")
    response = carol_client.post("/api/v1/me/import", {"file": upload})
    assert response.status_code == 201, response.content
    assert data_counts(carol) == data_counts(alice_full)


def test_import_into_an_account_with_data_is_refused(alice_full: User, alice_client: Client) -> None:
    document = exported(alice_client)
    before = data_counts(alice_full)
    response = post_import(alice_client, document)
    assert response.status_code == 409
    assert "only into an empty account" in response.json()["detail"]
    assert data_counts(alice_full) == before


@pytest.mark.parametrize("part", ["screen", "log", "progression", "week"])
def test_any_part_makes_an_account_not_empty(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client, part: str
) -> None:
    document = exported(alice_client)
    if part == "screen":
        record_screen(parse_answers(EXAMPLE), ScreenOwner(user=carol))
    elif part == "log":
        SessionLog.objects.create(owner=carol, client_key="mine-1", context="pre-run", session={})
    elif part == "progression":
        ProgressionState.objects.create(
            owner=carol, chain_start="clamshell", state={"drill_id": "clamshell", "amount": 10, "sets": 2}
        )
    else:
        RunnerSettings.objects.create(owner=carol, runs=["mon:easy:30"])
    before = data_counts(carol)
    assert post_import(carol_client, document).status_code == 409
    assert data_counts(carol) == before


def test_settings_made_with_their_defaults_do_not_block_an_import(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    RunnerSettings.objects.create(owner=carol, calendar_secret="carols-own-link")  # Today made it; no week saved
    response = post_import(carol_client, exported(alice_client))
    assert response.status_code == 201
    record = RunnerSettings.objects.get(owner=carol)
    assert record.runs == ["tue:easy:40", "sat:long:100"]
    assert record.calendar_secret == "carols-own-link"


def breaks(
    document: dict[str, Any], path: list[str | int], value: Any = None, *, remove: bool = False
) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    target: Any = broken
    for part in path[:-1]:
        target = target[part]
    if remove:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    "case",
    [
        (
            ["logs", 2, "drills", 1, "drill"],
            "no-such-drill",
            False,
            ["body", "logs", 2, "drills", 1, "drill"],
            "no drill 'no-such-drill'",
        ),
        (["logs", 0, "pain"], 11, False, ["body", "logs", 0, "pain"], "less than or equal to 10"),
        (["logs", 1, "context"], "lunch", False, ["body", "logs", 1, "context"], "pre-run"),
        (["logs", 1, "client_key"], "session-000", False, ["body", "logs", 1, "client_key"], "names two logs"),
        (["logs", 0, "finished_at"], "2026-11-10T07:30:00", False, ["body", "logs", 0, "finished_at"], "timezone"),
        (["logs", 0, "drills"], None, True, ["body", "logs", 0, "drills"], "Field required"),
        (["settings", "runs", 1], "sat:sprint:100", False, ["body", "settings", "runs", 1, "type"], "allowed: easy"),
        (["settings", "level"], 9, False, ["body", "settings", "level"], "less than or equal to 5"),
        (["settings", "colour"], "green", False, ["body", "settings", "colour"], "Extra inputs"),
        (
            ["screens", 0, "answers", "tests", "seated_ir_deg", "left"],
            500,
            False,
            ["body", "screens", 0, "answers", "tests", "seated_ir_deg", "left"],
            "less than or equal",
        ),
        (["screens", 1, "refer"], True, False, ["body", "screens", 1, "refer"], "does not match the screen's result"),
        (
            ["plan", "progression_events", 0, "log"],
            "session-999",
            False,
            ["body", "plan", "progression_events", 0, "log"],
            "no log with client_key 'session-999'",
        ),
        (
            ["plan", "progression_events", 1, "action"],
            "teleport",
            False,
            ["body", "plan", "progression_events", 1, "action"],
            "progress",
        ),
        (
            ["plan", "progression_states", 0, "state", "drill_id"],
            "no-such-drill",
            False,
            ["body", "plan", "progression_states", 0, "state", "drill_id"],
            "no drill",
        ),
        (["format"], 2, False, ["body", "format"], "reads format 1"),
        (["format"], None, True, ["body", "format"], "Field required"),
    ],
)
def test_a_malformed_file_names_the_field_and_changes_nothing(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client, case: tuple[Any, ...]
) -> None:
    path, value, remove, loc, words = case
    document = breaks(exported(alice_client), path, value, remove=remove)
    response = post_import(carol_client, document)
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert loc in [problem["loc"] for problem in problems], problems
    assert words in next(p["msg"] for p in problems if p["loc"] == loc)
    assert data_counts(carol) == EMPTY


@pytest.mark.parametrize(
    ("body", "words"), [("{not json", "not valid JSON"), ("[1, 2]", "one JSON object"), ("", "not valid JSON")]
)
def test_a_file_that_is_not_an_export(carol: User, carol_client: Client, body: str, words: str) -> None:
    response = post_import(carol_client, body)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body"]
    assert words in problem["msg"]
    assert data_counts(carol) == EMPTY


def test_the_upload_form_lists_the_problems_by_field(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client
) -> None:
    document = breaks(exported(alice_client), ["logs", 3, "drills", 0, "drill"], "moonwalk")
    upload = SimpleUploadedFile("hipcoach.json", json.dumps(document).encode(), content_type="application/json")
    response = carol_client.post("/settings/data/", {"file": upload})
    assert response.status_code == 422
    assert "logs[3].drills[0].drill: no drill &#x27;moonwalk&#x27; in the library" in response.content.decode()
    assert data_counts(carol) == EMPTY


def test_the_upload_form_needs_a_file(carol_client: Client) -> None:
    response = carol_client.post("/settings/data/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_upload_form_refuses_an_account_with_data(alice_full: User, alice_client: Client) -> None:
    original = alice_client.get("/settings/export.json").content
    before = data_counts(alice_full)
    upload = SimpleUploadedFile("hipcoach.json", original, content_type="application/json")
    response = alice_client.post("/settings/data/", {"file": upload})
    assert response.status_code == 409
    assert "only into an empty account" in response.content.decode()
    assert data_counts(alice_full) == before


def test_a_failure_while_writing_leaves_nothing(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = exported(alice_client)

    def broken_bulk_create(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ProgressionEvent.objects, "bulk_create", broken_bulk_create)  # the last part written
    with pytest.raises(RuntimeError):
        post_import(carol_client, document)
    assert data_counts(carol) == EMPTY


# --------------------------------------------------------------------------------------------------
# The data page and deleting the account
# --------------------------------------------------------------------------------------------------


def test_data_page_shows_what_the_account_holds(alice_full: User, alice_client: Client) -> None:
    page = alice_client.get("/settings/data/").content.decode()
    assert '<dt data-count="logs">6</dt>' in page
    assert '<dt data-count="drill_entries">12</dt>' in page
    assert 'id="import-closed"' in page
    assert 'href="/settings/export.json"' in page
    assert 'href="/settings/export-logs.csv"' in page


def test_delete_asks_for_the_email(alice_full: User, alice_client: Client) -> None:
    page = alice_client.get("/settings/delete/").content.decode()
    assert "alice@example.org" in page
    assert '<li data-count="logs">6 sessions logged</li>' in page
    before = data_counts(alice_full)
    response = alice_client.post("/settings/delete/", {"email": "bob@example.org"})
    assert response.status_code == 400
    assert "This is not your account&#x27;s e-mail address: nothing was deleted." in response.content.decode()
    assert data_counts(alice_full) == before
    empty = alice_client.post("/settings/delete/", {})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert User.objects.filter(pk=alice_full.pk).exists()


def test_delete_removes_everything_and_logs_out(alice_full: User, alice_client: Client, bob: User) -> None:
    fill_account(bob, days=3)
    bob_before = data_counts(bob)
    _, token = issue_token(alice_full, "script")
    AccessAttempt.objects.create(
        username="alice@example.org", ip_address="127.0.0.1", user_agent="t", failures_since_start=2
    )
    user_id = alice_full.pk
    log_ids = list(SessionLog.objects.filter(owner=alice_full).values_list("id", flat=True))

    response = alice_client.post("/settings/delete/", {"email": "  Alice@Example.org "})

    assert response.status_code == 302
    assert response["Location"] == "/settings/deleted/"
    assert not User.objects.filter(pk=user_id).exists()
    assert Screen.objects.filter(owner_id=user_id).count() == 0
    assert SessionLog.objects.filter(owner_id=user_id).count() == 0
    assert DrillEntry.objects.filter(log_id__in=log_ids).count() == 0
    assert MorningCheck.objects.filter(log_id__in=log_ids).count() == 0
    assert ProgressionState.objects.filter(owner_id=user_id).count() == 0
    assert ProgressionEvent.objects.filter(owner_id=user_id).count() == 0
    assert RunnerSettings.objects.filter(owner_id=user_id).count() == 0
    assert ApiToken.objects.filter(owner_id=user_id).count() == 0
    assert not AccessAttempt.objects.filter(username="alice@example.org").exists()
    assert data_counts(bob) == bob_before  # another runner's data stays
    # Logged out: the pages send to the login, the token is gone.
    assert alice_client.get("/progress/").status_code == 302
    assert "Your account is deleted" in alice_client.get("/settings/deleted/").content.decode()
    assert Client().get("/api/v1/me/export", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


# --------------------------------------------------------------------------------------------------
# Who reaches what: owner, another runner, anonymous
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")


def test_anonymous_cannot_delete_or_import(alice_full: User, client: Client) -> None:
    assert client.post("/settings/delete/", {"email": "alice@example.org"}).status_code == 302
    assert client.post("/settings/data/", {}).status_code == 302
    assert User.objects.filter(pk=alice_full.pk).exists()


@pytest.mark.parametrize(("method", "url"), [("get", "/api/v1/me/export"), ("post", "/api/v1/me/import")])
def test_api_needs_a_runner(db: Any, client: Client, method: str, url: str) -> None:
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == 401
    bad_token = getattr(client, method)(url, content_type="application/json", HTTP_AUTHORIZATION="Bearer hc_wrong")
    assert bad_token.status_code == 401


@pytest.mark.parametrize("url", PAGES)
def test_owner_reaches_every_page(alice_full: User, alice_client: Client, url: str) -> None:
    assert alice_client.get(url).status_code == 200


def test_another_runner_gets_only_their_own(alice_full: User, bob: User, bob_client: Client) -> None:
    for url in ("/api/v1/me/export", "/settings/export.json"):
        data = exported(bob_client, url)
        assert data["profile"]["email"] == "bob@example.org"
        assert data["logs"] == data["screens"] == data["plan"]["progression_events"] == []
    csv_text = bob_client.get("/settings/export-logs.csv").getvalue().decode()
    assert csv_text.strip().splitlines() == ["date,context,drill,drill_name,amount,unit,sets,sides,rating,pain"]
    page = bob_client.get("/settings/data/").content.decode()
    assert '<dt data-count="logs">0</dt>' in page
    delete_page = bob_client.get("/settings/delete/").content.decode()
    assert "alice@example.org" not in delete_page.replace('title="alice', "")
    # Bob typing alice's e-mail deletes nothing.
    assert bob_client.post("/settings/delete/", {"email": "alice@example.org"}).status_code == 400
    assert User.objects.filter(pk=alice_full.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()


def test_another_runner_importing_alices_export_gets_a_copy_of_their_own(
    alice_full: User, alice_client: Client, bob: User, bob_client: Client
) -> None:
    before = data_counts(alice_full)
    assert post_import(bob_client, exported(alice_client)).status_code == 201
    assert data_counts(alice_full) == before
    assert SessionLog.objects.filter(owner=bob).count() == 6
    assert not SessionLog.objects.filter(owner=alice_full, client_key__startswith="x").exists()


def test_a_file_over_the_import_limit_is_refused(
    alice_full: User, alice_client: Client, carol: User, carol_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = exported(alice_client)
    monkeypatch.setattr("hipcoach.web.training.api_data.MAX_IMPORT_BYTES", 1000)
    response = post_import(carol_client, document)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert data_counts(carol) == EMPTY


def test_a_busy_week_exports_and_imports(
    alice: User, alice_client: Client, carol: User, carol_client: Client, answer_safety_questions: Any
) -> None:
    answer_safety_questions(alice)  # a week is planned only once the safety questions are answered
    # Two runs every day with long sessions around them: a week far longer than any one session as played.
    runs = [f"{day}:easy:40" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for _ in range(2)]
    RunnerSettings.objects.create(owner=alice, runs=runs, pre_run_minutes=20, post_run_minutes=20)
    document = exported(alice_client)
    assert len(json.dumps(document["plan"]["week"])) > 200_000
    response = post_import(carol_client, document)
    assert response.status_code == 201, response.content[:500]
    assert RunnerSettings.objects.get(owner=carol).runs == runs
