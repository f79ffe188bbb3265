"""``{% figure id side still %}``: a drill's or screen test's figure drawn inline, so a page's own script can pause
it (an <img> cannot be paused) and a screen reader reads its title."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from hipcoach.core.figures import figure_svg
from hipcoach.core.figures import key_positions as figure_key_positions

register = template.Library()


@register.simple_tag
def figure(figure_id: str, side: object = "right", still: bool = False) -> SafeString:
    """The figure on the side being worked; "both" or no side (a test of both legs) draws the right side."""
    chosen = "left" if str(getattr(side, "value", side)) == "left" else "right"
    # The SVG is the core's own drawing of fixed data, its title escaped there: safe to place in the page.
    return mark_safe(figure_svg(figure_id, side=chosen, still=bool(still)))


@register.simple_tag
def key_positions(figure_id: str) -> list[str]:
    return figure_key_positions(figure_id)
