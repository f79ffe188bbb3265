"""`hipcoach routine` and `hipcoach week`: today's routine and the week around the runs, in the terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from hipcoach.cli import EXIT_BAD_INPUT, app, console, errors, fail, print_json, read_json_file
from hipcoach.cli.runner import screen_owner
from hipcoach.core.planner import (
    DEFAULT_LEVEL,
    Context,
    PlannerInputError,
    Referral,
    ReferralRequired,
    RequestInvalidError,
    Session,
    SessionRequest,
    compose_requested,
    number_from_text,
    parse_equipment,
    parse_session_request,
)
from hipcoach.core.profile import Profile
from hipcoach.core.screen import ScreenInputError, parse_answers, score_screen
from hipcoach.core.settings_schema import (
    LEVEL,
    POST_RUN_MINUTES,
    PRE_RUN_MINUTES,
    REST_DAY_MINUTES,
    STRENGTH_DAYS,
    STRENGTH_MINUTES,
    WEEK_SETTINGS,
    NumberSetting,
)
from hipcoach.core.week import Run, Week, WeekPreferences, parse_runs, plan_week

if TYPE_CHECKING:
    from hipcoach.app.screens.models import Screen as SavedScreen
    from hipcoach.app.screens.screens import ScreenOwner

# A referral is not an error of the command, but a script must be able to tell that no plan was made.
EXIT_REFERRED = 3
# Nor is a runner never asked the safety questions: no plan is made, and the message says how to answer them.
EXIT_SAFETY_UNANSWERED = EXIT_REFERRED
LATEST = "latest"
# What --equipment takes for body weight only.
BODY_WEIGHT = "none"

# What `routine` and `week` make: both are pydantic models printed the same way.
Plan = TypeVar("Plan", Session, Week)

ScreenOption = Annotated[
    str | None,
    typer.Option(
        "--screen",
        help="A screen answers file to score, or 'latest' for your last saved screen (the default).",
    ),
]
SafetyOption = Annotated[
    Path | None,
    typer.Option(
        "--safety",
        metavar="FILE",
        help="Your answers to the safety questions as a JSON file (the screen's format, tests left out): saved "
        "as a screen, then planned from. Needed once, when no screen is saved yet.",
    ),
]
EquipmentOption = Annotated[
    str | None,
    typer.Option(help="Equipment at hand, comma-separated (e.g. foam-roller,band); 'none' for body weight only."),
]


def setting_option(setting: NumberSetting) -> Any:
    """The option for a setting of the settings' table: its help states the bounds (``week`` holds it to them)."""
    return typer.Option(help=setting.help)


def option_name(setting: NumberSetting) -> str:
    return f"--{setting.name.replace('_', '-')}"


LevelOption = Annotated[int, setting_option(LEVEL)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print as JSON, for scripts")]


def profile_for(
    screen: str | None, safety: Path | None = None, *, as_json: bool = False, owner: ScreenOwner | None = None
) -> tuple[Profile, str]:
    """The profile to plan for, and where it came from (said to the runner).

    A screen answers file answers the safety questions itself. Otherwise the plan is made from the latest saved
    screen; with none, the safety questions come first (:func:`safety_screen`): no plan is made for someone never
    asked them.
    """
    if screen is not None and screen != LATEST:
        return profile_in_file(screen)
    owner = owner or screen_owner(None)  # whose screens: the account the terminal acts as (sets Django up)
    if safety is not None:
        return saved_profile(store_safety_file(safety, owner), f"your safety answers in {safety}")
    latest = latest_saved_screen(owner)
    if latest is None:
        if screen == LATEST:
            fail(["--screen latest: no saved screen yet; take one with `hipcoach screen`"])
        latest = safety_screen(owner, as_json=as_json)
    return saved_profile(latest, f"your screen of {latest.taken_at:%Y-%m-%d}")


def profile_in_file(screen: str) -> tuple[Profile, str]:
    data = read_json_file(Path(screen), "--screen")
    try:
        result = score_screen(parse_answers(data))
    except ScreenInputError as error:
        fail([f"--screen: {problem}" for problem in error.problems])
    return result.to_profile(), f"screen answers in {screen}"


def saved_profile(screen: SavedScreen, source: str) -> tuple[Profile, str]:
    _, result = screen.to_core()
    return result.to_profile(), source


def latest_saved_screen(owner: ScreenOwner) -> SavedScreen | None:
    """The latest screen of ``owner`` (the account the terminal acts as, runner.py), else the latest the terminal
    saved for no account (before the local runner, or while several accounts share the database)."""
    from hipcoach.app.screens.screens import ScreenOwner, latest_screen

    screen = latest_screen(owner)
    if screen is None and owner.user is not None:
        screen = latest_screen(ScreenOwner.terminal())
    return screen


# --------------------------------------------------------------------------------------------------
# The safety questions before any plan
# --------------------------------------------------------------------------------------------------


def answer_them_here() -> bool:
    """Whether a runner is at the keyboard to answer the safety questions now (not a script, not a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def safety_screen(owner: ScreenOwner, *, as_json: bool) -> SavedScreen:
    """The safety questions for a runner who never answered them: asked now at a terminal, then saved; a script
    (``--json``, or no terminal) gets exit 3 and how to answer them."""
    if as_json or not answer_them_here():
        safety_questions_unanswered(as_json)
    from hipcoach.app.screens.safety_check import record_safety_answers
    from hipcoach.cli.screen import ask_safety_only

    saved = record_safety_answers(ask_safety_only(), owner)
    console.print(f"[dim]Saved as screen {saved.pk}.[/dim]", highlight=False)
    return saved


def safety_questions_unanswered(as_json: bool) -> NoReturn:
    from hipcoach.app.screens.safety_check import SAFETY_EXAMPLE_JSON, SAFETY_QUESTIONS_NEEDED

    how_to_answer = (
        "Answer them with `hipcoach screen --safety-only` (or the full `hipcoach screen`), or give them with "
        f"--safety FILE, a JSON file like {SAFETY_EXAMPLE_JSON} (each red flag answered yes goes in red_flags, each "
        "sign of low energy availability in low_energy; "
        "`hipcoach screen --schema` gives the format)."
    )
    if as_json:
        print_json({"safety_questions_answered": False, "message": f"{SAFETY_QUESTIONS_NEEDED} {how_to_answer}"})
    errors.print(f"[bold red]{SAFETY_QUESTIONS_NEEDED}[/bold red]", highlight=False)
    errors.print(how_to_answer, highlight=False, markup=False)
    raise typer.Exit(EXIT_SAFETY_UNANSWERED)


def store_safety_file(path: Path, owner: ScreenOwner) -> SavedScreen:
    """The safety answers of ``--safety FILE``, validated as a screen's answers and saved as a screen of ``owner``;
    a bad file exits 2 naming each field, and nothing is stored."""
    data = read_json_file(path, "--safety")
    from hipcoach.app.screens.safety_check import record_safety_answers

    try:
        return record_safety_answers(data, owner)
    except ScreenInputError as error:
        fail([*(f"--safety: {problem}" for problem in error.problems), f"{escape(str(path))}: nothing was saved"])


def equipment_at_hand(value: str | None) -> list[str] | None:
    if value is None:
        return None
    if value.strip() == BODY_WEIGHT:
        return []
    try:
        return sorted(parse_equipment(value, field="--equipment") or [])
    except PlannerInputError as error:
        fail([str(error)])


def session_request(
    context: str,
    minutes: str | None,
    equipment: str | None,
    level: int | None,
    *,
    seed: int = 0,
    default_minutes: Callable[[Context], float] | None = None,
) -> SessionRequest:
    """The options of one session, checked by the same parser as the page's and the API's (exit 2 naming each)."""
    try:
        return parse_session_request(
            context,
            minutes=None if minutes is None else number_from_text(minutes),
            equipment=[] if equipment is not None and equipment.strip() == BODY_WEIGHT else equipment,
            level=level,
            seed=seed,
            default_minutes=default_minutes,
            option_prefix="--",
        )
    except RequestInvalidError as error:
        fail([str(problem) for problem in error.problems])


def refer(referral: Referral, source: str, as_json: bool) -> NoReturn:
    if as_json:
        print_json({"referral": referral.model_dump(mode="json"), "profile_source": source})
    else:
        errors.print(f"[bold red]{referral.message}[/bold red]")
        for reason in referral.reasons:
            errors.print(f"  - {reason}", highlight=False)
    raise typer.Exit(EXIT_REFERRED)


def show_plan(make_plan: Callable[[], Plan], source: str, as_json: bool, print_plan: Callable[[Plan], None]) -> None:
    """Make a plan and print it, as JSON or as tables; bad input and a referral end the command."""
    try:
        plan = make_plan()
    except PlannerInputError as error:
        fail([str(error)], EXIT_BAD_INPUT)
    except ReferralRequired as referral:
        refer(referral.referral, source, as_json)
    if as_json:
        print_json({**plan.model_dump(mode="json"), "profile_source": source})
        return
    console.print(f"[dim]Profile: {source}[/dim]", highlight=False)
    print_plan(plan)


@app.command()
def routine(
    context: Annotated[
        str, typer.Option(help="pre-run, post-run, strength, rest-day, standing-series, floor-sequence")
    ],
    minutes: Annotated[str, typer.Option(help="The minutes there are, 1-120")],
    screen: ScreenOption = None,
    safety: SafetyOption = None,
    equipment: EquipmentOption = None,
    level: LevelOption = DEFAULT_LEVEL,
    seed: Annotated[int, typer.Option(help="Another seed gives another session of equal value")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Today's routine for a context and the minutes there are, personalised by your screen."""
    wanted = session_request(context, minutes, equipment, level, seed=seed)
    profile, source = profile_for(screen, safety, as_json=as_json)
    show_plan(
        lambda: compose_requested(profile, wanted),
        source,
        as_json,
        print_session,
    )


def print_session(session: Session, title: str | None = None) -> None:
    minutes, seconds = divmod(session.total_seconds, 60)
    heading = title or f"{session.context.value}: {minutes} min {seconds:02d} s"
    table = Table("#", "drill", "dose", "time", "why", title=heading, show_lines=True)
    for number, item in enumerate(session.items, start=1):
        table.add_row(str(number), item.name, item.dose, f"{item.seconds} s", "\n".join(item.why))
    console.print(table)
    for note in session.notes:
        console.print(f"  {note}", highlight=False)


@app.command()
def week(
    runs: Annotated[str, typer.Option(help='The week\'s runs as day:type:minutes, e.g. "mon:easy:40,sat:long:100"')],
    screen: ScreenOption = None,
    safety: SafetyOption = None,
    equipment: EquipmentOption = None,
    level: LevelOption = DEFAULT_LEVEL,
    pre_run_minutes: Annotated[float, setting_option(PRE_RUN_MINUTES)] = PRE_RUN_MINUTES.default,
    post_run_minutes: Annotated[float, setting_option(POST_RUN_MINUTES)] = POST_RUN_MINUTES.default,
    strength_minutes: Annotated[float, setting_option(STRENGTH_MINUTES)] = STRENGTH_MINUTES.default,
    rest_day_minutes: Annotated[float, setting_option(REST_DAY_MINUTES)] = REST_DAY_MINUTES.default,
    strength_days: Annotated[int, setting_option(STRENGTH_DAYS)] = STRENGTH_DAYS.default,
    as_json: JsonOption = False,
) -> None:
    """The week's sessions built around your runs."""
    chosen = {
        "level": level,
        "pre_run_minutes": pre_run_minutes,
        "post_run_minutes": post_run_minutes,
        "strength_minutes": strength_minutes,
        "rest_day_minutes": rest_day_minutes,
        "strength_days": strength_days,
    }
    # Bad options end the command before anything is asked or stored.
    preferences: dict[str, Any] = {"equipment": equipment_at_hand(equipment), **week_numbers(chosen)}
    week_runs = runs_given(runs)
    profile, source = profile_for(screen, safety, as_json=as_json)
    show_plan(
        lambda: plan_week(profile, week_runs, preferences),
        source,
        as_json,
        print_week,
    )


def runs_given(runs: str) -> list[Run]:
    """The week's runs as typed, parsed by the week's own parser (exit 2 naming the run that is wrong)."""
    try:
        return parse_runs([part for part in runs.split(",") if part.strip()])
    except PlannerInputError as error:
        fail([str(error)], EXIT_BAD_INPUT)


def week_numbers(chosen: dict[str, Any]) -> dict[str, Any]:
    """The week's numbers as given, each held to the settings' bounds (as the settings page and the API hold
    them); every one out of bounds named by its option, and the command ends (exit 2)."""
    numbers: dict[str, Any] = {}
    problems: list[str] = []
    for setting in WEEK_SETTINGS:
        try:
            numbers[setting.name] = setting.parse(chosen[setting.name], option_name(setting))
        except PlannerInputError as error:
            problems.append(str(error))
    if problems:
        fail(problems)
    return numbers


def print_week(planned: Week) -> None:
    table = Table("day", "runs", "sessions", title="Your week", show_lines=True)
    for day in planned.days:
        runs = ", ".join(f"{run.type.value} {run.minutes} min" for run in day.runs) or "rest"
        sessions = "\n".join(
            f"{p.context.value} {p.session.total_seconds // 60} min: {', '.join(i.name for i in p.session.items)}"
            for p in day.sessions
        )
        table.add_row(day.day.value, runs, sessions or "-")
    console.print(table)
    for note in planned.notes:
        console.print(f"  {note}", highlight=False)
    print_week_reasons(planned)


def print_week_reasons(planned: Week) -> None:
    """Each session of the week with why it is there, and each drill with its dose and why (as `routine` says)."""
    console.print("\nWhy each session, drill and dose", style="bold")
    for day in planned.days:
        for session in day.sessions:
            console.print(f"{day.day.value} {session.context.value}: {session.reason}", style="bold", highlight=False)
            for number, item in enumerate(session.session.items, start=1):
                console.print(f"  {number}. {item.name}, {item.dose}: {' '.join(item.why)}", highlight=False)
            for note in session.session.notes:
                console.print(f"  {note}", style="dim", highlight=False)


__all__ = ["WeekPreferences", "routine", "week"]
