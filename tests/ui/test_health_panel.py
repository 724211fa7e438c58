"""The source status table gives the source's name the room: status and "last success" as wide as
their texts, a name's parenthetical dropped before anything is cut (the demo's names are long)."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QRectF

from commandcenter.ui.panels.base import PanelContext
from commandcenter.ui.panels.health import HealthPanel
from commandcenter.wall.models import HealthModel, HealthRow


def _panel(qtbot, cfg, width: int, height: int, fragments=None) -> HealthPanel:
    spec = SimpleNamespace(id="h", title="Status Sumber Data", type="health", options={})
    panel = HealthPanel(spec, PanelContext(cfg, "id", 1.0), fragments)
    qtbot.addWidget(panel)
    panel.resize(width, height)
    return panel


def _model(cfg) -> HealthModel:
    rows = tuple(HealthRow(s.id, s.name, s.opd or "", "failing" if i == 2 else "ok", last_success=None)
                 for i, s in enumerate(cfg.sources))
    return HealthModel("Status Sumber Data", rows, frozen_at=None)


def test_names_whole_or_without_their_parenthetical_at_the_demo_size(qtbot, wall_config):
    panel = _panel(qtbot, wall_config, 920, 500)  # the demo wall's card: a quarter of a monitor
    panel.set_model(_model(wall_config))
    panel.grab()
    names = {s.id: s.name for s in wall_config.sources}
    for sid, name in names.items():
        text, rect, width = panel.drawn[f"{sid}/0"]
        assert "…" not in text, text
        assert text == name or name.startswith(text) and "(" in name, (name, text)
        assert width <= rect.width() + 0.5
        for c in (1, 2):  # state and last success: whole
            cell = panel.drawn[f"{sid}/{c}"]
            assert "…" not in cell[0] and cell[2] <= cell[1].width() + 0.5, cell
    # the long ones keep their subject: "Realisasi anggaran", not "Realisasi anggaran (eks…"
    assert panel.drawn["sipd-realisasi/0"][0] in ("Realisasi anggaran (ekspor SIPD, BPKAD)", "Realisasi anggaran")
    state = panel.drawn[f"{wall_config.sources[2].id}/1"][0]
    assert state == "Gagal"


def test_a_very_narrow_card_still_cuts_rather_than_overflows(qtbot, wall_config):
    panel = _panel(qtbot, wall_config, 300, 500)
    panel.set_model(_model(wall_config))
    panel.grab()
    for key, (text, rect, width) in panel.drawn.items():
        assert width <= rect.width() + 0.5, (key, text)


def test_a_card_across_two_monitors_keeps_every_text_in_place_and_off_the_seam(qtbot, wall_config):
    """The demo's `sumber-data` card spans two monitors (seam 16 px wide at x = 1912): the names
    stay in their column, left-aligned, whole, and no text lies on the hidden strip."""
    frags = [QRectF(0, 0, 1912, 560), QRectF(1928, 0, 1912, 560)]
    panel = _panel(qtbot, wall_config, 3840, 560, frags)
    panel.set_model(_model(wall_config))
    panel.grab()
    for s in wall_config.sources:
        text, rect, width = panel.drawn[f"{s.id}/0"]
        assert text.startswith(s.name) and rect.left() >= 0 and rect.left() < 60, (text, rect)
    for key, (text, rect, width) in panel.drawn.items():
        assert rect.left() >= 0 and rect.right() <= panel.width(), (key, text, rect)
        assert rect.right() <= 1912 or rect.left() >= 1928, (key, text, rect)
