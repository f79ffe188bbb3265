"""The product's one clock: every "now" and "today" in hipcoach is read here.

Tests move or freeze this clock with time-machine, which changes the time every caller sees; no module keeps a
helper of its own to patch. "Today" always belongs to a place: the runner's time zone (their settings), or the
server's configured one where no runner is concerned.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Time zone names are IANA's ("Europe/London"); the longest in the database is 32 characters.
MAX_TIME_ZONE_LENGTH = 64


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def today_in(zone: tzinfo) -> date:
    """The calendar date it is now in ``zone``."""
    return now().astimezone(zone).date()


@cache
def time_zone_names() -> frozenset[str]:
    """Every IANA time zone name this machine knows."""
    return frozenset(available_timezones())


def is_time_zone(name: object) -> bool:
    """Whether ``name`` is an IANA time zone name, like ``Australia/Sydney``."""
    return isinstance(name, str) and 0 < len(name) <= MAX_TIME_ZONE_LENGTH and name in time_zone_names()


def zone_named(name: str) -> ZoneInfo:
    """The time zone called ``name``; raises ``ValueError`` for a name that is not an IANA time zone."""
    if not is_time_zone(name):
        raise ValueError(f"{name!r} is not a time zone name like Europe/London")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as missing:  # listed but unreadable: a broken time zone database
        raise ValueError(f"{name!r} is not a time zone this machine can read") from missing
