"""Build a scene's read models from the cache (runs on a worker thread; no Qt).

One `Reader` per refresh shares look-ups between panels (two KPI panels on the same metric cost
one query), remembers the newest data seen (for the header's "data as of") and knows each
source's health, so every panel can say how fresh its numbers are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter.cache.records import Changes
from commandcenter.errors import CacheDamaged
from commandcenter.wall import models as m
from commandcenter.wall.briefing import scene_of

log = logging.getLogger(__name__)
DAY = 86400.0
# Worst first: the state a panel shows when several sources feed it.
_SEVERITY = {"failing": 6, "never-run": 5, "stale": 4, m.TROUBLED: 3, "late": 2, "ok": 1, "": 0}
SPAN = {"instant": 30 * DAY, "day": 30 * DAY, "month": 400 * DAY, "quarter": 800 * DAY,
        "semester": 1100 * DAY, "year": 6 * 366 * DAY}


class Reader:
    """Reads sized to the scene: `prefetch` takes one snapshot of latest values for every metric the
    scene shows (scoring and rankings share it), and a recording pass of the builders collects
    their series requests so `fetch_series` reads them all in one or two statements."""

    def __init__(self, cfg: Any, cache: Any, as_of: float | None = None, lang: str = "id",
                 now: float | None = None, health: list[Any] | None = None,
                 absolute_times: bool = False, memo: Any = None) -> None:
        self.cfg, self.cache, self.as_of, self.lang = cfg, cache, as_of, lang
        self.memo = memo
        # paper and frozen walls: times as dates and clock times, never ages from the real clock
        self.absolute_times = absolute_times or as_of is not None
        self.now = as_of if as_of is not None else (now if now is not None else time.time())
        self.newest: float | None = None
        self._snap: dict[str, list[Any]] = {}
        self._latest: dict[tuple[str, str | None], list[Any]] = {}
        self.health = _health(cfg, cache, self.now) if health is None else health
        self._health_by_source = {h.source: h for h in self.health}
        self.scoring = _scoring()
        self.recording = False  # the first pass: series requests are noted, answered empty
        self._wanted: dict[tuple[Any, ...], None] = {}
        self._series: dict[tuple[Any, ...], Any] = {}

    # -- cached look-ups ------------------------------------------------------------------------
    def prefetch(self, metrics: Any) -> None:
        missing = sorted({m for m in metrics if m and m not in self._snap})
        if missing:
            self._snap.update(self.cache.latest_many(missing, as_of=self.as_of))

    def latest(self, metric: str, dim: str | None = "") -> list[Any]:
        key = (metric, dim)
        if key not in self._latest:
            self.prefetch([metric])
            rows = [v for v in self._snap.get(metric, []) if dim is None or v.dim == dim]
            self._latest[key] = rows
            for r in rows:
                at = _described_at(r)
                self.newest = at if self.newest is None else max(self.newest, at)
        return self._latest[key]

    def newest_for(self, metrics: list[str] | tuple[str, ...]) -> float | None:
        """The newest instant the values a panel shows describe ("Data per"): its own metrics
        only, so each panel's "as of" is honest even when other panels on the scene are fresher."""
        times = [_described_at(r) for metric in dict.fromkeys(m for m in metrics if m)
                 for r in self.latest(metric, dim=None)]
        return max(times, default=None)

    def value(self, metric: str, opd: str) -> Any | None:
        return next((r for r in self.latest(metric) if r.opd == opd), None)

    def series(self, metric: str, opd: str, start: float | None, end: float | None, bucket: int | None = None) -> Any:
        key = (metric, opd, "", None if start is None else int(start), None if end is None else int(end), bucket)
        if self.recording and key not in self._series:
            self._wanted[key] = None
            from commandcenter.cache.records import Series

            return Series(metric, opd, "", [], [])
        if key not in self._series:  # not asked in the recording pass: read alone
            self._series[key] = self.cache.series(metric, opd, "", start=start, end=end, as_of=self.as_of, bucket=bucket)
        return self._series[key]

    def wants(self) -> bool:
        return any(key not in self._series for key in self._wanted)

    def fetch_series(self) -> None:
        """Every series the recording pass asked for: one series_many per bucket size."""
        by_bucket: dict[int | None, list[tuple[Any, ...]]] = {}
        for key in self._wanted:
            if key not in self._series:
                by_bucket.setdefault(key[5], []).append(key)
        for bucket, keys in by_bucket.items():
            got = self.cache.series_many([k[:5] for k in keys], as_of=self.as_of, bucket=bucket,
                                         **({"memo": self.memo} if self.memo is not None and not bucket else {}))
            self._series.update(zip(keys, got))
        self._wanted.clear()

    def freshness(self, metrics: list[str]) -> str:
        """How a panel shows its data: judged by the data's age against the sources' rhythm, so a
        source failing for a few minutes keeps its panels calm ("troubled", with a small tag) and
        data past their rhythm dim ("stale") even while the source keeps failing."""
        found = [self._health_by_source[s.id] for mid in metrics for s in self.cfg.sources_for_metric(mid)
                 if s.id in self._health_by_source]
        if not found:
            return ""
        state = max((_panel_state(h) for h in found), key=lambda s: _SEVERITY.get(s, 0))
        delivered = [h.last_success for h in found if h.last_success is not None]
        return m.freshness_text(state, min(delivered) if delivered else None)

    def board(self) -> Any:
        """The OPD scoreboard as of this read, computed once per build from the build's snapshot
        of latest values (two score rankings and an OPD card on a scene score once)."""
        if not hasattr(self, "_board"):
            from commandcenter.scoring.periods import containing

            self._board = None
            if self.scoring is not None:
                scored = [mt.id for mt in self.cfg.metrics if mt.scored]
                self.prefetch(scored)
                # the month of this read's `now` (a test's or an export's clock), not the machine's
                period = containing(self.now, self.cfg.city.timezone, "month")
                self._board = self.scoring.evaluate(self.cfg, self.cache, as_of=self.as_of, period=period,
                                                    latest={mid: self.latest(mid, dim=None) for mid in scored})
        return self._board

    # -- labels ---------------------------------------------------------------------------------
    @property
    def tr_target(self) -> str:
        return "Target"

    @property
    def tr_plan(self) -> str:
        from commandcenter.i18n import tr

        return tr("Rencana (kurva S)", self.lang)

    def metric(self, metric_id: str | None) -> Any | None:
        return self.cfg.metric_by_id.get(metric_id) if metric_id else None

    def metric_label(self, metric_id: str | None) -> str:
        mt = self.metric(metric_id)
        if mt is None:
            return metric_id or ""
        if self.lang == "en" and getattr(mt, "name_en", None):
            return mt.name_en
        return mt.short or mt.name

    def opd_label(self, code: str) -> str:
        o = self.cfg.opd_by_code.get(code)
        return (o.short or o.name) if o is not None else code

    def title(self, panel: Any, fallback: str = "") -> str:
        if self.lang == "en" and panel.title_en:
            return panel.title_en
        return panel.title or fallback or self.metric_label(panel.metric or (panel.metrics or [None])[0])

    def status(self, metric: str, opd: str, value: float | None, ts: float | None,
               as_of: float | None = None) -> Any | None:
        """scoring.kpi_status at the value's own as-of, or None while scoring is unavailable (the
        panel shows no colour)."""
        if self.scoring is None or value is None or ts is None:
            return None
        try:
            return self.scoring.kpi_status(self.cfg, metric, value, ts, opd=opd, now=self.now, as_of=as_of)
        except Exception:  # a KPI the scorer cannot judge still shows its number
            log.debug("kpi_status failed for %s/%s", metric, opd, exc_info=True)
            return None

    def target_at(self, metric_id: str, opd: str, position: float) -> float | None:
        try:
            from commandcenter.scoring.targets import target_at

            return target_at(self.metric(metric_id), opd, position)
        except Exception:
            return None

    def year_of(self, ts: float) -> int:
        return datetime.fromtimestamp(ts, ZoneInfo(self.cfg.city.timezone)).year


def _panel_state(h: Any) -> str:
    if h.state != "failing":
        return h.state
    data = getattr(h, "data_state", "") or "stale"
    return data if data in ("stale", "never-run") else m.TROUBLED


def _described_at(v: Any) -> float:
    """A LatestValue's as-of instant (a running month: when it was reported, not its month's end)."""
    at = getattr(v, "described_at", None)
    return float(at) if at is not None else float(v.ts)


def _health(cfg: Any, cache: Any, now: float) -> list[Any]:
    try:
        from commandcenter.collector.health import source_health
    except ImportError:
        return []
    try:
        return source_health(cfg, cache, now=now)
    except Exception:
        log.warning("source health unavailable", exc_info=True)
        return []


def _scoring() -> Any | None:
    try:
        import commandcenter.scoring as scoring
    except ImportError:
        return None
    return scoring


# -- the scene ------------------------------------------------------------------------------------
Builder = Callable[[Reader, Any], Any]
BUILDERS: dict[str, Builder] = {}


def builder(kind: str) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        BUILDERS[kind] = fn
        return fn

    return deco


def _load_builders() -> None:
    """Import each panel kind's builder module (named in the panel registry); they register here."""
    import importlib

    from commandcenter.config import panels

    for kind in panels.all_kinds():
        if kind.name not in BUILDERS:
            importlib.import_module(kind.builder)


def build_scene(cfg: Any, cache: Any, scene_id: str, as_of: float | None = None, lang: str = "id",
                now: float | None = None, missing_monitors: int = 0, changes: Any = None,
                previous: m.SceneData | None = None, ages: bool = False, absolute_times: bool = False) -> m.SceneData:
    """Every panel's read model for a scene, plus header and footer. A panel whose query fails
    gets None (it keeps showing its last model) rather than sinking the whole scene.

    With `changes` (cache Changes since `previous` was read) only the panels they touch are read
    and rebuilt; the others keep their models from `previous`. The statements do not grow with
    the number of panels or OPDs: one snapshot of latest values, one or two series reads, the
    sources' runs, the alerts (see benchmarks/workload.py, statements per scene build)."""
    _load_builders()

    scene = scene_of(cfg, scene_id)
    if scene is None:
        raise KeyError(f"unknown scene {scene_id!r}")
    same = previous is not None and previous.scene == scene_id and as_of is None
    health = None
    if ages and same:  # the clock moved: which sources changed state since the last read?
        health = _health(cfg, cache, time.time() if now is None else now)
        before = {h.source: h.state for h in (previous.health or [])}
        moved = frozenset(h.source for h in health if before.get(h.source) != h.state)
        changes = Changes.merge(changes, Changes(sources=moved, ages=True))
    partial = changes is not None and same and not changes.everything
    todo = [p for p in scene.panels if not partial or panel_touched(cfg, p, changes)]
    if health is None and partial and not changes.sources:
        health = previous.health  # no source changed state: its health read stands
    reader = Reader(cfg, cache, as_of, lang, now, health=health, absolute_times=absolute_times,
                    memo=_memo(previous if same else None, as_of))
    reader.prefetch({mid for p in todo for mid in panel_metrics(cfg, p)})
    panels: dict[str, Any] = dict(previous.panels) if partial else {}
    for _round in range(3):  # recording passes: what series do the builders want? A request that
        reader.recording = True  # depends on an answer (a KPI's previous period) shows up next round
        for p in todo:
            fn = BUILDERS.get(p.type)
            try:
                if fn:
                    fn(reader, p)
            except Exception:
                log.debug("panel %s/%s: recording pass failed", scene_id, p.id, exc_info=True)
        reader.recording = False
        if not reader.wants():
            break
        reader.fetch_series()
    for p in todo:
        fn = BUILDERS.get(p.type)
        try:
            panels[p.id] = fn(reader, p) if fn else None
        except CacheDamaged:
            raise  # the whole scene: one clear message, not one traceback per panel
        except Exception:
            log.exception("panel %s/%s: query failed", scene_id, p.id)
            panels[p.id] = previous.panels.get(p.id) if partial else None
    header = _header(reader, scene, as_of, missing_monitors)
    if partial and previous.header.newest_data is not None:
        newest = max(previous.header.newest_data, reader.newest or previous.header.newest_data)
        header = replace(header, newest_data=newest)
    if partial and not changes.alerts and not changes.sources:
        footer = previous.footer  # its ticker names alerts and sources in trouble only
    else:
        try:
            footer = _footer(reader)
        except CacheDamaged:
            raise
        except Exception:
            log.exception("footer: query failed")
            footer = m.FooterModel(demo=bool(cfg.city.demo))
    return m.SceneData(scene_id, header, footer, panels, built_at=reader.now,
                       rebuilt=frozenset(p.id for p in todo) if partial else None, health=reader.health,
                       memo=reader.memo)


def _memo(previous: m.SceneData | None, as_of: float | None) -> Any:
    """Live builds of one scene share a series memo (only what was written since is read);
    frozen and paper reads read whole."""
    if as_of is not None:
        return None
    if previous is not None and previous.memo is not None:
        return previous.memo
    from commandcenter.cache.history import SeriesMemo

    return SeriesMemo()


def panel_metrics(cfg: Any, p: Any) -> list[str]:
    """The metrics a panel reads: its own, a progress panel's defaults, a score ranking's KPIs."""
    if p.type == "ranking" and p.options.get("score"):
        return [mt.id for mt in cfg.metrics if mt.scored]
    if p.type == "progress":
        return p.all_metrics() or ["realisasi_fisik", "serapan_keuangan"]
    return p.all_metrics()


def panel_touched(cfg: Any, p: Any, changes: Any) -> bool:
    """Does a change (new values of a metric for an OPD, a source's status) reach this panel?"""
    if p.type == "health":
        return bool(changes.sources) or changes.ages  # "last success" ages move with the clock
    mids = set(panel_metrics(cfg, p))
    if not mids:
        return False
    if any(s.id in changes.sources for mid in mids for s in cfg.sources_for_metric(mid)):
        return True  # its freshness badge may change
    hit = mids & changes.metrics
    if not hit:
        return False
    if p.type in ("kpi", "timeseries") and p.opd:
        return any((mid, p.opd) in changes.pairs for mid in hit)
    return True


def _header(r: Reader, scene: Any, as_of: float | None, missing: int) -> m.HeaderModel:
    title = scene.title_en if r.lang == "en" and scene.title_en else scene.title
    ok = sum(1 for h in r.health if h.state == "ok")
    return m.HeaderModel(city=r.cfg.city.name, scene_title=title, logo=r.cfg.city.logo, newest_data=r.newest,
                         sources_ok=ok, sources_total=len(r.health), demo=r.cfg.city.demo, frozen_at=as_of,
                         missing_monitors=missing)


def _footer(r: Reader) -> m.FooterModel:
    items: list[m.TickerItem] = []
    try:
        alerts = r.cache.alerts(as_of=r.as_of)
    except Exception:
        alerts = []
    order = {"critical": 0, "warning": 1, "info": 2}
    firing = [a for a in alerts if a.state == "firing"]  # an acknowledged alert leaves the ticker
    for a in sorted(firing, key=lambda a: (order.get(a.severity, 3), -a.fired_at))[:12]:
        items.append(m.TickerItem(a.message, a.severity, "alert"))
    for h in r.health:
        if h.state in ("failing", "stale", "late"):
            items.append(m.TickerItem(h.name, "warning", "source-" + h.state))
    items += _app_items(r, {a.key for a in alerts})
    for text in _announcements(r.cfg):
        items.append(m.TickerItem(text, "info", "announcement"))
    return m.FooterModel(tuple(items), demo=bool(r.cfg.city.demo))


def _app_items(r: Reader, alert_keys: set[str]) -> list[m.TickerItem]:
    """Application incidents (wall/apps_ticker.py); never sinks the footer."""
    try:
        from commandcenter.wall.apps_ticker import ticker_items

        return ticker_items(r, alert_keys)
    except Exception:
        log.exception("footer: application incidents failed")
        return []


def _announcements(cfg: Any) -> list[str]:
    extra = cfg.extra.get("announcements") if isinstance(cfg.extra, dict) else None
    items = getattr(extra, "items", None) or (extra.get("announcements") if isinstance(extra, dict) else None) or []
    out = []
    for it in items:
        text = it.get("text") if isinstance(it, dict) else getattr(it, "text", it)
        if isinstance(text, str) and text:
            out.append(text)
    return out
