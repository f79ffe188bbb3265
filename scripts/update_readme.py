"""Rewrite the README's generated vocabulary section from the code (`make readme`)."""

from __future__ import annotations

import re
from pathlib import Path

from hipcoach.cli.drills import vocabulary_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- vocabulary:start -->\n).*?(<!-- vocabulary:end -->)", re.S)
    README.write_text(pattern.sub(lambda m: m[1] + vocabulary_markdown() + m[2], text), encoding="utf-8")


if __name__ == "__main__":
    main()
