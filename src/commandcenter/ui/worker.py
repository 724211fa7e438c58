"""Off-GUI-thread calls for the console: cache writes (audit, state, acknowledge) and reads
(health, alerts, audit log), results delivered back on the GUI thread by a signal.

Writes go through one thread so they land in the order the operator acted; reads use another
so a slow read never delays an audit entry.

Reads run on two threads, so two reads of the same thing (the console's health/alerts refresh,
asked by a timer, a change and an operator's action) could finish out of order and an older
result replace a newer one on screen. `read(..., newest="name")` runs one read of that name at a
time and keeps at most one more waiting (the latest request): results arrive in the order they
were asked for, each at least as new as the one before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Worker(QObject):
    """`write(fn, ...)` / `read(fn, ..., done=callback)`; callbacks run on the GUI thread."""

    _finished = Signal(object, object)  # callback, result (queued: emitted from a pool thread)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writes = ThreadPoolExecutor(1, thread_name_prefix="console-write")
        self._reads = ThreadPoolExecutor(2, thread_name_prefix="console-read")
        self._pending: set[Future[Any]] = set()
        self._lanes: dict[str, tuple[Any, ...] | None] = {}  # newest= name -> the request waiting behind it
        self.closed = False
        self._finished.connect(self._deliver)

    def write(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None, **kw: Any) -> Future[Any] | None:
        return self._submit(self._writes, fn, args, kw, done)

    def read(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
             newest: str | None = None, **kw: Any) -> Future[Any] | None:
        """With `newest`, a read of that name while one runs waits (replacing an older waiting
        request) and starts when the running one's result has been delivered; returns None then."""
        if newest is None:
            return self._submit(self._reads, fn, args, kw, done)
        if newest in self._lanes:  # GUI thread only: no lock needed
            self._lanes[newest] = (fn, args, kw, done)
            return None
        self._lanes[newest] = None
        return self._submit(self._reads, fn, args, kw, done, then=lambda _r: self._next(newest))

    def reading(self, name: str) -> bool:
        """A `newest=name` read runs or waits, i.e. its result has not been delivered yet."""
        return name in self._lanes

    def _next(self, name: str) -> None:
        waiting = self._lanes.pop(name, None)
        if waiting is not None:
            fn, args, kw, done = waiting
            self.read(fn, *args, done=done, newest=name, **kw)

    def _submit(self, pool: ThreadPoolExecutor, fn: Callable[..., Any], args: tuple[Any, ...], kw: dict[str, Any],
                done: Callable[[Any], None] | None, then: Callable[[Any], None] | None = None) -> Future[Any] | None:
        if self.closed:  # a timer or a queued signal that fired after shutdown: nothing to do
            return None

        def job() -> Any:
            result, ok = None, True
            try:
                result = fn(*args, **kw)
            except Exception as exc:  # a failed read/write is reported, never kills the console
                ok = False
                log.warning("console job %s failed: %s", getattr(fn, "__name__", fn), exc)
                self.failed.emit(f"{getattr(fn, '__name__', fn)}: {exc}")
            if done is not None and ok:
                self._finished.emit(done, result)
            if then is not None:  # after `done` (one queue, one thread: delivered in this order), failed or not
                self._finished.emit(then, None)
            return result

        fut = pool.submit(job)
        self._pending.add(fut)
        fut.add_done_callback(self._pending.discard)
        return fut

    def _deliver(self, callback: Callable[[Any], None], result: Any) -> None:
        callback(result)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait for the jobs submitted so far (for shutdown and tests; results still arrive by signal)."""
        for fut in list(self._pending):
            fut.result(timeout=timeout)

    def shutdown(self) -> None:
        self.closed = True
        self._writes.shutdown(wait=True)
        self._reads.shutdown(wait=True, cancel_futures=True)
