"""Idle CPU: the wall on 4 screens with no new data (the clock ticking, the change poll running)
for 60 s; CPU time of the wall process over wall time."""

from __future__ import annotations

from benchmarks.common import Row, median, run_child
from benchmarks.rig import shared_or_new

FIGURE = "idle CPU, wall on 4 screens, no new data"
TARGET = "<= 2% of one core"


def run(quick: bool = False, seconds: float | None = None, setting=None,
        warmup: float = 5) -> list[Row]:
    seconds = seconds or (6 if quick else 60)
    with shared_or_new(setting, feeds_on=False) as st:
        res = run_child(["idle", "--config", str(st.config), "--db", st.db, "--seconds", str(seconds),
                         "--warmup", str(warmup)], st.env, seconds + 180)
    pct = res["percent"]
    return [Row(FIGURE, f"{pct:.2f}% of one core", TARGET, "-", "-", met=pct <= 2.0,
                note=f"{seconds:.0f} s after a {warmup:.0f} s settle; thirds: {[round(x, 2) for x in res['windows']]} "
                     f"(median {median(res['windows']):.2f}%); {res['refreshes']} scene builds applied",
                extra=res)]
