"""What every check kind shares: its result, the reasons a check fails, and the deadline guard.

A check must never outlive its deadline. Timeouts of a client library are per operation (a
server dripping one byte a second never trips a read timeout), so the guard keeps a duplicate of
every socket a check opens and shuts the connection down when the deadline passes: any read or
write blocked on it returns at once, whatever library sits on top.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from commandcenter.i18n import tr


def _tr(text: str) -> str:
    """Marks a text for the catalog (`python -m commandcenter.i18n extract`); translated when shown."""
    return text


# reason codes stored as the `app_fail` value; 100-599 are HTTP status codes. The words are
# Indonesian (the catalog's source language); English comes from the one catalog. A check's own
# `message` (English, technical: "keyword 'Masuk' not found in the page") is for the console and
# the logs, never for the wall.
OK, TIMEOUT, CONNECT, DNS, TLS, KEYWORD, JSON, REDIRECTS, PROTOCOL, INTERNAL, TOO_BIG = range(11)
REASONS = {
    OK: "", TIMEOUT: _tr("batas waktu habis"), CONNECT: _tr("koneksi ditolak"),
    DNS: _tr("nama tidak ditemukan (DNS)"), TLS: _tr("sertifikat TLS tidak sah"),
    KEYWORD: _tr("kata kunci tidak ditemukan"), JSON: _tr("isi JSON tidak sesuai"),
    REDIRECTS: _tr("pengalihan berulang"), PROTOCOL: _tr("jawaban rusak"),
    INTERNAL: _tr("galat internal"), TOO_BIG: _tr("isi terlalu besar"),
}


def reason_text(code: int | float | None, lang: str = "id") -> str:
    """Words for a stored reason code in `lang` (an HTTP status reads `HTTP 503`)."""
    if code is None:
        return ""
    code = int(code)
    if 100 <= code <= 599:
        return f"HTTP {code}"
    return tr(REASONS.get(code, REASONS[INTERNAL]), lang)


@dataclass(frozen=True, slots=True)
class CheckResult:
    up: bool
    latency_ms: float | None = None
    reason: int = OK
    message: str = ""  # detail for operators, never a secret
    cert_days: float | None = None  # days until the server certificate expires (TLS only)

    @classmethod
    def fail(cls, reason: int, message: str, latency_ms: float | None = None,
             cert_days: float | None = None) -> "CheckResult":
        return cls(False, latency_ms, reason, message[:300], cert_days)


class Options(BaseModel):
    """Base of every kind's options: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class CheckContext:
    """What a check may need besides its options: where relative files are, the environment."""

    config_root: Any = None
    data_dir: Any = None
    environ: Any = None


class Deadline:
    """`with Deadline(5) as d:` ... `d.watch(sock)` for every socket; past 5 s they are shut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._timer.cancel()
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            s.close()

    def remaining(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def elapsed_ms(self) -> float:
        return round((time.monotonic() - self.start) * 1000, 1)

    def watch(self, sock: socket.socket) -> None:
        # a dup shares the connection, and stays valid when TLS wrapping detaches the original
        dup = sock.dup()
        with self._lock:
            self._socks.append(dup)
            expired = self.expired
        if expired:
            _shut(dup)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for s in socks:
            _shut(s)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
