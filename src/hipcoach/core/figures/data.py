"""The figures' data (``figures.toml`` beside this module), validated as strictly as the catalogue.

One ``[[figure]]`` table per drill of the catalogue and per screen test, named by the drill's id or the test's
id. A figure gives its camera view, its equipment, a named base posture and two to four key poses, each with only
the joint angles that differ from the base (the working leg's and arm's under ``working``, the other side's under
``other``, the pelvis and trunk under ``body``) and its timing. Loading refuses the whole file with one message per
problem, each naming the figure, the field and what is allowed; a drill or a test without a figure is a problem.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from hipcoach.core.catalogue import Catalogue, CatalogueError, default_catalogue, field_problem
from hipcoach.core.figures.camera import View
from hipcoach.core.figures.contacts import Lifted, missing_contacts, required, segment_name
from hipcoach.core.figures.motion import Figure, KeyPose, posed, scene
from hipcoach.core.figures.placement import BENCH_HEIGHT, POST, Prop, PropKind, place_props
from hipcoach.core.figures.ranges import out_of_range
from hipcoach.core.figures.skeleton import BODY_JOINTS, LIMB_JOINTS, OFFSETS, SEGMENTS, Pose, forward_kinematics
from hipcoach.core.figures.solve import Solve, solved
from hipcoach.core.screen import TestId
from hipcoach.core.vocabulary import Position

DEFAULT_FIGURES_PATH = Path(__file__).with_name("figures.toml")

Base = Literal["standing", "supine", "prone", "quadruped", "side-lying", "seated", "half-kneeling"]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=60)]
PARTS = frozenset(forward_kinematics(Pose()).points)
SEGMENT_NAMES = frozenset(name for name, *_ in SEGMENTS)


def _in_figure_words(name: str) -> str:
    """A skeleton part's name as a figure writes it, the right working: ``right_foot`` is ``working_foot``."""
    return name.replace("right_", "working_").replace("left_", "other_")


def _part(name: str) -> str:
    """A figure's word for a part as the skeleton's, the right working: ``working_foot`` is ``right_foot``."""
    return segment_name(name, "right")


TOUCHING_PARTS = sorted({_in_figure_words(n) for n in SEGMENT_NAMES})
Angle = Annotated[float, Field(ge=-360, le=360)]

# The base postures, the working side being the right: the angles every key pose starts from.
BASES: dict[Base, dict[str, dict[str, float]]] = {
    "standing": {"working": {"shoulder_abduction": 8, "elbow_flexion": 10}, "other": {"shoulder_abduction": 8}},
    "supine": {
        "body": {"pelvis_pitch": -90},
        "working": {"ankle_dorsiflexion": -25, "shoulder_abduction": 15},
        "other": {"ankle_dorsiflexion": -25, "shoulder_abduction": 15},
    },
    "prone": {  # on the forearms, the chest raised
        "body": {"pelvis_pitch": 62, "neck_flexion": -25},
        "working": {"hip_flexion": -28, "ankle_dorsiflexion": -45, "shoulder_flexion": 62, "elbow_flexion": 90},
        "other": {"hip_flexion": -28, "ankle_dorsiflexion": -45, "shoulder_flexion": 62, "elbow_flexion": 90},
    },
    "quadruped": {  # the arms are longer than the thighs: the back slopes up a little to the shoulders
        "body": {"pelvis_pitch": 72, "neck_flexion": -25},
        "working": {"hip_flexion": 72, "knee_flexion": 125, "shoulder_flexion": 72},  # toes tucked under
        "other": {"hip_flexion": 72, "knee_flexion": 125, "shoulder_flexion": 72},
    },
    "side-lying": {
        "body": {"pelvis_roll": -90, "trunk_side_bend": 10},
        "working": {"hip_flexion": 40, "knee_flexion": 80, "shoulder_flexion": 20, "elbow_flexion": 60},
        "other": {"hip_flexion": 40, "knee_flexion": 80, "shoulder_flexion": 160, "elbow_flexion": 130},
    },
    "seated": {
        "working": {"hip_flexion": 90, "ankle_dorsiflexion": -15, "shoulder_flexion": 35, "elbow_flexion": 45},
        "other": {"hip_flexion": 90, "ankle_dorsiflexion": -15, "shoulder_flexion": 35, "elbow_flexion": 45},
    },
    "half-kneeling": {
        "working": {"hip_flexion": -10, "knee_flexion": 95, "ankle_dorsiflexion": -50, "shoulder_abduction": 8},
        "other": {"hip_flexion": 90, "knee_flexion": 90, "shoulder_abduction": 8},
    },
}


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _angles(names: Iterable[str], what: str) -> Any:
    allowed = sorted(names)

    def check(angles: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(angles) - set(allowed))
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not {what}; allowed: {', '.join(allowed)}")
        return angles

    return check


class PoseData(Strict):
    name: Words = Field(description="The key position in words, e.g. 'Leg swung forward'.")
    hold: float = Field(default=0.0, ge=0, le=5, description="Seconds held in this position.")
    move: float = Field(default=1.0, gt=0, le=5, description="Seconds moving on to the next position.")
    body: dict[str, Angle] = Field(default_factory=dict)
    working: dict[str, Angle] = Field(default_factory=dict)
    other: dict[str, Angle] = Field(default_factory=dict)
    solve: dict[str, Annotated[str, Field(min_length=1, max_length=160)]] = Field(
        default_factory=dict,
        description="Angles turned until a part rests on the floor, e.g. {'other.knee_flexion' = 'working_foot'}.",
    )

    @field_validator("solve")
    @classmethod
    def solves_known_angles(cls, solves: dict[str, str]) -> dict[str, str]:
        for key, part in solves.items():
            where, _, name = key.partition(".")
            names = BODY_JOINTS if where == "body" else LIMB_JOINTS
            if where not in ("body", "working", "other", "both") or name not in names:
                raise ValueError(
                    f"'{key}': write body.ANGLE, working.JOINT, other.JOINT or both.JOINT, e.g. other.knee_flexion"
                )
            for one in part.split("+"):
                if _part(one) not in SEGMENT_NAMES:
                    raise ValueError(f"'{one}' is no part that can touch; allowed: {', '.join(TOUCHING_PARTS)}")
        return solves

    check_body = field_validator("body")(_angles((*BODY_JOINTS, *OFFSETS), "a body angle or offset"))
    check_limbs = field_validator("working", "other")(_angles(LIMB_JOINTS, "a joint of a leg or an arm"))


def _is_part(name: str) -> str:
    part = _part(name)
    if part == POST:
        return name
    if part not in PARTS:
        allowed = sorted({_in_figure_words(p) for p in PARTS})
        raise ValueError(f"'{name}' is no part of the body; allowed: {', '.join(allowed)}")
    return name


Part = Annotated[str, Field(min_length=1, max_length=40)]


class PropData(Strict):
    kind: PropKind
    at: Part = "pelvis"
    reach: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] = (0.2, 0.2)
    between: tuple[Part, Part] = ("other_knee", "working_knee")
    across: Literal["x", "z"] = "x"
    height: float = Field(default=BENCH_HEIGHT, gt=0, le=0.5, description="A bench's or step's height.")

    @field_validator("at")
    @classmethod
    def at_a_part(cls, name: str) -> str:
        return _is_part(name)

    @field_validator("between")
    @classmethod
    def between_parts(cls, names: tuple[str, str]) -> tuple[str, str]:
        return (_is_part(names[0]), _is_part(names[1]))


class FigureData(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(-[a-z0-9_]+)*$", max_length=64)]
    view: View
    base: Base
    position: Position | None = Field(default=None, description="A screen test's position; a drill has its own.")
    props: list[PropData] = Field(default_factory=list)
    anchor: Part | None = Field(default=None, description="A part that keeps its place on the floor.")
    lifted: Lifted = Field(default="none", description="The leg off the floor in single-leg work, if any.")
    lifted_arm: Lifted = Field(default="none", description="The arm off the floor on hands and knees, if any.")
    pose: list[PoseData] = Field(min_length=2, max_length=4)

    @field_validator("anchor")
    @classmethod
    def anchor_a_part(cls, name: str | None) -> str | None:
        return None if name is None else _is_part(name)

    @model_validator(mode="after")
    def within_human_range(self) -> Self:
        problems = []
        for key in self.pose:
            for side, angles in (("working", key.working), ("other", key.other)):
                merged = {**BASES[self.base].get(side, {}), **angles}
                problems += [
                    f"pose '{key.name}': {side}.{why}" for n, v in merged.items() if (why := out_of_range(n, v))
                ]
            merged = {**BASES[self.base].get("body", {}), **key.body}
            problems += [f"pose '{key.name}': body.{why}" for n, v in merged.items() if (why := out_of_range(n, v))]
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _pose(base: Base, key: PoseData) -> Pose:
    start = BASES[base]

    def merged(side: str, given: Mapping[str, float]) -> dict[str, float]:
        return {**start.get(side, {}), **given}

    return Pose(body=merged("body", key.body), right=merged("working", key.working), left=merged("other", key.other))


def build(data: FigureData, title: str, one_sided: bool, position: Position) -> Figure:
    """The figure the engine draws, from its validated data; what its position rests on stays planted."""
    props = tuple(
        Prop(
            p.kind,
            at=_part(p.at),
            reach=p.reach,
            between=(_part(p.between[0]), _part(p.between[1])),
            across=p.across,
            height=p.height,
        )
        for p in data.props
    )
    anchor = None if data.anchor is None else _part(data.anchor)
    keys = tuple(KeyPose(key.name, _pose(data.base, key), key.hold, key.move) for key in data.pose)
    planted = tuple(tuple(_part(part) for part in group) for group in required(position, data.lifted, data.lifted_arm))
    figure = Figure(data.id, title, data.view, keys, props, anchor, one_sided, planted)
    first = posed(figure, keys[0].pose, None)
    placed = place_props(props, first)
    closed = []
    for key, given in zip(keys, data.pose, strict=True):
        solves = tuple(_solve(where_name, part) for where_name, part in given.solve.items())
        try:
            pose = solved(key.pose, solves, lambda p: posed(figure, p, first), placed)
        except ValueError as error:
            raise FigureError([f"figure '{data.id}': pose '{key.name}': field 'solve': {error}"]) from None
        closed.append(KeyPose(key.name, pose, key.hold, key.move, solves))
    return replace(figure, poses=tuple(closed))


def _solve(where_name: str, part: str) -> Solve:
    where, _, name = where_name.partition(".")
    side = {"working": "right", "other": "left"}.get(where, where)
    return (side, name, tuple(_part(one) for one in part.split("+")))


class FigureError(CatalogueError):
    """Figures data that failed validation; ``problems`` holds one message per problem."""


class Figures:
    """Every figure, by the id of its drill or screen test, with the position each is checked against."""

    def __init__(
        self, figures: Mapping[str, Figure], data: Mapping[str, FigureData], positions: Mapping[str, Position]
    ):
        self._figures = dict(figures)
        self.data = dict(data)
        self.positions = dict(positions)

    def __contains__(self, figure_id: object) -> bool:
        return figure_id in self._figures

    def __iter__(self) -> Iterator[Figure]:
        return iter(self._figures.values())

    def __len__(self) -> int:
        return len(self._figures)

    def get(self, figure_id: str) -> Figure:
        try:
            return self._figures[figure_id]
        except KeyError:
            raise KeyError(f"no figure with id '{figure_id}'") from None


def parse_figures(data: Mapping[str, Any], catalogue: Catalogue) -> Figures:
    """Validate figures data against the catalogue and the screen's tests; raise ``CatalogueError`` listing all."""
    tables = data.get("figure")
    if not isinstance(tables, list) or not tables:
        raise FigureError(["figures: expected one or more [[figure]] tables"])
    problems: list[str] = []
    valid: dict[str, FigureData] = {}
    for number, table in enumerate(tables, start=1):
        label = _label(table, number)
        try:
            figure = FigureData.model_validate(table)
        except ValidationError as error:
            problems.extend(f"figure '{label}': {field_problem(detail, 'figure')}" for detail in error.errors())
            continue
        if figure.id in valid:
            problems.append(f"figure '{figure.id}': field 'id': another figure has this id; one figure per id")
        valid[figure.id] = figure
    figures, positions = _matched(valid, catalogue, problems)
    named = {str(table.get("id")) for table in tables if isinstance(table, dict)}  # valid or not
    problems += [
        f"drill '{drill.id}': has no figure; add a [[figure]] with id = \"{drill.id}\" to the figures file"
        for drill in catalogue
        if drill.id not in named
    ]
    problems += [
        f"screen test '{test.value}': has no figure; add a [[figure]] with id = \"{test.value}\" to the figures file"
        for test in TestId
        if test.value not in named
    ]
    if problems:
        raise FigureError(problems)
    return Figures(figures, valid, positions)


def _label(table: Any, number: int) -> str:
    return str(table.get("id")) if isinstance(table, dict) and table.get("id") else f"#{number} (no id)"


def _matched(
    valid: Mapping[str, FigureData], catalogue: Catalogue, problems: list[str]
) -> tuple[dict[str, Figure], dict[str, Position]]:
    """The figures built, each checked against its drill (or test): equipment drawn, position held, touching."""
    tests = {test.value for test in TestId}
    figures: dict[str, Figure] = {}
    positions: dict[str, Position] = {}
    for figure_id, data in valid.items():
        if figure_id in catalogue:
            drill = catalogue.get(figure_id)
            position, title, one_sided = drill.position, drill.name, drill.one_sided
            drawn = {prop.kind for prop in data.props}
            problems += [
                f"figure '{figure_id}': field 'props': the drill uses a {item.value}; draw it (kind = \"{item.value}\")"
                for item in drill.equipment
                if item.value not in drawn
            ]
            if data.position is not None:
                problems.append(f"figure '{figure_id}': field 'position': a drill's position is the catalogue's")
        elif figure_id in tests:
            if data.position is None:
                problems.append(f"figure '{figure_id}': field 'position' is missing; a screen test names its position")
                continue
            position, title, one_sided = data.position, TestId(figure_id).description, True
        else:
            problems.append(f"figure '{figure_id}': field 'id': no drill or screen test has this id")
            continue
        try:
            figure = build(data, title, one_sided, position)
        except FigureError as error:
            problems += error.problems
            continue
        problems += [
            f"figure '{figure_id}': {why}" for why in touching_problems(figure, position, data.lifted, data.lifted_arm)
        ]
        figures[figure_id] = figure
        positions[figure_id] = position
    return figures, positions


def touching_problems(figure: Figure, position: Position, lifted: Lifted, lifted_arm: Lifted = "none") -> list[str]:
    """Each key pose's parts that the position says touch the floor and do not."""
    placed = scene(figure, "right", frames_per_move=1)
    problems = []
    for key, body in zip(figure.poses, placed.key_bodies, strict=True):
        for why in missing_contacts(body, placed.props, position, lifted, "right", lifted_arm=lifted_arm):
            problems.append(f"pose '{key.name}' ({position.value}): {why}")
    return problems


def load_figures_file(path: Path, catalogue: Catalogue | None = None) -> Figures:
    """Read and validate a figures file against a catalogue (the shipped one by default)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise FigureError([f"{path}: cannot read the figures file ({error})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise FigureError([f"{path}: not valid TOML ({error})"]) from None
    return parse_figures(data, catalogue if catalogue is not None else default_catalogue())


@cache
def default_figures() -> Figures:
    """The figures shipped with hipcoach, for the shipped catalogue, loaded once."""
    return load_figures_file(DEFAULT_FIGURES_PATH)
