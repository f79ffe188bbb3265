"""The doses: the chosen drills' doses grow within their ranges to fill the budget (and, before a run, keep
each target's static holds under the limit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hipcoach.core.planner.problem import Candidate, SelectionProblem
from hipcoach.core.planner.rules import BONUS_STEP, FILL_STEP, static_seconds
from hipcoach.core.timeline import DoseTuple, item_seconds
from hipcoach.core.vocabulary import Side, Target


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
