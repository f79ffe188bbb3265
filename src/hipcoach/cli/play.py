"""`hipcoach play` (the terminal player) and `hipcoach history` (the sessions done).

The terminal player runs the same timeline as the web player, with a live countdown, and saves to the
same log (``save_log`` with ``source="terminal"``), so a session played here shows on the web and moves
the same progression. A log belongs to an account: ``--user EMAIL``, or the only account there is.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Group
from rich.live import Live
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from hipcoach.cli import EXIT_BAD_INPUT, app, console, errors, fail, print_json
from hipcoach.cli.plans import (
    EXIT_REFERRED,
    LATEST,
    EquipmentOption,
    JsonOption,
    equipment_at_hand,
    print_session,
    profile_for,
    refer,
)
from hipcoach.core.planner import (
    Context,
    PlannerInputError,
    ReferralRequired,
    Session,
    compose_session,
    parse_context,
    parse_level,
    parse_minutes,
)
from hipcoach.core.profile import OLDER_ADULT_AGE, Profile
from hipcoach.core.timeline import Step, StepKind
from hipcoach.core.vocabulary import Side

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MAX_SPEED = 10_000
EXIT_STOPPED = 130  # stopped with Ctrl+C before any drill was done: nothing to save
SIGN_UP = (
    "A log belongs to an account, and this database has none yet. Create one: start the app with `make run` "
    "(or `hipcoach serve`), sign up at http://127.0.0.1:8000/accounts/signup/, then play again."
)
STEP_WORDS = {
    StepKind.SETUP: "Get ready",
    StepKind.WORK: "Go",
    StepKind.SWITCH_SIDE: "Switch side",
    StepKind.REST: "Rest",
    StepKind.TRANSITION: "Change position",
}

ScreenOption = Annotated[
    str | None,
    typer.Option(
        "--screen",
        help="A screen answers file to score, or 'latest'. Default: your account's latest screen, as on the web.",
    ),
]
UserOption = Annotated[
    str | None, typer.Option("--user", help="Your account's e-mail. Default: the only account in this database.")
]


def account_for(email: str | None) -> AbstractBaseUser:
    """The account the log belongs to; exit 2 saying how to get one when there is none to choose."""
    from hipcoach.cli.screen import database_ready

    database_ready()
    from django.contrib.auth import get_user_model

    from hipcoach.web.accounts.services import normalise_email

    users = get_user_model().objects.filter(is_active=True)
    if email is not None:
        found = users.filter(username=normalise_email(email)).first()
        if found is None:
            hint = SIGN_UP if not users.exists() else "check the e-mail, or sign up with it on the web app"
            fail([f"--user: no account with the e-mail {email!r} in this database; {hint}"])
        return found
    accounts = list(users.order_by("id")[:2])
    if not accounts:
        fail([SIGN_UP])
    if len(accounts) > 1:
        fail(["several accounts use this database: say whose log it is with --user EMAIL"])
    return accounts[0]


def stop_if_flagged(account: AbstractBaseUser) -> None:
    from hipcoach.web.training.services import RED_FLAG_ADVICE, open_red_flag

    flagged = open_red_flag(account)
    if flagged is not None:
        errors.print(f"[bold red]After your session of {flagged.finished_at:%Y-%m-%d}:[/bold red] {RED_FLAG_ADVICE}")
        raise typer.Exit(EXIT_REFERRED)


def compose_for(
    account: AbstractBaseUser,
    *,
    context: str,
    minutes: float | None,
    screen: str | None,
    equipment: str | None,
    level: int | None,
) -> tuple[Session, str]:
    """The session to play: the account's settings, screen and progression, unless the options say otherwise."""
    from hipcoach.web.training.today import dose_states_of, recent_history_of, runner_profile, settings_of

    try:
        kind = parse_context(context)
        chosen_level = None if level is None else parse_level(level, "--level")
        chosen_minutes = None if minutes is None else parse_minutes(minutes, "--minutes")
    except PlannerInputError as error:
        fail([f"--{str(error).removeprefix('--')}"])
    record = settings_of(account)
    preferences = record.to_core()
    if chosen_minutes is None:
        chosen_minutes = (
            preferences.rest_day_minutes
            if kind in (Context.STANDING_SERIES, Context.FLOOR_SEQUENCE)
            else preferences.minutes_for(kind)
        )
    profile: Profile
    if screen is None or screen == LATEST:
        choice = runner_profile(account, record)
        profile, source = choice.profile, choice.source
        if screen == LATEST and choice.source == "default":
            profile, source = profile_for(LATEST)  # the screens taken in this terminal
    else:
        profile, source = profile_for(screen)
    if record.older_adult and profile.age is None:
        profile = profile.model_copy(update={"age": OLDER_ADULT_AGE})  # REFERENCE.md section 4
    at_hand = preferences.equipment if equipment is None else equipment_at_hand(equipment)
    try:
        session = compose_session(
            profile,
            kind,
            chosen_minutes,
            at_hand,
            record.level if chosen_level is None else chosen_level,
            recent_history_of(account),
            0,
            dose_states=dose_states_of(account),
        )
    except PlannerInputError as error:
        fail([str(error)], EXIT_BAD_INPUT)
    except ReferralRequired as referral:
        refer(referral.referral, source, as_json=False)
    return session, source


# --------------------------------------------------------------------------------------------------
# The live countdown
# --------------------------------------------------------------------------------------------------


def clock(seconds: float) -> str:
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


def stage(session: Session, index: int) -> Panel:
    step = session.timeline[index]
    item = session.items[step.item]
    side = step.side.value.upper() if step.side is not None and step.side.value != "both" else ""
    body = Text(justify="center")
    body.append(f"{STEP_WORDS[step.kind]}\n", style="dim")
    body.append(f"{item.name}\n", style="bold")
    if side:
        body.append(f" {side} \n", style="bold reverse green")
    body.append(step.cue)
    following = session.timeline[index + 1] if index + 1 < len(session.timeline) else None
    subtitle = "next: how did it go?"
    if following is not None:
        next_item = session.items[following.item]
        subtitle = f"next: {STEP_WORDS[following.kind].lower()}, {next_item.name}"
    title = f"step {index + 1} of {len(session.timeline)}"
    return Panel(body, title=title, subtitle=subtitle)


def run_timeline(session: Session, speed: float, *, bell: bool) -> tuple[set[int], float, bool]:
    """Play every step against the clock (``speed`` times faster). Returns the work steps done, the
    seconds played, and whether the runner stopped early (Ctrl+C)."""
    steps = session.timeline
    total = session.total_seconds
    bars = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[left]}"))
    step_task: TaskID = bars.add_task("step", total=1, left="")
    session_task: TaskID = bars.add_task("session", total=max(total, 1), left=clock(total))
    done: set[int] = set()
    played = 0.0
    stopped = False
    before = 0
    with Live(Group(stage(session, 0), bars), console=console, refresh_per_second=10, transient=True) as live:
        try:
            for index, step in enumerate(steps):
                live.update(Group(stage(session, index), bars))
                console.print(f"[dim]{clock(before)}[/dim] {step.cue}", highlight=False)
                if bell:
                    console.bell()
                elapsed = _count_down(
                    step, speed, bars=bars, step_task=step_task, session_task=session_task, before=before, total=total
                )
                played += elapsed
                before += step.seconds
                if step.kind is StepKind.WORK:
                    done.add(index)
        except KeyboardInterrupt:
            stopped = True
    return done, played, stopped


def _count_down(
    step: Step, speed: float, *, bars: Progress, step_task: TaskID, session_task: TaskID, before: int, total: int
) -> float:
    bars.reset(step_task, total=max(step.seconds, 1), left=clock(step.seconds))
    start = time.monotonic()
    while True:
        elapsed = min(step.seconds, (time.monotonic() - start) * speed)
        bars.update(step_task, completed=elapsed, left=clock(step.seconds - elapsed))
        bars.update(session_task, completed=before + elapsed, left=f"{clock(total - before - elapsed)} left")
        if elapsed >= step.seconds:
            return elapsed
        time.sleep(min(0.1, (step.seconds - elapsed) / speed))


# --------------------------------------------------------------------------------------------------
# The questions and the log
# --------------------------------------------------------------------------------------------------


RATINGS = ("easy", "ok", "hard")


def ask_choice(text: str, choices: tuple[str, ...], default: str) -> str:
    while True:
        answer = str(typer.prompt(text, default=default)).strip().lower()
        if answer in choices:
            return answer
        errors.print(f"  answer one of: {', '.join(choices)}", highlight=False)


def ask_pain(text: str) -> int:
    while True:
        answer = str(typer.prompt(text, default="0")).strip()
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        errors.print("  pain: a whole number from 0 (none) to 10 (worst)", highlight=False)


def reports_for(session: Session, done: set[int], *, defaults: bool) -> list[dict[str, Any]]:
    """A report per drill with a side done: rating and pain asked, or the defaults (ok, pain 0)."""
    from hipcoach.web.training.services import prescribed

    reports = []
    for index, item in enumerate(session.items):
        worked = {session.timeline[i].side for i in done if session.timeline[i].item == index}
        sides = [side for side in Side if side in worked]
        if not sides:
            continue
        rating, pain = "ok", 0
        if not defaults:
            rating = ask_choice(f"{item.name}: easy, ok or hard?", RATINGS, "ok")
            pain = ask_pain("  pain during it, 0 (none) to 10")
        amount, sets = prescribed(item)
        reports.append(
            {
                "drill_id": item.drill_id,
                "amount": amount,
                "sets": sets,
                "sides_done": [side.value for side in sides],
                "rating": rating,
                "pain": pain,
            }
        )
    return reports


def print_saved(data: dict[str, Any], created: bool) -> None:
    minutes = data["minutes"]
    what = "Saved" if created else "Already saved"
    console.print(
        f"[green]{what}[/green]: log {data['id']}, {data['context']} on {data['planned_for']:%Y-%m-%d}, "
        f"{minutes:g} min, {len(data['drills'])} drills, pain {data['pain']}/10.",
        highlight=False,
    )
    for change in data["changes"]:
        console.print(f"  {change['reason']}", highlight=False)
    for advice in data["advice"]:
        errors.print(f"[bold red]{advice}[/bold red]")


@app.command()
def play(
    *,
    context: Annotated[
        str, typer.Option(help="pre-run, post-run, strength, rest-day, standing-series, floor-sequence")
    ] = Context.PRE_RUN.value,
    minutes: Annotated[float | None, typer.Option(help="The minutes there are. Default: your settings'")] = None,
    screen: ScreenOption = None,
    equipment: EquipmentOption = None,
    level: Annotated[int | None, typer.Option(help="1-5. Default: your settings' level")] = None,
    speed: Annotated[float, typer.Option(help=f"Run the clock N times faster (up to {MAX_SPEED})")] = 1.0,
    yes: Annotated[bool, typer.Option("--yes", help="Answer the questions with the defaults: ok, pain 0")] = False,
    user: UserOption = None,
    mute: Annotated[bool, typer.Option("--mute", help="No terminal bell at each change")] = False,
) -> None:
    """Play a session with a live countdown, then rate it; the log is saved to your account."""
    if not 0 < speed <= MAX_SPEED:
        fail([f"--speed: {speed:g} is not allowed; allowed: more than 0 and at most {MAX_SPEED}"])
    account = account_for(user)
    stop_if_flagged(account)
    session, source = compose_for(
        account, context=context, minutes=minutes, screen=screen, equipment=equipment, level=level
    )
    console.print(f"[dim]Profile: {source}[/dim]", highlight=False)
    if not session.items:
        fail(["no drill fits these minutes with the equipment at hand: try more --minutes or other --equipment"])
    print_session(session)
    started = datetime.now().astimezone()
    done, played, stopped = run_timeline(session, speed, bell=console.is_terminal and not mute)
    if stopped:
        console.print("Stopped.")
    reports = reports_for(session, done, defaults=yes)
    if not reports:
        console.print("No drill was done: nothing to save.")
        raise typer.Exit(EXIT_STOPPED if stopped else 0)
    notes = "" if yes else typer.prompt("Notes (Enter for none)", default="", show_default=False)
    red_flag = (
        False
        if yes
        else typer.confirm(
            "A new warning sign: groin or front-thigh pain when running, pain on hopping, night pain, a limp?",
            default=False,
        )
    )
    save(account, session, reports, started=started, played=played, notes=notes, red_flag=red_flag)


def save(
    account: AbstractBaseUser,
    session: Session,
    reports: list[dict[str, Any]],
    *,
    started: datetime,
    played: float,
    notes: str,
    red_flag: bool,
) -> None:
    from hipcoach.web.training.services import LogInputError, log_data, logs_of, save_log

    payload = {
        "client_key": uuid.uuid4().hex,
        "context": session.context.value,
        "started_at": started,
        "finished_at": datetime.now().astimezone(),
        "seconds_done": round(played),
        "session": session.model_dump(mode="json"),
        "drills": reports,
        "notes": notes,
        "red_flag": red_flag,
        "source": "terminal",
    }
    try:
        log, created = save_log(account, payload)
    except LogInputError as error:
        fail([problem["msg"] for problem in error.problems])
    print_saved(log_data(logs_of(account).get(pk=log.pk)), created)


def jsonable(data: Any) -> Any:
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@app.command()
def history(
    user: UserOption = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(min=1, help="How many of the latest sessions")] = 50,
) -> None:
    """The sessions you did, newest first: date, context, minutes, drills, pain."""
    account = account_for(user)
    from hipcoach.web.training.services import log_data, logs_of

    logs = [log_data(log) for log in logs_of(account)[:limit]]
    if as_json:
        print_json(jsonable(logs))
        return
    if not logs:
        console.print("No session yet: play one with `hipcoach play` or on the web.")
        return
    table = Table("date", "context", "min", "drills", "pain", "next morning", "from", title="Sessions done")
    for data in logs:
        check = data["morning_check"]
        morning = "-" if check is None else "worse" if check["worse"] else "not worse"
        flag = " [red]warning sign[/red]" if data["red_flag"] else ""
        table.add_row(
            f"{data['planned_for']:%Y-%m-%d}",
            data["context"],
            f"{data['minutes']:g}",
            str(len(data["drills"])),
            f"{data['pain']}/10{flag}",
            morning,
            data["source"],
        )
    console.print(table)
