"""Events the collector delivers to subscribers, on its worker threads (the UI bridges them to Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commandcenter.cache.records import RunRecord


@dataclass(frozen=True)
class RunStarted:
    source: str
    started_at: float


@dataclass(frozen=True)
class RunFinished:
    run: RunRecord
    written: int = 0  # new rows in the cache (0 when every value was already known)
    metrics: tuple[str, ...] = ()  # metrics the run delivered values for
    rejected: tuple[str, ...] = field(default_factory=tuple)  # reasons, already redacted

    @property
    def source(self) -> str:
        return self.run.source


Event = RunStarted | RunFinished
