"""A runner's training: their usual week and preferences, the sessions they did, and each drill's progression.

Each model maps to and from the core's types in one place (``to_core`` / ``from_core``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hipcoach.app.clock import local_today, now
from hipcoach.app.library.models import Drill
from hipcoach.core.clock import MAX_TIME_ZONE_LENGTH
from hipcoach.core.planner import Context
from hipcoach.core.progression import Action, DoseState, DrillLog, Rating
from hipcoach.core.settings_schema import (
    LEVEL,
    POST_RUN_MINUTES,
    PRE_RUN_MINUTES,
    REMINDER_MINUTES,
    REST_DAY_MINUTES,
    STRENGTH_DAYS,
    STRENGTH_MINUTES,
    WEEK_SETTINGS,
    NumberSetting,
)
from hipcoach.core.vocabulary import Side
from hipcoach.core.week import Run, WeekPreferences, parse_runs


class DrillReported(Protocol):
    """How one drill of a session went, as a log reports it: what :meth:`DrillEntry.reported` stores."""

    @property
    def amount(self) -> int: ...
    @property
    def sets(self) -> int: ...
    @property
    def sides_done(self) -> Sequence[Side]: ...
    @property
    def rating(self) -> Rating: ...
    @property
    def pain(self) -> int: ...


CONTEXT_CHOICES = [(context.value, context.value) for context in Context]


def week_preferences(source: Any) -> WeekPreferences:
    """The core's preferences from the fields a saved or a checked set of settings both carry: the equipment and
    the week's numbers (the settings' table's WEEK_SETTINGS)."""
    return WeekPreferences(
        equipment=source.equipment, **{setting.name: getattr(source, setting.name) for setting in WEEK_SETTINGS}
    )


def setting_column(setting: NumberSetting) -> models.Field[Any, Any]:
    """A number setting's column: its default, and its bounds as the validators, from the settings' table."""
    bounds = [MinValueValidator(setting.low), MaxValueValidator(setting.high)]
    if setting.whole:
        return models.PositiveSmallIntegerField(default=setting.default, validators=bounds)
    return models.FloatField(default=setting.default, validators=bounds)


class RunnerSettings(models.Model):
    """The runner's usual week of runs and how they like to train."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="runner_settings")
    runs = models.JSONField(default=list, help_text='The usual week, e.g. ["mon:easy:40", "sat:long:100"].')
    # A new runner has only their body weight until they say what they own (onboarding asks): a first session on a
    # foam roller they do not have would not be a session.
    equipment = models.JSONField(
        null=True, blank=True, default=list, help_text="Equipment at hand; [] body weight; null all."
    )
    # The numbers: each column's default and bounds from the settings' table (hipcoach.core.settings_schema).
    pre_run_minutes = setting_column(PRE_RUN_MINUTES)
    post_run_minutes = setting_column(POST_RUN_MINUTES)
    strength_minutes = setting_column(STRENGTH_MINUTES)
    rest_day_minutes = setting_column(REST_DAY_MINUTES)
    strength_days = setting_column(STRENGTH_DAYS)
    level = setting_column(LEVEL)
    # REFERENCE.md section 4: holds of 30-60 s from 65; the screen's age decides when there is one.
    older_adult = models.BooleanField(default=False, help_text="65 or over: longer holds after a run.")
    calendar_secret = models.CharField(max_length=64, null=True, blank=True, unique=True)
    reminder_minutes = setting_column(REMINDER_MINUTES)
    # The runner's "today" (Today, the player's day, the morning check, progress weeks, the calendar) is kept in
    # this IANA time zone; empty means the server's TIME_ZONE.
    time_zone = models.CharField(max_length=MAX_TIME_ZONE_LENGTH, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"settings of {self.owner}"

    def week_runs(self) -> list[Run]:
        return parse_runs(self.runs)

    def to_core(self) -> WeekPreferences:
        return week_preferences(self)


class SessionLog(models.Model):
    """A session the runner did (or part of one), saved once however often the client retries."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_logs")
    client_key = models.CharField(max_length=64, help_text="Made by the client; a retried save stores one log.")
    context = models.CharField(max_length=20, choices=CONTEXT_CHOICES)
    planned_for = models.DateField(default=local_today, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(default=now, db_index=True)
    seconds_done = models.PositiveIntegerField(default=0)
    session = models.JSONField(help_text="The session as it was played: items and timeline.")
    pain = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(10)])
    notes = models.TextField(blank=True, default="")
    source = models.CharField(max_length=20, default="web", help_text="web or terminal")
    # REFERENCE.md section 6: a new warning sign reported after a session stops the plan until a new screen.
    red_flag = models.BooleanField(default=False, help_text="A new warning sign was reported after this session.")

    class Meta:
        ordering = ("-finished_at", "-id")
        constraints = (models.UniqueConstraint(fields=["owner", "client_key"], name="one_log_per_client_key"),)
        indexes = (
            models.Index(fields=["owner", "finished_at"]),
            # Today: what the runner logged for its days (training/runner.py done_between).
            models.Index(fields=["owner", "planned_for"], name="sessionlog_owner_day"),
            # Progress page: sessions and pain per day and context from the index alone (training/progress.py),
            # never reading a log's row with its session JSON.
            models.Index(fields=["owner", "planned_for", "context", "pain"], name="sessionlog_day_totals"),
            # The clinic's dashboard: each runner's last warning sign, from the few flagged logs alone.
            models.Index(
                fields=["owner", "finished_at"], condition=models.Q(red_flag=True), name="sessionlog_warning_signs"
            ),
        )

    def __str__(self) -> str:
        return f"{self.context} on {self.planned_for}"


class DrillEntry(models.Model):
    """How one drill of a logged session went."""

    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="drills")
    order = models.PositiveSmallIntegerField()
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField(help_text="The amount prescribed per set and side.")
    sets = models.PositiveSmallIntegerField()
    sides_done = models.JSONField(default=list)
    rating = models.CharField(max_length=8, choices=[(r.value, r.value) for r in Rating])
    pain = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        ordering = ("log", "order")

    def __str__(self) -> str:
        return f"{self.drill_id} in {self.log}"

    @classmethod
    def reported(cls, log_id: int, order: int, drill_id: str, report: DrillReported) -> DrillEntry:
        """The entry for a drill as a log reports it (the log API's and the import's reports alike)."""
        return cls(
            log_id=log_id,
            order=order,
            drill_id=drill_id,
            amount=report.amount,
            sets=report.sets,
            sides_done=[side.value for side in report.sides_done],
            rating=report.rating.value,
            pain=report.pain,
        )

    def to_core(self, next_morning_worse: bool = False) -> DrillLog:
        return DrillLog(
            drill_id=self.drill_id,
            amount=self.amount,
            sets=self.sets,
            sides_done=self.sides_done,
            rating=Rating(self.rating),
            pain=self.pain,
            next_morning_worse=next_morning_worse,
        )


class MorningCheck(models.Model):
    """The next morning's answer: is pain or stiffness worse after the session? (REFERENCE.md section 5)."""

    log = models.OneToOneField(SessionLog, on_delete=models.CASCADE, related_name="morning_check")
    worse = models.BooleanField()
    answered_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"morning after {self.log}: {'worse' if self.worse else 'not worse'}"


class ProgressionState(models.Model):
    """Where the runner stands with one drill's chain: its current drill and dose, flagged or not."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progression")
    chain_start = models.CharField(max_length=64, help_text="The first drill of the chain, which names it.")
    state = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["owner", "chain_start"], name="one_state_per_chain"),)

    def __str__(self) -> str:
        return f"{self.chain_start} for {self.owner}"

    def to_core(self) -> DoseState:
        return DoseState.model_validate(self.state)

    @staticmethod
    def state_from_core(state: DoseState) -> dict[str, Any]:
        return state.model_dump(mode="json")


class ProgressionEvent(models.Model):
    """A change of dose or drill (or a stop), with its reason, for the progress page."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progression_events")
    log = models.ForeignKey(SessionLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=now)
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=[(a.value, a.value) for a in Action])
    reason = models.TextField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.action} {self.drill_id}"
