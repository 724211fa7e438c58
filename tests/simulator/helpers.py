"""A running simulator plus a copy of the demo config pointing at it (port, data folder, timeouts)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from commandcenter.config import load_config
from commandcenter.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config"


@dataclass
class SimEnv:
    sim: Simulator
    cfg: Any
    config_dir: Path
    data_dir: Path


def demo_copy(dest: Path, data_dir: Path) -> Path:
    shutil.copytree(DEMO, dest, ignore=shutil.ignore_patterns("examples"))
    # Collection does not depend on panels: every panel becomes a kpi, so these tests do not
    # break while panel kinds come and go (validation checks panel types and their options).
    scenes = dest / "scenes.yaml"
    text = re.sub(r"type: [a-z_]+", "type: kpi", scenes.read_text(encoding="utf-8"))
    scenes.write_text(re.sub(r"(, |\n\s+)options: \{[^}]*\}", "", text), encoding="utf-8")
    city = dest / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8") + f"  data_dir: {data_dir}\n", encoding="utf-8")
    return dest


def start_sim_env(tmp: Path, today: date | None = date(2026, 6, 30), timeout: float = 2.0,
                  retries: int = 1, seed: int = 0) -> SimEnv:
    data_dir = tmp / "data"
    config_dir = demo_copy(tmp / "config", data_dir)
    sim = Simulator(load_config(config_dir), port=0, today=today, seed=seed, slow_seconds=3.0)
    port = sim.start()
    sources = config_dir / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("127.0.0.1:8765", f"127.0.0.1:{port}"),
                       encoding="utf-8")
    apps = config_dir / "apps.yaml"  # the applications the simulator serves, at its ports
    if apps.is_file():
        text = apps.read_text(encoding="utf-8").replace("127.0.0.1:8765", f"127.0.0.1:{port}")
        apps.write_text(text.replace("127.0.0.1:8766", f"127.0.0.1:{sim.tls_port or 9}"), encoding="utf-8")
    cfg = load_config(config_dir)
    cfg.sources = [s.model_copy(update={"timeout": timeout, "retries": retries}) for s in cfg.sources]
    return SimEnv(sim, cfg, config_dir, data_dir)
