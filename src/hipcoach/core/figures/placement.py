"""Where a posed body rests: on the floor or on its equipment, found by gravity, and the equipment itself.

The body is lowered until its lowest part rests on the floor (``y = 0``) or on a support (a foam roller, a ball, a
bench), so nothing passes through either. An anchor (a foot that stays put, say) keeps its place on the floor from
one frame to the next, so a hinge moves the pelvis back rather than sliding the standing foot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from hipcoach.core.figures.skeleton import RADIUS, SEGMENTS, Body, Vec

PropKind = Literal["foam-roller", "massage-ball", "band", "bench", "wall", "dumbbell"]

ROLLER_RADIUS = 0.05  # a 15 cm roller for a 1.75 m runner
ROLLER_LENGTH = 0.5
BALL_RADIUS = 0.035  # a lacrosse ball
BENCH_HEIGHT = 0.26  # knee high, as the catalogue's bench is "knee-to-hip high"
BENCH_WIDTH = 0.2
WALL_HEIGHT = 1.1
DUMBBELL_RADIUS = 0.03
POST = "post"
POST_DISTANCE = 0.35  # a band tied to something beside the runner
SAMPLES = 6  # points tested along each capsule


@dataclass(frozen=True)
class Prop:
    """A piece of equipment, placed from the figure's first key pose: centred under (or beside) a body point.

    ``reach`` is how far a bench runs behind and ahead of that point (for a wall: how far behind or ahead of it the
    wall stands); ``between`` the two body points a band joins (``post``, for the second, ties it to a fixed point
    beside the working side); ``across`` is the axis a wall's face is square to (``x``: in front or behind, ``z``:
    to one side).
    """

    kind: PropKind
    at: str = "pelvis"
    reach: tuple[float, float] = (0.2, 0.2)
    between: tuple[str, str] = ("left_knee", "right_knee")
    across: Literal["x", "z"] = "x"
    height: float = BENCH_HEIGHT
    post_side: float = 1.0  # a band's post is on the working side: +z when the right works

    def mirrored(self) -> Prop:
        """The prop for the other side: at the same parts of the other side, its post on the other side."""
        return replace(
            self,
            at=swap_side(self.at),
            between=(swap_side(self.between[0]), swap_side(self.between[1])),
            post_side=-self.post_side,
        )


def swap_side(name: str) -> str:
    """A right part's name as the left's, and the other way round; a part of the midline stays as it is."""
    if name.startswith("right_"):
        return "left_" + name.removeprefix("right_")
    if name.startswith("left_"):
        return "right_" + name.removeprefix("left_")
    return name


@dataclass(frozen=True)
class Placed:
    """A prop in the world: its kind, a reference point and, for a bench or a wall, its extent."""

    kind: PropKind
    centre: Vec
    low: Vec = (0.0, 0.0, 0.0)
    high: Vec = (0.0, 0.0, 0.0)
    between: tuple[str, str] = ("", "")
    across: Literal["x", "z"] = "x"

    def support(self, x: float, z: float, radius: float) -> float | None:
        """The height a body part of this radius at (x, z) rests at on this prop, or ``None`` if not above it."""
        cx, cy, cz = self.centre
        if self.kind == "foam-roller":
            dx = x - cx
            reach = ROLLER_RADIUS + radius
            if abs(dx) >= reach or abs(z - cz) > ROLLER_LENGTH / 2:
                return None
            return cy + math.sqrt(reach * reach - dx * dx)
        if self.kind == "massage-ball":
            d2 = (x - cx) ** 2 + (z - cz) ** 2
            reach = BALL_RADIUS + radius
            return None if d2 >= reach * reach else cy + math.sqrt(reach * reach - d2)
        if self.kind == "bench":
            inside = self.low[0] <= x <= self.high[0] and self.low[2] <= z <= self.high[2]
            return self.high[1] + radius if inside else None
        return None


def place_props(props: tuple[Prop, ...], body: Body) -> tuple[Placed, ...]:
    """The props where the first key pose puts them (the body already anchored, not yet lowered)."""
    placed = []
    for prop in props:
        x, _, z = body.points[prop.at]
        if prop.kind == "foam-roller":
            placed.append(Placed(prop.kind, (x, ROLLER_RADIUS, z)))
        elif prop.kind == "massage-ball":
            placed.append(Placed(prop.kind, (x, BALL_RADIUS, z)))
        elif prop.kind == "bench":
            low = (x - prop.reach[0], 0.0, z - BENCH_WIDTH)
            high = (x + prop.reach[1], prop.height, z + BENCH_WIDTH)
            placed.append(Placed(prop.kind, (x, prop.height, z), low, high))
        elif prop.kind == "wall":
            offset = prop.reach[1] - prop.reach[0]
            centre = (x + offset, 0.0, z) if prop.across == "x" else (x, 0.0, z + offset)
            placed.append(Placed(prop.kind, centre, across=prop.across))
        elif prop.kind == "band":
            start = body.points[prop.between[0]]
            post = (start[0], start[1], start[2] + POST_DISTANCE * prop.post_side)
            placed.append(Placed(prop.kind, post, between=prop.between))
        else:  # a dumbbell is held: it moves with the hand each frame
            placed.append(Placed(prop.kind, (x, 0.0, z), between=(prop.at, prop.at)))
    return tuple(placed)


def capsule_samples(body: Body) -> list[tuple[str, Vec, float]]:
    """Points along every segment's axis with the segment's radius: what can touch the floor or a prop."""
    samples = []
    for name, start, end, radius in SEGMENTS:
        a, b = body.points[start], body.points[end]
        for step in range(SAMPLES + 1):
            t = step / SAMPLES
            point = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)
            samples.append((name, point, RADIUS[radius]))
    return samples


def rest_height(x: float, z: float, radius: float, props: tuple[Placed, ...]) -> float:
    """The lowest height the centre of a body part of this radius may have at (x, z): floor or prop."""
    heights = [radius] + [h for prop in props if (h := prop.support(x, z, radius)) is not None]
    return max(heights)


def lowered(body: Body, props: tuple[Placed, ...]) -> Body:
    """The body moved down (or up) until its lowest part rests on the floor or a prop, and nothing sinks in."""
    lift = max(rest_height(p[0], p[2], r, props) - p[1] for _, p, r in capsule_samples(body))
    return body.moved((0.0, lift, 0.0))


def clearance(body: Body, segment: str, props: tuple[Placed, ...]) -> float:
    """How far a segment is from resting on the floor or a prop: 0 when it touches, negative when it sinks in."""
    return min(p[1] - rest_height(p[0], p[2], r, props) for name, p, r in capsule_samples(body) if name == segment)
