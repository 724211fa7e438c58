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
