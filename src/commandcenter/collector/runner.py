"""One run of one source: fetch with retries, check the samples, write them, record the run.

A run ends ok, partial (some records rejected), nodata, or failed. A failed run writes
nothing, so the wall keeps the last good values; the run record says why, without secrets.

A source polled every few seconds mostly answers what it answered last time. For connectors that
fingerprint their raw answer (http_json), the collector remembers, per source and in memory only,
the fingerprint and outcome of the last answer it committed; when the next answer has the same
fingerprint the connector skips parsing it and the run is recorded as a repeat of that outcome
(Cache.record_repeat: the run record alone). Its "last success" moves on, nothing else is written.
"""

from __future__ import annotations

import logging
import threading
import traceback
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from commandcenter.cache.records import RunRecord, Sample
from commandcenter.config.errors import SecretMissing
from commandcenter.config.schema import Source
from commandcenter.errors import CacheDamaged
from commandcenter.sources import registry
from commandcenter.sources.base import FetchContext, FetchResult, SourceError

from commandcenter.collector.events import RunFinished

log = logging.getLogger("commandcenter.collector")
MAX_MESSAGE = 600
MAX_BACKOFF = 30.0
CANCELLED = "cancelled: the collector stopped during the run (nothing written)"
REPEAT_LOG_EVERY = 300.0  # s: unchanged answers are logged at INFO this often (else DEBUG)


@dataclass
class RunSettings:
    data_dir: Path
    environ: Mapping[str, str] | None = None
    backoff: float = 1.0  # first retry waits this long, then doubles
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] | None = None  # None: wait on `stop`, so a stop ends a backoff
    stop: threading.Event = field(default_factory=threading.Event)
    claim: Callable[[str], bool] = lambda source_id: True  # False: stop() already recorded this run
    # per source id: the last answer this process committed (see Known); lost on restart, which
    # then reads the first answer in full
    known: dict[str, "Known"] = field(default_factory=dict)
    # per source id: its options validated for the config object they were read with (pydantic
    # validation of every option at every run cost a polling collector ~0.1 ms a run)
    options: dict[str, tuple[Source, Any]] = field(default_factory=dict)

    def pause(self, seconds: float) -> None:
        if self.sleep is not None:
            self.sleep(seconds)
        else:
            self.stop.wait(seconds)


@dataclass(frozen=True)
class Known:
    """The last answer of a source this process committed, and the run recorded on it."""

    source: Source  # the config it was read with: a source changed in the config reads afresh
    fingerprint: str
    run: RunRecord  # the newest run recorded on this answer; its id is what record_repeat checks
    metrics: tuple[str, ...]
    rejected: tuple[str, ...]
    logged_at: float = 0.0  # when a run on this answer was last logged at INFO
    repeats: int = 0  # repeats logged at DEBUG since then


def run_source(cfg: Any, cache: Any, src: Source, settings: RunSettings) -> RunFinished:
    started = settings.clock()
    known = settings.known.get(src.id)
    if known is not None and known.source is not src:
        known = None
    ctx = _context(cfg, cache, src, settings, started, known.fingerprint if known is not None else None)
    attempts, result, error = _fetch_with_retries(src, ctx, settings)
    finished = settings.clock()
    if not settings.claim(src.id):  # stop() gave up waiting and recorded this run as cancelled
        times = _times(src, started, finished, attempts)
        return RunFinished(run=RunRecord(status="cancelled", message=CANCELLED, **times))
    if result is not None and result.unchanged and known is not None and not settings.stop.is_set():
        repeat = _repeat(cache, src, settings, known, _times(src, started, finished, attempts))
        if repeat is not None:
            return repeat
        # another run of the source was recorded since ours (another process, or the cache was
        # restored from a copy): the cache may not hold this answer, so read it again in full
        ctx.fingerprint = None
        more, result, error = _fetch_with_retries(src, ctx, settings)
        attempts, finished = attempts + more, settings.clock()
    # whatever this run records, the next one is no repeat of an earlier answer
    settings.known.pop(src.id, None)
    base = _times(src, started, finished, attempts)
    if settings.stop.is_set():
        return _record(cache, RunRecord(status="cancelled", message=CANCELLED, **base))
    if error is not None:
        return _record(cache, RunRecord(status="failed", message=_cut(ctx.redact(error)), **base))
    assert result is not None
    samples, rejected = _screen(cfg, src, result)
    status, message = _verdict(result, samples, rejected)
    if status == "failed":
        return _record(cache, RunRecord(status="failed", message=_cut(ctx.redact(message)),
                                        rejected=len(rejected), **base), rejected=rejected, ctx=ctx)
    run = RunRecord(status=status, message=_cut(ctx.redact(message)), rows=len(samples),
                    rejected=len(rejected), **base)
    # values, checkpoints and run record in one transaction: the wall sees the whole run or none
    # of it, and a crash re-imports rather than skips
    run_id, written = cache.commit_run(run, samples, known_at=finished, checkpoints=result.checkpoints)
    _write_notes(cache, src.id, samples, finished, cfg.city.timezone)  # the OPDs' causes (note_field)
    metrics = tuple(sorted({s.metric for s in samples}))
    event = _record(cache, run, written, metrics, rejected, ctx, run_id=run_id)
    if result.fingerprint and not result.checkpoints and _settled(samples, ctx.now):
        # committed: from now on the same answer needs no parsing and no writing
        settings.known[src.id] = Known(src, result.fingerprint, event.run, metrics, event.rejected, finished)
    return event


def _times(src: Source, started: float, finished: float, attempts: int) -> dict[str, Any]:
    return dict(source=src.id, started_at=started, finished_at=finished, attempts=attempts,
                latency_ms=round((finished - started) * 1000, 1))


def _settled(samples: list[Sample], now: float) -> bool:
    """Whether writing these samples again later would change nothing in the cache. Not so for
    a value stamped with the fetch time (a record without a date) or one of a period still
    running (bulan berjalan), whose as-of instant ("per today") moves on with every poll; both
    lie at or after the fetch's second, every other value before it."""
    second = int(now)
    return all(s.ts < second for s in samples)


def _repeat(cache: Any, src: Source, settings: RunSettings, known: Known,
            base: dict[str, Any]) -> RunFinished | None:
    """The same answer as the run `known.run`: the same outcome, recorded alone; None when that
    run is no longer the source's newest."""
    last = known.run
    run = RunRecord(status=last.status, message=last.message, rows=last.rows, rejected=last.rejected, **base)
    run_id = cache.record_repeat(run, after=last.id)
    if run_id is None:
        return None
    run = _with_id(run, run_id)
    logged_at, repeats = known.logged_at, known.repeats + 1
    if run.finished_at - logged_at >= REPEAT_LOG_EVERY:  # the log still shows the source is polled
        log.info("source %s: %s in %.0f ms: %s (the same answer, %d runs in the last %.0f s)", run.source,
                 run.status, run.latency_ms, run.message, repeats, run.finished_at - logged_at)
        logged_at, repeats = run.finished_at, 0
    else:  # a line per unchanged poll (120 a minute for 10 sources every 5 s) tells nothing new
        log.debug("source %s: %s in %.0f ms (the same answer as the last run)", run.source, run.status,
                  run.latency_ms)
    settings.known[src.id] = Known(src, known.fingerprint, run, known.metrics, known.rejected, logged_at, repeats)
    return RunFinished(run=run, written=0, metrics=known.metrics, rejected=known.rejected)


def _context(cfg: Any, cache: Any, src: Source, settings: RunSettings, now: float,
             fingerprint: str | None = None) -> FetchContext:
    checked = settings.options.get(src.id)
    if checked is None or checked[0] is not src:  # new, or the config was reloaded
        checked = settings.options[src.id] = (src, registry.get(src.type).Options.model_validate(src.options))
    return FetchContext(
        source_id=src.id,
        options=checked[1],
        timeout=src.timeout,
        tz=ZoneInfo(cfg.city.timezone),
        now=now,
        data_dir=settings.data_dir,
        config_root=Path(cfg.root),
        get_checkpoint=lambda key: cache.get_checkpoint(src.id, key),
        environ=settings.environ,
        cancelled=settings.stop.is_set,
        fingerprint=fingerprint,
    )


def _fetch_with_retries(src: Source, ctx: FetchContext,
                        settings: RunSettings) -> tuple[int, FetchResult | None, str | None]:
    connector = registry.get(src.type)()
    attempt = 0
    while True:
        attempt += 1
        try:
            return attempt, connector.fetch(ctx), None
        except SourceError as exc:
            if not exc.retryable or attempt > src.retries:
                suffix = f" (after {attempt} attempts)" if attempt > 1 else ""
                return attempt, None, exc.reason + suffix
            wait = min(MAX_BACKOFF, settings.backoff * 2 ** (attempt - 1))
            log.info("source %s: %s; retry %d in %.1f s", src.id, ctx.redact(exc.reason), attempt, wait)
            settings.pause(wait)
            if settings.stop.is_set():
                return attempt, None, exc.reason
        except SecretMissing as exc:
            return attempt, None, f"secret missing: {exc}"
        except CacheDamaged:
            raise  # not the source's fault: the collector stops and says so
        except Exception as exc:  # a connector bug must not stop the collector; keep the trace in the log
            # the trace may quote a URL or header with a resolved secret: redact it as a whole
            log.error("source %s: connector crashed\n%s", src.id, ctx.redact(traceback.format_exc()))
            return attempt, None, ctx.redact(f"internal error: {type(exc).__name__}: {exc}")


def _screen(cfg: Any, src: Source, result: FetchResult) -> tuple[list[Sample], list[str]]:
    """Keep samples of the source's own metrics for known OPDs; reject the rest with a reason."""
    allowed = set(src.metrics)
    good: list[Sample] = []
    rejected = list(result.rejected)
    for s in result.samples:
        if s.metric not in allowed:
            rejected.append(f"metric {s.metric!r} is not in this source's metrics list")
        elif s.opd and s.opd not in cfg.opd_by_code:
            rejected.append(f"unknown OPD code {s.opd!r} (metric {s.metric})")
        else:
            good.append(s)
    return good, rejected


def _verdict(result: FetchResult, samples: list[Sample], rejected: list[str]) -> tuple[str, str]:
    if not samples and not rejected:
        if result.nodata:
            return "nodata", result.message or "no new data"
        return "failed", "mapping matched nothing: the source returned no values"
    if not samples:
        return "failed", f"all {len(rejected)} records rejected: " + _reasons(rejected)
    head = f"{len(samples)} values" + (f"; {result.message}" if result.message else "")
    if rejected:
        return "partial", f"{head}; {len(rejected)} rejected: " + _reasons(rejected)
    return "ok", head


def _reasons(rejected: list[str], show: int = 3) -> str:
    more = f" (+{len(rejected) - show} more: `commandcenter status` lists all)" if len(rejected) > show else ""
    return "; ".join(rejected[:show]) + more


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def _record(cache: Any, run: RunRecord, written: int = 0, metrics: tuple[str, ...] = (),
            rejected: list[str] | None = None, ctx: FetchContext | None = None,
            run_id: int | None = None) -> RunFinished:
    if run_id is None:
        run_id = cache.record_run(run)
    reasons = tuple(ctx.redact(r) for r in rejected or []) if ctx else ()
    cache.set_rejections(run.source, reasons, run_id)  # all of them, for `status` and the console
    level = logging.WARNING if run.status == "failed" else logging.INFO
    log.log(level, "source %s: %s in %.0f ms: %s", run.source, run.status, run.latency_ms, run.message)
    return RunFinished(run=_with_id(run, run_id), written=written, metrics=metrics, rejected=reasons)


def _with_id(run: RunRecord, run_id: int) -> RunRecord:
    from dataclasses import replace

    return replace(run, id=run_id)


def _write_notes(cache: Any, source: str, samples: list[Any], now: float, tz: str) -> None:
    """Causes a source carries (mapping `note_field`), kept per OPD and period in the cache; a
    value without a period label notes the month its date falls in."""
    from datetime import datetime

    notes = [(s.opd, s.period or datetime.fromtimestamp(s.ts - 1, ZoneInfo(tz)).strftime("%Y-%m"), s.note)
             for s in samples if getattr(s, "note", "")]
    if notes and hasattr(cache, "write_notes"):
        cache.write_notes(source, notes, now=now)
