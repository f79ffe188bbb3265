"""`hipcoach handout`: the runner's programme printed to a PDF file (the handout the Settings page downloads)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from hipcoach.cli import app, console, fail
from hipcoach.cli.runner import UserOption, account_for, runner_time


@app.command("handout")
def handout(
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write, e.g. programme.pdf")],
    user: UserOption = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="The address runners reach hipcoach at, for the handout's link and QR code. "
            "Default: HIPCOACH_BASE_URL, else this computer's server (http://127.0.0.1:8000).",
        ),
    ] = None,
) -> None:
    """Print your programme to a PDF: each drill with its figure, dose per side and cues, your week, the pain rule,
    and a QR code to Today (or your referral instead of any drill)."""
    target = out.expanduser()
    problem = out_problem(target)
    if problem:
        fail([f"--out: {problem}"])
    if url is not None and (url_problem := base_url_problem(url)):
        fail([f"--url: {url_problem}"])
    account = account_for(user)  # sets Django up
    from hipcoach.app.clinic.handout import base_url_for, handout_pdf
    from hipcoach.app.clinic.handout import handout as handout_of

    base_url = base_url_for(None) if url is None else url.rstrip("/") + "/"
    if url is None and (url_problem := base_url_problem(base_url)):
        fail([f"HIPCOACH_BASE_URL: {url_problem}"])
    with runner_time(account):
        sheet = handout_of(account, base_url=base_url)
        pdf = handout_pdf(sheet)
    try:
        write_whole(target, pdf)
    except OSError as error:
        fail([f"--out: cannot write {escape(str(target))} ({error.strerror or error})"])
    what = (
        "your referral, no drill"
        if sheet.referral or sheet.safety_url
        else f"{len(sheet.drills)} drills over {sum(len(day.sessions) for day in sheet.week)} sessions a week"
    )
    console.print(f"Handout written to {escape(str(target))}: {what}.", highlight=False)


def base_url_problem(url: str) -> str | None:
    """What is wrong with the address the handout links to, or ``None``."""
    scheme, _, rest = url.partition("://")
    if scheme not in ("http", "https") or not rest.strip("/") or any(character.isspace() for character in url):
        return f"{escape(repr(url))} is not a web address: give one like https://hipcoach.example.org"
    return None


def out_problem(target: Path) -> str | None:
    if target.suffix.lower() != ".pdf":
        return f"a file name ending in .pdf, not {escape(str(target))}"
    if target.is_dir():
        return f"{escape(str(target))} is a folder; give a file name ending in .pdf"
    if not target.parent.is_dir():
        return f"no folder {escape(str(target.parent))} to write {escape(target.name)} in"
    return None


def write_whole(target: Path, content: bytes) -> None:
    """Write the file whole or not at all: a reader never sees half a PDF, and a failed write leaves the old one."""
    descriptor, staged = tempfile.mkstemp(dir=target.parent, prefix=".handout-", suffix=".pdf")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        os.replace(staged, target)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
