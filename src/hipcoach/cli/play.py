"""`hipcoach play` (the terminal player) and `hipcoach history` (the sessions done).

The terminal player runs the same timeline as the web player, with a live countdown, and saves to the
same log (``save_log`` with ``source="terminal"``), so a session played here shows on the web and moves
the same progression. A log belongs to an account: ``--user EMAIL``, else the one the terminal acts as (runner.py: the
local runner of this computer, made on first use when the database has no account, or the only account).

With ``--server URL --token TOKEN`` (or ``HIPCOACH_SERVER`` / ``HIPCOACH_TOKEN``) both commands use a hipcoach
server instead of this computer's database, through the API (remote.py): ``play`` takes today's next session
from ``GET /api/v1/today``, or a session now from ``POST /api/v1/today/once`` when the options ask for one
(``POST /api/v1/sessions/compose`` with ``--screen FILE`` or ``--level``), plays it here and saves with
``POST /api/v1/logs``; a log the server cannot take now waits in the outbox.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Group
from rich.live import Live
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from hipcoach.cli import (
    EXIT_BAD_INPUT,
    app,
    console,
    django_setup,
    errors,
    fail,
    print_json,
    read_json_file,
    remote,
)
from hipcoach.cli.plans import (
    EXIT_REFERRED,
    EXIT_SAFETY_UNANSWERED,
    LATEST,
    EquipmentOption,
    JsonOption,
    SafetyOption,
    print_session,
    profile_for,
    refer,
    session_request,
    store_safety_file,
)
from hipcoach.cli.runner import UserOption, account_for, runner_time
from hipcoach.core.clock import now
from hipcoach.core.planner import (
    Context,
    Session,
)
from hipcoach.core.settings_schema import WEEK_SETTINGS
from hipcoach.core.timeline import Step, StepKind
from hipcoach.core.vocabulary import Side
from hipcoach.core.week import WeekPreferences

if TYPE_CHECKING:
    from hipcoach.app.accounts.accounts import Runner

MAX_SPEED = 10_000
EXIT_STOPPED = 130  # stopped with Ctrl+C before any drill was done: nothing to save
# The server could not be reached (or failed): try again later. A session played is kept in the outbox.
EXIT_SERVER = 4
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
ServerOption = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="HIPCOACH_SERVER",
        help="A hipcoach server's address (e.g. https://hipcoach.example.org): use your account there, "
        "not this computer's database. Needs --token.",
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token", envvar="HIPCOACH_TOKEN", help="Your API token for --server, from its Settings → API tokens."
    ),
]


def stop_if_flagged(account: Runner) -> None:
    from hipcoach.app.training.history import RED_FLAG_ADVICE, open_red_flag

    flagged = open_red_flag(account)
    if flagged is not None:
        errors.print(f"[bold red]After your session of {flagged.finished_at:%Y-%m-%d}:[/bold red] {RED_FLAG_ADVICE}")
        raise typer.Exit(EXIT_REFERRED)


def compose_for(
    account: Runner,
    *,
    context: str,
    minutes: str | None,
    screen: str | None,
    equipment: str | None,
    level: int | None,
    safety: Path | None = None,
) -> tuple[Session, str]:
    """The session to play, composed as the web's one-off is (the account's settings, latest screen, progression
    and recent sessions), unless the options say otherwise; a referral ends the command."""
    from hipcoach.app.screens.profiles import ProfileChoice
    from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
    from hipcoach.app.screens.screens import ScreenOwner
    from hipcoach.app.training.one_off import one_off_session
    from hipcoach.app.training.runner_settings import settings_of

    record = settings_of(account)
    wanted = session_request(context, minutes, equipment, level, default_minutes=record.to_core().minutes_for)
    given: ProfileChoice | None = None
    if screen is not None and screen != LATEST:
        given = ProfileChoice(*profile_for(screen))  # a screen answers file
    elif safety is not None:
        store_safety_file(safety, ScreenOwner(user=account))
    try:
        once = one_off_session(account, wanted, given)
    except SafetyQuestionsUnansweredError:
        # No screen of the account: the screens taken in this terminal for no account, else the safety questions.
        owner = ScreenOwner(user=account)
        given = ProfileChoice(*profile_for(LATEST if screen == LATEST else None, as_json=False, owner=owner))
        once = one_off_session(account, wanted, given)
    if once.referral is not None:
        refer(once.referral, once.profile_source, as_json=False)
    assert once.session is not None  # one_off_session gives a session or the referral
    return once.session, once.profile_source


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
    if item.note:
        body.append(f"\nYour clinician: {item.note}", style="italic")
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
                console.print(f"[dim]{clock(before)}[/dim] {escape(step.cue)}", highlight=False)
                note = session.items[step.item].note
                if note and (index == 0 or steps[index - 1].item != step.item):
                    console.print(f"  Your clinician: {escape(note)}", highlight=False)
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
    from hipcoach.app.training.history import prescribed

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
        str | None,
        typer.Option(
            help="pre-run, post-run, strength, rest-day, standing-series, floor-sequence. "
            "Default: pre-run; with --server, today's next session"
        ),
    ] = None,
    minutes: Annotated[str | None, typer.Option(help="The minutes there are, 1-120. Default: your settings'")] = None,
    screen: ScreenOption = None,
    safety: SafetyOption = None,
    equipment: EquipmentOption = None,
    level: Annotated[int | None, typer.Option(help="1-5. Default: your settings' level")] = None,
    speed: Annotated[float, typer.Option(help=f"Run the clock N times faster (up to {MAX_SPEED})")] = 1.0,
    yes: Annotated[bool, typer.Option("--yes", help="Answer the questions with the defaults: ok, pain 0")] = False,
    user: UserOption = None,
    mute: Annotated[bool, typer.Option("--mute", help="No terminal bell at each change")] = False,
    server: ServerOption = None,
    token: TokenOption = None,
) -> None:
    """Play a session with a live countdown, then rate it; the log is saved to your account."""
    if not 0 < speed <= MAX_SPEED:
        fail([f"--speed: {speed:g} is not allowed; allowed: more than 0 and at most {MAX_SPEED}"])
    if server or token:
        address, key = remote_target(server, token, user)
        play_remote(
            address,
            key,
            context=context,
            minutes=minutes,
            screen=screen,
            equipment=equipment,
            level=level,
            speed=speed,
            yes=yes,
            mute=mute,
            safety=safety,
        )
        return
    account = account_for(user)
    with runner_time(account):
        stop_if_flagged(account)
        session, source = compose_for(
            account,
            context=Context.PRE_RUN.value if context is None else context,
            minutes=minutes,
            screen=screen,
            equipment=equipment,
            level=level,
            safety=safety,
        )
        save(account, session, play_through(session, source, speed=speed, yes=yes, mute=mute))


@dataclass(frozen=True)
class Played:
    """A session played and rated, ready to log."""

    client_key: str
    started: datetime
    seconds: float
    reports: list[dict[str, Any]]
    notes: str
    red_flag: bool


def play_through(session: Session, source: str, *, speed: float, yes: bool, mute: bool) -> Played:
    """Show the session, play it against the clock and ask how it went; exit when nothing was done."""
    console.print(f"[dim]Profile: {source}[/dim]", highlight=False)
    if session.prescribed_by and session.prescribed_on:
        on = session.prescribed_on
        console.print(f"Prescribed by {escape(session.prescribed_by)}, {on.day} {on:%B %Y}", highlight=False)
    if not session.items:
        fail(["no drill fits these minutes with the equipment at hand: try more --minutes or other --equipment"])
    print_session(session)
    client_key = uuid.uuid4().hex  # made once per session: however often its save is retried, one log is stored
    started = now()
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
    return Played(client_key, started, played, reports, notes, red_flag)


def log_payload(session: Session, played: Played, planned_for: date | None = None) -> dict[str, Any]:
    """The log as ``save_log`` and ``POST /api/v1/logs`` take it."""
    payload: dict[str, Any] = {
        "client_key": played.client_key,
        "context": session.context.value,
        "started_at": played.started,
        "finished_at": now(),
        "seconds_done": round(played.seconds),
        "session": session.model_dump(mode="json"),
        "drills": played.reports,
        "notes": played.notes,
        "red_flag": played.red_flag,
        "source": "terminal",
    }
    if planned_for is not None:
        payload["planned_for"] = planned_for
    return payload


def save(account: Runner, session: Session, played: Played) -> None:
    from hipcoach.app.training.history import log_data, logs_of
    from hipcoach.app.training.log import LogInputError, save_log

    try:
        log, created = save_log(account, log_payload(session, played))
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
    server: ServerOption = None,
    token: TokenOption = None,
) -> None:
    """The sessions you did, newest first: date, context, minutes, drills, pain."""
    if server or token:
        address, key = remote_target(server, token, user)
        logs = history_remote(address, key, limit)
        if as_json:
            print_json(logs)
        else:
            print_history([dated(log) for log in logs])
        return
    account = account_for(user)
    from hipcoach.app.training.history import log_data, logs_of

    with runner_time(account):
        local = [log_data(log) for log in logs_of(account)[:limit]]
    if as_json:
        print_json(jsonable(local))
        return
    print_history(local)


def print_history(logs: list[dict[str, Any]]) -> None:
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


# --------------------------------------------------------------------------------------------------
# Against a server (--server URL --token TOKEN)
# --------------------------------------------------------------------------------------------------


def remote_target(server: str | None, token: str | None, user: str | None) -> tuple[str, str]:
    """The server's address and the token, checked; exit 2 saying what is missing."""
    if server is None or not server.strip():
        fail(["--token is for a server: give its address with --server URL (or set HIPCOACH_SERVER)"])
    try:
        address = remote.server_url(server)
    except ValueError as error:
        fail([f"--server: {error}"])
    if token is None or not token.strip():
        fail(
            [
                f"--server needs your API token: create one in Settings → API tokens ({address}{remote.TOKENS_PAGE}), "
                "then pass it with --token TOKEN or set HIPCOACH_TOKEN"
            ]
        )
    if user is not None:
        fail(["--user is for this computer's database; with --server, the token says whose account it is"])
    return address, token.strip()


@contextmanager
def server_errors() -> Iterator[None]:
    """The server's refusals as the CLI's exit codes: 2 for a token or input refused, 4 when it is out of reach."""
    try:
        yield
    except remote.TokenRefusedError as error:
        fail([escape(str(error))], EXIT_BAD_INPUT)
    except remote.UnreachableError as error:
        fail([escape(str(error))], EXIT_SERVER)
    except remote.RefusedError as error:
        fail([escape(str(error))], EXIT_BAD_INPUT if error.by_input else EXIT_SERVER)


def outbox() -> remote.Outbox:
    """Where logs wait for their server: ``outbox/`` in the data directory (HIPCOACH_DATA_DIR, ~/.hipcoach)."""
    django_setup()
    from django.conf import settings

    return remote.Outbox(Path(settings.DATA_DIR) / "outbox")


def dated(log: dict[str, Any]) -> dict[str, Any]:
    """A log of the API with its day as a date, as ``log_data`` gives it."""
    return {**log, "planned_for": date.fromisoformat(log["planned_for"])}


def send_outbox(server: remote.Server, account: str, box: remote.Outbox) -> None:
    """Send the logs kept on this computer for this server and account (sessions whose save failed before)."""
    for entry in box.waiting(server.url, account):
        try:
            data, _ = server.save_log(entry.payload)
        except (remote.UnreachableError, remote.RefusedError) as error:
            if not isinstance(error, remote.RefusedError) or not error.refuses_what_was_sent:
                errors.print(
                    f"[yellow]The sessions kept on this computer wait for the next run:[/yellow] {escape(str(error))}",
                    highlight=False,
                )
                return
            kept = box.set_aside(entry)
            errors.print(
                f"[yellow]The server refused a session kept on this computer:[/yellow] {escape(str(error))}",
                highlight=False,
            )
            errors.print(f"  It is set aside in {escape(str(kept))}; nothing was lost.", highlight=False)
            continue
        box.sent(entry)
        log = dated(data)
        errors.print(
            f"[green]Sent[/green] the session kept on this computer: log {log['id']}, {log['context']} on "
            f"{log['planned_for']:%Y-%m-%d}, {log['minutes']:g} min.",
            highlight=False,
        )


@contextmanager
def safety_refused_by(server: remote.Server) -> Iterator[None]:
    """The server's 409 for a runner never asked the safety questions: exit 3, with its words and how to answer."""
    try:
        yield
    except remote.RefusedError as error:
        if error.status != HTTPStatus.CONFLICT:
            raise
        for problem in error.problems:
            errors.print(f"[bold red]{escape(problem)}[/bold red]", highlight=False)
        errors.print(
            f"Answer them on the server ({server.url}/screen/safety-check/), or give them with --safety FILE.",
            highlight=False,
            markup=False,
        )
        raise typer.Exit(EXIT_SAFETY_UNANSWERED) from None


def play_remote(
    address: str,
    token: str,
    *,
    context: str | None,
    minutes: str | None,
    screen: str | None,
    equipment: str | None,
    level: int | None,
    speed: float,
    yes: bool,
    mute: bool,
    safety: Path | None = None,
) -> None:
    box = outbox()
    with server_errors(), remote.Server(address, token) as server:
        account = server.account()
        console.print(f"[dim]Server: {server.url}, account {account}[/dim]", highlight=False)
        send_outbox(server, account, box)
        if safety is not None:
            server.save_screen(read_json_file(safety, "--safety"))  # 422 names each field; nothing is stored
        with safety_refused_by(server):
            today = server.today()
        if today.referral is not None:
            refer(today.referral, today.profile_source, as_json=False)
        with safety_refused_by(server):
            chosen = remote_session(
                server, today, context=context, minutes=minutes, screen=screen, equipment=equipment, level=level
            )
        if chosen is None:
            return
        session, source, planned_for = chosen
        played = play_through(session, source, speed=speed, yes=yes, mute=mute)
        save_remote(server, account, box, jsonable(log_payload(session, played, planned_for)))


def remote_session(
    server: remote.Server,
    today: remote.Today,
    *,
    context: str | None,
    minutes: str | None,
    screen: str | None,
    equipment: str | None,
    level: int | None,
) -> tuple[Session, str, date | None] | None:
    """Today's next session not done (of ``context`` when given), or one composed for the options; None
    when today has nothing left to play and no option asks for a session."""
    if minutes is None and screen is None and equipment is None and level is None:
        left = [p for p in today.sessions if not p.done and (context is None or p.context.value == context)]
        if left:
            planned = left[0]
            console.print(
                f"Today ({today.day:%A %d %B}): {planned.context.value}, {planned.minutes:g} min. "
                + escape(planned.reason),
                highlight=False,
            )
            for note in today.notes:
                console.print(f"  {escape(note)}", highlight=False)
            return planned.session, today.profile_source, today.day
        if context is None:
            what = "Today's sessions are all done" if today.sessions else "Nothing is planned for today"
            console.print(
                f"{what}. For a session now: hipcoach play --context pre-run --minutes 6 (and --server, --token).",
                highlight=False,
            )
            return None
    settings = server.settings()
    # The server's settings, as the week takes them: the table's week numbers and the equipment.
    preferences = WeekPreferences.model_validate(
        {**{setting.name: settings[setting.name] for setting in WEEK_SETTINGS}, "equipment": settings["equipment"]}
    )
    wanted = session_request(
        Context.PRE_RUN.value if context is None else context,
        minutes,
        equipment,
        level,
        default_minutes=preferences.minutes_for,
    )
    body: dict[str, Any] = {
        "context": wanted.context.value,
        # The request's seconds, as minutes the server turns back into the same seconds.
        "minutes": wanted.minutes,
        "equipment": settings["equipment"] if wanted.equipment is None else [word.value for word in wanted.equipment],
    }
    chosen_level = wanted.level
    if (screen is None or screen == LATEST) and chosen_level is None:
        # As the web's one-off: the account's screen, settings, progression and recent sessions, on the server.
        composed = server.once(body)
    else:
        composed = server.compose({**body, **chosen_profile(server, screen, preferences.level, chosen_level)})
    if composed.referral is not None:
        refer(composed.referral, composed.profile_source, as_json=False)
    if composed.session is None:  # pragma: no cover - the API answers a session or a referral
        fail([f"the server at {server.url} composed no session"], EXIT_SERVER)
    return composed.session, composed.profile_source, None


def chosen_profile(server: remote.Server, screen: str | None, level: int, chosen_level: int | None) -> dict[str, Any]:
    """What ``--screen`` or ``--level`` change for ``POST /sessions/compose``: that endpoint takes the level, the
    screen and the recent sessions from the request (the account's progression does not apply to it)."""
    from hipcoach.app.training.runner import RECENT_SESSIONS

    chosen: dict[str, Any] = {
        "level": level if chosen_level is None else chosen_level,
        "recent_history": [[drill["drill_id"] for drill in log["drills"]] for log in server.logs(RECENT_SESSIONS)],
    }
    if screen is not None and screen != LATEST:
        chosen["screen"] = screen_answers(screen)
    return chosen


def screen_answers(path: str) -> Any:
    """A screen answers file's JSON, for the server to score."""
    return read_json_file(Path(path), "--screen")


def save_remote(server: remote.Server, account: str, box: remote.Outbox, payload: dict[str, Any]) -> None:
    """Save on the server (retried); when it cannot take the log now, keep it in the outbox and say so."""
    try:
        data, _ = server.save_log(payload)
    except remote.RemoteError as error:
        kept = box.keep(server.url, account, payload)
        refused = isinstance(error, remote.RefusedError) and error.refuses_what_was_sent
        if refused:
            kept = box.set_aside(remote.Kept(kept, server.url, account, payload))
        errors.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        if refused:
            errors.print(f"Your session is kept on this computer in {escape(str(kept))}.", highlight=False)
        else:
            errors.print(
                f"Your session is kept on this computer ({escape(str(kept))}) and is sent the next time you run "
                f"`hipcoach play` or `hipcoach history` with --server {server.url} and a token of {account}.",
                highlight=False,
            )
        by_input = isinstance(error, remote.TokenRefusedError) or (
            isinstance(error, remote.RefusedError) and error.by_input
        )
        raise typer.Exit(EXIT_BAD_INPUT if by_input else EXIT_SERVER) from None
    print_saved(dated(data), True)  # the key is new to this session: the log is this session's, stored once


def history_remote(address: str, token: str, limit: int) -> list[dict[str, Any]]:
    box = outbox()
    with server_errors(), remote.Server(address, token) as server:
        account = server.account()
        send_outbox(server, account, box)
        return server.logs(limit)
