"""The figures: every drill and screen test drawn as a human figure that obeys its geometry.

Checked by geometry, for every pose of every figure: joint angles within human limits, the parts its position
puts on the floor touch it, nothing sinks into the floor or the equipment, limbs keep their lengths, and the left
side is the mirror image of the right.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.figures import FigureError, contact_sheet, default_figures, figure_svg, key_positions, parse_figures
from hipcoach.core.figures.contacts import missing_contacts, segment_name
from hipcoach.core.figures.data import DEFAULT_FIGURES_PATH
from hipcoach.core.figures.motion import Figure, Scene, ease, scene
from hipcoach.core.figures.placement import clearance, swap_side
from hipcoach.core.figures.ranges import JOINT_RANGES
from hipcoach.core.figures.skeleton import FOREARM, RADIUS, SEGMENTS, SHANK, THIGH, UPPER_ARM, Body, segment_length
from hipcoach.core.screen import TestId
from hipcoach.core.vocabulary import Position

FIGURES = default_figures()
IDS = sorted(figure.id for figure in FIGURES)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def scenes() -> dict[tuple[str, str], Scene]:
    return {(figure.id, side): scene(figure, side) for figure in FIGURES for side in ("right", "left")}


def shipped_data() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_FIGURES_PATH.read_text(encoding="utf-8"))


def test_every_drill_and_every_screen_test_has_a_figure() -> None:
    drills = {drill.id for drill in default_catalogue()}
    tests = {test.value for test in TestId}
    assert len(drills) == 35
    assert len(tests) == 9
    assert set(IDS) == drills | tests


@pytest.mark.parametrize("figure_id", IDS)
def test_every_key_pose_keeps_its_joints_within_human_range(figure_id: str) -> None:
    for key in FIGURES.get(figure_id).poses:
        for side in (key.pose.right, key.pose.left, key.pose.body):
            for name, value in side.items():
                if name in JOINT_RANGES:
                    low, high = JOINT_RANGES[name]
                    assert low <= value <= high, f"{key.name}: {name} {value}"


@pytest.mark.parametrize("figure_id", IDS)
def test_what_the_position_puts_on_the_floor_touches_it_in_every_key_pose(
    figure_id: str, scenes: dict[tuple[str, str], Scene]
) -> None:
    data, position = FIGURES.data[figure_id], FIGURES.positions[figure_id]
    for side in ("right", "left"):
        placed = scenes[(figure_id, side)]
        for key, body in zip(FIGURES.get(figure_id).poses, placed.key_bodies, strict=True):
            missing = missing_contacts(body, placed.props, position, data.lifted, side, lifted_arm=data.lifted_arm)
            assert missing == [], f"{side}, {key.name}"


def test_a_standing_drill_stands_on_both_feet_and_single_leg_work_on_one() -> None:
    squat = scene(FIGURES.get("wall-squat")).key_bodies[1]
    swing = scene(FIGURES.get("forward-leg-swing")).key_bodies[0]
    assert clearance(squat, "right_foot", ()) < 0.015
    assert clearance(squat, "left_foot", ()) < 0.015
    assert clearance(swing, "left_foot", ()) < 0.015
    assert clearance(swing, "right_foot", ()) > 0.1


def test_the_back_of_a_supine_drill_and_the_hands_and_knees_of_a_quadruped_one_touch() -> None:
    bridge = scene(FIGURES.get("glute-bridge")).key_bodies[1]
    hydrant = scene(FIGURES.get("fire-hydrant")).key_bodies[0]
    assert clearance(bridge, "trunk", ()) < 0.015
    for part in ("right_hand", "left_hand", "right_thigh", "left_thigh"):
        assert min(clearance(hydrant, part, ()), clearance(hydrant, part.replace("thigh", "shank"), ())) < 0.015


SUPPORTS = {"foam-roller", "massage-ball", "bench"}  # what a body may rest on above the floor


@pytest.mark.parametrize("figure_id", IDS)
def test_nothing_passes_through_the_floor_or_the_equipment_in_any_frame(
    figure_id: str, scenes: dict[tuple[str, str], Scene]
) -> None:
    for side in ("right", "left"):
        placed = scenes[(figure_id, side)]
        for frame in placed.frames:
            lowest = min(clearance(frame.body, name, placed.props) for name, *_ in SEGMENTS)
            assert lowest >= -1e-9
            assert lowest <= 1e-9  # and it rests on something: it does not float
            # The same, from the points themselves: a limb is a straight capsule, lowest at one of its ends, so
            # the body's lowest surface is an end's height less its radius; it never dips below the floor, and
            # a body with nothing to rest on but the floor lies on it.
            surface = min(
                frame.body.points[end][1] - RADIUS[radius]
                for _, start, finish, radius in SEGMENTS
                for end in (start, finish)
            )
            assert surface >= -1e-9
            if not any(prop.kind in SUPPORTS for prop in placed.props):
                assert surface == pytest.approx(0.0, abs=1e-9)


STANCE_SLACK = 0.003  # body heights (about 5 mm): how far a standing foot may rock or lift in any frame
ANCHOR_SLACK = 0.01  # about 1.75 cm: how far any other anchored part (a kneeling knee, a heel) may rise


@pytest.mark.parametrize("figure_id", IDS)
def test_what_the_position_puts_on_the_floor_stays_on_it_in_every_frame(
    figure_id: str, scenes: dict[tuple[str, str], Scene]
) -> None:
    """Between key poses too: the eased frames keep the contacts and the anchor, and a standing foot stays planted."""
    data, position = FIGURES.data[figure_id], FIGURES.positions[figure_id]
    stance = {"other": "working_foot", "working": "other_foot"}.get(data.lifted)
    for side in ("right", "left"):
        placed = scenes[(figure_id, side)]
        anchor = placed.figure.on_side(side).anchor  # type: ignore[arg-type]
        for number, frame in enumerate(placed.frames):
            missing = missing_contacts(
                frame.body, placed.props, position, data.lifted, side, lifted_arm=data.lifted_arm
            )
            assert missing == [], f"{side}, frame {number}"
            if stance is not None and position in UPRIGHT:
                foot = segment_name(stance, side)  # type: ignore[arg-type]
                assert clearance(frame.body, foot, placed.props) <= STANCE_SLACK, f"{side}, frame {number}"
            if anchor is not None:
                rise = frame.body.points[anchor][1] - placed.frames[0].body.points[anchor][1]
                slack = STANCE_SLACK if anchor.endswith("_ankle") else ANCHOR_SLACK
                assert abs(rise) <= slack, f"{side}, frame {number}: {anchor} moved {rise:.4f} up"


LYING = {Position.SUPINE, Position.PRONE, Position.SIDE_LYING}
UPRIGHT = {Position.STANDING, Position.HALF_KNEELING}


@pytest.mark.parametrize("figure_id", IDS)
def test_a_figure_keeps_its_posture_between_key_poses(figure_id: str, scenes: dict[tuple[str, str], Scene]) -> None:
    """A lying drill never stands up mid-move and a standing one never lies down: the head stays low or high."""
    position = FIGURES.positions[figure_id]
    heads = [frame.body.points["head"][1] for frame in scenes[(figure_id, "right")].frames]
    if position in LYING:
        assert max(heads) < 0.6
    if position in UPRIGHT:
        assert min(heads) > 0.5


LIMBS = {"thigh": THIGH, "shank": SHANK, "upper_arm": UPPER_ARM, "forearm": FOREARM}


@pytest.mark.parametrize("figure_id", IDS)
def test_limbs_keep_their_length_in_every_frame(figure_id: str, scenes: dict[tuple[str, str], Scene]) -> None:
    for frame in scenes[(figure_id, "right")].frames + scenes[(figure_id, "left")].frames:
        for name, start, end, _ in SEGMENTS:
            limb = name.split("_", 1)[-1]
            if limb in LIMBS:
                assert segment_length(frame.body, start, end) == pytest.approx(LIMBS[limb], abs=1e-9)


def _mirror_of(right: Body, left: Body) -> bool:
    return all(
        math.isclose(left.points[swap_side(name)][0], x, abs_tol=1e-9)
        and math.isclose(left.points[swap_side(name)][1], y, abs_tol=1e-9)
        and math.isclose(left.points[swap_side(name)][2], -z, abs_tol=1e-9)
        for name, (x, y, z) in right.points.items()
    )


@pytest.mark.parametrize("figure_id", IDS)
def test_the_left_side_animation_is_the_mirror_image_of_the_right(
    figure_id: str, scenes: dict[tuple[str, str], Scene]
) -> None:
    right, left = scenes[(figure_id, "right")], scenes[(figure_id, "left")]
    assert [f.time for f in right.frames] == [f.time for f in left.frames]
    for a, b in zip(right.frames, left.frames, strict=True):
        assert _mirror_of(a.body, b.body)
    figure: Figure = right.figure
    camera, mirror = figure.camera("right"), figure.camera("left")
    for name, point in right.frames[3].body.points.items():
        x, y, _ = camera.project(point)
        mx, my, _ = mirror.project(left.frames[3].body.points[swap_side(name)])
        assert (mx, my) == pytest.approx((-x, y), abs=1e-9)  # the picture, flipped left to right


def test_a_figure_eases_between_key_poses_rather_than_moving_at_one_speed() -> None:
    assert ease(0) == 0
    assert ease(1) == 1
    assert ease(0.5) == pytest.approx(0.5)
    frames = scene(FIGURES.get("forward-leg-swing")).frames
    # The first move (after the held first frame): the foot starts slowly, is fastest midway, and ends slowly.
    moving = [f.body.points["right_toe"] for f in frames[1:10]]
    steps = [math.dist(a, b) for a, b in itertools.pairwise(moving)]
    assert steps[0] < steps[len(steps) // 2]
    assert steps[-1] < steps[len(steps) // 2]


@pytest.mark.parametrize("figure_id", IDS)
def test_the_svg_is_xml_without_style_or_script_and_is_light(figure_id: str) -> None:
    for side in ("right", "left"):
        animated = figure_svg(figure_id, side=side)  # type: ignore[arg-type]
        still = figure_svg(figure_id, side=side, still=True)  # type: ignore[arg-type]
        for text in (animated, still):
            root = ElementTree.fromstring(text)
            assert root.tag == f"{SVG}svg"
            assert root.find(f"{SVG}title") is not None
            for element in root.iter():
                assert element.tag not in (f"{SVG}style", f"{SVG}script")
                assert "style" not in element.attrib
                assert not any(a.startswith("on") for a in element.attrib)
        assert len(animated.encode()) < 15_000
        assert "<animate" in animated
        assert "keyTimes" in animated
        assert "<animate" not in still


def test_the_working_leg_has_its_own_colour_and_the_far_limbs_are_lighter() -> None:
    svg = figure_svg("forward-leg-swing", still=True)
    assert "#e0662b" in svg  # the working leg, near the camera
    assert "#a9bdd3" in svg  # the far (standing) leg and arm
    assert "#e0662b" not in figure_svg("glute-bridge", still=True)  # both legs work: no one leg stands out


def test_equipment_is_drawn() -> None:
    assert 'stroke="#2a9d8f"' in figure_svg("monster-walk")  # the band
    assert 'fill="#dfe4ea"' in figure_svg("hip-thrust")  # the bench
    roller = figure_svg("foam-roller-quadriceps-release", still=True)
    assert roller.count('stroke="#8d99a6"') >= 1


def test_the_key_positions_are_named_in_words() -> None:
    assert key_positions("forward-leg-swing") == ["Leg swung forward", "Leg swung back"]
    assert all(2 <= len(key_positions(figure_id)) <= 4 for figure_id in IDS)


def test_the_contact_sheet_holds_every_figure_and_is_saved_to_the_test_artefacts(artefacts: Path) -> None:
    sheet = contact_sheet(FIGURES)
    root = ElementTree.fromstring(sheet)
    pictures = root.findall(f"{SVG}svg")
    assert len(pictures) == sum(len(figure.poses) for figure in FIGURES)
    (artefacts / "figures-contact-sheet.svg").write_text(sheet, encoding="utf-8")


# --- validation ------------------------------------------------------------------------------------------------


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(FigureError) as error:
        parse_figures(data, default_catalogue())
    return error.value.problems


def _figure(data: dict[str, Any], figure_id: str) -> dict[str, Any]:
    return next(table for table in data["figure"] if table["id"] == figure_id)


def test_a_drill_without_a_figure_fails_validation_naming_it() -> None:
    data = shipped_data()
    data["figure"] = [table for table in data["figure"] if table["id"] != "clamshell"]
    assert any("drill 'clamshell': has no figure" in problem for problem in problems_of(data))


def test_a_screen_test_without_a_figure_fails_validation_naming_it() -> None:
    data = shipped_data()
    data["figure"] = [table for table in data["figure"] if table["id"] != "faber"]
    assert any("screen test 'faber': has no figure" in problem for problem in problems_of(data))


def test_an_unknown_angle_or_field_is_named_with_its_figure() -> None:
    data = shipped_data()
    _figure(data, "clamshell")["pose"][1]["working"]["hip_twist"] = 10
    _figure(data, "glute-bridge")["colour"] = "red"
    problems = problems_of(data)
    assert any(p.startswith("figure 'clamshell'") and "hip_twist" in p and "hip_rotation" in p for p in problems)
    assert any(p.startswith("figure 'glute-bridge'") and "'colour' is not a figure field" in p for p in problems)


def test_an_angle_beyond_the_human_range_is_refused() -> None:
    data = shipped_data()
    _figure(data, "forward-leg-swing")["pose"][0]["working"]["hip_flexion"] = 150
    problem = next(p for p in problems_of(data) if p.startswith("figure 'forward-leg-swing'"))
    assert "hip_flexion 150 is outside the human range -30 to 120" in problem


def test_a_figure_floating_off_the_floor_its_position_needs_is_refused() -> None:
    data = shipped_data()
    # A wall squat with one foot kicked up off the floor: the position says both feet stand on it.
    _figure(data, "wall-squat")["pose"][1]["other"] = {"hip_flexion": 60, "knee_flexion": 10}
    problem = next(p for p in problems_of(data) if p.startswith("figure 'wall-squat'"))
    assert "pose 'Slid down to a comfortable depth'" in problem
    assert "should touch the floor" in problem


def test_equipment_the_drill_uses_must_be_drawn() -> None:
    data = shipped_data()
    _figure(data, "monster-walk")["props"] = []
    assert any("figure 'monster-walk': field 'props': the drill uses a band" in p for p in problems_of(data))


def test_a_figure_for_no_drill_or_test_and_a_drill_giving_a_position_are_refused() -> None:
    data = shipped_data()
    stray = dict(_figure(data, "clamshell"), id="moonwalk")
    data["figure"].append(stray)
    _figure(data, "glute-bridge")["position"] = "standing"
    problems = problems_of(data)
    assert "figure 'moonwalk': field 'id': no drill or screen test has this id" in problems
    assert "figure 'glute-bridge': field 'position': a drill's position is the catalogue's" in problems
