"""A jointed 3D skeleton with adult proportions, and its forward kinematics.

World axes, in body heights: ``x`` forward (the way the runner faces when the figure is at rest), ``y`` up (the
floor is ``y = 0``), ``z`` to the runner's right. A pose is the pelvis (the root: where it is and how it is turned)
and joint angles in degrees; :func:`forward_kinematics` gives every joint's position.

Segment lengths are fractions of body height from Winter's anthropometric table (D. A. Winter, "Biomechanics and
Motor Control of Human Movement", 4th ed., Wiley 2009, figure 4.1, after Drillis & Contini 1966). They are
drawing proportions, not clinical rules. The thicknesses are the mannequin's, chosen to read at phone size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("right", "left")

# Winter (2009) figure 4.1, fractions of height H.
THIGH = 0.245  # hip to knee
SHANK = 0.246  # knee to ankle
ANKLE_HEIGHT = 0.039  # ankle above the sole
FOOT_LENGTH = 0.152
HEEL_BEHIND_ANKLE = 0.035  # the part of the foot's length behind the ankle
TRUNK = 0.288  # hip joints (0.530 H) to shoulders (0.818 H)
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108
SHOULDER_WIDTH = 0.259
HIP_WIDTH = 0.191
NECK = 0.052  # shoulders (0.818 H) to chin (0.870 H)
HEAD = 0.130  # chin (0.870 H) to the top of the head

# Between the hip joint centres: about half the pelvis's width (Winter's 0.191 H is across the trochanters).
HIP_JOINT_SPACING = 0.1
SHOULDER_JOINT_SPACING = SHOULDER_WIDTH * 0.8

# Half-thicknesses of each segment's capsule, for drawing and for touching the floor.
RADIUS = {
    "thigh": 0.046,
    "shank": 0.033,
    "foot": 0.02,
    "upper_arm": 0.027,
    "forearm": 0.022,
    "hand": 0.018,
    "trunk": 0.068,
    "neck": 0.028,
    "head": 0.058,
    "pelvis": 0.06,
    "shoulders": 0.045,
}

Vec = tuple[float, float, float]
Matrix = tuple[Vec, Vec, Vec]  # the columns: the segment's forward, up and right axes, in world coordinates

# Joint angles a pose may set, per side. Signs: flexion brings the limb forward (the knee bends the shin back),
# abduction takes it away from the midline, hip rotation is external when positive, dorsiflexion lifts the toes.
LIMB_JOINTS = (
    "hip_flexion",
    "hip_abduction",
    "hip_rotation",
    "knee_flexion",
    "ankle_dorsiflexion",
    "shoulder_flexion",
    "shoulder_abduction",
    "elbow_flexion",
)
# Angles of the body as a whole. The pelvis pitches forward (positive: the trunk tips towards the front), rolls
# to the runner's right (positive: the right side goes down) and yaws to the right; the trunk flexes forward,
# bends to the right and turns to the right; the neck flexes forward.
BODY_JOINTS = (
    "pelvis_pitch",
    "pelvis_roll",
    "pelvis_yaw",
    "trunk_flexion",
    "trunk_side_bend",
    "trunk_rotation",
    "neck_flexion",
)
# Angles and offsets that change sign in the mirror (they turn or move towards one side).
SIDED_BODY = frozenset({"pelvis_roll", "pelvis_yaw", "trunk_side_bend", "trunk_rotation", "shift_right"})
# Where the pelvis is moved on the floor, in body heights (the height is found by gravity, see placement.py).
OFFSETS = ("shift_forward", "shift_right")


@dataclass(frozen=True)
class Pose:
    """One posture: the body's angles and offsets, and each side's joint angles (degrees)."""

    body: Mapping[str, float] = field(default_factory=dict)
    right: Mapping[str, float] = field(default_factory=dict)
    left: Mapping[str, float] = field(default_factory=dict)

    def angle(self, name: str, side: Side | None = None) -> float:
        source = self.body if side is None else (self.right if side == "right" else self.left)
        return float(source.get(name, 0.0))

    def mirrored(self) -> Pose:
        """The same posture on the other side: left and right swap, and turns to one side turn to the other."""
        body = {name: -value if name in SIDED_BODY else value for name, value in self.body.items()}
        return Pose(body=body, right=dict(self.left), left=dict(self.right))


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _rotate(v: Vec, axis: Vec, degrees: float) -> Vec:
    """Rodrigues' rotation of ``v`` about the unit ``axis``, right-handed."""
    theta = math.radians(degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    dot = v[0] * axis[0] + v[1] * axis[1] + v[2] * axis[2]
    return _add(_add(_scale(v, cos), _scale(_cross(axis, v), sin)), _scale(axis, dot * (1 - cos)))


def _turn(frame: Matrix, local_axis: Vec, degrees: float) -> Matrix:
    """The frame turned about one of its own axes (given in the frame's coordinates)."""
    axis = apply(frame, local_axis)
    forward, up, right = frame
    return (_rotate(forward, axis, degrees), _rotate(up, axis, degrees), _rotate(right, axis, degrees))


def apply(frame: Matrix, local: Vec) -> Vec:
    forward, up, right = frame
    return _add(_add(_scale(forward, local[0]), _scale(up, local[1])), _scale(right, local[2]))


FORWARD: Vec = (1.0, 0.0, 0.0)
UP: Vec = (0.0, 1.0, 0.0)
RIGHT: Vec = (0.0, 0.0, 1.0)
IDENTITY: Matrix = (FORWARD, UP, RIGHT)


def side_sign(side: Side) -> float:
    return 1.0 if side == "right" else -1.0


def _pelvis_frame(pose: Pose) -> Matrix:
    # Yaw about the vertical, then pitch about the body's right axis, then roll about its forward axis.
    frame = _turn(IDENTITY, UP, -pose.angle("pelvis_yaw"))
    frame = _turn(frame, RIGHT, -pose.angle("pelvis_pitch"))
    return _turn(frame, FORWARD, pose.angle("pelvis_roll"))


def _limb_frame(parent: Matrix, side: Side, flexion: float, abduction: float, rotation: float = 0.0) -> Matrix:
    """A ball joint: flexion about the right axis, abduction about the forward axis, then rotation about the limb's
    own long axis (pointing down at rest)."""
    s = side_sign(side)
    frame = _turn(parent, RIGHT, flexion)
    frame = _turn(frame, (-s, 0.0, 0.0), abduction)
    return _turn(frame, (0.0, -s, 0.0), rotation)


# Every point the skeleton has, and the segments between them (with the radius key of each).
SEGMENTS: tuple[tuple[str, str, str, str], ...] = (
    # (name, from point, to point, radius key)
    ("trunk", "pelvis", "neck", "trunk"),
    ("neck", "neck", "chin", "neck"),
    ("head", "head", "head", "head"),
    ("pelvis", "left_hip", "right_hip", "pelvis"),
    ("shoulders", "left_shoulder", "right_shoulder", "shoulders"),
    *(
        (f"{side}_{name}", f"{side}_{start}", f"{side}_{end}", name)
        for side in SIDES
        for name, start, end in (
            ("thigh", "hip", "knee"),
            ("shank", "knee", "ankle"),
            ("foot", "heel", "toe"),
            ("upper_arm", "shoulder", "elbow"),
            ("forearm", "elbow", "wrist"),
            ("hand", "wrist", "fingers"),
        )
    ),
)


@dataclass(frozen=True)
class Body:
    """A posed skeleton: every point's world position, and the pelvis and trunk frames (for the drawing)."""

    points: Mapping[str, Vec]
    pelvis: Matrix
    chest: Matrix

    def moved(self, offset: Vec) -> Body:
        return Body({name: _add(p, offset) for name, p in self.points.items()}, self.pelvis, self.chest)


def forward_kinematics(pose: Pose) -> Body:
    """Every joint's position for a pose, with the hip joints' midpoint at the origin (before placement)."""
    points: dict[str, Vec] = {}
    pelvis = _pelvis_frame(pose)
    root: Vec = (0.0, 0.0, 0.0)
    points["pelvis"] = root
    chest = _turn(pelvis, RIGHT, -pose.angle("trunk_flexion"))
    chest = _turn(chest, FORWARD, pose.angle("trunk_side_bend"))
    chest = _turn(chest, UP, -pose.angle("trunk_rotation"))
    points["neck"] = _add(root, apply(chest, (0.0, TRUNK, 0.0)))
    head_frame = _turn(chest, RIGHT, -pose.angle("neck_flexion"))
    points["chin"] = _add(points["neck"], apply(head_frame, (0.0, NECK, 0.0)))
    points["head"] = _add(points["chin"], apply(head_frame, (0.01, HEAD * 0.45, 0.0)))
    for side in SIDES:
        _leg(points, pose, pelvis, side)
        _arm(points, pose, chest, side)
    return Body(points, pelvis, chest)


def _leg(points: dict[str, Vec], pose: Pose, pelvis: Matrix, side: Side) -> None:
    hip = apply(pelvis, (0.0, 0.0, side_sign(side) * HIP_JOINT_SPACING / 2))
    angle = pose.angle
    thigh = _limb_frame(
        pelvis, side, angle("hip_flexion", side), angle("hip_abduction", side), angle("hip_rotation", side)
    )
    knee = _add(hip, apply(thigh, (0.0, -THIGH, 0.0)))
    shank = _turn(thigh, RIGHT, -angle("knee_flexion", side))
    ankle = _add(knee, apply(shank, (0.0, -SHANK, 0.0)))
    foot = _turn(shank, RIGHT, angle("ankle_dorsiflexion", side))
    points[f"{side}_hip"] = hip
    points[f"{side}_mid_thigh"] = _scale(_add(hip, knee), 0.5)
    points[f"{side}_knee"] = knee
    points[f"{side}_ankle"] = ankle
    points[f"{side}_heel"] = _add(ankle, apply(foot, (-HEEL_BEHIND_ANKLE, -ANKLE_HEIGHT * 0.55, 0.0)))
    points[f"{side}_toe"] = _add(ankle, apply(foot, (FOOT_LENGTH - HEEL_BEHIND_ANKLE, -ANKLE_HEIGHT * 0.55, 0.0)))


def _arm(points: dict[str, Vec], pose: Pose, chest: Matrix, side: Side) -> None:
    shoulder = _add(points["neck"], apply(chest, (0.0, -0.025, side_sign(side) * SHOULDER_JOINT_SPACING / 2)))
    angle = pose.angle
    upper = _limb_frame(chest, side, angle("shoulder_flexion", side), angle("shoulder_abduction", side))
    elbow = _add(shoulder, apply(upper, (0.0, -UPPER_ARM, 0.0)))
    lower = _turn(upper, RIGHT, angle("elbow_flexion", side))
    wrist = _add(elbow, apply(lower, (0.0, -FOREARM, 0.0)))
    points[f"{side}_shoulder"] = shoulder
    points[f"{side}_elbow"] = elbow
    points[f"{side}_wrist"] = wrist
    points[f"{side}_fingers"] = _add(wrist, apply(lower, (0.0, -HAND * 0.6, 0.0)))


def segment_length(body: Body, start: str, end: str) -> float:
    a, b = body.points[start], body.points[end]
    return math.dist(a, b)
