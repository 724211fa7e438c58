"""GUI event-loop stall: lateness of a 10 ms QTimer heartbeat on the wall's GUI thread while the
real Collector polls 100 sources (30 slow, 10 failing, 10 malformed) and the wall refreshes on
every finished run; baseline: the same wall and heartbeat with no polling."""

from __future__ import annotations

from benchmarks.common import Row, fmt_ms, median, percentile, run_child
from benchmarks.rig import shared_or_new

FIGURE = "GUI event-loop stall, 10 ms heartbeat lateness, 100 sources polling"
TARGET = "p99 <= 16 ms, max <= 50 ms"


def run(quick: bool = False, runs: int | None = None, seconds: float | None = None,
        setting=None, warmup: float = 6) -> list[Row]:
    runs = runs or (1 if quick else 3)
    seconds = seconds or (6 if quick else 15)
    prod, base = [], []
    with shared_or_new(setting, feeds_on=True, every="10s") as st:
        for r in range(runs):
            common = ["--config", str(st.config), "--db", st.db, "--seconds", str(seconds), "--warmup", str(warmup)]
            order = (False, True) if r % 2 == 0 else (True, False)
            for polling in order:
                res = run_child(["stall", *common] + (["--collector"] if polling else []), st.env, seconds + 180)
                late = res["lateness"]
                stats = {"p99": percentile(late, 99), "max": max(late), "p50": percentile(late, 50),
                         "ticks": len(late), "refreshes": res["refreshes"], "runs": res["runs"]}
                (prod if polling else base).append(stats)
    p99, mx = median([s["p99"] for s in prod]), median([s["max"] for s in prod])
    b99, bmx = median([s["p99"] for s in base]), median([s["max"] for s in base])
    refreshes = median([s["refreshes"] for s in prod])
    return [
        Row("GUI stall p99 (10 ms heartbeat lateness, 100 sources polling)", fmt_ms(p99), "<= 16 ms",
            f"{fmt_ms(b99)} (no polling)", f"{p99 / b99:.1f}x" if b99 > 0 else "-", met=p99 <= 16,
            note=f"median of {runs} runs of {seconds:.0f} s; {refreshes:.0f} wall refreshes per run; "
                 f"runs recorded: {[s['runs'] for s in prod]}",
            extra={"product": prod, "baseline": base}),
        Row("GUI stall max (same runs)", fmt_ms(mx), "<= 50 ms", f"{fmt_ms(bmx)} (no polling)",
            f"{mx / bmx:.1f}x" if bmx > 0 else "-", met=mx <= 50,
            note=f"per-run max: {[round(s['max'], 1) for s in prod]}; baseline {[round(s['max'], 1) for s in base]}"),
    ]
