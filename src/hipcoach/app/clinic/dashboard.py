"""The clinic's dashboard: every runner who shares with the clinician, with adherence, pain trend, last session, an
open referral and their open alerts, the alerts first.

A clinician may follow hundreds of runners with years of logs, so the page reads each figure for all runners at once
(one grouped query per figure, over the log's indexes), never runner by runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.alerts import open_alerts, store
from hipcoach.app.clinic.models import Alert, Clinician, Link, LinkStatus
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.labels import CONTEXT_LABELS
from hipcoach.app.training.models import RunnerSettings, SessionLog
from hipcoach.app.training.sessions import week_skeleton
from hipcoach.core.alerts import AlertKind, quiet_finding
from hipcoach.core.planner import Context
from hipcoach.core.week import WeekPreferences, parse_runs

ADHERENCE_DAYS = 28  # the last 4 weeks
TREND_DAYS = 14  # pain: the last two weeks against the two before
TREND_STEP = 1.0  # a change in average pain below one point is called steady
ALERTS_SHOWN = 50


@dataclass(frozen=True)
class LastSession:
    day: date
    context: str
    pain: int

    @property
    def label(self) -> str:
        return CONTEXT_LABELS[Context(self.context)]


@dataclass(frozen=True)
class RunnerRow:
    id: int
    email: str
    since: date
    planned: int
    done: int
    pain_recent: float | None
    pain_before: float | None
    last: LastSession | None
    referral: str  # "" when none: "urgent", "referred" or "warning sign"
    open_alerts: int

    @property
    def adherence(self) -> int | None:
        """Sessions done as a share of those planned in the last 4 weeks, capped at 100; None when none planned."""
        if self.planned == 0:
            return None
        return round(100 * min(self.done, self.planned) / self.planned)

    @property
    def trend(self) -> str:
        if self.pain_recent is None:
            return "no sessions lately"
        if self.pain_before is None:
            return f"{self.pain_recent:.1f} on average"
        change = self.pain_recent - self.pain_before
        if change >= TREND_STEP:
            return f"rising: {self.pain_before:.1f} to {self.pain_recent:.1f}"
        if change <= -TREND_STEP:
            return f"falling: {self.pain_before:.1f} to {self.pain_recent:.1f}"
        return f"steady: {self.pain_recent:.1f}"


@dataclass(frozen=True)
class Dashboard:
    runners: list[RunnerRow]
    alerts: list[Alert]


def planned_days(record: RunnerSettings | None, first: date, last: date) -> list[date]:
    """Each day from ``first`` to ``last`` once per session the runner's usual week plans on it."""
    runs = parse_runs(record.runs) if record is not None else []
    strength_days = record.strength_days if record is not None else WeekPreferences().strength_days
    per_weekday = [len(slots) for slots in week_skeleton(runs, strength_days)]
    days = []
    day = first
    while day <= last:
        days.extend([day] * per_weekday[day.weekday()])
        day += timedelta(days=1)
    return days


def _average(total: int | None, count: int) -> float | None:
    return None if not count else (total or 0) / count


def dashboard(clinician: Clinician, today: date) -> Dashboard:
    links: dict[int, Link] = {
        link.runner_id: link
        for link in Link.objects.filter(clinician=clinician, status=LinkStatus.SHARING).select_related("runner")
        if link.runner_id is not None
    }
    ids = list(links)
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    split = today - timedelta(days=TREND_DAYS - 1)
    settings = {record.owner_id: record for record in RunnerSettings.objects.filter(owner_id__in=ids)}
    window = {
        row["owner_id"]: row
        for row in SessionLog.objects.filter(owner_id__in=ids, planned_for__gte=first, planned_for__lte=today)
        .values("owner_id")
        .annotate(
            done=Count("id"),
            recent_n=Count("id", filter=Q(planned_for__gte=split)),
            recent_sum=Sum("pain", filter=Q(planned_for__gte=split)),
            before_n=Count("id", filter=Q(planned_for__lt=split)),
            before_sum=Sum("pain", filter=Q(planned_for__lt=split)),
        )
        .order_by()
    }
    latest = _latest_per_runner(ids)
    alert_counts = dict(
        Alert.objects.filter(runner_id__in=ids, acknowledged_at__isnull=True)
        .values("runner_id")
        .annotate(open=Count("id"))
        .order_by()
        .values_list("runner_id", "open")
    )
    rows = []
    for runner_id, link in links.items():
        since = timezone.localdate(link.accepted_at) if link.accepted_at else today
        counted_from = max(first, since)
        days = planned_days(settings.get(runner_id), counted_from, today)
        counts = window.get(runner_id, {})
        facts = latest.get(runner_id, Facts())
        rows.append(
            RunnerRow(
                id=runner_id,
                email=link.runner.email if link.runner else "",
                since=since,
                planned=len(days),
                done=counts.get("done", 0),
                pain_recent=_average(counts.get("recent_sum"), counts.get("recent_n", 0)),
                pain_before=_average(counts.get("before_sum"), counts.get("before_n", 0)),
                last=facts.last,
                referral=facts.referral,
                open_alerts=alert_counts.get(runner_id, 0),
            )
        )
    raised = _raise_quiet_spells(rows, settings, today)
    if raised:
        counts_now = {row.id: row.open_alerts + raised.get(row.id, 0) for row in rows}
        rows = [_with_alerts(row, counts_now[row.id]) for row in rows]
    rows.sort(key=lambda row: (-row.open_alerts, row.referral == "", row.email))
    return Dashboard(rows, open_alerts(ids)[:ALERTS_SHOWN])


def _with_alerts(row: RunnerRow, count: int) -> RunnerRow:
    return RunnerRow(**{**row.__dict__, "open_alerts": count})


@dataclass
class Facts:
    referral: str = ""
    last: LastSession | None = None


def _latest_per_runner(ids: list[int]) -> dict[int, Facts]:
    """Each runner's last session, and whether a referral stands: their latest screen refers, or a warning sign was
    reported after a session since that screen (as training.runner.referral_of judges it)."""
    logs = SessionLog.objects.filter(owner=OuterRef("pk")).order_by("-finished_at", "-id")
    screens = Screen.objects.filter(owner=OuterRef("pk")).order_by("-taken_at", "-id")
    people = (
        Runner.objects.filter(pk__in=ids)
        .annotate(
            last_log=Subquery(logs.values("id")[:1]),
            flagged_at=Subquery(logs.filter(red_flag=True).values("finished_at")[:1]),
            screen_at=Subquery(screens.values("taken_at")[:1]),
            screen_refer=Subquery(screens.values("refer")[:1]),
            screen_urgent=Subquery(screens.values("urgent")[:1]),
        )
        .values("pk", "last_log", "flagged_at", "screen_at", "screen_refer", "screen_urgent")
    )
    facts: dict[int, Facts] = {}
    last_ids = {}
    for person in people:
        facts[person["pk"]] = Facts(referral=_referral(person))
        if person["last_log"]:
            last_ids[person["last_log"]] = person["pk"]
    for log_id, day, context, pain in SessionLog.objects.filter(pk__in=last_ids).values_list(
        "id", "planned_for", "context", "pain"
    ):
        facts[last_ids[log_id]].last = LastSession(day, context, pain)
    return facts


def _referral(person: dict[str, object]) -> str:
    flagged, screened = person["flagged_at"], person["screen_at"]
    if isinstance(flagged, datetime) and (not isinstance(screened, datetime) or flagged > screened):
        return "warning sign"
    if person["screen_urgent"]:
        return "urgent"
    if person["screen_refer"]:
        return "referred"
    return ""


def _raise_quiet_spells(rows: list[RunnerRow], settings: dict[int, RunnerSettings], today: date) -> dict[int, int]:
    """Raise "nothing logged for 7 days" for the runners it fits and that do not have it yet; the new counts."""
    known = set(
        Alert.objects.filter(runner_id__in=[row.id for row in rows], kind=AlertKind.NOTHING_LOGGED.value).values_list(
            "runner_id", "key"
        )
    )
    raised: dict[int, int] = {}
    for row in rows:
        last_day = row.last.day if row.last else None
        start = max(last_day or row.since, row.since)
        finding = quiet_finding(last_day, row.since, planned_days(settings.get(row.id), start, today), today)
        if finding is None or (row.id, finding.key) in known:
            continue
        runner = Runner.objects.get(pk=row.id)
        raised[row.id] = len(store(runner, [finding]))
    return raised
