"""Issue #15's workload as a benchmark setting of its own: a 2x2 wall of 1920x1080 monitors under
Xvfb (RandR monitors), per monitor 4 KPI tiles, 6 line charts of the last 24 h at one-minute
resolution (1440 points each) and 2 rankings of 12 OPDs; one source delivering new values for
every series every 5 s. The wall and the collector are the real `commandcenter wall` and
`commandcenter collect` processes; the feed server runs in the driver.

Rows: start-up to every panel painted; CPU of wall + collector while updating (with a check that
the panels changed); CPU with 10 sources polling unchanged data vs nothing polling; statements per
scene build; console GUI stall. `python -m benchmarks --only workload`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.common import PY, ROOT, Row, median, percentile

TZ = ZoneInfo("Asia/Jakarta")
SCENE = "workload"
METRICS = [f"wl_{k:02d}" for k in range(12)]
OPDS = ["setda", "setwan", "inspektorat", "bpkad", "bkd", "bpbd", "disdik", "dinkes", "rsud", "putr",
        "disperkim", "satpolpp"]
MONITORS = [("m0", "+0+0", "screen"), ("m1", "+1920+0", "none"), ("m2", "+0+1080", "none"),
            ("m3", "+1920+1080", "none")]
NAMES = ["Antrean Layanan", "Pengaduan Masuk", "Kunjungan Puskesmas", "Panggilan Darurat 112", "Lalu Lintas Simpang",
         "Pemakaian Air PDAM", "Beban Listrik", "Pasien IGD", "Kualitas Udara", "Permohonan Izin",
         "Transaksi Pajak", "Pengunjung Portal"]
SHORT = ["Antrean", "Pengaduan", "Puskesmas", "Panggilan 112", "Lalu lintas", "Air PDAM", "Listrik", "Pasien IGD",
         "Udara", "Izin", "Pajak", "Portal"]


# -- the setting: config, cache, feeds -----------------------------------------------------------
def _panels() -> list[str]:
    """Per monitor (12 x 12 cells of the 24 x 24 grid): 4 KPI tiles on top, 6 charts below them
    (2 across, 3 down), 2 rankings on the right."""
    out = []
    for m, (mx, my) in enumerate(((0, 0), (1, 0), (0, 1), (1, 1))):
        x0, y0 = mx * 12, my * 12
        for k in range(4):
            metric = METRICS[(m * 3 + k) % 12]
            out.append(f"      - {{id: k{m}{k}, type: kpi, cell: [{x0 + 2 * k}, {y0}, 2, 3], metric: {metric}, "
                       f"opd: {OPDS[(m + k) % 12]}}}")
        for c in range(6):
            metric, opd = METRICS[(m * 6 + c) % 12], OPDS[(m * 5 + c) % 12]
            out.append(f"      - {{id: c{m}{c}, type: timeseries, cell: [{x0 + 4 * (c % 2)}, {y0 + 3 + 3 * (c // 2)}, 4, 3],"
                       f" metric: {metric}, opd: {opd}, title: {NAMES[METRICS.index(metric)]}, options: {{window: 24h}}}}")
        for r in range(2):
            metric = METRICS[(m * 2 + r + 5) % 12]
            out.append(f"      - {{id: r{m}{r}, type: ranking, cell: [{x0 + 8}, {y0 + 6 * r}, 4, 6], metric: {metric},"
                       f" title: {NAMES[METRICS.index(metric)]}, options: {{top: 12}}}}")
    return out


def make_config(folder: Path, port: int, sources: str = "update") -> Path:
    """The demo city's config with the workload's metrics, scene and wall grid; `sources`:
    "update" (one feed, new values every 5 s), "same" (10 feeds, unchanged data every 5 s) or
    "none" (nothing polls)."""
    dest = folder / f"config-{sources}"
    shutil.copytree(ROOT / "config", dest, ignore=shutil.ignore_patterns("examples"))
    metrics = (dest / "metrics.yaml").read_text().rstrip() + "\n"
    for mid, name, short in zip(METRICS, NAMES, SHORT):
        # decimals: 1, as the feed's values have: a row of tiles reads "325,0" beside "239,8", not "325"
        metrics += (f"  - id: {mid}\n    name: {name}\n    short: {short}\n    unit: count\n    direction: higher\n"
                    f"    decimals: 1\n    period: instant\n    scored: false\n")
    (dest / "metrics.yaml").write_text(metrics)
    wall = (dest / "wall.yaml").read_text().replace("grid: {columns: 24, rows: 12}", "grid: {columns: 24, rows: 24}")
    (dest / "wall.yaml").write_text(wall)
    scenes = "version: 1\nscenes:\n" + f"  - id: {SCENE}\n    title: Layanan Kota Hari Ini\n    panels:\n"
    (dest / "scenes.yaml").write_text(scenes + "\n".join(_panels()) + "\n")
    (dest / "playlists.yaml").write_text(f"version: 1\ndefault: utama\nplaylists:\n  - id: utama\n    title: Utama\n"
                                         f"    items:\n      - {{scene: {SCENE}, dwell: 1h}}\n")
    (dest / "alerts.yaml").write_text("version: 1\nrules: []\n")
    if (dest / "apps.yaml").exists():  # the demo's application checks are not this workload
        (dest / "apps.yaml").unlink()
    if (dest / "reports.yaml").exists():
        (dest / "reports.yaml").unlink()
    lines = ["version: 1", "sources:"]
    # "none": the update config; nothing polls because no collector is started
    feeds = {"update": ["all"], "same": [f"same{i}" for i in range(10)], "none": ["all"]}[sources]
    for i, path in enumerate(feeds):
        lines += [f"  - id: feed-{i}", "    type: http_json", f"    name: Feed {i}", "    schedule: {every: 5s}",
                  "    timeout: 4s", f"    metrics: [{', '.join(METRICS)}]", "    options:",
                  f"      url: http://127.0.0.1:{port}/{path}", "      samples:", "        - records: data",
                  "          opd_field: opd", "          ts_field: ts",
                  "          values: {" + ", ".join(f"{m}: {m}" for m in METRICS) + "}"]
    (dest / "sources.yaml").write_text("\n".join(lines) + "\n")
    _drop_dangling(dest)
    return dest


def _drop_dangling(dest: Path) -> None:
    """alerts/reports may name the demo's sources and scenes; the benchmark needs neither."""
    from commandcenter.config import ConfigError, load_config

    try:
        load_config(dest)
    except ConfigError:
        (dest / "alerts.yaml").write_text("version: 1\nrules: []\n")
    if (dest / "apps.yaml").exists():  # the demo's application checks are not this workload
        (dest / "apps.yaml").unlink()
        load_config(dest)


def value(metric: int, opd: int, t: float) -> float:
    """A smooth daily wave per series plus a little deterministic wobble."""
    import math

    day = (t % 86400) / 86400
    return round(200 + 40 * metric + 15 * opd + 80 * math.sin(2 * math.pi * (day + opd / 12)) + (int(t) * 7919 % 13), 1)


def fill_cache(db: str, cfg_dir: Path, now: float) -> int:
    """24 h of one-minute history for every (metric, OPD) up to `now`, as a collector would have
    written it (a batch per minute of a day is too slow for a benchmark set-up: one batch)."""
    from commandcenter.cache import Cache, RunRecord, Sample
    from commandcenter.config import load_config

    cfg = load_config(cfg_dir)
    cache = Cache.open(db, city=cfg.city_key)
    end = int(now) // 60 * 60
    rows = [Sample(m, o, t, value(i, j, t)) for i, m in enumerate(METRICS) for j, o in enumerate(OPDS)
            for t in range(end - 1439 * 60, end + 1, 60)]
    n = cache.write_samples("feed-0", rows, known_at=now)
    for s in cfg.sources:
        cache.record_run(RunRecord(s.id, now - 1, now, "ok", rows=0))
    cache.rollup()
    cache.close()
    return n


class Feeds:
    """/all: every series' value at this 5-second tick (new every 5 s); /sameN: a fixed snapshot."""

    def __init__(self) -> None:
        self.hits = 0
        self.fixed = self._body(int(time.time()) // 60 * 60 - 3600)
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                feeds.hits += 1
                body = feeds._body(int(time.time()) // 5 * 5) if self.path == "/all" else feeds.fixed
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def _body(t: int) -> bytes:
        iso = datetime.fromtimestamp(t, TZ).isoformat()
        data = [{"opd": o, "ts": iso, **{m: value(i, j, t) for i, m in enumerate(METRICS)}} for j, o in enumerate(OPDS)]
        return json.dumps({"data": data}).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- Xvfb -----------------------------------------------------------------------------------------
class Xvfb:
    """One 3840x2160 screen split into four RandR monitors: Qt (xcb) sees four QScreens."""

    def __init__(self) -> None:
        n = next(n for n in range(150, 250) if not Path(f"/tmp/.X{n}-lock").exists())
        self.display = f":{n}"
        self.proc = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "3840x2160x24", "-nolisten", "tcp",
                                      "-noreset"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.env = dict(os.environ, DISPLAY=self.display, QT_QPA_PLATFORM="xcb")
        self.env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
        deadline = time.monotonic() + 20
        while subprocess.run(["xrandr", "--query"], env=self.env, capture_output=True).returncode != 0:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.2)
        for name, pos, output in MONITORS:
            subprocess.run(["xrandr", "--setmonitor", name, f"1920/508x1080/286{pos}", output], env=self.env,
                           check=True, capture_output=True)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


class Setting:
    """Feeds, Xvfb, the three configs and a warm cache in a temp folder."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="cc-bench-workload-")
        self.folder = Path(self._tmp.name)
        self.feeds = Feeds()
        self.configs = {k: make_config(self.folder, self.feeds.port, k) for k in ("update", "same", "none")}
        self.db = f"sqlite:///{self.folder / 'cache.sqlite'}"
        self.rows = fill_cache(self.db, self.configs["update"], time.time())
        # an installed app has its bytecode; this environment may forbid writing it
        # (PYTHONDONTWRITEBYTECODE), which would make every start compile the sources
        subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], cwd=ROOT, capture_output=True)
        self.x = Xvfb()

    def close(self) -> None:
        self.x.close()
        self.feeds.close()
        self._tmp.cleanup()

    def __enter__(self) -> "Setting":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- measurements ---------------------------------------------------------------------------------
def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_run(st: Setting, kind: str, seconds: float, warmup: float = 8.0) -> dict:
    """The wall (a probe around the real `commandcenter wall`) and, unless kind is "none", the
    real `commandcenter collect`, for `seconds` after `warmup`: CPU of both in % of one core, and
    how many panels took a new model meanwhile (the wall's own count, printed at exit)."""
    cfg = str(st.configs[kind])
    out = st.folder / f"probe-{kind}-{time.monotonic_ns()}.json"
    env = dict(st.x.env, CC_PROBE_OUT=str(out), CC_PROBE_AFTER=str(warmup))
    wall = subprocess.Popen([PY, "-m", "benchmarks.workchild", "--config", cfg, "--db", st.db, "--scene", SCENE,
                             "--quit-after", str(warmup + seconds + 1)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    coll = None
    if kind != "none":
        coll = subprocess.Popen([PY, "-m", "commandcenter", "collect", "--config", cfg, "--db", st.db], cwd=ROOT,
                                env=st.x.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(warmup)
        procs = [p for p in (wall, coll) if p is not None]
        c0, t0 = [_cpu_s(p.pid) for p in procs], time.perf_counter()
        time.sleep(seconds)
        c1, t1 = [_cpu_s(p.pid) for p in procs], time.perf_counter()
    finally:
        if coll is not None:
            coll.terminate()
            coll.wait(20)
    _out, err = wall.communicate(timeout=120)
    probe = json.loads(out.read_text()) if out.exists() else {"error": err[-1500:]}
    per = [(b - a) / (t1 - t0) * 100 for a, b in zip(c0, c1)]
    return {"percent": sum(per), "wall": per[0], "collector": per[1] if len(per) > 1 else 0.0, "probe": probe}


def startup_once(st: Setting) -> float:
    t0 = time.time()
    proc = subprocess.run([PY, "-m", "benchmarks.startchild", "--config", str(st.configs["none"]), "--db", st.db,
                           "--scene", SCENE], cwd=ROOT, env=st.x.env, capture_output=True, text=True, timeout=120)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("PAINTED")), None)
    if line is None:
        raise RuntimeError(f"the wall never painted every panel (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return float(line.split()[1]) - t0


def import_once(env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([PY, "-c", "import PySide6.QtWidgets"], cwd=ROOT, env=env, check=True, timeout=60)
    return time.perf_counter() - t0


def statements(st: Setting) -> list[Row]:
    """Statements per scene build (cold: a new Reader and first read; warm: the same again),
    the overview scene of the demo city and the 48-panel workload scene; baseline: what reading
    each panel on its own costs (a latest query per metric, a series query per line)."""
    from sqlalchemy import event

    from commandcenter.cache import Cache
    from commandcenter.config import load_config
    from commandcenter.wall.queries import build_scene
    from tests.ui.demo_fill import fill

    rows = []
    demo_db = f"sqlite:///{st.folder / 'demo.sqlite'}"
    demo_cfg = load_config(ROOT / "config")
    demo = Cache.open(demo_db, city=demo_cfg.city_key)
    fill(demo, demo_cfg, time.time())
    work_cfg = load_config(st.configs["update"])
    work = Cache.open(st.db, city=work_cfg.city_key)
    for label, cfg, cache, scene in (("overview scene (ringkasan)", demo_cfg, demo, "ringkasan"),
                                     ("48-panel workload scene", work_cfg, work, SCENE)):
        seen: list[str] = []
        note = lambda *a: seen.append(a[2])  # noqa: E731
        event.listen(cache.engine, "before_cursor_execute", note)
        counts = []
        for _ in range(2):  # cold, warm
            seen.clear()
            build_scene(cfg, cache, scene)
            counts.append(len(seen))
        seen.clear()
        _naive(cfg, cache, scene)
        base = len(seen)
        event.remove(cache.engine, "before_cursor_execute", note)
        rows.append(Row(f"statements per scene build, {label}, cold / warm", f"{counts[0]} / {counts[1]}",
                        "<= 20 each", f"{base} (each panel read alone)", f"{base / max(counts):.1f}x fewer",
                        met=max(counts) <= 20, extra={"cold": counts[0], "warm": counts[1], "baseline": base}))
    demo.close()
    work.close()
    return rows


def _naive(cfg, cache, scene_id: str) -> None:
    """Each panel on its own, as the wall read before issue #15: a latest query per metric, a
    series query per line or sparkline, scoring's own latest queries per scored KPI."""
    from commandcenter.wall.queries import panel_metrics

    scene = cfg.scene_by_id[scene_id]
    for p in scene.panels:
        for mid in panel_metrics(cfg, p):
            vals = cache.latest(mid)
            if p.type in ("kpi", "timeseries"):
                opds = [p.opd or ""] if p.type == "kpi" or p.opd else [v.opd for v in vals]
                for o in opds[:12]:
                    cache.series(mid, o, "", start=time.time() - 86400, end=None)


def stall_run(st: Setting, seconds: float, console: bool, warmup: float = 6.0) -> dict:
    proc = subprocess.run([PY, "-m", "benchmarks.workchild", "--config", str(st.configs["update"]), "--db", st.db,
                           "--scene", SCENE, "--stall", str(seconds)] + (["--console"] if console else []),
                          cwd=ROOT, env=dict(st.x.env, CC_PROBE_AFTER=str(warmup)), capture_output=True, text=True,
                          timeout=seconds + 120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"stall run failed: {proc.stderr[-1500:]}")
    return json.loads(lines[-1])


def screenshot(st: Setting, path: Path) -> None:
    """The wall as it runs: the collector polling the feed (sources fresh), the screenshot after
    a few refreshes."""
    cfg = str(st.configs["update"])
    coll = subprocess.Popen([PY, "-m", "commandcenter", "collect", "--config", cfg, "--db", st.db], cwd=ROOT,
                            env=st.x.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        proc = subprocess.run([PY, "-m", "commandcenter", "wall", "--config", cfg, "--db", st.db, "--scene", SCENE,
                               "--screenshot", str(path), "--quit-after", "14"], cwd=ROOT, env=st.x.env,
                              capture_output=True, text=True, timeout=120)
    finally:
        coll.terminate()
        coll.wait(20)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-1500:])


def run(quick: bool = False, seconds: float | None = None, runs: int | None = None, shot: Path | None = None,
        warmup: float | None = None, smoke: bool = False) -> list[Row]:
    """`smoke`: every row at a tiny size (tests/benchmarks); a full run also writes the wall's
    screenshot beside RESULTS.md."""
    seconds = seconds or (10 if quick else 45)
    runs = runs or (1 if quick else 2)
    warmup = warmup or (8.0 if not smoke else 3.0)
    if shot is None and not (quick or smoke):
        shot = Path(__file__).resolve().parent / "workload-wall.png"
    rows: list[Row] = []
    with Setting() as st:
        # start-up, interleaved with its baseline; the first start pays the OS file cache
        if not smoke:
            startup_once(st)
        walls, imports = [], []
        for r in range(1 if smoke else runs + 2):
            walls.append(startup_once(st))
            imports.append(import_once(st.x.env))
        w, b = median(walls), median(imports)
        rows.append(Row("workload: start-up to every panel painted (Xvfb, 4 monitors, 48 panels, warm cache)",
                        f"{w:.2f} s", "<= 1.5 s", f"{b:.2f} s (import PySide6.QtWidgets)", f"{w / b:.1f}x", met=w <= 1.5,
                        note=f"median of {len(walls)}: {[round(x, 2) for x in walls]}",
                        extra={"product": walls, "baseline": imports}))
        # CPU: updating / polling nothing new / nothing polling, interleaved
        got: dict[str, list[dict]] = {"update": [], "same": [], "none": []}
        for _ in range(runs):
            for kind in ("none", "same", "update"):
                got[kind].append(cpu_run(st, kind, seconds, warmup))
        none = median([g["percent"] for g in got["none"]])
        upd, same = median([g["percent"] for g in got["update"]]), median([g["percent"] for g in got["same"]])
        changed = [g["probe"].get("changed", 0) for g in got["update"]]
        total = got["update"][0]["probe"].get("panels", 0)
        rows.append(Row("workload: CPU, wall + collector, new values for every series every 5 s",
                        f"{upd:.1f}% of one core", "<= 8%", f"{none:.2f}% (same wall, nothing polling)",
                        f"{upd / max(none, 0.01):.1f}x", met=upd <= 8 and min(changed) >= 40,
                        note=f"{seconds:.0f} s per run, median of {runs}: {[round(g['percent'], 1) for g in got['update']]} "
                             f"(wall {[round(g['wall'], 1) for g in got['update']]}, collector "
                             f"{[round(g['collector'], 1) for g in got['update']]}); panels with a new model during "
                             f"each run: {changed} of {total}; scene builds {[g['probe'].get('builds') for g in got['update']]}",
                        extra=got["update"]))
        rows.append(Row("workload: CPU, 10 sources polling every 5 s, nothing new",
                        f"{same:.2f}% of one core", "<= 1% and <= baseline + 0.5", f"{none:.2f}% (nothing polling)",
                        f"+{same - none:.2f} points", met=same <= 1.0 and same - none <= 0.5,
                        note=f"runs: {[round(g['percent'], 2) for g in got['same']]} (wall "
                             f"{[round(g['wall'], 2) for g in got['same']]}); baseline runs "
                             f"{[round(g['percent'], 2) for g in got['none']]}; scene builds while polling: "
                             f"{[g['probe'].get('builds') for g in got['same']]}",
                        extra={"same": got["same"], "none": got["none"]}))
        rows += statements(st)
        # console GUI stall while the wall refreshes and thumbnails update; baseline: no console
        with_c, without = [], []
        for _ in range(runs):  # interleaved
            with_c.append(stall_run(st, seconds / 2, True, warmup))
            without.append(stall_run(st, seconds / 2, False, warmup))
        p99 = median([percentile(r["lateness"], 99) for r in with_c])
        mx = median([max(r["lateness"]) for r in with_c])
        b99 = median([percentile(r["lateness"], 99) for r in without])
        bmx = median([max(r["lateness"]) for r in without])
        rows.append(Row("workload: console GUI stall p99 (wall + console, thumbnails updating)", f"{p99:.1f} ms",
                        "<= 16 ms", f"{b99:.1f} ms (the wall alone)", f"{p99 / max(b99, 0.01):.1f}x", met=p99 <= 16,
                        note=f"{seconds / 2:.0f} s per run; wall refreshes {[r['builds'] for r in with_c]}, thumbnail "
                             f"passes {[r.get('thumbs') for r in with_c]}",
                        extra={"product": with_c, "baseline": without}))
        rows.append(Row("workload: console GUI stall max (same runs)", f"{mx:.1f} ms", "<= 50 ms",
                        f"{bmx:.1f} ms (the wall alone)", f"{mx / max(bmx, 0.01):.1f}x", met=mx <= 50))
        if shot is not None:
            screenshot(st, shot)
    return rows
