"""The collector: department sources polled on a schedule into the cache (no Qt here).

The names below load on first use: the wall imports `collector.health` alone, and importing
the scheduler and its executors with it would cost the wall's start-up about 0.2 s."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"Collector": "core", "data_dir_for": "core", "RunFinished": "events", "RunStarted": "events"}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
