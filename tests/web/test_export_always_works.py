"""Whatever the log API accepted, the export writes and an import into a fresh account takes back, the same.

Random logs, valid and not (any text, NUL characters and lone surrogates among it, free-form sessions of any
shape, times from year 1 to 9999, numbers of any size), are posted; each is either stored (201) or refused with
a 422, never a server error, and after every stored one the runner's export succeeds and imports into a new
account, which then exports the same logs. Run on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import count
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import Context

pytestmark = pytest.mark.django_db

DRILL_IDS = [drill.id for drill in default_catalogue()]
ODD_TEXT = ["\x00", "\udfff", "a\ud800b", "\ufeff", "\u202e", "\U0001f600", "\\u0000", "'; DROP TABLE", "\n\t"]
runners = count()

text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(ODD_TEXT),
    st.lists(st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=3)), max_size=5).map("".join),
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
free_form = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=25,
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12, minutes=-30))])
moments = st.one_of(
    st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2026, 11, 1), timezones=zones),
    st.datetimes(timezones=zones),  # any year, 1 to 9999
).map(datetime.isoformat)
days = st.one_of(st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 11, 1)), st.dates()).map(date.isoformat)


@st.composite
def drill_reports(draw: st.DrawFn) -> list[dict[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(DRILL_IDS), min_size=1, max_size=5, unique=True))
    return [
        {
            "drill_id": drill_id,
            "amount": draw(st.integers(1, 3600)),
            "sets": draw(st.integers(1, 10)),
            "sides_done": draw(st.lists(st.sampled_from(["left", "right", "both"]), unique=True)),
            "rating": draw(st.sampled_from(["easy", "ok", "hard"])),
            "pain": draw(st.integers(0, 10)),
        }
        for drill_id in chosen
    ]


@st.composite
def logs(draw: st.DrawFn) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_key": draw(st.text("abcdefABCDEF0123456789-_", min_size=8, max_size=64)),
        "context": draw(st.sampled_from([context.value for context in Context])),
        "drills": draw(drill_reports()),
    }
    optional = {
        "planned_for": days,
        "started_at": moments,
        "finished_at": moments,
        "seconds_done": st.integers(0, 24 * 3600),
        "session": st.dictionaries(text, free_form, max_size=5),
        "pain": st.integers(0, 10),
        "notes": text,
        "red_flag": st.booleans(),
        "source": st.sampled_from(["web", "terminal"]),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            body[name] = draw(strategy)
    return body


def new_runner() -> Client:
    user = User.objects.create(username=f"runner{next(runners)}@example.org", email="")
    client = Client()
    client.force_login(user)
    return client


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=logs())
def test_every_log_accepted_exports_and_imports_into_a_fresh_account(body: dict[str, Any]) -> None:
    runner = new_runner()
    saved = runner.post("/api/v1/logs", json.dumps(body), content_type="application/json")
    assert saved.status_code in (201, 422), saved.content
    event(f"log answered {saved.status_code}")
    if saved.status_code == 422:
        assert all(problem["loc"][0] == "body" for problem in saved.json()["detail"])
        return
    exported = runner.get("/api/v1/me/export")
    assert exported.status_code == 200
    newcomer = new_runner()
    imported = newcomer.post("/api/v1/me/import", exported.content, content_type="application/json")
    assert imported.status_code == 201, imported.content
    assert newcomer.get("/api/v1/me/export").json()["logs"] == exported.json()["logs"]
