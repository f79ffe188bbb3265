"""Which drills a runner may do in a context, and why not the others: the catalogue's indexes and chains,
each drill's facts in a context, the exclusions (precautions, equipment, level, progression) and the
session order of what is left."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from hipcoach.core.catalogue import Catalogue, Drill, default_catalogue
from hipcoach.core.planner.inputs import MAX_LEVEL, PRESETS, Context, parse_context, parse_equipment, parse_level
from hipcoach.core.planner.rules import (
    _POSITION_RANK,
    PRESET_DRILLS,
    PRESET_SECTIONS,
    RULES,
    DoseRange,
    dose_range,
    holds_still,
    is_static_hold,
)
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.timeline import DoseTuple, Timing, Unit
from hipcoach.core.vocabulary import Caution, Equipment, Kind, Position, Side

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


# The age bands a drill's dose ranges are kept for, as dose_range's (older_adult, under_18): adults, from age 65,
# under 18 (never both at once).
_AGE_BANDS: tuple[tuple[bool, bool], ...] = ((False, False), (True, False), (False, True))


def _age_band(profile: Profile) -> int:
    """The runner's age band: the index of their dose range in a drill's ``ranges``."""
    return _AGE_BANDS.index((profile.older_adult, profile.under_18))


@dataclass(frozen=True, slots=True)
class _DrillFacts:
    """What a drill is in one context, independent of the runner (cached per catalogue and context)."""

    drill: Drill
    cautions: frozenset[Caution]
    equipment: frozenset[Equipment]
    chain: _ChainInfo | None
    in_glute_chain: bool
    slot: int
    ranges: tuple[DoseRange, ...]  # by age band (_AGE_BANDS)
    article: bool
    stable_hash: int
    holds_still: bool
    static_hold: bool
    key: tuple[int, int, int, int]
    timing: Timing
    # Base doses, bonus, seconds and static hold seconds by (age band, emphasised side), for drills
    # without a progression state.
    base: dict[tuple[int, Side | None], tuple[DoseTuple, str | None, int, tuple[int, int]]]


def timing_of(drill: Drill, unit: Unit) -> Timing:
    """What fixes the time of a drill besides its doses."""
    return Timing(
        drill.position, drill.sides, unit, drill.dose.seconds_per_rep, bool(drill.equipment), drill.dose.rest_seconds
    )


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
                ranges=tuple(dose_range(context, drill, older, under_18=young) for older, young in _AGE_BANDS),
                article=bool(rules.article & set(drill.sections)),
                stable_hash=int.from_bytes(hashlib.blake2b(drill.id.encode(), digest_size=8).digest(), "big"),
                holds_still=holds_still(drill),
                static_hold=is_static_hold(drill),
                key=(slot, sequence, _POSITION_RANK[drill.position], order[drill.id]),
                timing=timing_of(drill, drill.dose.unit),
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
    kept = _follow_progression(usable, progressed, excluded)
    no_dynamic = rules.closing is not None and not any(fact.drill.kind is Kind.DYNAMIC for fact in kept)
    if no_dynamic:
        # No dynamic drill at hand to close the session: nothing that holds still (rules.holds_still).
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
    usable: list[_DrillFacts], progressed: frozenset[str], excluded: list[tuple[str, str]]
) -> list[_DrillFacts]:
    """Drop the chain drills the runner's progression has not reached yet.

    The furthest drill of a chain the runner has a state for is their place in it. Drills past it are
    not yet for them. A chain is a ladder, not a list: the drills before their place stay eligible in
    every context, as activation or warm-up (the glute bridge still wakes the glutes before a run when
    the runner's strength work has moved on to the clamshell).
    """
    reach: dict[tuple[str, ...], int] = {}
    for fact in usable:
        if fact.chain is not None and fact.drill.id in progressed:
            reach[fact.chain.chain] = max(reach.get(fact.chain.chain, -1), fact.chain.position)
    kept: list[_DrillFacts] = []
    for fact in usable:
        info = fact.chain
        place = reach.get(info.chain, -1) if info is not None else -1
        if info is not None and 0 <= place < info.position:
            excluded.append((fact.drill.id, "your progression has not reached it yet"))
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
