"""The selection problem as data, shared with the benchmark's exact solver: the candidates at their base
doses, the objective ``V`` and the constraints, built from the runner's input by :func:`build_problem`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from hipcoach.core.catalogue import Catalogue, Drill, default_catalogue
from hipcoach.core.planner.eligibility import Eligibility, _age_band, _catalogue_index, _eligibility
from hipcoach.core.planner.inputs import (
    PRESETS,
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
    MUST_HAVE_OF,
    PROGRESSED_BONUS,
    RECENT_DECAY,
    RECENT_WEIGHT,
    RULES,
    SEED_WEIGHT,
    DoseRange,
    holds_still,
    is_glute_activation,
    is_hip_flexor_release,
    rotation_bonus,
    static_seconds,
)
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import DoseTuple, Timing, item_seconds
from hipcoach.core.vocabulary import Equipment, Restriction, Side, Sides, Target

if TYPE_CHECKING:  # the prescription's module reads the planner's bounds: only its type is needed here
    from hipcoach.core.prescription import Prescription


@dataclass(frozen=True)
class Variety:
    """What the rest of the week asks of one session (:mod:`hipcoach.core.week`).

    ``exclude``: drills not to choose, as they are done earlier the same day; ``used``: how many times each drill
    is already in the week's recovery, strength and rest-day sessions, a fresh drill gaining the most
    (:func:`~hipcoach.core.planner.rules.rotation_bonus`), so the week rotates through the eligible drills;
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
    # Why ``tighter`` gets more: the screen's evidence of a real left/right difference ('' without one).
    emphasis: str = ""


@dataclass(frozen=True)
class SelectionProblem:
    """What the composer maximises, as data: the benchmark solves the same problem exactly.

    ``value`` and ``seconds`` evaluate a selection (candidate indices); ``feasible`` checks the
    constraints. Candidates are sorted by their order key, so a selection's order is its index order.
    ``static_limit``, when set (before a run), bounds the static hold seconds of any one target per side:
    :meth:`static_totals` must stay under it.

    ``required`` lists groups of candidates of which at least one must be chosen: the must-have drill of
    each finding whose must-have fits (``required_for`` names the finding). ``release`` and ``activation``,
    when both are set, make a selection with any ``release`` candidate (hip flexor release or stretch)
    hold an ``activation`` candidate (glute activation) too. ``witness`` is a selection that meets every
    constraint, found when the problem was built (the search starts from it).

    ``pinned`` lists, for each drill a clinician pinned (:mod:`hipcoach.core.prescription`) that fits with the
    closing drill and the pinned drills before it, its candidates, of which one must be chosen, as for
    ``required``; ``pinned_unfit`` names the pinned drills that are candidates but did not fit the time.
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
    required: tuple[tuple[int, ...], ...] = ()
    required_for: tuple[Restriction, ...] = ()
    release: tuple[int, ...] = ()
    activation: tuple[int, ...] = ()
    witness: tuple[int, ...] = ()
    pinned: tuple[tuple[int, ...], ...] = ()
    pinned_unfit: tuple[str, ...] = ()

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
        return self.seconds(chosen) <= self.budget and self.meets_rules(chosen)

    def meets_rules(self, selection: Iterable[int]) -> bool:
        """Whether the selection holds a drill of every required and pinned group, and glute activation with any
        hip flexor release (when the problem asks for it)."""
        chosen = set(selection)
        if any(chosen.isdisjoint(group) for group in (*self.required, *self.pinned)):
            return False
        return not (self.activation and not chosen.isdisjoint(self.release) and chosen.isdisjoint(self.activation))

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


def _severities(profile: Profile) -> dict[Restriction, int]:
    """Severity per restriction, summed over its findings: a finding on both sides counts on each (the
    restriction's weight never picks a side)."""
    totals: dict[Restriction, int] = {}
    for finding in profile.restrictions:
        sides = 2 if finding.side is Side.BOTH else 1
        totals[finding.id] = totals.get(finding.id, 0) + finding.severity * sides
    return totals


_EmphasisKey = tuple[tuple[Restriction, Side, str], ...]


def _emphasis_key(profile: Profile) -> _EmphasisKey:
    """The screen's side emphasis as a hashable key, in a fixed order."""
    return tuple(sorted({(e.id, e.side, e.reason) for e in profile.emphasis if e.side is not Side.BOTH}))


def _side_of(drill: Drill, emphasis: _EmphasisKey) -> tuple[Side | None, str]:
    """The side of a one-sided drill that gets more, and why: only from the screen's emphasis entries for
    the restrictions the drill addresses (REFERENCE 2: a real left/right difference, or a test positive on
    one side only). Entries that disagree on the side give no side."""
    if not drill.one_sided or drill.sides is Sides.ALTERNATING:
        return None, ""
    entries = [(side, reason) for restriction, side, reason in emphasis if restriction in drill.addresses]
    sides = {side for side, _ in entries}
    if len(sides) != 1:
        return None, ""
    return sides.pop(), "; ".join(dict.fromkeys(reason.rstrip(".") for _, reason in entries))


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
    """The runner-independent shape of a problem's candidates, given the eligible drills, restrictions and
    side emphasis.

    ``covers``, ``tighter`` and ``emphasis`` are per eligible drill; ``rows`` lists the candidates in their
    final (key) order as (eligible number, slot, key, closing). None of it depends on age, progression
    values, history or seed, so every session of a week in the same context shares it.
    """

    covers: tuple[tuple[int, ...], ...]
    tighter: tuple[Side | None, ...]
    emphasis: tuple[str, ...]
    # The article, chain-top and progression bonuses of each drill's term, added in the term's order
    # (left to right), so the rest of the term adds to the same float as before.
    bonus_terms: tuple[float, ...]
    rows: tuple[tuple[int, int, tuple[int, int, int, int], bool], ...]


_LayoutKey = tuple[int, tuple[Restriction, ...], _EmphasisKey]
# Layouts by id of the (cached) Eligibility they were built for. Each value keeps its Eligibility alive,
# so an id cannot be reused while its entry exists; the dict is cleared when it grows past the limit.
_LAYOUTS: dict[_LayoutKey, tuple[Eligibility, _Layout]] = {}
_LAYOUTS_LIMIT = 512


def _layout(
    found: Eligibility, closing_slot: int | None, restrictions: tuple[Restriction, ...], emphasis: _EmphasisKey
) -> _Layout:
    """The cached :class:`_Layout` of these eligible drills for these (ranked) restrictions and emphasis.

    ``closing_slot`` is the context's closing slot (fixed by ``found``, which is for one context)."""
    cache_key = (id(found), restrictions, emphasis)
    hit = _LAYOUTS.get(cache_key)
    if hit is not None and hit[0] is found:
        return hit[1]
    layout = _build_layout(found, closing_slot, restrictions, emphasis)
    if len(_LAYOUTS) >= _LAYOUTS_LIMIT:
        _LAYOUTS.clear()
    _LAYOUTS[cache_key] = (found, layout)
    return layout


def _build_layout(
    found: Eligibility, closing_slot: int | None, restrictions: tuple[Restriction, ...], emphasis: _EmphasisKey
) -> _Layout:
    restriction_index = {restriction: index for index, restriction in enumerate(restrictions)}
    covers_of: list[tuple[int, ...]] = []
    tighter_of: list[Side | None] = []
    emphasis_of: list[str] = []
    bonus_terms: list[float] = []
    rows: list[tuple[int, int, tuple[int, int, int, int], bool]] = []
    for number, entry in enumerate(found.eligible):
        fact = entry.fact
        drill = fact.drill
        covers: tuple[int, ...] = ()
        if restriction_index and drill.addresses:
            covers = tuple(sorted(restriction_index[r] for r in drill.addresses if r in restriction_index))
        tighter, reason = _side_of(drill, emphasis) if emphasis else (None, "")
        covers_of.append(covers)
        tighter_of.append(tighter)
        emphasis_of.append(reason)
        bonus_terms.append(
            (ARTICLE_BONUS if fact.article else 0.0)
            + (CHAIN_TOP_BONUS if entry.chain_top else 0.0)
            + (PROGRESSED_BONUS if entry.progressed else 0.0)
        )
        rows.append((number, fact.slot, fact.key, fact.slot == closing_slot))
        if entry.closing and closing_slot is not None:
            rows.append((number, closing_slot, (closing_slot, *fact.key[1:]), True))
    rows.sort(key=lambda row: row[2])
    return _Layout(tuple(covers_of), tuple(tighter_of), tuple(emphasis_of), tuple(bonus_terms), tuple(rows))


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
    prescription: Prescription | None = None,
) -> tuple[SelectionProblem, Eligibility]:
    """Validate the input and build the selection problem the composer solves; ``variety`` is what the rest of
    the week asks of this session (:class:`Variety`); ``prescription`` is the clinician's (pinned drills required,
    removed ones never candidates, doses starting where the clinician set them)."""
    context = parse_context(context)
    budget = round(parse_minutes(minutes) * 60)
    available = parse_equipment(equipment)
    level = parse_level(level)
    history = _parse_history(recent_history)
    seed = parse_seed(seed)
    catalogue = default_catalogue() if catalogue is None else catalogue
    states = dict(dose_states or {}) if prescription is None else prescription.starting_states(dose_states, catalogue)
    pinned = prescription.pinned if prescription is not None else ()
    found = _eligibility(
        catalogue,
        context,
        precautions=frozenset(profile.precautions),
        equipment=available,
        level=level,
        # A drill the clinician pinned is the runner's whatever their level, as one they progressed to is.
        progressed=frozenset(states) | frozenset(pinned),
    )
    rules = RULES[context]

    severities = _severities(profile)
    restrictions = tuple(sorted(severities, key=_RESTRICTION_RANK.__getitem__))
    layout = _layout(found, rules.closing, restrictions, _emphasis_key(profile))
    recency: dict[str, float] = {}
    for age, session in enumerate(history):
        for drill_id in set(session):
            recency[drill_id] = recency.get(drill_id, 0.0) + RECENT_DECAY**age

    # Per drill: what depends on the runner's age, progression, history and seed.
    band = _age_band(profile)
    parts: list[tuple[DoseRange, DoseTuple, str | None, int, tuple[int, int], float, bool]] = []
    for entry, tighter, bonus_term in zip(found.eligible, layout.tighter, layout.bonus_terms, strict=True):
        fact = entry.fact
        drill = fact.drill
        limits = fact.ranges[band]
        state = states.get(drill.id) if states else None
        if state is None:
            cached = fact.base.get((band, tighter))
            if cached is None:
                doses, bonus = _base_dose(drill, limits, None, tighter)
                static = static_seconds(doses) if fact.static_hold else (0, 0)
                cached = fact.base[band, tighter] = (doses, bonus, item_seconds(fact.timing, doses), static)
            doses, bonus, seconds, static = cached
        else:
            doses, bonus = _base_dose(drill, limits, state, tighter)
            seconds = item_seconds(fact.timing, doses)
            static = static_seconds(doses) if fact.static_hold else (0, 0)
        term = bonus_term - RECENT_WEIGHT * recency.get(drill.id, 0.0) + SEED_WEIGHT * _jitter(seed, fact.stable_hash)
        if variety is not None and variety.used:
            term += rotation_bonus(variety.used.get(drill.id, 0))
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
                emphasis=layout.emphasis[number] if bonus else "",
                fixed=fixed,
                chain_top=entry.chain_top,
                progressed=entry.progressed,
                timing=fact.timing,
                static=static,
            )
        )
    closing_required = rules.closing is not None and not found.no_dynamic
    candidates, closing_required = _allowed(candidates, variety, prescription, closing_required=closing_required)
    problem = SelectionProblem(
        context=context,
        budget=budget,
        candidates=tuple(candidates),
        restrictions=restrictions,
        weights=tuple(float(severities[r]) for r in restrictions),
        slot_weights=tuple(slot.weight for slot in rules.slots),
        slot_returns=tuple(slot.diminishing for slot in rules.slots),
        closing_required=closing_required,
        static_limit=rules.static_per_target,
    )
    if context in PRESETS:
        return problem, found  # a fixed series: the article's order decides (pinned drills first, in compose)
    return _with_coach_rules(problem, catalogue, pinned), found


def _allowed(
    candidates: list[Candidate],
    variety: Variety | None,
    prescription: Prescription | None,
    *,
    closing_required: bool,
) -> tuple[list[Candidate], bool]:
    """The candidates the week's variety (not for pinned drills) and the prescription's removals leave."""
    if variety is not None:
        keep = frozenset(prescription.pinned) if prescription is not None else frozenset()
        candidates, closing_required = _varied(candidates, variety, closing_required=closing_required, keep=keep)
    if prescription is not None and prescription.removed:
        removed = Variety(exclude=prescription.removed)
        candidates, closing_required = _varied(candidates, removed, closing_required=closing_required, keep=frozenset())
    return candidates, closing_required


def _with_coach_rules(problem: SelectionProblem, catalogue: Catalogue, pinned: Sequence[str] = ()) -> SelectionProblem:
    """The problem with the rules a coach would insist on, each only where it can be met in the time:

    * the closing drill before a run serves one of the runner's findings when one that does fits (a pinned
      closing drill first, when one fits);
    * each drill the clinician pinned, in the prescription's order, while they fit together with the closing
      drill (the others are named in ``pinned_unfit``);
    * the must-have drill of each finding (:data:`MUST_HAVES`), heaviest finding first, while they fit
      together (with the closing drill);
    * glute activation with any hip flexor release or stretch, when an activation drill fits.
    """
    problem = _closing_that_serves(problem, frozenset(pinned))
    pinned_problem = _with_pinned(problem, pinned)
    if pinned_problem is None:
        return problem  # nothing fits before a run without its closing drill
    problem, witness = pinned_problem
    required: list[tuple[int, ...]] = []
    required_for: list[Restriction] = []
    for restriction, group in _must_have_groups(problem, catalogue):
        if not set(witness).isdisjoint(group):
            required.append(group)
            required_for.append(restriction)
            continue
        pick = _first_fitting(problem, witness, group)
        if pick is not None:
            witness.append(pick)
            required.append(group)
            required_for.append(restriction)
    release = tuple(i for i, c in enumerate(problem.candidates) if is_hip_flexor_release(c.drill))
    activation = tuple(i for i, c in enumerate(problem.candidates) if is_glute_activation(c.drill))
    if release and activation and set(witness).isdisjoint(activation):
        follow = _first_fitting(problem, witness, activation)
        if follow is None:
            release = activation = ()  # no glute activation fits: the rule has nothing to ask
        elif not set(witness).isdisjoint(release):
            witness.append(follow)
    elif not activation:
        release = ()
    return replace(
        problem,
        required=tuple(required),
        required_for=tuple(required_for),
        release=release,
        activation=activation,
        witness=tuple(sorted(witness)),
    )


def _with_pinned(problem: SelectionProblem, pinned: Sequence[str]) -> tuple[SelectionProblem, list[int]] | None:
    """The problem with the pinned drills that fit (in the prescription's order, after the closing drill before a
    run, a pinned closing drill first) as required groups and the others named unfit, and the witness so far;
    None when no closing drill fits at all (the pinned ones are then named unfit in the session's notes)."""
    groups = [tuple(i for i, c in enumerate(problem.candidates) if c.drill.id == drill_id) for drill_id in pinned]
    groups = [group for group in groups if group]
    witness: list[int] = []
    if problem.closing_required:
        closings = [i for i, c in enumerate(problem.candidates) if c.closing]
        closing = _first_fitting(problem, [], [i for i in closings if problem.candidates[i].drill.id in pinned])
        if closing is None:
            closing = _first_fitting(problem, [], closings)
        if closing is None:
            return None
        witness.append(closing)
    held: list[tuple[int, ...]] = []
    unfit: list[str] = []
    for group in groups:
        if set(witness).isdisjoint(group):
            pick = _first_fitting(problem, witness, group)
            if pick is None:
                unfit.append(problem.candidates[group[0]].drill.name)
                continue
            witness.append(pick)
        held.append(group)
    return replace(problem, pinned=tuple(held), pinned_unfit=tuple(unfit)), witness


def _closing_that_serves(problem: SelectionProblem, pinned: frozenset[str] = frozenset()) -> SelectionProblem:
    """Before a run, keep only the closing drills that serve a finding (or that the clinician pinned) when one of
    them fits alone.

    A session never ends on a drill for a finding the runner does not have when one for a finding they
    have fits (an 8-minute pre-run for tight hip flexors ends on a leg swing, not on ankle mobility)."""
    if not problem.closing_required or not problem.restrictions:
        return problem
    serving = [i for i, c in enumerate(problem.candidates) if c.closing and (c.covers or c.drill.id in pinned)]
    if _first_fitting(problem, [], serving) is None:
        return problem
    kept = tuple(c for c in problem.candidates if not c.closing or c.covers or c.drill.id in pinned)
    return replace(problem, candidates=kept)


def _first_fitting(problem: SelectionProblem, chosen: Sequence[int], options: Sequence[int]) -> int | None:
    """The shortest of ``options`` that fits with ``chosen`` (the first by index among equals), or None."""
    for index in sorted(options, key=lambda i: (problem.candidates[i].seconds, i)):
        if index not in chosen and problem.feasible([*chosen, index]):
            return index
    return None


def _must_have_groups(problem: SelectionProblem, catalogue: Catalogue) -> list[tuple[Restriction, tuple[int, ...]]]:
    """For each of the runner's findings with a must-have, the candidates that answer it, heaviest first.

    The first tier of :func:`_must_have_tiers` with an eligible candidate is the group."""
    weight_of = dict(zip(problem.restrictions, problem.weights, strict=True))
    groups: list[tuple[float, int, Restriction, tuple[int, ...]]] = []
    for rank, restriction in enumerate(problem.restrictions):
        for ids in _must_have_tiers(catalogue, restriction):
            group = tuple(i for i, c in enumerate(problem.candidates) if c.drill.id in ids)
            if group:
                groups.append((-weight_of[restriction], rank, restriction, group))
                break
    groups.sort(key=lambda entry: entry[:2])
    return [(restriction, group) for _, _, restriction, group in groups]


@lru_cache(maxsize=64)
def _must_have_tiers(catalogue: Catalogue, restriction: Restriction) -> tuple[frozenset[str], ...]:
    """The drill ids of each tier of the finding's must-have (none without one), each with the later drills of
    its chains that address the finding (the runner's progressed drill answers it too). Drill ids not in the
    catalogue are skipped."""
    row = MUST_HAVE_OF.get(restriction)
    if row is None:
        return ()
    _, chains = _catalogue_index(catalogue)
    tiers: list[frozenset[str]] = []
    for tier in row.tiers:
        ids: set[str] = set()
        for first in tier:
            if first not in catalogue:
                continue
            ids.add(first)
            info = chains.get(first)
            later = info.chain[info.position + 1 :] if info is not None else ()
            # A chain ends at a drill not in the catalogue (a retired one): none follows it.
            ids.update(d for d in later if d in catalogue and restriction in catalogue.get(d).addresses)
        tiers.append(frozenset(ids))
    return tuple(tiers)


def _varied(
    candidates: list[Candidate], variety: Variety, *, closing_required: bool, keep: frozenset[str]
) -> tuple[list[Candidate], bool]:
    """The candidates ``variety`` allows (and those of ``keep``, the drills a clinician pinned, which the week's
    variety never takes out), and whether the session must still close on a dynamic drill."""
    kept = [candidate for candidate in candidates if candidate.drill.id in keep or variety.allows(candidate.drill.id)]
    if closing_required and not any(candidate.closing for candidate in kept):
        # The day's other sessions hold every dynamic drill that could close this one: as when none is at hand
        # at all, nothing that holds still (rules.holds_still).
        return [candidate for candidate in kept if not holds_still(candidate.drill)], False
    return kept, closing_required
