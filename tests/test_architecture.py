"""The package's layers point one way and the rule registry does not depend on import order.

model ← read ← rules ← audit ← views ← export ← workbook / cli: a module may import its own layer or below,
never above, and no chain of imports (module level or inside functions, absolute or relative, or by a string
given to ``importlib.import_module`` / ``__import__``) comes back to where it started, between modules or
between packages. Every public module, imported alone in a fresh interpreter, sees the full registry."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "finaudit"

#: Layer of each module or subpackage (the longest matching prefix decides).
LAYERS = {
    "finaudit.model": 0, "finaudit.findings": 0, "finaudit.codes": 0, "finaudit.words": 0, "finaudit.cite": 0,
    "finaudit": 1, "finaudit.read": 1, "finaudit.synthetic": 1,
    "finaudit.rules": 2,
    "finaudit.audit": 3, "finaudit.budget": 3, "finaudit.batch": 3, "finaudit.dossier": 3, "finaudit.ledger": 3, "finaudit.causes": 3,
    "finaudit.corpus": 4, "finaudit.views": 4, "finaudit.export": 5, "finaudit.cli": 6, "finaudit.workbook": 6,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def is_module(name: str) -> bool:
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def absolute(node: ast.ImportFrom, path: Path) -> str | None:
    """The module an ``from … import`` names, a relative one resolved against the file's package."""
    if not node.level:
        return node.module
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(path: Path) -> set[str]:
    """Every finaudit module the file imports, at module level or inside a function: ``import``, ``from …
    import`` (relative ones too) and a constant string given to ``importlib.import_module`` or ``__import__``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "finaudit"}
        elif isinstance(node, ast.ImportFrom) and (module := absolute(node, path)) and module.split(".")[0] == "finaudit":
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                found.add(candidate if is_module(candidate) else module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and node.args[0].value.split(".")[0] == "finaudit" \
                and (getattr(node.func, "attr", None) == "import_module" or getattr(node.func, "id", None) in
                     ("import_module", "__import__")):
            found.add(node.args[0].value)
    return found


GRAPH = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}
PUBLIC = sorted(m for m in GRAPH if not m.rsplit(".", 1)[-1].startswith("_") and m != "finaudit.__main__")


def test_layout_has_the_stages():
    for stage in ("read", "rules", "views", "export"):
        assert (PACKAGE / stage / "__init__.py").exists()
        assert len(list((PACKAGE / stage).glob("*.py"))) >= 3, f"{stage}/ holds a single module"
        assert ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_point_down(module):
    upward = {target for target in GRAPH[module] if layer(target) > layer(module)}
    assert not upward, f"{module} (layer {layer(module)}) imports {sorted(upward)} from above"


def package(module: str) -> str:
    """The stage a module belongs to: its subpackage (finaudit.views), or the top-level module itself."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    """A chain of imports in `graph` that comes back to where it started (same-layer edges included), or None."""
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> list[str] | None:
        for target in sorted(graph.get(module, ())):
            if target in trail:
                return trail[trail.index(target):] + [target]
            if target not in done and (found := visit(target, trail + [target])):
                return found
        done.add(module)
        return None

    return next((found for start in sorted(graph) if start not in done and (found := visit(start, [start]))), None)


def packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph between stages: an edge from a stage to another where one of its modules imports one of the other's."""
    edges: dict[str, set[str]] = {}
    for module, targets in graph.items():
        edges.setdefault(package(module), set()).update(package(t) for t in targets if package(t) != package(module))
    return edges


def test_no_circles_between_packages():
    """No chain of imports between stages comes back (views → export → views, views → corpus → export → views):
    a stage imports the stages below it only."""
    found = circle(packages(GRAPH))
    assert not found, "packages in a circle: " + " → ".join(found)


def probe_imports(source: str) -> set[str]:
    """The imports the architecture test reads in `source`, written as a module of the package for the while."""
    probe = PACKAGE / "read" / "_architecture_probe.py"
    probe.write_text(source, encoding="utf-8")
    try:
        return imports(probe)
    finally:
        probe.unlink()


@pytest.mark.parametrize("source, expected", [
    ("from .. import audit\n", "finaudit.audit"),
    ("from ..views import charts\n", "finaudit.views.charts"),
    ("import importlib\nimportlib.import_module('finaudit.export.publish')\n", "finaudit.export.publish"),
    ("__import__('finaudit.views.dashboard')\n", "finaudit.views.dashboard"),
])
def test_the_import_reader_sees_relative_and_string_imports(tmp_path, source, expected):
    """The probes of issue 26: an upward import written relatively or by name is seen."""
    found = probe_imports(source)
    assert expected in found
    assert any(layer(t) > layer("finaudit.read") for t in found)


def test_no_import_circles():
    found = circle(GRAPH)
    assert not found, "modules in a circle: " + " → ".join(found)


@pytest.mark.parametrize("module, source", [
    ("finaudit.budget", "def late():\n    from finaudit import dossier\n"),  # same layer: dossier imports budget
    ("finaudit.views.charts", "import importlib\nimportlib.import_module('finaudit.export.publish')\n"),  # export → views
])
def test_a_circle_through_a_probe_fails_the_architecture_test(module, source):
    """The third probe of issue 26: an edge between modules of one layer (or a string import) that closes a circle,
    of modules or of packages, is found, though no layer is crossed upward by the same-layer one."""
    found = probe_imports(source)
    graph = {**GRAPH, module: GRAPH[module] | found}
    assert circle(graph) or circle(packages(graph))
    assert not circle(GRAPH) and not circle(packages(GRAPH))


def test_every_public_module_alone_sees_the_full_registry():
    """Import each public module alone, then count the rules: one fresh interpreter imports the third-party stack
    (pandas, numpy, duckdb…; no finaudit module) once and forks a child per module, which imports that module
    alone and reports the registry's size (a fresh interpreter per module cost a minute of the suite)."""
    import finaudit.rules

    expected = len(finaudit.rules.REGISTRY)
    script = ("import importlib, os, sys\n"
              "for stack in ('pandas', 'numpy', 'duckdb', 'openpyxl', 'pypdfium2'):\n"
              "    importlib.import_module(stack)\n"
              "assert not any(m.startswith('finaudit') for m in sys.modules)\n"
              "for name in sys.argv[1:]:\n"
              "    read, write = os.pipe()\n"
              "    if os.fork() == 0:\n"
              "        os.close(read)\n"
              "        importlib.import_module(name)\n"
              "        from finaudit.rules import REGISTRY\n"
              "        os.write(write, str(len(REGISTRY)).encode())\n"
              "        os._exit(0)\n"
              "    os.close(write)\n"
              "    with os.fdopen(read) as answer:\n"
              "        print(name, answer.read() or 'failed')\n"
              "    os.wait()\n")
    headless = [m for m in PUBLIC if not m.startswith("finaudit.views")]
    out = subprocess.run([sys.executable, "-c", script, *headless], capture_output=True, text=True, check=True)
    counts = dict(line.split() for line in out.stdout.splitlines())
    assert counts == {module: str(expected) for module in headless}, out.stderr


def test_import_finaudit_loads_no_dashboard_stack():
    code = "import sys, finaudit; print(sorted(m for m in ('plotly', 'ipywidgets', 'jupyter_core', 'finaudit.views') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_message_key_a_rule_says_is_declared():
    """`check.say("key", …)` in a rule names one of its own templates or a shared one."""
    import inspect
    import re

    from finaudit.rules import REGISTRY
    from finaudit.rules.registry import SHARED

    for code, item in REGISTRY.items():
        for key in re.findall(r"check\.say\(\s*\"([\w.]+)\"", inspect.getsource(item.function)):
            assert key in item.messages or key in SHARED, f"{code} says {key!r}, which it does not declare"
