"""The console's source table shows a partial run's rejections: the count and first reason in the
"last error" cell, every reason (not "(+6 more)") in its tooltip."""

from __future__ import annotations

from commandcenter.collector.health import SourceHealth
from commandcenter.ui.console.tables import HealthTable


def test_every_rejection_reason_is_in_the_tooltip(qtbot, wall_config):
    reasons = tuple(f"lra.xlsx row {n}: serapan_keuangan (Realisasi (%)): expected a number, got 'x'" for n in range(6, 13))
    h = SourceHealth(source="bpkad-lra", name="LRA BPKAD", opd="bpkad", state="ok", last_success=None,
                     last_run=None, last_status="partial", last_error="", rejected=reasons)
    table = HealthTable(wall_config, lang="id")
    qtbot.addWidget(table)
    table.set_rows([h])
    cell = table.table.item(0, 3)
    assert cell.text() == f"7 ditolak: {reasons[0]}"
    assert cell.toolTip().splitlines() == list(reasons)
    english = HealthTable(wall_config, lang="en")
    qtbot.addWidget(english)
    english.set_rows([h])
    assert english.table.item(0, 3).text().startswith("7 rejected: ")
