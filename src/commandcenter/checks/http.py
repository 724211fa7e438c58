"""HTTP(S) check: status, optional keyword or JSON field, latency, TLS certificate days left.

Bounded on every side: one total deadline (base.Deadline shuts the sockets), at most
`MAX_BODY` bytes read (decompressed ones counted), at most `max_redirects` hops, and the
certificate verified against the system's trust store or the app's own `ca_file`.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import zlib
from functools import lru_cache
from typing import Any
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from pydantic import Field, field_validator

from commandcenter.checks import base
from commandcenter.checks.base import CheckResult, Deadline
from commandcenter.checks.registry import register

if TYPE_CHECKING:
    import httpx

MAX_BODY = 256 * 1024
USER_AGENT = "commandcenter-check/1"


class HttpOptions(base.Options):
    url: str = Field(description="http:// or https:// address")
    method: str = Field("GET", pattern="^(GET|HEAD)$")
    status: int | list[int] | None = Field(None, description="expected status code(s); default any 2xx")
    keyword: str | None = Field(None, description="text the page must contain")
    json_path: str | None = Field(None, description="JMESPath of a field the JSON answer must have, e.g. status")
    json_equals: Any = Field(None, description="the value that field must have (default: any non-empty)")
    ca_file: str | None = Field(None, description="PEM file of the CA to trust instead of the system's")
    verify: bool = Field(True, description="verify the certificate (turn off only for a known self-signed test server)")
    max_redirects: int = Field(5, ge=0, le=10)
    headers: dict[str, str] = Field(default_factory=dict, description="extra headers; ${ENV} for secrets")

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value

    def expected(self, code: int) -> bool:
        if self.status is None:
            return 200 <= code < 300
        return code in (self.status if isinstance(self.status, list) else [self.status])


@lru_cache(maxsize=1)
def _transport_class() -> type:
    """httpx and httpcore are imported when a check first runs, not when the config is validated:
    every process that loads the config (the wall among them) would pay ~0.1 s for them."""
    import httpcore
    import httpx

    class _Backend(httpcore.SyncBackend):
        def __init__(self, deadline: Deadline) -> None:
            self.deadline = deadline

        def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                        socket_options: Any = None) -> Any:
            stream = super().connect_tcp(host, port, min(timeout or 1e9, self.deadline.remaining()),
                                         local_address, socket_options)
            self.deadline.watch(stream.get_extra_info("socket"))
            return stream

    class _Transport(httpx.HTTPTransport):
        def __init__(self, deadline: Deadline, verify: ssl.SSLContext | bool) -> None:
            super().__init__(verify=verify)
            ctx = self._pool._ssl_context  # the context httpx built from `verify`
            self._pool = httpcore.ConnectionPool(ssl_context=ctx, max_connections=1, network_backend=_Backend(deadline))

    return _Transport


@register
class HttpCheck:
    kind = "http"
    Options = HttpOptions

    def run(self, opts: HttpOptions, deadline: Deadline, ctx: base.CheckContext) -> CheckResult:
        try:
            verify = _verify(opts, ctx)
        except (OSError, ssl.SSLError) as exc:
            return CheckResult.fail(base.TLS, f"ca_file unreadable: {exc}")
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, identity"}
        headers.update({k: _secret(v, ctx) for k, v in opts.headers.items()})
        cert: list[float | None] = [None]
        try:
            import httpx

            with httpx.Client(transport=_transport_class()(deadline, verify), trust_env=False, headers=headers) as client:
                return _follow(client, opts, deadline, cert)
        except Exception as exc:  # noqa: BLE001 - every failure is a reason on the wall
            return _failure(exc, deadline, cert[0])


def _verify(opts: HttpOptions, ctx: base.CheckContext) -> ssl.SSLContext | bool:
    if not opts.verify:
        return False
    if not opts.ca_file:
        return _context(None)
    from pathlib import Path

    path = Path(opts.ca_file)
    if not path.is_absolute():
        for root in (ctx.config_root, ctx.data_dir):
            if root is not None and (Path(root) / path).is_file():
                path = Path(root) / path
                break
    return _context(str(path))


_contexts_lock = threading.Lock()


def _context(cafile: str | None) -> ssl.SSLContext:
    """Loading a trust store costs tens of milliseconds of CPU: once per CA file, shared by all
    checks (an SSLContext is safe to share between threads). The lock keeps a burst of checks
    from loading it once each."""
    with _contexts_lock:
        return _cached_context(cafile)


@lru_cache(maxsize=64)
def _cached_context(cafile: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=cafile)


def _secret(value: str, ctx: base.CheckContext) -> str:
    from commandcenter.config import secrets

    return secrets.resolve(value, ctx.environ)


def _follow(client: httpx.Client, opts: HttpOptions, deadline: Deadline, cert: list[float | None]) -> CheckResult:
    url = opts.url
    import httpx

    for _hop in range(opts.max_redirects + 1):
        timeout = httpx.Timeout(deadline.remaining())
        with client.stream(opts.method, url, timeout=timeout) as r:
            if cert[0] is None:
                cert[0] = _cert_days(r)
            if r.is_redirect and r.headers.get("location"):
                url = urljoin(str(r.url), r.headers["location"])
                continue
            body = _read_capped(r) if opts.method == "GET" else b""
            return _judge(opts, r, body, deadline.elapsed_ms(), cert[0])
    return CheckResult.fail(base.REDIRECTS, f"more than {opts.max_redirects} redirects (last: {url[:120]})",
                            deadline.elapsed_ms(), cert[0])


def _cert_days(r: httpx.Response) -> float | None:
    stream = r.extensions.get("network_stream")
    ssl_obj = stream.get_extra_info("ssl_object") if stream is not None else None
    if ssl_obj is None:
        return None
    not_after = (ssl_obj.getpeercert() or {}).get("notAfter")
    if not not_after:
        return None
    return round((ssl.cert_time_to_seconds(not_after) - time.time()) / 86400, 2)


class _TooBig(Exception):
    pass


def _read_capped(r: httpx.Response) -> bytes:
    """At most MAX_BODY bytes of the (decompressed) body; the rest is never read."""
    enc = r.headers.get("content-encoding", "").lower().strip()
    inflate = zlib.decompressobj(47 if enc == "gzip" else zlib.MAX_WBITS) if enc in ("gzip", "deflate") else None
    buf = bytearray()
    for chunk in r.iter_raw(16384):
        if inflate is not None:
            chunk = inflate.decompress(chunk, MAX_BODY + 1 - len(buf))  # a zip bomb stops here
        buf += chunk
        if len(buf) > MAX_BODY:
            raise _TooBig(f"body larger than {MAX_BODY // 1024} KiB")
    return bytes(buf)


def _judge(opts: HttpOptions, r: httpx.Response, body: bytes, ms: float, cert: float | None) -> CheckResult:
    if not opts.expected(r.status_code):
        return CheckResult.fail(r.status_code, f"HTTP {r.status_code} {r.reason_phrase}".strip(), ms, cert)
    text = body.decode(r.encoding or "utf-8", "replace") if (opts.keyword or opts.json_path) else ""
    if opts.keyword and opts.keyword.casefold() not in text.casefold():
        return CheckResult.fail(base.KEYWORD, f"keyword {opts.keyword!r} not found in the page", ms, cert)
    if opts.json_path:
        problem = _json_problem(opts, text)
        if problem:
            return CheckResult.fail(base.JSON, problem, ms, cert)
    return CheckResult(True, ms, base.OK, f"HTTP {r.status_code}", cert)


def _json_problem(opts: HttpOptions, text: str) -> str:
    import jmespath

    try:
        found = jmespath.search(opts.json_path, json.loads(text))
    except (ValueError, jmespath.exceptions.JMESPathError) as exc:
        return f"answer is not the expected JSON: {str(exc)[:80]}"
    if opts.json_equals is None:
        return "" if found not in (None, "", [], {}) else f"field {opts.json_path!r} missing or empty"
    return "" if found == opts.json_equals else f"field {opts.json_path!r} is {found!r}, expected {opts.json_equals!r}"


def _failure(exc: Exception, deadline: Deadline, cert: float | None) -> CheckResult:
    import httpx

    ms = deadline.elapsed_ms()
    if isinstance(exc, _TooBig):
        return CheckResult.fail(base.TOO_BIG, str(exc), ms, cert)
    if deadline.expired or isinstance(exc, httpx.TimeoutException):
        return CheckResult.fail(base.TIMEOUT, f"no complete answer within {deadline.seconds:g} s", ms, cert)
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text or isinstance(exc, ssl.SSLError):
        return CheckResult.fail(base.TLS, "TLS: " + _tls_words(text), ms, cert)
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return CheckResult.fail(base.DNS, text, ms, cert)
    if isinstance(exc, (httpx.ConnectError, OSError)):
        return CheckResult.fail(base.CONNECT, text, ms, cert)
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.DecodingError, zlib.error)):
        return CheckResult.fail(base.PROTOCOL, text, ms, cert)
    return CheckResult.fail(base.INTERNAL, f"{type(exc).__name__}: {text}", ms, cert)


def _tls_words(text: str) -> str:
    i = text.find("certificate verify failed")
    return (text[i:] if i >= 0 else text).strip(" ()")[:200]
