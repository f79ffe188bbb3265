"""The hip screen on the web: the wizard, the result and referral pages, and the screens API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from hipcoach.app.screens.models import Screen
from hipcoach.core.figures import figure_svg
from hipcoach.core.safety import EnergySign, RedFlag
from hipcoach.core.screen import TestId, step_for
from hipcoach.core.vocabulary import Condition
from hipcoach.web.screens.wizard import TestForm

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "screen_example.json").read_text())
NO_ENERGY_SIGNS = {f"energy_{sign.value}": "no" for sign in EnergySign}
NO_FLAGS = {f"flag_{flag.value}": "no" for flag in RedFlag} | NO_ENERGY_SIGNS


def post_screen(client: Client, answers: dict[str, Any], **headers: str) -> Any:
    return client.post("/api/v1/screens", json.dumps(answers), content_type="application/json", headers=headers)


def answer_questions(client: Client, flags: dict[str, str] | None = None, **replacement: str) -> None:
    client.post("/screen/")
    client.post("/screen/about/", {"age": 41, "pain_now": 1, "sitting_hours_per_day": 9})
    client.post("/screen/safety/", {**NO_FLAGS, **(flags or {}), "hip_replacement": "no", **replacement})


def errors_on(page: str) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]+)', page)


# ---- API -------------------------------------------------------------------------------------------


def test_posting_the_example_scores_and_saves_it(client: Client) -> None:
    response = post_screen(client, EXAMPLE)
    assert response.status_code == 201
    result = response.json()["result"]
    assert result["refer"] is False
    assert any(r["id"] == "hip-ir-limit" and r["side"] == "left" for r in result["restrictions"])
    ir = next(a for a in result["asymmetries"] if a["measure"] == "seated_ir_deg")
    assert (ir["difference"], ir["real"]) == (14, True)
    assert Screen.objects.count() == 1


def test_a_retried_post_with_the_same_key_stores_one_screen(client: Client) -> None:
    first = post_screen(client, EXAMPLE, **{"Idempotency-Key": "abc-123"})
    again = post_screen(client, EXAMPLE, **{"Idempotency-Key": "abc-123"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Screen.objects.count() == 1


def test_the_same_key_for_different_answers_is_a_conflict(client: Client) -> None:
    post_screen(client, EXAMPLE, **{"Idempotency-Key": "abc-123"})
    changed = {**EXAMPLE, "pain_now": 2}
    assert post_screen(client, changed, **{"Idempotency-Key": "abc-123"}).status_code == 409
    assert Screen.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tests": {"seated_ir_deg": {"left": 400}}}, ["body", "tests", "seated_ir_deg", "left"]),
        ({"tests": {"knee_to_wall_cm": {"left": -1}}}, ["body", "tests", "knee_to_wall_cm", "left"]),
        ({"pain_now": 11}, ["body", "pain_now"]),
        ({"red_flags": ["headache"]}, ["body", "red_flags", "0"]),
    ],
)
def test_values_outside_their_range_get_422_naming_the_field_and_store_nothing(
    client: Client, change: dict[str, Any], field: list[str]
) -> None:
    response = post_screen(client, {**EXAMPLE, **change})
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == field
    assert "allowed" in problem["msg"]
    assert Screen.objects.count() == 0


def test_a_screen_posted_as_a_form_from_another_site_is_refused(client: Client) -> None:
    response = client.post("/api/v1/screens", json.dumps(EXAMPLE), content_type="text/plain")
    assert response.status_code == 415
    assert Screen.objects.count() == 0


def test_a_body_that_is_not_json_gets_422(client: Client) -> None:
    response = client.post("/api/v1/screens", "{not json", content_type="application/json")
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"][0]["msg"]


def test_a_red_flag_is_saved_with_its_referral(client: Client) -> None:
    response = post_screen(client, {**EXAMPLE, "red_flags": ["pain-on-hopping"]})
    assert response.json()["result"]["refer"] is True
    assert response.json()["result"]["urgent"] is True
    assert Screen.objects.get().urgent


def test_a_runner_lists_only_their_own_screens(client: Client) -> None:
    post_screen(client, EXAMPLE)
    other = Client()
    post_screen(other, {**EXAMPLE, "age": 50})
    assert [s["result"]["age"] for s in client.get("/api/v1/screens").json()] == [34]
    assert [s["result"]["age"] for s in other.get("/api/v1/screens").json()] == [50]


def test_the_answer_schema_is_published(client: Client) -> None:
    schema = client.get("/api/v1/screens/schema").json()
    assert schema["$schema"].endswith("2020-12/schema")
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/screens" in spec["paths"]


@pytest.mark.parametrize("test", list(TestId), ids=str)
def test_the_api_draws_how_to_set_up_each_screen_test_on_either_side(client: Client, test: TestId) -> None:
    right = client.get(f"/api/v1/screens/tests/{test.value}/figure.svg")
    assert right.status_code == 200
    assert right["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in right["Cache-Control"]
    assert right.content.decode() == figure_svg(test.value, side="right")
    left = client.get(f"/api/v1/screens/tests/{test.value}/figure.svg?side=left&still=1").content.decode()
    assert left == figure_svg(test.value, side="left", still=True)
    assert "<animate" not in left


def test_the_figure_of_an_unknown_screen_test_is_a_404_listing_the_tests(client: Client) -> None:
    response = client.get("/api/v1/screens/tests/moonwalk/figure.svg")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "moonwalk" in detail
    assert all(test.value in detail for test in TestId)


# ---- the wizard ---------------------------------------------------------------------------------------


def test_the_wizard_goes_from_the_first_question_to_a_saved_result(client: Client) -> None:
    answer_questions(client)
    response = client.post("/screen/seated_ir_deg/", {"left": "24", "right": "38", "follow_up": "no", "action": "save"})
    assert response["Location"] == "/screen/seated_er_deg/"
    client.post("/screen/seated_er_deg/", {"action": "finish"})
    saved = client.post("/screen/review/")
    assert saved.status_code == 302
    page = client.get(saved["Location"]).content.decode()
    assert 'data-restriction="hip-ir-limit" data-side="left"' in page
    assert "Less hip internal rotation than the norm" in page
    assert Screen.objects.count() == 1


def test_the_about_page_asks_each_condition_of_the_history_now_or_before(client: Client) -> None:
    client.post("/screen/")
    page = client.get("/screen/about/").content.decode()
    history = page[page.index('id="history"') : page.index("Other running injuries")]
    for condition in Condition:
        label = escape(condition.description)
        assert f'aria-label="{label}"' in history
        for when in ("no", "before", "now"):
            assert f'name="history_{condition.value.replace("-", "_")}" value="{when}"' in history
    # The injuries the history already asks are not asked twice.
    injuries = page[page.index("Other running injuries") :]
    assert 'value="patellofemoral-pain"' not in injuries
    assert 'value="hamstring-strain"' in injuries


def test_the_history_answered_in_the_wizard_is_saved_and_explained_on_the_result(client: Client) -> None:
    client.post("/screen/")
    client.post(
        "/screen/about/",
        {
            "age": 38,
            "pain_now": 1,
            "history_gluteal_tendinopathy": "now",
            "history_patellofemoral_pain": "before",
            "injuries": ["hamstring-strain"],
        },
    )
    client.post("/screen/safety/", {**NO_FLAGS, "hip_replacement": "no"})
    client.post("/screen/thomas/", {"action": "finish"})
    saved = client.post("/screen/review/")
    screen = Screen.objects.get()
    assert screen.answers["conditions_now"] == ["gluteal-tendinopathy"]
    assert screen.answers["conditions_before"] == ["patellofemoral-pain"]
    assert screen.answers["injuries"] == ["hamstring-strain"]
    assert set(screen.result["precautions"]) == {"gluteal-compression", "isotonic-abduction"}
    page = client.get(saved["Location"]).content.decode()
    assert "Gluteal tendinopathy, lateral hip pain (now)" in page
    assert "Patellofemoral pain (before)" in page


def test_a_draft_listing_a_condition_among_its_injuries_shows_it_as_before(client: Client) -> None:
    client.post("/screen/")
    client.post("/screen/about/", {"age": 41, "pain_now": 0, "history_low_back_pain": "now"})
    session = client.session
    session["screen_draft"]["data"]["injuries"] = ["itb-syndrome", "plantar-fasciitis"]
    session.save()
    page = client.get("/screen/about/").content.decode()
    assert re.search(r'name="history_itb_pain" value="before"[^>]*checked', page)
    assert re.search(r'name="history_low_back_pain" value="now"[^>]*checked', page)
    assert re.search(r'value="plantar-fasciitis"[^>]*checked', page)


def test_the_api_takes_the_history_and_names_an_unknown_condition(client: Client) -> None:
    response = post_screen(client, {**EXAMPLE, "conditions_now": ["patellofemoral-pain"]})
    assert response.status_code == 201
    result = response.json()["result"]
    assert "deep-loaded-knee-bend" in result["precautions"]
    assert result["conditions"] == ["patellofemoral-pain"]
    refused = post_screen(client, {**EXAMPLE, "conditions_before": ["sore-knee"]})
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "conditions_before", "0"]
    assert "'sore-knee' is not allowed; allowed: one of patellofemoral-pain" in problem["msg"]


def test_saving_the_review_twice_stores_one_screen(client: Client) -> None:
    answer_questions(client)
    client.post("/screen/thomas/", {"action": "finish"})
    session_cookie = client.cookies["sessionid"].value
    first = client.post("/screen/review/")
    assert first.status_code == 302
    # A double tap: the second request arrives with the draft already spent.
    client.cookies["sessionid"] = session_cookie
    client.post("/screen/review/")
    assert Screen.objects.count() == 1


def test_a_value_out_of_range_is_refused_on_the_page_naming_the_range(client: Client) -> None:
    answer_questions(client)
    response = client.post("/screen/seated_ir_deg/", {"left": "400", "follow_up": "no", "action": "save"})
    assert response.status_code == 400
    assert errors_on(response.content.decode()) == [
        "400 is not allowed; allowed: a number from 0 to 90 (Hip internal rotation, degrees)"
    ]


def test_every_safety_question_needs_an_answer(client: Client) -> None:
    client.post("/screen/")
    client.post("/screen/about/", {"age": 41, "pain_now": 1})
    response = client.post("/screen/safety/", {"hip_replacement": "no"})
    assert response.status_code == 400
    assert len(errors_on(response.content.decode())) == len(RedFlag) + len(EnergySign)


def test_a_hip_replacement_needs_its_details(client: Client) -> None:
    client.post("/screen/")
    client.post("/screen/about/", {"age": 70, "pain_now": 0})
    response = client.post("/screen/safety/", {**NO_FLAGS, "hip_replacement": "yes"})
    assert response.status_code == 400
    assert "Please answer this about your hip replacement." in errors_on(response.content.decode())


def test_the_urgent_path_skips_every_loaded_test_and_says_why(client: Client) -> None:
    answer_questions(client, {"flag_groin-pain-running": "yes"})
    page = client.get("/screen/thomas/").content.decode()
    assert "See a clinician today, and do not run." in page
    assert "Loaded tests skipped" in page
    visited = []
    step = "/screen/thomas/"
    while step != "/screen/review/":
        visited.append(step)
        step = client.post(step, {"action": "skip", "follow_up": "no"})["Location"]
    assert visited == [
        f"/screen/{name}/"
        for name in ("thomas", "seated_ir_deg", "seated_er_deg", "active_slr", "faber", "knee_to_wall_cm")
    ]
    for loaded in ("single_leg_stance", "single_leg_squat_faults", "deep_squat"):
        assert client.get(f"/screen/{loaded}/")["Location"] == "/screen/review/"
    result = client.get(client.post("/screen/review/")["Location"]).content.decode()
    assert "See a clinician today. Do not run." in result
    assert "Your training plan is locked" in result


def test_another_runner_cannot_open_my_result(client: Client) -> None:
    answer_questions(client)
    client.post("/screen/thomas/", {"action": "finish"})
    location = client.post("/screen/review/")["Location"]
    assert client.get(location).status_code == 200
    assert Client().get(location).status_code == 404


def test_a_step_without_a_started_screen_goes_to_the_start(client: Client) -> None:
    assert client.get("/screen/thomas/")["Location"] == "/screen/"
    assert client.get("/screen/nonsense/").status_code == 404


# ---- pain found during a test --------------------------------------------------------------------------


def draft_answers(client: Client) -> dict[str, Any]:
    return dict(client.session["screen_draft"]["data"])


@pytest.mark.parametrize("action", ["save", "skip", "finish"])
def test_the_ir_follow_up_needs_an_answer_even_when_no_angle_was_recorded(client: Client, action: str) -> None:
    # The step says to stop if it hurts in the groin; a runner who stopped records no angle.
    answer_questions(client)
    unanswered = client.post("/screen/seated_ir_deg/", {"action": action})
    assert unanswered.status_code == 400
    assert errors_on(unanswered.content.decode()) == [TestForm.FOLLOW_UP_NEEDED]
    answered = client.post("/screen/seated_ir_deg/", {"action": action, "follow_up": "yes"})
    assert answered.status_code == 302
    assert draft_answers(client)["red_flags"] == ["painful-limited-ir"]
    result = client.get(client.post("/screen/review/")["Location"]).content.decode()
    assert "See a clinician today. Do not run." in result
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (True, True)
    assert saved.answers["tests"]["seated_ir_deg"] is None


def test_a_missing_follow_up_and_a_value_out_of_range_are_named_together(client: Client) -> None:
    answer_questions(client)
    response = client.post("/screen/seated_ir_deg/", {"left": "400", "action": "save"})
    assert response.status_code == 400
    assert sorted(errors_on(response.content.decode())) == sorted(
        [
            TestForm.FOLLOW_UP_NEEDED,
            "400 is not allowed; allowed: a number from 0 to 90 (Hip internal rotation, degrees)",
        ]
    )


def test_the_ir_follow_up_is_not_asked_again_after_a_yes_to_the_same_safety_question(client: Client) -> None:
    answer_questions(client, {"flag_painful-limited-ir": "yes"})
    page = client.get("/screen/seated_ir_deg/").content.decode()
    assert 'name="follow_up"' not in page
    assert client.post("/screen/seated_ir_deg/", {"left": "20", "action": "save"}).status_code == 302


def go_to_the_single_leg_squat(client: Client) -> None:
    answer_questions(client)
    client.post("/screen/seated_ir_deg/", {"action": "skip", "follow_up": "no"})


def test_the_single_leg_squat_asks_whether_it_hurt_on_each_side(client: Client) -> None:
    go_to_the_single_leg_squat(client)
    page = client.get("/screen/single_leg_squat_faults/").content.decode()
    assert 'name="left__pain"' in page
    assert 'name="right__pain"' in page
    assert "Did the squat on this leg hurt?" in page
    # A side with faults needs its pain answer; the side left blank is simply not measured.
    response = client.post("/screen/single_leg_squat_faults/", {"left": "2", "action": "save"})
    assert response.status_code == 400
    assert errors_on(response.content.decode()) == [TestForm.PAIN_NEEDED]


def test_pain_on_the_single_leg_squat_refers_and_skips_the_deep_squat(client: Client) -> None:
    go_to_the_single_leg_squat(client)
    response = client.post(
        "/screen/single_leg_squat_faults/",
        {"left": "2", "left__pain": "no", "right__pain": "yes", "action": "save"},  # right: stopped, it hurt
    )
    assert response["Location"] == "/screen/review/"  # the deep squat that follows is skipped
    assert draft_answers(client)["tests"]["single_leg_squat_faults"] == {
        "left": 2,
        "right": None,
        "left_pain": False,
        "right_pain": True,
    }
    # Opened again, the step shows the answers as given.
    initial = TestForm.initial_from(step_for(TestId.SINGLE_LEG_SQUAT), draft_answers(client))
    assert initial == {"left": 2, "left__pain": "no", "right__pain": "yes"}
    review = client.get("/screen/review/").content.decode()
    assert "a test already refers you to a clinician" in review
    result = client.get(client.post("/screen/review/")["Location"]).content.decode()
    assert "Single-leg squat on the right leg: pain; pain on a scored test refers." in result
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (True, False)


@pytest.mark.parametrize("action", ["skip", "finish"])
def test_pain_reported_on_the_single_leg_squat_counts_whatever_the_button(client: Client, action: str) -> None:
    go_to_the_single_leg_squat(client)
    response = client.post("/screen/single_leg_squat_faults/", {"left__pain": "yes", "action": action})
    assert response["Location"] == "/screen/review/"
    squat = draft_answers(client)["tests"]["single_leg_squat_faults"]
    assert squat == {"left": None, "right": None, "left_pain": True, "right_pain": False}
    client.post("/screen/review/")
    assert Screen.objects.get().refer


STANCE_PAIN_REASON = "Single-leg stance on the left leg: lateral hip pain 6/10"


@pytest.mark.parametrize("action", ["save", "skip", "finish"])
def test_lateral_hip_pain_on_the_stance_counts_without_the_seconds_whatever_the_button(
    client: Client, action: str
) -> None:
    # The runner could not hold the stance because the outside of the hip hurt: no seconds, but the pain.
    go_to_the_single_leg_squat(client)
    page = client.get("/screen/single_leg_stance/").content.decode()
    assert 'name="left__lateral_hip_pain"' in page
    assert "record the pain even without the seconds" in page
    response = client.post("/screen/single_leg_stance/", {"left__lateral_hip_pain": "6", "action": action})
    assert response["Location"] == "/screen/review/"  # the squats after it are skipped: the stance refers
    assert draft_answers(client)["tests"]["single_leg_stance"] == {
        "left": None,
        "right": None,
        "left_lateral_hip_pain": 6,
        "right_lateral_hip_pain": None,
    }
    result = client.get(client.post("/screen/review/")["Location"]).content.decode()
    assert STANCE_PAIN_REASON in result
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (True, False)


def test_a_recorded_stance_keeps_its_pain_in_the_side_and_needs_it(client: Client) -> None:
    go_to_the_single_leg_squat(client)
    right = {"right__seconds": "30", "right__pelvis_drops": "no"}
    missing = client.post("/screen/single_leg_stance/", {**right, "action": "save"})
    assert missing.status_code == 400
    assert errors_on(missing.content.decode()) == [TestForm.PAIN_NEEDED]  # named once, on the pain field
    response = client.post(
        "/screen/single_leg_stance/",
        {**right, "right__lateral_hip_pain": "0", "left__lateral_hip_pain": "1", "action": "save"},
    )
    assert response["Location"] == "/screen/single_leg_squat_faults/"  # 1/10 is kept but does not refer
    assert draft_answers(client)["tests"]["single_leg_stance"] == {
        "left": None,
        "right": {"seconds": 30, "pelvis_drops": False, "lateral_hip_pain": 0},
        "left_lateral_hip_pain": 1,
        "right_lateral_hip_pain": None,
    }
    initial = TestForm.initial_from(step_for(TestId.SINGLE_LEG_STANCE), draft_answers(client))
    assert initial == {
        "left__lateral_hip_pain": 1,
        "right__seconds": 30,
        "right__pelvis_drops": "no",
        "right__lateral_hip_pain": 0,
    }


FABER_GROIN_REASON = "FABER, left: groin pain, which points to the hip joint; refer."


@pytest.mark.parametrize(
    ("action", "after"),
    [("save", "/screen/knee_to_wall_cm/"), ("skip", "/screen/knee_to_wall_cm/"), ("finish", "/screen/review/")],
)
def test_groin_pain_on_faber_counts_without_the_knee_height_whatever_the_button(
    client: Client, action: str, after: str
) -> None:
    # The runner stopped before the knee settled because the groin hurt: no height, but where it hurt.
    go_to_the_single_leg_squat(client)
    page = client.get("/screen/faber/").content.decode()
    assert 'name="left__pain"' in page
    assert "record where even without the height" in page
    response = client.post("/screen/faber/", {"left__pain": "groin", "right__pain": "none", "action": action})
    assert response["Location"] == after
    assert draft_answers(client)["tests"]["faber"] == {
        "left": None,
        "right": None,
        "left_pain": "groin",
        "right_pain": None,
    }
    # Opened again, the step shows the pain as given.
    reopened = client.get("/screen/faber/").content.decode()
    assert '<option value="groin" selected>' in reopened
    # Groin pain on FABER refers: the loaded tests are skipped.
    assert client.get("/screen/single_leg_stance/")["Location"] == "/screen/review/"
    result = client.get(client.post("/screen/review/")["Location"]).content.decode()
    assert FABER_GROIN_REASON in result
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (True, False)


def test_a_recorded_faber_side_keeps_its_pain_in_the_side_and_needs_it(client: Client) -> None:
    go_to_the_single_leg_squat(client)
    missing = client.post("/screen/faber/", {"right__knee_above_cm": "12", "action": "save"})
    assert missing.status_code == 400
    assert errors_on(missing.content.decode()) == [TestForm.PAIN_NEEDED]  # named once, on the pain field
    response = client.post(
        "/screen/faber/",
        {"right__knee_above_cm": "12", "right__pain": "none", "left__pain": "buttock", "action": "save"},
    )
    assert response["Location"] == "/screen/knee_to_wall_cm/"  # buttock pain is noted, it does not refer
    assert draft_answers(client)["tests"]["faber"] == {
        "left": None,
        "right": {"knee_above_cm": 12, "pain": "none"},
        "left_pain": "buttock",
        "right_pain": None,
    }
    initial = TestForm.initial_from(step_for(TestId.FABER), draft_answers(client))
    assert initial == {"left__pain": "buttock", "right__knee_above_cm": 12, "right__pain": "none"}
    client.post("/screen/review/")
    saved = Screen.objects.get()
    assert saved.refer is False
    assert any(note.startswith("FABER, left: buttock pain") for note in saved.result["notes"])


def test_a_test_with_one_side_recorded_opens_again_with_that_side_filled_in(client: Client) -> None:
    answer_questions(client)
    thomas = {"left__thigh": "raised", "left__knee": "straighter", "left__thigh_drifts_out": "no", "action": "save"}
    assert client.post("/screen/thomas/", thomas).status_code == 302
    page = client.get("/screen/thomas/")
    assert page.status_code == 200
    assert re.search(r'<option value="straighter" selected>', page.content.decode())


# ---- the Thomas knee as a category and the low-energy questions (REFERENCE 3, 6 and 8) ------------------


def test_the_thomas_step_asks_the_knee_as_bent_or_straighter_not_in_degrees(client: Client) -> None:
    answer_questions(client)
    page = client.get("/screen/thomas/").content.decode()
    assert 'name="left__knee_deg"' not in page
    assert re.search(r'<select name="left__knee"[^>]*>', page)
    assert '<option value="straighter">' in page
    assert '<option value="bent">' in page
    response = client.post(
        "/screen/thomas/",
        {"left__thigh": "level", "left__knee": "80", "left__thigh_drifts_out": "no", "action": "save"},
    )
    assert response.status_code == 400
    assert any("80 is not one of the available choices" in e for e in errors_on(response.content.decode()))


def test_the_safety_step_asks_each_low_energy_question_and_the_result_advises_without_locking(client: Client) -> None:
    client.post("/screen/")
    page = client.get("/screen/safety/").content.decode()
    for sign in EnergySign:
        assert f'data-field="energy_{sign.value}"' in page
    answer_questions(client, {"energy_missed-periods": "yes"})
    assert draft_answers(client)["low_energy"] == ["missed-periods"]
    client.post("/screen/thomas/", {"action": "finish"})
    result = client.get(client.post("/screen/review/")["Location"])
    page = result.content.decode()
    assert "Your hip screen" in page  # the result page, not the referral page
    assert "See a clinician (not urgent)." in page
    assert "Signs of low energy availability (missed or irregular periods)" in page
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (False, False)


def test_a_draft_begun_before_the_low_energy_question_is_sent_back_to_the_safety_questions(client: Client) -> None:
    answer_questions(client)
    session = client.session
    draft = session["screen_draft"]
    del draft["data"]["low_energy"]
    session["screen_draft"] = draft
    session.save()
    assert client.get("/screen/thomas/")["Location"] == "/screen/safety/"
    page = client.get("/screen/safety/").content.decode()
    assert re.search(r'name="flag_limp" value="no"[^>]*checked', page)  # the red flags keep their answers
    assert not re.search(r'name="energy_missed-periods" value="no"[^>]*checked', page)  # never shown as no


def test_low_energy_with_groin_pain_on_faber_turns_the_wizard_urgent(client: Client) -> None:
    answer_questions(client, {"energy_under-fuelling": "yes"})
    client.post("/screen/faber/", {"left__pain": "groin", "right__pain": "none", "action": "save"})
    page = client.get("/screen/knee_to_wall_cm/").content.decode()
    assert "See a clinician today, and do not run." in page
    result = client.get(client.post("/screen/review/")["Location"]).content.decode()
    assert "See a clinician today. Do not run." in result
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (True, True)


def test_a_result_saved_before_the_low_energy_question_says_it_was_not_asked(client: Client) -> None:
    old = {key: value for key, value in EXAMPLE.items() if key != "low_energy"}
    response = post_screen(client, old)
    assert response.status_code == 201
    assert response.json()["result"]["not_answered"] == ["low_energy"]
    page = client.get(f"/screens/{response.json()['id']}/").content.decode()
    assert "Safety questions not asked" in page
    assert "take the screen again to answer it" in page


# ---- the result: plain words first ------------------------------------------------------------------------


def result_page(client: Client, answers: dict[str, Any]) -> str:
    response = post_screen(client, answers)
    assert response.status_code == 201, response.content
    page = client.get(f"/screens/{response.json()['id']}/").content.decode()
    return str(page)


def visible_before_details(page: str) -> str:
    """What the page shows before its details control is opened: everything outside the details element."""
    return re.sub(r'<details class="result-details".*?</details>', "", page, flags=re.S)


def test_the_result_leads_with_what_it_means_in_plain_words(client: Client) -> None:
    page = result_page(client, EXAMPLE)
    meaning = page[page.index('id="meaning"') :]
    assert page.index('id="meaning"') < page.index('id="left-right"') < page.index('id="result-details"')
    plain = re.findall(r"<li>([^<]+)</li>", meaning[: meaning.index("</section>")])
    # The most marked finding (the single-leg squat, 2 of 3) leads; the others follow in the screen's order.
    assert plain[0] == "When you squat on your left leg, the knee falls in or the pelvis drops."
    assert "The front of your left hip is tight (the hip flexors)." in plain
    assert "Your left hip turns inward less than it should." in plain
    assert "You need your heels raised to squat all the way down." in plain
    assert len(plain) == 10
    assert "Your plan works on 10 things this screen found, the most marked first." in page
    assert "Your left side gets an extra set or a longer hold" in page


def test_the_statistics_wait_behind_the_details_control(client: Client) -> None:
    page = result_page(client, EXAMPLE)
    shown = visible_before_details(page)
    for statistic in ("ICC", "1/3", "2/3", "smallest real", "measurement error", "Gradoz"):
        assert statistic not in shown, statistic
    details = re.search(r'<details class="result-details".*?</details>', page, re.S)
    assert details is not None
    for statistic in ("ICC 0.30-0.65", "tight hip flexors (left, 1/3)", "smallest real difference 8.6 deg"):
        assert statistic in details.group(0), statistic


def test_the_left_right_table_says_each_verdict_in_plain_words(client: Client) -> None:
    page = result_page(client, EXAMPLE)
    rows = dict(re.findall(r'<tr data-measure="([^"]+)">.*?<span class="verdict[^"]*">([^<]+)</span>', page, re.S))
    assert rows["seated_ir_deg"] == "real"
    assert rows["seated_er_deg"] == "too small to count"
    assert rows["faber.knee_above_cm"] == "not known if real"


def test_a_screen_that_finds_nothing_says_so_first(client: Client) -> None:
    clear = {
        **EXAMPLE,
        "sitting_hours_per_day": 2,
        "injuries": [],
        "tests": {"seated_ir_deg": {"left": 38, "right": 38}, "seated_er_deg": {"left": 42, "right": 42}},
    }
    page = result_page(client, clear)
    headline = re.search(r'<p class="meaning-headline">([^<]+)</p>', page)
    assert headline is not None
    assert headline.group(1).startswith("Nothing in the tests you did needs extra work")
    assert "test sides not measured: your plan does not take them as normal." in page


def test_each_side_of_a_test_step_shows_the_tests_figure_for_that_side(client: Client) -> None:
    from hipcoach.core.figures import figure_svg

    answer_questions(client, {})
    page = client.get("/screen/thomas/").content.decode()
    for side in ("left", "right"):
        section = page.split(f'data-figure-side="{side}"', 1)[1].split("</div>", 1)[0]
        assert figure_svg("thomas", side=side).split("<title>", 1)[1][:40] in section
        assert "<animate" in section
    left = page.split('data-figure-side="left"', 1)[1].split("</div>", 1)[0]
    right = page.split('data-figure-side="right"', 1)[1].split("</div>", 1)[0]
    assert left != right  # the left side's figure is its own drawing, not the right's again
