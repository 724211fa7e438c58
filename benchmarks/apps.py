"""Application checks at scale: 500 applications checked every 60 s by the real Collector
(apps.yaml; 1% answer 503, 1% never answer within the 5 s deadline), against a local server in
its own process. Figures: the collector's CPU (share of one core) and RSS, against the same
collector with no applications; the wall's GUI stall (10 ms heartbeat lateness, p99 and max)
showing the applications scene while the results arrive, against the same wall with none
arriving."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import PY, ROOT, Row, fmt_ms, median, percentile
from benchmarks.rig import qt_env

N_APPS = 500


def make_config(folder: Path, port: int, n: int, with_apps: bool = True) -> Path:
    dest = folder / ("config" if with_apps else "config-noapps")
    shutil.copytree(ROOT / "config", dest, ignore=shutil.ignore_patterns("examples"))
    city = dest / "city.yaml"
    city.write_text(city.read_text() + f"  data_dir: {folder / 'data'}\n")
    opds = [ln.split("code:")[1].split(",")[0].strip() for ln in (dest / "opds.yaml").read_text().splitlines()
            if "code:" in ln and "valid_to" not in ln]
    lines = ["version: 1", "availability_metric: ketersediaan_aplikasi", "concurrency: 32",
             "defaults: {interval: 60s, timeout: 5s}", "apps:"]
    for i in range(n):  # the baseline has them all disabled: the same scene, no checks
        lines.append(f"  - {{id: app-{i:03d}, opd: {opds[i % len(opds)]}, name: Aplikasi {i:03d}, enabled: {with_apps}, "
                     f"check: {{kind: http, url: 'http://127.0.0.1:{port}/app/{i}', keyword: Masuk}}}}")
    (dest / "apps.yaml").write_text("\n".join(lines) + "\n")
    return dest


def _child(args: list[str], env: dict, timeout: float) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "benchmarks.appschild", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen, timeout: float) -> dict:
    out, err = proc.communicate(timeout=timeout)
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"appschild exited {proc.returncode}: {(err or out)[-1500:]}")
    return json.loads(lines[-1])


def run(quick: bool = False, n: int | None = None, seconds: float | None = None) -> list[Row]:
    n = n or (60 if quick else N_APPS)
    seconds = seconds or (70 if quick else 190)  # >= 3 cycles of 60 s in the full run
    tmp = Path(tempfile.mkdtemp(prefix="cc-bench-apps-"))
    env = qt_env(tmp)
    port_file = tmp / "port"
    server = _child(["server", "--port-file", str(port_file), "--seconds", str(3 * seconds + 120)], env, 0)
    try:
        while not port_file.exists():
            time.sleep(0.1)
        port = int(port_file.read_text())
        cfg_apps, cfg_none = make_config(tmp, port, n), make_config(tmp, port, n, with_apps=False)
        runs = {}
        for label, cfg in (("apps", cfg_apps), ("none", cfg_none)):
            db = f"sqlite:///{tmp / f'{label}.sqlite'}"
            common = ["--config", str(cfg), "--db", db, "--seconds", str(seconds)]
            col = _child(["collector", *common], env, 0)
            time.sleep(3)  # the wall starts while the first cycle runs
            wall = _child(["wall", *common[:4], "--seconds", str(seconds - 15), "--warmup", "5"], env, 0)
            runs[label] = (_result(col, seconds + 120), _result(wall, seconds + 120))
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    (pc, pw), (bc, bw) = runs["apps"], runs["none"]
    p99, mx = percentile(pw["lateness"], 99), max(pw["lateness"])
    b99, bmx = percentile(bw["lateness"], 99), max(bw["lateness"])
    cpu_note = (f"{n} apps every 60 s for {seconds:.0f} s, concurrency 32, 5 s deadline; {pc['flushes']} result "
                f"batches written, {pc['apps_written']} apps with values; RSS {pc['rss_start_mb']:.0f} -> "
                f"{pc['rss_mb']:.0f} MB (no apps: {bc['rss_mb']:.0f} MB)")
    return [
        Row(f"application checks: collector CPU, {n} apps every 60 s", f"{pc['cpu_percent']:.1f}% of one core",
            "<= 25% of one core", f"{bc['cpu_percent']:.1f}% (collector, no apps)",
            f"+{pc['cpu_percent'] - bc['cpu_percent']:.1f} points", met=pc["cpu_percent"] <= 25, note=cpu_note,
            extra={"product": [pc["cpu_percent"]], "baseline": [bc["cpu_percent"]]}),
        Row(f"application checks: collector RSS, {n} apps", f"{pc['rss_mb']:.0f} MB", "<= 1.5x baseline",
            f"{bc['rss_mb']:.0f} MB (no apps)", f"{pc['rss_mb'] / bc['rss_mb']:.2f}x",
            met=pc["rss_mb"] <= 1.5 * bc["rss_mb"], note=cpu_note,
            extra={"product": [pc["rss_mb"]], "baseline": [bc["rss_mb"]]}),
        Row("GUI stall p99 while application results arrive (applications scene)", fmt_ms(p99), "<= 16 ms",
            f"{fmt_ms(b99)} (no results arriving)", f"{p99 / b99:.1f}x" if b99 > 0 else "-", met=p99 <= 16,
            note=f"{pw['refreshes']} wall refreshes in {seconds - 15:.0f} s (baseline {bw['refreshes']}); "
                 f"{len(pw['lateness'])} heartbeats", extra={"product": [p99], "baseline": [b99]}),
        Row("GUI stall max (same run)", fmt_ms(mx), "<= 50 ms", f"{fmt_ms(bmx)} (no results arriving)",
            f"{mx / bmx:.1f}x" if bmx > 0 else "-", met=mx <= 50, extra={"product": [mx], "baseline": [bmx]},
            note=f"wall process garbage collections: longest {pw['gc_max_ms']:.0f} ms, {pw['gen2']} full ones "
                 f"(longest {pw['gen2_max_ms']:.0f} ms); baseline longest {bw['gc_max_ms']:.0f} ms"),
    ]


if __name__ == "__main__":
    for r in run(quick=bool(os.environ.get("QUICK"))):
        print(r)
