"""Who is behind: the part of a ranking the wall shows (top, bottom, worst first), the period it
ranks in words, and an OPD's standing (rank, change, KPIs behind target, rupiah still unspent).

Pure (no Qt, no SQL of its own): callers pass the scoreboard and the cache reads they already made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from commandcenter import fmt
from commandcenter.i18n import tr

T = TypeVar("T")
# a KPI "behind" its target: judged warning or critical (stale/no-data are a data problem, not a lag)
BEHIND = ("critical", "warning")
PAGU, SPENT = "pagu_anggaran", "realisasi_belanja"


def period_words(label: str, lang: str = "id", running: bool = False, short: bool = False) -> str:
    """A period label in the wall's words (fmt.period_text): '2026-11' -> 'November 2026',
    '2026-Q3' -> 'Triwulan III 2026', '2026-S1' -> 'Semester I 2026', '2026' -> 'Tahun 2026';
    `running`: the period is not over yet ('Desember 2026 (berjalan)'); `short`: months
    abbreviated ('Nov 2026'), for a narrow card. Unknown labels unchanged."""
    kind = period_kind(label)
    return (fmt.period_text(label, kind, lang, running=running, short=short) or label) if kind else (label or "")


def period_kind(label: str) -> str:
    text = (label or "").upper()
    if not text[:4].isdigit():
        return ""
    if len(text) == 4:
        return "year"
    if len(text) == 7 and text[5:].isdigit():
        return "month"
    if len(text) == 10:
        return "day"
    if text[5:6] == "Q" or text[5:7] == "TW":
        return "quarter"
    if text[5:6] == "S":
        return "semester"
    return ""


def common_period(values: Sequence[Any]) -> str:
    """The period label most of the values carry (a ranking ranks one period)."""
    labels = Counter(getattr(v, "period", "") for v in values if getattr(v, "period", ""))
    return labels.most_common(1)[0][0] if labels else ""


def select(rows: list[T], top: int, bottom: int = 0, worst_first: bool = False) -> tuple[list[T], int | None]:
    """The rows to show from a best-first list: the first `top`, and with `bottom` the last
    `bottom` after a separator (index of the row before it, or None when nothing was skipped).
    `worst_first` shows the list from the bottom up (the last `top` rows, worst at the top)."""
    if worst_first:
        rows = rows[::-1]
    if bottom <= 0 or top + bottom >= len(rows):
        shown = rows[:top] if bottom <= 0 else rows
        return shown, None
    return rows[:top] + rows[-bottom:], top - 1


@dataclass(frozen=True)
class BehindKpi:
    metric: str
    label: str
    unit: str
    value: float | None
    target: float | None
    achievement: float | None
    status: str
    lost_points: float = 0.0


@dataclass(frozen=True)
class Standing:
    """An OPD's place in the ranking of `period` and what holds it back."""

    opd: str
    name: str
    short: str
    period: str
    score: float | None
    rank: int | None
    of: int
    rank_change: int | None
    behind: tuple[BehindKpi, ...] = ()
    pagu: float | None = None
    spent: float | None = None
    note: Any = None  # the OPD's cause/note for the period (cache NoteRecord) or None

    @property
    def unspent(self) -> float | None:
        """Rupiah still unspent: pagu minus realised spending (None when either is missing)."""
        if self.pagu is None or self.spent is None:
            return None
        return max(0.0, self.pagu - self.spent)


def standing(cfg: Any, board: Any, opd: str, money: dict[str, dict[str, float]] | None = None,
             note: Any = None, lang: str = "id") -> Standing | None:
    """The OPD's standing from a scoreboard; `money`: {PAGU: {opd: rp}, SPENT: {opd: rp}}."""
    o = board.get(opd) if board is not None else None
    conf = cfg.opd_by_code.get(opd)
    if o is None and conf is None:
        return None
    money = money or {}
    behind = tuple(_behind(cfg, k, lang) for k in (o.breakdown if o else []) if k.status in BEHIND)
    ranked = sum(1 for x in (board.opds if board else []) if x.rank is not None)
    return Standing(opd, getattr(conf, "name", None) or (o.name if o else opd),
                    getattr(conf, "short", None) or (o.short if o else opd), getattr(board, "period", ""),
                    o.score if o else None, o.rank if o else None, ranked, o.rank_change if o else None,
                    behind, money.get(PAGU, {}).get(opd), money.get(SPENT, {}).get(opd), note)


def _behind(cfg: Any, k: Any, lang: str = "id") -> BehindKpi:
    mt = cfg.metric_by_id.get(k.metric)
    label = (mt.name_en if lang == "en" and getattr(mt, "name_en", None) else (mt.short or mt.name)) if mt else k.metric
    return BehindKpi(k.metric, label, getattr(mt, "unit", ""), k.value,
                     k.target, k.achievement, k.status, k.lost_points)


def money_by_opd(latest: dict[str, list[Any]]) -> dict[str, dict[str, float]]:
    """{metric: {opd: value}} from cache `latest` rows of pagu and realised spending ("" = city)."""
    return {mid: {v.opd: v.value for v in rows if not v.dim} for mid, rows in latest.items()}


def change_words(change: int | None, lang: str = "id") -> str:
    if change is None:
        return ""
    if change == 0:
        return tr("tetap", lang)
    word = (tr("naik {n} peringkat", lang) if change > 0 else tr("turun {n} peringkat", lang)).format(n=abs(change))
    return f"{'▲' if change > 0 else '▼'}{abs(change)} ({word})"


def kpi_line(k: BehindKpi, lang: str = "id") -> str:
    """'Serapan 41,2% · target 55,0% · capaian 74,9%' as printed and spoken."""
    val = fmt.value_with_unit(k.value, k.unit, lang)
    target = fmt.value_with_unit(k.target, k.unit, lang) if k.target is not None else "–"
    ach = fmt.percent(k.achievement, 1, lang) if k.achievement is not None else "–"
    return f"{k.label} {val} · {tr('target', lang)} {target} · {tr('capaian', lang)} {ach}"


def run_note(args: Any) -> int:
    """`commandcenter note OPD TEXT [--period P] [--author A]`: the operator's note, audited."""
    import getpass
    import sys
    import time

    from commandcenter.runtime import load_or_report, open_cache
    from commandcenter.scoring.periods import containing, parse

    EXIT_INVALID = 2
    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    if args.opd not in cfg.opd_by_code:
        print(f"note: unknown OPD {args.opd!r} (opds.yaml codes, e.g. {next(iter(cfg.opd_by_code))})", file=sys.stderr)
        return EXIT_INVALID
    tz = cfg.city.timezone
    try:
        period = parse(args.period, tz).label if args.period else containing(time.time(), tz).label
    except ValueError as exc:
        print(f"note: {exc}", file=sys.stderr)
        return EXIT_INVALID
    cache = open_cache(args, cfg)
    try:
        note = cache.set_note(args.opd, period, args.text, args.author or getpass.getuser() or "operator")
    finally:
        cache.close()
    print(f"{note.opd} {note.period}: {note.text or '(cleared)'}")
    return 0
