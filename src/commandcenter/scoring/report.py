"""`commandcenter scores`: the OPD ranking with the KPIs that pulled each score down."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from commandcenter import fmt
from commandcenter.scoring import periods
from commandcenter.scoring.core import KpiResult, OpdScore, Scoreboard
from commandcenter.scoring.evaluate import evaluate

EXIT_OK, EXIT_INVALID = 0, 2
_STATUS_WORDS = {"ok": "tercapai", "near": "di bawah target, dalam toleransi", "warning": "perlu perhatian",
                 "critical": "kritis", "no-data": "tidak ada data", "stale": "data kedaluwarsa"}


def run_scores(args: Any, out: TextIO | None = None) -> int:
    """args: .config, .db, .period, .as_of, .json (the CLI's namespace)."""
    out = out or sys.stdout
    cfg = _load(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    tz = cfg.city.timezone
    try:
        as_of = periods.parse_instant(args.as_of, tz) if getattr(args, "as_of", None) else None
        period = periods.parse(args.period, tz) if getattr(args, "period", None) else None
        periods.refuse_future(as_of, period, tz, cfg.city.zone_label)
    except ValueError as exc:
        print(f"commandcenter scores: {exc}", file=sys.stderr)
        return EXIT_INVALID
    cache = _open_cache(args, cfg)
    try:
        board = evaluate(cfg, cache, as_of=as_of, period=period)
    finally:
        close = getattr(cache, "close", None)
        if close:
            close()
    if getattr(args, "json", False):
        json.dump(to_dict(cfg, board), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(to_text(cfg, board))
    return EXIT_OK


def _load(config_dir: str | None) -> Any:
    from commandcenter.runtime import load_or_report

    return load_or_report(config_dir)


def _open_cache(args: Any, cfg: Any) -> Any:
    from commandcenter.runtime import open_cache

    return open_cache(args, cfg)


# -- JSON ----------------------------------------------------------------------------------------
def to_dict(cfg: Any, board: Scoreboard) -> dict[str, Any]:
    return {
        "city": {"code": cfg.city.code, "name": cfg.city.name},
        "period": board.period,
        "previous_period": board.previous_period,
        "as_of": board.as_of,
        "opds": [_opd_dict(cfg, o) for o in board.opds],
    }


def _opd_dict(cfg: Any, o: OpdScore) -> dict[str, Any]:
    return {"opd": o.opd, "name": o.name, "short": o.short, "score": _r(o.score), "rank": o.rank,
            "previous_rank": o.previous_rank, "rank_change": o.rank_change,
            "breakdown": [_kpi_dict(cfg, k) for k in o.breakdown]}


def _kpi_dict(cfg: Any, k: KpiResult) -> dict[str, Any]:
    m = cfg.metric_by_id.get(k.metric)
    return {"metric": k.metric, "name": (m.short or m.name) if m else k.metric, "value": k.value,
            "target": _r(k.target), "band": list(k.band) if k.band else None, "achievement": _r(k.achievement),
            "status": k.status, "weight": k.weight, "ts": k.ts, "as_of": k.as_of,
            "lost_points": _r(k.lost_points), "scored": k.scored}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


# -- text ----------------------------------------------------------------------------------------
def to_text(cfg: Any, board: Scoreboard) -> str:
    tz = cfg.city.timezone
    words = fmt.period_text(board.period, periods.parse(board.period, tz).kind)
    prev = fmt.period_text(board.previous_period, periods.parse(board.previous_period, tz).kind)
    lines = [f"Kinerja OPD {cfg.city.name} — periode {words} (perubahan peringkat dibanding {prev})"]
    newest = max((k.as_of for o in board.opds for k in o.breakdown if k.as_of), default=None)
    at = board.as_of if board.as_of is not None else newest
    if at is not None:
        lines.append(f"Data per {fmt.datetime_short(at, tz, cfg.city.zone_label)}")
    lines.append(f"{'#':>3}  {'OPD':<22} {'Skor':>7}  {'Δ':>4}")
    for o in board.opds:
        lines.append(f"{o.rank if o.rank is not None else '–':>3}  {o.short[:22]:<22} "
                     f"{fmt.number(o.score, 2) if o.score is not None else '–':>7}  {_change(o):>4}")
        for k in o.breakdown:
            lines.append("       " + _kpi_line(cfg, k))
    return "\n".join(lines) + "\n"


def _change(o: OpdScore) -> str:
    if o.rank_change is None:
        return ""
    if o.rank_change > 0:
        return f"▲{o.rank_change}"
    if o.rank_change < 0:
        return f"▼{-o.rank_change}"
    return "="


def _kpi_line(cfg: Any, k: KpiResult) -> str:
    m = cfg.metric_by_id[k.metric]
    name = (m.short or m.name)[:26]
    if k.value is None:
        return f"{name:<26} {_STATUS_WORDS['no-data']}"
    places = m.decimals
    target = (f"{fmt.number(k.band[0], 1)}–{fmt.number(k.band[1], 1)}" if k.band
              else fmt.value_with_unit(k.target, m.unit, decimals=places))
    lost = f"-{fmt.number(k.lost_points, 2)} poin" if k.lost_points > 0 else ""
    return (f"{name:<26} Realisasi {fmt.value_with_unit(k.value, m.unit, decimals=places)}  Target {target}  "
            f"Capaian {fmt.percent(k.achievement)}  {lost}  [{_STATUS_WORDS.get(k.status, k.status)}]").rstrip()
