"""The collector: department sources polled on a schedule into the cache (no Qt here)."""

from commandcenter.collector.core import Collector, data_dir_for
from commandcenter.collector.events import RunFinished, RunStarted

__all__ = ["Collector", "RunFinished", "RunStarted", "data_dir_for"]
