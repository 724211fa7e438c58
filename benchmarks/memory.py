"""Memory: RSS of the wall on 4 screens with the real Collector polling the 100 local feeds back
to back (accelerated: no schedule waits) while the wall refreshes and rotates through every scene
of the config (the demo's web scene included: Chromium starts in the wall's process).

Warm-up is one full rotation: every scene shown once, so one-time costs (Chromium, each panel
kind's first paint, fonts) are behind it. Growth is measured from there over 10,000 further poll
cycles; RSS after 1 h-equivalent (1,200 runs: 100 sources every 5 min) is reported as well; live
QObjects are counted at the same scene at each mark."""

from __future__ import annotations

from benchmarks.common import Row, run_child
from benchmarks.rig import shared_or_new


def run(quick: bool = False, cycles: int | None = None, setting=None,
        marks: tuple[int, int] | None = None, rotate: int | None = None, hour: int | None = None) -> list[Row]:
    """`cycles`: poll cycles measured after the warm-up. `marks=(warm, hour)`: fixed marks in
    runs instead of the rotation warm-up (then `cycles` is the whole run)."""
    cycles = cycles or (400 if quick else 10_000)
    rotate = rotate or (20 if quick else 100)
    hour = hour or (240 if quick else 1_200)
    if marks:
        when = ["--warmup-cycles", str(marks[0]), "--hour-cycles", str(marks[1])]
    else:
        when = ["--warmup-rotations", "1", "--hour-cycles", str(hour)]
    with shared_or_new(setting, feeds_on=True) as st:
        slow, st.server.slow_range = st.server.slow_range, (0.05, 0.2)  # accelerated: slow feeds stay slower than the rest, not seconds
        res = run_child(["memory", "--config", str(st.config), "--db", st.db, "--cycles", str(cycles), *when,
                         "--rotate", str(rotate), "--workers", "4"], st.env, 3600)
        st.server.slow_range = slow
    m = res["marks"]
    w, h, e = m["warmup"], m["hour"], m["end"]
    growth = (e["rss_mb"] - w["rss_mb"]) / w["rss_mb"] * 100
    qgrowth = e["qobjects"] - w["qobjects"]
    measured = e["cycles"] if marks else cycles  # the row's name stays put when a mark overshoots by a run or two
    warm_what = (f"every scene shown once, {w['cycles']:,} runs" if not marks else f"{w['cycles']:,} runs")
    first = ", ".join(f"{k} {v:+.0f} MB" for k, v in sorted(res.get("first_shown", {}).items(), key=lambda kv: -kv[1])[:3])
    return [
        Row("memory: RSS after 1 h-equivalent of polling (4 screens)", f"{h['rss_mb']:.0f} MB", "<= 400 MB",
            f"{w['rss_mb']:.0f} MB (after warm-up, {warm_what})", f"{h['rss_mb'] / w['rss_mb']:.2f}x",
            met=h["rss_mb"] <= 400,
            note=f"{h['cycles']:,} source runs, {h['refreshes']} wall refreshes; {h['scenes_shown']} of "
                 f"{h['scenes']} scenes shown by then; largest first showings: {first or '-'}",
            extra=res),
        Row(f"memory: RSS growth over {measured:,} poll cycles", f"{growth:+.1f}% ({e['rss_mb']:.0f} MB)",
            "<= 3%", f"{w['rss_mb']:.0f} MB (after warm-up: {warm_what})", f"{e['rss_mb'] / w['rss_mb']:.3f}x",
            met=growth <= 3.0,
            note=f"runs {w['cycles']:,} -> {e['cycles']:,}, {e['seconds'] - w['seconds']:.0f} s accelerated, "
                 f"{e['refreshes'] - w['refreshes']} wall refreshes, scenes rotated every {rotate} runs"),
        Row("memory: live QObjects, warm-up -> end", f"{w['qobjects']} -> {e['qobjects']} ({qgrowth:+d})",
            "no growth", "-", "-", met=qgrowth <= 0,
            note="counted at the same scene after deferred deletes ran"),
    ]
