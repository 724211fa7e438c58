"""Shared pieces: rows of the results table, timing helpers, machine info."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


@dataclass
class Row:
    """One line of RESULTS.md. `met` is None when the target has no pass/fail sense or the
    figure was not measured."""

    figure: str
    value: str
    target: str
    baseline: str = "-"
    ratio: str = "-"
    met: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)  # raw numbers, for the smoke tests and JSON dump

    @property
    def status(self) -> str:
        if self.value.startswith("not measured"):
            return "not measured"
        return {True: "met", False: "**missed**", None: "-"}[self.met]


def not_measured(figure: str, target: str, why: str) -> Row:
    return Row(figure, f"not measured: {why}", target, met=None, note=why)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: a p99 is a latency that really happened)."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0


def machine_info() -> dict[str, str]:
    import sqlite3

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "memory": _mem_total(),
        "sqlite": sqlite3.sqlite_version,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    for mod in ("PySide6", "pyqtgraph", "sqlalchemy", "numpy"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception as exc:  # a missing GUI stack must not stop the cache benchmarks
            info[mod] = f"unavailable ({exc.__class__.__name__})"
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True, timeout=10).stdout.strip()
    except Exception:
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) // 1024} MB"
    except OSError:
        pass
    return "?"


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


def fmt_ms(x: float) -> str:
    return f"{x:.1f} ms" if x >= 1 else f"{x:.2f} ms"


def run_child(args: list[str], env: dict[str, str], timeout: float) -> dict:
    """Run `python -m benchmarks.wallchild ...` and return the JSON its last stdout line holds."""
    import json

    proc = subprocess.run([PY, "-m", "benchmarks.wallchild", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout)[-1500:]
        raise RuntimeError(f"wallchild {args[0]} exited {proc.returncode}: {tail}")
    return json.loads(lines[-1])
