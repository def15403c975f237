"""The package's layers point one way and the rule registry does not depend on import order.

model ← read ← rules ← audit ← views / export / cli: a module may import its own layer or below,
never above, and no chain of imports (module level or inside functions) comes back to where it
started. Every public module, imported alone in a fresh interpreter, sees the full registry."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "finaudit"

#: Layer of each module or subpackage (the longest matching prefix decides).
LAYERS = {
    "finaudit.model": 0, "finaudit.findings": 0, "finaudit.codes": 0,
    "finaudit": 1, "finaudit.read": 1, "finaudit.synthetic": 1,
    "finaudit.rules": 2,
    "finaudit.audit": 3, "finaudit.budget": 3, "finaudit.batch": 3, "finaudit.dossier": 3, "finaudit.ledger": 3, "finaudit.causes": 3,
    "finaudit.views": 4, "finaudit.export": 4, "finaudit.cli": 4, "finaudit.corpus": 4,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def imports(path: Path) -> set[str]:
    """Every finaudit module the file imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "finaudit"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "finaudit":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                known = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or \
                    (PACKAGE.parent / candidate.replace(".", "/") / "__init__.py").exists()
                found.add(candidate if known else node.module)
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


def test_no_import_circles():
    def visit(module, trail):
        for target in sorted(GRAPH.get(module, ())):
            if target == trail[0]:
                raise AssertionError(" → ".join(trail + [target]))
            if target not in trail and target not in done:
                visit(target, trail + [target])
        done.add(module)

    for start in GRAPH:
        done: set[str] = set()
        visit(start, [start])


def test_every_public_module_alone_sees_the_full_registry():
    """Import each public module alone, in one fresh interpreter per module, then count the rules."""
    import finaudit.rules

    expected = len(finaudit.rules.REGISTRY)
    script = ("import importlib, sys\n"
              "for name in sys.argv[1:]:\n"
              "    importlib.import_module(name)\n"
              "from finaudit.rules import REGISTRY\n"
              "print(len(REGISTRY))\n")
    headless = [m for m in PUBLIC if not m.startswith("finaudit.views")]
    for module in headless:
        out = subprocess.run([sys.executable, "-c", script, module], capture_output=True, text=True, check=True)
        assert int(out.stdout) == expected, module


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
