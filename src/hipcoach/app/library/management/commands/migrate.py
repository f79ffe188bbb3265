"""Django's `migrate`, one at a time per database (hipcoach.app.migrating): servers can start together."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate
from django.db import connections

from hipcoach.app.migrating import migration_lock


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with migration_lock(connections[options["database"]]):
            super().handle(*args, **options)
