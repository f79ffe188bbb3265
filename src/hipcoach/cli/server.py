"""`hipcoach serve`: what `make run` runs."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from hipcoach.cli import app, console, django_setup


@app.command()
def serve(
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on")] = 8000,
    host: Annotated[str, typer.Option(envvar="HOST", help="Address to listen on")] = "127.0.0.1",
    workers: Annotated[int, typer.Option(envvar="WEB_CONCURRENCY", min=1, help="gunicorn workers")] = 2,
) -> None:
    """Migrate the database, load the catalogue and serve the web app (what `make run` runs)."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    console.print(f"hipcoach is serving at http://{host}:{port}/  (Ctrl+C stops it)")
    gunicorn = [sys.executable, "-m", "gunicorn", "hipcoach.web.wsgi:application"]
    options = ["--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-"]
    os.execv(sys.executable, gunicorn + options)
