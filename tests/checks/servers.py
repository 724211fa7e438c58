"""Misbehaving HTTP(S) servers on 127.0.0.1 for the application-check tests, and a test CA."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def make_ca(folder: Path) -> dict[str, Path]:
    """A CA, a certificate for 127.0.0.1 expiring in 10 days and one for another name (openssl)."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Test City CA",
        "-keyout", "ca.key", "-out", "ca.pem")
    for name, san in (("good", "IP:127.0.0.1"), ("other", "DNS:other.example")):
        run("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key",
            "-out", f"{name}.csr")
        (folder / f"{name}.ext").write_text(f"subjectAltName={san}\n")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "10", "-extfile", f"{name}.ext", "-out", f"{name}.pem")
    return {"ca": folder / "ca.pem", "good": folder / "good.pem", "good_key": folder / "good.key",
            "other": folder / "other.pem", "other_key": folder / "other.key"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: C901 - one branch per behaviour
        path = self.path
        if path == "/ok":
            return self._send(200, b"<html><title>SIMPEG</title><body>Masuk</body></html>")
        if path == "/switch":  # up or down as the test says (server.switch)
            return self._send(200, b"Masuk") if self.server.switch == "up" else self._send(500, b"down")  # type: ignore[attr-defined]
        if path == "/maintenance":
            return self._send(200, b"<html><body>Sedang dalam pemeliharaan</body></html>")
        if path == "/json":
            return self._send(200, json.dumps({"status": "UP"}).encode(), "application/json")
        if path == "/error":
            return self._send(503, b"Service Unavailable")
        if path.startswith("/slow"):
            time.sleep(float(path.split("=")[-1]) if "=" in path else 1.0)
            return self._send(200, b"slow but fine Masuk")
        if path == "/loop":
            return self._redirect("/loop2")
        if path == "/loop2":
            return self._redirect("/loop")
        if path == "/hop":
            return self._redirect("/ok")
        if path == "/drip":  # headers, then one byte every 0.2 s, forever
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            return self._forever(b"x", 0.2)
        if path == "/endless":  # a body without end, as fast as the client reads
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            return self._forever(b"y" * 65536, 0)
        if path == "/silent":  # accepts, never answers
            return self._forever(b"", 0.2)
        self._send(404, b"not found")

    def _forever(self, chunk: bytes, pause: float) -> None:
        try:
            while not self.server.stopping.is_set():  # type: ignore[attr-defined]
                if chunk:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                if pause:
                    time.sleep(pause)
        except OSError:
            pass
        self.close_connection = True

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops SYNs of a burst of checks: a 1 s retransmit each

    def __init__(self, cert: Path | None = None, key: Path | None = None) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.stopping = threading.Event()
        self.switch = "up"
        if cert is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def handle_error(self, request, client_address) -> None:
        pass

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
