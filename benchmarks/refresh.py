"""Wall refresh: GUI-thread time for the 4-screen, 48-panel wall to show a burst of new data
(SceneData in by the DataService's signal, every window repainted), against bare pyqtgraph doing
setData on the same number of plots (fixed ranges, two curves each) with a repaint."""

from __future__ import annotations

from benchmarks.common import Row, fmt_ms, median, run_child
from benchmarks.rig import shared_or_new

FIGURE = "wall refresh, 4 screens x 12 panels, GUI-thread time per burst"
TARGET = "<= 1.3x baseline and <= 100 ms"


def run(quick: bool = False, runs: int | None = None, repeats: int | None = None,
        setting=None) -> list[Row]:
    runs = runs or (1 if quick else 3)
    repeats = repeats or (5 if quick else 15)
    prod, base, panels = [], [], 0
    with shared_or_new(setting, feeds_on=False) as st:
        common = ["--config", str(st.config), "--db", st.db, "--repeats", str(repeats)]
        for r in range(runs):
            for bare in ((False, True) if r % 2 == 0 else (True, False)):
                res = run_child(["refresh", *common] + (["--bare"] if bare else []), st.env, 240)
                (base if bare else prod).append(median(res["ms"]))
                if not bare:
                    panels = res["panels"]
    p, b = median(prod), median(base)
    ratio = p / b
    return [Row(FIGURE, fmt_ms(p), TARGET, f"{fmt_ms(b)} (bare pyqtgraph, {panels} plots)", f"{ratio:.2f}x",
                met=ratio <= 1.3 and p <= 100,
                note=f"{panels} panel widgets on 4 windows; median of {runs} runs x {repeats} bursts; "
                     f"per-run medians {[round(x, 1) for x in prod]} vs {[round(x, 1) for x in base]}",
                extra={"product": prod, "baseline": base, "panels": panels})]
