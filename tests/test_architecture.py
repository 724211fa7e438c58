"""The core never imports Qt: only commandcenter.ui may import PySide6, pyqtgraph or shiboken6."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "commandcenter"
CORE = ["config", "cache", "sources", "collector", "scoring", "wall", "simulator", "control", "fmt.py"]
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "commandcenter.ui")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def core_files() -> list[Path]:
    files = []
    for part in CORE:
        target = PACKAGE / part
        files += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return files


def test_core_modules_import_no_qt():
    offenders = [f"{f.relative_to(PACKAGE)} imports {m}" for f in core_files() for m in imported_modules(f)
                 if m.startswith(FORBIDDEN)]
    assert core_files(), "no core files found"
    assert offenders == []


def test_checker_would_catch_a_qt_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport pyqtgraph as pg\n")
    assert [m for m in imported_modules(bad) if m.startswith(FORBIDDEN)] == ["PySide6.QtCore", "pyqtgraph"]


def test_import_linter_contract_holds():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e .[test])")
    proc = subprocess.run([exe], cwd=PACKAGE.parents[1], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
