"""What touches the floor in each position of the catalogue, and whether a posed body does.

A standing drill stands on both feet, or on the other foot when the working leg is lifted (single-leg work); a
half-kneeling one on the back knee and the front foot; quadruped on both hands (or forearms) and both knees (one,
when the working leg is lifted); supine on the back; prone on the front or the forearms; side-lying on the hip
underneath; seated on the seat (or a thigh, on a roller). "The floor" includes what the body rests on: a bench,
a roller, a ball.
"""

from __future__ import annotations

from typing import Literal

from hipcoach.core.figures.placement import Placed, clearance
from hipcoach.core.figures.skeleton import Body, Side
from hipcoach.core.vocabulary import Position

TOUCH = 0.015  # body heights (about 2.5 cm): the gap still drawn as touching

# Each group is satisfied when any of its parts touches; "working" and "other" name the legs and arms. A group
# that names only the lifted leg's parts is not required (single-leg work, a knee lifted off the floor).
Groups = tuple[tuple[str, ...], ...]
CONTACTS: dict[Position, Groups] = {
    Position.STANDING: (("other_foot",), ("working_foot",)),
    Position.HALF_KNEELING: (("working_thigh", "working_shank"), ("other_foot",)),  # the knee: either side of it
    Position.QUADRUPED: (
        ("working_hand", "working_forearm"),
        ("other_hand", "other_forearm"),
        ("other_thigh", "other_shank"),
        ("working_thigh", "working_shank"),
    ),
    Position.SUPINE: (("trunk",),),
    Position.PRONE: (("trunk", "pelvis", "working_forearm", "other_forearm", "working_hand", "other_hand"),),
    Position.SIDE_LYING: (("pelvis",),),
    Position.SEATED: (("pelvis", "trunk", "working_thigh", "other_thigh"),),  # a thigh: on a roller
}
LEG_PARTS = ("thigh", "shank", "foot")
ARM_PARTS = ("upper_arm", "forearm", "hand")
Lifted = Literal["none", "working", "other"]


def segment_name(name: str, working: Side) -> str:
    """A figure's word for a part (``working_foot``) as the skeleton's (``right_foot`` when the right works)."""
    other: Side = "left" if working == "right" else "right"
    if name.startswith("working_"):
        return working + name.removeprefix("working")
    if name.startswith("other_"):
        return other + name.removeprefix("other")
    return name


def _lifted_only(group: tuple[str, ...], side: Lifted, parts: tuple[str, ...]) -> bool:
    return side != "none" and all(part in {f"{side}_{name}" for name in parts} for part in group)


def required(position: Position, lifted: Lifted, lifted_arm: Lifted = "none") -> Groups:
    """The groups a body in this position must rest on, less the lifted leg's and the lifted arm's."""
    return tuple(
        group
        for group in CONTACTS[position]
        if not _lifted_only(group, lifted, LEG_PARTS) and not _lifted_only(group, lifted_arm, ARM_PARTS)
    )


def missing_contacts(
    body: Body,
    props: tuple[Placed, ...],
    position: Position,
    lifted: Lifted,
    working: Side,
    *,
    lifted_arm: Lifted = "none",
) -> list[str]:
    """The groups of the position that do not touch the floor (or a support) in this body, in the figure's words."""
    missing = []
    for group in required(position, lifted, lifted_arm):
        gaps = [clearance(body, segment_name(part, working), props) for part in group]
        if min(gaps) > TOUCH:
            missing.append(f"{' or '.join(group)} should touch the floor ({min(gaps):.3f} body heights above it)")
    return missing
