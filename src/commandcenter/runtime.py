"""Start-up helpers shared by the commands: load the config or report its errors, open the cache.
Qt-free, so the headless collector and the scoring report can use them."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def load_or_report(config_dir: str | None, stream: Any = None, check_secrets: bool = False) -> Any:
    """Load the city config; on errors print them one per line and return None (caller exits 2).

    Secrets (`${ENV}` in sources) are checked only by the commands that fetch (`validate`,
    `collect`, `demo`): a wall PC need not hold every department's token."""
    from commandcenter.config import ConfigError, load_config
    from commandcenter.config.loader import default_config_dir
    from commandcenter.checks.config_check import check_apps
    from commandcenter.sources.checks import check_sources

    path = config_dir or str(default_config_dir())
    try:
        return load_config(path, check_secrets=check_secrets, checks=[check_sources, check_apps])
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


def open_cache(args: argparse.Namespace, cfg: Any) -> Any:
    """Open (and migrate) the cache; when it cannot be opened, say why in one line and exit 1."""
    from commandcenter.cache import Cache

    url = db_url(args)
    if url is None and cfg.city.data_dir:
        url = f"sqlite:///{cfg.resolve_path(cfg.city.data_dir) / 'cache.sqlite'}"
    try:
        return Cache.open(url, city=cfg.city_key, tz=cfg.city.timezone)
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
