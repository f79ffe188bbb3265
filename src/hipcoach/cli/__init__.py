"""The hipcoach command line: thin wrappers that turn arguments into core calls and results into text.

Each area has its own module here; this one holds the app and what every command shares.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from hipcoach.core.limits import JsonInputError, read_json

app = typer.Typer(help="Hip-mobility training for runners.", no_args_is_help=True, add_completion=False)


class TerminalConsole(Console):
    """Rich's console, wrapping lines only on a terminal: output read by a script, a pipe or a file keeps each
    line whole, whatever the width rich would assume (80 columns when there is no terminal to ask)."""

    @property  # rich keeps soft_wrap as a plain attribute; here it follows the output
    def soft_wrap(self) -> bool:
        return not self.is_terminal

    @soft_wrap.setter
    def soft_wrap(self, value: bool) -> None:
        """Ignored: whether to wrap follows where the output goes."""


console = TerminalConsole()
errors = Console(stderr=True, soft_wrap=True)

# Exit codes: 1 when the thing checked is invalid (a catalogue), 2 when the user's input is (Typer's own code
# for bad arguments, so scripts see one code for every kind of bad input).
EXIT_INVALID = 1
EXIT_BAD_INPUT = 2


def fail(messages: list[str], code: int = EXIT_BAD_INPUT) -> NoReturn:
    for message in messages:
        errors.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def read_json_file(path: str | Path, option: str, *, stdin: bool = False) -> Any:
    """The JSON in a file given to an option (with ``stdin``, ``-`` reads standard input).

    A file that cannot be read, is not UTF-8 text or is not JSON exits 2 (bad input) with one message naming
    the option and the file, never a traceback; JSON beyond hipcoach's bounds (nested too deeply, a number of
    5,000 digits, a NUL character) exits 2 naming the field (``hipcoach.core.limits``).
    """
    from_stdin = stdin and str(path) == "-"
    shown = "standard input" if from_stdin else escape(str(path))  # fail() reads markup: '[x]' is a file name here
    try:
        text = sys.stdin.read() if from_stdin else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        fail([f"{option}: cannot read {shown}: not UTF-8 text ({error.reason} at byte {error.start})"])
    except OSError as error:
        fail([f"{option}: cannot read {shown} ({error.strerror or error})"])
    try:
        return read_json(text)
    except JsonInputError as error:
        fail([f"{option}: {shown} is {p.message}" if not p.loc else f"{option}: {p}" for p in error.problems])


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def django_setup() -> None:
    """Load the web app's settings, for the commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hipcoach.settings")
    import django

    django.setup()


def _register_commands() -> None:
    from hipcoach.cli import account, clinic, drills, handout, plans, play, screen, server  # noqa: F401  (importing registers their commands)


_register_commands()
