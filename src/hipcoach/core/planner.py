"""One session: the drills for a context and a time budget, personalised to the runner's screen.

:func:`compose_session` chooses the drills, orders them, doses them and times them.

**Candidates.** A drill can be chosen only when it belongs to the context's phase, none of its
``cautions`` meets the profile's precautions, its equipment is at hand (``equipment=None`` allows
everything, an empty list is body weight only) and its level is at most the runner's (a drill the
runner progressed to, i.e. with a dose state, is allowed above it). Each candidate sits in a *slot*
of the context's sequence (below); within a slot drills go in the article's order where it gives one
(the glute chain, the floor sequence), then grouped by body position so that the runner changes
position as rarely as possible.

**Objective.** Over the set ``S`` of chosen drills the composer maximises

    V(S) = sum over restrictions r of  w_r * (1 + b + b^2 + ... + b^(n_r(S)-1))        coverage
         + sum over slots s of         F_s * (1 + g_s + ... + g_s^(n_s(S)-1))           phase fit
         + sum over drills d in S of   a_d - 0.002 * recent_d + 0.000001 * u_d          drill terms

where ``w_r`` is the severity of restriction ``r`` summed over its findings, a finding on both sides
counting twice (severity and side); ``n_r(S)`` is how many chosen drills address it, with diminishing
returns ``b = 0.5`` for covering the same thing again; ``F_s`` and ``g_s`` are a slot's weight and its
own diminishing return (so a session spreads across the article's sequence); ``a_d`` is a small bonus
for a drill the article names for this context, for the top of the glute chain at the runner's level
and for a drill the runner progressed to; ``recent_d`` is how recently the drill was done (1 for the
last session, 1/2 the one before, ...), a tie-break that varies sessions when values are equal; and
``u_d`` in [0, 1) is drawn from the seed, the last tie-break, so the same input and seed always give
the same session. It is maximised subject to:

* the total time at the drills' base doses (setup, work on every side, side switches, rests between
  sets, transitions between positions; :mod:`hipcoach.core.timeline`) within the budget;
* a drill at most once; before a run, exactly one closing dynamic drill whenever the session is not
  empty (it goes last: REFERENCE.md section 4, static stretching is followed by dynamic movement);
* before a run, the static holds on any one target (a drill's ``targets``), summed over the session,
  under 60 s on each side (REFERENCE.md section 4: 60 s or more per muscle before a run costs
  performance). A static hold is a work step in hold seconds (or the timed work of a static stretch).

A drill's base dose is the bottom of its range (or its progression state), with the tighter side of a
one-sided drill (``each``) getting one more set, or failing that a longer hold or more repetitions.

**Search.** Greedy passes add the best drill by value per second and by value (before a run, also
starting from each of the most promising closing drills); the best distinct starts are improved by
local search (add what fits; swap one drill for one; drop one and refill greedily; on catalogue-sized
problems also drop one for two) until no move improves ``V``. Drills alike in slot, position and
coverage form classes whose shared marginal value is computed once, which keeps a 1,000-drill
catalogue fast. ``bench/bench_planner.py`` compares the result with the exact optimum of ``V`` (see
:class:`SelectionProblem`, which holds the problem as data).

**Doses.** Then the doses grow within their ranges, round-robin from the drills that serve the
heaviest restrictions, by small steps and then by sets, until the next step would pass the budget
(or, before a run, take a target's static holds to 60 s a side), so a session uses at least 80% of
its budget whenever the drills at hand can fill it. The time is the timeline's
(:mod:`hipcoach.core.timeline`), so the session's total and the timeline's cannot differ.

**Rules per context** (the article; REFERENCE.md section 4): before a run, release, dynamic drills,
activation, rotators and openers, and a dynamic drill last, one set each, static holds at most 30 s a
side and under 60 s per target a side in all; after a run, foam rolling, static stretches held 20-30 s
(30-60 s from age 65), gentle rotations; strength, the glute chain (``progresses_to``) up to the
runner's level, then deep rotator work, 2-3 sets of 10-15; rest day, release and the floor sequence in
the article's order. The two named series (``standing-series``, ``floor-sequence``) are fixed presets,
still filtered by precautions, equipment and level; a drill that does not fit the time is skipped and
the rest keep the article's order (the notes say so and name what was left out).

**Refer.** A profile with ``refer=True`` gets no session: :class:`ReferralRequired` is raised, carrying
the :class:`Referral` (reasons and urgency) to show instead.

**Errors.** Bad input raises :class:`PlannerInputError` (a ``ValueError``) naming the field and what is
allowed.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise

from pydantic import Field, computed_field

from hipcoach.core._model import Frozen
from hipcoach.core.catalogue import Catalogue, Drill, default_catalogue
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import (
    DoseTuple,
    SessionItem,
    SideDose,
    Step,
    Timing,
    Unit,
    build_timeline,
    item_seconds,
    item_totals,
    transition_seconds,
)
from hipcoach.core.vocabulary import (
    Caution,
    Equipment,
    Kind,
    Phase,
    Position,
    Restriction,
    Section,
    Side,
    Sides,
    Target,
    allowed,
)

# --------------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------------

MAX_MINUTES = 120
MIN_LEVEL, MAX_LEVEL = 1, 5


class Context(StrEnum):
    """What the session is for."""

    PRE_RUN = "pre-run"
    POST_RUN = "post-run"
    STRENGTH = "strength"
    REST_DAY = "rest-day"
    STANDING_SERIES = "standing-series"
    FLOOR_SEQUENCE = "floor-sequence"


PRESETS = (Context.STANDING_SERIES, Context.FLOOR_SEQUENCE)

# The article's two named series, in its order ("Standing Hip Mobility Series": leg swings forward and
# lateral, lateral lunges, hip circles; "Floor-Based Hip Opening Sequences": 90/90, clamshell, quadruped
# hip external rotation, figure-four, butterfly).
PRESET_DRILLS: dict[Context, tuple[str, ...]] = {
    Context.STANDING_SERIES: ("forward-leg-swing", "lateral-leg-swing", "lateral-lunge", "standing-hip-circles"),
    Context.FLOOR_SEQUENCE: (
        "90-90-stretch",
        "clamshell",
        "quadruped-hip-external-rotation",
        "supine-figure-four-stretch",
        "butterfly-stretch",
    ),
}
PRESET_SECTIONS: dict[Context, Section] = {
    Context.STANDING_SERIES: Section.STANDING_SERIES,
    Context.FLOOR_SEQUENCE: Section.FLOOR_SEQUENCE,
}


class PlannerInputError(ValueError):
    """Input the planner cannot use. ``field`` names it and ``allowed`` says what is allowed."""

    def __init__(self, field: str, given: object, allowed: str, detail: str = "") -> None:
        self.field = field
        self.given = given
        self.allowed = allowed
        message = f"{field}: {given!r} is not allowed; allowed: {allowed}"
        super().__init__(f"{message} ({detail})" if detail else message)


def parse_context(value: object) -> Context:
    if isinstance(value, str):
        try:
            return Context(value)
        except ValueError:
            pass
    raise PlannerInputError("context", value, ", ".join(context.value for context in Context))


def parse_minutes(value: object, field: str = "minutes") -> float:
    """Minutes as a positive number up to :data:`MAX_MINUTES`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise PlannerInputError(field, value, f"a number of minutes, more than 0 and at most {MAX_MINUTES}")
    if value <= 0 or value > MAX_MINUTES:
        raise PlannerInputError(field, value, f"more than 0 and at most {MAX_MINUTES} minutes")
    return float(value)


def parse_level(value: object, field: str = "level") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_LEVEL <= value <= MAX_LEVEL:
        raise PlannerInputError(field, value, f"a whole number from {MIN_LEVEL} to {MAX_LEVEL}")
    return value


def parse_equipment(value: object, field: str = "equipment") -> frozenset[Equipment] | None:
    """``None`` allows all equipment; an empty list means body weight only; a string may list names."""
    if value is None:
        return None
    names: Iterable[object]
    if isinstance(value, str):
        names = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, Iterable):
        names = value
    else:
        raise PlannerInputError(field, value, f"a list of: {allowed(Equipment)} (empty for body weight only)")
    found: set[Equipment] = set()
    for name in names:
        try:
            found.add(Equipment(str(name)) if isinstance(name, str) else Equipment(name))  # type: ignore[arg-type]
        except ValueError:
            raise PlannerInputError(field, name, allowed(Equipment)) from None
    return frozenset(found)


def parse_seed(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlannerInputError("seed", value, "a whole number")
    return value


def _parse_history(value: object) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise PlannerInputError("recent_history", value, "a list of sessions, each a list of drill ids")
    sessions: list[tuple[str, ...]] = []
    for session in value:
        if isinstance(session, str) or not isinstance(session, Iterable):
            raise PlannerInputError("recent_history", session, "a list of drill ids for each session")
        sessions.append(tuple(str(drill_id) for drill_id in session))
    return tuple(sessions)


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------


class Referral(Frozen):
    """What a referred runner gets instead of a session."""

    urgent: bool
    reasons: list[str]
    message: str


class ReferralRequired(Exception):  # noqa: N818 - it is a result, not a failure of the program
    """Raised instead of a session (or a week) for a profile that refers: see ``referral``."""

    def __init__(self, referral: Referral) -> None:
        self.referral = referral
        super().__init__(referral.message)


class Session(Frozen):
    """A composed session. ``total_seconds`` is the sum of the timeline's steps."""

    context: Context
    budget_seconds: int
    items: list[SessionItem]
    timeline: list[Step]
    notes: list[str] = Field(description="Session-level reasons: the rules applied and what was left out.")
    objective: float = Field(description="The composer's objective V for the chosen drills.")
    seed: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.timeline)

    @property
    def drill_ids(self) -> list[str]:
        return [item.drill_id for item in self.items]


# --------------------------------------------------------------------------------------------------
# The context's rules: slots, weights and doses
# --------------------------------------------------------------------------------------------------

# Coverage: covering a restriction again is worth half the previous cover.
COVERAGE_RETURN = 0.5
# Drill terms of the objective.
ARTICLE_BONUS = 0.25
CHAIN_TOP_BONUS = 0.5
PROGRESSED_BONUS = 0.25
RECENT_WEIGHT = 0.002
RECENT_DECAY = 0.5
SEED_WEIGHT = 1e-6


@dataclass(frozen=True, slots=True)
class SlotRule:
    name: str
    weight: float
    diminishing: float
    rule: str


@dataclass(frozen=True, slots=True)
class ContextRules:
    phase: Phase | None
    slots: tuple[SlotRule, ...]
    closing: int | None
    article: frozenset[Section]
    summary: str
    # The static hold seconds a target may get per side in all, exclusive (None: no such limit).
    static_per_target: int | None = None


# REFERENCE 4, static stretch before a run: under 60 s per muscle costs about 1% performance, 60 s or more
# about 4.6%. Before a run the static holds on one target, summed over the session, stay under this, a side.
PRE_RUN_STATIC_PER_TARGET = 60

_PRE_RUN = ContextRules(
    phase=Phase.PRE_RUN,
    slots=(
        SlotRule("release", 1.0, 0.5, "Pre-run, article: start by foam rolling the hip flexors and quadriceps."),
        SlotRule(
            "dynamic",
            1.5,
            0.5,
            "Pre-run, article: dynamic drills (leg swings, lateral lunges) after the release; "
            "dynamic drills before a run help performance (Behm 2016).",
        ),
        SlotRule("activation", 1.0, 0.5, "Pre-run, article: activation (glute bridges, fire hydrants, clamshells)."),
        SlotRule(
            "rotators and openers",
            1.0,
            0.5,
            "Pre-run, article: rotators and openers (90/90, figure-four, pigeon); holds at most 30 s a side, "
            "under 60 s a side on any one muscle in all (Behm 2016).",
        ),
        SlotRule(
            "closing dynamic",
            1.0,
            0.5,
            "Ends the routine on dynamic movement: static stretching is followed by dynamic movement "
            "before running (Behm 2016).",
        ),
    ),
    closing=4,
    article=frozenset({Section.PRE_RUN_ROUTINE}),
    summary="Pre-run (article: 5-10 minutes): release, dynamic drills, activation, rotators and openers, "
    "and a dynamic drill last; static holds at most 30 s a side, and under 60 s a side on any one muscle "
    "in all (Behm 2016).",
    static_per_target=PRE_RUN_STATIC_PER_TARGET,
)
_POST_RUN = ContextRules(
    phase=Phase.POST_RUN,
    slots=(
        SlotRule(
            "release",
            1.0,
            0.5,
            "Post-run, article: foam roll the hip flexors, glutes and hamstrings before stretching "
            "(roll before stretching; Konrad 2021).",
        ),
        SlotRule(
            "static stretches",
            1.5,
            0.5,
            "Post-run, article: static stretches (kneeling and elevated hip flexor, knee-to-chest, "
            "figure-four, pigeon, butterfly).",
        ),
        SlotRule(
            "gentle rotations",
            1.0,
            0.5,
            "Post-run, article: gentle rotations to finish (straddle rocking, crab rotations).",
        ),
        SlotRule("other", 0.5, 0.5, "Post-run recovery work."),
    ),
    closing=None,
    article=frozenset({Section.RECOVERY_STRETCHES}),
    summary="Post-run (article: 5-10 minutes, at least three times a week): foam rolling, then static "
    "stretches held 20-30 s (30-60 s from age 65, ACSM), then gentle rotations.",
)
_STRENGTH = ContextRules(
    phase=Phase.STRENGTH,
    slots=(
        SlotRule("release", 0.5, 0.5, "Strength day: release work first."),
        SlotRule("warm-up", 0.5, 0.5, "Strength day: dynamic warm-up."),
        SlotRule(
            "glute chain",
            1.5,
            0.75,
            "Strength, article: glute activation along its chain (glute bridge, clamshell, monster walk, "
            "single-leg deadlift, hip thrust) up to your level; 2-3 sets of 10-15 (ACSM).",
        ),
        SlotRule(
            "deep rotators",
            1.0,
            0.5,
            "Strength, article: deep hip rotator work; 2-3 sets of 10-15 (ACSM).",
        ),
        SlotRule("stretch", 0.5, 0.5, "Strength day: a stretch to finish."),
    ),
    closing=None,
    article=frozenset({Section.BUM_ACTIVATION, Section.DEEP_HIP_ROTATOR}),
    summary="Strength (ACSM: 2-3 non-consecutive days a week, 2-3 sets of 10-15): the article's "
    "glute chain up to your level, then deep hip rotator work.",
)
_REST_DAY = ContextRules(
    phase=Phase.REST_DAY,
    slots=(
        SlotRule("release", 1.0, 0.5, "Rest day, article: release work (foam roller, therapy ball)."),
        SlotRule(
            "floor sequence",
            1.5,
            0.75,
            "Rest day, article: the floor-based hip opening sequence (90/90, clamshell, quadruped hip "
            "external rotation, figure-four, butterfly).",
        ),
        SlotRule("floor openers", 1.0, 0.5, "Rest day: more floor-based hip opening work."),
        SlotRule("standing", 0.5, 0.5, "Rest day: standing mobility."),
    ),
    closing=None,
    article=frozenset({Section.FLOOR_SEQUENCE, Section.HIP_FLEXOR_RELEASE}),
    summary="Rest day (article): the floor-based hip opening sequence and release work.",
)


def _preset_rules(context: Context) -> ContextRules:
    title = PRESET_SECTIONS[context].description
    return ContextRules(
        phase=None,
        slots=(SlotRule("series", 1.0, 0.75, f"The article's {title}, in its order (a fixed preset)."),),
        closing=None,
        article=frozenset({PRESET_SECTIONS[context]}),
        summary=f"Preset: the article's {title}, in its order. It is fixed, but still filtered by your "
        "precautions, equipment and level.",
    )


RULES: dict[Context, ContextRules] = {
    Context.PRE_RUN: _PRE_RUN,
    Context.POST_RUN: _POST_RUN,
    Context.STRENGTH: _STRENGTH,
    Context.REST_DAY: _REST_DAY,
    Context.STANDING_SERIES: _preset_rules(Context.STANDING_SERIES),
    Context.FLOOR_SEQUENCE: _preset_rules(Context.FLOOR_SEQUENCE),
}

# Body positions in the order a session moves through them within a slot: standing first, then down
# to the floor.
_POSITION_RANK = {
    Position.STANDING: 0,
    Position.HALF_KNEELING: 1,
    Position.QUADRUPED: 2,
    Position.SEATED: 3,
    Position.SUPINE: 4,
    Position.SIDE_LYING: 5,
    Position.PRONE: 6,
}
_POSITIONS = tuple(_POSITION_RANK)
_TRANSITION = tuple(tuple(transition_seconds(a, b) for b in _POSITIONS) for a in _POSITIONS)

# Fill steps: one repetition, five seconds of hold, ten seconds of rolling or timed work.
FILL_STEP: dict[str, int] = {"reps": 1, "hold_seconds": 5, "duration_seconds": 10}
# Bonus for the tighter side when the sets cannot grow: one raise step of hold or reps.
BONUS_STEP: dict[str, int] = {"reps": 2, "hold_seconds": 5, "duration_seconds": 10}

# REFERENCE 4, static stretch: adults 10-30 s, 30-60 s from 65; the article: 20-30 s after a run.
POST_RUN_HOLD = (20, 30)
OLDER_HOLD = (30, 60)
# REFERENCE 4, static stretch before a run: under 60 s per muscle; each hold at most 30 s a side.
PRE_RUN_HOLD_MAX = 30
# REFERENCE 4, hip/glute strength: 2-3 sets of 10-15.
STRENGTH_SETS = (2, 3)
STRENGTH_REPS = (10, 15)


@dataclass(frozen=True, slots=True)
class DoseRange:
    unit: Unit
    low: int
    high: int
    sets_low: int
    sets_high: int
    notes: tuple[str, ...]


def dose_range(context: Context, drill: Drill, older_adult: bool) -> DoseRange:
    """The amount and sets a drill may have in this context (its own range, with the context's rules)."""
    dose = drill.dose
    unit: Unit = dose.unit  # type: ignore[assignment]
    low, high = dose.amount.min, dose.amount.max
    sets_low, sets_high = dose.sets.min, dose.sets.max
    notes: list[str] = []
    is_stretch_hold = unit == "hold_seconds" and drill.kind is Kind.STATIC_STRETCH
    if is_stretch_hold and older_adult:
        low, high = OLDER_HOLD
        notes.append("Holds 30-60 s from age 65 (ACSM).")
    elif is_stretch_hold and context is Context.POST_RUN:
        low, high = POST_RUN_HOLD
        notes.append("Post-run holds 20-30 s (the article; ACSM).")
    if context is Context.PRE_RUN:
        # A warm-up does one set of each drill: the article fits about ten drills in 5-10 minutes.
        sets_low = sets_high = 1
        if unit == "hold_seconds":
            high = min(high, PRE_RUN_HOLD_MAX)
            low = min(low, high)
            notes.append("Before a run a static hold is at most 30 s a side (Behm 2016).")
    if context is Context.STRENGTH and drill.kind in (Kind.ACTIVATION, Kind.STRENGTH):
        sets_low, sets_high = STRENGTH_SETS
        if unit == "reps":
            low, high = STRENGTH_REPS
        notes.append("2-3 sets of 10-15 (ACSM).")
    return DoseRange(unit, low, high, sets_low, sets_high, tuple(notes))


# --------------------------------------------------------------------------------------------------
# Catalogue-level indexes (cached per catalogue object)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ChainInfo:
    chain: tuple[str, ...]
    position: int


@lru_cache(maxsize=16)
def _catalogue_index(catalogue: Catalogue) -> tuple[dict[str, int], dict[str, _ChainInfo]]:
    order = {drill.id: index for index, drill in enumerate(catalogue)}
    next_of = {drill.id: drill.progresses_to for drill in catalogue if drill.progresses_to is not None}
    has_predecessor = set(next_of.values())
    chains: dict[str, _ChainInfo] = {}
    for drill in catalogue:
        if drill.id in has_predecessor or drill.id not in next_of:
            continue
        chain = [drill.id]
        while chain[-1] in next_of and next_of[chain[-1]] not in chain:
            chain.append(next_of[chain[-1]])
        for position, drill_id in enumerate(chain):
            chains[drill_id] = _ChainInfo(tuple(chain), position)
    return order, chains


def _preset_ids(context: Context, catalogue: Catalogue) -> tuple[str, ...]:
    named = tuple(drill_id for drill_id in PRESET_DRILLS[context] if drill_id in catalogue)
    if named:
        return named
    section = PRESET_SECTIONS[context]
    return tuple(drill.id for drill in catalogue if section in drill.sections)


@dataclass(frozen=True, slots=True)
class _Eligible:
    fact: _DrillFacts
    closing: bool
    chain_top: bool
    progressed: bool

    @property
    def drill(self) -> Drill:
        return self.fact.drill


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The drills a runner may do in a context, in session order, and why each other drill may not."""

    eligible: tuple[_Eligible, ...]
    excluded: tuple[tuple[str, str], ...]
    no_dynamic: bool


def _slot_of(context: Context, drill: Drill, in_glute_chain: bool, floor_rank: int | None) -> int:
    """The drill's slot in the context's sequence (see the slots of :data:`RULES`)."""
    kind, standing = drill.kind, drill.position is Position.STANDING
    loaded = kind in (Kind.ACTIVATION, Kind.STRENGTH)
    if kind is Kind.SOFT_TISSUE:
        return 0  # every context starts with its release work
    if context is Context.PRE_RUN:
        return 1 if kind is Kind.DYNAMIC and standing else 2 if loaded else 3
    if context is Context.POST_RUN:
        return {Kind.STATIC_STRETCH: 1, Kind.DYNAMIC: 2}.get(kind, 3)
    if context is Context.STRENGTH:
        return (2 if in_glute_chain else 3) if loaded else 1 if kind is Kind.DYNAMIC else 4
    return 1 if floor_rank is not None else 3 if standing else 2  # rest day


@dataclass(frozen=True, slots=True)
class _DrillFacts:
    """What a drill is in one context, independent of the runner (cached per catalogue and context)."""

    drill: Drill
    cautions: frozenset[Caution]
    equipment: frozenset[Equipment]
    chain: _ChainInfo | None
    in_glute_chain: bool
    slot: int
    ranges: tuple[DoseRange, DoseRange]  # for adults, and from age 65
    article: bool
    stable_hash: int
    holds_still: bool
    static_hold: bool
    key: tuple[int, int, int, int]
    timing: Timing
    # Base doses, bonus, seconds and static hold seconds by (older adult, tighter side), for drills
    # without a progression state.
    base: dict[tuple[bool, Side | None], tuple[DoseTuple, str | None, int, tuple[int, int]]]


def is_static_hold(drill: Drill) -> bool:
    """True when the drill's work is held still: a dose in hold seconds, or a timed static stretch."""
    unit = drill.dose.unit
    return unit == "hold_seconds" or (drill.kind is Kind.STATIC_STRETCH and unit == "duration_seconds")


def static_seconds(doses: DoseTuple) -> tuple[int, int]:
    """Seconds held on the left and on the right side by these doses of a static hold (``both``: each)."""
    left = right = 0
    for side, amount, sets in doses:
        if side is not Side.RIGHT:
            left += amount * sets
        if side is not Side.LEFT:
            right += amount * sets
    return left, right


@lru_cache(maxsize=64)
def _context_facts(catalogue: Catalogue, context: Context) -> tuple[_DrillFacts, ...]:
    order, chains = _catalogue_index(catalogue)
    rules = RULES[context]
    preset = _preset_ids(context, catalogue) if context in PRESETS else ()
    floor = _preset_ids(Context.FLOOR_SEQUENCE, catalogue) if context is Context.REST_DAY else ()
    pool = [catalogue.get(drill_id) for drill_id in preset] if preset else list(catalogue)
    facts: list[_DrillFacts] = []
    for drill in pool:
        if rules.phase is not None and rules.phase not in drill.phases:
            continue
        info = chains.get(drill.id)
        in_glute_chain = (
            context is Context.STRENGTH
            and info is not None
            and len(info.chain) > 1
            and drill.kind in (Kind.ACTIVATION, Kind.STRENGTH)
        )
        floor_rank = floor.index(drill.id) if drill.id in floor else None
        if context in PRESETS:
            slot, sequence = 0, preset.index(drill.id)
        else:
            slot = _slot_of(context, drill, in_glute_chain, floor_rank)
            if in_glute_chain and info is not None:
                sequence = info.position
            elif floor_rank is not None and slot == 1:
                sequence = floor_rank
            else:
                sequence = 0
        facts.append(
            _DrillFacts(
                drill=drill,
                cautions=frozenset(drill.cautions),
                equipment=frozenset(drill.equipment),
                chain=info,
                in_glute_chain=in_glute_chain,
                slot=slot,
                ranges=(dose_range(context, drill, False), dose_range(context, drill, True)),
                article=bool(rules.article & set(drill.sections)),
                stable_hash=int.from_bytes(hashlib.blake2b(drill.id.encode(), digest_size=8).digest(), "big"),
                holds_still=drill.kind is Kind.STATIC_STRETCH or drill.dose.unit == "hold_seconds",
                static_hold=is_static_hold(drill),
                key=(slot, sequence, _POSITION_RANK[drill.position], order[drill.id]),
                timing=timing_of(drill, drill.dose.unit),  # type: ignore[arg-type]
                base={},
            )
        )
    return tuple(facts)


@lru_cache(maxsize=512)
def _eligibility(
    catalogue: Catalogue,
    context: Context,
    *,
    precautions: frozenset[Caution],
    equipment: frozenset[Equipment] | None,
    level: int,
    progressed: frozenset[str],
) -> Eligibility:
    """Which drills may be chosen, their slots and order keys, and why the others may not."""
    rules = RULES[context]
    excluded: list[tuple[str, str]] = []
    usable: list[_DrillFacts] = []
    for fact in _context_facts(catalogue, context):
        reason = _exclusion(fact, precautions, equipment, level, progressed)
        if reason:
            excluded.append((fact.drill.id, reason))
        else:
            usable.append(fact)
    kept = _follow_progression(usable, context, progressed, excluded)
    no_dynamic = rules.closing is not None and not any(fact.drill.kind is Kind.DYNAMIC for fact in kept)
    if no_dynamic:
        # Before a run the session must end on dynamic movement; with no dynamic drill at hand it holds
        # no static stretch at all (REFERENCE 4).
        excluded.extend(
            (fact.drill.id, "no dynamic drill is at hand to follow a static hold before a run")
            for fact in kept
            if fact.holds_still
        )
        kept = [fact for fact in kept if not fact.holds_still]

    top_of_chain: dict[tuple[str, ...], int] = {}
    for fact in kept:
        if fact.in_glute_chain and fact.chain is not None:
            top_of_chain[fact.chain.chain] = max(top_of_chain.get(fact.chain.chain, -1), fact.chain.position)
    standing_dynamic = any(f.drill.kind is Kind.DYNAMIC and f.drill.position is Position.STANDING for f in kept)
    eligible = [
        _Eligible(
            fact=fact,
            closing=rules.closing is not None
            and fact.drill.kind is Kind.DYNAMIC
            and (fact.drill.position is Position.STANDING or not standing_dynamic),
            chain_top=fact.in_glute_chain
            and fact.chain is not None
            and top_of_chain.get(fact.chain.chain) == fact.chain.position,
            progressed=fact.drill.id in progressed,
        )
        for fact in kept
    ]
    eligible.sort(key=lambda e: (e.fact.key, e.closing))
    return Eligibility(tuple(eligible), tuple(excluded), no_dynamic)


def _exclusion(
    fact: _DrillFacts,
    precautions: frozenset[Caution],
    equipment: frozenset[Equipment] | None,
    level: int,
    progressed: frozenset[str],
) -> str:
    """Why the runner may not do this drill ('' when they may)."""
    drill = fact.drill
    if fact.cautions & precautions:
        blocked = ", ".join(caution.value for caution in drill.cautions if caution in precautions)
        return f"your precautions exclude it ({blocked})"
    if equipment is not None and not fact.equipment <= equipment:
        missing = ", ".join(item.value for item in drill.equipment if item not in equipment)
        return f"it needs equipment you do not have ({missing})"
    if drill.level > level and drill.id not in progressed:
        return f"it is level {drill.level}, above your level {level}"
    return ""


def _follow_progression(
    usable: list[_DrillFacts], context: Context, progressed: frozenset[str], excluded: list[tuple[str, str]]
) -> list[_DrillFacts]:
    """Drop the chain drills the runner's progression has not reached, or has left behind.

    The furthest drill of a chain the runner has a state for is their place in it. Drills past it are
    not yet for them; drills before it are done with, except as the strength chain's lead-in (which walks
    the chain from its start) and in the fixed presets.
    """
    reach: dict[tuple[str, ...], int] = {}
    for fact in usable:
        if fact.chain is not None and fact.drill.id in progressed:
            reach[fact.chain.chain] = max(reach.get(fact.chain.chain, -1), fact.chain.position)
    kept: list[_DrillFacts] = []
    for fact in usable:
        info = fact.chain
        place = reach.get(info.chain, -1) if info is not None else -1
        if info is None or place < 0:
            kept.append(fact)
        elif info.position > place:
            excluded.append((fact.drill.id, "your progression has not reached it yet"))
        elif info.position < place and context is not Context.STRENGTH and context not in PRESETS:
            excluded.append((fact.drill.id, f"you have progressed past it to {info.chain[place]}"))
        else:
            kept.append(fact)
    return kept


def eligible_drills(
    profile: Profile,
    context: Context | str,
    equipment: Iterable[Equipment | str] | None = None,
    level: int = MAX_LEVEL,
    *,
    catalogue: Catalogue | None = None,
    dose_states: Mapping[str, DoseState] | None = None,
) -> list[Drill]:
    """The drills the composer may choose from for this runner and context (in catalogue order)."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    found = _eligibility(
        catalogue,
        parse_context(context),
        precautions=frozenset(profile.precautions),
        equipment=parse_equipment(equipment),
        level=parse_level(level),
        progressed=frozenset(dose_states or {}),
    )
    seen: dict[str, Drill] = {}
    for entry in found.eligible:
        seen.setdefault(entry.drill.id, entry.drill)
    order, _ = _catalogue_index(catalogue)
    return sorted(seen.values(), key=lambda drill: order[drill.id])


# --------------------------------------------------------------------------------------------------
# The selection problem (shared with the benchmark's exact solver)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A drill in a slot, at its base dose, with its part of the objective."""

    drill: Drill
    slot: int
    key: tuple[int, int, int, int]
    position: int
    closing: bool
    covers: tuple[int, ...]
    drill_term: float
    seconds: int
    doses: DoseTuple
    dose_range: DoseRange
    tighter: Side | None
    bonus: str | None
    fixed: bool
    chain_top: bool
    progressed: bool
    timing: Timing
    # Static hold seconds (left, right) at the base dose; (0, 0) for a drill that is not a static hold.
    static: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class SelectionProblem:
    """What the composer maximises, as data: the benchmark solves the same problem exactly.

    ``value`` and ``seconds`` evaluate a selection (candidate indices); ``feasible`` checks the
    constraints. Candidates are sorted by their order key, so a selection's order is its index order.
    ``static_limit``, when set (before a run), bounds the static hold seconds of any one target per side:
    :meth:`static_totals` must stay under it.
    """

    context: Context
    budget: int
    candidates: tuple[Candidate, ...]
    restrictions: tuple[Restriction, ...]
    weights: tuple[float, ...]
    slot_weights: tuple[float, ...]
    slot_returns: tuple[float, ...]
    closing_required: bool
    static_limit: int | None = None

    def value(self, selection: Iterable[int]) -> float:
        chosen = sorted(set(selection))
        counts = [0] * len(self.weights)
        slots = [0] * len(self.slot_weights)
        total = 0.0
        for index in chosen:
            candidate = self.candidates[index]
            total += candidate.drill_term
            slots[candidate.slot] += 1
            for restriction in candidate.covers:
                counts[restriction] += 1
        for weight, count in zip(self.weights, counts, strict=True):
            total += weight * _geometric(COVERAGE_RETURN, count)
        for slot, count in enumerate(slots):
            total += self.slot_weights[slot] * _geometric(self.slot_returns[slot], count)
        return total

    def seconds(self, selection: Iterable[int]) -> int:
        chosen = sorted(set(selection))
        total = sum(self.candidates[index].seconds for index in chosen)
        for before, after in pairwise(chosen):
            total += _TRANSITION[self.candidates[before].position][self.candidates[after].position]
        return total

    def feasible(self, selection: Iterable[int]) -> bool:
        chosen = sorted(set(selection))
        drills = [self.candidates[index].drill.id for index in chosen]
        if len(drills) != len(set(drills)):
            return False
        if self.closing_required and chosen and sum(self.candidates[index].closing for index in chosen) != 1:
            return False
        if self.static_limit is not None and any(
            total >= self.static_limit for total in self.static_totals(chosen).values()
        ):
            return False
        return self.seconds(chosen) <= self.budget

    def static_totals(self, selection: Iterable[int]) -> dict[tuple[Target, Side], int]:
        """Static hold seconds per target and side (left, right) of a selection at its base doses."""
        totals: dict[tuple[Target, Side], int] = {}
        for index in set(selection):
            candidate = self.candidates[index]
            if candidate.static == (0, 0):
                continue
            for target in candidate.drill.targets:
                for side, seconds in zip((Side.LEFT, Side.RIGHT), candidate.static, strict=True):
                    totals[target, side] = totals.get((target, side), 0) + seconds
        return totals


def _geometric(ratio: float, count: int) -> float:
    if count <= 0:
        return 0.0
    if ratio == 1.0:
        return float(count)
    return (1.0 - ratio**count) / (1.0 - ratio)


_MASK = (1 << 64) - 1


def _jitter(seed: int, stable_hash: int) -> float:
    """A number in [0, 1) from the seed and a drill's stable hash (splitmix64 finaliser): no ``hash()``,
    which Python salts per process, so the same seed gives the same session in every process."""
    z = (stable_hash + (seed & _MASK) * 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return (z ^ (z >> 31)) / 2.0**64


def _side_scores(profile: Profile) -> dict[Restriction, tuple[int, int]]:
    scores: dict[Restriction, tuple[int, int]] = {}
    for finding in profile.restrictions:
        left, right = scores.get(finding.id, (0, 0))
        if finding.side in (Side.LEFT, Side.BOTH):
            left += finding.severity
        if finding.side in (Side.RIGHT, Side.BOTH):
            right += finding.severity
        scores[finding.id] = (left, right)
    return scores


def _base_dose(
    drill: Drill, limits: DoseRange, state: DoseState | None, tighter: Side | None
) -> tuple[DoseTuple, str | None]:
    if state is not None:
        amount = min(max(state.amount, limits.low), limits.high)
        sets = min(max(state.sets, limits.sets_low), limits.sets_high)
    else:
        amount, sets = limits.low, limits.sets_low
    if not drill.one_sided:
        return ((Side.BOTH, amount, sets),), None
    left = right = (amount, sets)
    if drill.sides is Sides.ALTERNATING:
        # Alternating drills change legs every repetition: both sides get the same dose.
        tighter = None
    bonus: str | None = None
    if tighter is not None:
        if sets < limits.sets_high:
            extra, bonus = (amount, sets + 1), "set"
        elif amount < limits.high:
            extra, bonus = (min(limits.high, amount + BONUS_STEP[limits.unit]), sets), "amount"
        else:
            extra = (amount, sets)
        if tighter is Side.LEFT:
            left = extra
        else:
            right = extra
    return ((Side.LEFT, *left), (Side.RIGHT, *right)), bonus


def timing_of(drill: Drill, unit: Unit) -> Timing:
    """What fixes the time of a drill besides its doses."""
    return Timing(
        drill.position, drill.sides, unit, drill.dose.seconds_per_rep, bool(drill.equipment), drill.dose.rest_seconds
    )


_RESTRICTION_RANK = {restriction: rank for rank, restriction in enumerate(Restriction)}


@dataclass(frozen=True, slots=True)
class _Layout:
    """The runner-independent shape of a problem's candidates, given the eligible drills and restrictions.

    ``covers`` and ``tighter`` are per eligible drill; ``rows`` lists the candidates in their final
    (key) order as (eligible number, slot, key, closing). None of it depends on age, progression
    values, history or seed, so every session of a week in the same context shares it.
    """

    covers: tuple[tuple[int, ...], ...]
    tighter: tuple[Side | None, ...]
    # The article, chain-top and progression bonuses of each drill's term, added in the term's order
    # (left to right), so the rest of the term adds to the same float as before.
    bonus_terms: tuple[float, ...]
    rows: tuple[tuple[int, int, tuple[int, int, int, int], bool], ...]


# Layouts by id of the (cached) Eligibility they were built for. Each value keeps its Eligibility alive,
# so an id cannot be reused while its entry exists; the dict is cleared when it grows past the limit.
_LAYOUTS: dict[tuple[int, tuple[tuple[Restriction, tuple[int, int]], ...]], tuple[Eligibility, _Layout]] = {}
_LAYOUTS_LIMIT = 512


def _layout(
    found: Eligibility, closing_slot: int | None, sides: tuple[tuple[Restriction, tuple[int, int]], ...]
) -> _Layout:
    """The cached :class:`_Layout` of these eligible drills for these (ranked) restriction side scores.

    ``closing_slot`` is the context's closing slot (fixed by ``found``, which is for one context)."""
    cache_key = (id(found), sides)
    hit = _LAYOUTS.get(cache_key)
    if hit is not None and hit[0] is found:
        return hit[1]
    layout = _build_layout(found, closing_slot, sides)
    if len(_LAYOUTS) >= _LAYOUTS_LIMIT:
        _LAYOUTS.clear()
    _LAYOUTS[cache_key] = (found, layout)
    return layout


def _build_layout(
    found: Eligibility, closing_slot: int | None, sides: tuple[tuple[Restriction, tuple[int, int]], ...]
) -> _Layout:
    restriction_index = {restriction: index for index, (restriction, _) in enumerate(sides)}
    covers_of: list[tuple[int, ...]] = []
    tighter_of: list[Side | None] = []
    bonus_terms: list[float] = []
    rows: list[tuple[int, int, tuple[int, int, int, int], bool]] = []
    for number, entry in enumerate(found.eligible):
        fact = entry.fact
        drill = fact.drill
        tighter = None
        covers: tuple[int, ...] = ()
        if restriction_index and drill.addresses:
            covers = tuple(sorted(restriction_index[r] for r in drill.addresses if r in restriction_index))
            if covers and drill.one_sided:
                left = sum(sides[r][1][0] for r in covers)
                right = sum(sides[r][1][1] for r in covers)
                tighter = None if left == right else Side.LEFT if left > right else Side.RIGHT
        covers_of.append(covers)
        tighter_of.append(tighter)
        bonus_terms.append(
            (ARTICLE_BONUS if fact.article else 0.0)
            + (CHAIN_TOP_BONUS if entry.chain_top else 0.0)
            + (PROGRESSED_BONUS if entry.progressed else 0.0)
        )
        rows.append((number, fact.slot, fact.key, fact.slot == closing_slot))
        if entry.closing and closing_slot is not None:
            rows.append((number, closing_slot, (closing_slot, *fact.key[1:]), True))
    rows.sort(key=lambda row: row[2])
    return _Layout(tuple(covers_of), tuple(tighter_of), tuple(bonus_terms), tuple(rows))


def build_problem(
    profile: Profile,
    context: Context | str,
    minutes: float,
    equipment: Iterable[Equipment | str] | None,
    level: int,
    *,
    recent_history: Sequence[Sequence[str]] | None = None,
    seed: int = 0,
    catalogue: Catalogue | None = None,
    dose_states: Mapping[str, DoseState] | None = None,
) -> tuple[SelectionProblem, Eligibility]:
    """Validate the input and build the selection problem the composer solves."""
    context = parse_context(context)
    budget = round(parse_minutes(minutes) * 60)
    available = parse_equipment(equipment)
    level = parse_level(level)
    history = _parse_history(recent_history)
    seed = parse_seed(seed)
    catalogue = default_catalogue() if catalogue is None else catalogue
    states = dict(dose_states or {})
    found = _eligibility(
        catalogue,
        context,
        precautions=frozenset(profile.precautions),
        equipment=available,
        level=level,
        progressed=frozenset(states),
    )
    rules = RULES[context]

    sides = _side_scores(profile)
    restrictions = tuple(sorted(sides, key=_RESTRICTION_RANK.__getitem__))
    weights = tuple(float(sum(sides[r])) for r in restrictions)
    layout = _layout(found, rules.closing, tuple((r, sides[r]) for r in restrictions))
    recency: dict[str, float] = {}
    for age, session in enumerate(history):
        for drill_id in set(session):
            recency[drill_id] = recency.get(drill_id, 0.0) + RECENT_DECAY**age

    # Per drill: what depends on the runner's age, progression, history and seed.
    older = profile.older_adult
    parts: list[tuple[DoseRange, DoseTuple, str | None, int, tuple[int, int], float, bool]] = []
    for entry, tighter, bonus_term in zip(found.eligible, layout.tighter, layout.bonus_terms, strict=True):
        fact = entry.fact
        drill = fact.drill
        limits = fact.ranges[older]
        state = states.get(drill.id) if states else None
        if state is None:
            cached = fact.base.get((older, tighter))
            if cached is None:
                doses, bonus = _base_dose(drill, limits, None, tighter)
                static = static_seconds(doses) if fact.static_hold else (0, 0)
                cached = fact.base[older, tighter] = (doses, bonus, item_seconds(fact.timing, doses), static)
            doses, bonus, seconds, static = cached
        else:
            doses, bonus = _base_dose(drill, limits, state, tighter)
            seconds = item_seconds(fact.timing, doses)
            static = static_seconds(doses) if fact.static_hold else (0, 0)
        term = bonus_term - RECENT_WEIGHT * recency.get(drill.id, 0.0) + SEED_WEIGHT * _jitter(seed, fact.stable_hash)
        parts.append((limits, doses, bonus, seconds, static, term, state is not None))

    candidates: list[Candidate] = []
    eligible = found.eligible
    for number, slot, key, closing in layout.rows:
        entry = eligible[number]
        fact = entry.fact
        limits, doses, bonus, seconds, static, term, fixed = parts[number]
        candidates.append(
            Candidate(
                drill=fact.drill,
                slot=slot,
                key=key,
                position=key[2],
                closing=closing,
                covers=layout.covers[number],
                drill_term=term,
                seconds=seconds,
                doses=doses,
                dose_range=limits,
                tighter=layout.tighter[number] if bonus else None,
                bonus=bonus,
                fixed=fixed,
                chain_top=entry.chain_top,
                progressed=entry.progressed,
                timing=fact.timing,
                static=static,
            )
        )
    problem = SelectionProblem(
        context=context,
        budget=budget,
        candidates=tuple(candidates),
        restrictions=restrictions,
        weights=weights,
        slot_weights=tuple(slot.weight for slot in rules.slots),
        slot_returns=tuple(slot.diminishing for slot in rules.slots),
        closing_required=rules.closing is not None and not found.no_dynamic,
        static_limit=rules.static_per_target,
    )
    return problem, found


# --------------------------------------------------------------------------------------------------
# The search
# --------------------------------------------------------------------------------------------------

_EPSILON = 1e-12
# How many of the distinct greedy starts the local search improves (the best by value first).
IMPROVED_STARTS = 3
# Up to this many candidates the local search also tries dropping one drill for two.
PAIR_MOVES_UP_TO = 80


@lru_cache(maxsize=256)
def _gain_table(weight: float, ratio: float, depth: int) -> tuple[float, ...]:
    """``weight * ratio**k`` for k below ``depth``: the marginal value of the k-th drill of a slot or coverage.

    Cached because every search needs the same few tables, each as long as the candidate list (the
    coverage table uses weight 1.0: multiplying by 1.0 leaves ``ratio**k`` exactly as it was).
    """
    return tuple(weight * (ratio**k) for k in range(depth))


class _Search:
    """Greedy and local search over a :class:`SelectionProblem`, with incremental value and time.

    Candidates fall into *classes* (same slot, order block, position, closing role and coverage): all
    members of a class share the part of the marginal value that depends on the selection and the
    transition seconds, and differ only in their drill term and their seconds. The search evaluates the
    shared part once per class, which keeps a 1,000-drill catalogue fast.

    Before a run a candidate also fits only while the static hold seconds of each of its targets, per
    side, stay under the problem's ``static_limit``; the members of a class may differ in targets, so
    that is checked per member (only static holds carry a load, so the check is rare).
    """

    def __init__(self, problem: SelectionProblem) -> None:
        self.problem = problem
        candidates = problem.candidates
        self.n = len(candidates)
        self.seconds = [c.seconds for c in candidates]
        self.position = [c.position for c in candidates]
        self.term = [c.drill_term for c in candidates]
        self.closing = [c.closing for c in candidates]
        drill_numbers: dict[str, int] = {}
        self.drill = [drill_numbers.setdefault(c.drill.id, len(drill_numbers)) for c in candidates]
        # Blocks: runs of candidates with the same slot, sequence and position (contiguous in key order).
        block_numbers: dict[tuple[int, int, int], int] = {}
        self.block = [block_numbers.setdefault(c.key[:3], len(block_numbers)) for c in candidates]
        self.block_start = [0] * len(block_numbers)
        for index in range(self.n - 1, -1, -1):
            self.block_start[self.block[index]] = index
        self.block_position = [0] * len(block_numbers)
        for index in range(self.n):
            self.block_position[self.block[index]] = self.position[index]
        class_numbers: dict[tuple[int, bool, tuple[int, ...]], int] = {}
        self.cls = [
            class_numbers.setdefault((block, c.closing, c.covers), len(class_numbers))
            for block, c in zip(self.block, candidates, strict=True)
        ]
        count = len(class_numbers)
        self.members: list[list[int]] = [[] for _ in range(count)]
        for index in range(self.n):
            self.members[self.cls[index]].append(index)
        seconds, term = self.seconds, self.term  # locals: the sort keys below run once per candidate
        for members in self.members:
            members.sort(key=lambda i: (seconds[i], -term[i], i))
        self.class_slot = [candidates[m[0]].slot for m in self.members]
        self.class_block = [self.block[m[0]] for m in self.members]
        self.class_covers = [candidates[m[0]].covers for m in self.members]
        self.class_closing = [candidates[m[0]].closing for m in self.members]
        self.members_by_term = [sorted(m, key=lambda i: (-term[i], seconds[i], i)) for m in self.members]
        # The first member by term holds the class's highest term.
        self.class_max_term = [term[m[0]] for m in self.members_by_term]
        self.class_min_seconds = [seconds[m[0]] for m in self.members]
        # What best_add reads of each class, as one row (class, shortest seconds, max(shortest, 1), slot,
        # covers, highest term, block), per closing mode (True: closing classes only, False: the others,
        # None: all); each list keeps the class order, so ties resolve as before.
        rows = [
            (cls, shortest, max(shortest, 1), slot, covers, max_term, block)
            for cls, (shortest, slot, covers, max_term, block) in enumerate(
                zip(
                    self.class_min_seconds,
                    self.class_slot,
                    self.class_covers,
                    self.class_max_term,
                    self.class_block,
                    strict=True,
                )
            )
        ]
        self.class_rows: dict[bool | None, list[tuple[int, int, int, int, tuple[int, ...], float, int]]] = {
            None: rows,
            True: [row for row in rows if self.class_closing[row[0]]],
            False: [row for row in rows if not self.class_closing[row[0]]],
        }
        self.weights = problem.weights
        depth = self.n + 2
        self.coverage_gain = _gain_table(1.0, COVERAGE_RETURN, depth)
        self.slot_gain = [
            _gain_table(w, g, depth) for w, g in zip(problem.slot_weights, problem.slot_returns, strict=True)
        ]
        self.budget = problem.budget
        self.closing_required = problem.closing_required
        # Static hold load: per candidate, (target-and-side number, seconds) pairs, empty for most.
        self.static_limit = problem.static_limit or 0
        static_keys: dict[tuple[Target, int], int] = {}
        self.static_load: list[tuple[tuple[int, int], ...]] = []
        for c in candidates:
            if problem.static_limit is None or c.static == (0, 0):
                self.static_load.append(())
                continue
            self.static_load.append(
                tuple(
                    (static_keys.setdefault((target, side), len(static_keys)), seconds)
                    for target in c.drill.targets
                    for side, seconds in enumerate(c.static)
                    if seconds
                )
            )
        self.static_key_count = len(static_keys)
        self.reset()

    def reset(self) -> None:
        self.chosen: list[int] = []  # candidate indices, ascending (= session order)
        self.chosen_positions: list[int] = []
        self.in_selection = [False] * self.n
        self.drill_used = [False] * (max(self.drill, default=-1) + 1)
        self.counts = [0] * len(self.weights)
        self.slot_counts = [0] * len(self.slot_gain)
        self.block_counts = [0] * len(self.block_start)
        self.closings = 0
        self.total = 0
        self.value = 0.0
        self.static_total = [0] * self.static_key_count

    def load(self, selection: Iterable[int]) -> None:
        self.reset()
        for index in sorted(selection):
            self.add(index, self.time_gain(index))

    # Value and time of one candidate against the current selection.

    def class_gain(self, cls: int) -> float:
        slot = self.class_slot[cls]
        value = self.slot_gain[slot][self.slot_counts[slot]]
        counts, weights, coverage = self.counts, self.weights, self.coverage_gain
        for restriction in self.class_covers[cls]:
            value += weights[restriction] * coverage[counts[restriction]]
        return value

    def gain(self, index: int) -> float:
        return self.class_gain(self.cls[index]) + self.term[index]

    def loss(self, index: int) -> float:
        slot = self.class_slot[self.cls[index]]
        value = self.term[index] + self.slot_gain[slot][self.slot_counts[slot] - 1]
        counts, weights, coverage = self.counts, self.weights, self.coverage_gain
        for restriction in self.class_covers[self.cls[index]]:
            value += weights[restriction] * coverage[counts[restriction] - 1]
        return value

    def block_delta(self, block: int) -> int:
        """Transition seconds a drill of this block adds (the same for every drill of the block)."""
        if self.block_counts[block]:
            return 0
        at = bisect_left(self.chosen, self.block_start[block])
        positions = self.chosen_positions
        position = self.block_position[block]
        extra = 0
        if at > 0:
            extra += _TRANSITION[positions[at - 1]][position]
        if at < len(positions):
            extra += _TRANSITION[position][positions[at]]
            if at > 0:
                extra -= _TRANSITION[positions[at - 1]][positions[at]]
        return extra

    def time_gain(self, index: int) -> int:
        return self.seconds[index] + self.block_delta(self.block[index])

    def time_loss(self, index: int) -> int:
        at = bisect_left(self.chosen, index)
        positions = self.chosen_positions
        position = positions[at]
        freed = self.seconds[index]
        if at > 0:
            freed += _TRANSITION[positions[at - 1]][position]
        if at + 1 < len(positions):
            freed += _TRANSITION[position][positions[at + 1]]
            if at > 0:
                freed -= _TRANSITION[positions[at - 1]][positions[at + 1]]
        return freed

    def static_ok(self, index: int) -> bool:
        """Whether the candidate's static holds keep every target under the limit (True without any)."""
        total, limit = self.static_total, self.static_limit
        return all(total[key] + seconds < limit for key, seconds in self.static_load[index])

    def open(self, index: int, closing_allowed: bool) -> bool:
        if self.in_selection[index] or self.drill_used[self.drill[index]]:
            return False
        if self.static_load[index] and not self.static_ok(index):
            return False
        return not self.closing[index] or closing_allowed

    # Changing the selection.

    def add(self, index: int, time_gain: int) -> None:
        self.value += self.gain(index)
        self.total += time_gain
        at = bisect_left(self.chosen, index)
        self.chosen.insert(at, index)
        self.chosen_positions.insert(at, self.position[index])
        self.in_selection[index] = True
        self.drill_used[self.drill[index]] = True
        cls = self.cls[index]
        self.slot_counts[self.class_slot[cls]] += 1
        self.block_counts[self.block[index]] += 1
        for restriction in self.class_covers[cls]:
            self.counts[restriction] += 1
        self.closings += self.closing[index]
        for key, seconds in self.static_load[index]:
            self.static_total[key] += seconds

    def remove(self, index: int) -> None:
        self.total -= self.time_loss(index)
        self.value -= self.loss(index)
        at = bisect_left(self.chosen, index)
        del self.chosen[at]
        del self.chosen_positions[at]
        self.in_selection[index] = False
        self.drill_used[self.drill[index]] = False
        cls = self.cls[index]
        self.slot_counts[self.class_slot[cls]] -= 1
        self.block_counts[self.block[index]] -= 1
        for restriction in self.class_covers[cls]:
            self.counts[restriction] -= 1
        self.closings -= self.closing[index]
        for key, seconds in self.static_load[index]:
            self.static_total[key] -= seconds

    # Moves.

    def best_add(self, by_ratio: bool, closing: bool | None, floor: float = _EPSILON) -> tuple[int, int] | None:
        """The best candidate to add that fits: ``(index, seconds)``, or None.

        ``closing`` True considers only closing drills, False only the others, None all; ``floor`` is the
        value a candidate must beat.
        """
        room = self.budget - self.total
        best: tuple[float, int, int] = (-math.inf, -1, 0)  # score, index, seconds
        # This loop runs over every class for every move: the lookups are hoisted into locals and
        # class_gain is inlined (same terms, same order, so the same floats).
        slot_gain, slot_counts = self.slot_gain, self.slot_counts
        counts, weights, coverage = self.counts, self.weights, self.coverage_gain
        for cls, min_seconds, divisor, slot, covers, max_term, block in self.class_rows[closing]:
            if min_seconds > room:
                continue
            shared = slot_gain[slot][slot_counts[slot]]
            for restriction in covers:
                shared += weights[restriction] * coverage[counts[restriction]]
            ceiling = shared + max_term
            if ceiling <= floor:
                continue
            if (ceiling / divisor if by_ratio else ceiling) <= best[0]:
                continue
            delta = self.block_delta(block)
            if by_ratio:
                best = self._best_ratio_in_class(cls, shared, delta, room=room, floor=floor, best=best)
            else:
                best = self._best_value_in_class(cls, shared, delta, room=room, floor=floor, best=best)
        return None if best[1] < 0 else (best[1], best[2])

    def _best_ratio_in_class(
        self, cls: int, shared: float, delta: int, *, room: int, floor: float, best: tuple[float, int, int]
    ) -> tuple[float, int, int]:
        # Shortest first: once even the best term cannot beat the best ratio, no longer drill can.
        ceiling = shared + self.class_max_term[cls]
        for index in self.members[cls]:
            seconds = self.seconds[index] + delta
            divisor = seconds if seconds > 1 else 1  # max(seconds, 1), without the call in this hot loop
            if seconds > room or ceiling / divisor <= best[0]:
                break
            if self.in_selection[index] or self.drill_used[self.drill[index]]:
                continue
            if self.static_load[index] and not self.static_ok(index):
                continue
            value = shared + self.term[index]
            if value > floor and value / divisor > best[0]:
                best = (value / divisor, index, seconds)
        return best

    def _best_value_in_class(
        self, cls: int, shared: float, delta: int, *, room: int, floor: float, best: tuple[float, int, int]
    ) -> tuple[float, int, int]:
        # Highest term first: the first open drill that fits is the class's best.
        for index in self.members_by_term[cls]:
            value = shared + self.term[index]
            if value <= floor or value <= best[0]:
                break
            seconds = self.seconds[index] + delta
            if (
                seconds <= room
                and not self.in_selection[index]
                and not self.drill_used[self.drill[index]]
                and (not self.static_load[index] or self.static_ok(index))
            ):
                return (value, index, seconds)
        return best

    def closing_candidates(self, limit: int) -> list[int]:
        """Up to ``limit`` closing drills that fit alone, the best by value per second first, one per class."""
        found: list[tuple[float, int]] = []
        for cls, members in enumerate(self.members):
            if not self.class_closing[cls]:
                continue
            shared = self.class_gain(cls)
            fitting = [i for i in members if self.seconds[i] <= self.budget and self.static_ok(i)]
            if fitting:
                index = max(fitting, key=lambda i: ((shared + self.term[i]) / max(self.seconds[i], 1), -i))
                found.append(((shared + self.term[index]) / max(self.seconds[index], 1), index))
        found.sort(key=lambda entry: (-entry[0], entry[1]))
        return [index for _, index in found[:limit]]

    def _mode(self) -> bool | None:
        return False if self.closing_required else None

    def greedy(self, by_ratio: bool) -> None:
        """Add the best candidate (by value per second, or by value) until none fits."""
        if self.closing_required and not self.closings:
            first = self.best_add(by_ratio, closing=True)
            if first is None:
                return  # before a run, nothing goes in without the closing dynamic drill
            self.add(*first)
        while (found := self.best_add(by_ratio, self._mode())) is not None:
            self.add(*found)

    def improve(self, pairs: bool = False, passes: int = 25) -> None:
        """Local search until no move improves: add; swap one drill for one; drop one and refill greedily;
        with ``pairs``, also drop one drill for two."""
        for _ in range(passes):
            improved = False
            while (
                found := self.best_add(False, self._mode() if self.closings or not self.closing_required else True)
            ) is not None:
                self.add(*found)
                improved = True
            for out in list(self.chosen):
                if self.in_selection[out] and (
                    self._swap(out) or self._refill(out) or (pairs and self._swap_for_two(out))
                ):
                    improved = True
            if not improved:
                return

    def _swap(self, out: int) -> bool:
        lost = self.loss(out)
        self.remove(out)
        closing = True if (self.closing_required and self.closing[out]) else self._mode()
        found = self.best_add(False, closing, floor=lost + 1e-9)
        if found is None or found[0] == out:
            self.add(out, self.time_gain(out))
            return False
        self.add(*found)
        return True

    def _swap_for_two(self, out: int) -> bool:
        """Drop one drill for two that together are worth more (each may be worth less than it alone)."""
        lost = self.loss(out)
        self.remove(out)
        closing_out = self.closing_required and self.closing[out]
        first_mode = True if closing_out else self._mode()
        room = self.budget - self.total
        ceilings = [self.class_gain(cls) + self.class_max_term[cls] for cls in range(len(self.members))]
        second_mode = self._mode()
        top = max(
            (
                ceilings[cls]
                for cls in range(len(self.members))
                if second_mode is None or self.class_closing[cls] is second_mode
            ),
            default=0.0,
        )
        shortest = min(self.class_min_seconds, default=0)
        for cls in range(len(self.members)):
            if first_mode is not None and self.class_closing[cls] is not first_mode:
                continue
            if self.class_min_seconds[cls] + shortest > room or ceilings[cls] + top <= lost:
                continue
            first = next((i for i in self.members_by_term[cls] if i != out and self.open(i, True)), None)
            if first is None or (seconds := self.time_gain(first)) > room:
                continue
            gained = self.gain(first)
            if gained + top <= lost:
                continue
            self.add(first, seconds)
            second = self.best_add(False, self._mode(), floor=lost - gained + 1e-9)
            if second is not None:
                self.add(*second)
                return True
            self.remove(first)
        self.add(out, self.time_gain(out))
        return False

    def _refill(self, out: int) -> bool:
        before = self.value
        self.remove(out)
        added: list[int] = []
        if self.closing_required and self.closing[out]:
            first = self.best_add(True, closing=True)
            if first is not None:
                self.add(*first)
                added.append(first[0])
        if not self.closing_required or self.closings:
            while (found := self.best_add(True, self._mode())) is not None:
                self.add(*found)
                added.append(found[0])
                if added == [out]:
                    break  # back where it started: the selection was already full, nothing more fits
        if self.value > before + 1e-9 and (self.closings or not self.chosen or not self.closing_required):
            return True
        for index in reversed(added):
            self.remove(index)
        self.add(out, self.time_gain(out))
        return False


def solve(problem: SelectionProblem, closing_starts: int = 6) -> list[int]:
    """The composer's selection: the best of several greedy starts, each improved by local search.

    The starts are a greedy by value per second and one by value; before a run each of them is also
    tried from each of the ``closing_starts`` most promising closing drills, because the closing drill's
    length decides what else fits and a one-for-one swap rarely finds the better closing.
    """
    search = _Search(problem)
    starts: list[int | None] = [None]
    if problem.closing_required:
        starts += search.closing_candidates(closing_starts if search.n <= 80 else max(1, closing_starts // 2))
    greedy: dict[tuple[int, ...], float] = {}
    for closing in starts:
        for by_ratio in (True, False):
            search.reset()
            if closing is not None:
                search.add(closing, search.time_gain(closing))
            search.greedy(by_ratio)
            greedy.setdefault(tuple(search.chosen), search.value)
    # Local search from the most promising distinct starts.
    ranked = sorted(greedy, key=lambda chosen: (-greedy[chosen], chosen))[:IMPROVED_STARTS]
    best: list[int] = []
    best_value = -math.inf
    for chosen in ranked:
        search.load(chosen)
        search.improve()
        if search.value > best_value + _EPSILON:
            best, best_value = list(search.chosen), search.value
    if search.n <= PAIR_MOVES_UP_TO:
        search.load(best)
        search.improve(pairs=True)
        best = list(search.chosen)
    return best


# --------------------------------------------------------------------------------------------------
# Doses: grow within their ranges to fill the budget
# --------------------------------------------------------------------------------------------------


class _StaticLedger:
    """Static hold seconds per target and side while the doses grow, kept under ``limit`` (before a run)."""

    __slots__ = ("limit", "totals")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.totals: dict[tuple[Target, int], int] = {}

    def fits(self, targets: Sequence[Target], old: tuple[int, int], new: tuple[int, int]) -> bool:
        """Whether changing a drill's static seconds from ``old`` to ``new`` keeps its targets under."""
        totals, limit = self.totals, self.limit
        return all(
            totals.get((target, side), 0) - old[side] + new[side] < limit
            for target in targets
            for side in (0, 1)
            if new[side] > old[side]
        )

    def move(self, targets: Sequence[Target], old: tuple[int, int], new: tuple[int, int]) -> None:
        for target in targets:
            for side in (0, 1):
                self.totals[target, side] = self.totals.get((target, side), 0) - old[side] + new[side]


@dataclass(slots=True)
class _Dosing:
    candidate: Candidate
    amount: int
    sets: int
    priority: float
    # Before a run, the session's static holds per target (shared by every dosing of the session).
    ledger: _StaticLedger | None = None

    def doses(self, amount: int | None = None, sets: int | None = None) -> DoseTuple:
        """The per-side doses now, or at another ``amount`` and ``sets``."""
        c = self.candidate
        amount = self.amount if amount is None else amount
        sets = self.sets if sets is None else sets
        if not c.drill.one_sided:
            return ((Side.BOTH, amount, sets),)
        base = (amount, sets)
        extra = base
        if c.bonus == "set":
            extra = (amount, sets + 1)
        elif c.bonus == "amount":
            extra = (min(c.dose_range.high, amount + BONUS_STEP[c.dose_range.unit]), sets)
        left, right = (extra, base) if c.tighter is Side.LEFT else (base, extra)
        return ((Side.LEFT, *left), (Side.RIGHT, *right))

    def max_amount(self) -> int:
        limits = self.candidate.dose_range
        if self.candidate.bonus == "amount":
            # Keep the tighter side one step ahead.
            return max(self.amount, limits.high - BONUS_STEP[limits.unit])
        return limits.high

    def max_sets(self) -> int:
        limits = self.candidate.dose_range
        return limits.sets_high - 1 if self.candidate.bonus == "set" else limits.sets_high

    def at_max(self) -> bool:
        return self.candidate.fixed or (self.amount >= self.max_amount() and self.sets >= self.max_sets())

    def static_fits(self, amount: int, sets: int) -> bool:
        """Whether this dose keeps the targets' static holds under the limit (always, without a ledger)."""
        if self.ledger is None or self.candidate.static == (0, 0):
            return True
        now = static_seconds(self.doses())
        return self.ledger.fits(self.candidate.drill.targets, now, static_seconds(self.doses(amount, sets)))

    def set_dose(self, amount: int, sets: int) -> None:
        if self.ledger is not None and self.candidate.static != (0, 0):
            now = static_seconds(self.doses())
            self.ledger.move(self.candidate.drill.targets, now, static_seconds(self.doses(amount, sets)))
        self.amount, self.sets = amount, sets

    def grow_amount(self, room: int) -> int:
        """Add one amount step if it fits in ``room``; return the seconds it used (0 if none)."""
        if self.amount >= self.max_amount():
            return 0
        amount = min(self.max_amount(), self.amount + FILL_STEP[self.candidate.dose_range.unit])
        extra = self.seconds(amount=amount) - self.seconds()
        if extra > room or not self.static_fits(amount, self.sets):
            return 0
        self.set_dose(amount, self.sets)
        return extra

    def grow_set(self, room: int) -> int:
        """Add one set if it fits in ``room``; return the seconds it used (0 if none)."""
        if self.sets >= self.max_sets():
            return 0
        extra = self.seconds(sets=self.sets + 1) - self.seconds()
        if extra > room or not self.static_fits(self.amount, self.sets + 1):
            return 0
        self.set_dose(self.amount, self.sets + 1)
        return extra

    def set_trade(self, room: int) -> tuple[int, int]:
        """One more set at the largest amount that fits in ``room``: ``(extra seconds, amount)``, or (0, 0)."""
        if self.sets >= self.max_sets():
            return 0, 0
        now = self.seconds()
        for amount in range(self.amount, self.candidate.dose_range.low - 1, -1):
            extra = self.seconds(amount=amount, sets=self.sets + 1) - now
            if 0 < extra <= room and self.static_fits(amount, self.sets + 1):
                return extra, amount
        return 0, 0

    def seconds(self, amount: int | None = None, sets: int | None = None) -> int:
        return item_seconds(self.candidate.timing, self.doses(amount, sets))


def _start_dosing(candidate: Candidate, weights: Sequence[float], ledger: _StaticLedger | None) -> _Dosing:
    base = next(dose for dose in candidate.doses if dose[0] is not candidate.tighter)
    _, amount, sets = base
    priority = sum(weights[r] for r in candidate.covers)
    dosing = _Dosing(candidate, amount, sets, priority, ledger)
    if ledger is not None and candidate.static != (0, 0):
        ledger.move(candidate.drill.targets, (0, 0), static_seconds(dosing.doses()))
    return dosing


def fill(problem: SelectionProblem, selection: Sequence[int]) -> list[_Dosing]:
    """Grow the chosen drills' doses within their ranges until the next step would pass the budget.

    Round-robin from the drills that serve the heaviest restrictions: a small step of amount (a
    repetition, five seconds of hold, ten of rolling), or else one more set. Then, while a set does not
    fit at the current amount, the set is taken at the largest amount that fits, and the amounts are
    topped up again with what is left. With a ``static_limit`` (before a run) no step takes a target's
    static holds, per side, to the limit.
    """
    chosen = sorted(selection)
    ledger = None if problem.static_limit is None else _StaticLedger(problem.static_limit)
    dosings = [_start_dosing(problem.candidates[index], problem.weights, ledger) for index in chosen]
    room = problem.budget - problem.seconds(chosen)
    order = [dosings[i] for i in sorted(range(len(dosings)), key=lambda i: (-dosings[i].priority, i))]
    growing = [dosing for dosing in order if not dosing.candidate.fixed]
    grew = True
    while grew and room > 0:
        grew = False
        for dosing in growing:
            used = dosing.grow_amount(room) or dosing.grow_set(room)
            room -= used
            grew = grew or used > 0
    while room > 0:
        trades = [(dosing.set_trade(room), number) for number, dosing in enumerate(growing)]
        (extra, amount), number = max(trades, default=((0, 0), -1))
        if extra <= 0:
            break
        growing[number].set_dose(amount, growing[number].sets + 1)
        room -= extra
        for dosing in growing:
            while (used := dosing.grow_amount(room)) > 0:
                room -= used
    return dosings


# --------------------------------------------------------------------------------------------------
# Composing
# --------------------------------------------------------------------------------------------------


def _dose_text(candidate: Candidate, doses: DoseTuple) -> str:
    unit = candidate.dose_range.unit

    def amount(value: int) -> str:
        return {"reps": f"{value} reps", "hold_seconds": f"hold {value} s", "duration_seconds": f"{value} s"}[unit]

    def sets(value: int) -> str:
        return f" x {value} sets" if value > 1 else ""

    if len(doses) == 1:
        _, value, count = doses[0]
        return f"{amount(value)}{sets(count)}"
    (_, left_amount, left_sets), (_, right_amount, right_sets) = doses
    if (left_amount, left_sets) == (right_amount, right_sets):
        return f"{amount(left_amount)} per side{sets(left_sets)}"
    return f"left {amount(left_amount)}{sets(left_sets)}; right {amount(right_amount)}{sets(right_sets)}"


def _restriction_words(profile: Profile, restriction: Restriction) -> str:
    parts = [
        f"{finding.side.value}, severity {finding.severity}"
        for finding in profile.restrictions
        if finding.id is restriction
    ]
    return f"{restriction.value} ({'; '.join(parts)})"


def _why(
    profile: Profile,
    problem: SelectionProblem,
    rules: ContextRules,
    candidate: Candidate,
    state: DoseState | None,
) -> list[str]:
    reasons: list[str] = []
    for index in candidate.covers:
        reasons.append(f"Works on {_restriction_words(profile, problem.restrictions[index])}.")
    if candidate.bonus and candidate.tighter is not None:
        what = (
            "an extra set"
            if candidate.bonus == "set"
            else "a longer hold"
            if candidate.dose_range.unit == "hold_seconds"
            else "more work"
        )
        reasons.append(f"Your {candidate.tighter.value} side is the tighter one, so it gets {what}.")
    reasons.append(rules.slots[candidate.slot].rule)
    if candidate.chain_top:
        reasons.append("The hardest drill of the glute chain at your level.")
    if state is not None:
        reasons.append(
            "Dose from your progression log." + (" Flagged: it was stepped back after pain." if state.flagged else "")
        )
        if state.reasons:
            reasons.append(f"Last change: {state.reasons[-1]}")
    reasons.extend(candidate.dose_range.notes)
    return reasons


def compose_session(  # noqa: PLR0917 - a positional signature, as documented for callers
    profile: Profile,
    context: Context | str,
    minutes: float,
    equipment: Iterable[Equipment | str] | None,
    level: int,
    recent_history: Sequence[Sequence[str]] | None = None,
    seed: int = 0,
    *,
    catalogue: Catalogue | None = None,
    dose_states: Mapping[str, DoseState] | None = None,
) -> Session:
    """Compose one session; see the module docstring for the objective and the rules.

    ``recent_history`` lists the drill ids of recent sessions, the most recent first. ``dose_states``
    maps drill ids to their progression state (:mod:`hipcoach.core.progression`). Raises
    :class:`PlannerInputError` for bad input and :class:`ReferralRequired` for a profile that refers.
    """
    problem, found = build_problem(
        profile,
        context,
        minutes,
        equipment,
        level,
        recent_history=recent_history,
        seed=seed,
        catalogue=catalogue,
        dose_states=dose_states,
    )
    check_referral(profile)
    rules = RULES[problem.context]
    selection = _preset_selection(problem) if problem.context in PRESETS else solve(problem)
    dosings = fill(problem, selection)
    states = dose_states or {}
    items = [_item(profile, problem, rules, dosing, states.get(dosing.candidate.drill.id)) for dosing in dosings]
    timeline = build_timeline(items)
    totals = item_totals(timeline, len(items))
    items = [item.model_copy(update={"seconds": total}) for item, total in zip(items, totals, strict=True)]
    if sum(totals) > problem.budget:  # pragma: no cover - a bug, never an input
        raise RuntimeError(f"session of {sum(totals)} s is over its budget of {problem.budget} s")
    return Session(
        context=problem.context,
        budget_seconds=problem.budget,
        items=items,
        timeline=timeline,
        notes=_notes(profile, problem, found, rules, selection),
        objective=problem.value(selection),
        seed=seed,
    )


def check_referral(profile: Profile) -> None:
    if profile.refer:
        reasons = profile.refer_reasons or ["The screen found a reason to see a clinician first."]
        message = (
            "See a clinician today; no session is planned."
            if profile.urgent
            else "See a clinician before training your hips on your own; no session is planned."
        )
        raise ReferralRequired(Referral(urgent=profile.urgent, reasons=list(reasons), message=message))


def _preset_selection(problem: SelectionProblem) -> list[int]:
    """The preset's drills in the article's order, skipping each drill that does not fit with those before.

    Only what does not fit is left out: a long drill early in the series does not push out the shorter
    ones after it (transitions obey the triangle inequality, so a later drill never makes room).
    """
    selection: list[int] = []
    for index in range(len(problem.candidates)):
        if problem.feasible([*selection, index]):
            selection.append(index)
    return selection


def _item(
    profile: Profile, problem: SelectionProblem, rules: ContextRules, dosing: _Dosing, state: DoseState | None
) -> SessionItem:
    candidate = dosing.candidate
    drill = candidate.drill
    doses = dosing.doses()
    return SessionItem(
        drill_id=drill.id,
        name=drill.name,
        kind=drill.kind,
        position=drill.position,
        sides=drill.sides,
        equipment=list(drill.equipment),
        unit=candidate.dose_range.unit,
        seconds_per_rep=drill.dose.seconds_per_rep,
        rest_seconds=drill.dose.rest_seconds,
        doses=[SideDose(side=side, amount=amount, sets=sets) for side, amount, sets in doses],
        dose=_dose_text(candidate, doses),
        sets=max(sets for _, _, sets in doses),
        seconds=0,
        cue=drill.cues[0],
        why=_why(profile, problem, rules, candidate, state),
    )


def _notes(
    profile: Profile,
    problem: SelectionProblem,
    found: Eligibility,
    rules: ContextRules,
    selection: Sequence[int],
) -> list[str]:
    notes = [rules.summary]
    chosen = {problem.candidates[index].drill.id for index in selection}
    covered = {r for index in selection for r in problem.candidates[index].covers}
    for index, restriction in enumerate(problem.restrictions):
        if index not in covered:
            notes.append(f"Not covered in this session: {_restriction_words(profile, restriction)}.")
    if problem.context in PRESETS:
        dropped = [c.drill.id for c in problem.candidates if c.drill.id not in chosen]
        if dropped:
            notes.append(f"Left out to fit the time: {', '.join(dropped)}.")
    for drill_id, reason in found.excluded:
        notes.append(f"Left out {drill_id}: {reason}.")
    if found.no_dynamic:
        notes.append(
            "No dynamic drill is at hand for you before a run, so this session holds no static stretch "
            "(static stretching is followed by dynamic movement before running; Behm 2016)."
        )
    return notes
