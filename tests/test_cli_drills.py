"""`hipcoach drills`: list, show and validate from the terminal."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipcoach.cli import app
from hipcoach.core.catalogue import DEFAULT_CATALOGUE_PATH, default_catalogue
from hipcoach.core.figures import DEFAULT_FIGURES_PATH

runner = CliRunner()


def test_list_json_holds_every_drill_with_dose_cues_targets_and_phases() -> None:
    result = runner.invoke(app, ["drills", "list", "--json"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == [d.id for d in default_catalogue()]
    for record in records:
        for field in ("dose", "cues", "targets", "phases"):
            assert record[field], f"{record['id']} has no {field}"


def test_list_filters_by_phase_target_and_equipment() -> None:
    result = runner.invoke(
        app, ["drills", "list", "--phase", "post-run", "--target", "glute-max", "--equipment", "foam-roller", "--json"]
    )
    ids = [r["id"] for r in json.loads(result.stdout)]
    expected = [
        d.id
        for d in default_catalogue()
        if "post-run" in d.phases and "glute-max" in d.targets and "foam-roller" in d.equipment
    ]
    assert expected
    assert ids == expected


def test_list_prints_a_table_for_people() -> None:
    result = runner.invoke(app, ["drills", "list", "--phase", "strength"])
    assert result.exit_code == 0
    assert "Hip thrust" in result.stdout


def test_an_unknown_filter_word_exits_2_naming_the_field_and_the_allowed_words() -> None:
    result = runner.invoke(app, ["drills", "list", "--equipment", "kettle"])
    assert result.exit_code == 2
    assert "equipment: 'kettle' is not allowed; allowed: foam-roller" in result.stderr
    assert "none" in result.stderr


def test_show_prints_the_drill_and_its_progression_chain() -> None:
    result = runner.invoke(app, ["drills", "show", "monster-walk"])
    assert result.exit_code == 0
    chain = " -> ".join(step.name for step in default_catalogue().progression_chain("monster-walk"))
    assert chain in result.stdout.replace("\n", " ")


def test_show_says_an_article_drill_comes_from_the_article_section() -> None:
    result = runner.invoke(app, ["drills", "show", "clamshell"])
    text = " ".join(result.stdout.split())
    assert 'Source: The article, Bum Activation Exercises: "Progress to clamshells' in text
    assert "(dose: 4. hip/glute strength)" in text


def test_show_says_a_drill_from_the_clinical_reference_is_not_in_the_article_and_names_its_source() -> None:
    result = runner.invoke(app, ["drills", "show", "isometric-hip-abduction"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Source: Clinical reference, not the article: Gluteal tendinopathy" in text
    assert "Grimaldi & Fearon 2015" in text


def test_list_json_says_where_each_drill_comes_from() -> None:
    records = json.loads(runner.invoke(app, ["drills", "list", "--json"]).stdout)
    sources = {r["id"]: r["source"] for r in records}
    assert sources["step-down"] == sources["hamstring-strap-stretch"] == "clinical-reference"
    assert sources["clamshell"] == "article"


def test_list_table_marks_the_drills_from_the_clinical_reference() -> None:
    result = runner.invoke(app, ["drills", "list", "--phase", "strength"], env={"COLUMNS": "200"})
    wall_squat = next(line for line in result.stdout.splitlines() if "wall-squat" in line)
    assert "clinical reference" in wall_squat
    hip_thrust = next(line for line in result.stdout.splitlines() if "hip-thrust" in line)
    assert "article" in hip_thrust


def test_show_json_is_the_drill_record() -> None:
    result = runner.invoke(app, ["drills", "show", "pigeon-pose", "--json"])
    assert json.loads(result.stdout) == default_catalogue().get("pigeon-pose").model_dump(mode="json")


def test_show_an_unknown_drill_exits_2() -> None:
    result = runner.invoke(app, ["drills", "show", "moonwalk"])
    assert result.exit_code == 2
    assert "no drill with id 'moonwalk'" in result.stderr


def test_validate_accepts_the_shipped_catalogue() -> None:
    result = runner.invoke(app, ["drills", "validate", str(DEFAULT_CATALOGUE_PATH)])
    assert result.exit_code == 0
    assert "valid" in result.stdout


def test_validate_refuses_a_broken_catalogue_naming_drill_and_field(tmp_path: Path) -> None:
    text = DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8")
    first_id = tomllib.loads(text)["drill"][0]["id"]
    broken = tmp_path / "drills.toml"
    broken.write_text(re.sub(r'^kind = "[a-z-]+"', 'kind = "wobbly"', text, count=1, flags=re.M), encoding="utf-8")
    result = runner.invoke(app, ["drills", "validate", str(broken)])
    assert result.exit_code == 1
    assert (
        f"drill '{first_id}': field 'kind': 'wobbly' is not allowed; allowed: dynamic, static-stretch" in result.stderr
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "drills.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81",
            "not UTF-8 text (invalid start byte at byte 0)",
        ),
        ("deep.toml", b"a = " + b"[" * 100_000, "not valid TOML (nested too deeply)"),
    ],
)
def test_validate_a_file_that_is_not_toml_text_exits_1_naming_it(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["drills", "validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}: {message}" in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_validate_a_missing_file_exits_1_with_the_reason(tmp_path: Path) -> None:
    result = runner.invoke(app, ["drills", "validate", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.stderr


def test_show_names_the_drills_key_positions_in_words() -> None:
    result = runner.invoke(app, ["drills", "show", "forward-leg-swing"])
    assert result.exit_code == 0
    assert "Key positions" in result.stdout
    assert "1. Leg swung forward" in result.stdout
    assert "2. Leg swung back" in result.stdout


def test_validate_covers_the_figures_too() -> None:
    result = runner.invoke(app, ["drills", "validate", str(DEFAULT_CATALOGUE_PATH)])
    assert result.exit_code == 0, result.output
    assert "44 figures, valid" in result.stdout


def test_a_drill_added_without_a_figure_fails_validation(tmp_path: Path) -> None:
    text = DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8")
    added = """
[[drill]]
id = "backward-leg-swing"
name = "Backward leg swing"
sections = ["dynamic-leg-swings"]
kind = "dynamic"
position = "standing"
sides = "each"
level = 1
phases = ["pre-run"]
targets = ["hip-flexors"]
cues = ["Swing the leg back."]
dose = { reps = [10, 15], seconds_per_rep = 2 }
evidence = { section = "dynamic-leg-swings", article = "Perform 10-15 repetitions per leg." }
"""
    grown = tmp_path / "drills.toml"
    grown.write_text(text + added, encoding="utf-8")
    result = runner.invoke(app, ["drills", "validate", str(grown)])
    assert result.exit_code == 1
    assert "drill 'backward-leg-swing': has no figure" in result.stderr


def test_validate_names_a_broken_figure_by_figure_and_field(tmp_path: Path) -> None:
    figures_text = DEFAULT_FIGURES_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "figures.toml"
    broken.write_text(figures_text.replace('view = "side"', 'view = "sideways"', 1), encoding="utf-8")
    result = runner.invoke(app, ["drills", "validate", str(DEFAULT_CATALOGUE_PATH), "--figures", str(broken)])
    assert result.exit_code == 1
    assert "figure 'forward-leg-swing': field 'view'" in result.stderr
