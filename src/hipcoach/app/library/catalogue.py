"""The catalogue as the web app sees it: the database copy, kept in step with the shipped catalogue."""

from __future__ import annotations

from django.db import transaction

from hipcoach.app.library.models import Drill
from hipcoach.core.catalogue import Catalogue, default_catalogue


@transaction.atomic
def sync_catalogue(catalogue: Catalogue | None = None) -> int:
    """Write every drill of the catalogue to the database and retire the ones it no longer holds."""
    catalogue = catalogue or default_catalogue()
    for position, drill in enumerate(catalogue):
        Drill.objects.update_or_create(id=drill.id, defaults=Drill.fields_from_core(drill, position))
    Drill.objects.exclude(id__in=[drill.id for drill in catalogue]).update(retired=True)
    return len(catalogue)


def library_catalogue() -> Catalogue:
    """The drills a runner can use now, in catalogue order."""
    return Catalogue(row.to_core() for row in Drill.objects.filter(retired=False))
