"""A figure's scene as SVG: a mannequin of filled rounded segments, animated with SMIL, or one key pose as a still.

The site's Content-Security-Policy forbids inline scripts and inline styles, so the picture uses presentation
attributes only (``fill``, ``stroke``, ``stroke-width``) and moves with ``<animate>``, never ``style`` or script.
Every body part is a path with round caps and joins: a limb is a thick line (a capsule), the head a zero-length
line (a disc). Parts are drawn far to near; the far side's limbs are lighter and the working leg has its colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from hipcoach.core.figures.camera import Camera
from hipcoach.core.figures.motion import Scene
from hipcoach.core.figures.placement import (
    BALL_RADIUS,
    DUMBBELL_RADIUS,
    POST,
    ROLLER_LENGTH,
    ROLLER_RADIUS,
    WALL_HEIGHT,
    Placed,
)
from hipcoach.core.figures.skeleton import RADIUS, SEGMENTS, Body, Side, Vec

SCALE = 200.0  # picture units per body height
PAD = 12.0

TRUNK = "#4f6f99"
BODY = "#2b4263"
BODY_FAR = "#a9bdd3"
WORKING = "#e0662b"
WORKING_FAR = "#f2b48f"
PROP = "#8d99a6"
PROP_LIGHT = "#dfe4ea"
WALL = "#eef1f4"
FLOOR = "#b8c0c8"
BAND = "#2a9d8f"

Point2 = tuple[float, float]
# What the body rests on or against is drawn behind it; a band or a dumbbell in front.
BEHIND = ("wall", "bench", "foam-roller", "massage-ball")


def _picture(camera: Camera, point: Vec) -> tuple[float, float, float]:
    x, y, near = camera.project(point)
    return x * SCALE, -y * SCALE, near


def _number(value: float) -> str:
    return str(round(value))


def _line(a: Point2, b: Point2) -> str:
    return f"M{_number(a[0])} {_number(a[1])}L{_number(b[0])} {_number(b[1])}"


def _polygon(points: Sequence[Point2]) -> str:
    return "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in points) + "Z"


def _hull(points: Sequence[Point2]) -> list[Point2]:
    """The convex hull (Andrew's monotone chain): the outline of a projected box."""
    ordered = sorted(set(points))
    if len(ordered) < 3:
        return ordered

    def turn(o: Point2, a: Point2, b: Point2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point2] = []
    for p in ordered:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point2] = []
    for p in reversed(ordered):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _working_segment(name: str, working: Side | None) -> bool:
    leg = name.endswith(("_thigh", "_shank", "_foot"))
    return working is not None and leg and name.startswith(working)


def _far_sides(scene: Scene, camera: Camera) -> set[str]:
    """The side whose hip (for legs) or shoulder (for arms) is further from the camera than the body's midline."""
    body = scene.key_bodies[0]
    far = set()
    for joint in ("hip", "shoulder"):
        right = camera.project(body.points[f"right_{joint}"])[2]
        left = camera.project(body.points[f"left_{joint}"])[2]
        if abs(right - left) > 0.03:
            far.add(f"{'left' if left < right else 'right'}_{joint}")
    return far


def _colour(name: str, working: Side | None, far: set[str]) -> str:
    side = name.split("_", 1)[0]
    if side not in ("left", "right"):
        return TRUNK
    limb_joint = "hip" if name.endswith(("_thigh", "_shank", "_foot")) else "shoulder"
    is_far = f"{side}_{limb_joint}" in far
    if _working_segment(name, working):
        return WORKING_FAR if is_far else WORKING
    return BODY_FAR if is_far else BODY


def _animated(attribute: str, values: list[str], times: str, duration: float) -> str:
    if all(value == values[0] for value in values):
        return ""
    joined = ";".join(values)
    return (
        f'<animate attributeName="{attribute}" dur="{duration:.2f}s" repeatCount="indefinite" '
        f'keyTimes="{times}" values="{joined}"/>'
    )


def _segment_paths(bodies: Sequence[Body], camera: Camera) -> dict[str, tuple[list[str], float, float]]:
    """Each segment's path in every frame, its mean nearness (for the drawing order) and its radius."""
    paths: dict[str, tuple[list[str], float, float]] = {}
    for name, start, end, radius in SEGMENTS:
        values, near = [], 0.0
        for body in bodies:
            ax, ay, an = _picture(camera, body.points[start])
            bx, by, bn = _picture(camera, body.points[end])
            values.append(_line((ax, ay), (bx, by)))
            near += (an + bn) / 2
        paths[name] = (values, near / len(bodies), RADIUS[radius])
    return paths


def _prop_shapes(scene: Scene, camera: Camera, bodies: Sequence[Body], times: str, duration: float) -> list[str]:
    shapes = []
    for prop in scene.props:
        shapes.append(_prop_shape(prop, camera, bodies, times, duration))
    return shapes


def _box(camera: Camera, low: Vec, high: Vec) -> list[Point2]:
    corners = [(x, y, z) for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])]
    return _hull([_picture(camera, corner)[:2] for corner in corners])


def _prop_shape(prop: Placed, camera: Camera, bodies: Sequence[Body], times: str, duration: float) -> str:
    cx, cy, cz = prop.centre
    if prop.kind == "foam-roller":
        a = _picture(camera, (cx, cy, cz - ROLLER_LENGTH / 2))[:2]
        b = _picture(camera, (cx, cy, cz + ROLLER_LENGTH / 2))[:2]
        width = _number(2 * ROLLER_RADIUS * SCALE)
        return f'<path d="{_line(a, b)}" stroke="{PROP}" stroke-width="{width}"/>'
    if prop.kind == "massage-ball":
        a = _picture(camera, prop.centre)[:2]
        return f'<path d="{_line(a, a)}" stroke="{PROP}" stroke-width="{_number(2 * BALL_RADIUS * SCALE)}"/>'
    if prop.kind == "bench":
        outline = _polygon(_box(camera, prop.low, prop.high))
        return f'<path d="{outline}" fill="{PROP_LIGHT}" stroke="{PROP}" stroke-width="3"/>'
    if prop.kind == "wall":
        if prop.across == "x":
            low, high = (cx, 0.0, cz - 0.45), (cx + 0.02, WALL_HEIGHT, cz + 0.45)
        else:
            low, high = (cx - 0.45, 0.0, cz), (cx + 0.45, WALL_HEIGHT, cz + 0.02)
        return f'<path d="{_polygon(_box(camera, low, high))}" fill="{WALL}" stroke="{WALL}"/>'
    ends = prop.between

    def end(body: Body, name: str) -> Point2:
        return _picture(camera, prop.centre if name == POST else body.points[name])[:2]

    values = [_line(end(body, ends[0]), end(body, ends[1])) for body in bodies]
    if prop.kind == "band":
        return (
            f'<path d="{values[0]}" stroke="{BAND}" stroke-width="5">{_animated("d", values, times, duration)}</path>'
        )
    width = _number(2 * DUMBBELL_RADIUS * SCALE)
    return (
        f'<path d="{values[0]}" stroke="{PROP}" stroke-width="{width}">{_animated("d", values, times, duration)}</path>'
    )


def _bounds(bodies: Sequence[Body], camera: Camera, props: Sequence[Placed]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for body in bodies:
        for point in body.points.values():
            x, y, _ = _picture(camera, point)
            xs.append(x)
            ys.append(y)
    for prop in props:
        extent = ROLLER_RADIUS if prop.kind == "foam-roller" else 0.0
        for corner in (prop.low, prop.high) if prop.kind == "bench" else (prop.centre,):
            x, y, _ = _picture(camera, corner)
            xs.append(x)
            ys.append(y - extent * SCALE)
    margin = RADIUS["head"] * SCALE + PAD
    floor = _picture(camera, (0.0, 0.0, 0.0))[1]
    ys.append(floor)
    return min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + PAD


def render(scene: Scene, *, still: bool = False, key: int = 0) -> str:
    """The scene as an SVG document: animated over one loop, or (``still``) one key pose, the first by default."""
    camera = scene.figure.camera(scene.side)
    bodies = [scene.key_bodies[key]] if still else [frame.body for frame in scene.frames]
    duration = scene.figure.duration
    times = ";".join(f"{frame.time / duration:.3f}".rstrip("0").rstrip(".") for frame in scene.frames)
    working = scene.side if scene.figure.one_sided else None
    far = _far_sides(scene, camera)
    left, top, right, bottom = _bounds(bodies, camera, scene.props)
    width, height = right - left, bottom - top
    label = escape(scene.figure.title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_number(left)} {_number(top)} {_number(width)} '
        f'{_number(height)}" width="{_number(width)}" height="{_number(height)}" role="img">',
        f"<title>{label}</title>",
    ]
    floor_y = _number(_picture(camera, (0.0, 0.0, 0.0))[1])
    if camera.elevation < 80:
        parts.append(f'<path d="M{_number(left)} {floor_y}H{_number(right)}" stroke="{FLOOR}" stroke-width="3"/>')
    parts.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
    props = _prop_shapes(scene, camera, bodies, times, duration)
    walls = [shape for prop, shape in zip(scene.props, props, strict=True) if prop.kind in BEHIND]
    parts.extend(walls)
    paths = _segment_paths(bodies, camera)
    for name in sorted(paths, key=lambda segment: paths[segment][1]):
        values, _, radius = paths[name]
        width_ = _number(2 * radius * SCALE)
        animation = "" if still else _animated("d", values, times, duration)
        colour = _colour(name, working, far)
        parts.append(f'<path d="{values[0]}" stroke="{colour}" stroke-width="{width_}">{animation}</path>')
    parts.extend(shape for prop, shape in zip(scene.props, props, strict=True) if prop.kind not in BEHIND)
    parts.append("</g></svg>")
    return "".join(parts)
