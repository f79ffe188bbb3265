"""The layering of DESIGN.md holds: the core imports no framework and no other layer; the application layer imports
no door (web or terminal) and never handles a request; the web and the terminal never import each other."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


PACKAGE_ROOT = CORE.parent
# What each layer may not import: a module path, or a package whose every module is refused.
FORBIDDEN = {
    "core": ("django", "ninja", "typer", "rich", "httpx", "hipcoach.app", "hipcoach.web", "hipcoach.cli"),
    "app": ("django.http", "ninja", "typer", "rich", "httpx", "hipcoach.web", "hipcoach.cli"),
    "web": ("typer", "rich", "hipcoach.cli"),
    "cli": ("ninja", "django.http", "hipcoach.web"),
}


def refused(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == refusal or name.startswith(refusal + ".") for refusal in forbidden)


def layering_breaks(layer: str) -> dict[str, list[str]]:
    breaks = {}
    for path in sorted((PACKAGE_ROOT / layer).rglob("*.py")):
        found = sorted(name for name in imported_modules(path) if refused(name, FORBIDDEN[layer]))
        if found:
            breaks[str(path.relative_to(PACKAGE_ROOT))] = found
    return breaks


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_lies_below_it(layer: str) -> None:
    assert layering_breaks(layer) == {}


def test_the_layering_check_sees_a_break() -> None:
    assert refused("hipcoach.web.training.forms", FORBIDDEN["cli"])
    assert refused("django.http.response", FORBIDDEN["app"])
    assert not refused("django.db", FORBIDDEN["app"])
    assert not refused("hipcoach.webhooks", FORBIDDEN["cli"])


def test_the_terminal_loads_no_web_module() -> None:
    """Not even through Django: a command that plays, saves and lists a session imports nothing of hipcoach.web."""
    script = (
        "import sys\n"
        "from hipcoach.cli import app, django_setup\n"
        "django_setup()\n"
        "import hipcoach.cli.play, hipcoach.cli.screen, hipcoach.cli.plans, hipcoach.cli.server, hipcoach.cli.account\n"
        "import hipcoach.app.clinic.handout, hipcoach.cli.handout\n"
        "print(sorted(m for m in sys.modules if m.startswith('hipcoach.web')))"
    )
    python_path = os.pathsep.join(filter(None, [str(CORE.parents[1]), os.environ.get("PYTHONPATH")]))
    environment = {**os.environ, "PYTHONPATH": python_path}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment)
    assert result.stdout.strip() == "[]"


CLI = PACKAGE_ROOT / "cli"
# The one import allowed against the grain: the package's __init__ imports the command modules in this function so
# that their commands register on its app, and they import the package for the app and the shared helpers.
REGISTRATION = "_register_commands"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def cli_imports(path: Path, modules: set[str]) -> set[str]:
    """The hipcoach.cli modules ``path`` imports, at the top or inside a function (``from hipcoach.cli import
    remote`` imports the module remote; ``from hipcoach.cli import app`` the package), leaving out the registration
    of the commands by the package's __init__."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if path.name == "__init__.py":
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == REGISTRATION:
                skipped.update(id(inner) for inner in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in modules:
                    found.add(submodule)
                elif node.module in modules:
                    found.add(node.module)
    return found


def cli_import_graph() -> dict[str, set[str]]:
    paths = sorted(CLI.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): cli_imports(path, modules) - {module_name(path)} for path in paths}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of the graph found by a depth-first walk, each as the modules along it, first one repeated."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in path:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                walk(imported, [*path, imported])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            walk(module, [module])
    return cycles


def test_the_terminals_modules_import_each_other_without_a_cycle() -> None:
    graph = cli_import_graph()
    assert {"hipcoach.cli", "hipcoach.cli.play", "hipcoach.cli.runner"} <= set(graph)
    assert "hipcoach.cli.runner" in graph["hipcoach.cli.play"]
    assert import_cycles(graph) == []


def test_the_cycle_check_sees_a_cycle_and_an_import_inside_a_function(tmp_path: Path) -> None:
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b"}, "b": set(), "c": {"b"}}) == []
    late = tmp_path / "late.py"
    late.write_text("def f():\n    from hipcoach.cli import play, console\n    import hipcoach.cli.screen\n")
    modules = {"hipcoach.cli", "hipcoach.cli.play", "hipcoach.cli.screen"}
    assert cli_imports(late, modules) == modules


def test_no_core_module_imports_django() -> None:
    offenders = {
        module_name(path): sorted(name for name in imported_modules(path) if name.split(".")[0] == "django")
        for path in CORE.rglob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_importing_every_core_module_loads_no_django() -> None:
    modules = [module_name(path) for path in sorted(CORE.rglob("*.py")) if path != CORE / "__init__.py"]
    script = f"import sys\nfor m in {modules!r}: __import__(m)\nprint('django' in sys.modules)"
    # This source tree's modules, not those of whichever tree the interpreter has installed.
    python_path = os.pathsep.join(filter(None, [str(CORE.parents[1]), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": python_path},
    )
    assert result.stdout.strip() == "False"


# The planner's parts, each importing only those before it (the README's layout lists them in this order).
PLANNER_LAYERS = (
    "inputs",
    "request",
    "output",
    "rules",
    "eligibility",
    "problem",
    "search",
    "dosing",
    "explain",
    "compose",
)


def test_the_planners_parts_import_only_those_before_them() -> None:
    planner = CORE / "planner"
    assert sorted(path.stem for path in planner.glob("*.py") if path.stem != "__init__") == sorted(PLANNER_LAYERS)
    backwards = {
        part: sorted(
            name
            for name in imported_modules(planner / f"{part}.py")
            if name.startswith("hipcoach.core.planner")
            and (name == "hipcoach.core.planner" or PLANNER_LAYERS.index(name.rsplit(".", 1)[1]) >= rank)
        )
        for rank, part in enumerate(PLANNER_LAYERS)
    }
    assert {part: found for part, found in backwards.items() if found} == {}


PACKAGE = CORE.parent
# Calls that read the time of day. The product reads it from hipcoach.core.clock alone, so that freezing that one
# clock (time-machine) moves every page, endpoint and command together.
CLOCK_READS = {
    ("timezone", "now"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}
# localtime(x) and localdate(x) only convert a time; called with no argument they read the clock.
CONVERTERS = {("timezone", "localtime"), ("timezone", "localdate")}


def clock_reads(path: Path) -> list[str]:
    """Each call in ``path`` that reads the time: ``timezone.now()``, ``datetime.now()``, ``date.today()``, a bare
    ``timezone.localdate()``; and a model field's ``default=timezone.now``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in CLOCK_READS:
                found.add(f"{path.relative_to(PACKAGE)}:{node.lineno} {pair[0]}.{pair[1]}")
        if isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute):
            func = node.func
            if isinstance(func.value, ast.Name) and (func.value.id, func.attr) in CONVERTERS:
                found.add(f"{path.relative_to(PACKAGE)}:{node.lineno} {func.value.id}.{func.attr}")
    return sorted(found)


def test_the_product_reads_the_time_from_one_clock() -> None:
    sources = [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]
    reads = [read for path in sources for read in clock_reads(path)]
    assert reads == ["core/clock.py:20 datetime.now"]


def test_the_application_layer_never_prints() -> None:
    """A use case returns what happened; the door says it (a page, JSON, the terminal)."""
    prints = [
        f"{path.relative_to(PACKAGE_ROOT)}:{node.lineno}"
        for path in sorted((PACKAGE_ROOT / "app").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    ]
    assert prints == []


# A `# type: ignore` silences the type checker: each one names the error it silences and says why, on its line.
TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore")
EXPLAINED_IGNORE = re.compile(r"type: ignore\[[a-z-, ]+\]\s+#\s*\S")


def unexplained_ignores(path: Path, root: Path = PACKAGE) -> list[str]:
    """Each line of ``path`` with a ``# type: ignore`` that lacks an error code or a comment saying why."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        f"{path.relative_to(root)}:{number}"
        for number, line in enumerate(lines, start=1)
        if TYPE_IGNORE.search(line) and not EXPLAINED_IGNORE.search(line)
    ]


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    assert [found for path in sorted(PACKAGE.rglob("*.py")) for found in unexplained_ignores(path)] == []


def test_the_ignore_check_sees_an_unexplained_ignore(tmp_path: Path) -> None:
    source = tmp_path / "ignores.py"
    source.write_text(
        "a = f()  # type: ignore\n"
        "b = f()  # type: ignore[arg-type]\n"
        "c = f()  #type:ignore  # no code\n"
        "d = f()  # type: ignore[arg-type]  # the stubs say str; Django takes a lazy one\n"
        "e = f()  # type: ignore[misc, assignment]  # why\n"
        "g = f()  # an ordinary comment\n",
        encoding="utf-8",
    )
    assert unexplained_ignores(source, tmp_path) == ["ignores.py:1", "ignores.py:2", "ignores.py:3"]
