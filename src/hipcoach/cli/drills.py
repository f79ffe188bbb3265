"""`hipcoach drills` and `hipcoach vocabulary`: the drill library in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from hipcoach.cli import EXIT_INVALID, app, console, fail, print_json
from hipcoach.core.catalogue import (
    Catalogue,
    CatalogueError,
    Drill,
    DrillQuery,
    default_catalogue,
    load_catalogue_file,
    query_problems,
)
from hipcoach.core.figures import DEFAULT_FIGURES_PATH, key_positions, load_figures_file
from hipcoach.core.vocabulary import describe_all

drills_app = typer.Typer(help="The drill library.", no_args_is_help=True)
app.add_typer(drills_app, name="drills")


def drill_records(drills: list[Drill]) -> list[dict[str, Any]]:
    return [drill.model_dump(mode="json") for drill in drills]


@drills_app.command("list")
def drills_list(
    phase: Annotated[str | None, typer.Option(help="pre-run, post-run, strength or rest-day")] = None,
    target: Annotated[str | None, typer.Option(help="A muscle region, e.g. glute-med")] = None,
    equipment: Annotated[str | None, typer.Option(help="Drills that use it, e.g. band; 'none' for body weight")] = None,
    position: Annotated[str | None, typer.Option(help="e.g. standing, supine")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the drill records as JSON")] = False,
) -> None:
    """List the drills, optionally filtered."""
    try:
        query = DrillQuery.model_validate(
            {"phase": phase, "target": target, "equipment": equipment, "position": position}
        )
    except ValidationError as error:
        fail(query_problems(error))
    drills = default_catalogue().filter(query)
    if as_json:
        print_json(drill_records(drills))
        return
    table = Table("id", "name", "kind", "dose", "phases", "source", title=f"{len(drills)} drills")
    for drill in drills:
        source = "article" if drill.from_article else "clinical reference"
        table.add_row(drill.id, drill.name, drill.kind.value, drill.dose_text(), ", ".join(drill.phases), source)
    console.print(table)


@drills_app.command("show")
def drills_show(
    drill_id: Annotated[str, typer.Argument(metavar="ID", help="The drill's id, as `drills list` shows it")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the drill record as JSON")] = False,
) -> None:
    """Show one drill: dose, cues, mistakes, targets, progression chain, cautions and source."""
    catalogue = default_catalogue()
    if drill_id not in catalogue:
        fail([f"no drill with id '{drill_id}'; `hipcoach drills list` shows the ids"])
    drill = catalogue.get(drill_id)
    if as_json:
        print_json(drill.model_dump(mode="json"))
        return
    print_drill(drill, catalogue)


def print_drill(drill: Drill, catalogue: Catalogue) -> None:
    console.print(f"[bold]{drill.name}[/bold]  ({drill.id})")
    console.print(f"Dose: {drill.dose_text()}")
    console.print(f"Kind: {drill.kind.value}   Position: {drill.position.value}   Level: {drill.level} of 5")
    console.print(f"Sides: {drill.sides.description}")
    console.print(f"Equipment: {', '.join(drill.equipment) or 'none (body weight)'}")
    console.print(f"When: {', '.join(drill.phases)}")
    console.print(f"Targets: {', '.join(drill.targets)}")
    if drill.addresses:
        console.print(f"Helps with: {', '.join(drill.addresses)}")
    console.print("\nHow to do it:")
    for number, cue in enumerate(drill.cues, start=1):
        console.print(f"  {number}. {cue}", highlight=False)
    if drill.mistakes:
        console.print("Common mistakes:")
        for mistake in drill.mistakes:
            console.print(f"  - {mistake}", highlight=False)
    chain = catalogue.progression_chain(drill.id)
    if len(chain) > 1:
        steps = [f"[bold]{step.name}[/bold]" if step.id == drill.id else step.name for step in chain]
        console.print("Progression: " + " -> ".join(steps))
    console.print(f"Cautions: {', '.join(drill.cautions) or 'none'}")
    console.print(f"Source: {drill.source_text()}", highlight=False)
    console.print("Key positions (the figure on the web and in the API):")
    for number, position in enumerate(key_positions(drill.id), start=1):
        console.print(f"  {number}. {position}", highlight=False)


@drills_app.command("validate")
def drills_validate(
    path: Annotated[Path, typer.Argument(help="A drills TOML file in the catalogue's format")],
    figures: Annotated[
        Path, typer.Option(help="The figures file to check against it (every drill and screen test needs a figure)")
    ] = DEFAULT_FIGURES_PATH,
) -> None:
    """Check a catalogue file and the figures for it: exit 0 when valid, 1 with one message per problem otherwise."""
    try:
        catalogue = load_catalogue_file(path)
        drawn = load_figures_file(figures, catalogue)
    except CatalogueError as error:
        fail(error.problems, code=EXIT_INVALID)
    console.print(f"{path}: {len(catalogue)} drills, valid; {figures}: {len(drawn)} figures, valid")


@app.command()
def vocabulary(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """The controlled vocabulary: every word a drill, screen or plan may use, with its meaning."""
    if as_json:
        print_json({field: dict(words) for field, words in describe_all().items()})
        return
    sys.stdout.write(vocabulary_markdown())


def vocabulary_markdown() -> str:
    """The vocabulary as Markdown tables; the README carries this text, and a test keeps them equal."""
    lines: list[str] = []
    for field, words in describe_all().items():
        lines += [f"**{field}**", "", "| word | meaning |", "|---|---|"]
        lines += [f"| `{word}` | {meaning} |" for word, meaning in words]
        lines.append("")
    return "\n".join(lines)
