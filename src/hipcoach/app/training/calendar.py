"""The runner's calendar: the next four weeks of planned sessions as iCalendar (RFC 5545), and the private
address that serves them.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.crypto import salted_hmac
from icalendar import Alarm, Calendar, Event

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.prescription import current_prescription
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.training.models import RunnerSettings
from hipcoach.app.training.runner import dose_states_of, recent_history_of, referral_of, runner_profile
from hipcoach.app.training.runner_settings import settings_of, zone_of
from hipcoach.app.training.sessions import weekday_of
from hipcoach.app.training.week_strip import play_url
from hipcoach.core import clock
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import (
    Context,
)
from hipcoach.core.week import (
    Run,
    plan_week,
)


def new_calendar_secret(user: Runner) -> str:
    """A new private feed address; the old one stops working at once."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        RunnerSettings.objects.get_or_create(owner=user)
        RunnerSettings.objects.filter(owner=user).update(calendar_secret=secret, updated_at=clock.now())
    return secret


def revoke_calendar_secret(user: Runner) -> None:
    RunnerSettings.objects.filter(owner=user).update(calendar_secret=None, updated_at=clock.now())


def settings_for_feed(secret: str) -> RunnerSettings | None:
    if not secret:
        return None
    # A deactivated account's feed serves nothing, as its API tokens and logins do not.
    return RunnerSettings.objects.select_related("owner").filter(calendar_secret=secret, owner__is_active=True).first()


CALENDAR_DAYS = 28
# Simple defaults, documented in the README: the day's first run at 07:00 and its second at 17:30
# (a third or later starts an hour after the one before ends); pre-run ends as the run starts and
# post-run starts as it ends; strength and rest-day sessions from 18:30, one after the other.
RUN_STARTS = (time(7, 0), time(17, 30))
GAP_BETWEEN_LATER_RUNS = timedelta(hours=1)
EVENING_START = time(18, 30)
PRODID = "-//hipcoach//training calendar//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    url: str


def _uid_key(user: Runner) -> str:
    # Stable for the runner, revealing nothing: not their id nor their feed secret.
    return salted_hmac("hipcoach.calendar.uid", str(user.pk)).hexdigest()[:20]


def _minutes_words(minutes: float) -> str:
    return f"{minutes:g} min"


def _run_times(day: date, runs: Sequence[Run], zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    times: list[tuple[datetime, datetime]] = []
    for index, run in enumerate(runs):
        if index < len(RUN_STARTS):
            start = datetime.combine(day, RUN_STARTS[index], tzinfo=zone)
        else:
            start = times[-1][1] + GAP_BETWEEN_LATER_RUNS
        times.append((start, start + timedelta(minutes=run.minutes)))
    return times


def calendar_entries(user: Runner, start: date, base_url: str, days: int = CALENDAR_DAYS) -> list[CalendarEntry]:
    """The planned sessions of ``days`` days from ``start``, from the usual week: none for a referral, and none
    for a runner who never answered the safety questions (the feed then holds no session, as for a referral)."""
    record = settings_of(user)
    try:
        choice = runner_profile(user, record)
    except SafetyQuestionsUnansweredError:
        return []
    runs = record.week_runs()
    if referral_of(user, choice.profile) is not None:
        return []
    week = plan_week(
        choice.profile,
        runs,
        record.to_core(),
        catalogue=default_catalogue(),
        recent_history=recent_history_of(user),
        dose_states=dose_states_of(user),
        prescription=current_prescription(user),
    )
    zone = zone_of(record)
    key = _uid_key(user)
    entries = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        plan = week.day(weekday_of(day))
        run_times = _run_times(day, plan.runs, zone)
        evening = datetime.combine(day, EVENING_START, tzinfo=zone)
        for number, planned in enumerate(plan.sessions):
            # The event lasts the minutes set aside (the session fits within them), in whole minutes.
            length = timedelta(minutes=math.ceil(planned.minutes))
            if planned.run is not None and planned.context is Context.PRE_RUN:
                end = run_times[planned.run][0]
                begin = end - length
            elif planned.run is not None:
                begin = run_times[planned.run][1]
                end = begin + length
            else:
                begin, end = evening, evening + length
                evening = end
            url = base_url.rstrip("/") + play_url(day, planned.context)
            drills = [f"- {item.name}: {item.dose}" for item in planned.session.items]
            lines = [planned.reason, "", *drills, "", f"Start: {url}"]
            entries.append(
                CalendarEntry(
                    uid=f"{day:%Y%m%d}-{planned.context.value}-{number}-{key}@hipcoach",
                    start=begin,
                    end=end,
                    summary=f"hipcoach: {planned.context.value} {_minutes_words(planned.minutes)}",
                    description="\n".join(lines),
                    url=url,
                )
            )
    return entries


def calendar_ics(user: Runner, base_url: str, start: date | None = None) -> bytes:
    """The next four weeks as an iCalendar file, each event with a reminder ``reminder_minutes`` before."""
    record = settings_of(user)
    zone = zone_of(record)
    start = start or clock.today_in(zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "hipcoach")
    calendar.add("x-wr-timezone", zone.key)
    # Ask subscribing apps to refresh twice a day (Apple reads the first, Outlook the second).
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = clock.now().replace(microsecond=0)
    for entry in calendar_entries(user, start, base_url):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("url", entry.url)
        event.add("transp", "OPAQUE")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", -timedelta(minutes=record.reminder_minutes))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
