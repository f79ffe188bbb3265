"""`hipcoach account`: who the terminal acts as, and `hipcoach account set-password`, which takes it to the web.

A runner who only uses the terminal has the local runner of this computer (runner.py): an account no one can log
in to on the web. ``set-password`` gives it a password (and, with ``--email``, the runner's own address as the
login), so the web app shows the same screens and sessions.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from hipcoach.cli import app, console, fail, print_json
from hipcoach.cli.runner import UserOption, account_for, terminal_account

if TYPE_CHECKING:
    from hipcoach.app.accounts.accounts import Runner

TAKE_TO_THE_WEB = "hipcoach account set-password --email YOU@EXAMPLE.ORG"
LOGIN_PAGE = "/accounts/login/"

account_app = typer.Typer(
    help="Who the terminal acts as; `account set-password` lets that account log in on the web.",
    invoke_without_command=True,
)
app.add_typer(account_app, name="account")


@account_app.callback(invoke_without_command=True)
def account(
    context: typer.Context,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON, for scripts")] = False,
) -> None:
    """Who the terminal acts as, whether it can log in on the web, and its screens and sessions."""
    context.ensure_object(dict)["user"] = user
    if context.invoked_subcommand is not None:
        return
    summary = account_summary(account_for(user))
    if as_json:
        print_json(summary)
        return
    email = escape(summary["email"])
    who = f"the local runner of this computer ({email})" if summary["local_runner"] else email
    console.print(f"The terminal acts as: {who}", highlight=False)
    if summary["can_log_in_on_web"]:
        console.print(f"On the web: logs in as {email} with its password.", highlight=False)
    elif summary["local_runner"]:
        console.print(
            f"On the web: cannot log in yet. `{TAKE_TO_THE_WEB}` gives it your e-mail and a password, to log in on "
            "the web app and find the same screens and sessions there.",
            highlight=False,
        )
    else:
        console.print("On the web: cannot log in (no usable password, or the account is turned off).", highlight=False)
    console.print(f"Screens: {summary['screens']}", highlight=False)
    console.print(f"Sessions: {summary['sessions']}", highlight=False)


def account_summary(user: Runner) -> dict[str, Any]:
    from hipcoach.app.accounts.accounts import can_log_in_on_the_web, is_local_runner
    from hipcoach.app.screens.screens import ScreenOwner, screens_of
    from hipcoach.app.training.history import logs_of

    return {
        "email": user.get_username(),
        "local_runner": is_local_runner(user),
        "can_log_in_on_web": can_log_in_on_the_web(user),
        "screens": screens_of(ScreenOwner(user=user)).count(),
        "sessions": logs_of(user).count(),
    }


@account_app.command("set-password")
def set_password(
    context: typer.Context,
    email: Annotated[
        str | None,
        typer.Option(
            "--email", help="Your own e-mail address: the login on the web, in place of the local runner's address"
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (one line), for scripts")
    ] = False,
    user: UserOption = None,
) -> None:
    """Set a password, so the account logs in on the web with the same screens and sessions.

    Asked twice, not shown. With --email, the local runner of this computer takes your address as its login.
    """
    chosen = account_for(user if user is not None else (context.obj or {}).get("user"))  # sets Django up
    from hipcoach.app.accounts.accounts import (
        AccountInputError,
        new_address_problems,
        normalise_email,
        set_web_password,
    )

    if email is not None and (wrong := new_address_problems(chosen, normalise_email(email))):
        fail([f"--email: {escape(problem)}; nothing was changed" for problem in wrong])  # before asking a password
    password = password_from_stdin() if password_stdin else ask_password()
    try:
        changed = set_web_password(chosen, password, email)
    except AccountInputError as error:
        fail(
            [
                f"{'--email' if field == 'email' else 'password'}: {escape(message)}"
                for field, messages in error.problems.items()
                for message in messages
            ]
            + ["nothing was changed"]
        )
    said_to_the_web(changed)


def counted(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def password_from_stdin() -> str:
    """The first line of standard input, without its line ending (a password may hold spaces)."""
    line = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not line:
        fail(["--password-stdin: standard input held no password; nothing was changed"])
    return line


def ask_password() -> str:
    password: str = typer.prompt(
        "New password for the web", hide_input=True, confirmation_prompt="The same password again"
    )
    return password


def said_to_the_web(changed: Runner) -> None:
    from hipcoach.app.accounts.accounts import is_local_runner

    summary = account_summary(changed)
    email = escape(summary["email"])
    held = f"{counted(summary['screens'], 'screen')} and {counted(summary['sessions'], 'session')}"
    console.print(
        f"Password set. Log in on the web app ({LOGIN_PAGE}, once `make run` or `hipcoach serve` serves it) as "
        f"{email} with this password: the same {held} are there.",
        highlight=False,
    )
    if is_local_runner(changed):
        console.print(
            f"No mail reaches {email}, so a forgotten password cannot be reset by e-mail: `{TAKE_TO_THE_WEB}` "
            "gives the account your own address.",
            highlight=False,
        )
    elif terminal_account() is None:
        console.print(
            f"Several accounts use this database: the terminal acts as this one with --user {email}.", highlight=False
        )
