"""Backup and restore of the whole embedded SQLite database: every account, password hash, API token, calendar
link, screen, log and progression of the server.

Both go through SQLite's online backup API (``sqlite3.Connection.backup``), which copies the database as one
consistent snapshot, read through the write-ahead log, while the server keeps serving: in WAL mode the copy's read
transaction blocks no writer. A restore writes into the live database with the same API, in one write transaction,
so a running server sees the old database or the new one, never a mix (renaming files under a running server would
leave its open connections on the old file and its ``-wal`` file beside the new one).

PostgreSQL has its own tools (``pg_dump``/``pg_restore``, in the README); both functions refuse it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from hipcoach.core import clock

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every hipcoach database has had since its first version; the rest of the schema comes from migrations,
# and a restore checks every table of this version's models once it has migrated the file.
HIPCOACH_TABLES = (
    "django_migrations",
    "auth_user",
    "accounts_apitoken",
    "library_drill",
    "screens_screen",
    "training_sessionlog",
    "training_runnersettings",
)
# What to run instead on PostgreSQL (README, "Backup and restore"), per command.
POSTGRES_COMMANDS = {
    "backup": 'pg_dump -Fc -f hipcoach.dump "$DATABASE_URL"',
    "restore": 'pg_restore --clean --if-exists --no-owner --single-transaction -d "$DATABASE_URL" hipcoach.dump',
}
BUSY_TIMEOUT_SECONDS = 20  # as long as the server's own connections wait for a lock (settings.py)


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class BackupDone:
    path: Path
    runners: int
    size_bytes: int


@dataclass(frozen=True)
class RestoreDone:
    database: Path
    runners: int
    migrations_applied: list[str]
    replaced: Path | None


def embedded_database(command: str) -> Path:
    """The SQLite database file the server uses; PostgreSQL (or any other database) is refused, with the
    PostgreSQL command that does what ``command`` (backup or restore) does."""
    database = settings.DATABASES["default"]
    engine = str(database["ENGINE"])
    if "postgresql" in engine:
        raise BackupError(
            f'DATABASE_URL points to PostgreSQL, whose own tools do this (README, "Backup and restore"): '
            f"{POSTGRES_COMMANDS[command]}"
        )
    if not engine.endswith("sqlite3"):
        raise BackupError(f"the database is {engine}, not SQLite: back it up with that database's own tools")
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"the database {name!r} is not a file")
    return Path(name).expanduser().resolve()


def connect(path: Path) -> sqlite3.Connection:
    # Autocommit, so PRAGMAs that cannot run inside a transaction (journal_mode) run when asked.
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)


def table_names(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def count_runners(connection: sqlite3.Connection) -> int:
    if "auth_user" not in table_names(connection):
        return 0
    return int(connection.execute("SELECT count(*) FROM auth_user").fetchone()[0])


def integrity_problems(connection: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong (up to ten problems); empty when the file is sound."""
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check(10)")]
    return [] if rows == ["ok"] else rows


def copy_database(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy all of ``source`` into ``target`` in one step: one read transaction on the source, so the copy is
    one consistent snapshot even while other connections write (copied in several steps, a write between two of
    them would restart the copy)."""
    source.backup(target, pages=-1)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# ---- backup ---------------------------------------------------------------------------------------------------


def back_up(target: Path, *, force: bool = False) -> BackupDone:
    """Write a complete, consistent copy of the live database to ``target``, atomically.

    The copy goes to a temporary file beside ``target`` (readable by its owner only: it holds password hashes
    and calendar links), is checked with ``PRAGMA integrity_check`` and only then takes the name ``target``, so
    ``target`` is either absent or a whole backup. An existing ``target`` is replaced only with ``force``.
    """
    database = embedded_database("backup")
    if not database.is_file():
        raise BackupError(f"there is no database at {database}: nothing to back up (is HIPCOACH_DATA_DIR right?)")
    target = target.expanduser().absolute()
    check_backup_target(target, database, force=force)
    try:
        descriptor, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise BackupError(f"FILE: cannot write in {target.parent} ({error.strerror or error})") from None
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        runners = write_snapshot(database, temporary)
        publish(temporary, target, force=force)
    except sqlite3.Error as error:
        raise BackupError(f"could not copy {database} ({error}); FILE was not written") from None
    finally:
        temporary.unlink(missing_ok=True)
    return BackupDone(path=target, runners=runners, size_bytes=target.stat().st_size)


def check_backup_target(target: Path, database: Path, *, force: bool) -> None:
    if not target.parent.is_dir():
        raise BackupError(f"FILE: the folder {target.parent} does not exist")
    if target.resolve() in {database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))}:
        raise BackupError(f"FILE: {target} is the live database itself; choose another file")
    if target.is_dir():
        raise BackupError(f"FILE: {target} is a folder; give a file name")
    if target.exists() and not force:
        raise BackupError(f"FILE: {target} already exists; choose another name, or add --force to replace it")


def write_snapshot(database: Path, temporary: Path) -> int:
    """Copy ``database`` into ``temporary`` as one self-contained, checked file; returns its number of runners."""
    with closing(connect(database)) as source, closing(connect(temporary)) as copy:
        copy_database(source, copy)
        # One file, no -wal beside it: a backup must be whole on its own.
        copy.execute("PRAGMA journal_mode=DELETE")
        problems = integrity_problems(copy)
        if problems:
            raise BackupError(f"the copy of {database} fails SQLite's integrity check: {'; '.join(problems)}")
        runners = count_runners(copy)
    with temporary.open("rb") as written:
        os.fsync(written.fileno())
    return runners


def publish(temporary: Path, target: Path, *, force: bool) -> None:
    """Give the finished copy its name in one step; without ``force``, never over a file that appeared since."""
    if force:
        os.replace(temporary, target)
    else:
        try:
            os.link(temporary, target)  # fails, atomically, when target exists
        except FileExistsError:
            raise BackupError(
                f"FILE: {target} already exists; choose another name, or add --force to replace it"
            ) from None
        except OSError:
            # A file system without hard links: check, then rename (a file made in between would be replaced).
            if target.exists():
                raise BackupError(
                    f"FILE: {target} already exists; choose another name, or add --force to replace it"
                ) from None
            os.replace(temporary, target)
    fsync_folder(target.parent)


# ---- restore --------------------------------------------------------------------------------------------------


def restore(source: Path, *, force: bool = False) -> RestoreDone:
    """Replace the live database with the backup ``source``, brought up to date by migrate.

    ``source`` must be a sound SQLite file (integrity check) holding hipcoach's tables and no migration newer than
    this version. It is copied into a staging folder inside the data folder, migrated there, checked for every
    table of this version, and only then written into the live database in one transaction. A live database that
    already has runners is replaced only with ``force``; whatever it held is kept beside it first.
    """
    database = embedded_database("restore")
    source = source.expanduser().absolute()
    check_restore_source(source, database)
    refuse_replacing_runners(database, force=force)
    database.parent.mkdir(parents=True, exist_ok=True)
    with staging_folder(database.parent) as staging:
        staged = staging / "hipcoach.sqlite3"
        pending = stage_backup(source, staged)
        migrate_staged(staged, staging, source)
        with closing(connect(staged)) as prepared:
            check_every_table(prepared, source)
            runners = count_runners(prepared)
        replaced = swap_in(staged, database)
    return RestoreDone(database=database, runners=runners, migrations_applied=pending, replaced=replaced)


def check_restore_source(source: Path, database: Path) -> None:
    if not source.is_file():
        raise BackupError(f"FILE: {source} does not exist" if not source.exists() else f"FILE: {source} is a folder")
    if source.resolve() == database:
        raise BackupError(f"FILE: {source} is the live database itself; give a backup made by hipcoach backup")
    try:
        with source.open("rb") as opened:
            header = opened.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"FILE: cannot read {source} ({error.strerror or error})") from None
    if header != SQLITE_HEADER:
        raise BackupError(f"FILE: {source} is not a SQLite database, so not a hipcoach backup")


def refuse_replacing_runners(database: Path, *, force: bool) -> None:
    if force or not database.is_file():
        return
    try:
        with closing(connect(database)) as live:
            runners = count_runners(live)
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"the data folder's database ({database}) cannot be read ({error}); add --force to replace it"
        ) from None
    if runners:
        raise BackupError(
            f"the data folder's database ({database}) already has {runners} runner{'s' if runners != 1 else ''}; "
            "restore into an empty data folder, or add --force to replace it (it is kept beside it first)"
        )


@contextmanager
def staging_folder(data_folder: Path) -> Iterator[Path]:
    """A private folder inside the data folder (the same file system as the live database), removed after."""
    folder = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_folder))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stage_backup(source: Path, staged: Path) -> list[str]:
    """Copy ``source`` to ``staged`` and check it; returns the migrations it lacks (``app.name``)."""
    try:
        with (
            closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as reading,
            closing(connect(staged)) as copy,
        ):
            copy_database(reading, copy)
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"FILE: {source} is damaged, or not a SQLite database (SQLite: {error})") from None
    with closing(connect(staged)) as copy:
        problems = integrity_problems(copy)
        if problems:
            raise BackupError(f"FILE: {source} is damaged (SQLite's integrity check: {'; '.join(problems)})")
        missing = sorted(set(HIPCOACH_TABLES) - table_names(copy))
        if missing:
            raise BackupError(f"FILE: {source} is not a hipcoach database (it has no table {', '.join(missing)})")
        recorded = {(app, name) for app, name in copy.execute("SELECT app, name FROM django_migrations")}
    known = known_migrations()
    newer = sorted(f"{app}.{name}" for app, name in recorded - known)
    if newer:
        raise BackupError(
            f"FILE: {source} was made by a newer hipcoach (migrations this version does not know: "
            f"{', '.join(newer)}); upgrade hipcoach, then restore"
        )
    return sorted(f"{app}.{name}" for app, name in known - recorded)


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this version of hipcoach ships (its apps' and Django's), read from disk."""
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def migrate_staged(staged: Path, staging: Path, source: Path) -> None:
    """Bring the staged copy up to this version with ``migrate``, in a process of its own whose only database is
    the staged file (migrate's catalogue loading writes to the default database, so it cannot run here)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hipcoach.settings",
        "DATABASE_URL": "sqlite:///" + str(staged),
        "HIPCOACH_DATA_DIR": str(staging),
    }
    command = [sys.executable, "-m", "django", "migrate", "--no-input", "--verbosity", "0"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["migrate failed"])[-1]
        raise BackupError(f"FILE: {source} could not be brought up to this version of hipcoach: {last}")


def check_every_table(prepared: sqlite3.Connection, source: Path) -> None:
    from django.apps import apps

    expected = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    missing = sorted(expected - table_names(prepared))
    if missing:
        raise BackupError(f"FILE: {source} is not a hipcoach database (it has no table {', '.join(missing)})")


def swap_in(staged: Path, database: Path) -> Path | None:
    """Write the staged database into the live one in one transaction; returns where the replaced one is kept."""
    replaced = None
    try:
        with closing(connect(staged)) as prepared, closing(connect(database)) as live:
            if table_names(live):
                replaced = keep_replaced(live, database)
            match_page_size(prepared, live)
            copy_database(prepared, live)
            # In WAL mode the copy went through the -wal file, which grew to the database's size: write it into
            # the database and give the space back (best effort: a server's open read keeps part of it).
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        # The copy into the live database is one transaction: a failure leaves it as it was.
        raise BackupError(f"could not write {database} ({error}); it is unchanged") from None
    return replaced


def keep_replaced(live: sqlite3.Connection, database: Path) -> Path:
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%fZ")  # the clock is in UTC
    kept = database.with_name(f"{database.name}.replaced-{stamp}")
    kept.touch(mode=0o600, exist_ok=False)  # its owner's only from the start: it holds password hashes
    with closing(connect(kept)) as copy:
        copy_database(live, copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    return kept


def match_page_size(prepared: sqlite3.Connection, live: sqlite3.Connection) -> None:
    """A database in WAL mode only takes a backup of its own page size: rebuild the staged copy to it if needed."""
    size = int(live.execute("PRAGMA page_size").fetchone()[0])
    if int(prepared.execute("PRAGMA page_size").fetchone()[0]) != size:
        prepared.execute(f"PRAGMA page_size={size}")
        prepared.execute("VACUUM")
