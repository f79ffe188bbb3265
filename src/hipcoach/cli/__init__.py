"""The hipcoach command line: thin wrappers that turn arguments into core calls and results into text.

Each area has its own module here; this one holds the app and what every command shares.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

app = typer.Typer(help="Hip-mobility training for runners.", no_args_is_help=True, add_completion=False)

console = Console()
errors = Console(stderr=True, soft_wrap=True)

# Exit codes: 1 when the thing checked is invalid (a catalogue), 2 when the user's input is (Typer's own code
# for bad arguments, so scripts see one code for every kind of bad input).
EXIT_INVALID = 1
EXIT_BAD_INPUT = 2


def fail(messages: list[str], code: int = EXIT_BAD_INPUT) -> NoReturn:
    for message in messages:
        errors.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def django_setup() -> None:
    """Load the web app's settings, for the commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hipcoach.web.settings")
    import django

    django.setup()


def _register_commands() -> None:
    from hipcoach.cli import drills, plans, play, screen, server  # noqa: F401  (importing registers their commands)


_register_commands()
