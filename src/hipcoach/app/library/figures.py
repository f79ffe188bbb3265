"""A drill's figure for the doors: the animated SVG (or a still) of a drill the library holds."""

from __future__ import annotations

from hipcoach.app.library.models import Drill
from hipcoach.core.figures import figure_svg
from hipcoach.core.figures.skeleton import Side


def drill_figure(drill_id: str, *, still: bool = False, side: Side = "right") -> str | None:
    """The drill's figure as SVG, on the side being worked; ``None`` when the library has no such drill."""
    if not Drill.objects.filter(id=drill_id, retired=False).exists():
        return None
    return figure_svg(drill_id, side=side, still=still)
