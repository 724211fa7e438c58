"""README command 1 stops on Ctrl+C: SIGINT to `scripts/demo.sh` (no display, so it runs its own
Xvfb) ends the demo and the Xvfb it started, within seconds."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xrandr") is None, reason="needs Xvfb and xrandr")
def test_sigint_stops_the_demo_and_its_xvfb(tmp_path):
    venv = Path(sys.executable).parent.parent
    # this venv already holds the package (test extras include the runtime): tell bootstrap.sh so
    digest = hashlib.sha1((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:12]
    (venv / f".cc-installed-{digest}").touch()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(CC_VENV=str(venv), HOME=str(tmp_path))
    proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "demo.sh"), "--no-console", "--quit-after", "300",
                             "--db", f"sqlite:///{tmp_path / 'demo.sqlite'}"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = ""
    deadline = time.monotonic() + 120
    while "Ctrl+C to stop" not in seen and time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stdout.readline()
    assert "Ctrl+C to stop" in seen, seen[-3000:]
    children = _children(proc.pid)
    deadline = time.monotonic() + 30  # the demo's python and Xvfb are both running
    while len(children) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        children |= _children(proc.pid)
    time.sleep(3)  # the wall is coming up under Xvfb
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        took = time.monotonic() - started
        assert proc.poll() is not None and took < 15, f"demo.sh took {took:.1f} s to stop (or never did)"
        time.sleep(0.5)
        left = [pid for pid in children if _alive(pid)]
        assert left == [], f"still running after SIGINT: {left}"
    finally:  # whatever happened, leave nothing of this test running
        for pid in [proc.pid, *children]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
