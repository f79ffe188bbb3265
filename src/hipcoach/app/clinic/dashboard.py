"""The clinic's dashboard: every runner who shares with the clinician, with adherence, pain trend, last session, an
open referral and their open alerts, the alerts first.

A clinician may follow hundreds of runners with years of logs, so the page reads each figure for all runners at once
(one grouped query per figure, over the log's indexes), never runner by runner.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from hipcoach.app.clinic.alerts import open_alerts, store
from hipcoach.app.clinic.models import Alert, Clearance, Clinician, Link, LinkStatus
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.labels import CONTEXT_LABELS
from hipcoach.app.training.models import RunnerSettings, SessionLog
from hipcoach.app.training.sessions import week_skeleton
from hipcoach.core.alerts import AlertKind, quiet_finding, spell_start
from hipcoach.core.clearance import Clearance as CoreClearance
from hipcoach.core.clearance import ClearanceKind, covering
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


@lru_cache(maxsize=4096)
def _per_weekday(runs: tuple[str, ...], strength_days: int) -> tuple[int, ...]:
    return tuple(len(slots) for slots in week_skeleton(parse_runs(list(runs)), strength_days))


def sessions_per_weekday(record: RunnerSettings | None) -> tuple[int, ...]:
    """How many sessions the runner's usual week plans on each weekday, Monday first."""
    if record is None:
        return _per_weekday((), WeekPreferences().strength_days)
    return _per_weekday(tuple(record.runs), record.strength_days)


def planned_between(per_weekday: tuple[int, ...], first: date, last: date) -> int:
    """Sessions planned from ``first`` to ``last``, both included (none when ``last`` is before ``first``)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * sum(per_weekday) + sum(per_weekday[(first.weekday() + n) % 7] for n in range(rest))


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
    records = RunnerSettings.objects.filter(owner_id__in=ids).only("owner_id", "runs", "strength_days")
    settings = {record.owner_id: record for record in records}
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
    since = {runner_id: _sharing_since(link, today) for runner_id, link in links.items()}
    _raise_quiet_spells(links, since, latest, settings, today)
    alerts = open_alerts(ids)
    alert_counts = Counter(alert.runner_id for alert in alerts)
    rows = []
    for runner_id, link in links.items():
        per_weekday = sessions_per_weekday(settings.get(runner_id))
        counts = window.get(runner_id, {})
        facts = latest.get(runner_id, Facts())
        rows.append(
            RunnerRow(
                id=runner_id,
                email=link.runner.email if link.runner else "",
                since=since[runner_id],
                planned=planned_between(per_weekday, max(first, since[runner_id]), today),
                done=counts.get("done", 0),
                pain_recent=_average(counts.get("recent_sum"), counts.get("recent_n", 0)),
                pain_before=_average(counts.get("before_sum"), counts.get("before_n", 0)),
                last=facts.last,
                referral=facts.referral,
                open_alerts=alert_counts[runner_id],
            )
        )
    rows.sort(key=lambda row: (-row.open_alerts, row.referral == "", row.email))
    return Dashboard(rows, alerts[:ALERTS_SHOWN])


def _sharing_since(link: Link, today: date) -> date:
    return timezone.localdate(link.accepted_at) if link.accepted_at else today


@dataclass
class Facts:
    referral: str = ""
    last: LastSession | None = None


def _latest_per_runner(ids: list[int]) -> dict[int, Facts]:
    """Each runner's last session, and whether a referral stands: their latest screen refers, or a warning sign was
    reported after a session since that screen (as training.runner.referral_of judges it). Each read is one grouped
    query over an index: the last log's time per runner (owner, finished_at), the last warning sign per runner (a
    partial index of the flagged logs), and the runners' screens, a few a year each."""
    last_at = _last_finished(SessionLog.objects.filter(owner_id__in=ids))
    flagged_at = _last_finished(SessionLog.objects.filter(owner_id__in=ids, red_flag=True))
    latest_screen: dict[int, tuple[datetime, bool, bool]] = {}
    screens = Screen.objects.filter(owner_id__in=ids).order_by("taken_at", "id")
    for owner, taken_at, refer, urgent in screens.values_list("owner_id", "taken_at", "refer", "urgent"):
        latest_screen[owner] = (taken_at, refer, urgent)
    cleared: dict[int, list[CoreClearance]] = {}
    for row in Clearance.objects.filter(runner_id__in=ids, kind=ClearanceKind.REFERRAL.value):
        cleared.setdefault(row.runner_id, []).append(row.to_core())
    facts = {
        one: Facts(referral=_referral(flagged_at.get(one), latest_screen.get(one), cleared.get(one, []))) for one in ids
    }
    lasts = SessionLog.objects.filter(owner_id__in=ids, finished_at__in=set(last_at.values())).order_by("finished_at")
    for owner, finished_at, day, context, pain in lasts.values_list(
        "owner_id", "finished_at", "planned_for", "context", "pain"
    ):
        if last_at.get(owner) == finished_at:
            facts[owner].last = LastSession(day, context, pain)
    return facts


def _last_finished(logs: QuerySet[SessionLog]) -> dict[int, datetime]:
    """Each runner's latest ``finished_at`` among these logs, in one grouped query over (owner, finished_at)."""
    rows = logs.values("owner_id").annotate(last=Max("finished_at")).order_by().values_list("owner_id", "last")
    return dict(rows)


def _referral(
    flagged_at: datetime | None, screen: tuple[datetime, bool, bool] | None, cleared: list[CoreClearance]
) -> str:
    """The referral that stands, unless a clinician's clearance given after it covers it (core.clearance)."""

    def covered(at: datetime) -> bool:
        return covering(cleared, ClearanceKind.REFERRAL, at, timezone.localdate(at)) is not None

    if flagged_at is not None and (screen is None or flagged_at > screen[0]) and not covered(flagged_at):
        return "warning sign"
    if screen is None or covered(screen[0]):
        return ""
    if screen[2]:
        return "urgent"
    return "referred" if screen[1] else ""


def _raise_quiet_spells(
    links: dict[int, Link],
    since: dict[int, date],
    latest: dict[int, Facts],
    settings: dict[int, RunnerSettings],
    today: date,
) -> None:
    """Raise "nothing logged for 7 days" for the runners it fits and that do not have it yet."""
    known = set(
        Alert.objects.filter(runner_id__in=list(links), kind=AlertKind.NOTHING_LOGGED.value).values_list(
            "runner_id", "key"
        )
    )
    for runner_id, link in links.items():
        last = latest.get(runner_id, Facts()).last
        last_day = last.day if last else None
        start = spell_start(last_day, since[runner_id])
        planned = planned_between(sessions_per_weekday(settings.get(runner_id)), start + timedelta(days=1), today)
        finding = quiet_finding(last_day, since[runner_id], planned, today)
        if finding is not None and (runner_id, finding.key) not in known and link.runner is not None:
            store(link.runner, [finding])
