"""A clinician's alerts from the runner's own writes: raised once per event while the runner shares, shown first on
the dashboard and in the runner's record, acknowledged with a note that stays, a warning sign e-mailed too."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from hipcoach.app.clinic.models import Alert
from hipcoach.app.clinic.sharing import stop_sharing
from hipcoach.app.training.log import save_log
from hipcoach.app.training.morning import answer_morning

MONDAY = date(2026, 3, 2)
UTC = ZoneInfo("UTC")
BEFORE = {"left": 34, "right": 38}


@pytest.fixture
def monday(freeze_clock: Any) -> datetime:
    return freeze_clock(MONDAY, hour=18)


def log(runner: User, key: str, pain: int, *, red_flag: bool = False, day: date = MONDAY) -> Any:
    drills = [{"drill_id": "clamshell", "amount": 10, "sets": 2, "sides_done": ["left", "right"], "rating": "ok",
               "pain": pain}]  # fmt: skip
    body = {
        "client_key": f"{key}-session-key", "context": "strength", "planned_for": day.isoformat(), "drills": drills,
        "session": {"items": [{"drill_id": "clamshell"}], "timeline": []}, "red_flag": red_flag,
    }  # fmt: skip
    saved, _ = save_log(runner, body)
    return saved


def kinds(runner: User) -> list[str]:
    return sorted(Alert.objects.filter(runner=runner).values_list("kind", flat=True))


@pytest.mark.usefixtures("monday")
def test_pain_7_in_a_session_alerts_the_clinician_and_shows_first_on_the_dashboard(
    alice: User, alice_shares_with_sam: Any, sam_client: Client
) -> None:
    log(alice, "calm", 1)
    log(alice, "sore", 7)
    assert kinds(alice) == ["pain-above-5"]
    page = sam_client.get("/clinic/").content.decode()
    assert "Pain 7 of 10 in the session" in page
    assert page.index('id="clinic-alerts"') < page.index('id="clinic-runners"')
    assert "1 open" in page


@pytest.mark.usefixtures("monday")
def test_a_retried_save_raises_no_second_alert(alice: User, alice_shares_with_sam: Any) -> None:
    log(alice, "sore", 7)
    log(alice, "sore", 7)
    assert kinds(alice) == ["pain-above-5"]


@pytest.mark.usefixtures("monday")
def test_a_runner_who_shares_with_no_one_raises_no_alert(alice: User, bob: User, alice_shares_with_sam: Any) -> None:
    log(bob, "sore", 8)
    stop_sharing(alice, alice_shares_with_sam.pk)
    log(alice, "sore", 8)
    assert Alert.objects.count() == 0


@pytest.mark.usefixtures("monday")
def test_a_new_warning_sign_is_e_mailed_to_the_clinician_naming_only_the_runner_and_day(
    alice: User, sam: Any, alice_shares_with_sam: Any
) -> None:
    log(alice, "flag", 2, red_flag=True)
    assert kinds(alice) == ["warning-sign"]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [sam.user.email]
    assert alice.email in sent.subject
    assert f"/clinic/runners/{alice.pk}/" in sent.body


def test_pain_rising_two_on_the_recent_average_alerts(
    alice: User, alice_shares_with_sam: Any, freeze_clock: Any
) -> None:
    for number, pain in enumerate([1, 1, 2]):
        freeze_clock(MONDAY + timedelta(days=number), hour=18)
        log(alice, f"day{number}", pain, day=MONDAY + timedelta(days=number))
    freeze_clock(MONDAY + timedelta(days=3), hour=18)
    log(alice, "rising", 4, day=MONDAY + timedelta(days=3))
    assert kinds(alice) == ["pain-rising"]


def test_worse_two_mornings_in_a_row_alerts(alice: User, alice_shares_with_sam: Any, freeze_clock: Any) -> None:
    for number in range(2):
        day = MONDAY + timedelta(days=number)
        freeze_clock(day, hour=18)
        session = log(alice, f"day{number}", 2, day=day)
        freeze_clock(day + timedelta(days=1), hour=8)
        answer_morning(alice, session.pk, worse=True)
    assert kinds(alice) == ["worse-two-mornings"]


def test_seven_days_with_nothing_logged_while_sessions_were_planned_alert_on_the_dashboard(
    monday: datetime, alice: User, alice_shares_with_sam: Any, sam_client: Client, freeze_clock: Any
) -> None:
    log(alice, "last", 1)
    freeze_clock(MONDAY + timedelta(days=6), hour=18)
    sam_client.get("/clinic/")
    assert kinds(alice) == []
    freeze_clock(MONDAY + timedelta(days=7), hour=18)
    assert "Nothing logged for 7 days" in sam_client.get("/clinic/").content.decode()
    sam_client.get("/clinic/")
    assert kinds(alice) == ["nothing-logged"]


def test_a_screen_measure_worse_beyond_its_smallest_real_change_alerts(
    alice: User, alice_shares_with_sam: Any, answer_safety_questions: Any
) -> None:
    answer_safety_questions(alice, taken_at=datetime(2026, 1, 5, 9, tzinfo=UTC), tests={"seated_ir_deg": BEFORE})
    # The left 10 deg less (beyond the smallest real change of 8.6), the right 5 deg less (within it).
    after = {"left": BEFORE["left"] - 10, "right": BEFORE["right"] - 5}
    answer_safety_questions(alice, taken_at=datetime(2026, 2, 5, 9, tzinfo=UTC), tests={"seated_ir_deg": after})
    alerts = list(Alert.objects.filter(runner=alice))
    assert [alert.kind for alert in alerts] == ["measure-worse"]
    assert ", left:" in alerts[0].message


@pytest.mark.usefixtures("monday")
def test_an_alert_acknowledged_with_a_note_leaves_the_dashboard_and_stays_in_the_record(
    alice: User, alice_shares_with_sam: Any, sam_client: Client
) -> None:
    log(alice, "sore", 7)
    alert = Alert.objects.get()
    path = f"/clinic/alerts/{alert.pk}/acknowledge/"
    refused = sam_client.post(path, {"note": "  ", "runner": alice.pk}, follow=True)
    assert "note: say what you did" in refused.content.decode()
    assert Alert.objects.get().is_open
    done = sam_client.post(path, {"note": "Called her; load halved", "runner": alice.pk}, follow=True)
    assert done.redirect_chain[-1][0] == f"/clinic/runners/{alice.pk}/"
    assert "Acknowledged by sam@stride.example" in done.content.decode()
    assert "Called her; load halved" in done.content.decode()
    assert 'id="no-alerts"' in sam_client.get("/clinic/").content.decode()


@pytest.mark.usefixtures("monday")
def test_a_clinician_cannot_acknowledge_an_alert_of_a_runner_who_does_not_share_with_them(
    alice: User, alice_shares_with_sam: Any, lee: Any
) -> None:
    log(alice, "sore", 7)
    alert = Alert.objects.get()
    lee_client = Client()
    lee_client.force_login(lee.user)
    lee_client.post(f"/clinic/alerts/{alert.pk}/acknowledge/", {"note": "seen"})
    assert Alert.objects.get().is_open
