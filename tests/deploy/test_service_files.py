"""The service files an admin installs: systemd units (restart on failure, settings and secrets only
from environment files), the XDG autostart entry, and the kiosk launcher's restart loop run for
real (with the real wall, and with a program that keeps failing)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KIOSK = DEPLOY / "bin" / "commandcenter-wall-kiosk"


def unit(path: Path) -> dict[tuple[str, str], list[str]]:
    """systemd's format: sections, repeatable keys (configparser cannot keep repeats)."""
    out: dict[tuple[str, str], list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.setdefault((section, key.strip()), []).append(value.strip())
    return out


@pytest.mark.parametrize("name", ["commandcenter-collect.service", "commandcenter-collect@.service"])
def test_collector_unit_restarts_and_keeps_secrets_out(name):
    u = unit(DEPLOY / "systemd" / name)
    assert u[("Service", "Restart")] == ["on-failure"]
    assert u[("Service", "ExecStart")][0].endswith("commandcenter collect")
    assert u[("Service", "KillSignal")] == ["SIGTERM"]
    assert u[("Service", "RestartPreventExitStatus")] == ["2"]  # invalid config: no restart loop
    assert u[("Service", "User")] == ["commandcenter"]
    assert u[("Install", "WantedBy")] == ["multi-user.target"]
    assert u[("Unit", "StartLimitIntervalSec")] == ["0"]
    assert any("commandcenter.env" in f for f in u[("Service", "EnvironmentFile")])
    text = "\n".join(line for line in (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("#"))
    assert not re.search(r"PGPASSWORD=\S|://[^@\s/]+:[^@\s/]+@", text), "a password in a unit file"


def test_wall_units_and_autostart_entry():
    u = unit(DEPLOY / "systemd" / "commandcenter-wall.service")
    assert u[("Service", "Restart")] == ["on-failure"]
    assert u[("Service", "ExecStart")][0].endswith("commandcenter wall")
    desktop = unit(DEPLOY / "autostart" / "commandcenter-wall.desktop")
    assert desktop[("Desktop Entry", "Type")] == ["Application"]
    assert desktop[("Desktop Entry", "Exec")] == ["/usr/local/bin/commandcenter-wall-kiosk"]
    assert desktop[("Desktop Entry", "X-GNOME-Autostart-enabled")] == ["true"]
    assert ("Desktop Entry", "Name[id]") in desktop
    if shutil.which("desktop-file-validate"):
        r = subprocess.run(["desktop-file-validate", str(DEPLOY / "autostart" / "commandcenter-wall.desktop")],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_units_verify(tmp_path):
    for name in ("commandcenter-collect.service", "commandcenter-wall.service"):
        r = subprocess.run(["systemd-analyze", "verify", "--man=no", str(DEPLOY / "systemd" / name)],
                           capture_output=True, text=True)
        # the binary and user need not exist on the test machine; syntax errors would show here
        assert "Unknown key" not in r.stderr and "Invalid section" not in r.stderr, r.stderr


def test_env_examples_hold_no_secret_values():
    for name in ("commandcenter.env.example", "collect.env.example"):
        for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
            assert not line or line.startswith("#"), f"{name}: an active setting in an example: {line}"


def kiosk(tmp_path: Path, bin_path: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COMMANDCENTER_", "CC_"))}
    base.update(CC_BIN=bin_path, CC_WALL_RESTART_DELAY="0.1", HOME=str(tmp_path), **env)
    base.pop("DISPLAY", None)
    return subprocess.run(["bash", str(KIOSK), *args], env=base, capture_output=True, text=True, timeout=240)


def test_kiosk_launcher_restarts_a_failing_wall_then_gives_up(tmp_path):
    r = kiosk(tmp_path, shutil.which("false"), CC_WALL_MAX_RESTARTS="2",
              CC_ENV_FILE=str(tmp_path / "missing.env"))
    assert r.returncode == 1
    assert "restart 1 in 0.1s" in r.stderr and "restart 2 in 0.2s" in r.stderr
    assert "giving up after 2 restarts" in r.stderr


def test_kiosk_launcher_runs_the_real_wall_and_stops_on_a_normal_exit(tmp_path):
    """The env file sets config and cache; the wall shows, quits after 2 s with 0, the loop ends."""
    cc = Path(sys.executable).parent / "commandcenter"
    if not cc.exists():
        pytest.skip("the commandcenter console script is not installed in this environment")
    env_file = tmp_path / "commandcenter.env"
    env_file.write_text(f"COMMANDCENTER_CONFIG={ROOT / 'config'}\n"
                        f"COMMANDCENTER_DB=sqlite:///{tmp_path / 'cache.sqlite'}\n", encoding="utf-8")
    r = kiosk(tmp_path, str(cc), "--windowed", "--quit-after", "2", CC_ENV_FILE=str(env_file),
              QT_QPA_PLATFORM="offscreen", CC_WALL_MAX_RESTARTS="1")
    assert r.returncode == 0, r.stderr[-3000:]
    assert "wall closed normally" in r.stderr
    assert (tmp_path / "cache.sqlite").exists()  # the wall opened the cache the env file named
