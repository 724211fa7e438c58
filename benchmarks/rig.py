"""The benchmark wall's setting: a temp copy of config/ with a 48-panel scene (12 per screen on
the 2x2 wall) and, for polling benchmarks, a sources.yaml of 100 feeds on the local server; a
screens.json for Qt's offscreen platform with 4 screens; a warm cache filled by the real
Collector from those feeds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from benchmarks import feeds
from benchmarks.common import ROOT

SCENE = "bench-48"
SCREENS = [(0, 0), (1920, 0), (0, 1080), (1920, 1080)]
_KINDS = ["kpi", "kpi", "timeseries", "kpi", "kpi", "ranking", "kpi", "timeseries", "kpi", "table", "kpi", "kpi"]


def screens_json(folder: Path) -> Path:
    path = folder / "screens.json"
    path.write_text(json.dumps({"screens": [
        {"name": f"s{i}", "x": x, "y": y, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1} for i, (x, y) in enumerate(SCREENS)]}))
    return path


def qt_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screens_json(folder)}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env.pop("QT_LOGGING_RULES", None)
    return env


def _panels() -> list[str]:
    """12 panels per monitor (3x2 cells of its 12x6), each fed by one of the 100 feeds."""
    out = []
    n = 0
    for mx, my in ((0, 0), (1, 0), (0, 1), (1, 1)):
        for k, kind in enumerate(_KINDS):
            metric, opd = feeds.metric_opd(n * 2 % 100)  # even feeds: some normal, some slow
            col, row = mx * 12 + (k % 4) * 3, my * 6 + (k // 4) * 2
            pid = f"p{n:02d}"
            extra = f", opd: {opd}" if kind in ("kpi", "timeseries") else ""
            opts = ", options: {top: 5}" if kind in ("ranking", "table") else ""
            out.append(f"      - {{id: {pid}, type: {kind}, cell: [{col}, {row}, 3, 2], metric: {metric}{extra}, "
                       f"title: Panel {n}{opts}}}")
            n += 1
    return out


def make_config(folder: Path, port: int | None = None, every: str = "10s", n_feeds: int = 100) -> Path:
    """config/ copied, the benchmark scene added, and (with a port) sources.yaml replaced by the
    local feeds; the city's data_dir points into the temp folder so nothing touches the user's."""
    dest = folder / "config"
    shutil.copytree(ROOT / "config", dest, ignore=shutil.ignore_patterns("examples"))
    scenes = (dest / "scenes.yaml").read_text().rstrip() + "\n"
    scenes += (f"  - id: {SCENE}\n    title: Benchmark wall, 48 panels\n    panels:\n" + "\n".join(_panels()) + "\n")
    (dest / "scenes.yaml").write_text(scenes)
    if port is not None:
        lines = ["version: 1", "sources:"]
        for i in range(n_feeds):
            metric, _opd = feeds.metric_opd(i)
            lines += [f"  - id: feed-{i:03d}", "    type: http_json", f"    name: Feed {i} ({feeds.kind(i)})",
                      f"    schedule: {{every: {every}}}", "    timeout: 8s", "    retries: 1",
                      f"    metrics: [{metric}]", "    options:",
                      f"      url: http://127.0.0.1:{port}/feed/{i}",
                      "      samples:", "        - records: data", "          opd_field: opd",
                      "          ts_field: ts", f"          values: {{{metric}: v}}"]
        (dest / "sources.yaml").write_text("\n".join(lines) + "\n")
        _drop_dangling_alerts(dest)
    return dest


def _drop_dangling_alerts(dest: Path) -> None:
    """alerts.yaml may name the demo's source ids; with our feeds those would not validate."""
    from commandcenter.config import ConfigError, load_config

    try:
        load_config(dest)
    except ConfigError:
        (dest / "alerts.yaml").write_text("version: 1\nrules: []\n")
        load_config(dest)


def warm_cache(config_dir: Path, db_url: str) -> int:
    """Poll every quick feed once with the real Collector: the wall starts with data."""
    from commandcenter.cache import Cache
    from commandcenter.collector import Collector
    from commandcenter.config import load_config

    cfg = load_config(config_dir)
    cache = Cache.open(db_url, city=cfg.city_key)
    try:
        quick = [s.id for s in cfg.sources if "(normal)" in (s.name or "") or "(slow)" in (s.name or "")]
        results = Collector(cfg, cache, max_workers=8, backoff=0.05).run_all(quick)
        cache.rollup()
        return sum(r.written for r in results)
    finally:
        cache.close()


class Setting:
    """Feed server + config + warm cache + Qt env in a temp folder, for one benchmark module."""

    def __init__(self, feeds_on: bool = True, every: str = "10s", n_feeds: int = 100):
        import tempfile

        self._tmp = tempfile.TemporaryDirectory(prefix="cc-bench-wall-")
        self.folder = Path(self._tmp.name)
        self.server = feeds.FeedServer().start() if feeds_on else None
        port = self.server.port if self.server else None
        # the warm-up poll needs the feeds even when the measured wall has no sources
        warm_server = self.server or feeds.FeedServer().start()
        warm_cfg = make_config(self.folder / "warm", warm_server.port, every=every, n_feeds=n_feeds)
        self.config = make_config(self.folder, port, every=every, n_feeds=n_feeds) if feeds_on else self._no_sources(warm_cfg)
        self.db = f"sqlite:///{self.folder / 'cache.sqlite'}"
        slow = warm_server.slow_range
        warm_server.slow_range = (0.0, 0.0)  # the warm cache needs their data, not their delay
        self.warm_rows = warm_cache(warm_cfg, self.db)
        warm_server.slow_range = slow
        if warm_server is not self.server:
            warm_server.stop()
        self.env = qt_env(self.folder)

    def _no_sources(self, warm_cfg: Path) -> Path:
        """The wall alone (no polling in this process): the demo city's own sources.yaml."""
        return make_config(self.folder, None)

    def close(self) -> None:
        if self.server:
            self.server.stop()
        self._tmp.cleanup()

    def __enter__(self) -> "Setting":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Borrowed:
    def __init__(self, st: Setting):
        self.st = st

    def __enter__(self) -> Setting:
        return self.st

    def __exit__(self, *exc) -> None:
        pass  # the owner closes it


def shared_or_new(setting: Setting | None, **kw):
    """The smoke tests share one Setting across benchmarks; a real run makes its own."""
    return _Borrowed(setting) if setting is not None else Setting(**kw)
