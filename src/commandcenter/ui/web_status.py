"""Where web panels report their state (ok / failing and why, refused actions): the log, the
in-process listeners (the console's web dialog), and the cache (`web.status.<panel id>`, written
off the GUI thread) so a console in another process reads it too.

Kept apart from ui/panels/web.py so the wall can attach its cache without importing WebEngine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("commandcenter.web")

STATUS: dict[str, dict[str, Any]] = {}  # panel id -> last reported status (this process)
_listeners: list[Callable[[str, dict[str, Any]], None]] = []
_cache: Any = None
_pool: Any = None


def attach(cache: Any) -> None:
    """The wall's cache: statuses are persisted there (a console elsewhere reads them)."""
    global _cache
    _cache = cache


def listen(fn: Callable[[str, dict[str, Any]], None]) -> Callable[[], None]:
    _listeners.append(fn)
    return lambda: _listeners.remove(fn) if fn in _listeners else None


def report(panel_id: str, state: str, reason: str = "", last_good: float | None = None, url: str = "") -> None:
    """A state change: log it (failures as warnings, with the reason), tell listeners, persist it."""
    prev = STATUS.get(panel_id, {})
    if prev.get("state") == state and prev.get("reason") == reason:
        return
    status = {"state": state, "reason": reason, "since": time.time(), "last_good": last_good, "url": url}
    STATUS[panel_id] = status
    if state == "failing":
        log.warning("web panel %s: %s (%s); the wall keeps its last good rendering", panel_id, reason, url)
    else:
        log.info("web panel %s: %s %s", panel_id, state, reason)
    for fn in list(_listeners):
        fn(panel_id, status)
    _persist(panel_id, status)


def refused(panel_id: str, what: str, detail: str = "") -> None:
    """Something a kiosk page asked for and did not get (a pop-up, a download, another host...)."""
    log.info("web panel %s: refused %s %s", panel_id, what, detail)
    for fn in list(_listeners):
        fn(panel_id, {"state": "refused", "reason": f"{what} {detail}".strip(), "since": time.time()})


def _persist(panel_id: str, status: dict[str, Any]) -> None:
    global _pool
    cache = _cache
    if cache is None:
        return
    from concurrent.futures import ThreadPoolExecutor

    from commandcenter.wall.web import status_key

    if _pool is None:  # one writer thread: statuses land in the order they happened
        _pool = ThreadPoolExecutor(1, thread_name_prefix="web-status")

    def write() -> None:
        try:
            cache.set_state(status_key(panel_id), status)
        except Exception:  # a status line must never take the wall down
            log.debug("web status not persisted", exc_info=True)

    _pool.submit(write)
