"""What the progress page shows, read with a few aggregate queries.

**Planned.** The runner's usual week (``RunnerSettings.runs`` and ``strength_days``) placed by the core's
``plan_week`` rules over an empty catalogue (``sessions.week_skeleton``): the placement never looks at drills,
so this gives the number of sessions of each context a week without composing one. Every past week is measured
against the *current* usual week: hipcoach does not keep the history of the settings.

**Done.** The runner's ``SessionLog`` rows, by the day they were planned for (``planned_for``), as Today
counts them. The database groups them by day and context (one row per day, not per log), so a year of
logs is a few hundred small rows; nothing loads a log's session JSON or its drill entries.

**Streaks.** A week *meets the plan* when the sessions logged in it (Monday to Sunday) are at least the
sessions the usual week plans. The week streak counts the weeks in a row that met the plan, ending with
last week, or with this week once it has met the plan (a week still under way does not break it). The
day streak counts the days in a row with at least one session, ending today, or yesterday while today
has none yet.

**Measures.** Each screen measure per side over time, with the smallest real change of that measure
(REFERENCE.md section 2) as a band around the first value; the verdict of the change from the first to
the latest value comes from the core's ``compare_measures``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Sum, Value, When, Window
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.prescription import current_prescription
from hipcoach.app.clock import local_today
from hipcoach.app.screens.screens import ScreenOwner, screens_of
from hipcoach.app.training.labels import CONTEXT_LABELS
from hipcoach.app.training.models import ProgressionEvent, RunnerSettings, SessionLog
from hipcoach.app.training.sessions import week_skeleton
from hipcoach.core.planner import Context
from hipcoach.core.progression import Action
from hipcoach.core.screen import MEASURES, REAL, MeasureChange, ScreenAnswers, compare_measures
from hipcoach.core.week import WeekPreferences, parse_runs

# Weeks in the adherence table and chart, weeks in the pain chart, and how far back streaks look.
ADHERENCE_WEEKS = 12
PAIN_WEEKS = 26
HISTORY_DAYS = 3 * 366
EVENTS_SHOWN = 12
# Weeks of pain the page lists as a table beside the chart (the chart shows PAIN_WEEKS).
PAIN_TABLE_WEEKS = 8
# A chart needs two points to show a change: with one, the page says it in a sentence instead.
CHART_MIN_POINTS = 2
# The calendar goes back to January of this year at most: no runner logged a session before it.
EARLIEST_YEAR = 1900

CONTEXT_ORDER = tuple(Context)
ACTION_LABELS = {
    Action.KEEP: "kept",
    Action.RAISE_DOSE: "dose raised",
    Action.PROGRESS: "progressed to a harder drill",
    Action.STEP_BACK_DOSE: "dose stepped back",
    Action.STEP_BACK_DRILL: "stepped back to an easier drill",
    Action.STOP: "stopped",
}
FORWARD_ACTIONS = frozenset({Action.RAISE_DOSE, Action.PROGRESS})
BACKWARD_ACTIONS = frozenset({Action.STEP_BACK_DOSE, Action.STEP_BACK_DRILL, Action.STOP})
VERDICT_WORDS = {REAL: "real change"}
TITLES = {measure.path: measure.test.description for measure in MEASURES}
UNITS = {measure.path: measure.unit for measure in MEASURES}


# --------------------------------------------------------------------------------------------------
# Planned: the usual week's sessions per context
# --------------------------------------------------------------------------------------------------


def planned_per_week(record: RunnerSettings | None, recovery: int | None = None) -> dict[Context, int]:
    """Sessions of each context the runner's usual week plans (the default week without settings), with the
    recovery sessions a week their clinician prescribed (``recovery``) in place of the article's three."""
    runs = parse_runs(record.runs) if record is not None else []
    strength_days = record.strength_days if record is not None else WeekPreferences().strength_days
    counts = Counter(slot.context for day in week_skeleton(runs, strength_days, recovery) for slot in day)
    return {context: counts[context] for context in CONTEXT_ORDER if counts[context]}


# --------------------------------------------------------------------------------------------------
# Done: logs grouped by day and context in the database
# --------------------------------------------------------------------------------------------------


@dataclass
class DayTotals:
    """The sessions logged for one day."""

    day: date
    sessions: int = 0
    by_context: dict[str, int] = field(default_factory=dict)
    pain_sum: int = 0
    pain_max: int = 0


def daily_totals(user: Runner, since: date, until: date) -> dict[date, DayTotals]:
    """Per day from ``since`` to ``until`` (inclusive): sessions by context and their pain."""
    rows = (
        SessionLog.objects.filter(owner=user, planned_for__gte=since, planned_for__lte=until)
        .values("planned_for", "context")
        .annotate(sessions=Count("id"), pain_sum=Sum("pain"), pain_max=Max("pain"))
        .order_by()
        .values_list("planned_for", "context", "sessions", "pain_sum", "pain_max")
    )
    days: dict[date, DayTotals] = {}
    for day, context, sessions, pain_sum, pain_max in rows:
        totals = days.get(day)
        if totals is None:
            totals = days[day] = DayTotals(day)
        totals.sessions += sessions
        totals.by_context[context] = totals.by_context.get(context, 0) + sessions
        totals.pain_sum += pain_sum or 0
        totals.pain_max = max(totals.pain_max, pain_max or 0)
    return days


def day_label(day: date) -> str:
    """23 Nov 2026 (formatted here rather than by the template's date filter: the page has hundreds)."""
    return f"{day.day} {day:%b %Y}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekAdherence:
    """One week (Monday to Sunday): sessions done against planned, per context and in all."""

    start: date
    planned: int
    done: int
    planned_by_context: dict[Context, int]
    done_by_context: dict[Context, int]
    current: bool

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def iso(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return day_label(self.start)

    @property
    def met(self) -> bool:
        return self.planned > 0 and self.done >= self.planned

    @property
    def percent(self) -> int:
        """Sessions done as a share of those planned, capped at 100 (extra sessions do not make up a gap)."""
        if self.planned == 0:
            return 100
        return round(100 * min(self.done, self.planned) / self.planned)

    def rows(self) -> list[tuple[str, int, int]]:
        """(label, done, planned) per context that was planned or done."""
        contexts = [c for c in CONTEXT_ORDER if self.planned_by_context.get(c) or self.done_by_context.get(c)]
        return [
            (CONTEXT_LABELS[c], self.done_by_context.get(c, 0), self.planned_by_context.get(c, 0)) for c in contexts
        ]


def weeks_between(
    first: date, last: date, days: dict[date, DayTotals], planned: dict[Context, int], today: date
) -> list[WeekAdherence]:
    """Every week from the one holding ``first`` to the one holding ``last``, oldest first."""
    start = monday_of(first)
    done: dict[date, dict[str, int]] = {}
    for day, totals in days.items():
        if start <= day <= last:
            week = done.setdefault(monday_of(day), {})
            for context, sessions in totals.by_context.items():
                week[context] = week.get(context, 0) + sessions
    total_planned = sum(planned.values())
    weeks = []
    while start <= last:
        by_context = done.get(start, {})
        weeks.append(
            WeekAdherence(
                start=start,
                planned=total_planned,
                done=sum(by_context.values()),
                planned_by_context=planned,
                done_by_context={Context(c): n for c, n in by_context.items()},
                current=start <= today <= start + timedelta(days=6),
            )
        )
        start += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Streaks:
    weeks: int
    best_weeks: int
    days: int
    this_week_met: bool


def streaks(weeks: Sequence[WeekAdherence], days: dict[date, DayTotals], today: date) -> Streaks:
    """The streaks defined in the module docstring; ``weeks`` oldest first, ending with this week."""
    this_week_met = bool(weeks) and weeks[-1].current and weeks[-1].met
    counting = list(weeks)
    if counting and counting[-1].current and not counting[-1].met:
        counting.pop()  # a week under way does not break the streak
    current = 0
    for week in reversed(counting):
        if not week.met:
            break
        current += 1
    best = run = 0
    for week in counting:
        run = run + 1 if week.met else 0
        best = max(best, run)
    day = today if today in days else today - timedelta(days=1)
    in_a_row = 0
    while day in days:
        in_a_row += 1
        day -= timedelta(days=1)
    return Streaks(weeks=current, best_weeks=best, days=in_a_row, this_week_met=this_week_met)


# --------------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    sessions: int
    contexts: list[str]
    today: bool

    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def number(self) -> str:
        return str(self.day.day)

    @property
    def css(self) -> str:
        names = ["day"]
        if not self.in_month:
            names.append("outside")
        if self.sessions:
            names.append("active")
        if self.today:
            names.append("today")
        return " ".join(names)

    @property
    def title(self) -> str:
        when = f"{self.day:%A} {self.day.day} {self.day:%B}"
        if not self.sessions:
            return f"{when}: no session"
        words = ", ".join(CONTEXT_LABELS[Context(c)].lower() for c in self.contexts)
        return f"{when}: {self.sessions} session{'s' if self.sessions != 1 else ''} ({words})"

    @property
    def html(self) -> SafeString:
        """The day's cell, built here as a month has 42 of them (the template engine is slow at that). Every
        part is made by this class from dates, numbers and context words; the title is escaped all the same."""
        if not self.in_month:
            return mark_safe(
                f'<span role="gridcell" class="{self.css}"><span class="day-number">{self.number}</span></span>'
            )
        title = escape(self.title)
        dots = "".join(f'<i class="dot {escape(c)}"></i>' for c in self.contexts)
        dots = f'<span class="dots" aria-hidden="true">{dots}</span>' if self.sessions else ""
        return mark_safe(
            f'<span role="gridcell" class="{self.css}" data-day="{self.iso}" data-sessions="{self.sessions}" '
            f'title="{title}" aria-label="{title}"><span class="day-number">{self.number}</span>{dots}</span>'
        )


@dataclass(frozen=True)
class CalendarMonth:
    first: date
    weeks: list[list[CalendarDay]]
    previous: date | None
    next: date | None
    sessions: int
    active_days: int


def parse_month(value: str | None, today: date) -> tuple[date, str]:
    """The first day of the month asked for as ``YYYY-MM``; this month and a message when it is not one."""
    this_month = today.replace(day=1)
    if not value:
        return this_month, ""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        return (
            this_month,
            f"month: {value!r} is not a month written YYYY-MM, e.g. {this_month:%Y-%m}; showing this month.",
        )
    if first > this_month:
        return this_month, f"month: {value} is in the future; showing this month."
    if first.year < EARLIEST_YEAR:
        return this_month, f"month: {value} is before {EARLIEST_YEAR}; showing this month."
    return first, ""


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def calendar_month(first: date, days: dict[date, DayTotals], today: date, earliest: date | None) -> CalendarMonth:
    """The month as weeks of seven days (Monday first), each day with the sessions logged for it."""
    last = next_month(first) - timedelta(days=1)
    start = monday_of(first)
    weeks = []
    while start <= last:
        week = []
        for offset in range(7):
            day = start + timedelta(days=offset)
            totals = days.get(day)
            contexts = [c.value for c in CONTEXT_ORDER if totals and totals.by_context.get(c.value)]
            week.append(
                CalendarDay(
                    day=day,
                    in_month=day.month == first.month,
                    sessions=totals.sessions if totals and day.month == first.month else 0,
                    contexts=contexts if day.month == first.month else [],
                    today=day == today,
                )
            )
        weeks.append(week)
        start += timedelta(days=7)
    in_month = [days[d] for d in days if first <= d <= last]
    previous = (first - timedelta(days=1)).replace(day=1)
    return CalendarMonth(
        first=first,
        weeks=weeks,
        previous=(
            previous
            if earliest is not None and previous >= earliest.replace(day=1) and previous.year >= EARLIEST_YEAR
            else None
        ),
        next=next_month(first) if next_month(first) <= today.replace(day=1) else None,
        sessions=sum(t.sessions for t in in_month),
        active_days=sum(1 for t in in_month if t.sessions),
    )


# --------------------------------------------------------------------------------------------------
# Pain
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekPain:
    start: date
    sessions: int
    average: float | None
    highest: int | None

    @property
    def iso(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return day_label(self.start)


def weekly_pain(weeks: Iterable[date], days: dict[date, DayTotals]) -> list[WeekPain]:
    """Session pain (0-10) per week: the average and the highest; None for a week without sessions."""
    result = []
    for start in weeks:
        totals = [days[d] for d in (start + timedelta(days=i) for i in range(7)) if d in days]
        sessions = sum(t.sessions for t in totals)
        if not sessions:
            result.append(WeekPain(start, 0, None, None))
            continue
        average = round(sum(t.pain_sum for t in totals) / sessions, 1)
        result.append(WeekPain(start, sessions, average, max(t.pain_max for t in totals)))
    return result


# --------------------------------------------------------------------------------------------------
# Screen measures over time
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePoint:
    taken_at: datetime
    value: float


@dataclass(frozen=True)
class MeasureSeries:
    """One measure on one side (or both) over time, and the verdict on its change since the first screen."""

    measure: str
    side: str
    title: str
    unit: str
    points: list[MeasurePoint]
    overall: MeasureChange | None  # first to latest; None with a single screen
    smallest_real_change: float | None

    @property
    def first(self) -> float:
        return self.points[0].value

    @property
    def latest(self) -> float:
        return self.points[-1].value

    @property
    def band(self) -> tuple[float, float] | None:
        """The values within measurement error of the first one."""
        if self.smallest_real_change is None:
            return None
        return (round(self.first - self.smallest_real_change, 2), round(self.first + self.smallest_real_change, 2))

    @property
    def side_name(self) -> str:
        return self.side or "both"

    @property
    def values_text(self) -> str:
        """24 → 36 deg (+12), or the one value so far."""
        unit = f" {self.unit}" if self.unit else ""
        if self.overall is None:
            return f"{self.first:g}{unit}"
        change = f"{self.overall.change:+g}" if self.overall.change else "no change"
        return f"{self.first:g} → {self.latest:g}{unit} ({change})"

    @property
    def band_text(self) -> str:
        band = self.band
        return "none known" if band is None else f"{band[0]:g}–{band[1]:g}"

    @property
    def real(self) -> bool:
        return bool(self.overall and self.overall.real)

    @property
    def verdict(self) -> str:
        if self.overall is None:
            return "one screen so far" if self.smallest_real_change is not None else "no known measurement error"
        return VERDICT_WORDS.get(self.overall.verdict, self.overall.verdict)


def measure_series(user: Runner) -> list[MeasureSeries]:
    """Each measure per side over the runner's screens, in the order of the screen's tests.

    The core's ``compare_measures`` of a screen with itself lists the measures it holds (with their smallest
    real change); of the first and the latest screen that measured a value, the verdict on its change.
    """
    rows = screens_of(ScreenOwner(user=user)).order_by("taken_at", "id").values_list("taken_at", "answers")
    screens = [(taken_at, ScreenAnswers.model_validate(raw)) for taken_at, raw in rows]
    points: dict[tuple[str, str], list[MeasurePoint]] = {}
    first_and_last: dict[tuple[str, str], tuple[int, int]] = {}
    smallest: dict[tuple[str, str], float | None] = {}
    for index, (taken_at, answers) in enumerate(screens):
        for own in compare_measures(answers, answers):
            key = _key(own)
            smallest[key] = own.smallest_real_change
            points.setdefault(key, []).append(MeasurePoint(taken_at, own.later))
            first_and_last[key] = (first_and_last.get(key, (index, index))[0], index)
    comparisons: dict[tuple[int, int], dict[tuple[str, str], MeasureChange]] = {}
    order = {measure.path: index for index, measure in enumerate(MEASURES)}
    series = []
    for key in sorted(points, key=lambda k: (order.get(k[0], len(order)), k[1])):
        first, last = first_and_last[key]
        overall = None
        if first != last:
            if (first, last) not in comparisons:
                changes = compare_measures(screens[first][1], screens[last][1])
                comparisons[(first, last)] = {_key(change): change for change in changes}
            overall = comparisons[(first, last)].get(key)
        series.append(
            MeasureSeries(
                measure=key[0],
                side=key[1],
                title=TITLES.get(key[0], key[0]),
                unit=UNITS.get(key[0], ""),
                points=points[key],
                overall=overall,
                smallest_real_change=smallest[key],
            )
        )
    return series


def _key(change: MeasureChange) -> tuple[str, str]:
    return (change.measure, change.side.value if change.side else "")


# --------------------------------------------------------------------------------------------------
# Progression events
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    at: datetime
    drill: str
    action: str
    label: str
    reason: str
    forward: bool
    backward: bool
    before: str
    after: str

    @property
    def iso(self) -> str:
        return self.at.isoformat()

    @property
    def when(self) -> str:
        return day_label(timezone.localtime(self.at).date())


def _dose_words(state: Any) -> str:
    if not isinstance(state, dict) or "amount" not in state:
        return ""
    return f"{state.get('drill_id', '')} {state.get('sets', '?')} x {state.get('amount', '?')}".strip()


def _share(actions: frozenset[Action]) -> Window:
    """How many of all the runner's events have one of ``actions``: the same number on every row returned."""
    one_if = Case(When(action__in=[a.value for a in actions], then=Value(1)), default=Value(0))
    return Window(Sum(one_if, output_field=IntegerField()))


def progression_events(user: Runner, limit: int = EVENTS_SHOWN) -> tuple[list[EventRow], dict[str, int]]:
    """The latest changes of drill or dose with their reasons, and how many there were forward and back in all.

    One query: the totals are window aggregates over all the runner's events, computed before the limit.
    """
    rows = list(
        ProgressionEvent.objects.filter(owner=user)
        .annotate(forward_total=_share(FORWARD_ACTIONS), backward_total=_share(BACKWARD_ACTIONS))
        .order_by("-at", "-id")
        .values("at", "action", "reason", "before", "after", "drill__name", "forward_total", "backward_total")[:limit]
    )
    events = []
    for row in rows:
        action = Action(row["action"])
        events.append(
            EventRow(
                at=row["at"],
                drill=row["drill__name"],
                action=action.value,
                label=ACTION_LABELS[action],
                reason=row["reason"],
                forward=action in FORWARD_ACTIONS,
                backward=action in BACKWARD_ACTIONS,
                before=_dose_words(row["before"]),
                after=_dose_words(row["after"]),
            )
        )
    forward = rows[0]["forward_total"] if rows else 0
    backward = rows[0]["backward_total"] if rows else 0
    return events, {"forward": forward, "backward": backward}


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureGroup:
    measure: str
    title: str
    series: list[MeasureSeries]

    @property
    def charted(self) -> bool:
        """Whether the measure has been taken on two dates or more: one screen gives a point, not a line."""
        dates = {timezone.localtime(point.taken_at).date() for one in self.series for point in one.points}
        return len(dates) >= CHART_MIN_POINTS


@dataclass(frozen=True)
class Progress:
    today: date
    planned: dict[Context, int]
    planned_total: int
    week_set: bool
    weeks: list[WeekAdherence]  # the last ADHERENCE_WEEKS, oldest first
    streaks: Streaks
    calendar: CalendarMonth
    month_message: str
    pain: list[WeekPain]
    measures: list[MeasureSeries]
    events: list[EventRow]
    event_counts: dict[str, int]

    @property
    def adherence_charted(self) -> bool:
        return len(self.weeks) >= CHART_MIN_POINTS

    @property
    def pain_weeks(self) -> list[WeekPain]:
        """The weeks of the pain chart that have sessions: the chart's points."""
        return [week for week in self.pain if week.sessions]

    @property
    def pain_charted(self) -> bool:
        return len(self.pain_weeks) >= CHART_MIN_POINTS

    @cached_property
    def any_measure_charted(self) -> bool:
        """Read four times by the page: worked out once."""
        return any(group.charted for group in self.measure_groups)

    @property
    def any_chart(self) -> bool:
        """Whether the page draws a chart at all: if not, it loads no charting script."""
        return self.adherence_charted or self.pain_charted or self.any_measure_charted

    def pain_rows(self) -> list[WeekPain]:
        """The latest weeks with sessions, newest first, for the table beside the pain chart."""
        return [week for week in reversed(self.pain[-PAIN_TABLE_WEEKS:]) if week.sessions]

    def planned_rows(self) -> list[tuple[str, int]]:
        return [(CONTEXT_LABELS[c], n) for c, n in self.planned.items()]

    def legend(self) -> list[tuple[str, str]]:
        """(css class, words) of every context, for the calendar's dots."""
        return [(c.value, CONTEXT_LABELS[c].lower()) for c in CONTEXT_ORDER]

    @cached_property
    def measure_groups(self) -> list[MeasureGroup]:
        """The measures' series grouped by measure (one group a chart), built once for the page."""
        groups: dict[str, MeasureGroup] = {}
        for series in self.measures:
            groups.setdefault(series.measure, MeasureGroup(series.measure, series.title, [])).series.append(series)
        return list(groups.values())

    def chart_data(self) -> dict[str, Any]:
        """What progress.js draws; the same numbers the page's tables show."""
        return {
            "adherence": {
                "labels": [f"{w.start:%d %b}" for w in self.weeks],
                "done": [w.done for w in self.weeks],
                "planned": [w.planned for w in self.weeks],
            },
            "pain": {
                "labels": [f"{w.start:%d %b}" for w in self.pain],
                "average": [w.average for w in self.pain],
                "highest": [w.highest for w in self.pain],
                # REFERENCE.md section 5: 0-2 safe, 3-5 acceptable, above 5 stop.
                "safe": 2,
                "stop": 5,
            },
            "measures": measure_charts(self.measures),
        }


def measure_charts(series: Sequence[MeasureSeries]) -> list[dict[str, Any]]:
    """One chart per measure: a line per side over the dates of its screens, each with its band."""
    charts: dict[str, dict[str, Any]] = {}
    for one in series:
        chart = charts.setdefault(
            one.measure,
            {"measure": one.measure, "title": one.title, "unit": one.unit, "labels": [], "sides": []},
        )
        dates = [timezone.localtime(p.taken_at).date().isoformat() for p in one.points]
        chart["sides"].append(
            {
                "side": one.side or "both",
                "points": dict(zip(dates, (p.value for p in one.points), strict=True)),
                "band": list(one.band) if one.band else None,
                "smallest_real_change": one.smallest_real_change,
                "verdict": one.verdict,
            }
        )
    for chart in charts.values():
        chart["labels"] = sorted({d for side in chart["sides"] for d in side["points"]})
        for side in chart["sides"]:
            points = side.pop("points")
            side["values"] = [points.get(d) for d in chart["labels"]]
    return list(charts.values())


def progress_of(user: Runner, month: str | None = None, today: date | None = None) -> Progress:
    """Everything the progress page shows for ``user``: five small queries whatever the size of the log (six for
    a calendar month more than three years back)."""
    today = today or local_today()
    record = RunnerSettings.objects.filter(owner=user).only("runs", "strength_days").first()
    prescription = current_prescription(user)
    planned = planned_per_week(record, None if prescription is None else prescription.sessions_per_week)
    since = today - timedelta(days=HISTORY_DAYS)
    days = daily_totals(user, since, today)
    first_logged = min(days) if days else None
    joined_at = getattr(user, "date_joined", None)
    # A sign-up dated after today (a clock moved back, an account made in a time zone ahead) still shows today.
    joined = min(timezone.localdate(joined_at), today) if joined_at is not None else today
    earliest = min(first_logged, joined) if first_logged else joined

    all_weeks = weeks_between(max(earliest, since), today, days, planned, today)
    first_month, month_message = parse_month(month, today)
    if monday_of(first_month) < since:
        month_days = daily_totals(user, monday_of(first_month), next_month(first_month))
    else:
        month_days = days
    pain_starts = [monday_of(today) - timedelta(weeks=n) for n in range(PAIN_WEEKS - 1, -1, -1)]
    events, counts = progression_events(user)
    return Progress(
        today=today,
        planned=planned,
        planned_total=sum(planned.values()),
        week_set=bool(record and record.runs),
        weeks=all_weeks[-ADHERENCE_WEEKS:],
        streaks=streaks(all_weeks, days, today),
        calendar=calendar_month(first_month, month_days, today, earliest),
        month_message=month_message,
        pain=weekly_pain(pain_starts, days),
        measures=measure_series(user),
        events=events,
        event_counts=counts,
    )
