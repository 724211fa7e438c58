"""The demo city's applications (apps.yaml) as the simulator serves them on 127.0.0.1.

Every app whose check URL points at the simulator answers under `/app/<id>/`: a login page with
the app's name, after a small realistic delay. Behaviours come from the app's `simulate:` hint
in the URL-less part of the config (none: healthy) or from a fault switched at run time:

    ok | down (503) | slow (past the check's timeout) | maintenance (200 with a maintenance page) |
    flaky (down 3 minutes of every 15) | drip (one byte a second) | lag (2.5 s, under the timeout)

HTTPS apps are served by a second, TLS listener with a certificate from the simulator's own CA
(made with openssl in the data folder, expiring in 10 days: the demo's "certificate soon" case).
"""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from commandcenter.config.schema.apps import apps_of

log = logging.getLogger("commandcenter.simulator")
APP_FAULTS = ("ok", "down", "slow", "maintenance", "flaky", "drip", "lag")
CERT_DAYS = 10
PREFIX = "/app/"


def default_behaviour(app: Any) -> str:
    """The demo's built-in cases, by a hint in the app's note-free id (see config/apps.yaml)."""
    hint = (app.check.model_extra or {}).get("url", "")
    for mode in ("flaky", "lag", "maintenance"):
        if f"?sim={mode}" in hint:
            return mode
    return "ok"


class AppsServer:
    """Serves the apps of `cfg` (HTTP on the simulator's port through `reply`, HTTPS here)."""

    def __init__(self, cfg: Any, pki_dir: Path, stopping: threading.Event) -> None:
        self.cfg = cfg
        file = apps_of(cfg)
        self.apps = {a.id: a for a in (file.apps if file else [])}
        self.faults: dict[str, str] = {}
        self.pki_dir = pki_dir
        self.stopping = stopping
        self._tls: ThreadingHTTPServer | None = None

    # -- faults -------------------------------------------------------------------------------------
    def set_fault(self, app_id: str, mode: str) -> None:
        if app_id not in self.apps:
            raise KeyError(f"unknown application {app_id!r}; apps: {', '.join(self.apps)}")
        mode = (mode or "ok").strip().lower()
        if mode not in APP_FAULTS:
            raise ValueError(f"unknown application fault {mode!r}; modes: {', '.join(APP_FAULTS)}")
        if mode == "ok":
            self.faults.pop(app_id, None)
        else:
            self.faults[app_id] = mode

    def behaviour(self, app_id: str) -> str:
        return self.faults.get(app_id) or default_behaviour(self.apps[app_id])

    # -- answering ----------------------------------------------------------------------------------
    def reply(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        app_id = path[len(PREFIX):].split("/", 1)[0].split("?", 1)[0]
        app = self.apps.get(app_id)
        if app is None:
            return _send(handler, 404, b"<html><body>Not Found</body></html>")
        mode = self.behaviour(app_id)
        delay = {"lag": 2.5, "slow": 60.0}.get(mode, 0.02 + (hash(app_id) % 100) / 1000)
        if self.stopping.wait(delay):
            return
        if mode == "down" or (mode == "flaky" and time.localtime().tm_min % 15 < 3):
            return _send(handler, 503, b"<html><body><h1>503 Service Unavailable</h1></body></html>")
        if mode == "drip":
            return self._drip(handler)
        if mode == "maintenance":
            return _send(handler, 200, _page(app.name, "Mohon maaf, aplikasi sedang dalam pemeliharaan."))
        _send(handler, 200, _page(app.name, "Silakan masuk dengan akun Anda. Masuk"))

    def _drip(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "4096")
        handler.end_headers()
        try:
            while not self.stopping.wait(1.0):
                handler.wfile.write(b".")
                handler.wfile.flush()
        except OSError:
            pass
        handler.close_connection = True

    # -- the TLS listener ---------------------------------------------------------------------------
    def tls_port(self) -> int | None:
        for app in self.apps.values():
            parts = urlsplit(str((app.check.model_extra or {}).get("url", "")))
            if parts.scheme == "https" and parts.hostname == "127.0.0.1" and parts.port:
                return parts.port
        return None

    def start_tls(self, handler_cls: type[BaseHTTPRequestHandler], port: int | None = None) -> int | None:
        wanted = self.tls_port()
        port = wanted if port is None else port
        if wanted is None or shutil.which("openssl") is None:
            return None
        cert, key = make_pki(self.pki_dir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        server = _TlsServer(("127.0.0.1", port), handler_cls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                         name="simulator-tls").start()
        self._tls = server
        return server.server_address[1]

    def stop(self) -> None:
        if self._tls is not None:
            self._tls.shutdown()
            self._tls.server_close()
            self._tls = None


class _TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("simulator tls: client %s went away", client_address)


def make_pki(folder: Path) -> tuple[Path, Path]:
    """CA + server certificate for 127.0.0.1 valid CERT_DAYS days; remade when older than a day
    (so the demo's certificate always expires in about 10 days). Checks trust `ca.pem`."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "server.pem", folder / "server.key"
    if cert.is_file() and time.time() - cert.stat().st_mtime < 86400:
        return cert, key

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder, timeout=60)

    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")  # milliseconds, where RSA takes seconds
    run("req", "-x509", *ec, "-nodes", "-days", "365", "-subj", "/CN=Simulasi CA Kota", "-keyout", "ca.key", "-out", "ca.pem")
    (folder / "server.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("req", *ec, "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", str(CERT_DAYS), "-extfile", "server.ext", "-out", "server.pem")
    return cert, key


def _page(name: str, text: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{name}</title></head>"
            f"<body><h1>{name}</h1><p>{text}</p></body></html>").encode("utf-8")


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
