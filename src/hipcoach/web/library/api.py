"""GET /api/v1/drills and /api/v1/drills/{id}."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError

from hipcoach.app.library.catalogue import library_catalogue
from hipcoach.core.catalogue import Drill, DrillQuery

router = Router(tags=["drills"])


@router.get("", response=list[Drill], summary="List drills, optionally filtered")
def list_drills(request: HttpRequest, filters: Query[DrillQuery]) -> list[Drill]:
    return library_catalogue().filter(filters)


@router.get("/{drill_id}", response={200: Drill, 404: dict[str, str]}, summary="One drill")
def get_drill(request: HttpRequest, drill_id: Annotated[str, Path(max_length=64)]) -> Drill:
    catalogue = library_catalogue()
    if drill_id not in catalogue:
        raise HttpError(404, f"No drill with id '{drill_id}'. GET /api/v1/drills lists the ids.")
    return catalogue.get(drill_id)
