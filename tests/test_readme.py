"""The README stays true: its vocabulary section is the code's vocabulary."""

from __future__ import annotations

from pathlib import Path

from hipcoach.cli.drills import vocabulary_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_vocabulary_is_the_code_vocabulary() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- vocabulary:start -->\n", 1)[1].split("<!-- vocabulary:end -->", 1)[0]
    assert section == vocabulary_markdown(), "regenerate it: make readme"


def test_the_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index("make run") < text.index("make test") < text.index("## What a runner can do")
