"""One Qt-free registry of panel kinds (commandcenter.config.panels) drives validation, the wall's
read models, the UI widgets and the packaged build; nothing lists ui/panels/*.py files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from commandcenter.config import panels

ROOT = Path(__file__).resolve().parents[1]


def test_every_kind_has_typed_options_a_description_and_a_valid_example():
    from commandcenter.config.schema.scenes import Panel

    for kind in panels.all_kinds():
        assert kind.description and kind.example, kind.name
        Panel.model_validate(kind.example)  # the example is a panel as written in scenes.yaml
        kind.options.model_validate(kind.example.get("options", {}))


def test_registry_needs_no_qt():
    code = ("import sys; from commandcenter.config import panels; panels.all_kinds(); "
            "from commandcenter.wall import queries; queries._load_builders(); "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_widgets_and_builders_come_from_the_registry(qapp):
    from commandcenter.ui.panels import registry
    from commandcenter.wall import queries

    assert sorted(registry.load_all()) == panels.names()
    queries._load_builders()
    assert set(panels.names()) <= set(queries.BUILDERS)


def test_nothing_lists_panel_files():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'tree(PKG / "ui" / "panels"' not in spec and "panel_registry.all_kinds()" in spec
    scenes = (ROOT / "src" / "commandcenter" / "config" / "schema" / "scenes.py").read_text(encoding="utf-8")
    assert "iterdir" not in scenes and '"clock", "health"' not in scenes


def test_typed_options_fill_defaults():
    from commandcenter.config.schema.scenes import Panel

    p = Panel.model_validate({"id": "r", "type": "ranking", "cell": [0, 0, 1, 1], "options": {"top": 5}})
    opts = panels.options(p)
    assert (opts.top, opts.order, opts.by, opts.score) == (5, "desc", "opd", False)
