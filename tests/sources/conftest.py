"""A tiny programmable HTTP server on 127.0.0.1 for connector edge cases, and real PostgreSQL."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest

from commandcenter.sources import registry
from commandcenter.sources.base import FetchContext
from tests.pg_server import pg_url  # noqa: F401  (session fixture)

Route = Callable[[BaseHTTPRequestHandler, Any], tuple[int, str, bytes]]


class TestServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                path = self.path.split("?")[0]
                server.requests.append({"path": self.path, "method": self.command, "body": body,
                                        "headers": {k.lower(): v for k, v in self.headers.items()}})
                status, ctype, raw = server.routes[path](self, body) if path in server.routes else (404, "text/plain", b"no")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def json(self, path: str, payload: Any, status: int = 200) -> None:
        self.routes[path] = lambda h, b: (status, "application/json", json.dumps(payload).encode())


@pytest.fixture
def server():
    s = TestServer()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


@pytest.fixture
def make_ctx(tmp_path: Path):
    def make(type_name: str, options: dict[str, Any], checkpoints: dict[str, str] | None = None,
             environ: dict[str, str] | None = None, timeout: float = 2.0) -> FetchContext:
        opts = registry.get(type_name).Options.model_validate(options)
        cps = checkpoints if checkpoints is not None else {}
        return FetchContext(source_id="test", options=opts, timeout=timeout, tz=ZoneInfo("Asia/Jakarta"),
                            now=1_782_000_000.0, data_dir=tmp_path / "data", config_root=tmp_path,
                            get_checkpoint=cps.get, environ=environ)

    return make

