"""Memory: RSS of the wall on 4 screens with the real Collector polling the 100 local feeds back
to back (accelerated: no schedule waits) while the wall refreshes and rotates scenes. RSS after
1 h-equivalent (1,200 runs: 100 sources every 5 min) and growth over 10,000 poll cycles against
RSS after warm-up; live QObjects at the same scene at each mark."""

from __future__ import annotations

from benchmarks.common import Row, run_child
from benchmarks.rig import shared_or_new


def run(quick: bool = False, cycles: int | None = None, setting=None,
        marks: tuple[int, int] | None = None) -> list[Row]:
    cycles = cycles or (400 if quick else 10_000)
    warm, hour = marks or ((100, 200) if quick else (500, 1_200))
    with shared_or_new(setting, feeds_on=True) as st:
        slow, st.server.slow_range = st.server.slow_range, (0.05, 0.2)  # accelerated: slow feeds stay slower than the rest, not seconds
        res = run_child(["memory", "--config", str(st.config), "--db", st.db, "--cycles", str(cycles),
                         "--warmup-cycles", str(warm), "--hour-cycles", str(hour), "--rotate",
                         str(max(50, cycles // 40)), "--workers", "4"], st.env, 3600)
        st.server.slow_range = slow
    m = res["marks"]
    w, h, e = m["warmup"], m["hour"], m["end"]
    growth = (e["rss_mb"] - w["rss_mb"]) / w["rss_mb"] * 100
    qgrowth = e["qobjects"] - w["qobjects"]
    return [
        Row("memory: RSS after 1 h-equivalent of polling (4 screens)", f"{h['rss_mb']:.0f} MB", "<= 400 MB",
            f"{w['rss_mb']:.0f} MB (after warm-up, {w['cycles']} runs)", f"{h['rss_mb'] / w['rss_mb']:.2f}x",
            met=h["rss_mb"] <= 400, note=f"{h['cycles']} source runs, {h['refreshes']} wall refreshes",
            extra=res),
        Row(f"memory: RSS growth over {e['cycles']:,} poll cycles", f"{growth:+.1f}% ({e['rss_mb']:.0f} MB)",
            "<= 3%", f"{w['rss_mb']:.0f} MB (after warm-up)", f"{e['rss_mb'] / w['rss_mb']:.3f}x",
            met=growth <= 3.0,
            note=f"{e['seconds']:.0f} s accelerated, {e['refreshes']} wall refreshes, scenes rotated every "
                 f"{max(50, cycles // 40)} runs"),
        Row("memory: live QObjects, warm-up -> end", f"{w['qobjects']} -> {e['qobjects']} ({qgrowth:+d})",
            "no growth", "-", "-", met=qgrowth <= 0,
            note="counted at the same scene after deferred deletes ran"),
    ]
