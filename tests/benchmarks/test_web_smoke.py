"""benchmarks/web.py at a tiny size: the rows come out with numbers (figures only from the real run)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets", reason="the `web` extra (PySide6-Addons) is not installed")


def test_web_benchmark_smoke():
    from benchmarks import web

    rows = web.run(quick=True, seconds=1, repeats=1, settle=0.5)
    assert [r.figure for r in rows] == [
        "web panels: memory, wall with 1 web panel(s)", "web panels: idle CPU, wall with 1 web panel(s)",
        "web panels: memory, wall with 4 web panel(s)", "web panels: idle CPU, wall with 4 web panel(s)"]
    mem = rows[0].extra["mem"]
    assert mem[4] > mem[1] > mem[0] > 0  # each page costs memory: Chromium's processes are counted
    assert rows[2].extra["procs"][4] > rows[2].extra["procs"][0]
