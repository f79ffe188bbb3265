"""The base of the core's result models: immutable, and strict about the fields they take."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A model that cannot be changed once made and refuses fields it does not declare."""

    model_config = ConfigDict(frozen=True, extra="forbid")
