"""Hostile HTTP servers on 127.0.0.1 (issue 18): each case asserts the reason an operator sees,
the time the fetch took and the memory it used."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from typing import Callable

import httpx
import pytest

from commandcenter.sources import registry
from commandcenter.sources.base import SourceError

HTTP_JSON = registry.get("http_json")
MB = 1024 * 1024


class RawServer:
    """Accepts connections and hands each socket to `serve(conn, request_head)`."""

    def __init__(self, serve: Callable[[socket.socket, bytes], None]):
        self.serve = serve
        self.requests: list[bytes] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        head = b""
        try:
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            self.requests.append(head)
            self.serve(conn, head)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.closed.set()
        self.sock.close()


@pytest.fixture
def hostile():
    servers: list[RawServer] = []

    def start(serve: Callable[[socket.socket, bytes], None]) -> RawServer:
        servers.append(RawServer(serve))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def options(url: str, **extra) -> dict:
    return {"url": url, "samples": [{"records": "data", "opd_field": "opd", "ts_field": "ts",
                                     "values": {"m": "v"}}], **extra}


def fetch(make_ctx, url: str, timeout: float = 1.0, cancelled=None, environ=None, **extra):
    """Fetch once; return (error, seconds, peak traced MB)."""
    ctx = make_ctx("http_json", options(url, **extra), timeout=timeout, environ=environ)
    if cancelled is not None:
        ctx.cancelled = cancelled
    tracemalloc.start()
    started = time.monotonic()
    try:
        HTTP_JSON().fetch(ctx)
        error = None
    except SourceError as exc:
        error = exc
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return error, elapsed, peak


def drip(first: bytes, then: bytes = b"x", every: float = 0.1) -> Callable[[socket.socket, bytes], None]:
    def serve(conn: socket.socket, _head: bytes) -> None:
        conn.sendall(first)
        while True:
            conn.sendall(then)
            time.sleep(every)
    return serve


OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize("case, serve", [
    ("silent after accept", lambda conn, head: time.sleep(30)),
    ("headers one byte at a time", drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: y\r\n"[:1])),
    ("body one byte at a time", drip(OK_HEAD + b"Content-Length: 100000\r\n\r\n", b" ")),
    ("chunked body dripping", drip(OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n", b"1\r\n \r\n")),
])
def test_total_deadline_holds_against_a_slow_server(hostile, make_ctx, case, serve):
    server = hostile(serve)
    error, elapsed, peak = fetch(make_ctx, server.url, timeout=1.0)
    assert error is not None and error.reason.startswith("timeout after 1 s: no complete response"), case
    assert error.retryable
    assert elapsed < 1.6, (case, elapsed)  # the deadline plus at most one read slice
    assert peak < 5, (case, peak)


def test_stop_request_ends_a_dripping_fetch(hostile, make_ctx):
    server = hostile(drip(OK_HEAD + b"Content-Length: 100000\r\n\r\n", b" "))
    stop_at = time.monotonic() + 0.5
    error, elapsed, _ = fetch(make_ctx, server.url, timeout=30.0, cancelled=lambda: time.monotonic() > stop_at)
    assert error is not None and error.reason == "cancelled: the collector is stopping"
    assert elapsed < 1.0


def redirect_to(location: Callable[[bytes], str]) -> Callable[[socket.socket, bytes], None]:
    def serve(conn: socket.socket, head: bytes) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location(head)}\r\nContent-Length: 0\r\n\r\n".encode())
    return serve


def path_of(head: bytes) -> str:
    return head.split(b" ")[1].decode()


def test_redirect_loop_is_refused_at_once_and_not_retried(hostile, make_ctx):
    server = hostile(redirect_to(lambda head: "/b" if path_of(head) == "/a" else "/a"))
    error, elapsed, peak = fetch(make_ctx, server.url + "/a")
    assert error is not None and error.reason.startswith("redirect loop: ")
    assert not error.retryable
    assert len(server.requests) == 2
    assert elapsed < 0.5 and peak < 5


def test_at_most_five_redirects(hostile, make_ctx):
    server = hostile(redirect_to(lambda head: f"/r{int(path_of(head)[2:] or 0) + 1}"))
    error, elapsed, peak = fetch(make_ctx, server.url + "/r0")
    assert error is not None and error.reason.startswith("more than 5 redirects")
    assert not error.retryable
    assert len(server.requests) == 6  # the request and its five redirects
    assert elapsed < 1 and peak < 5


def json_ok(body: bytes = b'{"data": [{"opd": "dinkes", "ts": "2026-06-30", "v": 1}]}', extra: bytes = b""):
    def serve(conn: socket.socket, _head: bytes) -> None:
        conn.sendall(OK_HEAD + extra + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return serve


def headers_of(head: bytes) -> dict[str, str]:
    lines = head.decode().split("\r\n")[1:]
    return {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}


def test_secret_headers_stay_with_their_origin(hostile, make_ctx):
    other = hostile(json_ok())  # another port: another origin
    home = hostile(lambda conn, head: (redirect_to(lambda h: "/data")(conn, head) if path_of(head) == "/start"
                                       else redirect_to(lambda h: other.url + "/x")(conn, head)))
    env = {"API_KEY": "k-secret-123", "TOKEN": "t-secret-456"}
    headers = {"X-Api-Key": "${API_KEY}", "Authorization": "Bearer ${TOKEN}", "X-Plain": "hello"}
    error, _, _ = fetch(make_ctx, home.url + "/start", environ=env, headers=headers)
    assert error is None
    same_origin = headers_of(home.requests[1])  # /start -> /data on the same server keeps them
    assert same_origin["x-api-key"] == "k-secret-123" and same_origin["authorization"] == "Bearer t-secret-456"
    sent = headers_of(other.requests[0])
    assert sent["x-plain"] == "hello"
    assert "x-api-key" not in sent and "authorization" not in sent
    assert b"secret" not in other.requests[0]


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """1 GiB of zeros gzipped (about 1 MB), under a 5 MB cap on the wire. After a full flush the
    compressor starts afresh, so every further MiB of zeros compresses to the same bytes: repeat
    them instead of compressing a gigabyte (the gzip trailer is left off; the cap comes first)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    assert len(zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(first + again * 3)) == 4 * MB
    return first + again * 1023


def test_gzip_bomb_counts_decompressed_bytes(hostile, make_ctx, gzip_bomb):
    assert len(gzip_bomb) < 5 * MB
    server = hostile(json_ok(gzip_bomb, b"Content-Encoding: gzip\r\n"))
    error, elapsed, peak = fetch(make_ctx, server.url, timeout=10.0)
    assert error is not None
    assert error.reason == f"response is over the {5 * MB} byte cap (after decompression)"
    assert peak < 5 * 1 + 8, peak  # the cap plus a few chunks, never the inflated gigabyte
    assert elapsed < 3


def test_endless_fast_body_stops_at_the_cap(hostile, make_ctx):
    def serve(conn: socket.socket, _head: bytes) -> None:  # no length: the body never ends
        conn.sendall(OK_HEAD + b"Connection: close\r\n\r\n")
        block = b" " * 65536
        while True:
            conn.sendall(block)

    server = hostile(serve)
    error, elapsed, peak = fetch(make_ctx, server.url, timeout=10.0, max_bytes=MB)
    assert error is not None and error.reason == f"response is over the {MB} byte cap"
    assert elapsed < 3 and peak < 6, (elapsed, peak)


def test_gzip_body_under_the_cap_is_read(hostile, make_ctx):
    body = gzip.compress(b'{"data": [{"opd": "dinkes", "ts": "2026-06-30", "v": 7}]}')
    server = hostile(json_ok(body, b"Content-Encoding: gzip\r\n"))
    ctx = make_ctx("http_json", options(server.url))
    assert [s.value for s in HTTP_JSON().fetch(ctx).samples] == [7.0]


def test_deep_json_is_named(hostile, make_ctx, caplog):
    deep = b"[" * 100_000 + b"]" * 100_000
    server = hostile(json_ok(deep))
    error, elapsed, peak = fetch(make_ctx, server.url)
    assert error is not None and error.reason == "JSON nested too deep"
    assert not [r for r in caplog.records if r.exc_info]
    assert elapsed < 2 and peak < 20


def test_network_backend_hook_is_in_place():
    """fetch_bytes swaps httpx's network backend through a private attribute; fail loudly if an
    httpx/httpcore upgrade moves it (the deadline would silently stop working)."""
    transport = httpx.HTTPTransport()
    assert hasattr(transport._pool, "_network_backend")
    with httpx.Client(transport=transport) as client:
        assert client._transport is transport and isinstance(client._mounts, dict)


