"""`wall` and `demo` end within 10 s of SIGTERM or SIGINT (issue 18), in processes of their own;
the demo with a collector run blocked on a slow server, recorded as cancelled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from tests.collector.test_stop import HTTP_SOURCE, DripServer
from tests.simulator.helpers import demo_copy

ROOT = Path(__file__).resolve().parents[2]


class Proc:
    """A commandcenter process whose output lines are collected as they come."""

    def __init__(self, *args: str):
        self.p = subprocess.Popen([sys.executable, "-m", "commandcenter", *args], cwd=ROOT, env=dict(os.environ),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.p.stdout:
            self.lines.append(line)

    def wait_for(self, ready: threading.Event | str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not (ready.is_set() if isinstance(ready, threading.Event) else any(ready in x for x in self.lines)):
            assert self.p.poll() is None, "".join(self.lines)[-3000:]
            assert time.monotonic() < deadline, f"not ready: {''.join(self.lines)[-3000:]}"
            time.sleep(0.2)

    def stop(self, signum: int) -> float:
        self.p.send_signal(signum)
        started = time.monotonic()
        try:
            self.p.wait(15)
        except subprocess.TimeoutExpired:
            self.p.kill()
            pytest.fail(f"did not stop within 15 s of signal {signum}: {''.join(self.lines)[-3000:]}")
        return time.monotonic() - started


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_wall_stops_on_signal(config_copy, tmp_path, signum):
    proc = Proc("wall", "--config", str(config_copy), "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
                "--screenshot", str(tmp_path / "wall.png"))
    proc.wait_for("wall screenshot:")  # the wall is up and painted
    elapsed = proc.stop(signum)
    assert proc.p.returncode == 0, "".join(proc.lines)[-3000:]
    assert elapsed < 10
    assert "Traceback" not in "".join(proc.lines)


def test_demo_stops_on_sigterm_with_a_run_blocked_on_a_slow_server(tmp_path):
    server = DripServer()
    config = demo_copy(tmp_path / "config", tmp_path / "data")
    sources = config / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").rstrip() + "\n" + HTTP_SOURCE.format(url=server.url),
                       encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    proc = Proc("demo", "--config", str(config), "--db", db, "--no-console")
    proc.wait_for(server.hit)
    time.sleep(0.5)
    elapsed = proc.stop(signal.SIGTERM)
    assert proc.p.returncode == 0, "".join(proc.lines)[-3000:]
    assert elapsed < 10, elapsed
    cache = Cache.open(db, city="1275")
    try:
        assert [r.status for r in cache.runs(limit=200) if r.source == "lambat"] == ["cancelled"]
    finally:
        cache.close()
