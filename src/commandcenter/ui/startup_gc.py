"""The wall starts with Python's cyclic garbage collector paused.

Start-up makes hundreds of thousands of objects that live as long as the wall (the pydantic and
SQLAlchemy classes, the config, Qt's bindings and widgets, the first scene's points) and next to
no cyclic garbage, so every automatic collection meanwhile scans a growing heap to free almost
nothing: on the 48-panel workload some 200 young and 2 full collections, ~0.2 s of CPU, one full
collection (70 ms) inside the first scene's read, which the wall waits for (benchmarks/changes.md).

`pause` at the start; `settle` once the first scene is up collects once, freezes the survivors
out of the collector's reach (a later full collection then scans only what came since) and
turns automatic collections back on. A wall that never shows a scene settles after
RESUME_AFTER_MS all the same, and a wall that ends resumes them (`resume`).
"""

from __future__ import annotations

import gc

RESUME_AFTER_MS = 30_000  # automatic collections back on by then, whatever the first scene does

_paused = False  # True while automatic collections are off because `pause` turned them off
_settled = False


def pause() -> bool:
    """Turn automatic collections off until `settle` or `resume`; False if they were off
    already (someone else's choice, left to them)."""
    global _paused
    if not gc.isenabled():
        return False
    gc.disable()
    _paused = True
    return True


def resume() -> None:
    """Automatic collections back on, if `pause` turned them off."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def settle() -> None:
    """After the first scene: one collection, the objects alive frozen (once per process: the
    start-up's objects), and automatic collections back on."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()
    resume()


def paused() -> bool:
    return _paused
