"""Every error under /api/ is JSON with a message a script can show, whatever went wrong and wherever.

Clients here check CSRF as a browser's requests are checked (``enforce_csrf_checks``), so that what a script or a
browser without a session sees is what these tests see.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from hipcoach.web.library import api as library_api

pytestmark = pytest.mark.django_db

ACCOUNT_WRITES = [
    ("post", "/api/v1/logs"),
    ("post", "/api/v1/logs/1/morning"),
    ("put", "/api/v1/me/settings"),
    ("post", "/api/v1/me/import"),
    ("post", "/api/v1/today/once"),
]


def browser() -> Client:
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def send(client: Client, method: str, path: str, body: Any = None, **headers: str) -> Any:
    if method == "get":
        return client.get(path, headers=headers)
    data = json.dumps(body if body is not None else {})
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


def assert_json_error(response: Any, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert detail
    return detail


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/v1/nothing-here", "/api/v1/drills/", "/api/v2/drills"])
def test_an_address_with_no_endpoint_is_a_json_404_pointing_to_the_list(path: str) -> None:
    detail = assert_json_error(browser().get(path), 404)
    assert path in detail
    assert "/api/openapi.json" in detail


def test_a_page_address_outside_the_api_stays_an_html_404() -> None:
    response = browser().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("delete", "/api/v1/drills", "GET"), ("put", "/api/v1/logs", "GET, POST"), ("get", "/api/v1/weeks/plan", "POST")],
)
def test_a_method_an_endpoint_does_not_take_is_a_json_405_naming_the_allowed_ones(
    method: str, path: str, allowed: str
) -> None:
    response = send(browser(), method, path)
    detail = assert_json_error(response, 405)
    assert response["Allow"] == allowed
    assert f"allowed: {allowed}" in detail


def test_a_body_over_the_limit_is_a_json_413(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = browser().post("/api/v1/screens", "[" + "0," * 1000 + "0]", content_type="application/json")
    detail = assert_json_error(response, 413)
    assert "1,000 bytes" in detail


def test_a_failure_is_a_json_500_and_is_logged(monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    def broken_library() -> None:
        raise RuntimeError("the drill table is gone")

    monkeypatch.setattr(library_api, "library_catalogue", broken_library)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = browser().get("/api/v1/drills")
    detail = assert_json_error(response, 500)
    assert "the drill table is gone" not in detail  # nothing of the server's inside is shown to the caller
    assert "the drill table is gone" in caplog.text


@pytest.mark.parametrize(("method", "path"), ACCOUNT_WRITES)
def test_a_write_to_an_account_endpoint_without_credentials_is_the_documented_401(method: str, path: str) -> None:
    bare = browser()
    with_cookie = browser()
    with_cookie.get("/drills/")  # a browser that has been to a page carries a CSRF cookie, but no session
    for client in (bare, with_cookie):
        response = send(client, method, path)
        detail = assert_json_error(response, 401)
        assert "API token" in detail
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), ACCOUNT_WRITES)
def test_a_signed_in_browser_writing_without_its_csrf_token_is_still_refused(
    alice: User, method: str, path: str
) -> None:
    client = browser()
    client.force_login(alice)
    detail = assert_json_error(send(client, method, path), 403)
    assert "X-CSRFToken" in detail


def test_a_signed_in_browser_with_its_csrf_token_gets_past_the_door(alice: User) -> None:
    client = browser()
    client.force_login(alice)
    client.get("/today/")
    token = client.cookies["csrftoken"].value
    response = send(client, "put", "/api/v1/me/settings", {"runs": ["sat:long:100"]}, **{"X-CSRFToken": token})
    assert response.status_code == 200


def test_a_page_offset_past_what_a_database_counts_is_a_422_naming_it(alice_client: Client) -> None:
    response = alice_client.get("/api/v1/logs?offset=9223372036854775808")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "offset"]


def test_the_openapi_document_describes_each_error_with_the_shape_sent() -> None:
    spec = browser().get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    message = {"$ref": "#/components/schemas/ErrorMessage"}
    problems = {"$ref": "#/components/schemas/FieldProblems"}

    def shape(path: str, method: str, status: int) -> Any:
        return spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]

    assert schemas["ErrorMessage"]["properties"]["detail"]["type"] == "string"
    assert schemas["FieldProblems"]["properties"]["detail"]["type"] == "array"
    assert shape("/api/v1/logs", "post", 401) == message
    assert shape("/api/v1/logs", "post", 403) == message
    assert shape("/api/v1/logs", "post", 409) == message
    assert shape("/api/v1/logs", "post", 422) == problems
    assert shape("/api/v1/logs/{log_id}", "get", 404) == message
    assert shape("/api/v1/me/import", "post", 413) == message
    assert shape("/api/v1/drills", "get", 422) == problems
    assert "403" not in spec["paths"]["/api/v1/drills"]["get"]["responses"]  # a read needs no CSRF token


@pytest.mark.parametrize(("field", "value"), [("minutes", True), ("minutes", "6"), ("context", 3)])
def test_a_session_now_takes_only_what_its_description_allows(alice_client: Client, field: str, value: Any) -> None:
    body = {"context": "pre-run", "minutes": 6, field: value}
    response = send(alice_client, "post", "/api/v1/today/once", body)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [["body", field]]


@pytest.mark.parametrize("field", ["reminder_minutes", "level", "strength_days", "pre_run_minutes"])
def test_settings_take_no_true_or_false_for_a_number(alice_client: Client, field: str) -> None:
    response = send(alice_client, "put", "/api/v1/me/settings", {"runs": ["sat:long:100"], field: False})
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [["body", field]]


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/api/v1/weeks/plan", {"runs": [], "preferences": {"seed": False}}, ["body", "preferences", "seed"]),
        ("/api/v1/weeks/plan", {"runs": [], "preferences": {"level": True}}, ["body", "preferences", "level"]),
        ("/api/v1/sessions/compose", {"context": "pre-run", "minutes": True}, ["body", "minutes"]),
        ("/api/v1/sessions/compose", {"context": "pre-run", "minutes": 8, "level": True}, ["body", "level"]),
    ],
)
def test_plans_take_no_true_or_false_for_a_number(path: str, body: dict[str, Any], loc: list[str]) -> None:
    response = send(browser(), "post", path, body)
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [loc]
