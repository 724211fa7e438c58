"""The printable handout's content: a summary (KPIs behind target, best and worst OPDs with their
causes, rupiah still unspent) and one section of tables per scene, every text already worded in
the handout's language with absolute times in the city's zone. No Qt: built on a worker thread;
ui/handout_pdf.py only lays it out on paper.
"""

from __future__ import annotations

import time
from datetime import timedelta
from dataclasses import dataclass, field
from typing import Any

from commandcenter import fmt
from commandcenter.i18n import tr
from commandcenter.wall import behind
from commandcenter.wall import models as m

BEST_WORST = 5  # OPDs named at each end on the summary page


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    align: str = ""  # per column: "l" or "r" (default: first two left, the rest right)
    statuses: tuple[str, ...] = ()  # per row: ok | warning | critical | ... ("" none)
    note: str = ""  # under the table, e.g. "Data per 30 Nov 2026"
    widths: tuple[float, ...] = ()  # relative column widths (default: by content)


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Any, ...] = ()  # Table | str (a paragraph)


@dataclass(frozen=True)
class Handout:
    city: str
    title: str
    period: str  # "Periode Nov 2026"
    as_of: str  # "Data per 20 Nov 2026 10.00 WIB"
    printed: str  # "Dicetak 20 Nov 2026 10.05 WIB"
    simulated: bool
    lang: str
    logo: bytes | None = None
    mark: str = ""  # "DATA SIMULASI" on every page when simulated
    summary: Section | None = None
    sections: tuple[Section, ...] = ()
    worst: tuple[Any, ...] = field(default=(), compare=False)  # behind.Standing, for tests/mail text


def build_handout(cfg: Any, cache: Any, keys: list[str], as_of: float | None = None, lang: str = "id",
                  now: float | None = None, title: str | None = None) -> Handout:
    """Read everything the handout prints (SQL: call off the GUI thread)."""
    from commandcenter.wall.queries import Reader, build_scene

    now = time.time() if now is None else now
    tz, zone = cfg.city.timezone, cfg.city.zone_label
    from commandcenter.wall.briefing import scene_of

    scenes = [(scene_of(cfg, k), build_scene(cfg, cache, k, as_of=as_of, lang=lang, now=now, absolute_times=True))
              for k in keys]
    reader = Reader(cfg, cache, as_of, lang, now)
    board = reader.board()
    newest = max((d.header.newest_data for _s, d in scenes if d.header.newest_data), default=None)
    data_at = as_of if as_of is not None else (newest or now)
    first = scenes[0][0] if scenes else None
    doc_title = title or (_scene_title(first, lang) if first else cfg.city.name)
    summary, worst = _summary(cfg, reader, board, lang)
    return Handout(
        city=cfg.city.name, title=doc_title,
        period=f"{tr('Periode', lang)} {behind.period_words(getattr(board, 'period', ''), lang, running=_running(cfg, board, now))}",
        as_of=(f"{tr('DIBEKUKAN', lang)} · " if as_of is not None else "")
        + f"{tr('Data per', lang)} {fmt.datetime_short(data_at, tz, zone, lang)}",
        printed=f"{tr('Dicetak', lang)} {fmt.datetime_short(now, tz, zone, lang)}",
        simulated=bool(cfg.city.demo), lang=lang, logo=_logo(cfg),
        mark=tr("DATA SIMULASI", lang) if cfg.city.demo else "",
        summary=summary, worst=worst,
        sections=tuple(_section(cfg, s, d, lang) for s, d in scenes))


def _running(cfg: Any, board: Any, now: float) -> bool:
    """The month scored has not ended at the handout's instant ("November 2026 (berjalan)")."""
    return getattr(board, "period", "") == fmt.to_zone(now, cfg.city.timezone).strftime("%Y-%m")


def _scene_title(scene: Any, lang: str) -> str:
    return scene.title_en if lang == "en" and getattr(scene, "title_en", None) else scene.title


def _logo(cfg: Any) -> bytes | None:
    """The city's logo file (as ui.resources.logo_bytes finds it; a plain read, no Qt)."""
    from importlib import resources
    from pathlib import Path

    name = cfg.city.logo
    if not name:
        return None
    try:
        local = Path(cfg.resolve_path(name))
        if local.is_file():
            return local.read_bytes()
        bundled = resources.files("commandcenter").joinpath("resources", name)
        return bundled.read_bytes() if bundled.is_file() else None
    except OSError:
        return None


# -- the summary page ---------------------------------------------------------------------------
def _summary(cfg: Any, r: Any, board: Any, lang: str) -> tuple[Section, tuple[Any, ...]]:
    money = behind.money_by_opd({mid: r.latest(mid) for mid in (behind.PAGU, behind.SPENT) if r.metric(mid)})
    period = getattr(board, "period", "")
    ranked = [o for o in (board.opds if board else []) if o.rank is not None]
    standings = {o.opd: behind.standing(cfg, board, o.opd, money, _note(r, o.opd, period), lang) for o in ranked}
    best = [standings[o.opd] for o in ranked[:BEST_WORST]]
    worst = [standings[o.opd] for o in ranked[::-1][:BEST_WORST]]
    blocks: list[Any] = [_unspent_line(cfg, money, lang), _city_behind(cfg, r, lang),
                         _opd_table(tr("OPD terendah", lang), worst, lang, causes=True, worst=True),
                         _opd_table(tr("OPD terbaik", lang), best, lang, causes=any(s.note for s in best)),
                         _unspent_table(cfg, standings, money, lang)]
    return Section(tr("Ringkasan", lang), tuple(b for b in blocks if b)), tuple(worst)


def _note(r: Any, opd: str, period: str) -> Any:
    from commandcenter.wall.panel_queries import note_for

    return note_for(r.cache, opd, period, r.as_of)


def _unspent_line(cfg: Any, money: dict[str, dict[str, float]], lang: str) -> str:
    pagu, spent = money.get(behind.PAGU, {}), money.get(behind.SPENT, {})
    city_p, city_s = _city_total(pagu), _city_total(spent)
    if city_p is None or city_s is None:
        return ""
    share = 100 * (city_p - city_s) / city_p if city_p else 0.0
    return (f"{tr('Anggaran belum terserap', lang)}: {fmt.money(max(0.0, city_p - city_s), lang)} "
            f"{tr('dari pagu', lang)} {fmt.money(city_p, lang)} ({fmt.percent(share, 1, lang)}).")


def _city_total(by_opd: dict[str, float]) -> float | None:
    """The departments' own city-wide row (opd "") where they send one, else the OPDs' sum."""
    if "" in by_opd:
        return by_opd[""]
    return sum(by_opd.values()) if by_opd else None


def _city_behind(cfg: Any, r: Any, lang: str) -> Table | None:
    """City-wide KPIs judged warning/critical at their latest value."""
    rows, statuses = [], []
    for mt in cfg.metrics:
        lv = r.value(mt.id, "")
        if lv is None:
            continue
        res = r.status(mt.id, "", lv.value, lv.ts, lv.described_at)
        if res is None or res.status not in behind.BEHIND:
            continue
        rows.append((_metric_label(mt, lang), fmt.value_with_unit(lv.value, mt.unit, lang),
                     fmt.value_with_unit(res.target, mt.unit, lang) if res.target is not None else _band(res, lang),
                     fmt.percent(res.achievement, 1, lang) if res.achievement is not None else "–",
                     _status_word(res.status, lang)))
        statuses.append(res.status)
    if not rows:
        return None
    return Table(tr("KPI kota di bawah target", lang),
                 (tr("Indikator", lang), tr("Realisasi", lang), tr("Target", lang), tr("Capaian", lang), tr("Status", lang)),
                 tuple(rows), "lrrrl", tuple(statuses), widths=(4, 1.4, 1.4, 1.2, 1.6))


def _band(res: Any, lang: str) -> str:
    band = getattr(res, "band", None)
    return f"{fmt.number(band[0], 1, lang)}–{fmt.number(band[1], 1, lang)}" if band else "–"


def _opd_table(title: str, rows: list[Any], lang: str, causes: bool, worst: bool = False) -> Table | None:
    if not rows:
        return None
    worst_set = rows if worst else []
    out, statuses = [], []
    for st in rows:
        behind_text = "; ".join(behind.kpi_line(k, lang) for k in st.behind[:2]) or tr("Semua KPI sesuai target", lang)
        cause = st.note.text if st.note is not None else "–"
        cells = (str(st.rank), st.short or st.name, fmt.number(st.score, 1, lang) if st.score is not None else "–",
                 _change_short(st.rank_change, "–"))
        out.append(cells + ((cause, behind_text) if causes else (behind_text,)))
        statuses.append("critical" if st in worst_set else "ok")
    cols = ("#", "OPD", tr("Skor", lang), "±")
    if causes:
        return Table(title, cols + (tr("Penyebab", lang), tr("KPI di bawah target", lang)), tuple(out), "llrrll",
                     tuple(statuses), widths=(0.5, 1.8, 0.8, 0.6, 3.2, 4.2))
    return Table(title, cols + (tr("KPI di bawah target", lang),), tuple(out), "llrrl", tuple(statuses),
                 widths=(0.5, 1.8, 0.8, 0.6, 7.4))


def _unspent_table(cfg: Any, standings: dict[str, Any], money: dict[str, dict[str, float]], lang: str) -> Table | None:
    pagu, spent = money.get(behind.PAGU, {}), money.get(behind.SPENT, {})
    rows = []
    for opd, p in pagu.items():
        if opd in spent and opd in cfg.opd_by_code:
            o = cfg.opd_by_code[opd]
            rows.append((opd, o.short or o.name, p, spent[opd], max(0.0, p - spent[opd])))
    rows.sort(key=lambda x: -x[4])
    if not rows:
        return None
    cells = tuple((str(i), label, fmt.money(p, lang), fmt.money(s, lang), fmt.money(u, lang),
                   fmt.percent(100 * s / p if p else 0.0, 1, lang))
                  for i, (_o, label, p, s, u) in enumerate(rows[:6], 1))
    return Table(tr("Anggaran belum terserap terbesar", lang),
                 ("#", "OPD", tr("Pagu", lang), tr("Realisasi", lang), tr("Belum terserap", lang), tr("Serapan", lang)),
                 cells, "llrrrr", widths=(0.5, 2.6, 1.5, 1.5, 1.7, 1.2))


def _change_short(change: int | None, unknown: str = "") -> str:
    """A rank change for a narrow column: ▲2, ▼3, = (unchanged), `unknown` (no previous rank)."""
    if change is None:
        return unknown
    return "=" if change == 0 else f"{'▲' if change > 0 else '▼'}{abs(change)}"


def _metric_label(mt: Any, lang: str) -> str:
    if lang == "en" and getattr(mt, "name_en", None):
        return mt.name_en
    return mt.short or mt.name


_STATUS = {"ok": "Baik", "near": "Di bawah target, dalam toleransi", "warning": "Perlu perhatian", "critical": "Kritis", "no-data": "Tidak ada data",
           "stale": "Data kedaluwarsa", "late": "Terlambat", "failing": "Sumber tidak tersedia",
           "never-run": "Belum pernah berjalan"}


def _status_word(status: str, lang: str) -> str:
    return tr(_STATUS.get(status, status), lang) if status else ""


# -- a scene's section: one table per panel ------------------------------------------------------
def _section(cfg: Any, scene: Any, data: Any, lang: str) -> Section:
    blocks: list[Any] = []
    kpis = []
    for p in scene.panels:
        model = (data.panels or {}).get(p.id)
        if isinstance(model, m.KpiModel):
            kpis.append(model)
            continue
        block = _panel_block(cfg, model, lang)
        if block:
            blocks.append(block)
    if kpis:
        blocks.insert(0, _kpi_table(cfg, kpis, lang))
    return Section(_scene_title(scene, lang), tuple(blocks))


def _kpi_table(cfg: Any, kpis: list[m.KpiModel], lang: str) -> Table:
    tz = cfg.city.timezone
    rows, statuses = [], []
    for k in kpis:
        target = (fmt.value_with_unit(k.target, k.unit, lang) if k.target is not None
                  else f"{fmt.number(k.band[0], 0, lang)}–{fmt.number(k.band[1], 0, lang)}" if k.band else "–")
        rows.append((k.title, fmt.value_with_unit(k.value, k.unit, lang), target,
                     fmt.percent(k.achievement, 1, lang) if k.achievement is not None else "–",
                     _status_word(k.status, lang), _when_kpi(k, tz, lang)))
        statuses.append(k.status)
    return Table(tr("Indikator utama", lang), (tr("Indikator", lang), tr("Nilai", lang), tr("Target", lang), tr("Capaian", lang),
                                         tr("Status", lang), tr("Periode", lang)),
                 tuple(rows), "lrrrll", tuple(statuses), widths=(3.4, 1.3, 1.3, 1.1, 1.5, 1.4))


def _when_kpi(k: m.KpiModel, tz: str, lang: str) -> str:
    """The period a KPI value describes, as its panel words it ('s.d. November 2026', 'Desember
    2026 (berjalan)'); an instant value: the date it describes (never a period's future end)."""
    if k.period and k.period_kind != "instant":
        text = fmt.period_text(k.period, k.period_kind, lang, cumulative=k.cumulative, running=k.running)
        if text:
            return text
    when = k.as_of or k.ts
    return fmt.date_short(when, tz, lang) if when else "–"


def _panel_block(cfg: Any, model: Any, lang: str) -> Any:
    tz, zone = cfg.city.timezone, cfg.city.zone_label
    when = (lambda ts: f"{tr('Data per', lang)} {fmt.datetime_short(ts, tz, zone, lang)}" if ts else "")
    if isinstance(model, m.RankingModel):
        fmt_v = (lambda v: fmt.number(v, 1, lang) if v is not None else "–") if model.unit == "score" \
            else (lambda v: fmt.value_with_unit(v, model.unit, lang))
        rows, statuses = [], []
        for i, b in enumerate(model.rows):
            rows.append((str(b.rank or i + 1), b.label, fmt_v(b.value), _change_short(b.rank_change)))
            statuses.append(b.status)
            if model.gap_after == i:
                rows.append(("⋯", "", "", ""))
                statuses.append("")
        title = model.title + (f" · {model.subtitle}" if model.subtitle else "")
        if model.worst_first:
            title += f" · {tr('terbawah di atas', lang)}"
        return Table(title, ("#", "OPD", tr("Nilai", lang), "±"), tuple(rows), "llrr",
                     tuple(statuses), when(model.as_of), widths=(0.6, 4, 1.4, 0.8))
    if isinstance(model, m.TableModel):
        return Table(model.title, tuple(tr(c, lang) for c in model.columns), model.rows, "llrr", model.statuses,
                     when(model.as_of) or model.empty, widths=(0.5, 4, 1.2, 1.6))
    if isinstance(model, m.ProgressModel):
        rows = tuple((r.label, fmt.percent(r.physical, 1, lang), fmt.percent(r.financial, 1, lang),
                      fmt.number(r.deviation, 1, lang) if r.deviation is not None else "–",
                      fmt.percent(r.target, 1, lang) if r.target is not None else "–") for r in model.rows)
        return Table(model.title, ("OPD", tr("Fisik", lang), tr("Keuangan", lang), tr("Deviasi", lang), tr("Target", lang)),
                     rows, "lrrrr", note=when(model.as_of), widths=(3.5, 1.2, 1.2, 1.0, 1.2))
    if isinstance(model, m.TimeseriesModel):
        return _series_table(cfg, model, lang, when)
    if isinstance(model, m.HealthModel):
        rows = tuple((h.name, _status_word(h.state, lang),
                      fmt.datetime_short(h.last_success, tz, zone, lang) if h.last_success else tr("belum ada", lang))
                     for h in model.rows)
        return Table(model.title, (tr("Sumber", lang), tr("Status", lang), tr("Sukses terakhir", lang)), rows, "lll",
                     tuple(h.state for h in model.rows), widths=(5, 1.8, 2.2))
    if isinstance(model, m.MapModel):
        rows = tuple((r.name, fmt.value_with_unit(r.value, model.unit, lang)) for r in model.regions)
        return Table(model.title, (tr("Wilayah", lang), tr("Nilai", lang)), rows, "lr", note=when(model.as_of), widths=(3, 1))
    if isinstance(model, m.OpdCardModel):
        return _standing_table(cfg, model, lang)
    if type(model).__name__ == "WebModel":  # a department's web page: its snapshot of that moment
        at = getattr(model, "snapshot_at", None)
        shot = (f"{tr('Cuplikan', lang)} {fmt.datetime_short(at, tz, zone, lang)}" if at
                else tr("Tidak ada cuplikan pada waktu ini", lang))
        return f"{model.title} · {shot}"
    if isinstance(model, m.TextModel) and model.text:
        return f"{model.title}: {model.text}"
    return None  # a clock has nothing to print (the page says when it was printed)


def _standing_table(cfg: Any, model: m.OpdCardModel, lang: str) -> Table | None:
    """An OPD's standing as label/value rows: rank, change, period, cause, unspent, KPIs behind."""
    st = model.standing
    if st is None:
        return None
    tz, zone = cfg.city.timezone, cfg.city.zone_label
    rows: list[tuple[str, str]] = []
    if st.rank is not None:
        rows.append((tr("Peringkat", lang), f"{st.rank} {tr('dari', lang)} {st.of} · {tr('Skor', lang)} "
                     f"{fmt.number(st.score, 1, lang)} · {behind.change_words(st.rank_change, lang) or '–'}"))
    rows.append((tr("Periode", lang), behind.period_words(st.period, lang)))
    if st.note is not None:
        rows.append((tr("Penyebab", lang), f"{st.note.text} ({st.note.author}, "
                     f"{fmt.datetime_short(st.note.ts, tz, zone, lang)})"))
    if st.unspent is not None:
        rows.append((tr("Belum terserap", lang), f"{fmt.money(st.unspent, lang)} {tr('dari pagu', lang)} {fmt.money(st.pagu, lang)}"))
    for k in st.behind:
        rows.append((tr("KPI di bawah target", lang), behind.kpi_line(k, lang)))
    return Table(model.title, ("", ""), tuple(rows), "ll", widths=(1.6, 6))


def _stamp(ts: float, tz: str, lang: str) -> str:
    """A month's value (dated at its last second) as 'Nov 2026', any other as its date."""
    local = fmt.to_zone(ts, tz)
    if (local + timedelta(seconds=2)).day == 1 or (local.day == 1 and local.hour == 0):
        month = fmt.to_zone(ts - 2, tz)
        return behind.period_words(f"{month.year}-{month.month:02d}", lang)
    return fmt.date_short(ts, tz, lang)


def _series_table(cfg: Any, model: m.TimeseriesModel, lang: str, when: Any) -> Table | None:
    """The last six points of each line (the chart's story in numbers)."""
    lines = [ln for ln in model.lines if ln.ts]
    if not lines:
        return None
    stamps = sorted({t for ln in lines for t in ln.ts})[-6:]
    tz = cfg.city.timezone
    cols = (tr("Seri", lang),) + tuple(_stamp(t, tz, lang) for t in stamps)
    rows = []
    for ln in lines:
        by_t = dict(zip(ln.ts, ln.values))
        rows.append((ln.label,) + tuple(fmt.value_with_unit(by_t[t], model.unit, lang) if t in by_t else "–" for t in stamps))
    return Table(model.title, cols, tuple(rows), "l" + "r" * len(stamps), note=when(model.as_of),
                 widths=(3.0,) + (1.2,) * len(stamps))
