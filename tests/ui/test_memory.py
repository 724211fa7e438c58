"""What a wall running for months must not keep: finished worker jobs and the read models they
were built on (benchmarks/memory.py measures the whole process; these pin the causes it found)."""

from __future__ import annotations

import gc
import types
import weakref

from commandcenter.ui.data import DataService
from tests.ui.test_wall import filled  # noqa: F401 (fixture)


def test_finished_builds_and_polls_are_let_go(qtbot, wall_config, filled):  # noqa: F811
    """Each build's job captured the SceneData it was built on; a job kept alive after it ran
    (PySide6 keeps a started QRunnable whose autoDelete is off) kept every SceneData ever built."""
    cache = filled[0]
    service = DataService(wall_config, cache, poll_ms=0)
    built: list[weakref.ref] = []
    service.ready.connect(lambda data: built.append(weakref.ref(data)))
    try:
        for k in range(8):
            with qtbot.waitSignal(service.ready, timeout=10_000):
                # full builds and partial ones (following the clock: a new SceneData each time)
                service.request("ringkasan", full=k % 2 == 0, ages=True)
            for _ in range(3):
                service.poll()
                qtbot.waitUntil(lambda: not service._polling, timeout=5000)
        qtbot.waitUntil(lambda: not service.busy, timeout=5000)
        assert len(built) == 8
        gc.collect()
        alive = [k for k, ref in enumerate(built) if ref() is not None]
        assert alive == [7], f"SceneData still held after later builds: {alive}"  # only the shown one
        polls = [o for o in gc.get_objects()
                 if type(o) is types.FunctionType and o.__qualname__ == "DataService.poll.<locals>.work"]
        assert polls == []
    finally:
        service.close()


# A fresh process: glibc's malloc state (its mmap threshold) is per process and one-way.
_HOLES = r"""
import json, resource, sys
from pathlib import Path
from PySide6.QtGui import QGuiApplication, QImage
from commandcenter.ui import heap

app = QGuiApplication([])
def rss():
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
mode = sys.argv[1]
if mode == "tuned":
    heap.tune()
big = QImage(2048, 2048, QImage.Format.Format_ARGB32)  # 16 MB, freed: glibc raises its threshold
big.fill(0)
del big
r0 = rss()
cards, pins = [], []
for _ in range(40):  # a scene's card pixmaps (~1 MB each) with small long-lived blocks between them
    img = QImage(640, 400, QImage.Format.Format_ARGB32)
    img.fill(0xFF203040)
    cards.append(img)
    pins.append(QImage(4, 4, QImage.Format.Format_ARGB32))
held = rss() - r0
cards.clear()  # the scene is left
if mode == "released":
    heap.release()
print(json.dumps({"held": held, "kept": rss() - r0}))
"""


def _holes(mode: str) -> dict:
    import json
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _HOLES, mode], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_card_pixmaps_freed_by_a_scene_change_go_back_to_the_system():
    from commandcenter.ui import heap

    if heap._glibc() is None:
        import pytest

        pytest.skip("glibc only (ui/heap.py does nothing elsewhere)")
    plain, tuned, released = _holes("plain"), _holes("tuned"), _holes("released")
    assert plain["held"] > 35 and tuned["held"] > 35 and released["held"] > 35  # the 40 MB were in use
    assert plain["kept"] > 30, plain  # untuned, the freed cards stay in the heap's holes
    assert tuned["kept"] < 5, tuned  # mapped blocks of their own: returned at free
    assert released["kept"] < 5, released  # or handed back by malloc_trim after the change
