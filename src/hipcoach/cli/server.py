"""`hipcoach serve` (what `make run` runs), and `hipcoach backup` and `restore` of the server's database."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from hipcoach.cli import app, console, django_setup, fail


@app.command()
def serve(
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on")] = 8000,
    host: Annotated[str, typer.Option(envvar="HOST", help="Address to listen on")] = "127.0.0.1",
    workers: Annotated[int, typer.Option(envvar="WEB_CONCURRENCY", min=1, help="gunicorn workers")] = 2,
) -> None:
    """Migrate the database, load the catalogue, collect the static files and serve the app (what `make run` runs)."""
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from hipcoach.app.migrating import file_lock

    call_command("migrate", interactive=False, verbosity=0)
    # Hashed, gzipped copies of the static files in the data folder (settings.STORAGES): browsers keep them a year.
    # One collector at a time: two writing the same copy at once left one without the file it had just written.
    with file_lock(Path(settings.STATIC_ROOT).parent / "static.collect-lock"):
        call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"hipcoach is serving at http://{host}:{port}/  (Ctrl+C stops it)")
    gunicorn = [sys.executable, "-m", "gunicorn", "hipcoach.web.wsgi:application"]
    options = ["--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-"]
    os.execv(sys.executable, gunicorn + options)


# Exit codes (README, "Backup and restore"): 0 done; 2 refused, with the reason: FILE exists (backup without
# --force), is not a sound hipcoach database or is newer than this version (restore), the data folder already has
# runners (restore without --force), or the database is PostgreSQL (pg_dump and pg_restore instead).


def runners_named(count: int) -> str:
    """1 runner, 2 runners."""
    return f"{count} runner{'s' if count != 1 else ''}"


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup (a SQLite file)")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists")] = False,
) -> None:
    """Back up the whole embedded database (accounts, tokens, screens, logs...) while the server runs."""
    django_setup()
    from hipcoach.app.backups import BackupError, back_up

    try:
        done = back_up(file, force=force)
    except BackupError as refusal:
        fail([escape(str(refusal))])
    runners = runners_named(done.runners)
    console.print(f"Backed up {runners} to {escape(str(done.path))} ({done.size_bytes:,} bytes).", soft_wrap=True)


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by `hipcoach backup`")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that already has runners")] = False,
) -> None:
    """Restore a backup into the data folder's database, brought up to this version."""
    django_setup()
    from hipcoach.app.backups import BackupError
    from hipcoach.app.backups import restore as restore_backup

    try:
        done = restore_backup(file, force=force)
    except BackupError as refusal:
        fail([escape(str(refusal))])
    runners = runners_named(done.runners)
    lines = [f"Restored {runners} from {escape(str(file))} into {escape(str(done.database))}."]
    if done.migrations_applied:
        lines.append(f"Brought up to this version: {len(done.migrations_applied)} migrations applied.")
    if done.replaced:
        lines.append(f"The database it replaced is kept at {escape(str(done.replaced))}.")
    for line in lines:
        console.print(line, soft_wrap=True)
