"""Start-up helpers shared by the commands: load the config or report its errors, open the cache.
Qt-free, so the headless collector and the scoring report can use them."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def load_or_report(config_dir: str | None, stream: Any = None) -> Any:
    """Load the city config; on errors print them one per line and return None (caller exits 2)."""
    from commandcenter.config import ConfigError, load_config
    from commandcenter.config.loader import default_config_dir

    path = config_dir or str(default_config_dir())
    try:
        return load_config(path)
    except ConfigError as exc:
        out = stream or sys.stderr
        for issue in exc.issues:
            print(issue, file=out)
        print(f"{len(exc.issues)} problem(s) in {path}", file=out)
        return None


def db_url(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None) or os.environ.get("COMMANDCENTER_DB") or None


def open_cache(args: argparse.Namespace, cfg: Any) -> Any:
    from commandcenter.cache import Cache

    url = db_url(args)
    if url is None and cfg.city.data_dir:
        url = f"sqlite:///{cfg.resolve_path(cfg.city.data_dir) / 'cache.sqlite'}"
    return Cache.open(url, city=cfg.city_key)
