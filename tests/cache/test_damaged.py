"""A corrupted cache (issue 18): every command names it the same way, without a traceback; a
0-byte file is refused, not re-created; `commandcenter cache check` says what to do."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache, RunRecord, Sample
from commandcenter.cli import main

ROOT = Path(__file__).resolve().parents[2]
CITY = "1275"
DAMAGED = "is damaged: database disk image is malformed; restore it from backup or move it aside"


def filled_cache(path: Path) -> str:
    db = f"sqlite:///{path}"
    cache = Cache.open(db, city=CITY)
    cache.write_samples("s", [Sample("serapan_keuangan", "bpkad", 1_750_000_000 + i, float(i)) for i in range(60_000)])
    cache.record_run(RunRecord(source="sipd-realisasi", started_at=1.0, finished_at=2.0, status="ok"))
    cache.close()
    return db


def corrupt_middle(path: Path, start: float = 0.25, end: float = 0.75) -> None:
    """Random bytes into every page of the middle half of the file (the header stays intact)."""
    data = bytearray(path.read_bytes())
    rng = random.Random(18)
    for off in range(max(4096, int(len(data) * start) // 4096 * 4096), int(len(data) * end), 4096):
        data[off:off + 512] = rng.randbytes(512)  # the page header too: any read of it fails
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(tmp_path):
    path = tmp_path / "cache.sqlite"
    db = filled_cache(path)
    corrupt_middle(path)
    return path, db


@pytest.mark.parametrize("command, start", [
    (["status"], 0.25), (["status", "--json"], 0.25), (["collect", "--once"], 0.25),
    # the ranking reads only this month's values: damage it meets is damage past the first page
    (["scores"], 0.0),
])
def test_every_command_names_the_damage(tmp_path, command, start, capsys):
    path = tmp_path / "cache.sqlite"
    db = filled_cache(path)
    corrupt_middle(path, start)
    code = main([*command, "--db", db])
    err = capsys.readouterr().err
    assert code == 1
    assert f"commandcenter: the cache file {path} {DAMAGED}" in err, err[-2000:]
    assert "Traceback" not in err and "internal error" not in err


def test_cache_check_runs_the_integrity_check(damaged, tmp_path, capsys):
    path, db = damaged
    assert main(["cache", "check", "--db", db]) == 1
    out = capsys.readouterr().out
    assert f"the cache file {path} is damaged:" in out
    assert "what to do: restore it from backup or move it aside" in out
    sound = filled_cache(tmp_path / "sound.sqlite")
    assert main(["cache", "check", "--db", sound]) == 0
    assert "passed the integrity check" in capsys.readouterr().out


def test_a_zero_byte_cache_is_refused_not_replaced(tmp_path, capsys):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"")
    old = time.time() - 60
    os.utime(path, (old, old))
    for command in (["status"], ["collect", "--once"], ["cache", "check"]):
        assert main([*command, "--db", f"sqlite:///{path}"]) == 1, command
        text = capsys.readouterr()
        said = (text.err + text.out).replace(":\n  ", ": ")  # `cache check` lists findings below
        assert f"the cache file {path} is damaged: the file is empty (0 bytes)" in said
        assert "Traceback" not in text.err
    assert path.stat().st_size == 0  # still the file the admin has to look at


def test_wall_names_the_damage(tmp_path, config_copy):
    path = tmp_path / "cache.sqlite"
    db = filled_cache(path)
    corrupt_middle(path, 0.0)
    run = subprocess.run([sys.executable, "-m", "commandcenter", "wall", "--config", str(config_copy), "--db", db,
                          "--quit-after", "4"], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
                         timeout=120)
    assert f"the cache file {path} {DAMAGED}" in run.stderr, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
