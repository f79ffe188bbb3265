"""Orthographic cameras: the views a figure is drawn from, and the projection of the world onto the picture.

A camera sits at ``azimuth`` degrees round the body from the runner's right side (0: side view from the right,
90: in front of the runner) and ``elevation`` degrees above the floor (90: straight down). The picture's ``x`` runs
to the right and ``y`` up; ``near`` is how close a point is to the camera, for drawing the far side first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from hipcoach.core.figures.skeleton import Vec

View = Literal["side", "front", "top", "three-quarter"]


@dataclass(frozen=True)
class Camera:
    azimuth: float
    elevation: float

    def mirrored(self) -> Camera:
        """The camera's mirror image across the body's midline, which shows a mirrored body as a mirrored picture."""
        return Camera(180.0 - self.azimuth, self.elevation)

    def project(self, point: Vec) -> tuple[float, float, float]:
        """The point on the picture (x, y) and how near it is to the camera."""
        x, y, z = point
        a, e = math.radians(self.azimuth), math.radians(self.elevation)
        across = x * math.cos(a) - z * math.sin(a)
        depth = x * math.sin(a) + z * math.cos(a)
        return across, y * math.cos(e) - depth * math.sin(e), y * math.sin(e) + depth * math.cos(e)


CAMERAS: dict[View, Camera] = {
    "side": Camera(0.0, 0.0),  # leg swings, hinges, lunges, lying and kneeling work seen from the working side
    "front": Camera(90.0, 0.0),  # lateral swings, monster walks, squats seen from in front
    "top": Camera(0.0, 90.0),  # rotations seen from above
    "three-quarter": Camera(40.0, 25.0),  # rotations such as the 90/90 and hip circles, with depth
}
