"""How the use cases name their fields to the doors: stand-ins for the API description's shared components, and a
core field path as the location a 422 names."""

from __future__ import annotations

from typing import Any

ANSWERS_COMPONENT = "ScreenAnswers"
COMPONENT_MARK = "x-hipcoach-component"


def component_reference(name: str) -> dict[str, Any]:
    """Stands for the OpenAPI component ``name`` in a model's schema (WithJsonSchema): pydantic cannot hold a "$ref"
    to a component it does not know, so the description puts the reference in its place (with_component_references).
    """
    return {"type": "object", COMPONENT_MARK: name}


# The screen's answer format, for a field that takes answers (scored by the screen's own parser).
ANSWERS_REFERENCE = component_reference(ANSWERS_COMPONENT)


def loc_of(field: str) -> list[str | int]:
    """``runs[2].minutes`` -> ``["body", "runs", 2, "minutes"]``, as ninja locates its own 422s."""
    loc: list[str | int] = ["body"]
    for part in field.replace("]", "").split("."):
        name, _, index = part.partition("[")
        loc.append(name)
        if index:
            loc.append(int(index))
    return loc
