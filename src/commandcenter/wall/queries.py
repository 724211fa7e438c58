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
from typing import Any
from zoneinfo import ZoneInfo

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
    def __init__(self, cfg: Any, cache: Any, as_of: float | None = None, lang: str = "id",
                 now: float | None = None, absolute_times: bool = False) -> None:
        self.cfg, self.cache, self.as_of, self.lang = cfg, cache, as_of, lang
        # paper and frozen walls: times as dates and clock times, never ages from the real clock
        self.absolute_times = absolute_times or as_of is not None
        self.now = as_of if as_of is not None else (now if now is not None else time.time())
        self.newest: float | None = None
        self._latest: dict[tuple[str, str | None], list[Any]] = {}
        self.health = _health(cfg, cache, self.now)
        self._health_by_source = {h.source: h for h in self.health}
        self.scoring = _scoring()

    # -- cached look-ups ------------------------------------------------------------------------
    def latest(self, metric: str, dim: str | None = "") -> list[Any]:
        key = (metric, dim)
        if key not in self._latest:
            rows = self.cache.latest(metric, dim=dim, as_of=self.as_of)
            self._latest[key] = rows
            for r in rows:
                at = _described_at(r)
                self.newest = at if self.newest is None else max(self.newest, at)
        return self._latest[key]

    def newest_for(self, metrics: list[str] | tuple[str, ...]) -> float | None:
        """The newest instant the values a panel shows describe ("Data per"): its own metrics
        only, so each panel's "as of" is honest even when other panels on the scene are fresher."""
        times = []
        for metric in dict.fromkeys(m for m in metrics if m):
            rows = [r for (mid, _dim), cached in self._latest.items() if mid == metric for r in cached]
            if not rows:
                rows = self.latest(metric, dim=None)
            times += [_described_at(r) for r in rows]
        return max(times, default=None)

    def value(self, metric: str, opd: str) -> Any | None:
        return next((r for r in self.latest(metric) if r.opd == opd), None)

    def series(self, metric: str, opd: str, start: float | None, end: float | None,
               bucket: int | None = None) -> Any:
        if bucket:  # a panel's `bucket:` option: the mean per bucket
            return self.cache.series(metric, opd, "", start=start, end=end, as_of=self.as_of, bucket=bucket)
        return self.cache.series(metric, opd, "", start=start, end=end, as_of=self.as_of)

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

    # -- labels ---------------------------------------------------------------------------------
    @property
    def tr_target(self) -> str:
        return "Target"

    @property
    def tr_plan(self) -> str:
        return "Rencana (kurva S)" if self.lang == "id" else "Plan (S-curve)"

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
                now: float | None = None, missing_monitors: int = 0, absolute_times: bool = False) -> m.SceneData:
    """Every panel's read model for a scene, plus header and footer. A panel whose query fails
    gets None (it keeps showing its last model) rather than sinking the whole scene."""
    _load_builders()
    reader = Reader(cfg, cache, as_of, lang, now, absolute_times)
    scene = scene_of(cfg, scene_id)
    if scene is None:
        raise KeyError(f"unknown scene {scene_id!r}")
    panels: dict[str, Any] = {}
    for p in scene.panels:
        fn = BUILDERS.get(p.type)
        try:
            panels[p.id] = fn(reader, p) if fn else None
        except CacheDamaged:
            raise  # the whole scene: one clear message, not one traceback per panel
        except Exception:
            log.exception("panel %s/%s: query failed", scene_id, p.id)
            panels[p.id] = None
    header = _header(reader, scene, as_of, missing_monitors)
    try:
        footer = _footer(reader)
    except CacheDamaged:
        raise
    except Exception:
        log.exception("footer: query failed")
        footer = m.FooterModel(demo=bool(cfg.city.demo))
    return m.SceneData(scene_id, header, footer, panels, built_at=reader.now)


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
    """Application incidents (wall/apps_queries.py); never sinks the footer."""
    try:
        from commandcenter.wall.apps_queries import ticker_items

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
