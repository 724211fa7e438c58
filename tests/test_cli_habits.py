"""CLI habits: help for every option, `validate --config`, `--db` with ${ENV}, a closed pipe ends
quietly, `--as-of` reads the formats its help names, logs carry the city's zone and land in a
rotating file, `wall` without a display says so."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter.cli import build_parser, main
from commandcenter.scoring.periods import parse_instant
from tests.conftest import DEMO_CONFIG


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_of_every_command_has_help():
    missing = []
    for name, sub in _subparsers(build_parser()).items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_validate_takes_config_like_every_other_command(capsys):
    assert main(["validate", "--config", str(DEMO_CONFIG)]) == 0
    assert "Kota Binjai" in capsys.readouterr().out


def test_db_resolves_env_references(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CC_TEST_DB_DIR", str(tmp_path))
    assert main(["status", "--config", str(DEMO_CONFIG), "--db", "sqlite:///${CC_TEST_DB_DIR}/env.sqlite", "--json"]) == 0
    assert (tmp_path / "env.sqlite").is_file()
    monkeypatch.delenv("CC_TEST_DB_DIR")
    capsys.readouterr()
    assert main(["status", "--config", str(DEMO_CONFIG), "--db", "sqlite:///${CC_TEST_DB_DIR}/env.sqlite"]) == 2
    assert "--db: environment variable CC_TEST_DB_DIR is not set" in capsys.readouterr().err


def test_closed_pipe_ends_quietly(tmp_path):
    """`commandcenter scores --json | head`: the reader is gone before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "commandcenter", "scores", "--json", "--config", str(DEMO_CONFIG),
                               "--db", f"sqlite:///{tmp_path / 'p.sqlite'}"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == ""


@pytest.mark.parametrize("text, expected", [
    ("2025-06-30 09:00", datetime(2025, 6, 30, 9, 0)),
    ("2025-06-30T09:00", datetime(2025, 6, 30, 9, 0)),
    ("2025-06-30", datetime(2025, 6, 30, 0, 0)),
    ("30/06/2025 09:00", datetime(2025, 6, 30, 9, 0)),
    ("1751248800", datetime(2025, 6, 30, 9, 0)),
])
def test_as_of_formats(text, expected):
    tz = ZoneInfo("Asia/Jakarta")
    assert parse_instant(text, "Asia/Jakarta") == expected.replace(tzinfo=tz).timestamp()


@pytest.mark.parametrize("word", ["yesterday", "kemarin", "Kemarin"])
def test_as_of_yesterday(word):
    assert parse_instant(word, "Asia/Jakarta", now=1_751_248_800.0) == 1_751_248_800.0 - 86400


def test_scores_as_of_kemarin_runs_and_garbage_is_one_line(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert main(["scores", "--config", str(DEMO_CONFIG), "--db", db, "--as-of", "kemarin", "--json"]) == 0
    capsys.readouterr()
    assert main(["scores", "--config", str(DEMO_CONFIG), "--db", db, "--as-of", "lusa"]) == 2
    err = capsys.readouterr().err
    assert "cannot read 'lusa' as a moment" in err and "Traceback" not in err


def test_collect_writes_a_rotating_log_in_the_citys_zone(config_copy, tmp_path, capsys):
    """The log file lives under the data folder; every line starts with the time in WIB."""
    sources = config_copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("127.0.0.1:8765", "127.0.0.1:9"), encoding="utf-8")
    data = os.environ["XDG_DATA_HOME"]
    main(["collect", "--config", str(config_copy), "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "--once",
          "--log-level", "debug"])
    log_file = os.path.join(data, "commandcenter", "logs", "collect.log")
    lines = open(log_file, encoding="utf-8").read().splitlines()
    assert lines and all(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WIB (DEBUG|INFO|WARNING|ERROR) ", ln)
                         for ln in lines if ln[:2] == "20"), lines[:5]
    assert any(" INFO commandcenter.collector.service: collect started" in ln for ln in lines)
    assert any(" WARNING commandcenter.collector: source sipd-realisasi: failed" in ln for ln in lines)
    import logging

    assert not [h for h in logging.getLogger().handlers if getattr(h, "_commandcenter_log", False)]


def test_log_level_and_rotation(demo_config):
    import logging

    from commandcenter import logs

    path = logs.setup(demo_config, "probe", "ERROR", console=False)
    try:
        logging.getLogger("commandcenter.probe").warning("not at ERROR")
        logging.getLogger("commandcenter.probe").error("at ERROR")
        handler = next(h for h in logging.getLogger().handlers if getattr(h, "_commandcenter_log", False))
        assert (handler.maxBytes, handler.backupCount) == (5 * 1024 * 1024, 5)
    finally:
        logs.teardown()
    text = path.read_text(encoding="utf-8")
    assert "at ERROR" in text and "not at ERROR" not in text
    logs.setup(demo_config, "probe", "DEBUG", console=False)
    try:  # DEBUG for our loggers; a library (httpx logs request URLs at INFO) stays at WARNING
        assert logging.getLogger("commandcenter.collector").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    finally:
        logs.teardown()


def test_wall_without_a_display_says_so_plainly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "wall", "--config", str(DEMO_CONFIG),
                           "--db", f"sqlite:///{tmp_path / 'w.sqlite'}"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "commandcenter wall: no display: DISPLAY is not set" in proc.stderr
    assert "xcb-cursor0" not in proc.stderr and "Traceback" not in proc.stderr


def test_wall_with_a_dead_display_says_so():
    from commandcenter.ui.app import no_display

    assert "nothing is listening on DISPLAY=:987" in no_display({"DISPLAY": ":987"}, "linux")
    assert no_display({"DISPLAY": ":987", "QT_QPA_PLATFORM": "offscreen"}, "linux") is None


def test_a_debug_log_holds_no_secret(config_copy, tmp_path, monkeypatch):
    """httpx logs every request URL; a `${ENV}` secret in a URL must not reach the log file."""
    import http.server
    import threading

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CC_TEST_URL_SECRET", "rahasia-di-url-42")
    sources = config_copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "http://127.0.0.1:8765/sipd/realisasi", f"http://127.0.0.1:{server.server_port}/sipd?key=${{CC_TEST_URL_SECRET}}"),
        encoding="utf-8")
    try:
        main(["collect", "--config", str(config_copy), "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "--once",
              "--log-level", "DEBUG"])
    finally:
        server.shutdown()
    log_file = os.path.join(os.environ["XDG_DATA_HOME"], "commandcenter", "logs", "collect.log")
    text = open(log_file, encoding="utf-8").read()
    assert "source sipd-realisasi: failed" in text and "HTTP 404" in text
    assert "rahasia-di-url-42" not in text
    import logging

    assert logging.getLogger().level == logging.WARNING  # pytest's default, restored after the command
