"""The packaged build: PyInstaller builds build.spec (one folder), then the frozen `commandcenter`
runs from a folder with no source tree and no config/ next to it: validate (the bundled demo city
and another), screens, simulate + collect --once (every connector kind found), export to PNG/PDF
offscreen, the wall's screenshot, demo, and a PostgreSQL cache (migrations from the bundle).

Slow (two to four minutes: the build alone takes one to two). The README's test command
(scripts/test.sh, which CI runs) sets CC_SLOW=1 so the whole suite includes it; a bare `pytest`
skips it with that reason unless CC_SLOW=1 or `-m slow`; `CC_SLOW=0 bash scripts/test.sh` skips it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from tests.deploy.pgdb import pg_db  # noqa: F401 (fixture)
from tests.pg_server import pg_url  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SCREENS = {"screens": [
    {"name": f"wall-{i + 1}", "x": (i % 2) * 1920, "y": (i // 2) * 1080, "width": 1920, "height": 1080,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1} for i in range(4)
] + [{"name": "console", "x": 0, "y": 2160, "width": 1920, "height": 1080, "logicalDpi": 96,
      "logicalBaseDpi": 96, "dpr": 1}]}


def opted_in(config: pytest.Config) -> bool:
    expr = (config.getoption("markexpr", "") or "").replace("not slow", "")
    return os.environ.get("CC_SLOW") == "1" or "slow" in expr


@pytest.fixture(scope="module")
def frozen(request, tmp_path_factory) -> Path:
    if not opted_in(request.config):
        pytest.skip("slow: the PyInstaller build runs with CC_SLOW=1 (set by scripts/test.sh) or -m slow")
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: pip install -e '.[build]'")
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                           "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(ROOT / "build.spec")],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-4000:]
    exe = work / "dist" / "commandcenter" / ("commandcenter.exe" if os.name == "nt" else "commandcenter")
    assert exe.is_file()
    return exe


@pytest.fixture
def place(tmp_path) -> Path:
    """An empty working folder (no config/, no sources) with its own per-user data folder."""
    (tmp_path / "home").mkdir()
    return tmp_path


def env_for(place: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMANDCENTER_", "PYTHON", "QT_"))}
    screens = place / "screens.json"
    screens.write_text(json.dumps(SCREENS))
    env.update(HOME=str(place / "home"), XDG_DATA_HOME=str(place / "home" / "data"),
               QT_QPA_PLATFORM=f"offscreen:configfile={screens}", **extra)
    return env


def run(exe: Path, place: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe), *args], cwd=place, env=env_for(place, **env), capture_output=True,
                          text=True, timeout=timeout)


def demo_city(place: Path, port: int) -> Path:
    """The bundled demo city, copied and pointed at a simulator on `port`."""
    dest = place / "config"
    shutil.copytree(ROOT / "config", dest, ignore=shutil.ignore_patterns("examples"))
    city = dest / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8") + f"  data_dir: {place / 'data'}\n", encoding="utf-8")
    sources = dest / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("127.0.0.1:8765", f"127.0.0.1:{port}"),
                       encoding="utf-8")
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# -- commands that need no data -------------------------------------------------------------------
def test_version_and_validate_use_the_bundled_files(frozen, place):
    r = run(frozen, place, "--version")
    assert r.returncode == 0 and r.stdout.startswith("commandcenter ")
    r = run(frozen, place, "validate")  # no ./config: the demo city bundled in the build
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Kota Binjai" in r.stdout and "_internal" in r.stdout
    r = run(frozen, place, "validate", str(ROOT / "config" / "examples" / "barru"))
    assert r.returncode == 0 and "Kabupaten Barru" in r.stdout
    broken = place / "broken"
    shutil.copytree(ROOT / "config" / "examples" / "barru", broken)
    (broken / "wall.yaml").write_text((broken / "wall.yaml").read_text(encoding="utf-8") + "bogus_key: 1\n",
                                      encoding="utf-8")
    r = run(frozen, place, "validate", str(broken))
    assert r.returncode == 2
    assert "wall.yaml:" in r.stdout and "bogus_key" in r.stdout


def test_screens(frozen, place):
    r = run(frozen, place, "screens", "--json")
    assert r.returncode == 0, r.stderr
    screens = json.loads(r.stdout)
    assert sorted(s["name"] for s in screens) == ["console", "wall-1", "wall-2", "wall-3", "wall-4"]


# -- a day in the life: simulator, collector, export, wall, demo ----------------------------------
@pytest.fixture
def collected(frozen, place):
    """The frozen build's simulator serving the demo city and its collector polling it once."""
    port = free_port()
    config = demo_city(place, port)
    db = f"sqlite:///{place / 'cache.sqlite'}"
    sim = subprocess.Popen([str(frozen), "simulate", "--config", str(config), "--port", str(port)], cwd=place,
                           env=env_for(place), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        for line in sim.stdout:
            if "Ctrl+C to stop" in line:
                break
            assert time.monotonic() < deadline
        r = run(frozen, place, "collect", "--once", "--config", str(config), "--db", db)
        assert r.returncode == 0, r.stdout + r.stderr
        yield config, db, r.stdout
    finally:
        sim.terminate()
        sim.wait(20)
        sim.stdout.close()


def test_collect_finds_every_connector_kind(collected):
    config, db, summary = collected
    from commandcenter.config import load_config

    cfg = load_config(config)
    assert f"{len(cfg.sources)} sources polled, 0 failed" in summary, summary
    assert {s.type for s in cfg.sources} >= {"http_json", "sql", "ckan", "bps", "files"}
    cache = Cache.open(db, city=cfg.city_key, migrate=False)
    try:
        assert cache.count_samples() > 500
        runs = cache.source_runs()
        assert {r.last.status for r in runs.values()} <= {"ok", "partial", "nodata"}
        # every department source ran; application checks (apps.yaml) record their own batches as "apps"
        assert set(runs) - {"apps"} == {s.id for s in cfg.sources}
    finally:
        cache.close()


def test_export_png_and_pdf_offscreen(frozen, place, collected):
    config, db, _ = collected
    r = run(frozen, place, "export", "--config", str(config), "--db", db, "--scene", "ringkasan",
            "--png", str(place / "ringkasan.png"), "--pdf", str(place / "ringkasan.pdf"))
    assert r.returncode == 0, r.stdout + r.stderr
    width, height = png_size(place / "ringkasan.png")
    assert width >= 1000 and height >= 500
    from pypdf import PdfReader

    pdf = PdfReader(place / "ringkasan.pdf")
    assert len(pdf.pages) >= 1
    assert "Binjai" in pdf.pages[0].extract_text()


def test_wall_screenshot(frozen, place, collected):
    config, db, _ = collected
    shot = place / "wall.png"
    r = run(frozen, place, "wall", "--config", str(config), "--db", db, "--screenshot", str(shot),
            "--quit-after", "6", timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    assert png_size(shot)[0] >= 1920


def test_demo(frozen, place):
    """simulator + collector + wall + console from the frozen build: the screenshot of the whole
    wall is written once every source has had its first run."""
    try:
        import commandcenter.ui.demo  # noqa: F401
    except ImportError:
        pytest.skip("`commandcenter demo` is not in the source tree yet (commandcenter.ui.demo)")
    shot = place / "demo.png"
    proc = subprocess.Popen([str(frozen), "demo", "--screenshot", str(shot), "--quit-after", "30"], cwd=place,
                            env=env_for(place), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 180
        for line in proc.stderr:
            lines.append(line)
            if "screenshot written" in line or "could not write" in line:
                break
            assert time.monotonic() < deadline, "".join(lines[-40:])
        assert "screenshot written" in lines[-1], "".join(lines[-40:])
        try:
            proc.wait(45)  # --quit-after
        except subprocess.TimeoutExpired:
            warnings.warn("`commandcenter demo --quit-after` did not exit; killed", stacklevel=1)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stderr.close()
    width, height = png_size(shot)
    assert width == 3840 and height >= 2160  # the 2x2 wall (and the console when grabbed too)
    assert not any("Traceback" in line for line in lines), "".join(lines[-40:])
    keep = os.environ.get("CC_KEEP_SCREENSHOT")
    if keep:  # CC_KEEP_SCREENSHOT=docs/screenshots/pyinstaller-demo.png refreshes the guide's picture
        shutil.copy(shot, ROOT / keep)


@pytest.mark.postgres
def test_frozen_build_on_postgres(frozen, place, pg_db):  # noqa: F811
    """psycopg and the Alembic migrations come from the bundle: status migrates an empty
    PostgreSQL database; the password-free URL is printed, never a secret."""
    r = run(frozen, place, "status", "--config", str(ROOT / "config" / "examples" / "barru"), "--db", pg_db,
            "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["city"]["code"] == "7310"
    assert report["cache"]["url"].startswith("postgresql+psycopg://")
    cache = Cache.open(pg_db, city="7310", migrate=False)
    try:
        from commandcenter.cache.engine import current_revision, head_revision

        assert current_revision(cache.engine) == head_revision()
    finally:
        cache.close()
