"""The simulator's HTTP server (stdlib ThreadingHTTPServer) with per-feed fault modes.

    sim = Simulator(cfg, port=0); port = sim.start(); ...; sim.set_fault("rsud-indikator", "http500"); sim.stop()

Control endpoint: GET /_control/status; POST /_control/fault {"feed": ..., "mode": ...}
(mode "" or "ok" clears); POST /_control/drops writes today's file drops again.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from commandcenter.simulator import drops, pages
from commandcenter.simulator.apps import PREFIX as APP_PREFIX, AppsServer
from commandcenter.simulator.data import CityData
from commandcenter.simulator.feeds import FAULTS, FILE_FEEDS, HTTP_FEEDS, SQL_FEEDS, Reply, Request
from commandcenter.sources.base import default_data_dir, option_path

log = logging.getLogger("commandcenter.simulator")
DEFAULT_PORT = 8765
CLEAR = {"", "ok", "none", "off"}
HTML_ERROR = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
              b"<h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>")


class Simulator:
    def __init__(self, cfg: Any, host: str = "127.0.0.1", port: int | None = None, seed: int = 0,
                 faults: dict[str, str] | None = None, drop_dir: str | Path | None = None,
                 db_path: str | Path | None = None, today: date | Callable[[], date] | None = None,
                 slow_seconds: float = 20.0):
        self.cfg = cfg
        self.host = host
        self.port = configured_port(cfg) if port is None else port
        self.seed = seed
        self.slow_seconds = slow_seconds
        self._today = today
        self.drop_dir = Path(drop_dir) if drop_dir else _files_folder(cfg)
        self.db_path = Path(db_path) if db_path else _sqlite_path(cfg)
        self.faults: dict[str, str] = {}
        self._aliases = _aliases(cfg)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.apps = AppsServer(cfg, default_data_dir(cfg) / "simulator" / "pki", self._stopping)
        self.tls_port: int | None = None
        for feed, mode in (faults or {}).items():
            self.set_fault(feed, mode, apply=False)

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> int:
        """Write the drops and the finance database, serve in a background thread; return the port."""
        self.write_drops()
        ephemeral = self.port == 0  # tests: the HTTPS application listener takes any free port too
        self._server = _Server((self.host, self.port), _handler_for(self))
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="simulator", daemon=True)
        self._thread.start()
        try:
            self.tls_port = self.apps.start_tls(_handler_for(self), port=0 if ephemeral else None)
        except (OSError, subprocess.SubprocessError) as exc:  # the demo runs on without its HTTPS app
            log.warning("simulator: no HTTPS application listener: %s", exc)
        for feed in self.faults:
            self._apply_offline_fault(feed)
        log.info("simulator serving on %s", self.url)
        return self.port

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in 'slow' mode
        self.apps.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "Simulator":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def today(self) -> date:
        if callable(self._today):
            return self._today()
        if self._today is not None:
            return self._today
        return datetime.now(ZoneInfo(self.cfg.city.timezone)).date()

    def data(self) -> CityData:
        return CityData(self.cfg, self.today(), self.seed)

    # -- feeds and faults ---------------------------------------------------------------------------
    @staticmethod
    def feed_names() -> list[str]:
        return list(HTTP_FEEDS) + list(FILE_FEEDS) + list(SQL_FEEDS)

    def feed_for(self, name: str) -> str:
        feed = self._aliases.get(name, name)
        if feed not in self.feed_names():
            raise KeyError(f"unknown feed {name!r}; feeds: {', '.join(self.feed_names())}")
        return feed

    def set_fault(self, feed: str, mode: str | None, apply: bool = True) -> None:
        """Switch a feed (or a source id pointing at it) into a fault mode; '' / None / 'ok' clears.
        `app:<id>` switches an application of apps.yaml (simulator/apps.py APP_FAULTS)."""
        if feed.startswith("app:"):
            return self.apps.set_fault(feed[4:], mode or "ok")
        feed = self.feed_for(feed)
        mode = (mode or "").strip().lower().replace("-", "_")
        if mode in CLEAR:
            was = self.faults.pop(feed, None)
            if apply and was and feed in SQL_FEEDS:
                drops.write_finance_db(self.data(), self.db_path)
            return
        if mode not in FAULTS:
            raise ValueError(f"unknown fault mode {mode!r}; modes: {', '.join(FAULTS)}")
        self.faults[feed] = mode
        if apply:
            self._apply_offline_fault(feed)

    def _apply_offline_fault(self, feed: str) -> None:
        """File and database feeds break the way they really do: a bad file arrives, a table goes."""
        mode = self.faults.get(feed)
        if feed == "dpmptsp-izin" and mode in ("malformed", "wrong_types", "empty"):
            drops.write_permits_csv(self.data(), self.drop_dir, broken=mode)
        elif feed in SQL_FEEDS and mode and self.db_path.exists():
            with sqlite3.connect(self.db_path) as conn:
                conn.execute("DROP TABLE IF EXISTS realisasi_belanja_opd")
            conn.close()

    def write_drops(self) -> list[Path]:
        data = self.data()
        written = [drops.write_permits_csv(data, self.drop_dir), drops.write_spm_xlsx(data, self.drop_dir)]
        if "simda-belanja" not in self.faults:
            written.append(drops.write_finance_db(data, self.db_path))
        return written

    def status(self) -> dict[str, Any]:
        return {"url": self.url, "date": self.today().isoformat(), "seed": self.seed,
                "feeds": {name: HTTP_FEEDS[name][0] if name in HTTP_FEEDS else "file/database"
                          for name in self.feed_names()},
                "faults": dict(self.faults), "modes": list(FAULTS),
                "apps": len(self.apps.apps), "app_faults": dict(self.apps.faults), "tls_port": self.tls_port,
                "drop_dir": str(self.drop_dir), "db_path": str(self.db_path)}

    def route(self, path: str) -> str | None:
        for name, (prefix, _) in HTTP_FEEDS.items():
            if path.startswith(prefix):
                return name
        return None


def configured_port(cfg: Any) -> int:
    """The port the config's sources point at on this machine (so simulate + collect just work)."""
    for src in cfg.sources:
        url = str(src.options.get("url", ""))
        parts = urlsplit(url) if url.startswith("http") else None
        if parts and parts.hostname in ("127.0.0.1", "localhost") and parts.port:
            return parts.port
    return DEFAULT_PORT


def _files_folder(cfg: Any) -> Path:
    for src in cfg.sources:
        if src.type == "files" and "folder" in src.options:
            return option_path(str(src.options["folder"]), default_data_dir(cfg), cfg.root)
    return default_data_dir(cfg) / "simulator" / "drops"


def _sqlite_path(cfg: Any) -> Path:
    for src in cfg.sources:
        url = str(src.options.get("url", "")) if src.type == "sql" else ""
        if url.startswith("sqlite:///"):
            return option_path(url.removeprefix("sqlite:///"), default_data_dir(cfg), cfg.root)
    return default_data_dir(cfg) / "simulator" / "keuangan.sqlite"


def _aliases(cfg: Any) -> dict[str, str]:
    """Source id -> feed, by the path its URL points at (a city's own source ids work too)."""
    out = {}
    for src in cfg.sources:
        url = str(src.options.get("url", ""))
        path = urlsplit(url).path if url.startswith("http") else ""
        for name, (prefix, _) in HTTP_FEEDS.items():
            if path and (path.startswith(prefix) or prefix.startswith(path.rstrip("/") + "/")):
                out[src.id] = name
        if src.type == "sql":
            out.setdefault(src.id, SQL_FEEDS[0])
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a minute's burst of application checks must not overflow the backlog

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("simulator: client %s went away", client_address)  # e.g. a collector that timed out


def _handler_for(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(_FeedHandler):
        simulator = sim

    return Handler


class _FeedHandler(BaseHTTPRequestHandler):
    simulator: Simulator
    protocol_version = "HTTP/1.1"
    server_version = "BinjaiSim/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("simulator: " + format, *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        body = self._body()
        if parts.path.startswith("/_control"):
            return self._control(method, parts.path, body)
        sim = self.simulator
        if parts.path.startswith(APP_PREFIX):
            return sim.apps.reply(self, parts.path)
        if parts.path.startswith(pages.PREFIX):  # the departments' own web dashboards (web panels)
            return self._page(*pages.serve(parts.path, sim.data()))
        feed = sim.route(parts.path)
        if feed is None:
            return self._json({"error": "not found", "feeds": sim.status()["feeds"]}, 404)
        fault = sim.faults.get(feed, "")
        req = Request(method, parts.path, dict(parse_qsl(parts.query)), {k.lower(): v for k, v in self.headers.items()},
                      body, fault)
        if fault == "slow" and sim._stopping.wait(sim.slow_seconds):
            return
        if fault == "http500":
            return self._json({"error": "Internal Server Error", "message": "SQLSTATE[HY000] [2002]"}, 500)
        if fault == "html":
            return self._send(200, HTML_ERROR, "text/html; charset=utf-8")
        reply = HTTP_FEEDS[feed][1](sim.data(), req)
        reply = reply if isinstance(reply, Reply) else Reply(reply)
        self._faulty(reply, fault)

    def _page(self, status: int, raw: bytes, ctype: str, headers: dict[str, Any]) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": ctype, "Content-Length": str(len(raw)), **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def _faulty(self, reply: Reply, fault: str) -> None:
        payload = _scramble(reply.payload) if fault == "wrong_types" else reply.payload
        raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if fault == "malformed":
            raw = raw[: len(raw) // 2] + b'",,]} <EOF'
        elif fault == "empty":
            raw = b""
        if fault == "truncated":
            return self._send(reply.status, raw, "application/json", cut=len(raw) // 2)
        self._send(reply.status, raw, "application/json; charset=utf-8")

    def _control(self, method: str, path: str, body: Any) -> None:
        sim = self.simulator
        if path == "/_control/status":
            return self._json(sim.status())
        if method == "POST" and path == "/_control/fault" and isinstance(body, dict):
            try:
                sim.set_fault(str(body.get("feed", "")), str(body.get("mode") or ""))
            except KeyError as exc:
                return self._json({"error": str(exc.args[0])}, 404)
            except ValueError as exc:
                return self._json({"error": str(exc)}, 400)
            return self._json(sim.status())
        if method == "POST" and path == "/_control/drops":
            return self._json({"written": [str(p) for p in sim.write_drops()]})
        self._json({"error": "use GET /_control/status, POST /_control/fault {feed, mode}, POST /_control/drops"}, 400)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return None
        raw = self.rfile.read(length)
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _json(self, payload: Any, status: int = 200) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, raw: bytes, ctype: str, cut: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        if cut is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(raw if cut is None else raw[:cut])
        self.wfile.flush()
        if cut is not None:
            self.close_connection = True


def _scramble(value: Any) -> Any:
    """'wrong types': every number (or number-as-text) becomes text no parser should accept."""
    if isinstance(value, dict):
        return {k: _scramble(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scramble(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.replace(".", "").isdigit()):
        return "N/A"
    return value
