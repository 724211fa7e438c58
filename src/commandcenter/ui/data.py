"""Off-GUI-thread data: scene read models and the cache's change counter, results by signals.

One worker builds read models (requests made while it is busy coalesce into one follow-up
build); another polls `cache.data_version()` every second so a wall in its own process notices
what a separate collector wrote. The GUI thread never runs SQL.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from commandcenter.errors import CacheDamaged
from commandcenter.wall.queries import build_scene

log = logging.getLogger(__name__)


class _Carrier(QObject):
    """Lives in the GUI thread; workers emit on it, Qt queues the call into the GUI thread."""

    built = Signal(object, object, object)  # (request, SceneData | None, data_version read first)
    version = Signal(object)


class _Job(QRunnable):
    """A Python callable as a pool job; the service keeps a reference until it reports back
    (a bare callable handed to QThreadPool.start may be collected before it runs)."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn

    def run(self) -> None:
        self.fn()


class DataService(QObject):
    ready = Signal(object)  # SceneData
    failed = Signal(str)
    versionChanged = Signal(object)

    def __init__(self, cfg: Any, cache: Any, lang: str = "id", poll_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.cache, self.lang = cfg, cache, lang
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._carrier = _Carrier(self)
        self._carrier.built.connect(self._on_built)
        self._carrier.version.connect(self._on_version)
        self._busy = False
        self._pending: tuple | None = None
        self._polling = False
        self._version: Any = None
        self._closed = False
        self._jobs: dict[str, _Job] = {}
        self.poll_timer = QTimer(self)
        self.poll_timer.timeout.connect(self.poll)
        if poll_ms > 0:
            self.poll_timer.start(poll_ms)

    # -- scene builds ---------------------------------------------------------------------------
    def request(self, scene_id: str, as_of: float | None = None, missing: int = 0) -> None:
        req = (scene_id, as_of, missing)
        if self._busy:
            self._pending = req  # the newest request wins
            return
        self._start(req)

    def _start(self, req: tuple) -> None:
        self._busy = True
        cfg, cache, lang, carrier = self.cfg, self.cache, self.lang, self._carrier

        def work() -> None:
            version = None
            try:
                version = cache.data_version()  # read first: the data are at least this new
                data = build_scene(cfg, cache, req[0], as_of=req[1], lang=lang, missing_monitors=req[2])
            except CacheDamaged as exc:  # the panels keep their last values; say why, once per build
                log.error("%s", exc)
                data = None
            except Exception:
                log.exception("building scene %s failed", req[0])
                data = None
            carrier.built.emit(req, data, version)

        self._submit("build", work)

    def _submit(self, key: str, fn) -> None:
        job = _Job(fn)
        self._jobs[key] = job
        self.pool.start(job)

    def _on_built(self, req: tuple, data: Any, version: Any) -> None:
        self._busy = False
        self._jobs.pop("build", None)
        if data is not None and version is not None:
            self._version = version  # what the wall now shows
        if self._closed:
            return
        if data is None:
            self.failed.emit(req[0])
        elif self._pending is None or self._pending[0] == req[0]:
            self.ready.emit(data)
        if self._pending is not None:
            nxt, self._pending = self._pending, None
            self._start(nxt)

    @property
    def busy(self) -> bool:
        return self._busy

    # -- change polling -------------------------------------------------------------------------
    def poll(self) -> None:
        if self._polling or self._closed:
            return
        self._polling = True
        cache, carrier = self.cache, self._carrier

        def work() -> None:
            try:
                v = cache.data_version()
            except Exception:
                log.warning("data_version failed", exc_info=True)
                v = None
            carrier.version.emit(v)

        self._submit("poll", work)

    def _on_version(self, v: Any) -> None:
        """Compare with the version the shown data were read at (not with the last poll: a
        change between the wall's first read and its first poll must not be missed)."""
        self._polling = False
        self._jobs.pop("poll", None)
        if v is None or self._closed or self._busy:
            return  # a build in flight reads the newest data anyway
        if self._version is not None and v != self._version:
            self._version = v
            self.versionChanged.emit(v)

    def close(self) -> None:
        self._closed = True
        self.poll_timer.stop()
        self.pool.waitForDone(5000)
