"""The layering said in code: import-linter contracts in pyproject.toml (a layers contract
cli > ui > simulator > wall > collector > scoring > checks > sources > cache > config, and no Qt in the
core) hold for the package; the tool is shown to catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["cli", "ui", "simulator", "wall", "collector", "scoring", "checks", "sources", "control", "cache", "config"]


def lint_imports() -> str:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e .[test])"
    return exe


def contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def test_layers_contract_is_the_documented_order():
    layers = next(c for c in contracts() if c["type"] == "layers")
    assert layers["layers"] == [f"commandcenter.{name}" for name in LAYERS]


def test_core_may_not_import_qt():
    forbidden = next(c for c in contracts() if c["type"] == "forbidden")
    assert {"PySide6", "pyqtgraph", "shiboken6", "commandcenter.ui"} <= set(forbidden["forbidden_modules"])
    assert "commandcenter.config" in forbidden["source_modules"]


def test_import_linter_contracts_hold():
    proc = subprocess.run([lint_imports()], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path):
    pkg = tmp_path / "layered"
    (pkg / "config").mkdir(parents=True)
    (pkg / "ui").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "ui" / "__init__.py").write_text("")
    (pkg / "config" / "__init__.py").write_text("")
    (pkg / "config" / "loader.py").write_text("from layered.ui import window  # a breach\n")
    (pkg / "ui" / "window.py").write_text("")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = layered\n\n[importlinter:contract:layers]\nname = layers\n"
        "type = layers\nlayers =\n    layered.ui\n    layered.config\n")
    proc = subprocess.run([lint_imports()], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "layered.config.loader -> layered.ui.window" in proc.stdout
