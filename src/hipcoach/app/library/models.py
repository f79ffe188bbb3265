"""The catalogue in the database, so that plans and logs can refer to drills by id."""

from __future__ import annotations

from django.db import models

from hipcoach.core import catalogue as core


class Drill(models.Model):
    """One drill of the catalogue; ``record`` is the full validated drill as JSON.

    Drills that leave the catalogue are retired rather than deleted, so a runner's logs keep their drill.
    """

    id = models.CharField(primary_key=True, max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)
    level = models.PositiveSmallIntegerField()
    record = models.JSONField()
    retired = models.BooleanField(default=False)
    position_in_catalogue = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position_in_catalogue",)

    def __str__(self) -> str:
        return self.name

    def to_core(self) -> core.Drill:
        return core.Drill.model_validate(self.record)

    @classmethod
    def fields_from_core(cls, drill: core.Drill, position: int) -> dict[str, object]:
        return {
            "name": drill.name,
            "kind": drill.kind.value,
            "level": drill.level,
            "record": drill.model_dump(mode="json"),
            "retired": False,
            "position_in_catalogue": position,
        }
