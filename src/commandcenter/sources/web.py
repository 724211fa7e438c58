"""HTTP for connectors: one GET/POST within a total deadline, TLS verification, at most 5
redirects (secret headers never leave the origin), a size cap on the decoded body, JSON decoding.

Every failure becomes a SourceError whose reason an operator can act on; transient ones
(timeouts, connection errors, 5xx, a cut body) are marked retryable.
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Any, Callable, Iterator

from commandcenter.sources.base import FetchContext, SourceError

if TYPE_CHECKING:
    import httpx

# httpx logs every request URL at INFO, query string included: a `?key=${BPS_API_KEY}` would
# reach the log. Our own run records say what happened, without the secret.
logging.getLogger("httpx").setLevel(logging.WARNING)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
INFLATE_STEP = 64 * 1024  # bytes of decompressed output per step
USER_AGENT = "commandcenter-collector/0.1"


def fetch_json(ctx: FetchContext, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
               params: dict[str, Any] | None = None, body: Any = None, max_bytes: int = DEFAULT_MAX_BYTES,
               verify: bool | str = True) -> Any:
    raw = fetch_bytes(ctx, url, method=method, headers=headers, params=params, body=body,
                      max_bytes=max_bytes, verify=verify)
    return decode_json(raw)


def fetch_bytes(ctx: FetchContext, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                params: dict[str, Any] | None = None, body: Any = None, max_bytes: int = DEFAULT_MAX_BYTES,
                verify: bool | str = True) -> bytes:
    """One request (following at most MAX_REDIRECTS redirects) and its body, all of it within
    ctx.timeout seconds in total, the decoded body capped at max_bytes while it streams."""
    import httpx  # here, not at the top: validating a config (and the wall) never needs it

    from commandcenter.sources.netlimits import Cancelled, DeadlineBackend

    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json",
                   "Accept-Encoding": "gzip, deflate"} | (headers or {})
    secret = {k.lower() for k, v in all_headers.items() if ctx.redact(v) != v}
    started = time.monotonic()
    backend = DeadlineBackend(started + ctx.timeout, ctx.cancelled)
    try:
        with httpx.Client(timeout=ctx.timeout, transport=httpx.HTTPTransport(verify=verify),
                          follow_redirects=False) as client:
            _bound(client, backend)
            request = client.build_request(method, url, headers=all_headers, params=params, json=body)
            with _follow(client, request, secret) as resp:
                _check_status(resp)
                return _read_capped(resp, max_bytes)
    except SourceError:
        raise
    except Cancelled:
        raise SourceError("cancelled: the collector is stopping") from None
    except httpx.TimeoutException:
        raise SourceError(f"timeout after {ctx.timeout:g} s: no complete response (connect, headers "
                          "and body share one deadline)", retryable=True) from None
    except httpx.RemoteProtocolError as exc:
        raise SourceError(ctx.redact(f"response cut off: {exc}"), retryable=True) from None
    except httpx.ConnectError as exc:
        raise SourceError(ctx.redact(f"cannot connect: {_reason(exc)}"), retryable=True) from None
    except httpx.DecodingError as exc:
        raise SourceError(ctx.redact(f"bad compressed body: {exc}")) from None
    except httpx.HTTPError as exc:
        raise SourceError(ctx.redact(f"HTTP error: {type(exc).__name__}: {exc}"), retryable=True) from None


def _bound(client: httpx.Client, backend: Any) -> None:
    """Give every transport (the direct one and any HTTP_PROXY one) the deadline backend. httpx
    has no public hook for it; tests/sources/test_hostile.py fails if the attribute moves."""
    for transport in [client._transport, *(t for t in client._mounts.values() if t is not None)]:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = backend


@contextmanager
def _follow(client: httpx.Client, request: httpx.Request, secret: set[str]) -> Iterator[httpx.Response]:
    """Send, following redirects by hand: at most MAX_REDIRECTS, a loop refused at once (never
    retried), and headers holding a ${ENV} secret dropped when the redirect leaves the origin
    (httpx drops only Authorization)."""
    seen = {(request.method, str(request.url))}
    origin = _origin(request.url)
    for hop in range(MAX_REDIRECTS + 1):
        resp = client.send(request, stream=True)
        if not resp.is_redirect:
            try:
                yield resp
            finally:
                resp.close()
            return
        nxt = resp.next_request
        resp.close()
        if nxt is None:
            raise SourceError(f"HTTP {resp.status_code} redirect without a usable Location")
        if hop == MAX_REDIRECTS:
            raise SourceError(f"more than {MAX_REDIRECTS} redirects (last to {_origin(nxt.url)[1]})")
        if (nxt.method, str(nxt.url)) in seen:
            raise SourceError(f"redirect loop: {nxt.url.copy_with(query=None)} was already visited")
        seen.add((nxt.method, str(nxt.url)))
        if _origin(nxt.url) != origin:
            for name in secret | _ALWAYS_SECRET:
                nxt.headers.pop(name, None)
        request = nxt


_ALWAYS_SECRET = {"authorization", "proxy-authorization", "cookie"}


def _origin(url: Any) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split("] ")[-1] if "] " in text else text


def _check_status(resp: httpx.Response) -> None:
    if resp.status_code >= 400:
        retry = resp.status_code >= 500 or resp.status_code == 429
        what = "authentication failed" if resp.status_code in (401, 403) else resp.reason_phrase
        raise SourceError(f"HTTP {resp.status_code} {what}", retryable=retry)


def _read_capped(resp: httpx.Response, max_bytes: int) -> bytes:
    """The body, decompressed here in bounded steps so a small gzip bomb never inflates past
    max_bytes in memory (httpx would inflate a whole network chunk at once)."""
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(f"response of {int(declared)} bytes is over the {max_bytes} byte cap")
    inflate = _decoder(resp.headers.get("content-encoding", ""))
    after = "" if inflate is _identity else " (after decompression)"
    chunks: list[bytes] = []
    size = 0
    for raw in chain(resp.iter_raw(64 * 1024), [None]):  # None: flush the decompressor
        for piece in inflate(raw):
            size += len(piece)
            if size > max_bytes:
                raise SourceError(f"response is over the {max_bytes} byte cap{after}")
            chunks.append(piece)
    return b"".join(chunks)


def _identity(raw: bytes | None) -> Iterator[bytes]:
    if raw:
        yield raw


def _decoder(encoding: str) -> Callable[[bytes | None], Iterator[bytes]]:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return _identity
    if enc not in ("gzip", "x-gzip", "deflate"):
        raise SourceError(f"unsupported Content-Encoding {enc!r} (asked for gzip or deflate)")
    # 32 + 15: zlib detects a gzip or zlib header itself
    d = zlib.decompressobj(32 + zlib.MAX_WBITS)

    def inflate(raw: bytes | None) -> Iterator[bytes]:
        try:
            if raw is None:
                yield d.flush()
                return
            data = raw
            while data:
                yield d.decompress(data, INFLATE_STEP)
                data = d.unconsumed_tail
        except zlib.error as exc:
            raise SourceError(f"bad compressed body: {exc}") from None

    return inflate


def decode_json(raw: bytes) -> Any:
    if not raw.strip():
        raise SourceError("empty response (expected JSON)")
    try:
        return json.loads(raw)
    except RecursionError:
        raise SourceError("JSON nested too deep") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        head = raw.lstrip()[:15].lower()
        if head.startswith((b"<!doctype", b"<html", b"<")):
            raise SourceError("not JSON: got an HTML page (an error page or a login?)") from None
        raise SourceError(f"not JSON: {exc}") from None
