"""The search for the drills to choose: greedy starts improved by local search over a
:class:`~hipcoach.core.planner.problem.SelectionProblem`, with the value and time kept incrementally."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from hipcoach.core.planner.problem import SelectionProblem
from hipcoach.core.planner.rules import _TRANSITION, COVERAGE_RETURN
from hipcoach.core.vocabulary import Target

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
        self._set_coach_rules(problem)
        self.reset()

    def _set_coach_rules(self, problem: SelectionProblem) -> None:
        """The coach's rules (see SelectionProblem): required and pinned groups, and glute activation with release."""
        self.groups_of: list[list[int]] = [[] for _ in range(self.n)]
        groups = (*problem.required, *problem.pinned)
        for number, group in enumerate(groups):
            for index in group:
                self.groups_of[index].append(number)
        self.group_total = len(groups)
        self.follow_rule = bool(problem.activation)
        self.is_release = [False] * self.n
        self.is_activation = [False] * self.n
        for index in problem.release:
            self.is_release[index] = True
        for index in problem.activation:
            self.is_activation[index] = True
        # A release drill waits for an activation drill: only while none is chosen is it closed.
        self.waits = self.is_release if self.follow_rule else [False] * self.n

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
        self.group_counts = [0] * self.group_total
        self.groups_met = 0
        self.releases = 0
        self.activations = 0

    def valid(self) -> bool:
        """Whether the selection meets the coach's rules (every required group; activation with release)."""
        return self.groups_met == self.group_total and not (self.releases and self.follow_rule and not self.activations)

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
        if self.waits[index] and not self.activations:
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
        for group in self.groups_of[index]:
            self.group_counts[group] += 1
            self.groups_met += self.group_counts[group] == 1
        self.releases += self.is_release[index]
        self.activations += self.is_activation[index]

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
        for group in self.groups_of[index]:
            self.group_counts[group] -= 1
            self.groups_met -= self.group_counts[group] == 0
        self.releases -= self.is_release[index]
        self.activations -= self.is_activation[index]

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
            if self.waits[index] and not self.activations:
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
                and not (self.waits[index] and not self.activations)
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
        if self.valid():
            return True
        self.remove(found[0])
        self.add(out, self.time_gain(out))
        return False

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
                if self.valid():
                    return True
                self.remove(second[0])
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
        if (
            self.value > before + 1e-9
            and (self.closings or not self.chosen or not self.closing_required)
            and self.valid()
        ):
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
    witness = list(problem.witness)
    starts: list[int | None] = [None]
    if problem.closing_required:
        starts += search.closing_candidates(closing_starts if search.n <= 80 else max(1, closing_starts // 2))
    greedy: dict[tuple[int, ...], float] = {}
    for closing in starts:
        start = witness
        if closing is not None:
            # The witness's closing drill swapped for this one, when the must-haves still fit with it.
            start = sorted([i for i in witness if not problem.candidates[i].closing] + [closing])
            if witness and not problem.feasible(start):
                continue
        for by_ratio in (True, False):
            search.load(start)
            search.greedy(by_ratio)
            greedy.setdefault(tuple(search.chosen), search.value)
    # Local search from the most promising distinct starts.
    ranked = sorted(greedy, key=lambda chosen: (-greedy[chosen], chosen))[:IMPROVED_STARTS]
    best: list[int] = []
    best_value = -math.inf
    for chosen in ranked:
        search.load(chosen)
        search.improve()
        if search.value > best_value + _EPSILON and search.valid():
            best, best_value = list(search.chosen), search.value
    if search.n <= PAIR_MOVES_UP_TO:
        search.load(best)
        search.improve(pairs=True)
        if search.valid():
            best = list(search.chosen)
    return best
