"""Start-up helpers shared by the commands: load the config or report its errors, open the cache.
Qt-free, so the headless collector and the scoring report can use them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def load_or_report(config_dir: str | None, stream: Any = None, check_secrets: bool = False) -> Any:
    """Load the city config; on errors print them one per line and return None (caller exits 2).

    Secrets (`${ENV}` in sources) are checked only by the commands that fetch (`validate`,
    `collect`, `demo`): a wall PC need not hold every department's token. Likewise only they
    parse a sql source's query (the collector parses it again before each run)."""
    from commandcenter.config import ConfigError, load_config
    from commandcenter.config.loader import default_config_dir
    from commandcenter.checks.config_check import check_apps
    from commandcenter.sources.checks import check_source_shapes, check_sources

    path = config_dir or str(default_config_dir())
    try:
        sources = check_sources if check_secrets else check_source_shapes
        return load_config(path, check_secrets=check_secrets, checks=[sources, check_apps])
    except ConfigError as exc:
        out = stream or sys.stderr
        for issue in exc.issues:
            print(issue, file=out)
        print(f"{len(exc.issues)} problem(s) in {path}", file=out)
        return None


def db_url(args: argparse.Namespace) -> str | None:
    """--db, else COMMANDCENTER_DB; `${ENV}` references in it resolved (a password stays out of
    shell history and unit files). An unset variable is named in one line and exits 2."""
    from commandcenter.config import secrets
    from commandcenter.config.errors import SecretMissing

    raw = getattr(args, "db", None) or os.environ.get("COMMANDCENTER_DB") or None
    if raw is None:
        return None
    try:
        return secrets.resolve(raw)
    except SecretMissing as exc:
        print(f"commandcenter: --db: {exc} (referenced as ${{{exc.name}}})", file=sys.stderr)
        raise SystemExit(2) from None


def cache_url(args: argparse.Namespace, cfg: Any) -> str | None:
    """--db, else COMMANDCENTER_DB, else city.yaml's data_dir; None: the per-user SQLite file."""
    url = db_url(args)
    if url is None and cfg.city.data_dir:
        url = f"sqlite:///{cfg.resolve_path(cfg.city.data_dir) / 'cache.sqlite'}"
    return url


def open_cache(args: argparse.Namespace, cfg: Any) -> Any:
    """Open (and migrate) the cache; when it cannot be opened, say why in one line and exit 1."""
    from commandcenter.cache import Cache
    from commandcenter.errors import CacheDamaged

    url = cache_url(args, cfg)
    try:
        return Cache.open(url, city=cfg.city_key, tz=cfg.city.timezone)
    except CacheDamaged as exc:
        print(f"commandcenter: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except Exception as exc:  # unreachable server, bad URL, unwritable folder: no traceback
        print(f"commandcenter: cannot open the cache {_safe(url)}: {type(exc).__name__}: {_first_line(exc)}",
              file=sys.stderr)
        raise SystemExit(1) from None


def _safe(url: str | None) -> str:
    if url is None:
        return "(per-user SQLite file)"
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable URL)"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else ""


STOP_DEADLINE = 9.0  # seconds from SIGTERM/SIGINT to the end of the process, whatever still runs


@contextmanager
def stop_signals(request: Callable[[], None], deadline: float = STOP_DEADLINE) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM call `request()` (the program winds down in its own way)
    and arm a watchdog that ends the process `deadline` seconds later if it has not ended by then:
    a thread blocked in a driver or a stuck clean-up cannot keep a service from stopping (systemd
    would wait for SIGKILL). Outside the main thread it does nothing (signals reach only that)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: Any) -> None:
        _arm_watchdog(deadline)
        request()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


_armed: list[bool] = []


def _arm_watchdog(deadline: float) -> None:
    import threading
    import time

    if _armed:
        return
    _armed.append(True)

    def end() -> None:
        time.sleep(deadline)
        print(f"commandcenter: still running {deadline:g} s after the stop signal; ending now", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    threading.Thread(target=end, name="stop-watchdog", daemon=True).start()


def leave_blocked_threads(code: int, out: Any = None) -> None:
    """After a stop: a worker blocked in a driver call (a database that does not answer) would keep
    the process alive, since Python's exit joins every thread-pool worker, daemon or not; its run
    is already recorded as cancelled, so end the process here."""
    import threading

    stuck = [t for t in threading.enumerate() if t.is_alive() and t is not threading.main_thread()
             and t.name != "stop-watchdog"]
    if stuck:
        print(f"leaving {len(stuck)} blocked worker thread(s) behind", file=out or sys.stderr, flush=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
