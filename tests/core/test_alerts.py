"""The clinician's alert rules: what a runner's log, mornings and screens raise, each once per event."""

from __future__ import annotations

from datetime import date, timedelta

from hipcoach.core.alerts import (
    AlertKind,
    Finding,
    LoggedSession,
    measure_findings,
    morning_findings,
    quiet_finding,
    session_findings,
    spell_start,
)
from hipcoach.core.screen import MeasureChange, TestId
from hipcoach.core.vocabulary import Side

DAY = date(2026, 3, 2)


def session(
    number: int, pain: int, *, warning_sign: bool = False, worse_next_morning: bool | None = None
) -> LoggedSession:
    day = DAY + timedelta(days=number)
    return LoggedSession(number, day, pain, warning_sign=warning_sign, worse_next_morning=worse_next_morning)


def kinds(found: list[Finding]) -> list[AlertKind]:
    return [finding.kind for finding in found]


def test_pain_above_5_alerts_and_5_does_not() -> None:
    assert kinds(session_findings(session(1, 6), [])) == [AlertKind.PAIN_ABOVE_STOP]
    assert session_findings(session(1, 5), []) == []


def test_pain_up_2_on_the_recent_average_alerts_once_there_are_three_sessions() -> None:
    earlier = [session(1, 1), session(2, 2), session(3, 0)]
    assert kinds(session_findings(session(4, 3), earlier)) == [AlertKind.PAIN_RISING]
    assert session_findings(session(4, 2), earlier) == []  # up 1: within the day-to-day
    assert session_findings(session(3, 4), earlier[:2]) == []  # two sessions make no average


def test_only_the_five_sessions_before_make_the_average() -> None:
    earlier = [session(1, 9), *(session(n, 1) for n in range(2, 7))]
    found = session_findings(session(7, 3), earlier)
    assert kinds(found) == [AlertKind.PAIN_RISING]
    assert "average of the 5 sessions before (1.0)" in found[0].message


def test_a_warning_sign_alerts_first_with_its_session_as_the_key() -> None:
    found = session_findings(session(8, 7, warning_sign=True), [])
    assert kinds(found) == [AlertKind.WARNING_SIGN, AlertKind.PAIN_ABOVE_STOP]
    assert {finding.key for finding in found} == {"log:8"}


def test_worse_two_mornings_in_a_row_alerts_and_a_better_morning_between_does_not() -> None:
    both = [session(1, 2, worse_next_morning=True), session(2, 2, worse_next_morning=True)]
    assert [finding.key for finding in morning_findings(both)] == ["mornings:1:2"]
    broken = [both[0], session(2, 2, worse_next_morning=False), session(3, 2, worse_next_morning=True)]
    assert morning_findings(broken) == []
    unanswered_between = [both[0], session(2, 2), session(3, 1, worse_next_morning=True)]
    assert kinds(morning_findings(unanswered_between)) == [AlertKind.WORSE_TWO_MORNINGS]


def test_seven_quiet_days_with_sessions_planned_alert_and_six_do_not() -> None:
    long_ago = DAY - timedelta(days=30)
    assert quiet_finding(DAY, long_ago, 5, DAY + timedelta(days=6)) is None
    found = quiet_finding(DAY, long_ago, 5, DAY + timedelta(days=7))
    assert found is not None
    assert found.key == f"quiet:{DAY.isoformat()}"
    assert "with 5 sessions planned" in found.message
    assert quiet_finding(DAY, long_ago, 0, DAY + timedelta(days=9)) is None  # nothing planned


def test_a_quiet_spell_counts_from_when_sharing_began() -> None:
    shared = DAY + timedelta(days=20)
    assert spell_start(DAY, shared) == shared
    assert quiet_finding(DAY, shared, 3, shared + timedelta(days=3)) is None
    later = quiet_finding(None, shared, 6, shared + timedelta(days=7))
    assert later is not None
    assert "since sharing began" in later.message


def change(test: TestId, earlier: float, later: float, smallest: float | None, side: Side | None) -> MeasureChange:
    real = None if smallest is None else abs(later - earlier) > smallest
    return MeasureChange(
        measure=test.value, test=test, side=side, unit="deg", earlier=earlier, later=later,
        change=later - earlier, smallest_real_change=smallest, real=real, verdict="",
    )  # fmt: skip


def test_a_measure_worse_beyond_its_smallest_real_change_alerts_and_within_it_does_not() -> None:
    found = measure_findings(
        4,
        DAY,
        [
            change(TestId.SEATED_IR, 40, 30, 8.6, Side.LEFT),  # 10 deg less: real, worse
            change(TestId.SEATED_IR, 40, 34, 8.6, Side.RIGHT),  # within error
            change(TestId.SEATED_ER, 30, 40, 8.6, Side.LEFT),  # real, but better
            change(TestId.ACTIVE_SLR, 1, 3, None, Side.LEFT),  # no known error
        ],
    )
    assert [finding.key for finding in found] == ["screen:4:seated_ir_deg:left"]
    assert "smallest real change of 8.6 deg" in found[0].message
