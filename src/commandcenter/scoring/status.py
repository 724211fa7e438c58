"""Status of one KPI value: ok / near / warning / critical (plus no-data and stale, set by the caller).

Three marks that never look alike: `ok` the target is met (at or past it, or inside the band);
`near` below the target but within the tolerance the thresholds allow (e-KTP 98,91% against 99%);
`warning`/`critical` past those lines.

Hysteresis: getting worse happens the moment a line is crossed; getting better needs the value to
come back over the line by `thresholds.hysteresis`, so a value hovering on a line does not make the
wall flicker between colours. The function is pure: the caller hands in the previous status.
"""

from __future__ import annotations

from typing import Any, Literal

Status = Literal["ok", "near", "warning", "critical", "no-data", "stale"]
STATUSES: tuple[str, ...] = ("ok", "near", "warning", "critical", "no-data", "stale")
_LEVEL = {"ok": 0, "warning": 1, "critical": 2}
_NAME = ("ok", "warning", "critical")


def level(status: str | None) -> int:
    """0 ok, 1 warning, 2 critical; statuses that say nothing about the value count as ok."""
    return _LEVEL.get(status or "ok", 0)


def classify(goodness: float, warning_line: float, critical_line: float, hysteresis: float,
             previous: str | None = None) -> str:
    """Status of a measure where larger is better, below `warning_line` warns, below `critical_line` is critical."""
    prev = level(previous)
    up_c = hysteresis if prev >= 2 else 0.0  # leaving critical needs the margin
    up_w = hysteresis if prev >= 1 else 0.0  # so does leaving warning
    if goodness < critical_line + up_c:
        return "critical"
    if goodness < warning_line + up_w:
        return "warning"
    return "ok"


def judge(metric: Any, value: float, achievement: float | None, band: tuple[float, float] | None,
          previous: str | None = None) -> str:
    """ok / near / warning / critical: the thresholds' verdict, with "ok" split into met and near."""
    status = _by_thresholds(metric, value, achievement, band, previous)
    if status == "ok" and achievement is not None and achievement < 100.0:
        return "near"  # inside the tolerance, but the target is not reached
    return status


def _by_thresholds(metric: Any, value: float, achievement: float | None, band: tuple[float, float] | None,
                   previous: str | None = None) -> str:
    """ok / warning / critical for `value` under the metric's thresholds (relative or absolute)."""
    th = metric.thresholds
    if th.mode == "relative":
        if achievement is None:
            return "ok"  # no target: nothing to fall short of
        return classify(achievement, th.warning, th.critical, th.hysteresis, previous)
    # absolute lines are raw values read in the KPI's direction; turn them into "larger is better"
    if band is not None:  # distance outside the band, in the KPI's units
        outside = max(band[0] - value, value - band[1], 0.0)
        return classify(-outside, -th.warning, -th.critical, th.hysteresis, previous)
    if metric.direction == "lower":
        return classify(-value, -th.warning, -th.critical, th.hysteresis, previous)
    return classify(value, th.warning, th.critical, th.hysteresis, previous)
