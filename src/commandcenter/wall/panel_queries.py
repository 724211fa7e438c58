"""Read-model builders, one per panel type (registered in `queries.BUILDERS`)."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter import fmt
from commandcenter.config.panels import options as panel_options
from commandcenter.config.panels.timeseries import BUCKETS, WINDOWS
from commandcenter.i18n import tr
from commandcenter.wall import behind
from commandcenter.wall import models as m
from commandcenter.wall.queries import DAY, SPAN, Reader, builder


# -- kpi ------------------------------------------------------------------------------------------
@builder("kpi")
def kpi(r: Reader, p: Any) -> m.KpiModel:
    mt = r.metric(p.metric)
    opd = p.opd or ""
    base = dict(metric=p.metric or "", opd=opd, title=_kpi_title(r, p), unit=getattr(mt, "unit", "count"),
                freshness=r.freshness([p.metric] if p.metric else []), direction=getattr(mt, "direction", "higher"))
    base["decimals"] = getattr(mt, "decimals", None)
    base["cumulative"] = bool(getattr(mt, "cumulative", False))
    lv = r.value(p.metric, opd) if p.metric else None
    if lv is None:
        return m.KpiModel(status="no-data", **base)
    s = r.series(p.metric, opd, lv.ts - _KPI_SPAN.get(getattr(mt, "period", "month"), 400 * DAY), lv.ts)
    values = list(s.values) or [lv.value]
    res = r.status(p.metric, opd, lv.value, lv.ts, lv.described_at)
    judged = res is not None and (res.target is not None or res.band is not None or res.status == "stale")
    return m.KpiModel(
        value=lv.value, ts=lv.ts, known_at=lv.known_at, period=lv.period, as_of=lv.described_at,
        period_kind=lv.period_kind, running=lv.running, compare=lv.period_kind,
        target=getattr(res, "target", None), band=getattr(res, "band", None),
        achievement=getattr(res, "achievement", None), status=res.status if judged else "",
        previous=_previous_value(r, lv, s), spark=tuple(values[-24:]), **base)


def _previous_value(r: Reader, lv: Any, s: Any) -> float | None:
    """The value of the period just before the latest one (like with like): none when a month is
    missing, or across a year boundary for a year-to-date value."""
    if len(s.ts) < 2 or s.ts[-1] != lv.ts:
        return None
    if lv.period_kind == "instant":
        return s.values[-2]
    if abs(s.ts[-2] - (lv.period_start - 1)) > 1:
        return None  # not the adjacent period
    mt = r.metric(lv.metric)
    if getattr(mt, "cumulative", False) and r.year_of(s.ts[-2]) != r.year_of(lv.ts):
        return None
    return s.values[-2]


# the sparkline's 24 points and the previous value: two hours of instant data are plenty (a day
# of minute data would be 1440 points read for 24)
_KPI_SPAN = {**SPAN, "instant": 2 * 3600.0}


def _kpi_title(r: Reader, p: Any) -> str:
    title = r.title(p)
    if p.opd and not p.title:
        title = f"{title} · {r.opd_label(p.opd)}"
    return title


# -- timeseries -----------------------------------------------------------------------------------
@builder("timeseries")
def timeseries(r: Reader, p: Any) -> m.TimeseriesModel:
    metrics = p.all_metrics()
    first = r.metric(metrics[0]) if metrics else None
    opd = p.opd or ""
    lines = _series_lines(r, p, metrics, opd)
    end = max((ln.ts[-1] for ln in lines if ln.ts), default=r.now)
    x0, x1 = _x_range(r, first, end, panel_options(p).window)
    targets = _target_lines(r, metrics, opd, x0, x1) if first is not None and first.cumulative else ()
    band = getattr(getattr(first, "target", None), "band", None)
    band_t = (band.low, band.high) if band is not None else None
    const = getattr(getattr(first, "target", None), "value", None)
    if const is not None and not targets:
        targets = (m.Line(r.tr_target, (x0, x1), (float(const), float(const)), dashed=True),)
    y_range = _y_range(getattr(first, "unit", ""), lines, targets, band_t)
    monthly = getattr(first, "period", "") in ("month", "quarter", "semester", "year")
    return m.TimeseriesModel(r.title(p), getattr(first, "unit", ""), tuple(lines), tuple(targets), band_t,
                             (x0, x1), y_range, r.newest_for(metrics), r.freshness(metrics),
                             getattr(first, "decimals", None), monthly)


def _series_lines(r: Reader, p: Any, metrics: list[str], opd: str) -> list[m.Line]:
    mt = r.metric(metrics[0]) if metrics else None
    opts = panel_options(p)
    span = _window(opts.window, mt)
    start = r.now - span * 1.2  # read only what the axis shows
    bucket = None if opts.bucket == "raw" else BUCKETS.get(opts.bucket) or (
        history_bucket(span, getattr(mt, "period", "month")) if opts.bucket == "auto" else None)
    if len(metrics) == 1 and isinstance(p.opds, list) and not p.opd:
        pairs = [(metrics[0], o, r.opd_label(o)) for o in p.opds]
    else:
        pairs = [(mid, opd, r.metric_label(mid)) for mid in metrics]
    out = []
    for mid, o, label in pairs:
        s = r.series(mid, o, start, None, bucket)  # bucket: the panel's option (None = every value)
        # each value is drawn at the instant it describes: a closed month at its end, the running
        # month at its report time, never past now
        at = s.as_of if len(s.as_of) == len(s.ts) else s.ts
        if not s.ts or s.ts[-1] <= r.now:  # mapped in C: a 24 h chart has 1440 points a line
            xs = tuple(map(float, map(min, at, s.ts)))
        else:
            xs = tuple(float(min(a, t, r.now)) for a, t in zip(at, s.ts))
        running = bool(s.ts) and len(s.as_of) == len(s.ts) and s.as_of[-1] < s.ts[-1]
        out.append(m.Line(label, xs, tuple(s.values), running=running))
    if (r.metric(metrics[0]) if metrics else None) is not None and r.metric(metrics[0]).cumulative:
        year = r.year_of(max((ln.ts[-1] for ln in out if ln.ts), default=r.now))
        out = [_this_year(r, ln, year) for ln in out]
    return out


def _this_year(r: Reader, ln: m.Line, year: int) -> m.Line:
    keep = [(t, v) for t, v in zip(ln.ts, ln.values) if r.year_of(t - 1) == year]
    return m.Line(ln.label, tuple(t for t, _ in keep), tuple(v for _, v in keep), ln.dashed, ln.running)


def _window(window: str, metric: Any) -> float:
    """The span a chart reads: its `window` option, else what the metric's period calls for."""
    if window in WINDOWS:
        return WINDOWS[window]
    span = SPAN.get(getattr(metric, "period", "month"), 400 * DAY)
    return min(span, 30 * DAY) if getattr(metric, "period", "") in ("instant", "day") else span


def history_bucket(span: float, period: str) -> int | None:
    """`bucket: auto`: raw points for short windows and for periodic values (a few a year, each
    placed at its period); for long windows of instant or daily data, hourly or daily means from
    the rollups."""
    if period not in ("instant", "day") or span <= 3 * DAY:
        return None
    return 3600 if span <= 60 * DAY else 86400


def _x_range(r: Reader, metric: Any, end: float, window: str = "auto") -> tuple[float, float]:
    tz = ZoneInfo(r.cfg.city.timezone)
    if window in WINDOWS:
        return end - WINDOWS[window], end
    if window == "year" or (window == "auto" and metric is not None and metric.cumulative):
        year = r.year_of(end - 1)
        return datetime(year, 1, 1, tzinfo=tz).timestamp(), datetime(year + 1, 1, 1, tzinfo=tz).timestamp()
    span = SPAN.get(getattr(metric, "period", "day"), 30 * DAY)
    span = min(span, 30 * DAY) if getattr(metric, "period", "") in ("instant", "day") else span
    return end - span, end


def _target_lines(r: Reader, metrics: list[str], opd: str, x0: float, x1: float) -> tuple[m.Line, ...]:
    tz = ZoneInfo(r.cfg.city.timezone)
    year = datetime.fromtimestamp(x0 + DAY, tz).year
    ts = [datetime(year, 1, 1, tzinfo=tz).timestamp()] + [_month_end(year, mo, tz) for mo in range(1, 13)]
    out = []
    for mid in metrics[:1]:  # one plan curve: several would clutter the chart
        vals = [r.target_at(mid, opd, float(mo)) for mo in range(0, 13)]
        if all(v is not None for v in vals):
            out.append(m.Line(r.tr_plan, tuple(ts), tuple(float(v) for v in vals), dashed=True))
    return tuple(out)


def _month_end(year: int, month: int, tz: ZoneInfo) -> float:
    nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return nxt.timestamp()


def _y_range(unit: str, lines: list[m.Line], targets: tuple[m.Line, ...], band: Any) -> tuple[float, float]:
    vals = [v for ln in list(lines) + list(targets) for v in ln.values] + (list(band) if band else [])
    if not vals:
        return (0.0, 100.0)
    lo, hi = min(vals), max(vals)
    if unit == "percent" and lo >= 0:
        if hi > 60:
            return (0.0, max(100.0, math.ceil(hi * 1.05 / 10) * 10))
        return _nice(0.0, hi * 1.15 or 1.0)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    return _nice(min(0.0, lo - pad) if lo >= 0 and lo < (hi - lo) else lo - pad, hi + pad)


def _nice(lo: float, hi: float) -> tuple[float, float]:
    """Widen a range to whole steps of 1, 2, 2.5 or 5 x 10^k (about 10 per span), so the axis
    stays put while new values move within it (every range change redraws the axis ticks)."""
    span = hi - lo
    if not (span > 0) or not math.isfinite(span):
        return (lo, hi)
    raw = span / 10
    mag = 10 ** math.floor(math.log10(raw))
    step = next(k * mag for k in (1, 2, 2.5, 5, 10) if k * mag >= raw)
    return (float(f"{math.floor(lo / step + 1e-9) * step:.12g}"), float(f"{math.ceil(hi / step - 1e-9) * step:.12g}"))


# -- ranking and progress -------------------------------------------------------------------------
@builder("ranking")
def ranking(r: Reader, p: Any) -> m.RankingModel:
    """Options (config/panels/ranking.py): top, bottom (the last N after a separator), order,
    worst_first (ranked best first by the metric's direction, shown from the worst up, each row
    keeping its rank), by: dim, score."""
    opts = panel_options(p)
    if opts.score:
        return _score_ranking(r, p)
    mt = r.metric(p.metric)
    if opts.by == "dim":
        vals = [v for v in r.latest(p.metric, dim=None) if v.opd == (p.opd or "") and v.dim]
        rows = [m.BarRow(v.dim, v.dim, v.value) for v in vals]
    else:
        vals = [v for v in r.latest(p.metric) if v.opd and _wanted(p, v.opd)]
        rows = [_opd_row(r, p.metric, v) for v in vals]
    worst_first = opts.worst_first
    if worst_first:  # ranked best first by the metric's direction, shown from the bottom up
        desc = getattr(mt, "direction", "higher") != "lower"
    else:
        desc = opts.order != "asc"
    rows.sort(key=lambda b: (b.value is None, -(b.value or 0) if desc else (b.value or 0)))
    rows = [dataclasses.replace(b, rank=i) for i, b in enumerate(rows, 1)]
    shown, gap = behind.select(rows, opts.top, opts.bottom, worst_first)
    unit = getattr(mt, "unit", "count")
    top = max((b.value for b in rows if b.value is not None), default=0.0)
    max_v = max(100.0, top) if unit == "percent" else (top * 1.02 or 1.0)
    return m.RankingModel(r.title(p), unit, tuple(shown), max_v, r.newest_for([p.metric]),
                          r.freshness([p.metric] if p.metric else []), subtitle=_ranked_period(r, mt, vals),
                          decimals=getattr(mt, "decimals", None), gap_after=gap,
                          worst_first=worst_first, total=len(rows), subtitle_short=_ranked_period(r, mt, vals, True))


def _ranked_period(r: Reader, mt: Any, vals: list[Any], short: bool = False) -> str:
    """The period a ranking ranks, in words: the values' own period label, else the period of
    their newest date (an instant metric: that date). `short`: months abbreviated."""
    label = behind.common_period(vals)
    if not label and vals:
        ts = max(v.ts for v in vals)
        kind = getattr(mt, "period", "instant")
        if kind not in ("month", "quarter", "semester", "year"):
            return fmt.date_short(ts, r.cfg.city.timezone, r.lang)
        from commandcenter.scoring.periods import value_period

        label = value_period(ts, r.cfg.city.timezone, kind).label
    return behind.period_words(label, r.lang, running=label == _label_of_month(r.now, r.cfg.city.timezone),
                               short=short)


def _wanted(p: Any, opd: str) -> bool:
    return p.opds == "all" or opd in p.opds


def _opd_row(r: Reader, metric: str, v: Any) -> m.BarRow:
    res = r.status(metric, v.opd, v.value, v.ts, v.described_at)
    judged = res is not None and (res.target is not None or res.band is not None)
    return m.BarRow(v.opd, r.opd_label(v.opd), v.value, res.status if judged else "")


def _score_ranking(r: Reader, p: Any) -> m.RankingModel:
    if r.scoring is None or r.recording:  # the recording pass: scoring reads no series through r
        return m.RankingModel(r.title(p), "score")
    board = r.board()
    rows = []
    for o in board.opds:
        if o.score is None:
            continue
        rows.append(m.BarRow(o.opd, o.short or r.opd_label(o.opd), o.score, score_status(o.score),
                             rank_change=o.rank_change, rank=o.rank))
    opts = panel_options(p)
    shown, gap = behind.select(rows, opts.top, opts.bottom, opts.worst_first)
    scored = [k.metric for o in board.opds for k in o.breakdown]
    for mid in set(scored):
        r.latest(mid)  # counted in the header's "data as of"
    running = board.period == _label_of_month(r.now, r.cfg.city.timezone)
    return m.RankingModel(r.title(p), "score", tuple(shown), 100.0, r.newest_for(sorted(set(scored))), r.freshness(sorted(set(scored))),
                          subtitle=behind.period_words(board.period, r.lang, running=running), gap_after=gap,
                          worst_first=opts.worst_first, total=len(rows),
                          subtitle_short=behind.period_words(board.period, r.lang, running=running, short=True))


def _label_of_month(ts: float, tz: str) -> str:
    return datetime.fromtimestamp(ts, ZoneInfo(tz)).strftime("%Y-%m")


@builder("opd")
def opd_card(r: Reader, p: Any) -> m.OpdCardModel:
    """The OPD's place in the score ranking, what holds it back and why (its note)."""
    code = p.opd or ""
    board = r.board()
    money = behind.money_by_opd({mid: r.latest(mid) for mid in (behind.PAGU, behind.SPENT) if r.metric(mid)})
    note = note_for(r.cache, code, getattr(board, "period", ""), r.as_of)
    st = behind.standing(r.cfg, board, code, money, note, r.lang)
    scored = sorted({k.metric for k in (board.get(code).breakdown if board and board.get(code) else [])})
    title = r.title(p, tr("Posisi OPD", r.lang) + f" · {r.opd_label(code)}")
    return m.OpdCardModel(title, st, r.newest_for(scored + [behind.SPENT]), r.freshness(scored))


def note_for(cache: Any, opd: str, period: str, as_of: float | None) -> Any:
    """The OPD's note for `period`, else its newest note of an earlier period of the same year
    (a cause typed last month still explains this month until replaced)."""
    notes = getattr(cache, "notes", None)
    if notes is None:
        return None
    found = [n for n in notes(opd=opd, as_of=as_of) if n.period <= period and n.period[:4] == period[:4]]
    return max(found, key=lambda n: (n.period, n.ts), default=None)


def score_status(score: float) -> str:
    # SAKIP-like bands: B (60) and above is acceptable, BB (70)+ good
    return "ok" if score >= 80 else "warning" if score >= 60 else "critical"


@builder("progress")
def progress(r: Reader, p: Any) -> m.ProgressModel:
    metrics = p.all_metrics() or ["realisasi_fisik", "serapan_keuangan"]
    phys, fin = metrics[0], metrics[1] if len(metrics) > 1 else metrics[0]
    pv = {v.opd: v for v in r.latest(phys) if v.opd and _wanted(p, v.opd)}
    fv = {v.opd: v for v in r.latest(fin) if v.opd and _wanted(p, v.opd)}
    rows = []
    for opd in [o.code for o in r.cfg.opds if o.code in pv or o.code in fv]:
        res = r.status(fin, opd, fv[opd].value, fv[opd].ts, fv[opd].described_at) if opd in fv else None
        rows.append(m.ProgressRow(opd, r.opd_label(opd), _val(pv.get(opd)), _val(fv.get(opd)), getattr(res, "target", None)))
    rows.sort(key=lambda x: (x.financial is None, x.financial or 0.0))  # the OPDs behind first
    return m.ProgressModel(r.title(p), tuple(rows[: panel_options(p).top]), r.newest_for(metrics), r.freshness(metrics))


def _val(v: Any) -> float | None:
    return None if v is None else v.value


# -- table, health, map, text, clock --------------------------------------------------------------
@builder("table")
def table(r: Reader, p: Any) -> m.TableModel:
    """Worst first by the metric's direction; for a lower-is-better count (complaints past their
    deadline) rows at zero are dropped unless `options.zeros` (an OPD at zero is not news)."""
    mt = r.metric(p.metric)
    unit = getattr(mt, "unit", "count")
    lower = getattr(mt, "direction", "higher") == "lower"
    vals = [v for v in r.latest(p.metric) if v.opd and _wanted(p, v.opd)]
    if lower and not panel_options(p).zeros:
        vals = [v for v in vals if v.value]
    vals.sort(key=lambda v: -v.value)
    opts = panel_options(p)
    vals = vals[opts.skip: opts.skip + opts.top]  # a spotlighted table continues on the next monitor
    tz = r.cfg.city.timezone
    rows, statuses = [], []
    decimals = getattr(mt, "decimals", None)
    for i, v in enumerate(vals, opts.skip + 1):
        res = r.status(p.metric, v.opd, v.value, v.ts, v.described_at)
        when = fmt.as_of_text(v.described_at, tz, r.cfg.city.zone_label, r.lang, period_end=not v.running
                              and v.period_kind != "instant")
        rows.append((str(i), r.opd_label(v.opd), fmt.value_with_unit(v.value, unit, r.lang, decimals), when))
        statuses.append(getattr(res, "status", "") or "")
    cols = ("#", "OPD", tr("Jumlah", r.lang), tr("Per", r.lang))
    empty = tr("Tidak ada OPD dengan nilai di atas nol", r.lang) if lower else ""
    return m.TableModel(r.title(p), cols, tuple(rows), tuple(statuses), r.newest_for([p.metric]),
                        r.freshness([p.metric] if p.metric else []), empty=empty)


@builder("health")
def health(r: Reader, p: Any) -> m.HealthModel:
    # the wall says "source unavailable", never a server's or parser's own words (the console has them)
    down = tr("Sumber tidak tersedia", r.lang)
    rows = [m.HealthRow(h.source, h.name, r.opd_label(h.opd) if h.opd else "", h.state, h.last_success,
                        down if h.state == "failing" else "", h.failures) for h in r.health]
    return m.HealthModel(r.title(p, tr("Status Sumber Data", r.lang)), tuple(rows),
                         frozen_at=r.now if r.absolute_times else None)


@builder("map")
def map_(r: Reader, p: Any) -> m.MapModel:
    mt = r.metric(p.metric)
    by_name: dict[str, float] = {}
    for v in r.latest(p.metric, dim=None) if p.metric else []:
        name = region_name(r, v)
        if name:
            by_name[name] = by_name.get(name, 0.0) + v.value
    regions = tuple(m.Region(k, val) for k, val in sorted(by_name.items()))
    return m.MapModel(r.title(p), getattr(mt, "unit", "count"), regions, r.newest_for([p.metric]), r.freshness([p.metric] if p.metric else []))


def region_name(r: Reader, v: Any) -> str:
    """A value's kecamatan: its dimension ('Binjai Utara'), else its OPD's kecamatan."""
    if v.dim:
        return v.dim.removeprefix("Kecamatan ").removeprefix("Kec. ").strip()
    o = r.cfg.opd_by_code.get(v.opd)
    return getattr(o, "kecamatan", None) or ""


@builder("text")
def text(r: Reader, p: Any) -> m.TextModel:
    opts = panel_options(p)
    body = (opts.text_en if r.lang == "en" else None) or opts.text
    return m.TextModel(r.title(p, tr("Pengumuman", r.lang)), str(body))


@builder("clock")
def clock(r: Reader, p: Any) -> m.ClockModel:
    return m.ClockModel(r.title(p, " "))

from commandcenter.wall import web as _web  # noqa: E402,F401  (registers the web panel builder)
