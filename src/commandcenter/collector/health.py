"""Source health: is each source delivering at its own rhythm? Pure: config + cache -> states.

- never-run: no run recorded
- failing: the last run failed
- ok / late / stale: age of the last delivery against the source's rhythm
  (late past 1.5x, stale past 3x). The rhythm is `expect_every`, else the schedule.

With an explicit `expect_every` the age counts from the last run that brought data (ok or
partial): a monthly Excel drop is late when no file arrived, however often the folder is
scanned. Without it, a "no new data" answer counts too, since all we know is that the source
should answer each poll.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from commandcenter.collector.timing import rhythm

State = Literal["ok", "late", "stale", "failing", "never-run"]
LATE, STALE = 1.5, 3.0


@dataclass(frozen=True)
class SourceHealth:
    source: str
    name: str
    opd: str
    state: State
    last_success: float | None
    last_run: float | None
    last_status: str | None
    last_error: str
    next_run: float | None = None
    rows: int = 0
    failures: int = 0
    expect_every: float = 0.0
    type: str = ""
    rejected: tuple[str, ...] = ()  # every rejection reason of the last run
    # the data's own age against the rhythm (ok/late/stale, never-run: no data yet), judged even
    # while the source fails: a wall keeps fresh values calm and shows old ones as old
    data_state: str = ""


def source_health(cfg: Any, cache: Any, now: float | None = None,
                  next_runs: dict[str, float] | None = None) -> list[SourceHealth]:
    """Health of every enabled source, in config order. `next_runs` comes from Collector.next_runs()."""
    now = time.time() if now is None else now
    tz = ZoneInfo(cfg.city.timezone)
    runs = cache.source_runs(as_of=now, sources=[s.id for s in cfg.sources if s.enabled])
    rejected = cache.rejections()
    out = []
    for src in cfg.sources:
        if src.enabled:
            h = _one(src, runs.get(src.id), cache, tz, now, (next_runs or {}).get(src.id))
            out.append(replace(h, rejected=tuple(rejected.get(src.id, ()))) if src.id in rejected else h)
    return out


def _one(src: Any, sr: Any, cache: Any, tz: ZoneInfo, now: float, next_run: float | None) -> SourceHealth:
    every = rhythm(src, tz)
    base = dict(source=src.id, name=src.name or src.id, opd=src.opd or "", next_run=next_run,
                expect_every=every, type=src.type)
    if sr is None or sr.last is None:
        return SourceHealth(state="never-run", last_success=None, last_run=None, last_status=None,
                            last_error="", data_state="never-run", **base)
    delivered = _last_delivery(src, sr, cache, now)
    last = sr.last
    error = last.message if last.status == "failed" else ""
    data_state = _freshness(now - delivered if delivered is not None else None, every)
    state: State = "failing" if last.status == "failed" else data_state
    if delivered is None and last.status == "failed":
        data_state = "never-run"
    good = sr.last_success
    return SourceHealth(state=state, last_success=delivered, last_run=last.finished_at, last_status=last.status,
                        last_error=error, rows=good.rows if good else 0, failures=sr.failures_since_success,
                        data_state=data_state, **base)


def _last_delivery(src: Any, sr: Any, cache: Any, now: float) -> float | None:
    good = sr.last_success
    if good is None:
        return None
    if good.status != "nodata" or not src.expect_every:
        return good.finished_at
    delivered = cache.last_run(src.id, statuses=("ok", "partial"), as_of=now)
    return delivered.finished_at if delivered is not None else None


def _freshness(age: float | None, every: float) -> State:
    if age is None:
        return "stale"  # answered, but never brought data
    if age > STALE * every:
        return "stale"
    if age > LATE * every:
        return "late"
    return "ok"
