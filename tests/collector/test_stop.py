"""A stop always stops (issue 18): SIGTERM / SIGINT end `commandcenter collect` within 10 s while
a run is blocked on a slow server or a slow database; the run is recorded as cancelled."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from tests.pg_server import pg_url  # noqa: F401 (fixture)
from tests.simulator.helpers import demo_copy

ROOT = Path(__file__).resolve().parents[2]
CITY = "1275"

HTTP_SOURCE = """
  - id: lambat
    type: http_json
    opd: bpkad
    schedule: {{every: 15m}}
    timeout: 10m
    retries: 3
    metrics: [serapan_keuangan]
    options:
      url: {url}
      samples: [{{records: data, opd_field: kode_opd, ts_field: bulan, values: {{serapan_keuangan: persen}}}}]
"""

SQL_SOURCE = """
  - id: lambat
    type: sql
    opd: bpkad
    schedule: {{every: 15m}}
    timeout: 10m
    retries: 0
    metrics: [serapan_keuangan]
    options:
      url: "{url}"
      query: "SELECT 'bpkad' AS kode_opd, '2026-06-30' AS tanggal, count(*) AS n FROM generate_series(1, 100000000000)"
      samples: [{{opd_field: kode_opd, ts_field: tanggal, values: {{serapan_keuangan: n}}}}]
"""


class DripServer:
    """Sends a status line and headers, then one byte a second: a source that never finishes."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/data"
        self.hit = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            self.hit.set()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
            while True:
                conn.sendall(b" ")
                time.sleep(1.0)
        except OSError:
            pass
        finally:
            conn.close()


def start_collect(tmp_path: Path, source_yaml: str, *extra: str) -> tuple[subprocess.Popen, str]:
    """The demo config (its sources find no simulator and fail fast) plus one blocking source."""
    config = demo_copy(tmp_path / "config", tmp_path / "data")
    sources = config / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").rstrip() + "\n" + source_yaml, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    proc = subprocess.Popen([sys.executable, "-m", "commandcenter", "collect", "--config", str(config), "--db", db, *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1", PYTHONFAULTHANDLER="1"))
    return proc, db


def stop_and_time(proc: subprocess.Popen, signum: int) -> tuple[float, str]:
    proc.send_signal(signum)
    started = time.monotonic()
    try:
        out, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        out, _ = proc.communicate()
        pytest.fail(f"collect did not stop within 15 s of signal {signum}:\n{out[-3000:]}")
    return time.monotonic() - started, out


def runs_of_lambat(db: str):
    cache = Cache.open(db, city=CITY)
    try:
        return [r for r in cache.runs(limit=100) if r.source == "lambat"]
    finally:
        cache.close()


def wait_for(event: threading.Event, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not event.wait(0.2):
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        assert time.monotonic() < deadline, "no request reached the slow server"


@pytest.mark.parametrize("signum, mode", [(signal.SIGTERM, ()), (signal.SIGINT, ()), (signal.SIGTERM, ("--once",))])
def test_signal_stops_collect_with_a_run_blocked_on_a_slow_server(tmp_path, signum, mode):
    server = DripServer()
    proc, db = start_collect(tmp_path, HTTP_SOURCE.format(url=server.url), *mode)
    wait_for(server.hit, proc)
    time.sleep(0.5)  # the run is now inside its body read
    elapsed, out = stop_and_time(proc, signum)
    # --once exits 1 here: the demo's other sources find no simulator and fail
    assert proc.returncode == (1 if mode else 0), out
    assert elapsed < 10, (elapsed, out)
    assert "Traceback" not in out
    runs = runs_of_lambat(db)
    assert [(r.source, r.status) for r in runs] == [("lambat", "cancelled")], out
    assert runs[0].message.startswith("cancelled: the collector stopped during the run")
    print(f"\nstopped in {elapsed:.2f} s after signal {signum}")


@pytest.mark.postgres
def test_sigterm_stops_collect_with_a_query_that_never_ends(tmp_path, pg_url):  # noqa: F811
    """A driver call the stop flag cannot reach: stop() waits its grace, records the run as
    cancelled and the process leaves the blocked thread behind."""
    proc, db = start_collect(tmp_path, SQL_SOURCE.format(url=pg_url))
    deadline = time.monotonic() + 60
    while True:  # the query is running once PostgreSQL shows it active
        from sqlalchemy import create_engine, text

        eng = create_engine(pg_url)
        with eng.connect() as conn:
            active = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                                       " AND query LIKE '%generate_series(1, 100000000000)%'"
                                       " AND pid <> pg_backend_pid()")).scalar()
        eng.dispose()
        if active:
            break
        assert time.monotonic() < deadline and proc.poll() is None, "the query never started"
        time.sleep(0.2)
    elapsed, out = stop_and_time(proc, signal.SIGTERM)
    assert proc.returncode == 0, out
    assert elapsed < 10, (elapsed, out)
    assert "1 blocked run(s) recorded as cancelled: lambat" in out
    assert [(r.source, r.status) for r in runs_of_lambat(db)] == [("lambat", "cancelled")]
