"""The figures: every drill and screen test drawn from data, by forward kinematics, projection and SVG.

``figure_svg`` is what the doors use: the animated figure (or a still of its first key pose) of a drill or screen
test, for the right or the left side; ``key_positions`` names the key poses in words, for screens that cannot
draw. The data and its validation are in ``data.py`` and ``figures.toml``.
"""

from __future__ import annotations

from functools import cache

from hipcoach.core.figures.data import (
    DEFAULT_FIGURES_PATH,
    FigureError,
    Figures,
    default_figures,
    load_figures_file,
    parse_figures,
)
from hipcoach.core.figures.motion import FRAMES_PER_MOVE, scene
from hipcoach.core.figures.sheet import contact_sheet
from hipcoach.core.figures.skeleton import Side
from hipcoach.core.figures.svg import render

__all__ = [
    "DEFAULT_FIGURES_PATH",
    "FigureError",
    "Figures",
    "contact_sheet",
    "default_figures",
    "figure_svg",
    "key_positions",
    "load_figures_file",
    "parse_figures",
]


@cache
def figure_svg(figure_id: str, *, side: Side = "right", still: bool = False) -> str:
    """The figure of a drill or screen test as SVG, on one side; ``KeyError`` names an id that has none.

    A drill for both legs at once looks the same from either side, so it is drawn one way only. The figures are
    fixed data, so each picture is drawn once per process."""
    figure = default_figures().get(figure_id)
    # A still is one key pose: none of the frames between key poses is drawn, so none is made.
    between = 1 if still else FRAMES_PER_MOVE
    return render(scene(figure, side if figure.one_sided else "right", frames_per_move=between), still=still)


def key_positions(figure_id: str) -> list[str]:
    """The key positions of a drill or screen test, in words, in the order the figure moves through them."""
    return [key.name for key in default_figures().get(figure_id).poses]
