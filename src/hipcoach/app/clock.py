"""Now and today for the server and the terminal: the core's one clock, read in the time zone in force.

The time zone in force is the runner's own while a request or a terminal command acts for them
(``training.middleware.RunnerTimeZoneMiddleware``, ``timezone.override`` in the feed and the terminal), and the
server's ``TIME_ZONE`` otherwise. Nothing else in the product reads the time.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from hipcoach.core import clock


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return clock.now()


def local_today() -> date:
    """The calendar date it is now where the runner is (the time zone in force)."""
    return clock.today_in(timezone.get_current_timezone())
