"""`hipcoach screen`: take the hip screen in the terminal, score an answers file, and show the history.

Thin, like every command: the questions, the tests, their order, what to skip and the scoring all come
from :mod:`hipcoach.core.screen` and :mod:`hipcoach.core.safety`; saving goes through the screens app's
services, the same path the web and the API use.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from annotated_types import Ge, Le
from rich.markup import escape
from rich.text import Text

from hipcoach.cli import app, console, django_setup, fail, print_json, read_json_file
from hipcoach.cli.runner import account_for, database_ready, screen_owner
from hipcoach.core import clock
from hipcoach.core.limits import EARLIEST_DAY
from hipcoach.core.safety import Approach, EnergySign, RedFlag
from hipcoach.core.screen import (
    DISCLAIMER,
    MEASURES,
    OTHER_INJURIES,
    REAL,
    TEST_STEPS,
    Asymmetry,
    InputKind,
    ScreenAnswers,
    ScreenInputError,
    ScreenResult,
    Sex,
    StepInput,
    TestId,
    TestStep,
    answers_with_test,
    parse_answers,
    screen_json_schema,
    skipped_tests,
)
from hipcoach.core.vocabulary import Condition, Side, Term

if TYPE_CHECKING:
    from hipcoach.app.screens.models import Screen

SEVERITY_WORDS = {1: "mild", 2: "moderate", 3: "marked"}
NO_ANSWER = object()  # an empty answer: the value was not measured


@app.command()
def screen(
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Score and save answers from a JSON file (`-` reads standard input); --schema shows the format",
        ),
    ] = None,
    taken_on: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="With --answers: when the screen was taken, e.g. 2025-03-01"),
    ] = None,
    schema: Annotated[bool, typer.Option("--schema", help="Print the answers format as JSON Schema")] = False,
    history: Annotated[bool, typer.Option("--history", help="Show each measure over time, per side")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --answers or --history: print JSON")] = False,
    safety_only: Annotated[
        bool,
        typer.Option(
            "--safety-only",
            help="Ask only the safety questions (one page, a minute) and save them: enough for plans; the full "
            "screen stays optional",
        ),
    ] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Save to (or read from) this account, by its e-mail. Default: the account the terminal acts as "
            "(`hipcoach account`), whose screens the web and `play` plan from",
        ),
    ] = None,
) -> None:
    """Take the hip screen: questions, safety questions and home tests, one side at a time.

    Without options it walks you through the screen, then scores and saves it.
    """
    chosen_modes = (
        ("--answers", answers_file),
        ("--schema", schema),
        ("--history", history),
        ("--safety-only", safety_only),
    )
    modes = [name for name, chosen in chosen_modes if chosen]
    if len(modes) > 1:
        fail(
            [f"{' and '.join(modes)} cannot be combined: choose one of --answers, --schema, --history or --safety-only"]
        )
    if taken_on is not None and answers_file is None:
        fail(["--date goes with --answers FILE"])
    if schema:
        print_json(screen_json_schema())
        return
    account = account_email(user)
    if history:
        show_history(as_json=as_json, user=account)
    elif answers_file is not None:
        score_file(answers_file, taken_on, as_json=as_json, user=account)
    elif safety_only:
        if as_json:
            fail(["--json goes with --answers FILE or --history; --safety-only asks and prints its result as text"])
        take_safety_only(user=account)
    else:
        if as_json:
            fail(["--json goes with --answers FILE or --history; the walk-through prints its result as text"])
        walk_through(user=account)


def account_email(email: str | None) -> str | None:
    """Check an account e-mail given with --user (exit 2 naming it when there is no such account)."""
    if email is not None:
        account_for(email)
    return email


def save(answers: ScreenAnswers, taken_at: datetime | None = None, user: str | None = None) -> Screen:
    database_ready()
    from hipcoach.app.screens.screens import record_screen

    saved, _ = record_screen(answers, screen_owner(user), taken_at=taken_at)
    return saved


# --------------------------------------------------------------------------------------------------
# --answers FILE
# --------------------------------------------------------------------------------------------------


def score_file(path: Path, taken_on: str | None, *, as_json: bool, user: str | None = None) -> None:
    taken_at = parse_taken_on(taken_on) if taken_on is not None else None
    name = "standard input" if str(path) == "-" else escape(str(path))
    data = read_json_file(path, "--answers", stdin=True)
    try:
        answers = parse_answers(data)
    except ScreenInputError as error:
        fail([*error.problems, f"{name}: nothing was saved; `hipcoach screen --schema` prints the answers format"])
    saved = save(answers, taken_at, user)
    _, result = saved.to_core()  # the result as saved
    if as_json:
        print_json({**result.model_dump(mode="json"), "id": saved.pk, "taken_at": saved.taken_at.isoformat()})
        return
    print_result(result)
    console.print(f"\nSaved as screen {saved.pk}, taken {local_text(saved.taken_at)}.", highlight=False)


def parse_taken_on(text: str) -> datetime:
    """A date (or date and time) the screen was taken, in the local time zone; never in the future."""
    django_setup()
    from django.utils import timezone

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        fail([f"--date: {text!r} is not allowed; allowed: a date such as 2025-03-01, or 2025-03-01T07:30"])
    if moment.date() < EARLIEST_DAY:
        fail([f"--date: {text!r} is before {EARLIEST_DAY.isoformat()}; allowed: {EARLIEST_DAY.isoformat()} or later"])
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > clock.now():
        fail([f"--date: {text!r} is in the future; allowed: today or earlier"])
    return moment


def local_text(moment: datetime) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------------------------------
# The result, in words
# --------------------------------------------------------------------------------------------------


def say(text: str, style: str = "", indent: int = 0) -> None:
    """Print plain text (never read as markup), wrapped to the terminal with its indent kept on every line."""
    margin = " " * indent
    lines = [
        textwrap.fill(
            part, width=max(console.width, 40), initial_indent=margin, subsequent_indent=margin, break_on_hyphens=False
        )
        for part in text.split("\n")
    ]
    console.print(Text("\n".join(lines), style=style), soft_wrap=True, highlight=False)


def say_list(heading: str, entries: Sequence[str]) -> None:
    """A bold heading over a bulleted list; nothing at all when the list is empty."""
    if not entries:
        return
    say(heading, "bold")
    for entry in entries:
        say(f"- {entry}", indent=2)


def print_result(result: ScreenResult) -> None:
    """The result in words: the referral first, then advice to see a clinician, what to work on, and what was not
    measured or not asked."""
    if result.refer:
        print_referral(result)
    for advice in result.advice:
        say(f"SEE A CLINICIAN (not urgent): {advice}", "bold yellow")
        console.print()
    print_restrictions(result)
    say_list("\nLeft/right differences", [difference_text(asymmetry) for asymmetry in result.asymmetries])
    say_list(
        "\nPrecautions: movements left out of every drill",
        [f"{caution.value}: {caution.description}" for caution in result.precautions],
    )
    say_list("\nNotes", result.notes)
    if result.not_measured:
        say("\nNot measured (never assumed normal)", "bold")
        say(", ".join(unmeasured_names(result)), indent=2)
    if result.not_answered:
        say("\nSafety questions not asked (never assumed no)", "bold")
        say(", ".join(NOT_ASKED_WORDS.get(name, name) for name in result.not_answered), indent=2)
    say("\nSummary", "bold")
    say(result.summary, "bold red" if result.refer else "", indent=2)
    say(f"\n{result.disclaimer}", "italic")


def print_referral(result: ScreenResult) -> None:
    if result.urgent:
        say("URGENT: see a clinician today. Do not run.", "bold red")
    else:
        say("REFER: book an appointment with a clinician (a doctor or physiotherapist).", "bold red")
    say("Why:", "red")
    for reason in result.refer_reasons:
        say(f"- {reason}", "red", indent=2)
    say("Your training plan stays locked until a clinician has seen you and cleared you to train.", "red")
    console.print()


def print_restrictions(result: ScreenResult) -> None:
    say("Restrictions", "bold")
    if not result.restrictions:
        say("None found in the tests you did.", indent=2)
    for side in (Side.LEFT, Side.RIGHT, Side.BOTH):
        findings = [finding for finding in result.restrictions if finding.side is side]
        if findings:
            say(f"{side.description}:", indent=2)
        for finding in findings:
            say(f"- {finding.id.description} Severity: {SEVERITY_WORDS[finding.severity]}.", indent=4)
            for line in finding.evidence:
                say(line, "dim", indent=6)


# Units a number reads well with; scores and fault counts are shown bare, with the unit in the title.
SPOKEN_UNITS = {"deg", "cm", "s"}
MEASURE_WORDS = {"knee_above_cm": "knee height", "seconds": "seconds held"}
# The safety questions a result can list as not asked (answers saved before the question existed).
NOT_ASKED_WORDS = {"low_energy": "signs of low energy availability (missed or irregular periods, eating too little)"}


def measure_title(measure: str, unit: str) -> str:
    """A measure in words, e.g. 'FABER (figure-4), knee height' or 'Single-leg squat (faults)'."""
    test, _, key = measure.partition(".")
    detail = f", {MEASURE_WORDS.get(key, key.replace('_', ' '))}" if key else ""
    shown_unit = "" if unit in SPOKEN_UNITS else f" ({unit})"
    return f"{TestId(test).description}{detail}{shown_unit}"


def amount(value: float, unit: str) -> str:
    return f"{value:g} {unit}" if unit in SPOKEN_UNITS else f"{value:g}"


def difference_text(asymmetry: Asymmetry) -> str:
    unit = asymmetry.unit
    verdict = "real difference" if asymmetry.verdict == REAL else asymmetry.verdict
    smallest = asymmetry.smallest_real_difference
    threshold = f" (smallest real difference {amount(smallest, unit)})" if smallest is not None else ""
    return (
        f"{measure_title(asymmetry.measure, unit)}: left {amount(asymmetry.left, unit)}, right "
        f"{amount(asymmetry.right, unit)}, difference {amount(asymmetry.difference, unit)}: {verdict}{threshold}"
    )


def unmeasured_names(result: ScreenResult) -> list[str]:
    sides: dict[TestId, list[str]] = {}
    for missing in result.not_measured:
        sides.setdefault(missing.test, [])
        if missing.side is not None:
            sides[missing.test].append(missing.side.value)
    return [
        f"{test.description} ({' and '.join(names)})" if 0 < len(names) < 2 else test.description
        for test, names in sides.items()
    ]


# --------------------------------------------------------------------------------------------------
# --history
# --------------------------------------------------------------------------------------------------

UNITS = {measure.path: measure.unit for measure in MEASURES}
TESTS_BY_MEASURE = {measure.path: measure.test for measure in MEASURES}


def show_history(*, as_json: bool, user: str | None = None) -> None:
    database_ready()
    from hipcoach.app.screens.screens import measure_history, screens_of

    owner = screen_owner(user)
    series = measure_history(owner)
    if as_json:
        print_json(
            [
                {
                    "measure": measure,
                    "test": TESTS_BY_MEASURE[measure].value,
                    "title": TESTS_BY_MEASURE[measure].description,
                    "side": side or None,
                    "unit": UNITS[measure],
                    "points": [
                        {
                            "taken_at": point.taken_at.isoformat(),
                            "value": point.value,
                            "change": None if point.change is None else point.change.model_dump(mode="json"),
                        }
                        for point in points
                    ],
                }
                for (measure, side), points in series.items()
            ]
        )
        return
    if not series:
        if screens_of(owner).exists():
            say("No measures yet: the saved screens hold no test results.")
        else:
            say("No screens saved yet: `hipcoach screen` takes one.")
        return
    for (measure, side), points in series.items():
        unit = UNITS[measure]
        say(f"{measure_title(measure, unit)}, {side or 'both sides'}", "bold")
        for point in points:
            line = f"{local_text(point.taken_at)}  {amount(point.value, unit)}"
            change = point.change
            if change is not None:
                smallest = change.smallest_real_change
                threshold = f" (smallest real change {amount(smallest, unit)})" if smallest is not None else ""
                verdict = "real change" if change.verdict == REAL else change.verdict
                difference = f"{change.change:+g}" + (f" {unit}" if unit in SPOKEN_UNITS else "")
                line += f"  no change{threshold}" if change.change == 0 else f"  {difference}: {verdict}{threshold}"
            say(line, indent=2)


# --------------------------------------------------------------------------------------------------
# The walk-through
# --------------------------------------------------------------------------------------------------


def field_input(name: str, kind: InputKind, prompt: str, choices: Sequence[str] = ()) -> StepInput:
    """A question about the runner, with the bounds the answers model sets (defined once, there)."""
    metadata = ScreenAnswers.model_fields[name].metadata
    lowest = next((float(m.ge) for m in metadata if isinstance(m, Ge) and isinstance(m.ge, int | float)), None)
    highest = next((float(m.le) for m in metadata if isinstance(m, Le) and isinstance(m.le, int | float)), None)
    return StepInput(key=name, prompt=prompt, kind=kind, minimum=lowest, maximum=highest, choices=list(choices))


def allowed_text(spec: StepInput) -> str:
    if spec.kind is InputKind.YES_NO:
        return "yes or no"
    if spec.kind is InputKind.CHOICE:
        return "one of " + ", ".join(spec.choices)
    number = "a whole number" if spec.kind is InputKind.WHOLE_NUMBER else "a number"
    if spec.minimum is not None and spec.maximum is not None:
        return f"{number} from {spec.minimum:g} to {spec.maximum:g}"
    return number


def hint(spec: StepInput) -> str:
    if spec.kind is InputKind.YES_NO:
        return "y/n"
    if spec.kind is InputKind.CHOICE:
        return "/".join(spec.choices)
    if spec.minimum is not None and spec.maximum is not None:
        return f"{spec.minimum:g}-{spec.maximum:g}"
    return ""


def parse_value(spec: StepInput, text: str) -> Any:
    """The typed answer, or ValueError with what is allowed."""
    word = text.strip().lower()
    if spec.kind is InputKind.YES_NO:
        if word in {"y", "yes"}:
            return True
        if word in {"n", "no"}:
            return False
    elif spec.kind is InputKind.CHOICE:
        if word in spec.choices:
            return word
    else:
        try:
            number: float = int(word) if spec.kind is InputKind.WHOLE_NUMBER else float(word)
        except ValueError:
            number = math.nan
        in_range = math.isfinite(number) and (spec.minimum is None or number >= spec.minimum)
        if in_range and (spec.maximum is None or number <= spec.maximum):
            return number
    raise ValueError(f"{text.strip()!r} is not allowed; allowed: {allowed_text(spec)}")


def ask(spec: StepInput, *, required: bool, label: str | None = None) -> Any:
    """Ask until the answer is valid; an empty answer is NO_ANSWER unless the question is required."""
    shown = (label or spec.prompt).rstrip(".?: ")
    marks = hint(spec)
    text = f"{shown} [{marks}]" if marks else shown
    if not required:
        text += " (Enter: skip)"
    while True:
        typed = typer.prompt(text, default="", show_default=False).strip()
        if not typed:
            if not required:
                return NO_ANSWER
            say(f"  An answer is needed here: {allowed_text(spec)}.", "yellow")
            continue
        try:
            return parse_value(spec, typed)
        except ValueError as error:
            say(f"  {error}", "yellow")


def ask_words(prompt: str, words: Sequence[Term]) -> list[str]:
    """Words of a list, separated by commas, asked until each is one of ``words``; Enter answers none."""
    allowed = [word.value for word in words]
    while True:
        typed = typer.prompt(f"{prompt}, separated by commas (Enter: none)", default="", show_default=False).strip()
        given = [word.strip().lower() for word in typed.split(",") if word.strip()]
        unknown = [word for word in given if word not in allowed]
        if not unknown:
            return list(dict.fromkeys(given))
        say(f"  {', '.join(map(repr, unknown))} not allowed; allowed: {', '.join(allowed)}", "yellow")


def ask_history() -> dict[str, list[str]]:
    """The history question (REFERENCE.md section 8): the conditions now, then those before and settled."""
    say("Your history: your plan adds the work each condition calls for and leaves out what it should avoid.")
    for condition in Condition:
        say(f"{condition.value}: {condition.description}", "dim", indent=2)
    now = ask_words("Conditions that trouble you now", list(Condition))
    settled = [condition for condition in Condition if condition.value not in now]
    before = ask_words("Conditions you had before that have settled", settled) if settled else []
    return {"conditions_now": now, "conditions_before": before}


def ask_injuries() -> list[str]:
    say("Other past running injuries:")
    for injury in OTHER_INJURIES:
        say(f"{injury.value}: {injury.description}", "dim", indent=2)
    return ask_words("Your other past injuries", OTHER_INJURIES)


def ask_age() -> Any:
    return ask(field_input("age", InputKind.WHOLE_NUMBER, "Age in years"), required=True)


def ask_pain_now() -> Any:
    return ask(
        field_input("pain_now", InputKind.WHOLE_NUMBER, "Hip, groin or thigh pain right now, 0 none to 10 worst"),
        required=True,
    )


def ask_questions() -> dict[str, Any]:
    say("About you", "bold")
    data: dict[str, Any] = {}
    data["age"] = ask_age()
    optional = {
        "sex": ask(field_input("sex", InputKind.CHOICE, "Sex", [sex.value for sex in Sex]), required=False),
        "sitting_hours_per_day": ask(
            field_input("sitting_hours_per_day", InputKind.NUMBER, "Hours you sit on a typical day"), required=False
        ),
        "running_km_per_week": ask(
            field_input("running_km_per_week", InputKind.NUMBER, "Running distance a week, km"), required=False
        ),
    }
    data.update({name: value for name, value in optional.items() if value is not NO_ANSWER})
    data.update(ask_history())
    data["injuries"] = ask_injuries()
    data["pain_now"] = ask_pain_now()
    return data


def ask_safety_step() -> dict[str, Any]:
    """The safety step of the walk-through and of the one-page check: the red flags, the signs of low energy
    availability and a hip replacement, in that order."""
    return {"red_flags": ask_red_flags(), "low_energy": ask_low_energy(), "hip_replacement": ask_hip_replacement()}


def ask_red_flags() -> list[str]:
    say("\nSafety questions", "bold")
    say("Answer each one yes or no. A yes means a clinician should see you before you train your hips on your own.")
    yes_no = StepInput(key="", prompt="", kind=InputKind.YES_NO)
    return [flag.value for flag in RedFlag if ask(yes_no, required=True, label=flag.question)]


def ask_low_energy() -> list[str]:
    """The low-energy questions: each needs a yes or no, like the red flags (REFERENCE 6 and 8)."""
    say("\nEnergy for your training", "bold")
    say(
        "Low energy availability raises the risk of a bone stress injury. A yes does not stop your plan; with "
        "groin pain it means seeing a clinician today."
    )
    yes_no = StepInput(key="", prompt="", kind=InputKind.YES_NO)
    return [sign.value for sign in EnergySign if ask(yes_no, required=True, label=sign.question)]


def ask_hip_replacement() -> dict[str, Any] | None:
    say("\nHip replacement", "bold")
    which = StepInput(key="", prompt="", kind=InputKind.CHOICE, choices=["none", *(side.value for side in Side)])
    side = ask(which, required=True, label="Have you had a hip replacement? Which side")
    if side == "none":
        return None
    approach = StepInput(key="", prompt="", kind=InputKind.CHOICE, choices=[a.value for a in Approach])
    for choice in Approach:
        say(f"{choice.value}: {choice.description}", "dim", indent=2)
    yes_no = StepInput(key="", prompt="", kind=InputKind.YES_NO)
    return {
        "side": side,
        "approach": ask(approach, required=True, label="Surgical approach"),
        "cleared_by_clinician": ask(
            yes_no,
            required=True,
            label="Has a surgeon or physiotherapist cleared you for self-guided mobility work",
        ),
    }


def ask_side(step: TestStep, side: Side | None) -> tuple[Any, dict[str, Any]]:
    """One side's answer (or the whole test's): a number, an object of the step's inputs, or NO_ANSWER; and the
    answers kept beside it in the test's object (the single-leg squat's pain, e.g. ``{"left_pain": True}``, or the
    pain of a side not recorded: the single-leg stance's lateral hip pain, e.g. ``{"left_lateral_hip_pain": 6}``,
    or where FABER hurt, e.g. ``{"left_pain": "groin"}``)."""
    name = side.value.capitalize() if side is not None else step.title
    say(f"\n{name}:" if side is not None else "\nHow to do it:", "bold")
    for number, line in enumerate(step.instructions(side), start=1):
        say(f"{number}. {line}", indent=2)
    value: Any = {}
    for spec in (spec for spec in step.inputs if not spec.beside):
        answer = ask(spec, required=False, label=f"{name}: {spec.prompt}" if side is not None else spec.prompt)
        if answer is NO_ANSWER:
            say(f"  {name}: not measured.", "dim")
            value = NO_ANSWER
            break
        if not spec.key:
            value = answer
            break
        value[spec.key] = answer
    beside: dict[str, Any] = {}
    for spec in (spec for spec in step.inputs if spec.beside):
        if side is None:
            continue  # answers beside a side belong to tests with sides
        # Asked even when the measure was left empty: the runner may have stopped because it hurt. Once the
        # side is measured an answer is needed, since a pain question is never assumed answered no.
        answer = ask(spec, required=value is not NO_ANSWER, label=f"{name}: {spec.prompt}")
        if spec.in_side and isinstance(value, dict):
            value[spec.key] = answer  # the side was recorded: its own object holds the answer
        elif answer is not NO_ANSWER and (value is not NO_ANSWER or spec.reports_pain(answer)):
            beside[spec.answer_key(side)] = answer
    return value, beside


def run_step(answers: ScreenAnswers, step: TestStep) -> ScreenAnswers:
    say(f"\n{step.title}", "bold cyan")
    say(f"Screens: {step.screens}")
    say(f"Criteria: {step.criteria}", "dim")
    say("Press Enter at any question to leave it (or a side) not measured.", "dim")
    if not step.per_side:
        value, _ = ask_side(step, None)
        return answers if value is NO_ANSWER else answers_with_test(answers, step.id, value)
    recorded: dict[str, Any] = {}
    for side in step.sides:
        value, beside = ask_side(step, side)
        if value is not NO_ANSWER:
            recorded[side.value] = value
        recorded.update(beside)
    return answers_with_test(answers, step.id, recorded) if recorded else answers


def with_red_flag(answers: ScreenAnswers, flag: RedFlag) -> ScreenAnswers:
    data = answers.model_dump(mode="json")
    data["red_flags"] = [*data["red_flags"], flag.value]
    return parse_answers(data)


def walk_through(user: str | None = None) -> None:
    database_ready()  # before the questions, so a database problem never costs the runner their answers
    say("The hip screen", "bold")
    say(
        "A few questions, the safety questions, then up to nine home tests, left side then right. Press Enter "
        "to skip anything you cannot answer or measure: it is recorded as not measured, never as normal."
    )
    say(DISCLAIMER, "italic")
    answers = parse_answers({**ask_questions(), **ask_safety_step()})
    say("\nThe home tests", "bold")
    for step in TEST_STEPS:
        skipped = skipped_tests(answers)
        if step.id in skipped:
            say(f"\n{step.title}", "bold cyan")
            say(skipped[step.id], "yellow")
            continue
        answers = run_step(answers, step)
        flag = step.follow_up
        # Asked whenever the test was shown, measured or not: a runner who stopped because it hurt may have
        # recorded nothing, and that is when the answer matters most.
        if flag is not None and flag not in answers.red_flags:
            yes_no = StepInput(key="", prompt="", kind=InputKind.YES_NO)
            if ask(yes_no, required=True, label=flag.question):
                answers = with_red_flag(answers, flag)
    saved = save(answers, user=user)
    _, result = saved.to_core()
    say("\nYour result", "bold")
    print_result(result)
    console.print(f"\nSaved as screen {saved.pk}, taken {local_text(saved.taken_at)}.", highlight=False)


# --------------------------------------------------------------------------------------------------
# --safety-only: the one-page safety check
# --------------------------------------------------------------------------------------------------


def ask_safety_only() -> dict[str, Any]:
    """The safety questions alone, as the walk-through asks them: the age and pain now (the answers no screen may
    leave out), every red flag of the core, the signs of low energy availability and a hip replacement."""
    say("Safety questions", "bold")
    say("A minute, once: no plan is made before these are answered. The full hip screen stays optional.")
    return {"age": ask_age(), "pain_now": ask_pain_now(), **ask_safety_step()}


def take_safety_only(user: str | None = None) -> Screen:
    """Ask the safety questions, save them as a screen and say the result (a referral first)."""
    database_ready()  # before the questions, so a database problem never costs the runner their answers
    saved = save(parse_answers(ask_safety_only()), user=user)
    _, result = saved.to_core()
    if result.refer:
        print_referral(result)
    say(result.summary, "bold red" if result.refer else "")
    console.print(f"Saved as screen {saved.pk}, taken {local_text(saved.taken_at)}.", highlight=False)
    return saved
