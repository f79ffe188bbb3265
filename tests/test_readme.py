"""The README stays true: its vocabulary section is the code's vocabulary, and its layout names every module."""

from __future__ import annotations

import re
from pathlib import Path

from hipcoach.cli.drills import vocabulary_markdown

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_the_readme_vocabulary_is_the_code_vocabulary() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- vocabulary:start -->\n", 1)[1].split("<!-- vocabulary:end -->", 1)[0]
    assert section == vocabulary_markdown(), "regenerate it: make readme"


def test_the_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index("make run") < text.index("make test") < text.index("## What a runner can do")


def test_the_layout_names_every_module_of_the_core_and_the_application_layer() -> None:
    """A module added to the core or the application layer says in the README's layout what it owns."""
    layout = README.read_text(encoding="utf-8").split("Layout (", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"[\w]+\.py", layout))
    package = ROOT / "src" / "hipcoach"
    modules = {
        path.name
        for layer in ("core", "app")
        for path in (package / layer).rglob("*.py")
        if "migrations" not in path.parts
        and "management" not in path.parts
        and path.name not in {"__init__.py", "apps.py", "models.py", "signals.py"}
    }
    assert modules - named == set()
