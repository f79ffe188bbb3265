"""Closing a pose on the floor: one joint angle turned until a named part rests on the floor (or a support).

A key pose gives the angles that say what the drill is (the hips forward, the knee lifted); a second contact (the
back foot of a lunge, the forearms of a prone stretch) depends on every length of the body, so the data names the
angle that closes it and the part that must come to rest (``solve = { "other.knee_flexion" = "working_foot" }``;
``both.`` turns the joint on both sides alike, and ``"working_shank+other_shank"`` names parts any of which may
touch).
The angle is searched within the joint's human range: the part's gap, with the body resting on its other parts,
goes from above the floor to below it, and bisection finds where it is zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from hipcoach.core.figures.placement import Placed, capsule_samples, rest_height
from hipcoach.core.figures.ranges import JOINT_RANGES
from hipcoach.core.figures.skeleton import Body, Pose

# (where: body, right, left or both sides; the angle's name; the skeleton parts, any of which must touch)
Solve = tuple[str, str, tuple[str, ...]]
GRID = 24
BISECTIONS = 24
PASSES = 3
BODY_REACH = 45.0  # a body angle is searched this far either side of the one given, to keep the posture


def with_angle(pose: Pose, where: str, name: str, value: float) -> Pose:
    if where == "both":
        return with_angle(with_angle(pose, "right", name, value), "left", name, value)
    if where == "body":
        return replace(pose, body={**pose.body, name: value})
    if where == "right":
        return replace(pose, right={**pose.right, name: value})
    return replace(pose, left={**pose.left, name: value})


def gap(body: Body, parts: tuple[str, ...], props: tuple[Placed, ...]) -> float:
    """How far the lowest of ``parts`` is above its rest when the body rests on its other parts (negative: sinks)."""
    samples = capsule_samples(body)
    others = [(p, r) for name, p, r in samples if name not in parts]
    mine = [(p, r) for name, p, r in samples if name in parts]
    lift = max(rest_height(p[0], p[2], r, props) - p[1] for p, r in others)
    return min(p[1] + lift - rest_height(p[0], p[2], r, props) for p, r in mine)


def _search(measure: Callable[[float], float], low: float, high: float, start: float) -> float | None:
    """Where ``measure`` crosses zero in [low, high], the crossing nearest ``start``; ``None`` if it never does."""
    step = (high - low) / GRID
    points = [low + step * i for i in range(GRID + 1)]
    values = [measure(x) for x in points]
    roots = []
    for i in range(GRID):
        a, b, fa = points[i], points[i + 1], values[i]
        if fa == 0 or (fa < 0) != (values[i + 1] < 0):
            for _ in range(BISECTIONS):
                middle = (a + b) / 2
                if (measure(middle) < 0) == (fa < 0):
                    a = middle
                else:
                    b = middle
            roots.append((a + b) / 2)
    return min(roots, key=lambda root: abs(root - start)) if roots else None


def solved(pose: Pose, solves: Sequence[Solve], posed: Callable[[Pose], Body], props: tuple[Placed, ...]) -> Pose:
    """The pose with each named angle turned until its part rests; ``ValueError`` names one that cannot."""
    # Each solve moves the body the others rest on, so the solves are repeated until they agree (a pass that
    # changes nothing would only be repeated as it is); an angle that cannot close its part yet may close it once
    # the others have moved, so only the last pass (or one that changes nothing) refuses.
    for attempt in range(PASSES):
        changed = False
        refusal: ValueError | None = None
        for where, name, part in solves:
            current = (
                pose.angle(name, None) if where == "body" else pose.angle(name, "left" if where == "left" else "right")
            )
            low, high = (current - BODY_REACH, current + BODY_REACH) if where == "body" else JOINT_RANGES[name]

            def measure(
                value: float, start: Pose = pose, where: str = where, name: str = name, part: tuple[str, ...] = part
            ) -> float:
                return gap(posed(with_angle(start, where, name, value)), part, props)

            value = _search(measure, low, high, current)
            if value is None:
                refusal = refusal or ValueError(
                    f"no {name} within {low:g} to {high:g} degrees brings {' or '.join(part)} to the floor"
                )
                if attempt < PASSES - 1:
                    continue
                raise refusal
            moved = with_angle(pose, where, name, round(value, 2))
            changed = changed or moved != pose
            pose = moved
        if not changed:
            if refusal is not None:
                raise refusal
            break
    return pose
