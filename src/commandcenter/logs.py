"""Logging for the long-running commands (`collect`, `wall`, `demo`): lines stamped in the city's
zone with its label (`2026-06-30 09:00:05 WIB`), to stderr and to a rotating file under the data
folder (`<data>/logs/<command>.log`, 5 x 5 MB), so a service leaves a trail an admin can read."""

from __future__ import annotations

import logging
import logging.handlers
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]
# `--log-level` is for our own loggers; libraries speak only from WARNING up, whatever is asked:
# httpx logs every request URL at INFO, and a URL may carry a `${ENV}` secret in its query
_OWN = "commandcenter"
_LIBRARIES_FROM = logging.WARNING
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES, BACKUPS = 5 * 1024 * 1024, 5
_HANDLER_TAG = "_commandcenter_log"


class ZoneFormatter(logging.Formatter):
    """Timestamps in the city's zone, with its label (WIB/WITA/WIT), so they match the messages."""

    def __init__(self, tz: str, label: str) -> None:
        super().__init__(FORMAT)
        self.tz, self.label = ZoneInfo(tz), label

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, self.tz).strftime("%Y-%m-%d %H:%M:%S ") + self.label


def data_dir(cfg: Any) -> Path:
    """city.yaml's data_dir, else the per-user data folder (where the default cache lives)."""
    if cfg.city.data_dir:
        return cfg.resolve_path(cfg.city.data_dir)
    from platformdirs import user_data_dir

    return Path(user_data_dir("commandcenter", appauthor=False))


def setup(cfg: Any, command: str, level: str | None = None, console: bool = True) -> Path | None:
    """Configure the root logger for `command`; returns the log file (None if it cannot be written).
    Called again (tests, demo) it replaces the handlers it added before."""
    teardown()
    root = logging.getLogger()
    _saved.update(root=root.level, own=logging.getLogger(_OWN).level)
    wanted = getattr(logging, (level or "INFO").upper())
    root.setLevel(max(wanted, _LIBRARIES_FROM))
    logging.getLogger(_OWN).setLevel(wanted)
    fmt = ZoneFormatter(cfg.city.timezone, cfg.city.zone_label)
    handlers: list[logging.Handler] = []
    if console:
        handlers.append(logging.StreamHandler())
    path: Path | None = data_dir(cfg) / "logs" / f"{command}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                             encoding="utf-8"))
    except OSError as exc:
        path = None
        logging.getLogger(__name__).warning("cannot write a log file: %s", exc)
    for h in handlers:
        h.setFormatter(fmt)
        setattr(h, _HANDLER_TAG, True)
        root.addHandler(h)
    return path


def teardown() -> None:
    """Remove the handlers `setup` added and restore the levels (end of a command)."""
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, _HANDLER_TAG, False)]:
        root.removeHandler(h)
        h.close()
    if _saved:
        root.setLevel(_saved.pop("root"))
        logging.getLogger(_OWN).setLevel(_saved.pop("own"))


_saved: dict[str, int] = {}
