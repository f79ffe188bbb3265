"""`hipcoach screen`: the walk-through, scoring an answers file, the schema and the history, in the terminal."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from hipcoach.app.accounts.accounts import LOCAL_RUNNER_EMAIL
from hipcoach.app.screens.models import Screen
from hipcoach.cli import app
from hipcoach.core.safety import EnergySign, RedFlag

runner = CliRunner()

EXAMPLE_PATH = Path(__file__).parent / "data" / "screen_example.json"
EXAMPLE: dict[str, Any] = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def flat(text: str) -> str:
    """Output with its line wrapping undone, so assertions do not depend on the terminal's width."""
    return " ".join(text.split())


def write(tmp_path: Path, data: Any, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def changed(**tests: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    for test, value in tests.items():
        data["tests"][test] = value
    return data


# ---------------------------------------------------------------------------------------------
# --answers FILE
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_example_file_scores_saves_and_prints_json() -> None:
    before = Screen.objects.count()
    result = runner.invoke(app, ["screen", "--answers", str(EXAMPLE_PATH), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["refer"] is False
    assert data["urgent"] is False
    assert {(r["id"], r["side"]) for r in data["restrictions"]} >= {
        ("hip-ir-limit", "left"),
        ("sedentary-pattern", "both"),
    }
    by_measure = {a["measure"]: a for a in data["asymmetries"]}
    assert by_measure["seated_ir_deg"]["real"] is True
    assert by_measure["seated_er_deg"]["real"] is False
    assert by_measure["faber.knee_above_cm"]["real"] is None
    assert Screen.objects.count() == before + 1
    saved = Screen.objects.get(pk=data["id"])
    assert saved.owner is not None
    assert saved.owner.get_username() == LOCAL_RUNNER_EMAIL  # the database had no account: the terminal made one
    assert saved.session_key == ""
    assert saved.taken_at.isoformat() == data["taken_at"]
    assert saved.answers == json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_example_file_prints_the_result_in_plain_words() -> None:
    result = runner.invoke(app, ["screen", "--answers", str(EXAMPLE_PATH)])
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "REFER" not in text
    assert "Left: - Short one-joint hip flexors (thigh raised on the Thomas test). Severity: mild." in text
    assert "The knee falls in or the pelvis drops on a single-leg squat. Severity: moderate." in text
    assert "Seated hip IR, left: 24 deg, below the clinical range 30-40 deg (norms: Wilson 2014" in text
    assert "Both sides: - A deep squat is not possible with heels down." in text
    assert "Seated hip internal rotation: left 24 deg, right 38 deg, difference 14 deg: real difference" in text
    assert "Seated hip external rotation: left 40 deg, right 42 deg, difference 2 deg: within measurement error" in text
    assert "FABER (figure-4), knee height: left 14 cm, right 9 cm, difference 5 cm: no known measurement error" in text
    assert "Summary Work on: tight hip flexors (left, 1/3)" in text
    assert "it does not diagnose and it does not predict injury" in text
    assert "Saved as screen" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("red_flags", "heading", "advice"),
    [
        (["groin-pain-running"], "URGENT: see a clinician today. Do not run.", "do not run (Robertson & Wood 2017)"),
        (["cancer-history"], "REFER: book an appointment with a clinician", "Red flag, a history of cancer"),
    ],
)
def test_a_referral_comes_first_with_its_reasons_and_the_locked_plan(
    tmp_path: Path, red_flags: list[str], heading: str, advice: str
) -> None:
    result = runner.invoke(app, ["screen", "--answers", str(write(tmp_path, {**EXAMPLE, "red_flags": red_flags}))])
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert text.startswith(heading)
    assert advice in text
    assert text.index("plan stays locked until a clinician") < text.index("Restrictions")


@pytest.mark.django_db
def test_an_invalid_file_exits_2_naming_every_field_and_stores_nothing(tmp_path: Path) -> None:
    data = changed(seated_ir_deg={"left": 400, "right": 38})
    data["pain_now"] = 11
    data["red_flags"] = ["headache"]
    before = Screen.objects.count()
    result = runner.invoke(app, ["screen", "--answers", str(write(tmp_path, data)), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = flat(result.stderr)
    assert "tests.seated_ir_deg.left: 400 is not allowed; allowed: a number from 0 to 90" in errors
    assert "pain_now: 11 is not allowed; allowed: a whole number from 0 to 10" in errors
    assert "red_flags.0: 'headache' is not allowed; allowed: one of groin-pain-running" in errors
    assert "nothing was saved" in errors
    assert Screen.objects.count() == before


def test_broken_json_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"age": 34,\n "sex": }', encoding="utf-8")
    result = runner.invoke(app, ["screen", "--answers", str(path)])
    assert result.exit_code == 2
    assert f"{path} is not valid JSON" in flat(result.stderr)
    assert "line 2" in result.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["screen", "--answers", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


@pytest.mark.django_db
def test_answers_can_come_from_standard_input_and_carry_their_date() -> None:
    result = runner.invoke(
        app, ["screen", "--answers", "-", "--date", "2025-03-01", "--json"], input=json.dumps(EXAMPLE)
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["taken_at"].startswith("2025-03-01")
    assert Screen.objects.get(pk=data["id"]).taken_at.date().isoformat() == "2025-03-01"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--answers", str(EXAMPLE_PATH), "--date", "yesterday"], "--date: 'yesterday' is not allowed"),
        (["--answers", str(EXAMPLE_PATH), "--date", "2999-01-01"], "is in the future"),
        (["--date", "2025-03-01"], "--date goes with --answers"),
        (["--schema", "--history"], "--schema and --history cannot be combined"),
        (["--json"], "--json goes with --answers FILE or --history"),
    ],
)
def test_options_that_do_not_fit_exit_2(arguments: list[str], message: str) -> None:
    result = runner.invoke(app, ["screen", *arguments])
    assert result.exit_code == 2
    assert message in flat(result.stderr)


# ---------------------------------------------------------------------------------------------
# --schema
# ---------------------------------------------------------------------------------------------


def test_the_schema_validates_the_example_and_refuses_a_bad_value() -> None:
    result = runner.invoke(app, ["screen", "--schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors(EXAMPLE)) == []
    assert list(validator.iter_errors(changed(seated_ir_deg={"left": 400}))) != []


# ---------------------------------------------------------------------------------------------
# --history
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_history_says_so() -> None:
    result = runner.invoke(app, ["screen", "--history"])
    assert result.exit_code == 0
    assert "No screens saved yet" in result.stdout
    as_json = runner.invoke(app, ["screen", "--history", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == []


@pytest.mark.django_db
def test_the_history_tells_a_real_change_from_measurement_error(tmp_path: Path) -> None:
    first = runner.invoke(app, ["screen", "--answers", str(EXAMPLE_PATH), "--date", "2025-03-01"])
    assert first.exit_code == 0, first.output
    later = changed(seated_ir_deg={"left": 34, "right": 38}, seated_er_deg={"left": 42, "right": 42})
    second = runner.invoke(app, ["screen", "--answers", str(write(tmp_path, later)), "--date", "2025-04-12"])
    assert second.exit_code == 0, second.output

    result = runner.invoke(app, ["screen", "--history"])
    assert result.exit_code == 0
    text = flat(result.stdout)
    assert (
        "Seated hip internal rotation, left 2025-03-01 00:00 24 deg 2025-04-12 00:00 34 deg +10 deg: real change"
        in text
    )
    assert "Seated hip external rotation, left 2025-03-01 00:00 40 deg 2025-04-12 00:00 42 deg +2 deg: within " in text
    assert "+2 deg: within measurement error (smallest real change 8.6 deg)" in text
    assert "Seated hip internal rotation, right 2025-03-01 00:00 38 deg 2025-04-12 00:00 38 deg no change" in text
    assert "FABER (figure-4), knee height, left" in text

    series = json.loads(runner.invoke(app, ["screen", "--history", "--json"]).stdout)
    by_key = {(s["measure"], s["side"]): s for s in series}
    ir_left = by_key[("seated_ir_deg", "left")]
    assert [p["value"] for p in ir_left["points"]] == [24, 34]
    assert ir_left["points"][0]["change"] is None
    assert ir_left["points"][1]["change"]["real"] is True
    assert by_key[("seated_er_deg", "left")]["points"][1]["change"]["verdict"] == "within measurement error"
    assert by_key[("deep_squat", None)]["points"][1]["change"]["verdict"] == "no known measurement error"


# ---------------------------------------------------------------------------------------------
# The walk-through
# ---------------------------------------------------------------------------------------------

# The red flags, then the low-energy questions: every one needs a yes or no.
ALL_NO = ["n"] * (len(RedFlag) + len(EnergySign))


def lines(*answers: str | list[str]) -> str:
    out: list[str] = []
    for answer in answers:
        out += answer if isinstance(answer, list) else [answer]
    return "\n".join(out) + "\n"


def skip(count: int) -> list[str]:
    return [""] * count


# The history question: no condition now, none before.
NO_HISTORY = skip(2)


# A runner of 40 with the defaults and no pain now, no red flag and no hip replacement, who skips Thomas and
# seated IR and answers no to the follow-up after it: the walk-through up to external rotation.
UP_TO_ER = ["40", "", "", "", *NO_HISTORY, "", "0", *ALL_NO, "none", *skip(4), "n"]


@pytest.mark.django_db
def test_the_walk_through_with_every_test_skipped_saves_a_screen_with_nothing_measured() -> None:
    # age, sex, sitting, km, conditions now and before, other injuries, pain now; the red flags; no hip
    # replacement; then the tests: Thomas and
    # seated IR per side, the IR follow-up (a safety question, always asked), ER and straight-leg raise per side,
    # FABER knee height and pain place per side, knee-to-wall per side, single-leg stance seconds and lateral hip
    # pain per side, single-leg squat faults and pain per side, and the deep squat
    walk = lines(
        "34",
        "",
        "",
        "",
        NO_HISTORY,
        "",
        "1",
        ALL_NO,
        "none",
        skip(4),
        "n",
        skip(4),
        skip(4),
        skip(2),
        skip(4),
        skip(4),
        "",
    )
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "Hug your right knee to your chest" in text  # the left side's how-to
    assert "Hug your left knee to your chest" in text  # then the right side's
    assert "Left: not measured." in text
    assert "No restrictions in the tests you did; 17 test sides not measured." in text
    saved = Screen.objects.get()
    assert saved.refer is False
    assert saved.answers["tests"]["thomas"] is None
    assert saved.answers["red_flags"] == []
    assert saved.answers["injuries"] == []


@pytest.mark.django_db
def test_the_walk_through_records_the_tests_answered_and_re_asks_invalid_values() -> None:
    walk = lines(
        "",  # age is required: asked again
        "34",
        "female",
        "9",
        "35",
        "",  # no condition now
        "patellofemoral-pain, knee-ache",  # before: an unknown condition, asked again
        "patellofemoral-pain",
        "hamstring-strain, patellofemoral-pain",  # other injuries: the history already asked that one
        "hamstring-strain",
        "11",  # pain 0-10: asked again
        "1",
        ALL_NO,
        "none",
        ["raised", "75", "straighter", "n"],  # Thomas, left leg hanging: the knee is a category, not degrees
        ["level", "bent", "maybe", "n"],  # right; 'maybe' is not yes or no
        ["400", "24", "38"],  # seated IR: 400 is re-asked
        "n",  # the follow-up red flag: painful, limited inward rotation
        skip(2 * 2),  # ER, straight-leg raise
        skip(2 * 2),  # FABER: knee height and pain place, left then right
        skip(2),  # knee-to-wall
        skip(2 * 2),  # single-leg stance: seconds and lateral hip pain, left then right
        ["2", "n", "0", "n"],  # single-leg squat faults and pain, left then right
        "2",  # deep squat
    )
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "An answer is needed here: a whole number from 10 to 110." in text
    assert "'knee-ache' not allowed; allowed: patellofemoral-pain" in text
    assert "'11' is not allowed; allowed: a whole number from 0 to 10" in text
    assert "'maybe' is not allowed; allowed: yes or no" in text
    assert "'75' is not allowed; allowed: one of bent, straighter" in text
    assert "'400' is not allowed; allowed: a number from 0 to 90" in text
    assert RedFlag.PAINFUL_LIMITED_IR.question.rstrip("?") in text
    assert "Seated hip IR: left 14 deg less than right, a real difference" in text

    saved = Screen.objects.get()
    answers = saved.answers
    assert (answers["age"], answers["sex"], answers["injuries"]) == (34, "female", ["hamstring-strain"])
    assert (answers["conditions_now"], answers["conditions_before"]) == ([], ["patellofemoral-pain"])
    assert "'patellofemoral-pain' not allowed; allowed: medial-tibial-stress-syndrome" in text
    assert "Patellofemoral pain (before): your plan adds knee-targeted work" in text
    assert answers["tests"]["thomas"]["left"] == {"thigh": "raised", "knee": "straighter", "thigh_drifts_out": False}
    assert answers["low_energy"] == []
    assert answers["tests"]["seated_ir_deg"] == {"left": 24, "right": 38}
    assert answers["tests"]["seated_er_deg"] is None
    assert answers["tests"]["single_leg_squat_faults"] == {
        "left": 2,
        "right": 0,
        "left_pain": False,
        "right_pain": False,
    }
    assert answers["tests"]["deep_squat"] == 2
    assert {r["id"] for r in saved.result["restrictions"]} >= {"hip-flexor-tightness", "hip-ir-limit"}


LOADED_PROMPTS = ("Seconds held on one leg", "Faults seen", "Deep squat, arms overhead")


@pytest.mark.django_db
def test_groin_pain_with_running_never_asks_for_a_loaded_test_and_ends_urgent() -> None:
    # Yes to the first red flag (groin pain with running), then the six unloaded tests skipped side by side
    # (FABER's pain place asked too), with the follow-up question after seated IR.
    walk = lines("29", "", "", "", NO_HISTORY, "", "3", "y", ALL_NO[1:], "none", skip(4), "n", skip(10))
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert not [prompt for prompt in LOADED_PROMPTS if prompt in text]
    assert text.count("Loaded tests skipped: squats and standing on one leg load the hip") == 3
    assert "possible femoral neck stress fracture" in text
    # The only mention of hopping is the question that says not to.
    assert RedFlag.PAIN_ON_HOPPING.question.rstrip(".?") in text
    assert text.replace(RedFlag.PAIN_ON_HOPPING.question.rstrip(".?"), "").lower().count("hop") == 0
    result_part = text[text.index("Your result") :]
    assert result_part.startswith("Your result URGENT: see a clinician today. Do not run.")
    saved = Screen.objects.get()
    assert (saved.refer, saved.urgent) == (True, True)


@pytest.mark.django_db
def test_painful_limited_rotation_after_the_ir_test_stops_the_loaded_tests() -> None:
    walk = lines("40", "", "", "", NO_HISTORY, "", "2", ALL_NO, "none", skip(2), ["20", "35"], "y", skip(2 * 5))
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert not [prompt for prompt in LOADED_PROMPTS if prompt in text]
    assert "painful, limited inward turning of the hip may mean a possible femoral neck stress fracture" in text
    saved = Screen.objects.get()
    assert saved.answers["red_flags"] == ["painful-limited-ir"]
    assert saved.urgent


@pytest.mark.django_db
def test_an_uncleared_hip_replacement_skips_every_test_and_refers() -> None:
    walk = lines("67", "male", "", "", NO_HISTORY, "", "0", ALL_NO, "left", "posterior", "n")
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert text.count("no self-guided mobility tests after a hip replacement") == 9
    assert "REFER: book an appointment with a clinician" in text
    assert "Precautions: movements left out of every drill - hip-flexion-past-90" in text
    saved = Screen.objects.get()
    assert saved.answers["hip_replacement"] == {"side": "left", "approach": "posterior", "cleared_by_clinician": False}
    assert (saved.refer, saved.urgent) == (True, False)


@pytest.mark.django_db
def test_the_ir_follow_up_is_asked_even_when_no_side_was_measured() -> None:
    # The runner stops at groin pain, as the step says, and records no angle: the follow-up must still be asked.
    walk = lines("40", "", "", "", NO_HISTORY, "", "0", ALL_NO, "none", skip(2), skip(2), "y", skip(2 * 5))
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    after_ir = text[text.index("Seated hip internal rotation") : text.index("Seated hip external rotation")]
    assert RedFlag.PAINFUL_LIMITED_IR.question.rstrip("?") in after_ir
    assert "No restrictions" not in text
    assert text[text.index("Your result") :].startswith("Your result URGENT: see a clinician today. Do not run.")
    saved = Screen.objects.get()
    assert saved.answers["tests"]["seated_ir_deg"] is None
    assert saved.answers["red_flags"] == ["painful-limited-ir"]
    assert (saved.refer, saved.urgent) == (True, True)


@pytest.mark.django_db
def test_pain_on_the_single_leg_squat_is_asked_per_side_and_refers() -> None:
    walk = lines(
        UP_TO_ER,
        skip(2 * 2),  # ER, straight-leg raise
        skip(2 * 2),  # FABER: knee height and pain place, left then right
        skip(2),  # knee-to-wall
        skip(2 * 2),  # single-leg stance: seconds and lateral hip pain, left then right
        ["", "y"],  # left: stopped because it hurt, so no faults; pain yes
        ["1", "", "n"],  # right: 1 fault; the pain answer is needed once faults are given (Enter is asked again)
    )
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "Left: Did the squat on this leg hurt" in text
    assert "Right: Did the squat on this leg hurt" in text
    assert "An answer is needed here: yes or no." in text
    # Pain on a scored test refers, so the deep squat that follows is skipped, and says why.
    assert "Loaded tests skipped: a test already refers you to a clinician." in text
    assert "Deep squat, arms overhead" not in text
    assert "REFER: book an appointment with a clinician" in text
    assert "Single-leg squat on the left leg: pain; pain on a scored test refers." in text
    saved = Screen.objects.get()
    assert saved.answers["tests"]["single_leg_squat_faults"] == {
        "left": None,
        "right": 1,
        "left_pain": True,
        "right_pain": False,
    }
    assert (saved.refer, saved.urgent) == (True, False)


@pytest.mark.django_db
def test_lateral_hip_pain_on_the_single_leg_stance_is_asked_per_side_even_without_the_seconds_and_refers() -> None:
    walk = lines(
        UP_TO_ER,
        skip(2 * 5),  # ER, straight-leg raise, FABER (height and pain place), knee-to-wall
        ["", "6"],  # left: could not hold it, so no seconds; lateral hip pain 6/10
        ["30", "n", "", "0"],  # right: held; the pain is needed once the stance is recorded (Enter is asked again)
    )
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "Left: not measured. Left: Pain at the outside of the standing hip" in text
    assert "Right: Pain at the outside of the standing hip" in text
    assert "An answer is needed here: a whole number from 0 to 10." in text
    # Lateral hip pain on the stance refers, so the loaded tests that follow are skipped, and say why.
    assert text.count("Loaded tests skipped: a test already refers you to a clinician.") == 2
    assert not [prompt for prompt in LOADED_PROMPTS[1:] if prompt in text]
    assert "REFER: book an appointment with a clinician" in text
    assert "Single-leg stance on the left leg: lateral hip pain 6/10" in text
    saved = Screen.objects.get()
    assert saved.answers["tests"]["single_leg_stance"] == {
        "left": None,
        "right": {"seconds": 30, "pelvis_drops": False, "lateral_hip_pain": 0},
        "left_lateral_hip_pain": 6,
        "right_lateral_hip_pain": None,
    }
    assert (saved.refer, saved.urgent) == (True, False)


@pytest.mark.django_db
def test_no_lateral_hip_pain_on_a_stance_not_recorded_records_nothing() -> None:
    walk = lines(UP_TO_ER, skip(2 * 5), ["", "0"], ["", ""], skip(4), "")
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    saved = Screen.objects.get()
    assert saved.answers["tests"]["single_leg_stance"] is None
    assert saved.refer is False


@pytest.mark.django_db
def test_faber_pain_is_asked_per_side_even_without_the_knee_height_and_groin_pain_refers() -> None:
    walk = lines(
        UP_TO_ER,
        skip(2 * 2),  # ER, straight-leg raise
        ["", "groin"],  # left: stopped because it hurt, so no knee height; groin pain
        ["12", "", "none"],  # right: the pain place is needed once the height is given (Enter is asked again)
        skip(2),  # knee-to-wall
    )
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "Left: not measured. Left: Where it hurts, even if you stopped" in text
    assert "Right: Where it hurts, even if you stopped" in text
    assert "An answer is needed here: one of none, groin, buttock, lateral." in text
    # Groin pain on FABER refers, so every loaded test after it is skipped, and says why.
    assert text.count("Loaded tests skipped: a test already refers you to a clinician.") == 3
    assert not [prompt for prompt in LOADED_PROMPTS if prompt in text]
    assert "REFER: book an appointment with a clinician" in text
    assert "FABER, left: groin pain, which points to the hip joint; refer." in text
    saved = Screen.objects.get()
    assert saved.answers["tests"]["faber"] == {
        "left": None,
        "right": {"knee_above_cm": 12, "pain": "none"},
        "left_pain": "groin",
        "right_pain": None,
    }
    assert (saved.refer, saved.urgent) == (True, False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("left_pain", "faber", "note"),
    [
        ("none", None, None),  # no height and no pain: nothing recorded
        (
            "buttock",
            {"left": None, "right": None, "left_pain": "buttock", "right_pain": None},
            "FABER, left: buttock pain points to the sacroiliac joint",
        ),
    ],
)
def test_faber_pain_without_the_knee_height_that_does_not_refer(
    left_pain: str, faber: dict[str, Any] | None, note: str | None
) -> None:
    walk = lines(
        UP_TO_ER,
        skip(2 * 2),  # ER, straight-leg raise
        ["", left_pain],  # FABER, left: no knee height, and the pain place
        skip(2),  # FABER, right: neither
        skip(2 + 4 + 4 + 1),  # knee-to-wall, single-leg stance, single-leg squat, deep squat
    )
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    saved = Screen.objects.get()
    assert saved.answers["tests"]["faber"] == faber
    assert saved.refer is False
    assert note is None or note in flat(result.stdout)


# A picture given instead of the answers: bytes that are not UTF-8 text.
NOT_TEXT = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("answers.png", NOT_TEXT, "not UTF-8 text (invalid start byte at byte 0)"),
        ("deep.json", b"[" * 100_000, "is nested too deeply: more than 32 levels"),
        ("copy[/old].json", b"{", "is not valid JSON: Expecting property name"),  # a name that looks like markup
    ],
)
def test_a_file_that_is_not_json_text_exits_2_naming_the_option_and_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    result = runner.invoke(app, ["screen", "--answers", str(path)])
    assert result.exit_code == 2, result.output
    errors = flat(result.stderr)
    assert errors.startswith("error: --answers: ")
    assert str(path) in errors
    assert message in errors
    assert result.stdout == ""
    assert Screen.objects.count() == 0


@pytest.mark.django_db
def test_the_walk_through_asks_the_low_energy_questions_and_advises_without_locking_the_plan() -> None:
    flags = ["n"] * len(RedFlag)
    walk = lines("22", "female", "", "", "", "", "", "0", flags, "", "y", "n", "none", skip(4), "n", skip(18), "")
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "An answer is needed here: yes or no." in text  # the low-energy question is never assumed no
    assert EnergySign.MISSED_PERIODS.question.rstrip("?.") in text
    assert "SEE A CLINICIAN (not urgent): Signs of low energy availability (missed or irregular periods)" in text
    assert "REFER" not in text
    saved = Screen.objects.get()
    assert saved.answers["low_energy"] == ["missed-periods"]
    assert saved.refer is False


@pytest.mark.django_db
def test_an_answers_file_from_before_the_knee_category_and_the_low_energy_question_scores_the_same(
    tmp_path: Path,
) -> None:
    old = copy.deepcopy(EXAMPLE)
    del old["low_energy"]
    old["tests"]["thomas"]["left"] = {"thigh": "raised", "knee_deg": 75, "thigh_drifts_out": False}
    old["tests"]["thomas"]["right"] = {"thigh": "level", "knee_deg": 85, "thigh_drifts_out": False}
    result = runner.invoke(app, ["screen", "--answers", str(write(tmp_path, old)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    new = json.loads(runner.invoke(app, ["screen", "--answers", str(EXAMPLE_PATH), "--json"]).stdout)
    assert data["restrictions"] == new["restrictions"]
    assert data["not_answered"] == ["low_energy"]
    text = flat(runner.invoke(app, ["screen", "--answers", str(write(tmp_path, old, "again.json"))]).stdout)
    assert "Safety questions not asked (never assumed no) signs of low energy availability" in text
    assert "the low-energy question was not asked" in text


@pytest.mark.django_db
def test_low_energy_with_groin_pain_on_faber_is_urgent_in_the_terminal(tmp_path: Path) -> None:
    data = changed(faber={"left": {"knee_above_cm": 14, "pain": "groin"}})
    data["low_energy"] = ["under-fuelling"]
    result = runner.invoke(app, ["screen", "--answers", str(write(tmp_path, data))])
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert text.startswith("URGENT: see a clinician today. Do not run.")
    assert "with signs of low energy availability (eating too little for the training)" in text


@pytest.mark.django_db
def test_the_walk_through_asks_the_history_now_then_before_and_applies_its_rules() -> None:
    walk = lines(
        "45", "", "", "",
        "gluteal-tendinopathy, low-back-pain",  # now
        "gluteal-tendinopathy",  # before: already answered as now, so not offered again
        "itb-pain",
        "",  # other injuries
        "0", ALL_NO, "none", skip(4), "n", skip(4), skip(4), skip(2), skip(4), skip(4), "",
    )  # fmt: skip
    result = runner.invoke(app, ["screen"], input=walk)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "'gluteal-tendinopathy' not allowed; allowed: patellofemoral-pain, itb-pain, achilles-tendinopathy" in text
    answers = Screen.objects.get().answers
    assert answers["conditions_now"] == ["gluteal-tendinopathy", "low-back-pain"]
    assert answers["conditions_before"] == ["itb-pain"]
    assert "gluteal-compression: " in text  # the precautions, printed with what they leave out
    assert "isotonic-abduction: " in text
    assert "Gluteal tendinopathy, lateral hip pain (now)" in text
    assert "ITB pain (before)" in text


@pytest.mark.django_db
def test_an_answers_file_with_the_history_prints_its_notes_and_json() -> None:
    data = {**EXAMPLE, "conditions_now": ["patellofemoral-pain"]}
    result = runner.invoke(app, ["screen", "--answers", "-", "--json"], input=json.dumps(data))
    assert result.exit_code == 0, result.output
    saved = json.loads(result.stdout)
    assert saved["conditions"] == ["patellofemoral-pain"]
    assert "deep-loaded-knee-bend" in saved["precautions"]
    assert ("knee-pain-history", "both") in {(r["id"], r["side"]) for r in saved["restrictions"]}


def test_an_answers_file_with_an_unknown_condition_exits_2_naming_it() -> None:
    data = {**EXAMPLE, "conditions_before": ["sore-knee"]}
    result = runner.invoke(app, ["screen", "--answers", "-"], input=json.dumps(data))
    assert result.exit_code == 2
    assert "conditions_before.0: 'sore-knee' is not allowed; allowed: one of patellofemoral-pain" in flat(result.stderr)
