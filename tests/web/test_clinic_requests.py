"""A runner reaches the clinic from every referral page: the clinic's name, phone (a tel: link), booking link and
hours, the runner's own clinic first, and a request for an appointment that is stored once however often it is sent,
rate-limited, e-mailed to the clinic and listed for its clinicians with the screen the runner chose to share. With no
clinic set up, the page says to contact a physiotherapist and shows no form. The article's advice on persistent low
back pain shows where the runner reports it: the screen's result."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import django_ratelimit.core
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.test.utils import override_settings

from hipcoach.app.clinic.models import AppointmentRequest
from hipcoach.app.clinic.sharing import accept, invite
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.core.screen import LOW_BACK_PAIN_ADVICE, parse_answers

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())
# The article, beside the checkout as the project's shared files are (../shared from the repository's root).
SOURCE = Path(__file__).resolve().parents[3] / "shared" / "source" / "000_9be1e21b3c7f2ffc.txt"


def take_screen(user: User, **changes: Any) -> Any:
    screen, _ = record_screen(parse_answers({**EXAMPLE, **changes}), ScreenOwner(user=user))
    return screen


def page_text(response: Any) -> str:
    return unescape(response.content.decode())


def form_of(response: Any) -> dict[str, str]:
    """The request form's fields as the page fills them in (inputs and the chosen clinic)."""
    html = response.content.decode()
    form = re.search(r'<form method="post" novalidate id="appointment-form".*?</form>', html, re.S)
    assert form is not None, "the page shows no request form"
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form.group()):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and (("checked" in tag) or 'type="radio"' not in tag) and 'type="checkbox"' not in tag:
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def send(client: Client, **changes: str) -> Any:
    page = client.get("/appointment/")
    body = {**form_of(page), "preferred_times": "Weekday mornings", "message": "Hip hurts after long runs"}
    body.update(changes)
    return client.post("/appointment/", body)


@pytest.fixture(autouse=True)
def fresh_rate_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    class Held:
        @staticmethod
        def time() -> float:
            return 1_800_000_000.0

    monkeypatch.setattr(django_ratelimit.core, "time", Held)


# ---- every referral page shows the clinic ------------------------------------------------------------------


def clinic_shown(page: str) -> None:
    assert 'id="reach-clinic"' in page
    assert "Stride Physio" in page
    assert 'href="tel:+442079460000"' in page
    assert 'href="https://stride.example/book"' in page
    assert "Mon-Fri 8:00-19:00" in page
    assert 'href="/appointment/?clinic=' in page


def test_the_screens_referral_page_shows_the_clinic_and_the_way_to_request_an_appointment(
    alice: User, alice_client: Client, clinic: Any
) -> None:
    screen = take_screen(alice, red_flags=["night-pain"])
    clinic_shown(page_text(alice_client.get(f"/screens/{screen.pk}/")))


def test_today_the_one_off_and_the_player_show_the_clinic_with_a_referral(
    alice: User, alice_client: Client, clinic: Any
) -> None:
    take_screen(alice, red_flags=["night-pain"])
    today = page_text(alice_client.get("/today/"))
    assert 'id="today-referral"' in today
    clinic_shown(today)
    clinic_shown(page_text(alice_client.get("/today/once/", {"context": "pre-run", "minutes": "6"})))
    clinic_shown(page_text(alice_client.get("/play/once/", {"context": "pre-run", "minutes": "6"})))


def test_a_visitors_safety_check_that_refers_lands_on_a_page_with_the_clinic_and_its_form(
    clinic: Any, check_form: Any
) -> None:
    visitor = Client()
    answer = visitor.post("/screen/safety-check/", check_form(**{"flag_night-pain": "yes"}))
    result = visitor.get(answer["Location"])
    clinic_shown(page_text(result))
    form = visitor.get("/appointment/")
    assert form_of(form)["name"] == ""  # a visitor types their own
    assert send(visitor, name="Vic Visitor", email="vic@example.org").status_code == 302
    stored = AppointmentRequest.objects.get()
    assert (stored.runner, stored.name, stored.email) == (None, "Vic Visitor", "vic@example.org")


def test_a_page_without_a_referral_shows_no_clinic(alice: User, alice_client: Client, clinic: Any) -> None:
    take_screen(alice)
    assert 'id="reach-clinic"' not in page_text(alice_client.get("/today/"))


def test_with_no_clinic_set_up_the_referral_says_to_contact_a_physiotherapist_and_shows_no_form(
    alice: User, alice_client: Client, db: Any
) -> None:
    screen = take_screen(alice, red_flags=["night-pain"])
    page = page_text(alice_client.get(f"/screens/{screen.pk}/"))
    assert "Contact a physiotherapist" in page
    assert "/appointment/" not in page
    request_page = page_text(alice_client.get("/appointment/"))
    assert "Contact a physiotherapist" in request_page
    assert 'id="appointment-form"' not in request_page
    assert alice_client.post("/appointment/", {"preferred_times": "mornings"}).status_code == 200
    assert not AppointmentRequest.objects.exists()


def test_the_runners_own_clinic_comes_first_when_there_are_several(
    alice: User, bob: User, alice_client: Client, bob_client: Client, *, clinic: Any, lee: Any
) -> None:
    accept(alice, invite(lee, alice.email).code)
    take_screen(alice, red_flags=["night-pain"])
    take_screen(bob, red_flags=["night-pain"])
    alices = page_text(alice_client.get("/today/"))
    assert alices.index("Riverside Sports Clinic") < alices.index("Stride Physio")
    assert "(your clinician's)" in alices
    bobs = page_text(bob_client.get("/today/"))
    assert bobs.index("Stride Physio") < bobs.index("Riverside Sports Clinic")
    assert form_of(alice_client.get("/appointment/"))["clinic"] == str(lee.clinic.pk)


# ---- the request ---------------------------------------------------------------------------------------------


def test_a_request_is_stored_e_mailed_to_the_clinic_and_a_resent_form_makes_no_second(
    alice: User, alice_client: Client, clinic: Any
) -> None:
    page = alice_client.get("/appointment/")
    fields = form_of(page)
    assert fields["email"] == "alice@example.org"  # from the account
    body = {**fields, "preferred_times": "Tuesday after 17:00", "message": "Groin pain on hills"}
    answer = alice_client.post("/appointment/", body)
    assert answer.status_code == 302
    assert "Your request was sent to Stride Physio" in page_text(alice_client.get(answer["Location"]))
    assert alice_client.post("/appointment/", body).status_code == 302  # the same form, sent again
    stored = AppointmentRequest.objects.get()
    assert (stored.runner, stored.clinic, stored.preferred_times, stored.emailed) == (
        alice,
        clinic,
        "Tuesday after 17:00",
        True,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@stride.example"]
    assert "Tuesday after 17:00" in mail.outbox[0].body
    assert "Groin pain on hills" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"preferred_times": ""}, "preferred_times: say when you could come"),
        ({"email": "not-an-address"}, "email: 'not-an-address' is not an e-mail address"),
        ({"name": ""}, "name: type your name"),
        ({"message": "x" * 2001}, "message: at most 2000 characters"),
        ({"clinic": "999"}, "clinic: choose one of the clinics listed"),
    ],
)
def test_a_request_with_a_bad_field_names_it_and_nothing_is_stored_or_sent(
    alice_client: Client, clinic: Any, changes: dict[str, str], message: str
) -> None:
    answer = send(alice_client, **changes)
    assert answer.status_code == 400
    assert message in page_text(answer)
    assert not AppointmentRequest.objects.exists()
    assert mail.outbox == []


@override_settings(HIPCOACH_APPOINTMENT_REQUEST_RATE="2/h")
def test_requests_past_the_rate_limit_are_refused_with_429_and_not_sent(alice_client: Client, clinic: Any) -> None:
    assert [send(alice_client).status_code for _ in range(2)] == [302, 302]
    refused = send(alice_client)
    assert refused.status_code == 429
    assert "Too many appointment requests" in page_text(refused)
    assert int(refused["Retry-After"]) > 0
    assert AppointmentRequest.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_clinic_sees_requests_newest_first_with_the_shared_screen_per_side(
    alice: User, bob: User, alice_client: Client, bob_client: Client, *, sam_client: Client, freeze_clock: Any
) -> None:
    take_screen(alice)
    freeze_clock(date(2026, 3, 2), hour=9)
    send(alice_client, share_screen="on", preferred_times="Alice's mornings")
    freeze_clock(date(2026, 3, 2), hour=10)
    send(bob_client, preferred_times="Bob's evenings")  # not ticked: no screen
    assert 'href="/clinic/requests/"' in sam_client.get("/clinic/").content.decode()
    page = page_text(sam_client.get("/clinic/requests/"))
    assert page.index("Bob's evenings") < page.index("Alice's mornings")
    alices = page[page.index("Alice's mornings") :]
    assert "Their screen of" in alices
    assert re.search(
        r'<tr data-side="left"><th scope="row">Seated hip internal rotation</th><td>left</td><td>24', alices
    )
    assert re.search(
        r'<tr data-side="right"><th scope="row">Seated hip internal rotation</th><td>right</td><td>38', alices
    )
    bobs = page[: page.index("Alice's mornings")]
    assert "Their screen of" not in bobs


def test_another_clinics_clinician_sees_none_of_its_requests(alice_client: Client, clinic: Any, lee: Any) -> None:
    send(alice_client)
    client = Client()
    client.force_login(lee.user)
    page = page_text(client.get("/clinic/requests/"))
    assert "alice@example.org" not in page
    assert "No appointment request yet." in page


# ---- the API -------------------------------------------------------------------------------------------------


def post_request(client: Client, **body: Any) -> Any:
    return client.post("/api/v1/me/appointment-requests", json.dumps(body), content_type="application/json")


def test_the_api_takes_a_request_once_per_key_and_lists_it_for_the_clinic(
    alice: User, alice_client: Client, clinic: Any, sam_client: Client
) -> None:
    take_screen(alice)
    first = post_request(alice_client, preferred_times="mornings", share_screen=True, idempotency_key="k-1")
    assert first.status_code == 201, first.content
    assert first.json()["email"] == "alice@example.org"
    assert first.json()["emailed"] is True
    again = post_request(alice_client, preferred_times="mornings", share_screen=True, idempotency_key="k-1")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    listed = sam_client.get("/api/v1/clinic/requests").json()
    assert [one["id"] for one in listed] == [first.json()["id"]]
    sides = {(m["measure"], m["side"]): m["value"] for m in listed[0]["shared_screen"]["measures"]}
    assert sides[("Seated hip internal rotation", "left")] == 24
    assert len(mail.outbox) == 1


def test_the_api_names_a_bad_field_and_stores_nothing(alice_client: Client, clinic: Any) -> None:
    answer = post_request(alice_client, preferred_times="mornings", email="nope")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "email"]
    missing = post_request(alice_client, message="hello")
    assert missing.status_code == 422
    assert "preferred_times" in json.dumps(missing.json())
    assert not AppointmentRequest.objects.exists()


def test_the_api_without_a_clinic_is_a_404_that_says_what_to_do(alice_client: Client, db: Any) -> None:
    answer = post_request(alice_client, preferred_times="mornings")
    assert answer.status_code == 404
    assert "physiotherapist" in answer.json()["detail"]


def test_the_operations_are_in_the_openapi_document(client: Client, db: Any) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/me/appointment-requests"]
    assert "get" in paths["/api/v1/clinic/requests"]


# ---- low back pain -------------------------------------------------------------------------------------------


def test_the_advice_is_the_articles_own_words() -> None:
    if not SOURCE.exists():
        pytest.skip(f"the article is not beside this checkout ({SOURCE})")
    assert LOW_BACK_PAIN_ADVICE in " ".join(SOURCE.read_text().split())


def test_a_screen_reporting_low_back_pain_now_shows_the_articles_advice_with_the_clinic(
    alice: User, alice_client: Client, clinic: Any
) -> None:
    screen = take_screen(alice, conditions_now=["low-back-pain"])
    page = page_text(alice_client.get(f"/screens/{screen.pk}/"))
    assert 'id="low-back-advice"' in page
    assert LOW_BACK_PAIN_ADVICE in page
    clinic_shown(page)


@pytest.mark.parametrize(
    "changes",
    [{}, {"conditions_before": ["low-back-pain"]}, {"conditions_now": ["patellofemoral-pain"]}],
    ids=["no low back pain", "low back pain in the past", "another condition now"],
)
def test_the_advice_shows_nowhere_else(alice: User, alice_client: Client, clinic: Any, changes: Any) -> None:
    screen = take_screen(alice, **changes)
    pages = [f"/screens/{screen.pk}/", "/today/", "/screens/", "/settings/", "/appointment/"]
    for path in pages:
        assert LOW_BACK_PAIN_ADVICE not in page_text(alice_client.get(path)), path


def test_the_advice_is_not_on_today_even_when_the_screen_reports_it(alice: User, alice_client: Client) -> None:
    take_screen(alice, conditions_now=["low-back-pain"])
    assert LOW_BACK_PAIN_ADVICE not in page_text(alice_client.get("/today/"))
