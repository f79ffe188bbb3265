"""One `migrate` at a time on a database, so that any number of servers can start together on a fresh one.

`hipcoach serve` migrates before it serves. Two started at once on an empty PostgreSQL database both created
the same tables and one crashed on a duplicate; on SQLite the second failed with "database is locked" or
"table already exists". Every `migrate` (the server's, the terminal's, `python -m django migrate`) now waits
for the one under way, then finds nothing left to do.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper

if TYPE_CHECKING:
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

# The PostgreSQL advisory lock that `migrate` holds: any 64-bit number no other code of this database uses.
# Advisory locks belong to one database, so servers of different databases never wait for each other.
MIGRATE_LOCK_KEY = 0x68697063_6F616368  # "hipcoach" in ASCII


@contextmanager
def migration_lock(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Hold the database's migration lock while the block runs; whoever comes second waits for it."""
    if connection.vendor == "postgresql":
        with _advisory_lock(connection):
            yield
    elif connection.vendor == "sqlite" and not cast("SQLiteWrapper", connection).is_in_memory_db():
        with file_lock(Path(f"{connection.settings_dict['NAME']}.migrate-lock")):
            yield
    else:
        yield  # an in-memory database belongs to one process: there is no one to wait for


@contextmanager
def _advisory_lock(connection: BaseDatabaseWrapper) -> Iterator[None]:
    # A session-level lock: migrate commits each migration on its own, and the lock outlives those transactions.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK_KEY])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK_KEY])
        except DatabaseError:
            # A connection that failed cannot unlock; closing it ends its session, and the lock with it.
            connection.close()


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file at `path` while the block runs; the system frees it if we die."""
    # SQLite's own lock cannot cover a migrate, which commits migration by migration (and turns foreign keys
    # off outside any transaction): a lock file beside the database does. `serve` also holds one on the static
    # folder while it collects, so servers started together never write the same copy at once.
    with path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
