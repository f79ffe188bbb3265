"""The length of every function in hipcoach, in lines: the median, the longest, and each layer's median.

Run as ``python scripts/function_lengths.py [--top N]``; the README's design notes quote its figures.
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hipcoach"


def function_lengths() -> list[tuple[int, str]]:
    lengths = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                where = f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"
                lengths.append((node.end_lineno - node.lineno + 1, where))
    return lengths


def main(top: int) -> None:
    lengths = function_lengths()
    print(f"{len(lengths)} functions, median {statistics.median(n for n, _ in lengths):g} lines")
    for layer in ("core", "app", "web", "cli"):
        own = [n for n, where in lengths if where.startswith(layer + "/")]
        print(f"  {layer}: {len(own)} functions, median {statistics.median(own):g} lines")
    for length, where in sorted(lengths, reverse=True)[:top]:
        print(f"  {length:4d}  {where}")


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 10)
