"""RESULTS.md: the table, notes for every missed or unmeasured row, machine info, and the
before/after record of product changes (benchmarks/changes.md, kept by hand)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from benchmarks.common import Row

HERE = Path(__file__).resolve().parent


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(rows: list[Row], info: dict[str, str], seconds: float, command: str) -> str:
    out = ["# Benchmark results", "",
           f"Produced by `{command}` on {time.strftime('%Y-%m-%d %H:%M %Z')} in {seconds / 60:.1f} min. "
           "Each figure is the median (or the percentile named) of several runs; every baseline was "
           "measured in the same run, interleaved with the product's runs. Benchmarks never fail CI on "
           "timing: tests/benchmarks/test_smoke.py runs each at a tiny size.", "",
           "| figure | value | target | baseline (same run) | ratio | status |",
           "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        out.append("| " + " | ".join(_cell(x) for x in (r.figure, r.value, r.target, r.baseline, r.ratio, r.status))
                   + " |")
    out += ["", "## Notes per row", ""]
    for r in rows:
        if r.note:
            flag = " **(missed)**" if r.met is False else (" **(not measured)**" if r.status == "not measured" else "")
            out.append(f"- **{r.figure}**{flag}: {r.note}")
    out += ["", "## Machine", ""] + [f"- {k}: {v}" for k, v in info.items()]
    changes = HERE / "changes.md"
    if changes.exists():
        out += ["", changes.read_text().strip()]
    return "\n".join(out) + "\n"


def write(path: Path, rows: list[Row], info: dict[str, str], seconds: float, command: str) -> None:
    path.write_text(render(rows, info, seconds, command))
    raw = {r.figure: {"value": r.value, "met": r.met, "extra": r.extra} for r in rows}
    path.with_suffix(".json").write_text(json.dumps({"machine": info, "rows": raw}, indent=1, default=str))
