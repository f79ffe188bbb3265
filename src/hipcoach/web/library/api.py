"""GET /api/v1/drills, /api/v1/drills/{id} and /api/v1/drills/{id}/figure.svg."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Path, Query, Router
from ninja.errors import HttpError

from hipcoach.app.library.catalogue import library_catalogue
from hipcoach.app.library.figures import drill_figure
from hipcoach.core.catalogue import Drill, DrillQuery

router = Router(tags=["drills"])


@router.get("", response=list[Drill], summary="List drills, optionally filtered")
def list_drills(request: HttpRequest, filters: Query[DrillQuery]) -> list[Drill]:
    return library_catalogue().filter(filters)


@router.get("/{drill_id}", response={200: Drill, 404: dict[str, str]}, summary="One drill")
def get_drill(request: HttpRequest, drill_id: Annotated[str, Path(max_length=64)]) -> Drill:
    catalogue = library_catalogue()
    if drill_id not in catalogue:
        raise _no_drill(drill_id)
    return catalogue.get(drill_id)


def _no_drill(drill_id: str) -> HttpError:
    return HttpError(404, f"No drill with id '{drill_id}'. GET /api/v1/drills lists the ids.")


FIGURE_MAX_AGE = 24 * 60 * 60


@router.get(
    "/{drill_id}/figure.svg",
    response={200: None, 404: dict[str, str]},
    summary="The drill's animated figure (SVG); still=true for one key pose",
    openapi_extra={"responses": {200: {"description": "The figure", "content": {"image/svg+xml": {}}}}},
)
def get_drill_figure(
    request: HttpRequest,
    drill_id: Annotated[str, Path(max_length=64)],
    still: bool = False,
    side: Literal["right", "left"] = "right",
) -> HttpResponse:
    svg = drill_figure(drill_id, still=still, side=side)
    if svg is None:
        raise _no_drill(drill_id)
    return figure_response(svg)


def figure_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    # A figure changes only with a new release: a phone keeps it for a day, so the library's stills and the
    # player's steps load each figure once.
    patch_cache_control(response, public=True, max_age=FIGURE_MAX_AGE)
    return response
