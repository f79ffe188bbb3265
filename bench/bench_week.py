"""Benchmark of the week as a whole: speed of ``plan_week``, its sessions against their exact optimum, and variety.

Run as ``.venv/bin/python bench/bench_week.py`` (``--help`` for the sample sizes); the Markdown report goes to
stdout, progress to stderr. It reuses ``bench_planner.py``'s random weeks, timer and exact branch and bound.

* **Speed**: p50/p95 milliseconds of ``plan_week`` over random weeks (2-7 runs, random profiles, levels,
  equipment, strength days and seeds) on the real catalogue, every session composed.
* **Quality**: every session of a sample of those weeks is rebuilt as the very selection problem the week asked
  for (its :class:`~hipcoach.core.planner.Variety` included) and solved exactly; the report gives the mean and
  lowest ratio of the composer's value to the proven optimum.
* **Variety**: per week, the distinct drills, the share of the drills eligible after a run, for strength or on a
  rest day that appear in those sessions, the most times one drill appears, and drills done twice on one day
  (always 0); and the same figures for the marathoner's six-run week of ``tests/core/test_week.py``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_planner import BranchAndBound, log, percentile, random_week_input, spread, timed

from hipcoach.core import week as week_module
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import Context, SelectionProblem, build_problem, eligible_drills, solve
from hipcoach.core.profile import Profile
from hipcoach.core.week import Week, parse_preferences, plan_week

ROTATING = (Context.POST_RUN, Context.STRENGTH, Context.REST_DAY)
MARATHON = ["mon:easy:40", "tue:intervals:50", "wed:easy:40", "thu:tempo:45", "sat:easy:40", "sun:long:100"]


@contextmanager
def problems_asked() -> Iterator[list[SelectionProblem]]:
    """The selection problem of every session ``plan_week`` composes while inside, as the week asked for it."""
    asked: list[SelectionProblem] = []
    names = vars(week_module)  # the week's own reference to the composer, which it calls for every session
    compose = names["compose_requested"]

    def recording(profile: Profile, request: Any, history: Any, **given: Any) -> Any:
        equipment = given["usual_equipment"] if request.equipment is None else request.equipment
        level = given["usual_level"] if request.level is None else request.level
        problem, _ = build_problem(
            profile,
            request.context,
            request.minutes,
            equipment,
            level,
            recent_history=[list(session) for session in history],
            seed=request.seed,
            catalogue=given["catalogue"],
            dose_states=given["dose_states"],
            variety=given["variety"],
        )
        asked.append(problem)
        return compose(profile, request, history, **given)

    names["compose_requested"] = recording
    try:
        yield asked
    finally:
        names["compose_requested"] = compose


def variety(week: Week, profile: Profile, level: int, equipment: Any) -> dict[str, float]:
    every: Counter[str] = Counter()
    rotating: Counter[str] = Counter()
    repeats = 0
    for day in week.days:
        today = [drill for planned in day.sessions for drill in planned.session.drill_ids]
        repeats += len(today) - len(set(today))
        every.update(today)
        for planned in day.sessions:
            if planned.context is not Context.PRE_RUN:
                rotating.update(planned.session.drill_ids)
    eligible = {drill.id for context in ROTATING for drill in eligible_drills(profile, context, equipment, level)}
    return {
        "distinct": len(every),
        "eligible_share": len(set(rotating) & eligible) / len(eligible) if eligible else 1.0,
        "most": max(every.values(), default=0),
        "repeats": repeats,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--weeks", type=int, default=300, help="random weeks, timed")
    parser.add_argument("--exact-weeks", type=int, default=30, help="how many of those to solve exactly")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    catalogue = default_catalogue()
    rng = random.Random(f"{args.seed}:weeks")
    weeks = [random_week_input(rng) for _ in range(args.weeks)]
    plan_week(**weeks[0], catalogue=catalogue)  # warm the caches, as a running server has them
    times = [timed(partial(plan_week, **given, catalogue=catalogue)) for given in weeks]
    speed = spread(times)
    log(f"week: p95 {speed['p95']:.1f} ms")

    ratios: list[float] = []
    for given in weeks[: args.exact_weeks]:
        with problems_asked() as asked:
            plan_week(**given, catalogue=catalogue)
        for problem in asked:
            chosen = solve(problem)
            exact = BranchAndBound(problem).solve(chosen)
            ours = problem.value(chosen)
            if exact.proven and ours > exact.value + 1e-6:
                raise RuntimeError(f"the composer beat the proven optimum ({ours} > {exact.value})")
            ratios.append(1.0 if exact.value <= 1e-12 else ours / exact.value)
    log(f"week sessions: ratio {statistics.fmean(ratios):.5f} over {len(ratios)} sessions")

    figures = []
    for given in weeks:
        prefs = parse_preferences(given["preferences"])
        planned = plan_week(**given, catalogue=catalogue)
        figures.append(variety(planned, given["profile"], prefs.level, prefs.equipment))
    marathon = variety(plan_week(Profile(), MARATHON, {"level": 2}), Profile(), 2, None)

    def mean(name: str) -> float:
        return statistics.fmean(figure[name] for figure in figures)

    shares = [figure["eligible_share"] for figure in figures]
    lines = [
        "## Week benchmark (bench/bench_week.py)",
        "",
        f"- {args.weeks} random weeks (2-7 runs), real catalogue, every session composed: p50 {speed['p50']:.1f} ms, "
        f"p95 {speed['p95']:.1f} ms, max {speed['max']:.1f} ms (CPU p95 {speed['cpu_p95']:.1f} ms); target p95 "
        "<= 100 ms.",
        f"- Exact optimum of each session's own problem (variety included), {len(ratios)} sessions of "
        f"{args.exact_weeks} weeks: mean ratio {statistics.fmean(ratios):.5f}, lowest {min(ratios):.5f}; target "
        "mean >= 0.99.",
        f"- Variety per week: {mean('distinct'):.1f} distinct drills on average; drills eligible after a run, for "
        f"strength or on a rest day that appear in those sessions: mean {statistics.fmean(shares):.0%}, p5 "
        f"{percentile(shares, 0.05):.0%}; one drill at most {mean('most'):.1f} times on average; drills done twice "
        f"on one day: {sum(int(figure['repeats']) for figure in figures)} in all.",
        f"- The marathoner's six-run week (default profile, level 2, all equipment): {marathon['distinct']:.0f} "
        f"distinct drills, {marathon['eligible_share']:.0%} of the eligible recovery, strength and rest-day drills "
        f"in those sessions, one drill at most {marathon['most']:.0f} times, {marathon['repeats']:.0f} repeats on "
        "one day.",
        f"- Ran in {time.perf_counter() - start:.0f} s.",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
