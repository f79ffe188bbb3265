"""Saved hip screens: the answers as given and the result as scored on the day."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hipcoach.app.clock import now
from hipcoach.core.screen import ScreenAnswers, ScreenResult


class Screen(models.Model):
    """One screen a runner took.

    A screen belongs to an account (``owner``), to one browser session (``session_key``, before sign-up),
    or, with neither, to the runner on this device who uses the terminal.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="screens"
    )
    session_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    taken_at = models.DateTimeField(default=now, db_index=True)
    answers = models.JSONField()
    result = models.JSONField()
    refer = models.BooleanField()
    urgent = models.BooleanField()
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        ordering = ("taken_at", "id")
        indexes = (
            # Each runner's latest screen by one seek (the clinic's dashboard asks it for hundreds of runners).
            models.Index(fields=["owner", "taken_at"], name="screen_owner_taken"),
        )

    def __str__(self) -> str:
        return f"screen {self.pk} on {self.taken_at:%Y-%m-%d}"

    def to_core(self) -> tuple[ScreenAnswers, ScreenResult]:
        return ScreenAnswers.model_validate(self.answers), ScreenResult.model_validate(self.result)

    @classmethod
    def fields_from_core(cls, answers: ScreenAnswers, result: ScreenResult) -> dict[str, object]:
        return {
            "answers": answers.model_dump(mode="json"),
            "result": result.model_dump(mode="json"),
            "refer": result.refer,
            "urgent": result.urgent,
        }
