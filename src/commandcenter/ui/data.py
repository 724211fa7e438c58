"""Off-GUI-thread data: scene read models and the cache's change counter, results by signals.

One worker builds read models (requests made while it is busy coalesce into one follow-up
build); another polls `cache.data_version()` every second so a wall in its own process notices
what a separate collector wrote. The GUI thread never runs SQL.

Builds are change-driven: a build asked for with `full=False` reads the cache's change log since
the data on the wall were read and rebuilds only the panels it names (none: no build at all).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from commandcenter.errors import CacheDamaged
from commandcenter.wall.queries import build_scene

log = logging.getLogger(__name__)


class _Carrier(QObject):
    """Lives in the GUI thread; workers emit on it, Qt queues the call into the GUI thread."""

    built = Signal(object, object, object)  # (request, SceneData | None, data_version read first)
    version = Signal(object)


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
        self._jobs: dict[str, Any] = {}  # key -> the callable in flight, until it reports back
        self._shown: Any = None  # the last SceneData built live (the base of partial builds)
        self.poll_timer = QTimer(self)
        self.poll_timer.timeout.connect(self.poll)
        if poll_ms > 0:
            self.poll_timer.start(poll_ms)

    # -- scene builds ---------------------------------------------------------------------------
    def request(self, scene_id: str, as_of: float | None = None, missing: int = 0, full: bool = True,
                ages: bool = False) -> None:
        """`full=False`: only what the change log names since the shown data; `ages`: also the
        panels whose sources' health moved with the clock (late -> stale) and the health panels."""
        req = (scene_id, as_of, missing, full, ages)
        if self._busy:
            if self._pending is not None and self._pending[:3] == req[:3]:  # a request is never narrowed
                req = (*req[:3], full or self._pending[3], ages or self._pending[4])
            self._pending = req  # the newest request wins
            return
        self._start(req)

    def _start(self, req: tuple) -> None:
        self._busy = True
        cfg, cache, lang, carrier = self.cfg, self.cache, self.lang, self._carrier
        base, since = self._shown, self._version
        incremental = (not req[3] and req[1] is None and base is not None and since is not None
                       and base.scene == req[0] and base.header.missing_monitors == req[2])

        def work() -> None:
            version = None
            try:
                version = cache.data_version()  # read first: the data are at least this new
                if incremental:
                    changes = cache.changes_since(since)
                    data = base if not (changes or req[4]) else build_scene(
                        cfg, cache, req[0], lang=lang, missing_monitors=req[2], changes=changes, previous=base,
                        ages=req[4])
                else:
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
        """A plain callable, not a QRunnable subclass: PySide6 (6.11) keeps a QRunnable whose
        autoDelete is off alive for ever once started, and one with autoDelete on leaks when a
        full garbage collection runs while it is in flight; either way every job kept its
        closure and, through it, the SceneData it was built on (a few MB per 1,000 poll cycles,
        see benchmarks/memory.py). A callable is held by the pool until it ran, then released;
        the service keeps its own reference until the job reports back."""
        self._jobs[key] = fn
        self.pool.start(fn)

    def _on_built(self, req: tuple, data: Any, version: Any) -> None:
        self._busy = False
        self._jobs.pop("build", None)
        unchanged = data is not None and data is self._shown
        if data is not None and version is not None:
            self._version = version  # what the wall now shows
        if data is not None and req[1] is None:
            self._shown = data
        if self._closed:
            return
        if data is None:
            self.failed.emit(req[0])
        elif unchanged:
            pass  # the change log named nothing this scene shows: no apply, no repaint
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
            # _version stays what the wall shows until a build lands: that build reads the
            # change log from there
            self.versionChanged.emit(v)

    def close(self) -> None:
        self._closed = True
        self.poll_timer.stop()
        self.pool.waitForDone(5000)
