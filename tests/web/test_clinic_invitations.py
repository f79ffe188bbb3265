"""Sharing as the people involved notice it: a clinician invites (by e-mail or with a code to hand over), the runner
reads exactly what will be shared and accepts, the runner stops at any time and the clinician's next page shows them
nothing; the clinic's admin adds and removes clinicians; the same through the API."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from hipcoach.app.accounts.accounts import issue_token
from hipcoach.app.clinic.models import Clinician, Link, LinkStatus
from hipcoach.app.clinic.sharing import SHARED, accept, invite, shared_runner
from hipcoach.core import clock

CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}\b")
ACCEPT_LINK = re.compile(r"https?://[^\s\"<]+/sharing/accept/\?code=[A-Z0-9%-]+")


def page(response: Any) -> str:
    return unescape(response.content.decode())


def code_on(response: Any) -> str:
    found = CODE.search(page(response))
    assert found is not None, "no code on the page"
    return found.group(0)


def invite_by_email(client: Client, email: str) -> Any:
    return client.post("/clinic/invite/", {"how": "email", "email": email})


def make_code(client: Client) -> str:
    return code_on(client.post("/clinic/invite/", {"how": "code"}))


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


# ---- 1. the invitation ----------------------------------------------------------------------------------------


def test_an_emailed_invitation_arrives_with_a_link_that_opens_it(
    sam_client: Client, alice: User, alice_client: Client
) -> None:
    answer = invite_by_email(sam_client, "Alice@Example.org")
    assert answer.status_code == 200
    assert "Invitation sent to alice@example.org" in page(answer)
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Stride Physio" in message.subject
    link = ACCEPT_LINK.search(message.body)
    assert link is not None
    code = CODE.search(message.body)
    assert code is not None
    assert quote(code.group(0)) in link.group(0)
    for item in SHARED:
        assert item in message.body
    opened = alice_client.get(link.group(0).split("testserver", 1)[1])
    assert opened.status_code == 200
    assert "Stride Physio" in page(opened)
    assert "sam@stride.example" in page(opened)  # the clinician's name (the e-mail when no name is set)


def test_a_code_to_hand_over_is_shown_once_with_its_full_link_and_listed_until_withdrawn(
    sam_client: Client, alice_client: Client
) -> None:
    made = sam_client.post("/clinic/invite/", {"how": "code"})
    assert made.status_code == 200
    code = code_on(made)
    assert f"http://testserver/sharing/accept/?code={code}" in page(made)
    assert mail.outbox == []
    listed = page(sam_client.get("/clinic/invite/"))
    assert code not in listed  # shown once: only its hash is kept
    [row] = re.findall(r'<li class="token-row" data-invitation-id="(\d+)">(.*?)</li>', listed, re.S)
    assert "<strong>code</strong>" in row[1]
    assert "expires on" in row[1]
    withdrawn = sam_client.post(f"/clinic/invite/{row[0]}/withdraw/")
    assert withdrawn.status_code == 302
    assert 'id="no-invitations"' in page(sam_client.get("/clinic/invite/"))
    refused = alice_client.get(f"/sharing/accept/?code={code}")
    assert refused.status_code == 400
    assert "code: no open invitation has this code" in page(refused)


def test_the_open_invitations_name_the_email_and_the_day_they_expire(
    sam_client: Client, sam: Clinician, freeze_clock: Any
) -> None:
    today = freeze_clock(clock.now())
    invite_by_email(sam_client, "runner@example.org")
    listed = page(sam_client.get("/clinic/invite/"))
    assert "runner@example.org" in listed
    assert f"expires on {(today + timedelta(days=14)):%-d %b %Y}" in listed


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("not-an-email", "email: 'not-an-email' is not an e-mail address"),
        ("runner@local.invalid", "email: no mail reaches 'runner@local.invalid'"),
        ("sam@stride.example", "email: that is your own address"),
        ("", "email: type the runner's e-mail address"),
        ("a" * 151 + "@example.org", "email: an e-mail address of at most 150 characters"),
    ],
)
def test_a_bad_email_is_named_and_nothing_is_stored_or_sent(sam_client: Client, email: str, problem: str) -> None:
    answer = invite_by_email(sam_client, email)
    assert answer.status_code == 400
    assert problem in page(answer)
    assert Link.objects.count() == 0
    assert mail.outbox == []


def test_another_clinicians_invitation_cannot_be_withdrawn(sam: Clinician, kim: Clinician) -> None:
    sent = invite(sam)
    kim_client = Client()
    kim_client.force_login(kim.user)
    assert kim_client.post(f"/clinic/invite/{sent.link.pk}/withdraw/").status_code == 404
    assert Link.objects.get().status == LinkStatus.INVITED


# ---- 2. the acceptance ----------------------------------------------------------------------------------------


def test_the_accept_page_lists_exactly_what_is_shared_with_accept_and_not_now(
    sam_client: Client, alice_client: Client
) -> None:
    code = make_code(sam_client)
    shown = page(alice_client.get(f"/sharing/accept/?code={code}"))
    listed = re.search(r'<ul class="shared-list">(.*?)</ul>', shown, re.S)
    assert listed is not None
    assert re.findall(r"<li>(.*?)</li>", listed.group(1)) == list(SHARED)
    assert 'id="accept"' in shown
    assert "Not now" in shown
    assert 'name="csrfmiddlewaretoken"' in shown
    assert Link.objects.get().status == LinkStatus.INVITED  # looking shares nothing


def test_accepting_shares_with_that_clinician_and_says_where_to_stop(
    sam: Clinician, sam_client: Client, alice: User, alice_client: Client
) -> None:
    code = make_code(sam_client)
    accepted = alice_client.post("/sharing/accept/", {"code": code})
    assert accepted.status_code == 302
    confirmation = page(alice_client.get(accepted["Location"]))
    assert "You share with sam@stride.example" in confirmation
    assert 'href="/settings/#sharing"' in confirmation
    assert shared_runner(sam, alice.pk) == alice
    assert alice.email in page(sam_client.get("/clinic/"))


def test_accepting_twice_keeps_one_link(sam_client: Client, alice: User, alice_client: Client) -> None:
    code = make_code(sam_client)
    first = alice_client.post("/sharing/accept/", {"code": code})
    again = alice_client.post("/sharing/accept/", {"code": code})  # a double tap
    assert first["Location"] == again["Location"]
    another = alice_client.post("/sharing/accept/", {"code": make_code(sam_client)})  # a second invitation
    assert another["Location"] == first["Location"]
    assert Link.objects.filter(runner=alice, status=LinkStatus.SHARING).count() == 1
    # The e-mailed link opened again later shows where she stands.
    assert alice_client.get(f"/sharing/accept/?code={code}")["Location"] == first["Location"]


def test_the_accept_is_a_post_with_its_csrf_token(sam_client: Client, alice: User) -> None:
    code = make_code(sam_client)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post("/sharing/accept/", {"code": code}).status_code == 403
    assert Link.objects.get().status == LinkStatus.INVITED


def test_a_visitor_logs_in_and_comes_back_to_the_invitation(
    sam_client: Client, client: Client, alice: User, password: str
) -> None:
    code = make_code(sam_client)
    answer = client.get(f"/sharing/accept/?code={code}")
    assert answer.status_code == 302
    login = answer["Location"]
    assert login == f"/accounts/login/?next={quote(f'/sharing/accept/?code={code}', safe='/')}"
    login_page = page(client.get(login))
    assert f'href="/accounts/signup/?next={quote(f"/sharing/accept/?code={code}")}"' in login_page
    back = client.post(login, {"username": alice.email, "password": password, "next": f"/sharing/accept/?code={code}"})
    assert back["Location"] == f"/sharing/accept/?code={code}"
    assert "Stride Physio" in page(client.get(back["Location"]))


def test_a_visitor_who_signs_up_comes_back_to_the_invitation(sam_client: Client, client: Client) -> None:
    code = make_code(sam_client)
    target = f"/sharing/accept/?code={code}"
    sent = client.post(
        f"/accounts/signup/?next={quote(target)}",
        {"email": "new.runner@example.org", "password1": "hip-opener-42-lunge", "password2": "hip-opener-42-lunge",
         "next": target},
    )  # fmt: skip
    assert sent.status_code == 302
    link = re.search(r"http://testserver(/accounts/signup/confirm/\S+/)", mail.outbox[-1].body)
    assert link is not None
    assert client.post(link.group(1))["Location"] == target


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("ZZZZZ-ZZZZZ", "code: no open invitation has this code"),
        ("", "code: type the code your clinician gave you"),
        ("A" * 41, "code: a code is ten letters and digits"),
    ],
)
def test_an_unknown_code_is_named_with_a_way_to_type_another(alice_client: Client, code: str, problem: str) -> None:
    for answer in (
        alice_client.get(f"/sharing/accept/?code={code}"),
        alice_client.post("/sharing/accept/", {"code": code}),
    ):
        assert answer.status_code == 400
        assert problem in page(answer)
        assert 'id="code-form"' in page(answer)
    assert Link.objects.filter(runner__isnull=False).count() == 0


def test_a_used_or_expired_code_says_so(
    sam_client: Client, alice_client: Client, bob: User, bob_client: Client, freeze_clock: Any
) -> None:
    used = make_code(sam_client)
    alice_client.post("/sharing/accept/", {"code": used})
    assert "no open invitation has this code" in page(bob_client.get(f"/sharing/accept/?code={used}"))
    late = make_code(sam_client)
    freeze_clock(clock.now() + timedelta(days=15))
    bob_client.force_login(bob)  # a session of that day
    answer = bob_client.get(f"/sharing/accept/?code={late}")
    assert answer.status_code == 400
    assert "older than 14 days" in page(answer)


def test_the_code_can_be_typed_on_a_form(sam_client: Client, alice_client: Client) -> None:
    code = make_code(sam_client)
    form = page(alice_client.get("/sharing/accept/"))
    assert 'id="code-form"' in form
    assert 'method="get"' in form
    typed = alice_client.get("/sharing/accept/", {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 200
    assert "Share your training with sam@stride.example?" in page(typed)


def test_a_clinician_cannot_accept_their_own_code(sam: Clinician, sam_client: Client) -> None:
    code = make_code(sam_client)
    looked = sam_client.get(f"/sharing/accept/?code={code}")
    for answer in (looked, sam_client.post("/sharing/accept/", {"code": code})):
        assert answer.status_code == 400
        assert "code: this is your own invitation" in page(answer)
    assert Link.objects.get().status == LinkStatus.INVITED


# ---- 3. stopping ----------------------------------------------------------------------------------------------


def test_settings_lists_each_link_with_what_is_shared_and_a_stop_button(
    alice_client: Client, alice_shares_with_sam: Link
) -> None:
    settings_page = page(alice_client.get("/settings/"))
    section = settings_page.split('id="sharing"', 1)[1].split("</section>", 1)[0]
    assert "Sharing with your clinic" in settings_page
    assert "sam@stride.example" in section
    assert "Stride Physio" in section
    assert "since" in section
    for item in SHARED:
        assert item in section
    assert f'action="/sharing/{alice_shares_with_sam.pk}/stop/"' in section
    assert "will see nothing of yours from the moment you" in section


def test_stopping_takes_effect_at_once_and_stays_as_history(
    sam: Clinician, sam_client: Client, alice: User, alice_client: Client, alice_shares_with_sam: Link
) -> None:
    assert alice.email in page(sam_client.get("/clinic/"))
    stopped = alice_client.post(f"/sharing/{alice_shares_with_sam.pk}/stop/")
    assert stopped["Location"] == "/settings/#sharing"
    assert alice.email not in page(sam_client.get("/clinic/"))  # sam's very next request
    assert shared_runner(sam, alice.pk) is None
    after = page(alice_client.get("/settings/"))
    assert "You stopped sharing with sam@stride.example (Stride Physio)" in after
    assert "stopped on" in after
    assert f'action="/sharing/{alice_shares_with_sam.pk}/stop/"' not in after
    assert "You no longer share with" in page(alice_client.get(f"/sharing/{alice_shares_with_sam.pk}/"))


def test_a_runner_cannot_stop_or_see_anothers_link(
    bob_client: Client, alice_shares_with_sam: Link, sam: Clinician, alice: User
) -> None:
    assert bob_client.post(f"/sharing/{alice_shares_with_sam.pk}/stop/").status_code == 404
    assert bob_client.get(f"/sharing/{alice_shares_with_sam.pk}/").status_code == 404
    assert bob_client.post(f"/sharing/{2**70}/stop/").status_code == 404
    assert shared_runner(sam, alice.pk) == alice


def test_stopping_is_a_post(alice_client: Client, alice_shares_with_sam: Link) -> None:
    assert alice_client.get(f"/sharing/{alice_shares_with_sam.pk}/stop/").status_code == 405
    assert Link.objects.get(pk=alice_shares_with_sam.pk).status == LinkStatus.SHARING


# ---- 4. the staff page ----------------------------------------------------------------------------------------


def test_the_admin_adds_a_clinician_who_gets_a_link_to_set_a_password(
    sam_client: Client, kim: Clinician, client: Client
) -> None:
    listed = page(sam_client.get("/clinic/staff/"))
    assert "sam@stride.example" in listed
    assert "kim@stride.example" in listed
    added = sam_client.post("/clinic/staff/", {"email": "Robin@Stride.example"})
    assert added.status_code == 200
    link = re.search(r"http://testserver(/accounts/password-reset/[^\s<]+/)", page(added))
    assert link is not None
    [message] = mail.outbox
    assert message.to == ["robin@stride.example"]
    assert link.group(0) in message.body
    robin = Clinician.objects.get(user__username="robin@stride.example")
    assert robin.clinic.name == "Stride Physio"
    assert not robin.is_admin
    # The link sets the password, and Robin logs in to the clinic.
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "pelvic-tilt-77-bridge"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    logged_in = client.post("/accounts/login/", {"username": "robin@stride.example", "password": new})
    assert logged_in.status_code == 302
    assert client.get("/clinic/").status_code == 200


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("nobody", "email: 'nobody' is not an e-mail address"),
        ("kim@stride.example", "email: kim@stride.example is already a clinician of Stride Physio"),
        ("lee@riverside.example", "email: lee@riverside.example is already a clinician of Riverside Sports Clinic"),
    ],
)
def test_a_clinician_who_cannot_be_added_is_named_and_nothing_changes(
    sam_client: Client, kim: Clinician, lee: Clinician, email: str, problem: str
) -> None:
    before = list(Clinician.objects.values_list("pk", "clinic_id", "is_admin"))
    answer = sam_client.post("/clinic/staff/", {"email": email, "admin": "on"})
    assert answer.status_code == 400
    assert problem in page(answer)
    assert list(Clinician.objects.values_list("pk", "clinic_id", "is_admin")) == before
    assert mail.outbox == []


def test_the_admin_removes_a_clinician_but_not_themselves(
    sam: Clinician, sam_client: Client, kim: Clinician, bob: User
) -> None:
    accept(bob, invite(kim).code)
    removed = sam_client.post(f"/clinic/staff/{kim.pk}/remove/")
    assert removed.status_code == 302
    assert "kim@stride.example is no longer a clinician" in page(sam_client.get("/clinic/staff/"))
    assert not Clinician.objects.filter(pk=kim.pk).exists()
    assert User.objects.filter(username="kim@stride.example").exists()  # the account stays
    myself = sam_client.post(f"/clinic/staff/{sam.pk}/remove/")
    assert myself.status_code == 400
    assert "clinician: you cannot remove yourself" in page(myself)
    assert Clinician.objects.filter(pk=sam.pk).exists()


def test_the_staff_page_is_the_admins_alone(kim: Clinician, lee: Clinician, sam: Clinician) -> None:
    kim_client = Client()
    kim_client.force_login(kim.user)
    assert kim_client.get("/clinic/staff/").status_code == 403
    assert kim_client.post("/clinic/staff/", {"email": "x@stride.example"}).status_code == 403
    assert kim_client.post(f"/clinic/staff/{sam.pk}/remove/").status_code == 403
    lee.is_admin = True
    lee.save()
    lee_client = Client()
    lee_client.force_login(lee.user)
    assert lee_client.post(f"/clinic/staff/{kim.pk}/remove/").status_code == 404  # not of lee's clinic
    assert Clinician.objects.filter(pk=kim.pk).exists()


# ---- 5. the API -----------------------------------------------------------------------------------------------


@pytest.fixture
def alice_token(alice: User) -> dict[str, str]:
    _, token = issue_token(alice, "phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_accepts_a_code_lists_the_link_and_stops_it(
    client: Client, sam: Clinician, alice: User, alice_token: dict[str, str]
) -> None:
    code = invite(sam).code
    accepted = post_json(client, "/api/v1/me/sharing", {"code": code.lower()}, **alice_token)
    assert accepted.status_code == 201, accepted.content
    link = accepted.json()
    assert link["clinic"] == "Stride Physio"
    assert link["clinician"] == "sam@stride.example"
    assert link["status"] == "sharing"
    assert link["stopped_at"] is None
    assert link["accepted_at"]
    assert link["shared"] == list(SHARED)
    again = post_json(client, "/api/v1/me/sharing", {"code": code}, **alice_token)
    assert again.status_code == 200
    assert again.json()["id"] == link["id"]
    assert [item["id"] for item in client.get("/api/v1/me/sharing", **alice_token).json()] == [link["id"]]
    stopped = client.delete(f"/api/v1/me/sharing/{link['id']}", **alice_token)
    assert stopped.status_code == 200
    assert stopped.json()["status"] == "stopped"
    assert stopped.json()["stopped_at"]
    assert shared_runner(sam, alice.pk) is None
    assert post_json(client, f"/api/v1/me/sharing/{link['id']}", {}, **alice_token).status_code == 200


@pytest.mark.parametrize("body", [{"code": "ZZZZZ-ZZZZZ"}, {"code": ""}, {}, {"code": "A" * 41}])
def test_the_api_names_a_bad_code(alice_client: Client, sam: Clinician, body: dict[str, str]) -> None:
    answer = post_json(alice_client, "/api/v1/me/sharing", body)
    assert answer.status_code == 422
    assert [problem["loc"] for problem in answer.json()["detail"]] == [["body", "code"]]
    assert Link.objects.filter(runner__isnull=False).count() == 0


def test_the_api_stops_only_your_own_links(bob_client: Client, alice_shares_with_sam: Link, sam: Clinician) -> None:
    assert bob_client.delete(f"/api/v1/me/sharing/{alice_shares_with_sam.pk}").status_code == 404
    assert post_json(bob_client, f"/api/v1/me/sharing/{alice_shares_with_sam.pk}", {}).status_code == 404
    assert bob_client.get("/api/v1/me/sharing").json() == []
    assert Link.objects.get(pk=alice_shares_with_sam.pk).status == LinkStatus.SHARING


def test_a_clinician_invites_through_the_api(sam_client: Client, alice_client: Client, client: Client) -> None:
    made = post_json(sam_client, "/api/v1/clinic/invitations", {})
    assert made.status_code == 201, made.content
    body = made.json()
    assert CODE.fullmatch(body["code"])
    assert body["link"] == f"http://testserver/sharing/accept/?code={body['code']}"
    assert body["emailed"] is False
    mailed = post_json(sam_client, "/api/v1/clinic/invitations", {"email": "alice@example.org"})
    assert mailed.status_code == 201
    assert mailed.json()["emailed"] is True
    assert mail.outbox[0].to == ["alice@example.org"]
    bad = post_json(sam_client, "/api/v1/clinic/invitations", {"email": "nope"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "email"]
    assert post_json(alice_client, "/api/v1/clinic/invitations", {}).status_code == 403
    assert post_json(client, "/api/v1/clinic/invitations", {}).status_code == 401
    assert Link.objects.count() == 2
