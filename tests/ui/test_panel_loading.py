"""A panel waiting for its first data: for a moment only the wall's background (a scene's first
read normally lands within it, so no card is painted twice and nothing flashes), then the card
saying that data are loading, without anything else prompting the repaint."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QObject

from commandcenter.ui import theme
from commandcenter.ui.panels import base


class PaintTimes(QObject):
    def __init__(self, widget):
        super().__init__()
        self.at: list[float] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev):  # noqa: N802 (Qt's name)
        if ev.type() == QEvent.Type.Paint:
            self.at.append(time.monotonic())
        return False


def kpi_panel(qtbot, cfg):
    from commandcenter.config.schema.scenes import Panel as PanelSpec
    from commandcenter.ui.panels import registry

    spec = PanelSpec.model_validate({"id": "k", "type": "kpi", "cell": [0, 0, 4, 3], "metric": cfg.metrics[0].id,
                                     "title": "Serapan Anggaran"})
    panel = registry.create(spec, base.PanelContext(cfg, "id", 1.0))
    qtbot.addWidget(panel)
    panel.resize(420, 260)
    return panel


def colours(panel) -> dict[str, int]:
    img = panel.grab().toImage()
    out: dict[str, int] = {}
    for x in range(0, img.width(), 7):
        for y in range(0, img.height(), 7):
            name = img.pixelColor(x, y).name()
            out[name] = out.get(name, 0) + 1
    return out


def test_within_the_grace_only_the_background(qtbot, demo_config, monkeypatch):
    monkeypatch.setattr(base, "LOADING_GRACE_S", 60.0)
    panel = kpi_panel(qtbot, demo_config)
    panel.show()
    qtbot.waitExposed(panel)
    assert colours(panel) == {theme.BG.name(): sum(colours(panel).values())}


@pytest.mark.parametrize("grace", [0.3])
def test_after_the_grace_the_card_says_data_are_loading(qtbot, demo_config, monkeypatch, grace):
    monkeypatch.setattr(base, "LOADING_GRACE_S", grace)
    panel = kpi_panel(qtbot, demo_config)
    paints = PaintTimes(panel)
    panel.show()
    qtbot.waitExposed(panel)
    ends = panel._born + grace
    # a paint after the grace, which nothing but the panel's own timer asked for
    qtbot.waitUntil(lambda: any(t >= ends for t in paints.at), timeout=3000)
    seen = colours(panel)
    assert seen.get(theme.CARD.name(), 0) > 0.5 * sum(seen.values())  # the card, not the background
    assert panel.model is None
