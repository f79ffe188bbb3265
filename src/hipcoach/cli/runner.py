"""Who the terminal acts as, and the database it uses: what `play`, `history`, `screen`, `routine --screen latest`
and `account` share.

Without ``--user`` the terminal acts as the local runner of this computer when the database has one, else as the
only account; when the database has no account yet it makes the local runner (``local_runner`` of the accounts
use cases), so a runner who never opens a browser keeps screens and a log. Only when several accounts share the
database and none is this computer's does a command need ``--user EMAIL``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
import tzlocal

from hipcoach.cli import django_setup, fail

if TYPE_CHECKING:
    from hipcoach.app.accounts.accounts import Runner
    from hipcoach.app.screens.screens import ScreenOwner

SEVERAL = "several accounts use this database: say whose with --user EMAIL"

UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="Your account's e-mail. Default: the local runner of this computer, or the only account in this database.",
    ),
]


def database_ready() -> None:
    """Set Django up and migrate when needed: the terminal's runner may never have run the server."""
    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def terminal_account() -> Runner | None:
    """The account the terminal acts as without ``--user``: the local runner of this computer, else the only active
    account, else (no active account yet) a new local runner; None when several accounts share the database."""
    database_ready()
    from hipcoach.app.accounts.accounts import terminal_runner

    account = terminal_runner()
    if account is not None and not account.is_active:
        fail(["the local runner of this computer has been turned off; use another account with --user EMAIL"])
    return account


def account_for(email: str | None) -> Runner:
    """The account given with ``--user``, else the one the terminal acts as; exit 2 when there is none to choose."""
    if email is None:
        account = terminal_account()
        if account is None:
            fail([SEVERAL])
        return account
    database_ready()
    from hipcoach.app.accounts.accounts import active_runner

    found = active_runner(email)
    if found is None:
        fail(
            [
                f"--user: no account with the e-mail {email!r} in this database; check the e-mail, or leave --user "
                "out for the account the terminal acts as (`hipcoach account` shows it)"
            ]
        )
    return found


def screen_owner(email: str | None) -> ScreenOwner:
    """Whose screens: the account given with ``--user``, else the one the terminal acts as, so `play` plans from
    them as the web does; with several accounts and none of this computer's, the screens of the terminal itself
    (no account: ``ScreenOwner.terminal()``), as before the local runner."""
    account = account_for(email) if email is not None else terminal_account()  # sets Django up
    from hipcoach.app.screens.screens import ScreenOwner

    return ScreenOwner.terminal() if account is None else ScreenOwner(user=account)


@contextmanager
def runner_time(account: Runner) -> Iterator[None]:
    """Act in the runner's time zone: their settings', or this computer's when they never chose one."""
    from django.utils import timezone

    from hipcoach.app.training.runner_settings import runner_zone, set_time_zone_if_unset

    set_time_zone_if_unset(account, computer_time_zone())
    with timezone.override(runner_zone(account)):
        yield


def computer_time_zone() -> str:
    """This computer's IANA time zone (TZ, else the system's setting); empty when it cannot be told."""
    try:
        with warnings.catch_warnings():  # tzlocal warns when two system settings disagree; TZ still decides
            warnings.simplefilter("ignore")
            tzlocal.reload_localzone()  # read afresh: TZ may differ from the last command in this process
            return tzlocal.get_localzone_name() or ""
    except (LookupError, ValueError, OSError):  # tzlocal's ZoneInfoNotFoundError is a KeyError (a LookupError)
        return ""
