"""A figure as data: its camera, equipment and key poses with their timing, and the frames between the poses.

Between two key poses every joint angle moves on an ease-in-out curve (slow out of one pose, slow into the next,
as a body moves), the frames are sampled, and forward kinematics and gravity place the body in each. Eased angles
alone do not keep a contact: midway through a step-down the free heel would dip below the step's foot, and gravity
would then stand the body on the free heel, lifting the standing foot. So each frame between key poses that lets a
planted part float is closed again with the angles its two key poses are closed with (see ``solve.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from hipcoach.core.figures.camera import CAMERAS, Camera, View
from hipcoach.core.figures.placement import Placed, Prop, clearance, lowered, place_props, swap_side
from hipcoach.core.figures.skeleton import Body, Pose, Side, forward_kinematics
from hipcoach.core.figures.solve import Solve, solved

FRAMES_PER_MOVE = 8
# How much further than at either of its key poses a planted part may float in a frame between them before the
# frame is closed again (body heights: about 3 mm); a closed frame rests the part on the floor exactly.
KEEP = 0.002
CLOSINGS = 3  # rounds of closing a frame, each on every group floating so far
Groups = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class KeyPose:
    """A key position: its name in words, the pose, how long it is held and how long the move to the next takes."""

    name: str
    pose: Pose
    hold: float
    move: float
    solves: tuple[Solve, ...] = ()  # the angles that closed the pose on the floor, and the parts they closed

    def mirrored(self) -> KeyPose:
        solves = tuple(
            (_other_side(where), name, tuple(swap_side(p) for p in parts)) for where, name, parts in self.solves
        )
        return replace(self, pose=self.pose.mirrored(), solves=solves)


def _other_side(where: str) -> str:
    return {"right": "left", "left": "right"}.get(where, where)


@dataclass(frozen=True)
class Figure:
    """How one drill or screen test is drawn. The poses are for the working side being the right."""

    id: str
    title: str
    view: View
    poses: tuple[KeyPose, ...]
    props: tuple[Prop, ...] = ()
    anchor: str | None = None
    one_sided: bool = True
    # What rests on the floor throughout, in the skeleton's words: each group is kept when any of its parts rests.
    planted: Groups = ()

    @property
    def duration(self) -> float:
        return sum(key.hold + key.move for key in self.poses)

    def camera(self, side: Side) -> Camera:
        camera = CAMERAS[self.view]
        return camera if side == "right" else camera.mirrored()

    def on_side(self, side: Side) -> Figure:
        """The figure as drawn for that side: the left is the right's mirror image, part for part."""
        if side == "right":
            return self
        poses = tuple(key.mirrored() for key in self.poses)
        anchor = None if self.anchor is None else swap_side(self.anchor)
        planted = tuple(tuple(swap_side(part) for part in group) for group in self.planted)
        props = tuple(prop.mirrored() for prop in self.props)
        return replace(self, poses=poses, props=props, anchor=anchor, planted=planted)


def ease(t: float) -> float:
    """Ease in and out: zero speed at both ends of a move (a half cosine)."""
    return (1.0 - math.cos(math.pi * t)) / 2.0


def _blend(a: Mapping[str, float], b: Mapping[str, float], t: float) -> dict[str, float]:
    return {name: a.get(name, 0.0) + (b.get(name, 0.0) - a.get(name, 0.0)) * t for name in {*a, *b}}


def between(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from ``a`` to ``b`` (``t`` already eased)."""
    return Pose(_blend(a.body, b.body, t), _blend(a.right, b.right, t), _blend(a.left, b.left, t))


@dataclass(frozen=True)
class Frame:
    time: float
    body: Body


@dataclass(frozen=True)
class Scene:
    """Everything drawn: the frames of the body over one loop, and the equipment where it stands."""

    figure: Figure
    side: Side
    frames: tuple[Frame, ...]
    props: tuple[Placed, ...]
    key_bodies: tuple[Body, ...]


def posed(figure: Figure, pose: Pose, first: Body | None) -> Body:
    """The body posed, moved by the pose's offsets, and with its anchor (if any) where it is in the first pose."""
    body = forward_kinematics(pose)
    shift = (pose.angle("shift_forward"), 0.0, pose.angle("shift_right"))
    body = body.moved(shift)
    if figure.anchor is not None and first is not None:
        here, there = body.points[figure.anchor], first.points[figure.anchor]
        body = body.moved((there[0] - here[0], 0.0, there[2] - here[2]))
    return body


def scene(figure: Figure, side: Side = "right", *, frames_per_move: int = FRAMES_PER_MOVE) -> Scene:
    """The figure's loop on one side: each key pose, then the eased frames to the next, back to the first."""
    drawn = figure.on_side(side)
    keys = drawn.poses
    first = posed(drawn, keys[0].pose, None)
    props = place_props(drawn.props, first)
    # Each key pose's body, posed and lowered once: drawn while held, at the start of its move, and as a still.
    bodies = tuple(lowered(posed(drawn, key.pose, first), props) for key in keys)
    # The frames are closed on the right side and mirrored for the left, so the left is the right's mirror image
    # exactly (closing each side on its own could round a solved angle the other way).
    moves = _moves_of(figure, frames_per_move)
    frames: list[Frame] = []
    time = 0.0
    for index, key in enumerate(keys):
        if key.hold > 0:
            frames.append(Frame(time, bodies[index]))
            time += key.hold
        frames.append(Frame(time, bodies[index]))
        for step, pose in enumerate(moves[index], start=1):
            body = lowered(posed(drawn, pose if side == "right" else pose.mirrored(), first), props)
            frames.append(Frame(time + key.move * step / frames_per_move, body))
        time += key.move
    frames.append(Frame(time, frames[0].body))
    return Scene(figure, side, tuple(frames), props, bodies)


# Each figure's closed moves, kept for the other side's drawing: closing the frames is most of a figure's cost, and
# it is the same work for both sides. Keyed by the figure object itself (a parsed figure holds dicts, so it has no
# hash); the figure is kept beside its moves, so its id is not reused while the entry lives.
_MOVES: dict[tuple[int, int], tuple[Figure, list[list[Pose]]]] = {}


def _moves_of(figure: Figure, frames_per_move: int) -> list[list[Pose]]:
    key = (id(figure), frames_per_move)
    kept = _MOVES.get(key)
    if kept is None or kept[0] is not figure:
        kept = _MOVES[key] = (figure, _moves(figure, frames_per_move))
    return kept[1]


def _moves(figure: Figure, frames_per_move: int) -> list[list[Pose]]:
    """The poses of each move's frames after its first, for the right side, each with its planted parts resting."""
    keys = figure.poses
    first = posed(figure, keys[0].pose, None)
    props = place_props(figure.props, first)
    gaps = [_gaps(lowered(posed(figure, key.pose, first), props), figure.planted, props) for key in keys]
    moves = []
    for index, key in enumerate(keys):
        after = (index + 1) % len(keys)
        limits = [max(a, b) + KEEP for a, b in zip(gaps[index], gaps[after], strict=True)]
        solves = key.solves + keys[after].solves
        moves.append(
            [
                _kept(figure, between(key.pose, keys[after].pose, ease(step / frames_per_move)), solves, limits, first)
                for step in range(1, frames_per_move)
            ]
        )
    return moves


def _gaps(body: Body, groups: Groups, props: tuple[Placed, ...]) -> list[float]:
    """How far each group's lowest part is above the floor (or its support)."""
    return [min(clearance(body, part, props) for part in group) for group in groups]


def _kept(figure: Figure, pose: Pose, solves: tuple[Solve, ...], limits: list[float], first: Body) -> Pose:
    """The pose with the planted groups that float further than at its key poses resting again, closed by the
    first of the key poses' solved angles that can close them (a pose no key solves is drawn as eased)."""
    props = place_props(figure.props, first)

    def place(candidate: Pose) -> Body:
        return posed(figure, candidate, first)

    # Every floating group is closed at once: a group closed alone could be held up by its floating twin (the
    # other knee, on hands and knees). Closing may lift another group, which is then closed with the first.
    floating: tuple[str, ...] = ()
    for _ in range(CLOSINGS if solves else 0):
        gaps = _gaps(lowered(place(pose), props), figure.planted, props)
        lifted = [group for group, gap, limit in zip(figure.planted, gaps, limits, strict=True) if gap > limit]
        if not lifted:
            break
        floating = tuple(dict.fromkeys(floating + tuple(part for group in lifted for part in group)))
        closed = _closed(pose, solves, floating, place, props)
        if closed == pose:
            break
        pose = closed
    return pose


def _closed(
    pose: Pose,
    solves: tuple[Solve, ...],
    parts: tuple[str, ...],
    place: Callable[[Pose], Body],
    props: tuple[Placed, ...],
) -> Pose:
    """The pose closed on ``parts`` by the first solved angle that can close it, or as it is when none can."""
    for where, name, _ in solves:
        try:
            return solved(pose, [(where, name, parts)], place, props)
        except ValueError:
            continue
    return pose
