"""Who reaches each clinic and sharing page and endpoint, as one table: a row per page, a column per person.

The people: nobody signed in; alice, a runner who shares with sam; bob, another runner; sam, alice's clinician and
the clinic's admin; kim, a clinician of the same clinic whom alice does not share with (and no admin); lee, a
clinician of another clinic; and sam again after alice stopped sharing. A new page is one more row.

Beyond the status, no page a clinician reaches shows anything of a runner who does not share with them now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from hipcoach.app.clinic.models import Alert, Clinician, Link
from hipcoach.app.clinic.sharing import accept, invite, stop_sharing

LOGIN = "login"  # a redirect to the login page, which comes back here after
PEOPLE = ("anonymous", "alice", "bob", "sam", "kim", "lee", "sam_after_stop")
CLINICIANS = ("sam", "kim", "lee", "sam_after_stop")


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # {link}: alice's link to sam; {invitation}: an open invitation of sam's; {code}: its code; {kim}
    expected: tuple[int | str, ...]  # one per person, in the order of PEOPLE
    body: dict[str, Any] | None = None
    json: bool = False


# An appointment request as a form or the API takes it (the API reads the clinic as a number).
REQUEST = {"clinic": "{clinic}", "name": "Ann", "email": "ann@example.org", "preferred_times": "Mornings"}
# A clinician's measurement and clearance, dated on a day before any test's clock.
MEASURED = {
    "measure": "seated_ir_deg", "side": "left", "value": "30", "instrument": "goniometer", "position": "prone",
    "measured_on": "2020-06-01",
}  # fmt: skip
CLEARED = {"kind": "referral", "cleared_on": "2020-06-01", "note": "Examined"}

#            method    path                                        anon   alice bob  sam  kim  lee  sam after stop
ROWS = [
    Row("GET", "/clinic/", (LOGIN, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/clinic/invite/", (LOGIN, 403, 403, 200, 200, 200, 200)),
    Row("POST", "/clinic/invite/", (LOGIN, 403, 403, 200, 200, 200, 200), {"how": "code"}),
    Row("POST", "/clinic/invite/{invitation}/withdraw/", (LOGIN, 403, 403, 302, 404, 404, 302)),
    Row("GET", "/clinic/staff/", (LOGIN, 403, 403, 200, 403, 403, 200)),
    Row("POST", "/clinic/staff/", (LOGIN, 403, 403, 200, 403, 403, 200), {"email": "robin@stride.example"}),
    Row("POST", "/clinic/staff/{kim}/remove/", (LOGIN, 403, 403, 302, 403, 403, 302)),
    Row("GET", "/sharing/accept/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/sharing/accept/?code={code}", (LOGIN, 200, 200, 400, 200, 200, 400)),
    Row("POST", "/sharing/accept/", (LOGIN, 302, 302, 400, 302, 302, 400), {"code": "{code}"}),
    Row("GET", "/sharing/{link}/", (LOGIN, 200, 404, 404, 404, 404, 404)),
    Row("POST", "/sharing/{link}/stop/", (LOGIN, 302, 404, 404, 404, 404, 404)),
    Row("GET", "/settings/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/settings/handout.pdf", (LOGIN, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/me/sharing", (401, 200, 200, 200, 200, 200, 200)),
    # alice shares with sam already: his second invitation keeps her one link (200).
    Row("POST", "/api/v1/me/sharing", (401, 200, 201, 422, 201, 201, 422), {"code": "{code}"}, json=True),
    Row("POST", "/api/v1/me/sharing/{link}", (401, 200, 404, 404, 404, 404, 404), {}, json=True),
    Row("DELETE", "/api/v1/me/sharing/{link}", (401, 200, 404, 404, 404, 404, 404)),
    Row("POST", "/api/v1/clinic/invitations", (401, 403, 403, 201, 201, 201, 201), {}, json=True),
    Row("GET", "/clinic/runners/{alice}/", (LOGIN, 403, 403, 200, 404, 404, 404)),
    Row("GET", "/clinic/runners/{alice}/handout.pdf", (LOGIN, 403, 403, 200, 404, 404, 404)),
    Row("POST", "/clinic/alerts/{alert}/acknowledge/", (LOGIN, 403, 403, 302, 404, 404, 404), {"note": "Seen"}),
    Row("GET", "/clinic/runners/{alice}/prescription/", (LOGIN, 403, 403, 200, 404, 404, 404)),
    Row("POST", "/clinic/runners/{alice}/prescription/", (LOGIN, 403, 403, 302, 404, 404, 404), {"pin": "clamshell"}),
    Row("GET", "/api/v1/clinic/clients", (401, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/v1/clinic/clients/{alice}", (401, 403, 403, 200, 404, 404, 404)),
    Row("GET", "/api/v1/clinic/clients/{alice}/prescription", (401, 403, 403, 200, 404, 404, 404)),
    Row(
        "PUT",
        "/api/v1/clinic/clients/{alice}/prescription",
        (401, 403, 403, 200, 404, 404, 404),
        {},
        json=True,
    ),
    Row("POST", "/clinic/runners/{alice}/measurements/", (LOGIN, 403, 403, 302, 404, 404, 404), MEASURED),
    # alice has nothing to clear: sam reaches the form and is told so (400); no one else reaches it.
    Row("POST", "/clinic/runners/{alice}/clearances/", (LOGIN, 403, 403, 400, 404, 404, 404), CLEARED),
    Row("POST", "/api/v1/clinic/clients/{alice}/measurements", (401, 403, 403, 201, 404, 404, 404), MEASURED, True),
    Row("POST", "/api/v1/clinic/clients/{alice}/clearances", (401, 403, 403, 422, 404, 404, 404), CLEARED, True),
    Row(
        "POST",
        "/api/v1/clinic/alerts/{alert}/acknowledge",
        (401, 403, 403, 200, 404, 404, 404),
        {"note": "Seen"},
        json=True,
    ),
    # Reaching the clinic: the request is open to everyone, as the referral pages are; the list, to its clinicians.
    Row("GET", "/appointment/", (200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/appointment/", (302, 302, 302, 302, 302, 302, 302), REQUEST),
    Row("GET", "/appointment/sent/", (200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/clinic/requests/", (LOGIN, 403, 403, 200, 200, 200, 200)),
    Row("GET", "/api/v1/clinic/requests", (401, 403, 403, 200, 200, 200, 200)),
    Row("POST", "/api/v1/me/appointment-requests", (401, 201, 201, 201, 201, 201, 201), REQUEST, json=True),
]
# The pages and endpoints that show alice to the clinician she shares with (and to no one else).
SHOW_ALICE = [
    "/clinic/",
    "/clinic/runners/{alice}/",
    "/clinic/runners/{alice}/handout.pdf",
    "/clinic/runners/{alice}/prescription/",
    "/api/v1/clinic/clients",
    "/api/v1/clinic/clients/{alice}",
]


@dataclass(frozen=True)
class World:
    clients: dict[str, Client]
    values: dict[str, str]
    alice: User

    def fill(self, text: str) -> str:
        return text.format(**self.values)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(alice: User, bob: User, sam: Clinician, kim: Clinician, lee: Clinician, *, request: Any) -> World:
    link: Link = accept(alice, invite(sam, alice.email).code)
    sent = invite(sam)
    if request.node.callspec.params.get("person") == "sam_after_stop":
        stop_sharing(alice, link.pk)
    clients = {
        "anonymous": Client(),
        "alice": signed_in(alice),
        "bob": signed_in(bob),
        "sam": signed_in(sam.user),
        "kim": signed_in(kim.user),
        "lee": signed_in(lee.user),
        "sam_after_stop": signed_in(sam.user),
    }
    alert = Alert.objects.create(runner=alice, kind="pain-above-5", key="log:1", day=date(2026, 3, 2), message="Pain 7")
    values = {
        "link": str(link.pk), "invitation": str(sent.link.pk), "code": sent.code, "kim": str(kim.pk),
        "alice": str(alice.pk), "alert": str(alert.pk), "clinic": str(sam.clinic.pk),
    }  # fmt: skip
    return World(clients, values, alice)


def shown(answer: Any) -> str:
    """What a person reads in the answer: a page's or JSON's text, or the text of a PDF's pages."""
    if answer.get("Content-Type") == "application/pdf":
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(answer.content)).pages)
    return str(answer.content.decode())


def send(world: World, person: str, row: Row) -> Any:
    client = world.clients[person]
    path = world.fill(row.path)
    body: dict[str, Any] = {name: world.fill(value) for name, value in (row.body or {}).items()}
    call: Callable[..., Any] = getattr(client, row.method.lower())
    if row.json:
        body = {name: int(value) if value.isdigit() else value for name, value in body.items()}
        return call(path, json.dumps(body), content_type="application/json")
    return call(path, body) if row.method == "POST" else call(path)


CASES = [
    pytest.param(row, person, expected, id=f"{row.method} {row.path} as {person}")
    for row in ROWS
    for person, expected in zip(PEOPLE, row.expected, strict=True)
]


@pytest.mark.parametrize(("row", "person", "expected"), CASES)
def test_who_reaches_each_page_and_endpoint(world: World, row: Row, person: str, expected: int | str) -> None:
    answer = send(world, person, row)
    if expected == LOGIN:
        assert answer.status_code == 302
        assert answer["Location"].startswith("/accounts/login/?next=")
        return
    assert answer.status_code == expected, answer.content[:400]
    if answer.status_code == 302:
        assert not answer["Location"].startswith("/accounts/login/")
    if person in CLINICIANS and person != "sam" and answer.status_code < 400:
        assert world.alice.email not in shown(answer), "a clinician saw a runner who does not share"


@pytest.mark.parametrize("person", ["sam", "kim", "lee", "sam_after_stop"])
def test_a_clinician_sees_alice_only_while_she_shares_with_them(world: World, person: str) -> None:
    pages = [world.fill(row.path) for row in ROWS if row.method == "GET"]
    seen = [path for path in pages if world.alice.email in shown(world.clients[person].get(path))]
    assert seen == ([world.fill(path) for path in SHOW_ALICE] if person == "sam" else [])


def test_the_table_covers_every_page_of_the_clinic_and_of_sharing() -> None:
    from django.urls import get_resolver

    from hipcoach.web.clinic.urls import urlpatterns

    assert len(ROWS[0].expected) == len(PEOPLE)
    routes = {str(pattern.pattern) for pattern in urlpatterns}
    ids = dict.fromkeys(("link", "invitation", "kim", "alice", "alert"), 1)
    pages = [row.path.split("?")[0].format(**ids) for row in ROWS if not row.path.startswith("/api/")]
    covered = {get_resolver().resolve(page).route for page in pages}
    assert routes <= covered, f"add a row for {sorted(routes - covered)}"
