"""The base of the core's result models: immutable, and strict about the fields they take."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictInt


class Frozen(BaseModel):
    """A model that cannot be changed once made and refuses fields it does not declare."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def integral(value: object) -> object:
    """``3.0`` as the whole number 3, as JSON Schema counts it an integer; ``3.5``, ``"3"`` and ``true`` stay as
    they are, to be refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# 3.0 taken as 3, in an Annotated type after its Field constraints (before them, the constraints leave the JSON
# Schema as "ge"/"le" rather than "minimum"/"maximum").
AS_JSON_INTEGER = BeforeValidator(integral)
# A whole number as JSON writes one (3 or 3.0), never a text or a true: what the description's "integer" allows.
WholeNumber = Annotated[StrictInt, AS_JSON_INTEGER]
