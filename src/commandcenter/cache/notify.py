"""Telling a wall in another process (or on another machine) that the cache changed. Qt-free.

PostgreSQL: the cache sends `NOTIFY commandcenter_<city>` inside every committed write (a samples
batch, a run record, an alert change, persisted state); PostgreSQL delivers it only when that
transaction commits, so a listener never wakes up before the data are visible. `ChangeListener`
LISTENs on that channel in a worker thread.

SQLite: there is no server to push, so `VersionPoller` compares `Cache.data_version()` (three
index look-ups) once a second.

Both answer the same two calls, so the wall's bridge needs one code path:

    watcher = watch_changes(cache, on_change=lambda what: bridge.cacheChanged.emit())
    ...                                  # or, in a plain thread: while watcher.wait(5.0): ...
    watcher.close()

`on_change(payload)` runs on the watcher's worker thread: emit a Qt signal from it (queued into
the GUI thread), never touch widgets there.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("commandcenter.cache.notify")

CHANNEL_PREFIX = "commandcenter_"
RECONNECTED = "reconnected"  # payload sent to on_change after a lost connection came back
OnChange = Callable[[str], None]


def channel_for(city: str) -> str:
    """The NOTIFY channel of one city: `commandcenter_<citycode>` (lower case, [a-z0-9_])."""
    return CHANNEL_PREFIX + (re.sub(r"[^a-z0-9_]", "_", city.lower()) or "all")


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://...) as a libpq connection URI for psycopg.

    `${ENV}` references are resolved here; a URL without a password lets libpq take it from
    PGPASSWORD or ~/.pgpass, which is how deployments should pass it."""
    from sqlalchemy.engine import make_url

    from commandcenter.config.secrets import resolve

    u = make_url(resolve(url))
    if u.get_backend_name() != "postgresql":
        raise ValueError(f"LISTEN/NOTIFY needs a PostgreSQL URL, not {u.get_backend_name()!r}")
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


class _Signal:
    """A latch with an optional callback: set() from a worker, wait() consumes it."""

    def __init__(self, on_change: OnChange | None):
        self._on_change = on_change
        self._cond = threading.Condition()
        self._changed = False
        self.count = 0
        self.closed = threading.Event()

    def set(self, payload: str) -> None:
        with self._cond:
            self._changed = True
            self.count += 1
            self._cond.notify_all()
        if self._on_change is not None:
            try:
                self._on_change(payload)
            except Exception:  # a broken subscriber must not kill the watcher
                log.exception("change callback failed")

    def wait(self, timeout: float | None) -> bool:
        with self._cond:
            self._cond.wait_for(lambda: self._changed or self.closed.is_set(), timeout)
            changed, self._changed = self._changed, False
            return changed


class _Watcher:
    """What both watchers share: a daemon thread feeding a _Signal; wait/close/context manager."""

    _signal: _Signal
    _thread: threading.Thread

    @property
    def notifications(self) -> int:
        """How many notifications (and reconnects) arrived so far."""
        return self._signal.count

    def wait(self, timeout: float | None = None) -> bool:
        return self._signal.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        self._signal.closed.set()
        with self._signal._cond:
            self._signal._cond.notify_all()
        self._thread.join(timeout)

    def __enter__(self) -> "_Watcher":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()


class ChangeListener(_Watcher):
    """LISTEN for one city's changes on PostgreSQL, in a daemon thread that reconnects by itself.

    `wait(timeout) -> bool`: True as soon as something changed since the previous call (returns at
    once if it already has), False on timeout. After a reconnect it reports a change once
    (payload "reconnected"), since notifications sent while disconnected are lost."""

    def __init__(self, url: str, city: str, on_change: OnChange | None = None,
                 reconnect_delay: float = 2.0, poll: float = 0.5):
        self.channel = channel_for(city)
        self._conninfo = libpq_url(url)
        self._signal = _Signal(on_change)
        self._delay = reconnect_delay
        self._poll = poll
        self.connected = threading.Event()  # set while LISTEN is active
        self._thread = threading.Thread(target=self._run, name=f"listen-{self.channel}", daemon=True)
        self._thread.start()

    def wait_connected(self, timeout: float = 10.0) -> bool:
        return self.connected.wait(timeout)

    def _run(self) -> None:
        import psycopg
        from psycopg import sql

        stop = self._signal.closed
        first = True
        while not stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.connected.set()
                    if not first:
                        self._signal.set(RECONNECTED)
                    first = False
                    while not stop.is_set():
                        for note in conn.notifies(timeout=self._poll):
                            self._signal.set(note.payload)
            except psycopg.Error as exc:
                self.connected.clear()
                if stop.is_set():
                    break
                log.warning("listening on %s failed (%s); retrying in %.0f s", self.channel,
                            _first_line(exc), self._delay)
                stop.wait(self._delay)
        self.connected.clear()


class VersionPoller(_Watcher):
    """SQLite (or any backend): compare `cache.data_version()` every `interval` seconds in a
    daemon thread. Same interface as ChangeListener."""

    def __init__(self, cache: Any, on_change: OnChange | None = None, interval: float = 1.0,
                 version: Callable[[], Any] | None = None):
        self._cache = cache
        self._read = version or cache.data_version  # the command bus polls its own table's version
        self._signal = _Signal(on_change)
        self._interval = interval
        self._last = self._version()
        self.connected = threading.Event()
        self.connected.set()
        self._thread = threading.Thread(target=self._run, name="cache-version-poll", daemon=True)
        self._thread.start()

    def wait_connected(self, timeout: float = 10.0) -> bool:
        return True

    def _version(self) -> Any:
        try:
            return self._read()
        except Exception as exc:  # a locked or briefly missing file: try again next tick
            log.debug("data_version failed: %s", exc)
            return None

    def _run(self) -> None:
        while not self._signal.closed.wait(self._interval):
            now = self._version()
            if now is not None and now != self._last:
                self._last = now
                self._signal.set("data_version")


def watch_changes(cache: Any, on_change: OnChange | None = None, interval: float = 1.0,
                  version: Callable[[], Any] | None = None) -> ChangeListener | VersionPoller:
    """The right watcher for a cache: LISTEN/NOTIFY on PostgreSQL, data_version polling on SQLite
    (or polling `version()`, for a watcher of something else than the data, e.g. commands)."""
    if cache.engine.dialect.name == "postgresql":
        return ChangeListener(cache.engine.url.render_as_string(hide_password=False), cache.city, on_change)
    return VersionPoller(cache, on_change, interval, version)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
