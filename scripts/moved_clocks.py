"""The instants the date-sensitive tests are run again at (`make test-moved-clock`), one a line: a name, the
server's time zone and the instant. Each is the next one after today, so the run always looks ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def last_sunday_of_march(year: int) -> date:
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def next_dst_change(today: date) -> datetime:
    """01:30 in London on the last Sunday of March, the hour the clocks skip (01:30 GMT is 02:30 BST)."""
    year = today.year if today < last_sunday_of_march(today.year) else today.year + 1
    return datetime.combine(last_sunday_of_march(year), datetime.min.time().replace(hour=1, minute=30), tzinfo=UTC)


def next_leap_day(today: date) -> datetime:
    year = today.year
    while True:
        if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) and date(year, 2, 29) > today:
            return datetime(year, 2, 29, 12, 0, tzinfo=UTC)
        year += 1


def next_new_years_eve(today: date) -> datetime:
    year = today.year if today < date(today.year, 12, 31) else today.year + 1
    return datetime(year, 12, 31, 23, 59, tzinfo=UTC)


def main() -> None:
    today = datetime.now(UTC).date()
    print("dst-change", LONDON.key, next_dst_change(today).isoformat())
    print("leap-day", "UTC", next_leap_day(today).isoformat())
    print("new-years-eve", "UTC", next_new_years_eve(today).isoformat())


if __name__ == "__main__":
    main()
