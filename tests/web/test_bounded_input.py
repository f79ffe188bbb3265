"""Nothing a caller sends can tie up a worker: bodies too large, too deep, numbers beyond range and text no database
can keep are refused at the door, with a 413 or a 422 naming the field, and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import SessionLog
from hipcoach.core.limits import MAX_JSON_DEPTH
from hipcoach.web.api import api

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads((Path(__file__).parents[1] / "data" / "screen_example.json").read_text(encoding="utf-8"))
DEEP_ARRAYS = "[" * 100_000
DEEP_OBJECTS = '{"a":' * 5000
FIVE_THOUSAND_DIGITS = "7" * 5000


def post_text(client: Client, path: str, text: str) -> Any:
    return client.post(path, text, content_type="application/json")


def log(**extra: Any) -> dict[str, Any]:
    drill = {"drill_id": "clamshell", "amount": 10, "sets": 1, "sides_done": ["left", "right"], "rating": "ok"}
    return {"client_key": "a1b2c3d4-bounded", "context": "pre-run", "drills": [{**drill, "pain": 0}], **extra}


def locs(response: Any) -> list[list[Any]]:
    return [problem["loc"] for problem in response.json()["detail"]]


@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS, DEEP_ARRAYS[:5000] + "]" * 5000])
@pytest.mark.parametrize("path", ["/api/v1/screens", "/api/v1/me/import", "/api/v1/weeks/plan", "/api/v1/logs"])
def test_a_body_nested_thousands_deep_is_a_422_not_a_server_error(carol_client: Client, path: str, body: str) -> None:
    response = post_text(carol_client, path, body)
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body"]
    assert f"nested too deeply: more than {MAX_JSON_DEPTH} levels" in problem["msg"]
    assert Screen.objects.count() == SessionLog.objects.count() == 0


def test_nesting_within_the_limit_is_read_as_ever(client: Client) -> None:
    # The free-form screen answers are an object of objects: a level short of the limit is still a 422 for
    # the unknown field, not for its depth.
    deep = {"a": 1}
    for _ in range(MAX_JSON_DEPTH - 2):
        deep = {"a": deep}
    response = post_text(client, "/api/v1/screens", json.dumps({**EXAMPLE, "extra": deep}))
    assert response.status_code == 422
    assert "unknown field" in response.json()["detail"][0]["msg"]


def test_a_five_thousand_digit_number_in_a_screen_is_a_422_naming_the_field(client: Client) -> None:
    text = json.dumps(EXAMPLE).replace(
        '"seated_ir_deg": {"left": 24', f'"seated_ir_deg": {{"left": {FIVE_THOUSAND_DIGITS}'
    )
    assert FIVE_THOUSAND_DIGITS in text
    response = post_text(client, "/api/v1/screens", text)
    assert response.status_code == 422
    assert locs(response) == [["body", "tests", "seated_ir_deg", "left"]]
    assert "a number of 5000 characters; at most 32" in response.json()["detail"][0]["msg"]
    assert Screen.objects.count() == 0


@pytest.mark.parametrize("number", [FIVE_THOUSAND_DIGITS, "1e400", "-Infinity", "NaN"])
def test_a_number_beyond_range_in_a_plan_request_is_a_422_naming_the_field(client: Client, number: str) -> None:
    response = post_text(client, "/api/v1/sessions/compose", f'{{"context": "pre-run", "minutes": {number}}}')
    assert response.status_code == 422
    assert locs(response) == [["body", "minutes"]]


@pytest.mark.parametrize(
    ("field", "value", "loc"),
    [
        ("notes", "felt fine\u0000", ["body", "notes"]),
        ("notes", "felt fine \udfff", ["body", "notes"]),
        ("session", {"items": [{"name": "\udfff"}]}, ["body", "session", "items", 0, "name"]),
        ("session", {"items": [{"cue": "a\u0000b"}]}, ["body", "session", "items", 0, "cue"]),
    ],
)
def test_text_no_database_can_keep_is_a_422_naming_the_field(
    alice_client: Client, field: str, value: Any, loc: list[Any]
) -> None:
    response = post_text(alice_client, "/api/v1/logs", json.dumps(log(**{field: value})))
    assert response.status_code == 422, response.content
    assert locs(response) == [loc]
    message = response.json()["detail"][0]["msg"]
    assert "NUL" in message or "lone surrogate" in message
    assert SessionLog.objects.count() == 0


def test_a_name_no_database_can_keep_is_refused_too(alice_client: Client) -> None:
    response = post_text(alice_client, "/api/v1/logs", json.dumps(log(session={"\udfff": 1})))
    assert response.status_code == 422
    assert locs(response) == [["body", "session", "\\udfff"]]
    assert "the name contains a lone surrogate" in response.json()["detail"][0]["msg"]


def test_a_lone_surrogate_in_screen_answers_is_a_422_and_nothing_is_saved(client: Client) -> None:
    response = post_text(client, "/api/v1/screens", json.dumps({**EXAMPLE, "sex": "\udfff"}))
    assert response.status_code == 422
    assert locs(response) == [["body", "sex"]]
    assert Screen.objects.count() == 0


def test_a_real_emoji_written_as_a_surrogate_pair_is_text_like_any_other(alice_client: Client) -> None:
    response = post_text(alice_client, "/api/v1/logs", json.dumps(log(notes="felt great \U0001f600")))
    assert response.status_code == 201, response.content
    assert SessionLog.objects.get().notes == "felt great \U0001f600"


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/v1/weeks/plan", "128 KB"),
        ("/api/v1/sessions/compose", "128 KB"),
        ("/api/v1/screens", "128 KB"),
        ("/api/v1/logs", "256 KB"),
        ("/api/v1/today/once", "4 KB"),
    ],
)
def test_a_body_over_the_endpoints_limit_is_a_413_with_a_json_message(
    alice_client: Client, path: str, limit: str
) -> None:
    padding = " " * (300 * 1024)
    response = post_text(alice_client, path, padding + "{}")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f"The body is larger than {limit}, the most this endpoint takes."}


def put_settings(client: Client, body: dict[str, Any]) -> Any:
    return client.put("/api/v1/me/settings", json.dumps(body), content_type="application/json")


def test_settings_over_their_size_are_a_413_and_change_nothing(alice_client: Client) -> None:
    response = put_settings(alice_client, {"runs": ["sat:long:100"] * 10_000})
    assert response.status_code == 413
    assert response.json() == {"detail": "The body is larger than 128 KB, the most this endpoint takes."}
    assert alice_client.get("/api/v1/me/settings").json()["runs"] == []


# ---- the week: at most 7 days, 3 runs a day ------------------------------------------------------------------

SEVEN_THOUSAND_RUNS = ["sat:long:100"] * 7000


def test_a_week_of_seven_thousand_runs_is_a_422_naming_runs_and_the_limit(client: Client) -> None:
    response = post_text(client, "/api/v1/weeks/plan", json.dumps({"runs": SEVEN_THOUSAND_RUNS}))
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "runs"]
    assert "at most 21 items" in problem["msg"]


def test_settings_with_seven_thousand_runs_are_a_422_and_change_nothing(alice_client: Client) -> None:
    response = put_settings(alice_client, {"runs": SEVEN_THOUSAND_RUNS})
    assert response.status_code == 422
    assert locs(response) == [["body", "runs"]]
    assert "at most 21 items" in response.json()["detail"][0]["msg"]
    assert alice_client.get("/api/v1/me/settings").json()["runs"] == []


def test_a_fourth_run_on_one_day_is_a_422_naming_it(client: Client, alice_client: Client) -> None:
    runs = ["sat:easy:20", "sat:long:100", "mon:easy:30", "sat:easy:20", "sat:easy:15"]
    planned = post_text(client, "/api/v1/weeks/plan", json.dumps({"runs": runs}))
    assert planned.status_code == 422
    [problem] = planned.json()["detail"]
    assert problem["loc"] == ["body", "runs", 4]
    assert "at most 21 runs a week, 3 on any day (run 4 on sat)" in problem["msg"]
    saved = put_settings(alice_client, {"runs": runs})
    assert saved.status_code == 422
    assert locs(saved) == [["body", "runs", 4]]
    assert "3 on any day" in saved.json()["detail"][0]["msg"]
    assert alice_client.get("/api/v1/me/settings").json()["runs"] == []


def test_three_runs_on_each_of_seven_days_are_a_week(alice_client: Client) -> None:
    runs = [f"{day}:easy:20" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for _ in range(3)]
    response = put_settings(alice_client, {"runs": runs})
    assert response.status_code == 200, response.content
    assert len(response.json()["runs"]) == 21
    assert alice_client.get("/api/v1/today").status_code == 200


def test_every_endpoint_that_takes_a_body_states_its_limit() -> None:
    unlimited = []
    for _, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                takes_a_body = bool(set(operation.methods) & {"POST", "PUT", "PATCH"})
                if takes_a_body and getattr(operation.run, "max_body_bytes", None) is None:
                    unlimited.append(f"{operation.methods} {router.tags} {path}")
    assert unlimited == []


# ---- numbers and dates: every one has a range ----------------------------------------------------------------


@pytest.mark.parametrize("offset", ["9223372036854775808", "1000001", "1" * 5000])
def test_a_page_offset_past_any_log_is_a_422_naming_it(alice_client: Client, offset: str) -> None:
    response = alice_client.get("/api/v1/logs", {"offset": offset})
    assert response.status_code == 422
    assert locs(response) == [["query", "offset"]]


@pytest.mark.parametrize("path", ["/api/v1/logs/9223372036854775808", "/api/v1/logs/0"])
def test_a_log_id_no_table_holds_is_a_422(alice_client: Client, path: str) -> None:
    response = alice_client.get(path)
    assert response.status_code == 422
    assert locs(response) == [["path", "log_id"]]


def test_a_screen_id_no_table_holds_is_a_422(client: Client) -> None:
    body = {"context": "pre-run", "minutes": 8, "screen_id": 2**63}
    response = post_text(client, "/api/v1/sessions/compose", json.dumps(body))
    assert response.status_code == 422
    assert locs(response) == [["body", "screen_id"]]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("finished_at", "0001-01-01T00:00:00+14:00", "is before 2000-01-01"),
        ("started_at", "1999-12-31T23:59:59Z", "is before 2000-01-01"),
        ("planned_for", "0001-01-01", "is before 2000-01-01"),
        ("finished_at", "9999-12-31T23:00:00-14:00", "not a time that has come"),
        ("finished_at", 0, "a date and time written like 2026-03-01T07:30:00+00:00"),
        ("finished_at", "0", "a date and time written like"),
        ("planned_for", 0, "a date written like 2026-03-01"),
    ],
)
def test_a_time_no_session_could_have_is_a_422_naming_it(
    alice_client: Client, field: str, value: Any, words: str
) -> None:
    response = post_text(alice_client, "/api/v1/logs", json.dumps(log(**{field: value})))
    assert response.status_code == 422, response.content
    assert locs(response) == [["body", field]]
    assert words in response.json()["detail"][0]["msg"]
    assert SessionLog.objects.count() == 0


def test_the_session_as_played_has_a_depth_limit(alice_client: Client) -> None:
    session: dict[str, Any] = {"x": 1}
    for _ in range(15):
        session = {"items": [session]}
    response = post_text(alice_client, "/api/v1/logs", json.dumps(log(session=session)))
    assert response.status_code == 422
    assert locs(response) == [["body", "session"]]
    assert "nested more than 12 levels deep" in response.json()["detail"][0]["msg"]


# ---- an import takes exactly what the log API takes ----------------------------------------------------------


@pytest.fixture
def alice_export(alice_client: Client) -> dict[str, Any]:
    """alice's export of one log, with the next morning's answer (written in, as the window has passed)."""
    saved = post_text(alice_client, "/api/v1/logs", json.dumps(log(finished_at="2026-01-05T07:30:00Z")))
    assert saved.status_code == 201, saved.content
    document: dict[str, Any] = alice_client.get("/api/v1/me/export").json()
    document["logs"][0]["morning_check"] = {"worse": False, "answered_at": "2026-01-06T07:00:00Z"}
    return document


def import_into(client: Client, document: dict[str, Any]) -> Any:
    return post_text(client, "/api/v1/me/import", json.dumps(document))


def test_the_export_imports_as_it_is(alice_export: dict[str, Any], carol_client: Client) -> None:
    response = import_into(carol_client, alice_export)
    assert response.status_code == 201, response.content
    assert response.json()["logs"] == 1


@pytest.mark.parametrize(
    ("where", "value", "words"),
    [
        (["drills"], [], "at least 1 item"),
        (["morning_check", "answered_at"], 0, "a date and time written like"),
        (["finished_at"], "0001-01-01T00:00:00+14:00", "is before 2000-01-01"),
        (["planned_for"], "1999-12-31", "is before 2000-01-01"),
        (["client_key"], "k1", "at least 8 characters"),
        (["notes"], "x" * 2001, "at most 2000 characters"),
        (["seconds_done"], 7 * 24 * 3600, "less than or equal to 86400"),
        (["source"], "watch", "'web' or 'terminal'"),
        (["drills", 0, "sets"], 11, "less than or equal to 10"),
        (["session"], {"notes": "a\u0000b"}, "NUL"),
    ],
)
def test_an_import_refuses_a_log_the_log_api_refuses(
    alice_export: dict[str, Any], carol_client: Client, where: list[Any], value: Any, words: str
) -> None:
    target = alice_export["logs"][0]
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    response = import_into(carol_client, alice_export)
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    at = ["body", "logs", 0, *where]
    assert any(p["loc"][: len(at)] == at and words in p["msg"] for p in problems), problems
    assert SessionLog.objects.filter(owner__email="carol@example.org").count() == 0


def test_an_import_refuses_a_fourth_run_on_one_day(alice_export: dict[str, Any], carol_client: Client) -> None:
    alice_export["settings"] = {
        "runs": ["sat:easy:20", "sat:long:100", "sat:easy:20", "sat:easy:15"],
        "equipment": None,
        "pre_run_minutes": 8,
        "post_run_minutes": 10,
        "strength_minutes": 20,
        "rest_day_minutes": 10,
        "strength_days": 2,
        "level": 2,
        "older_adult": False,
        "reminder_minutes": 30,
    }
    response = import_into(carol_client, alice_export)
    assert response.status_code == 422
    assert locs(response) == [["body", "settings", "runs", 3]]
    assert "3 on any day" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("field", ["client_key", "seconds_done", "session", "pain", "notes", "source"])
def test_a_log_in_an_import_is_described_by_the_log_apis_own_rules(field: str) -> None:
    from hipcoach.app.training.data import ExportDrillEntry, ExportLog
    from hipcoach.app.training.log import DrillReport, LogPayload

    def rule(model: Any, name: str) -> dict[str, Any]:
        schema = model.model_json_schema()["properties"][name]
        schema = next((option for option in schema.get("anyOf", []) if option.get("type") != "null"), schema)
        return {key: value for key, value in schema.items() if key not in ("default", "title", "description")}

    assert rule(ExportLog, field) == rule(LogPayload, field)
    for name in ("amount", "sets", "sides_done", "pain"):
        assert rule(ExportDrillEntry, name) == rule(DrillReport, name)


# ---- the OpenAPI document states every bound ------------------------------------------------------------------


def unbounded(schema: dict[str, Any], where: str, components: dict[str, Any], seen: frozenset[str]) -> list[str]:
    """Every list without maxItems, text without maxLength (or a set of words, a format) and number without a
    maximum in ``schema``, named by where it is."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name in seen:
            return []
        seen, schema = seen | {name}, components[name]
    components = {**components, **schema.get("$defs", {})}
    found = []
    for option in [*schema.get("anyOf", []), *schema.get("oneOf", []), *schema.get("allOf", [])]:
        found += unbounded(option, where, components, seen)
    kind = schema.get("type")
    if kind == "array":
        found += [] if "maxItems" in schema else [f"{where}: a list without maxItems"]
        found += unbounded(schema.get("items", {}), f"{where}[]", components, seen)
    if kind == "string" and not {"maxLength", "enum", "format", "const"} & schema.keys():
        found.append(f"{where}: text without maxLength")
    if kind in ("integer", "number") and not {"maximum", "exclusiveMaximum", "enum", "const"} & schema.keys():
        found.append(f"{where}: a number without a maximum")
    for name, inner in schema.get("properties", {}).items():
        found += unbounded(inner, f"{where}.{name}", components, seen)
    if isinstance(schema.get("additionalProperties"), dict):
        found += unbounded(schema["additionalProperties"], f"{where}.*", components, seen)
    return found


def test_every_list_text_and_number_the_api_takes_has_a_stated_maximum() -> None:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
                found += unbounded(parameter["schema"], where, components, frozenset())
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += unbounded(content["schema"], f"{method.upper()} {path} body", components, frozenset())
    assert found == []


def test_an_idempotency_key_longer_than_any_kept_is_a_422(client: Client) -> None:
    response = client.post(
        "/api/v1/screens", json.dumps(EXAMPLE), content_type="application/json", headers={"Idempotency-Key": "k" * 101}
    )
    assert response.status_code == 422
    assert locs(response) == [["header", "Idempotency-Key"]]
    assert Screen.objects.count() == 0


def test_a_week_saved_before_the_limit_keeps_its_first_three_runs_a_day(alice: Any, alice_client: Client) -> None:
    from importlib import import_module

    from django.apps import apps

    from hipcoach.app.training.models import RunnerSettings

    migration = import_module("hipcoach.app.training.migrations.0006_usual_week_within_limits")
    RunnerSettings.objects.update_or_create(
        owner=alice, defaults={"runs": ["mon:easy:30", *["sat:long:100"] * 7000, "sun:easy:20"]}
    )
    migration.keep_three_runs_a_day(apps, None)
    assert RunnerSettings.objects.get(owner=alice).runs == ["mon:easy:30", *["sat:long:100"] * 3, "sun:easy:20"]
    assert alice_client.get("/api/v1/today").status_code == 200


def test_the_settings_page_refuses_a_nul_and_keeps_three_rows_a_day(alice_client: Client) -> None:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    data = {f"run-{day}-{n}-{part}": "" for day in days for n in range(3) for part in ("type", "minutes")}
    data.update({f"run-sat-{n}-type": "easy" for n in range(5)})
    data.update({f"run-sat-{n}-minutes": "20" for n in range(5)})
    data.update(
        {
            "pre_run_minutes": "8",
            "post_run_minutes": "10",
            "strength_minutes": "20",
            "rest_day_minutes": "10\x00",
            "strength_days": "2",
            "level": "2",
            "age_band": "under-65",
            "reminder_minutes": "30",
        }
    )
    refused = alice_client.post("/settings/", data)
    assert refused.status_code == 400
    assert "Null characters are not allowed." in refused.content.decode()
    data["rest_day_minutes"] = "10"
    saved = alice_client.post("/settings/", data)
    assert saved.status_code == 302
    runs = alice_client.get("/api/v1/me/settings").json()["runs"]
    assert [run["day"] for run in runs] == ["sat", "sat", "sat"]


@pytest.mark.parametrize("when", ["1999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"])
def test_an_import_refuses_a_time_before_2000_wherever_it_is(
    alice_export: dict[str, Any], carol_client: Client, when: str
) -> None:
    alice_export["exported_at"] = when
    response = import_into(carol_client, alice_export)
    assert response.status_code == 422
    assert locs(response) == [["body", "exported_at"]]
    assert "is before 2000-01-01" in response.json()["detail"][0]["msg"]
