"""A contact sheet: every figure's key poses side by side in one SVG, to look over them all at once."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from hipcoach.core.figures.data import Figures
from hipcoach.core.figures.motion import scene
from hipcoach.core.figures.svg import render

CELL = 150
LABEL = 14
COLUMNS = 8


def contact_sheet(figures: Figures) -> str:
    """One SVG with a still of every key pose of every figure, each labelled with its figure and pose."""
    cells = []
    for figure in figures:
        placed = scene(figure)
        for number, key in enumerate(figure.poses):
            cells.append((f"{figure.id}: {key.name}", render(placed, still=True, key=number)))
    rows = (len(cells) + COLUMNS - 1) // COLUMNS
    width, height = COLUMNS * CELL, rows * (CELL + LABEL)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
    ]
    parts.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    for index, (label, picture) in enumerate(cells):
        x, y = (index % COLUMNS) * CELL, (index // COLUMNS) * (CELL + LABEL)
        inner = re.sub(r' width="\d+" height="\d+"', "", picture, count=1)
        inner = inner.replace("<svg ", f'<svg x="{x}" y="{y + LABEL}" width="{CELL}" height="{CELL}" ', 1)
        parts.append(f'<text x="{x + 4}" y="{y + 11}" font-size="8" font-family="sans-serif">{escape(label)}</text>')
        parts.append(inner)
    parts.append("</svg>")
    return "".join(parts)
