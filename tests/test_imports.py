"""Import hygiene: the layering in design.md, checked rather than hoped for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "reflect"
PURE = sorted(
    ["paths"] + [f"domain.{p.stem}" for p in (PKG / "domain").glob("*.py") if p.stem != "__init__"]
)


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_neither_textual_nor_tinydb(module: str) -> None:
    if not (PKG / (module.replace(".", "/") + ".py")).exists():
        pytest.fail(f"reflect/{module}.py is missing")
    code = (
        f"import sys, reflect.{module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"reflect.{module} pulls in {out.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_store_imports_no_screen_and_no_cli() -> None:
    for path in (PKG / "store").glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("reflect.screens", "reflect.cli", "reflect.usecases", "textual")), (
                f"{path.name} imports {name}"
            )


def test_only_the_store_imports_tinydb() -> None:
    for path in PKG.rglob("*.py"):
        if "store" in path.relative_to(PKG).parts:
            continue
        assert not any(n.split(".")[0] == "tinydb" for n in _imports(path)), f"{path} imports tinydb"


def test_screens_reach_the_disk_only_through_the_journal() -> None:
    screens = PKG / "screens"
    for path in screens.glob("*.py"):
        for name in _imports(path):
            assert not name.startswith("reflect.store.") or name == "reflect.store", (
                f"{path.name} reaches past Journal into {name}"
            )
