"""A network backend for httpx whose every socket operation ends by one total deadline.

httpx's timeouts bound each connect, read and write; a server that drips one byte just inside the
read timeout keeps a fetch alive forever. Here each operation waits at most until the deadline
(and at most its own httpx timeout), in slices of SLICE seconds so a stop request (the collector
shutting down) ends a fetch within a slice, whatever the server does.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import httpcore

SLICE = 0.25  # seconds: how soon a blocked read notices a stop request


class Cancelled(Exception):
    """The fetch was abandoned because the collector is stopping."""


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, deadline: float, cancelled: Callable[[], bool] = lambda: False):
        self.deadline = deadline  # time.monotonic() value
        self.cancelled = cancelled
        self._inner = httpcore.SyncBackend()

    def left(self, timeout: float | None, exc: type[Exception]) -> float:
        """Seconds the next operation may wait; raise when stopping or past the deadline."""
        if self.cancelled():
            raise Cancelled()
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise exc("total deadline reached")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        wait = self.left(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, wait, local_address, socket_options)
        return DeadlineStream(stream, self)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:  # pragma: no cover
        stream = self._inner.connect_unix_socket(path, self.left(timeout, httpcore.ConnectTimeout), socket_options)
        return DeadlineStream(stream, self)

    def sleep(self, seconds: float) -> None:  # pragma: no cover - used by retries we do not enable
        time.sleep(min(seconds, self.left(None, httpcore.PoolTimeout)))


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, backend: DeadlineBackend):
        self._inner = inner
        self._backend = backend

    def _sliced(self, op: Callable[[float], Any], timeout: float | None, exc: type[Exception]) -> Any:
        # a timed-out recv/send of a whole slice leaves the socket usable: try again until the
        # operation's own timeout or the deadline has passed
        own_end = None if timeout is None else time.monotonic() + timeout
        while True:
            left = self._backend.left(None if own_end is None else own_end - time.monotonic(), exc)
            if left <= 0:
                raise exc("timed out")
            wait = min(left, SLICE)
            try:
                return op(wait)
            except exc:
                if wait >= left:
                    raise

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._sliced(lambda t: self._inner.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # a partial send before a slice timed out cannot be told apart: one wait, bounded
        self._inner.write(buffer, self._backend.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        wait = self._backend.left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)
