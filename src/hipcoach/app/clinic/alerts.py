"""The clinician's alerts: raised from the runner's writes (core.alerts has the rules), stored once per event,
acknowledged with a note, and a new warning sign e-mailed to each clinician the runner shares with.

Alerts are raised only while the runner shares with a clinician: what a runner does on their own stays their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import Alert, Clinician, Link, LinkStatus
from hipcoach.app.clock import now
from hipcoach.app.events import morning_answered, screen_recorded, session_logged
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import MorningCheck, SessionLog
from hipcoach.core.alerts import (
    RECENT_SESSIONS,
    URGENCY,
    AlertKind,
    Finding,
    LoggedSession,
    measure_findings,
    morning_findings,
    session_findings,
)
from hipcoach.core.screen import compare_measures


class AlertError(ValueError):
    """An acknowledgement that cannot be taken; the message names the field."""


def is_followed(runner: Runner) -> bool:
    """Whether any clinician sees this runner now."""
    return Link.objects.filter(runner=runner, status=LinkStatus.SHARING).exists()


def clinicians_following(runner: Runner) -> list[Clinician]:
    return list(Clinician.objects.select_related("user").filter(links__runner=runner, links__status=LinkStatus.SHARING))


def logged_session(log: SessionLog, worst_drill_pain: int | None = None) -> LoggedSession:
    check: MorningCheck | None = getattr(log, "morning_check", None)  # none until the next morning's answer
    return LoggedSession(
        id=log.pk,
        day=log.planned_for,
        pain=max(log.pain, worst_drill_pain or 0),
        warning_sign=log.red_flag,
        worse_next_morning=None if check is None else check.worse,
    )


def sessions_up_to(log: SessionLog, count: int) -> list[LoggedSession]:
    """The runner's sessions up to and including this one, oldest first: at most ``count`` before it."""
    logs = (
        SessionLog.objects.filter(owner_id=log.owner_id, finished_at__lte=log.finished_at)
        .select_related("morning_check")
        .annotate(worst_drill=Max("drills__pain"))
        .order_by("-finished_at", "-id")[: count + 1]
    )
    return [logged_session(row, row.worst_drill) for row in reversed(list(logs))]


def store(runner: Runner | int, findings: Iterable[Finding]) -> list[Alert]:
    """The findings as alerts of the runner (or the runner's id); one already raised for the same event is kept."""
    runner_id = runner if isinstance(runner, int) else runner.pk
    raised = []
    for finding in findings:
        try:
            with transaction.atomic():
                alert, created = Alert.objects.get_or_create(
                    runner_id=runner_id,
                    kind=finding.kind.value,
                    key=finding.key,
                    defaults={"day": finding.day, "message": finding.message},
                )
        except IntegrityError:  # raised at the same moment by another process: it is there
            continue
        if created:
            raised.append(alert)
    return raised


def tell_clinicians_of_warning_signs(runner: Runner, alerts: Sequence[Alert]) -> None:
    """A new warning sign reaches each clinician by e-mail too: it stops the runner's plan (REFERENCE 6). The e-mail
    names the runner and the day only; what they reported is on the clinician's page."""
    signs = [alert for alert in alerts if alert.kind == AlertKind.WARNING_SIGN]
    if not signs:
        return
    for clinician in clinicians_following(runner):
        send_mail(
            f"hipcoach: {runner.email} reported a new warning sign",
            (
                f"{runner.email}, who shares their training with you, reported a new warning sign after their "
                f"session of {signs[0].day:%A %d %B %Y}. Their plan is stopped until a clinician clears it.\n\n"
                f"Their record: /clinic/runners/{runner.pk}/\n"
            ),
            None,
            [clinician.user.email],
        )


def after_log(log: SessionLog, **_: Any) -> None:
    runner = log.owner
    if not is_followed(runner):
        return
    *earlier, latest = sessions_up_to(log, RECENT_SESSIONS)
    raised = store(runner, session_findings(latest, earlier))
    tell_clinicians_of_warning_signs(runner, raised)


def after_morning(log: SessionLog, **_: Any) -> None:
    runner = log.owner
    if not is_followed(runner):
        return
    answered = [session for session in sessions_up_to(log, 1) if session.worse_next_morning is not None]
    store(runner, morning_findings(answered))


def after_screen(screen: Screen, **_: Any) -> None:
    runner = screen.owner
    if runner is None or not is_followed(runner):
        return
    before = (
        Screen.objects.filter(owner=runner, taken_at__lt=screen.taken_at).exclude(pk=screen.pk).order_by("-taken_at")
    ).first()
    if before is None:
        return
    changes = compare_measures(before.to_core()[0], screen.to_core()[0])
    store(runner, measure_findings(screen.pk, timezone.localdate(screen.taken_at), changes))


def listen() -> None:
    """Connected once, when Django starts (ClinicConfig.ready)."""
    session_logged.connect(after_log, dispatch_uid="clinic-alerts-after-log")
    morning_answered.connect(after_morning, dispatch_uid="clinic-alerts-after-morning")
    screen_recorded.connect(after_screen, dispatch_uid="clinic-alerts-after-screen")


def urgency(alert: Alert) -> tuple[int, int, int]:
    """Sort key: the most urgent kind first, then the newest."""
    return (URGENCY.index(AlertKind(alert.kind)), -alert.day.toordinal(), -alert.pk)


def open_alerts(runner_ids: Sequence[int] | QuerySet[Any, Any]) -> list[Alert]:
    """The alerts not yet acknowledged of these runners, the most urgent first."""
    alerts = Alert.objects.filter(runner_id__in=runner_ids, acknowledged_at__isnull=True).select_related("runner")
    return sorted(alerts, key=urgency)


def alerts_of(runner: Runner) -> list[Alert]:
    """All of the runner's alerts, open ones first, for their record."""
    alerts = Alert.objects.filter(runner=runner).select_related("acknowledged_by")
    return sorted(alerts, key=lambda alert: (not alert.is_open, *urgency(alert)))


def acknowledge(clinician: Clinician, alert_id: int, note: str, runner_ids: Sequence[int]) -> Alert:
    """The clinician has seen the alert; the note says what they did. Acknowledging again keeps the first."""
    note = note.strip()
    if not note:
        raise AlertError("note: say what you did about it (a call booked, the plan changed, nothing needed)")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id, runner_id__in=runner_ids).first()
        if alert is None:
            raise AlertError(f"alert: none of your runners has an alert {alert_id}")
        if alert.acknowledged_at is None:
            alert.acknowledged_at = now()
            alert.acknowledged_by = clinician
            alert.acknowledged_by_name = clinician.name
            alert.note = note
            alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_by_name", "note"])
    return alert
