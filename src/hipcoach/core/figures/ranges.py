"""How far each joint of a figure may move: the normal adult ranges of motion, in degrees.

Source: American Academy of Orthopaedic Surgeons, "Joint Motion: Method of Measuring and Recording" (AAOS 1965),
as tabulated by Greene & Heckman, "The Clinical Measurement of Joint Motion" (AAOS 1994). Negative is the opposite
motion: extension for flexion, adduction for abduction, internal for (external) rotation, plantarflexion for
dorsiflexion. These bound the drawings only; they are not the screen's norms (those are in REFERENCE.md).
"""

from __future__ import annotations

JOINT_RANGES: dict[str, tuple[float, float]] = {
    "hip_flexion": (-30.0, 120.0),  # flexion 120, extension 30
    "hip_abduction": (-30.0, 45.0),  # abduction 45, adduction 30
    "hip_rotation": (-45.0, 45.0),  # external 45, internal 45
    "knee_flexion": (0.0, 135.0),
    "ankle_dorsiflexion": (-50.0, 20.0),  # dorsiflexion 20, plantarflexion 50
    "shoulder_flexion": (-60.0, 180.0),  # flexion 180, extension 60
    "shoulder_abduction": (-30.0, 180.0),  # abduction 180; across the body, 30
    "elbow_flexion": (0.0, 150.0),
    "trunk_flexion": (-25.0, 80.0),  # thoracolumbar flexion 80, extension 25
    "trunk_side_bend": (-35.0, 35.0),
    "trunk_rotation": (-45.0, 45.0),
    "neck_flexion": (-45.0, 45.0),  # cervical flexion and extension 45
}


def out_of_range(name: str, value: float) -> str | None:
    """Why this joint angle is outside the human range, or ``None`` when it is within it (or is no joint)."""
    if name not in JOINT_RANGES:
        return None
    low, high = JOINT_RANGES[name]
    if low <= value <= high:
        return None
    return f"{name} {value:g} is outside the human range {low:g} to {high:g} degrees (AAOS)"
