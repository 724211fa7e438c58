"""Web panels: memory and idle CPU of the wall with 0, 1 and 4 `web` panels, beside the same wall
without them (the same four cells holding text panels), measured in the same run.

Each configuration runs in a fresh process (benchmarks/webchild.py) on the 4-screen offscreen
platform; the pages (the simulator's complaints dashboard) are served from this process. Memory
is the PSS of the wall process and all its descendants (Chromium's renderer, GPU and utility
processes), so shared libraries count once; idle CPU is the CPU time of that process tree over
wall time, after the pages loaded and settled.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import PY, ROOT, Row, median, not_measured
from benchmarks.rig import qt_env

FIGURES = [("web panels: memory (PSS of the wall's process tree)", "the cost of each page known"),
           ("web panels: idle CPU of the wall's process tree", "the cost of each page known")]
CELLS = ([0, 0, 12, 6], [12, 0, 12, 6], [0, 6, 12, 6], [12, 6, 12, 6])


def make_config(folder: Path, port: int, n_web: int) -> Path:
    """The demo config with one scene `bench-web`: n_web web panels, the rest text panels."""
    dest = folder / f"config-{n_web}"
    shutil.copytree(ROOT / "config", dest, ignore=shutil.ignore_patterns("examples"))
    lines = ["  - id: bench-web", "    title: Benchmark web panels", "    panels:"]
    for k, cell in enumerate(CELLS):
        if k < n_web:
            lines.append(f"      - {{id: web{k}, type: web, cell: {cell}, title: Halaman {k}, options: "
                         f"{{url: 'http://127.0.0.1:{port}/halaman/pengaduan?p={k}', allowed_hosts: [127.0.0.1]}}}}")
        else:
            lines.append(f"      - {{id: text{k}, type: text, cell: {cell}, title: Teks {k}, options: "
                         f"{{text: 'Panel teks pengganti {k}'}}}}")
    scenes = dest / "scenes.yaml"
    scenes.write_text(scenes.read_text().rstrip() + "\n" + "\n".join(lines) + "\n")
    city = dest / "city.yaml"
    city.write_text(city.read_text().replace("city:\n", f"city:\n  data_dir: {folder / 'data'}\n", 1))
    return dest


def run_child(config: Path, db: str, env: dict, seconds: float, settle: float) -> dict:
    import json

    proc = subprocess.run([PY, "-m", "benchmarks.webchild", "--config", str(config), "--db", db,
                           "--seconds", str(seconds), "--settle", str(settle)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + settle + 240)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"webchild exited {proc.returncode}: {(proc.stderr or proc.stdout)[-1500:]}")
    return json.loads(lines[-1])


def run(quick: bool = False, seconds: float | None = None, repeats: int | None = None,
        settle: float | None = None) -> list[Row]:
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401
    except ImportError as exc:
        return [not_measured(f, t, f"the `web` extra is not installed ({exc})") for f, t in FIGURES]
    from commandcenter.config import load_config
    from commandcenter.simulator import Simulator

    seconds = seconds or (5 if quick else 30)
    repeats = repeats or (1 if quick else 3)
    settle = settle if settle is not None else (4 if quick else 10)
    folder = Path(tempfile.mkdtemp(prefix="cc-bench-web-"))
    sim = Simulator(load_config(ROOT / "config"), port=0, drop_dir=folder / "drops", db_path=folder / "sim.sqlite")
    port = sim.start()
    try:
        env = qt_env(folder)
        results: dict[int, list[dict]] = {0: [], 1: [], 4: []}
        configs = {n: make_config(folder, port, n) for n in results}
        for r in range(repeats):  # interleaved, so a noisy neighbour hits every configuration alike
            for n in results:
                db = f"sqlite:///{folder / f'cache-{n}-{r}.sqlite'}"
                results[n].append(run_child(configs[n], db, env, seconds, settle))
    finally:
        sim.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return _rows(results, seconds, repeats)


def _rows(results: dict[int, list[dict]], seconds: float, repeats: int) -> list[Row]:
    mem = {n: median([x["pss_mb"] for x in runs]) for n, runs in results.items()}
    cpu = {n: median([x["cpu_percent"] for x in runs]) for n, runs in results.items()}
    procs = {n: median([x["processes"] for x in runs]) for n, runs in results.items()}
    base_m, base_c = mem[0], cpu[0]
    rows = []
    further = (mem[4] - mem[1]) / 3  # the first page also starts Chromium's shared processes
    for n in (1, 4):
        per_m = (mem[n] - base_m) / n
        rows.append(Row(f"web panels: memory, wall with {n} web panel(s)", f"{mem[n]:.0f} MB",
                        "the cost of each page known", f"{base_m:.0f} MB (0 web panels)", f"{mem[n] / base_m:.2f}x",
                        met=None, note=f"{per_m:+.0f} MB per page on average (the first page {mem[1] - base_m:+.0f} MB "
                                       f"with Chromium's shared processes, each further page {further:+.0f} MB); "
                                       f"{procs[n]:.0f} processes vs {procs[0]:.0f}; median of {repeats}", extra={"mem": mem, "procs": procs}))
        rows.append(Row(f"web panels: idle CPU, wall with {n} web panel(s)", f"{cpu[n]:.2f}% of one core",
                        "the cost of each page known", f"{base_c:.2f}% (0 web panels)",
                        f"{cpu[n] / base_c:.2f}x" if base_c > 0 else "-", met=None,
                        note=f"{(cpu[n] - base_c) / n:+.2f} points per page over {seconds:.0f} s idle; "
                             f"median of {repeats}", extra={"cpu": cpu}))
    return rows
