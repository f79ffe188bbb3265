"""The drill catalogue: the drills of the source article, and a few from the clinical reference, as validated data.

The catalogue lives in ``drills.toml`` beside this module, one ``[[drill]]`` table per drill. Each drill says where
it comes from (``source``): the article, citing its section, or the clinical reference, citing the published
source (REFERENCE.md section 8), for work the runner's history calls for that the article does not have. Loading
validates every drill strictly; a broken catalogue is refused as a whole with one message per problem,
each naming the drill id, the field and what is allowed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from hipcoach.core.timeline import Unit
from hipcoach.core.vocabulary import (
    VOCABULARIES,
    Caution,
    Equipment,
    Kind,
    Phase,
    Position,
    Restriction,
    Section,
    Sides,
    Source,
    Target,
    Term,
    allowed,
)

DEFAULT_CATALOGUE_PATH = Path(__file__).with_name("drills.toml")

KebabId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

DOSE_KINDS: tuple[Unit, ...] = ("reps", "hold_seconds", "duration_seconds")


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Range(Strict):
    """An inclusive min-max range. In TOML it is written ``[min, max]``."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="before")
    @classmethod
    def from_pair(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            if len(value) != 2:
                raise ValueError("write a range as [min, max], two whole numbers")
            return {"min": value[0], "max": value[1]}
        return value

    @model_validator(mode="after")
    def not_inverted(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"range is inverted: min {self.min} is greater than max {self.max}")
        return self

    def __str__(self) -> str:
        return str(self.min) if self.min == self.max else f"{self.min}-{self.max}"


class Dose(Strict):
    """How much of a drill: exactly one of reps, hold or duration, plus sets and rest.

    The amount is per side when the drill's ``sides`` is ``each`` or ``alternating``.
    ``seconds_per_rep`` is the pace a repetition takes, so that rep-based drills can be timed.
    """

    reps: Range | None = None
    hold_seconds: Range | None = None
    duration_seconds: Range | None = None
    sets: Range = Range(min=1, max=1)
    rest_seconds: int = Field(default=0, ge=0, le=300)
    seconds_per_rep: float | None = Field(default=None, gt=0, le=20)

    @model_validator(mode="after")
    def exactly_one_amount(self) -> Self:
        given = [name for name in DOSE_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(f"give exactly one of {', '.join(DOSE_KINDS)} (found {found})")
        if self.reps is not None and self.seconds_per_rep is None:
            raise ValueError("a dose in reps needs seconds_per_rep, the pace of one repetition")
        if self.reps is None and self.seconds_per_rep is not None:
            raise ValueError("seconds_per_rep belongs only to a dose in reps")
        return self

    @property
    def unit(self) -> Unit:
        """Which amount this dose is given in: one of :data:`DOSE_KINDS`."""
        return next(name for name in DOSE_KINDS if getattr(self, name) is not None)

    @property
    def amount(self) -> Range:
        amount: Range = getattr(self, self.unit)
        return amount


class Evidence(Strict):
    """Where a drill and its dose come from.

    A drill of the article cites the article's section and what it says (``section``, ``article``). A drill from
    the clinical reference has neither: it cites the published source instead (``citation``). Either may name the
    REFERENCE.md rows its dose rests on (``reference``); a drill from the clinical reference must.
    """

    section: Section | None = Field(default=None, description="The article's section; none for a reference drill.")
    article: Text | None = Field(default=None, description="What the article says about this drill or its dose.")
    reference: list[Text] = Field(
        default_factory=list, description="REFERENCE.md rows the dose rests on, e.g. '4. static stretch'."
    )
    citation: Text | None = Field(
        default=None,
        description="For a drill from the clinical reference: what the published source says, and the source.",
    )


class Drill(Strict):
    id: KebabId
    name: Text
    # Drills written before sources were told apart are the article's: the article was the only source then.
    source: Source = Source.ARTICLE
    sections: list[Section] = Field(default_factory=list)
    kind: Kind
    position: Position
    equipment: list[Equipment] = Field(default_factory=list)
    sides: Sides
    dose: Dose
    targets: list[Target] = Field(min_length=1)
    addresses: list[Restriction] = Field(default_factory=list)
    phases: list[Phase] = Field(min_length=1)
    level: int = Field(ge=1, le=5)
    progresses_to: KebabId | None = None
    cues: list[Text] = Field(min_length=1)
    mistakes: list[Text] = Field(default_factory=list)
    cautions: list[Caution] = Field(default_factory=list)
    evidence: Evidence

    @field_validator("sections", "equipment", "targets", "addresses", "phases", "cautions")
    @classmethod
    def no_repeats(cls, words: list[Any]) -> list[Any]:
        repeated = sorted({str(w) for w in words if words.count(w) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(repeated)} more than once")
        return words

    @model_validator(mode="after")
    def cites_its_source(self) -> Self:
        """An article drill cites the article; a clinical-reference drill cites its published source, not the
        article, so a runner is never told the article says what it does not."""
        problems = _article_problems(self) if self.source is Source.ARTICLE else _reference_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def from_article(self) -> bool:
        return self.source is Source.ARTICLE

    def source_text(self) -> str:
        """Where the drill comes from, in words: the article's section and what it says, or the published source."""
        evidence = self.evidence
        rows = f" (dose: {'; '.join(evidence.reference)})" if evidence.reference else ""
        if self.from_article and evidence.section is not None:
            return f'The article, {evidence.section.description}: "{evidence.article}"{rows}'
        return f"Clinical reference, not the article: {evidence.citation}{rows}"

    @property
    def one_sided(self) -> bool:
        """True when each side is worked on its own and gets the full dose."""
        return self.sides is not Sides.BOTH

    def dose_text(self) -> str:
        """The dose in words, e.g. '10-15 reps per leg, 1-2 sets'."""
        dose = self.dose
        amount = {
            "reps": f"{dose.amount} reps",
            "hold_seconds": f"hold {dose.amount} s",
            "duration_seconds": f"{dose.amount} s",
        }[dose.unit]
        per_side = " per side" if self.one_sided else ""
        sets = "" if dose.sets.max == 1 else f", {dose.sets} sets"
        rest = f", {dose.rest_seconds} s rest" if dose.rest_seconds else ""
        return f"{amount}{per_side}{sets}{rest}"


def _article_problems(drill: Drill) -> list[str]:
    evidence, problems = drill.evidence, []
    if not drill.sections:
        problems.append("field 'sections': a drill of the article lists the article sections it appears in")
    if evidence.section is None or evidence.article is None:
        problems.append(
            "field 'evidence': a drill of the article cites its section and what it says (section, article)"
        )
    if evidence.citation is not None:
        problems.append(
            "field 'evidence.citation': only a drill from the clinical reference has a citation; "
            'set source = "clinical-reference" or drop it'
        )
    return problems


def _reference_problems(drill: Drill) -> list[str]:
    evidence, problems = drill.evidence, []
    if drill.sections or evidence.section is not None or evidence.article is not None:
        problems.append(
            "field 'sections': a drill from the clinical reference is not in the article; "
            "leave sections empty and give no evidence section or article text"
        )
    if evidence.citation is None:
        problems.append("field 'evidence.citation': a drill from the clinical reference names its published source")
    if not evidence.reference:
        problems.append("field 'evidence.reference': a drill from the clinical reference names its REFERENCE.md rows")
    return problems


BODY_WEIGHT = "none"


def _blank_means_any(schema: dict[str, Any]) -> None:
    """A filter left blank is no filter: the library page's form sends ``position=`` for "any"."""
    schema.setdefault("anyOf", []).append({"type": "string", "const": "", "description": "Any: no filter."})


class DrillQuery(Strict):
    """Filters a runner can apply to the library; every field is optional.

    ``equipment`` keeps the drills that use that piece of equipment; the word ``none`` keeps the drills
    that need no equipment at all.
    """

    phase: Phase | None = Field(default=None, json_schema_extra=_blank_means_any)
    target: Target | None = Field(default=None, json_schema_extra=_blank_means_any)
    equipment: Equipment | Literal["none"] | None = Field(default=None, json_schema_extra=_blank_means_any)
    position: Position | None = Field(default=None, json_schema_extra=_blank_means_any)
    kind: Kind | None = Field(default=None, json_schema_extra=_blank_means_any)

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_absent(cls, value: Any) -> Any:
        return None if value == "" else value

    def matches(self, drill: Drill) -> bool:
        return (
            (self.phase is None or self.phase in drill.phases)
            and (self.target is None or self.target in drill.targets)
            and (self.equipment is None or self._equipment_matches(drill))
            and (self.position is None or drill.position is self.position)
            and (self.kind is None or drill.kind is self.kind)
        )

    def _equipment_matches(self, drill: Drill) -> bool:
        if self.equipment == BODY_WEIGHT:
            return not drill.equipment
        return self.equipment in drill.equipment


def query_problems(error: ValidationError) -> list[str]:
    """Plain messages for invalid library filters, each naming the filter and the allowed words."""
    problems = []
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "filter"
        if field == "equipment":
            words = f"{allowed(Equipment)}, {BODY_WEIGHT}"
        elif field in {"phase", "target", "position", "kind"}:
            words = allowed(FILTER_VOCABULARIES[field])
        else:
            problems.append(f"'{field}' is not a filter; filters: {', '.join(DrillQuery.model_fields)}")
            continue
        problems.append(f"{field}: '{detail['input']}' is not allowed; allowed: {words}")
    return problems


FILTER_VOCABULARIES: dict[str, type[Term]] = {"phase": Phase, "target": Target, "position": Position, "kind": Kind}


class CatalogueError(ValueError):
    """A catalogue that failed validation; ``problems`` holds one message per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class Catalogue:
    """The validated drills, by id, in the order the catalogue file gives them."""

    def __init__(self, drills: Iterable[Drill]) -> None:
        self._drills: dict[str, Drill] = {drill.id: drill for drill in drills}

    def __iter__(self) -> Iterator[Drill]:
        return iter(self._drills.values())

    def __len__(self) -> int:
        return len(self._drills)

    def __contains__(self, drill_id: object) -> bool:
        return drill_id in self._drills

    def get(self, drill_id: str) -> Drill:
        """The drill with this id; ``KeyError`` names the id when there is none."""
        try:
            return self._drills[drill_id]
        except KeyError:
            raise KeyError(f"no drill with id '{drill_id}'") from None

    def filter(self, query: DrillQuery | None = None, /, **filters: Any) -> list[Drill]:
        """Drills matching every filter of the query (or of keyword filters, validated the same way)."""
        query = query if query is not None else DrillQuery.model_validate(filters)
        return [drill for drill in self if query.matches(drill)]

    def progression_chain(self, drill_id: str) -> list[Drill]:
        """The whole chain the drill belongs to, easiest first (a lone drill is a chain of one)."""
        drill = self.get(drill_id)
        predecessor = {d.progresses_to: d for d in self if d.progresses_to is not None}
        first = drill
        while first.id in predecessor:
            first = predecessor[first.id]
        chain = [first]
        while chain[-1].progresses_to is not None:
            chain.append(self.get(chain[-1].progresses_to))
        return chain


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Validate parsed catalogue data; raise :class:`CatalogueError` listing every problem."""
    tables = data.get("drill")
    if not isinstance(tables, list) or not tables:
        raise CatalogueError(["catalogue: expected one or more [[drill]] tables"])
    problems: list[str] = []
    drills: list[Drill] = []
    for position, table in enumerate(tables, start=1):
        label = _label(table, position)
        try:
            drills.append(Drill.model_validate(table))
        except ValidationError as error:
            problems.extend(f"drill '{label}': {_describe(detail)}" for detail in error.errors())
    problems.extend(_duplicate_ids(drills))
    problems.extend(_broken_progressions(drills, named_ids=_raw_ids(tables)))
    if problems:
        raise CatalogueError(problems)
    return Catalogue(drills)


def load_catalogue_file(path: Path) -> Catalogue:
    """Read and validate a catalogue file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        # TOML is UTF-8 text (TOML 1.0); other bytes make the catalogue invalid, not the program broken.
        raise CatalogueError(
            [f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); a catalogue is UTF-8 TOML"]
        ) from None
    except OSError as error:
        raise CatalogueError([f"{path}: cannot read the file ({error.strerror})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError([f"{path}: not valid TOML ({error})"]) from None
    except RecursionError:
        raise CatalogueError([f"{path}: not valid TOML (nested too deeply)"]) from None
    return parse_catalogue(data)


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with hipcoach, loaded once."""
    return load_catalogue_file(DEFAULT_CATALOGUE_PATH)


def _label(table: Any, position: int) -> str:
    if isinstance(table, dict) and isinstance(table.get("id"), str) and table["id"]:
        return str(table["id"])
    return f"#{position} (no id)"


def _describe(detail: ErrorDetails) -> str:
    location = ".".join(str(part) for part in detail["loc"])
    field = str(detail["loc"][0]) if detail["loc"] else "drill"
    if detail["type"] == "enum" and field in VOCABULARIES:
        return f"field '{location}': '{detail['input']}' is not allowed; allowed: {allowed(VOCABULARIES[field])}"
    if detail["type"] == "missing" and location == "dose":
        return f"field 'dose' is missing; give one of {', '.join(DOSE_KINDS)} as [min, max]"
    return field_problem(detail, "drill")


def field_problem(detail: ErrorDetails, record: str) -> str:
    """One validation error of a table (a drill, a figure) as a message naming its field and what is wrong."""
    location = ".".join(str(part) for part in detail["loc"])
    if detail["type"] == "missing":
        return f"field '{location}' is missing"
    if detail["type"] == "extra_forbidden":
        return f"field '{location}' is not a {record} field"
    message = detail["msg"].removeprefix("Value error, ")
    if not location:  # a rule across fields (a drill's source): the message names its fields
        return message
    return f"field '{location}': {message}"


def _duplicate_ids(drills: list[Drill]) -> list[str]:
    seen: set[str] = set()
    problems = []
    for drill in drills:
        if drill.id in seen:
            problems.append(f"drill '{drill.id}': field 'id': the id is used by another drill; ids are unique")
        seen.add(drill.id)
    return problems


def _raw_ids(tables: list[Any]) -> set[str]:
    """Ids as written, valid drill or not: a drill that failed validation is reported once, for itself."""
    return {str(table["id"]) for table in tables if isinstance(table, dict) and "id" in table}


def _broken_progressions(drills: list[Drill], named_ids: set[str]) -> list[str]:
    ids = named_ids
    next_of = {d.id: d.progresses_to for d in drills if d.progresses_to is not None}
    problems = [
        f"drill '{drill_id}': field 'progresses_to': '{target}' names no drill in the catalogue"
        for drill_id, target in next_of.items()
        if target not in ids
    ]
    problems.extend(
        f"drill '{drill_id}': field 'progresses_to': the progression chain returns to '{drill_id}' (a chain must end)"
        for drill_id in next_of
        if _in_cycle(drill_id, next_of)
    )
    return problems


def _in_cycle(start: str, next_of: Mapping[str, str]) -> bool:
    visited: set[str] = set()
    current: str | None = next_of.get(start)
    while current is not None and current not in visited:
        if current == start:
            return True
        visited.add(current)
        current = next_of.get(current)
    return False
