"""The domain core stays framework-free (DESIGN.md): nothing under hipcoach.core imports Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "src" / "hipcoach" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_django() -> None:
    offenders = {
        path.name: sorted(name for name in imported_modules(path) if name.split(".")[0] == "django")
        for path in CORE.glob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_importing_every_core_module_loads_no_django() -> None:
    modules = [f"hipcoach.core.{path.stem}" for path in CORE.glob("*.py") if path.stem != "__init__"]
    script = f"import sys\nfor m in {modules!r}: __import__(m)\nprint('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
