"""The selection problem as data, shared with the benchmark's exact solver: the candidates at their base
doses, the objective ``V`` and the constraints, built from the runner's input by :func:`build_problem`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from hipcoach.core.catalogue import Catalogue, Drill, default_catalogue
from hipcoach.core.planner.eligibility import Eligibility, _eligibility
from hipcoach.core.planner.inputs import (
    Context,
    _parse_history,
    parse_context,
    parse_equipment,
    parse_level,
    parse_minutes,
    parse_seed,
)
from hipcoach.core.planner.rules import (
    _TRANSITION,
    ARTICLE_BONUS,
    BONUS_STEP,
    CHAIN_TOP_BONUS,
    COVERAGE_RETURN,
    PROGRESSED_BONUS,
    RECENT_DECAY,
    RECENT_WEIGHT,
    RULES,
    SEED_WEIGHT,
    DoseRange,
    rotation_penalty,
    static_seconds,
)
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import DoseTuple, Timing, item_seconds
from hipcoach.core.vocabulary import Equipment, Kind, Restriction, Side, Sides, Target


@dataclass(frozen=True)
class Variety:
    """What the rest of the week asks of one session (:mod:`hipcoach.core.week`).

    ``exclude``: drills not to choose, as they are done earlier the same day; ``used``: how many times each drill
    is already in the week's recovery, strength and rest-day sessions, each use lowering its term
    (:func:`~hipcoach.core.planner.rules.rotation_penalty`), so the week rotates through the eligible drills;
    ``only``: when set, choose only among these drills (the week's second strength session repeats the first's).
    """

    exclude: frozenset[str] = frozenset()
    used: Mapping[str, int] = field(default_factory=dict)
    only: frozenset[str] | None = None

    def allows(self, drill_id: str) -> bool:
        return drill_id not in self.exclude and (self.only is None or drill_id in self.only)


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
    variety: Variety | None = None,
) -> tuple[SelectionProblem, Eligibility]:
    """Validate the input and build the selection problem the composer solves; ``variety`` is what the rest of
    the week asks of this session (:class:`Variety`)."""
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
        if variety is not None and variety.used:
            term -= rotation_penalty(variety.used.get(drill.id, 0))
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
    closing_required = rules.closing is not None and not found.no_dynamic
    if variety is not None:
        candidates, closing_required = _varied(candidates, variety, closing_required=closing_required)
    problem = SelectionProblem(
        context=context,
        budget=budget,
        candidates=tuple(candidates),
        restrictions=restrictions,
        weights=weights,
        slot_weights=tuple(slot.weight for slot in rules.slots),
        slot_returns=tuple(slot.diminishing for slot in rules.slots),
        closing_required=closing_required,
        static_limit=rules.static_per_target,
    )
    return problem, found


def _varied(candidates: list[Candidate], variety: Variety, *, closing_required: bool) -> tuple[list[Candidate], bool]:
    """The candidates ``variety`` allows, and whether the session must still close on a dynamic drill."""
    kept = [candidate for candidate in candidates if variety.allows(candidate.drill.id)]
    if closing_required and not any(candidate.closing for candidate in kept):
        # The day's other sessions hold every dynamic drill that could close this one: with no dynamic movement
        # to follow it, no static hold before a run (REFERENCE 4), as when none is at hand at all.
        return [candidate for candidate in kept if not _holds_still(candidate.drill)], False
    return kept, closing_required


def _holds_still(drill: Drill) -> bool:
    """A static stretch or a hold: the work that must be followed by dynamic movement before a run."""
    return drill.kind is Kind.STATIC_STRETCH or drill.dose.unit == "hold_seconds"
