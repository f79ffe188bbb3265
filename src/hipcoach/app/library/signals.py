from __future__ import annotations

from typing import Any


def load_catalogue_after_migrate(**kwargs: Any) -> None:
    """Every migrate leaves the database holding the shipped catalogue, so `make run` needs no extra step."""
    from hipcoach.app.library.catalogue import sync_catalogue

    sync_catalogue()
