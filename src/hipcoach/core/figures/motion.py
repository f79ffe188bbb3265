"""A figure as data: its camera, equipment and key poses with their timing, and the frames between the poses.

Between two key poses every joint angle moves on an ease-in-out curve (slow out of one pose, slow into the next,
as a body moves), the frames are sampled, and forward kinematics and gravity place the body in each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from hipcoach.core.figures.camera import CAMERAS, Camera, View
from hipcoach.core.figures.placement import Placed, Prop, lowered, place_props, swap_side
from hipcoach.core.figures.skeleton import Body, Pose, Side, forward_kinematics

FRAMES_PER_MOVE = 8


@dataclass(frozen=True)
class KeyPose:
    """A key position: its name in words, the pose, how long it is held and how long the move to the next takes."""

    name: str
    pose: Pose
    hold: float
    move: float


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
        poses = tuple(KeyPose(k.name, k.pose.mirrored(), k.hold, k.move) for k in self.poses)
        anchor = None if self.anchor is None else swap_side(self.anchor)
        return replace(self, poses=poses, props=tuple(prop.mirrored() for prop in self.props), anchor=anchor)


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
    frames: list[Frame] = []
    time = 0.0
    for index, key in enumerate(keys):
        following = keys[(index + 1) % len(keys)].pose
        if key.hold > 0:
            frames.append(Frame(time, bodies[index]))
            time += key.hold
        for step in range(frames_per_move):
            pose = between(key.pose, following, ease(step / frames_per_move))
            body = bodies[index] if step == 0 else lowered(posed(drawn, pose, first), props)
            frames.append(Frame(time + key.move * step / frames_per_move, body))
        time += key.move
    frames.append(Frame(time, frames[0].body))
    return Scene(figure, side, tuple(frames), props, bodies)
