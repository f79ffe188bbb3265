"""The clinic's dashboard: every runner who shares with the clinician, with adherence, pain trend, last session, an
open referral and their open alerts, the alerts first.

A clinician may follow hundreds of runners with years of logs, so the page reads each figure for all runners at once
(one grouped query per figure, over the log's indexes), never runner by runner.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from hipcoach.app.clinic.alerts import open_alerts, store
from hipcoach.app.clinic.models import Alert, Clearance, Clinician, Link, LinkStatus
from hipcoach.app.clinic.models import Prescription as PrescriptionRow
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.labels import CONTEXT_LABELS
from hipcoach.app.training.models import RunnerSettings, SessionLog
from hipcoach.app.training.sessions import week_skeleton
from hipcoach.core.alerts import AlertKind, quiet_finding, spell_start
from hipcoach.core.clearance import Clearance as CoreClearance
from hipcoach.core.clearance import ClearanceKind, covering
from hipcoach.core.planner import Context
from hipcoach.core.week import WeekPreferences, parse_runs

SharedIds = QuerySet[Link, Any]  # the values("runner_id") of the sharing links
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
    def sessions_text(self) -> str:
        """ "5 of 8 (62%)", or "none planned"; read once per row (a dashboard has hundreds)."""
        if self.adherence is None:
            return "none planned"
        return f"{self.done} of {self.planned} ({self.adherence}%)"

    @property
    def last_text(self) -> str:
        """ "Mon 7 Dec, before a run, pain 2", or "none yet"."""
        if self.last is None:
            return "none yet"
        day = self.last.day
        return f"{day:%a} {day.day} {day:%b}, {self.last.label}, pain {self.last.pain}"

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
def _per_weekday(runs: tuple[str, ...], strength_days: int, recovery: int | None) -> tuple[int, ...]:
    return tuple(len(slots) for slots in week_skeleton(parse_runs(list(runs)), strength_days, recovery))


def sessions_per_weekday(week: UsualWeek | None) -> tuple[int, ...]:
    """How many sessions the runner's usual week plans on each weekday, Monday first (with the recovery sessions a
    week their clinician prescribed)."""
    if week is None:
        return _per_weekday((), WeekPreferences().strength_days, None)
    return _per_weekday(week.runs, week.strength_days, week.recovery)


def planned_between(per_weekday: tuple[int, ...], first: date, last: date) -> int:
    """Sessions planned from ``first`` to ``last``, both included (none when ``last`` is before ``first``)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * sum(per_weekday) + sum(per_weekday[(first.weekday() + n) % 7] for n in range(rest))


def _average(total: int | None, count: int) -> float | None:
    return None if not count else (total or 0) / count


@dataclass(frozen=True)
class Sharer:
    """A runner who shares with the clinician, as the dashboard reads them: no account object, three columns."""

    id: int
    email: str
    since: date


@dataclass(frozen=True)
class UsualWeek:
    runs: tuple[str, ...] = ()
    strength_days: int = WeekPreferences().strength_days
    recovery: int | None = None  # the recovery sessions a week of a prescription in force


def _sharers(clinician: Clinician, today: date) -> dict[int, Sharer]:
    links = Link.objects.filter(clinician=clinician, status=LinkStatus.SHARING, runner__isnull=False)
    return {
        runner_id: Sharer(runner_id, email, timezone.localdate(accepted_at) if accepted_at else today)
        for runner_id, email, accepted_at in links.values_list("runner_id", "runner__email", "accepted_at")
    }


def _usual_weeks(ids: SharedIds) -> dict[int, UsualWeek]:
    """Each runner's usual week, with the recovery sessions a week of a prescription in force (its clinician's link
    sharing, as app.clinic.prescription.current_prescription reads it)."""
    records = RunnerSettings.objects.filter(owner_id__in=ids).values_list("owner_id", "runs", "strength_days")
    weeks = {owner: UsualWeek(tuple(runs), strength_days) for owner, runs, strength_days in records}
    prescribed = PrescriptionRow.objects.filter(
        runner_id__in=ids,
        current=True,
        clinician__links__runner_id=F("runner_id"),
        clinician__links__status=LinkStatus.SHARING,
    ).values_list("runner_id", "content")
    for runner_id, content in prescribed:
        recovery = content.get("sessions_per_week")
        if isinstance(recovery, int):
            weeks[runner_id] = replace(weeks.get(runner_id, UsualWeek()), recovery=recovery)
    return weeks


def _shared_ids(clinician: Clinician) -> SharedIds:
    """The ids of the runners who share with the clinician, as a subquery: each read below joins on it in the
    database rather than sending the same hundreds of ids as parameters again and again."""
    links = Link.objects.filter(clinician=clinician, status=LinkStatus.SHARING, runner__isnull=False)
    return links.values("runner_id")


def dashboard(clinician: Clinician, today: date) -> Dashboard:
    sharers = _sharers(clinician, today)
    ids = _shared_ids(clinician)
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    split = today - timedelta(days=TREND_DAYS - 1)
    weeks = _usual_weeks(ids)
    window = {
        row["owner_id"]: row
        for row in SessionLog.objects.filter(owner_id__in=ids, planned_for__gte=first, planned_for__lte=today)
        .values("owner_id")
        # Counting the day, not the id, keeps this an index-only scan of (owner, planned_for, context, pain).
        .annotate(
            done=Count("planned_for"),
            recent_n=Count("planned_for", filter=Q(planned_for__gte=split)),
            recent_sum=Sum("pain", filter=Q(planned_for__gte=split)),
            before_n=Count("planned_for", filter=Q(planned_for__lt=split)),
            before_sum=Sum("pain", filter=Q(planned_for__lt=split)),
        )
        .order_by()
    }
    latest = _latest_per_runner(ids)
    _raise_quiet_spells(sharers, latest, weeks, today)
    alerts = open_alerts(ids)
    alert_counts = Counter(alert.runner_id for alert in alerts)
    rows = []
    for runner_id, sharer in sharers.items():
        per_weekday = sessions_per_weekday(weeks.get(runner_id))
        counts = window.get(runner_id, {})
        facts = latest.get(runner_id, Facts())
        rows.append(
            RunnerRow(
                id=runner_id,
                email=sharer.email,
                since=sharer.since,
                planned=planned_between(per_weekday, max(first, sharer.since), today),
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


@dataclass
class Facts:
    referral: str = ""
    last: LastSession | None = None


def _latest_per_runner(ids: SharedIds) -> dict[int, Facts]:
    """Each runner's last session, and whether a referral stands: their latest screen refers, or a warning sign was
    reported after a session since that screen (as training.runner.referral_of judges it).

    One query asks, for each runner, for the id of their last log, the time of their last warning sign and their
    latest screen: each a seek into an index ((owner, finished_at), the partial index of flagged logs, the screens'
    owner), never a scan of a year of logs. A second fetches those last logs by id, a third the referral clearances
    (a few per runner at most)."""
    # By time alone, so that each is a backward walk of its index that stops at the first row (two at one instant:
    # either is the latest).
    logs = SessionLog.objects.filter(owner=OuterRef("pk")).order_by("-finished_at")
    screens = Screen.objects.filter(owner=OuterRef("pk")).order_by("-taken_at")
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .annotate(
            last_id=Subquery(logs.values("id")[:1]),
            flagged_at=Subquery(logs.filter(red_flag=True).values("finished_at")[:1]),
            screen_at=Subquery(screens.values("taken_at")[:1]),
            screen_refer=Subquery(screens.values("refer")[:1]),
            screen_urgent=Subquery(screens.values("urgent")[:1]),
        )
        .values_list("pk", "last_id", "flagged_at", "screen_at", "screen_refer", "screen_urgent")
    )
    cleared: dict[int, list[CoreClearance]] = {}
    for clearance in Clearance.objects.filter(runner_id__in=ids, kind=ClearanceKind.REFERRAL.value):
        cleared.setdefault(clearance.runner_id, []).append(clearance.to_core())
    facts: dict[int, Facts] = {}
    last_ids = {}
    for runner_id, last_id, flagged_at, screen_at, refer, urgent in rows:
        screen = None if screen_at is None else (screen_at, bool(refer), bool(urgent))
        facts[runner_id] = Facts(referral=_referral(flagged_at, screen, cleared.get(runner_id, [])))
        if last_id is not None:
            last_ids[last_id] = runner_id
    lasts = SessionLog.objects.filter(pk__in=list(last_ids)).values_list("pk", "planned_for", "context", "pain")
    for log_id, day, context, pain in lasts:
        facts[last_ids[log_id]].last = LastSession(day, context, pain)
    return facts


def _referral(
    flagged_at: datetime | None, screen: tuple[datetime, bool, bool] | None, cleared: list[CoreClearance]
) -> str:
    """The referral that stands, unless a clinician's clearance given after it covers it (core.clearance)."""

    def covered(at: datetime) -> bool:
        # Most runners have no clearance: no day to work out for them (a time zone conversion per runner).
        return bool(cleared) and covering(cleared, ClearanceKind.REFERRAL, at, timezone.localdate(at)) is not None

    if flagged_at is not None and (screen is None or flagged_at > screen[0]) and not covered(flagged_at):
        return "warning sign"
    if screen is None or covered(screen[0]):
        return ""
    if screen[2]:
        return "urgent"
    return "referred" if screen[1] else ""


def _raise_quiet_spells(
    sharers: dict[int, Sharer], latest: dict[int, Facts], weeks: dict[int, UsualWeek], today: date
) -> None:
    """Raise "nothing logged for 7 days" for the runners it fits and that do not have it yet."""
    known = set(
        Alert.objects.filter(runner_id__in=list(sharers), kind=AlertKind.NOTHING_LOGGED.value)
        .values_list("runner_id", "key")
        .order_by()
    )
    for runner_id, sharer in sharers.items():
        last = latest.get(runner_id, Facts()).last
        last_day = last.day if last else None
        start = spell_start(last_day, sharer.since)
        planned = planned_between(sessions_per_weekday(weeks.get(runner_id)), start + timedelta(days=1), today)
        finding = quiet_finding(last_day, sharer.since, planned, today)
        if finding is not None and (runner_id, finding.key) not in known:
            store(runner_id, [finding])
