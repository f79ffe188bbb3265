"""The API has one router per area, each mounted once; each router answers on its own, through ninja's TestClient,
without the middleware and the URL configuration of the full server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ninja import Router
from ninja.testing import TestClient

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.screen import screen_json_schema
from hipcoach.web.accounts.api import router as account_router
from hipcoach.web.api import api
from hipcoach.web.clinic.api import router as clinic_router
from hipcoach.web.clinic.api_requests import router as appointment_requests_router
from hipcoach.web.clinic.api_sharing import router as sharing_router
from hipcoach.web.library.api import router as drills_router
from hipcoach.web.plans.api import router as plans_router
from hipcoach.web.screens.api import router as screens_router
from hipcoach.web.training.api import router as training_router

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())
AREAS = {
    "/v1/drills": drills_router,
    "/v1/screens": screens_router,
    "/v1/account": account_router,
    "/v1": plans_router,
    "/v1/me/sharing": sharing_router,
    "/v1/me/appointment-requests": appointment_requests_router,
    "/v1/clinic": clinic_router,
}


def mounted() -> list[tuple[str, Router]]:
    return [(prefix, router) for prefix, router in api._routers if prefix]  # the empty prefix is ninja's default


def test_each_area_has_one_router_and_it_is_mounted_once() -> None:
    routers = [router for _, router in mounted()]
    assert len(routers) == len({id(router) for router in routers}) == 8
    assert {id(router) for router in routers} == {id(router) for router in [*AREAS.values(), training_router]}


def test_the_paths_are_those_the_readme_documents() -> None:
    paths = sorted(api.get_openapi_schema()["paths"])
    assert paths == [
        "/api/v1/account",
        "/api/v1/clinic/alerts/{alert_id}/acknowledge",
        "/api/v1/clinic/clients",
        "/api/v1/clinic/clients/{runner_id}",
        "/api/v1/clinic/clients/{runner_id}/clearances",
        "/api/v1/clinic/clients/{runner_id}/measurements",
        "/api/v1/clinic/clients/{runner_id}/prescription",
        "/api/v1/clinic/invitations",
        "/api/v1/clinic/requests",
        "/api/v1/drills",
        "/api/v1/drills/{drill_id}",
        "/api/v1/drills/{drill_id}/figure.svg",
        "/api/v1/logs",
        "/api/v1/logs/{log_id}",
        "/api/v1/logs/{log_id}/morning",
        "/api/v1/me/appointment-requests",
        "/api/v1/me/export",
        "/api/v1/me/import",
        "/api/v1/me/settings",
        "/api/v1/me/sharing",
        "/api/v1/me/sharing/{link_id}",
        "/api/v1/screens",
        "/api/v1/screens/schema",
        "/api/v1/screens/tests/{test_id}/figure.svg",
        "/api/v1/sessions/compose",
        "/api/v1/today",
        "/api/v1/today/once",
        "/api/v1/weeks/plan",
    ]


@pytest.mark.django_db
def test_the_drills_router_lists_the_library_and_names_an_unknown_drill() -> None:
    client = TestClient(drills_router)
    assert len(client.get("").json()) == len(default_catalogue())  # the article's 30 and the reference's few
    missing = client.get("/moonwalk")
    assert missing.status_code == 404
    assert "moonwalk" in missing.json()["detail"]


def test_the_screens_router_publishes_the_answer_format() -> None:
    schema = TestClient(screens_router).get("/schema").json()
    assert schema == screen_json_schema()
    assert schema["title"] == "hipcoach hip screen answers"


def test_the_plans_router_refuses_minutes_beyond_the_one_bound() -> None:
    answer = TestClient(plans_router).post("/sessions/compose", json={"context": "pre-run", "minutes": 0.5})
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["body", "minutes"],
            "msg": "minutes: 0.5 is not allowed; allowed: a number of minutes from 1 to 120",
        }
    ]


@pytest.mark.django_db
def test_the_plans_router_composes_for_answers_sent_with_the_request() -> None:
    answer = TestClient(plans_router).post(
        "/sessions/compose", json={"context": "pre-run", "minutes": 6, "screen": EXAMPLE}
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["profile_source"] == "answers"
    assert answer.json()["session"]["budget_seconds"] == 360


def test_the_training_router_is_for_signed_in_runners_only() -> None:
    assert TestClient(training_router).get("/today").status_code == 401


def test_the_sharing_router_is_for_signed_in_runners_only() -> None:
    assert TestClient(sharing_router).get("").status_code == 401


def test_the_clinic_router_invites_for_clinicians_only() -> None:
    assert TestClient(clinic_router).post("/invitations", json={}).status_code == 401
