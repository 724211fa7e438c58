"""HTTP for connectors: one GET/POST with a timeout, TLS verification, a size cap, JSON decoding.

Every failure becomes a SourceError whose reason an operator can act on; transient ones
(timeouts, connection errors, 5xx, a cut body) are marked retryable.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from commandcenter.sources.base import FetchContext, SourceError

if TYPE_CHECKING:
    import httpx

# httpx logs every request URL at INFO, query string included: a `?key=${BPS_API_KEY}` would
# reach the log. Our own run records say what happened, without the secret.
logging.getLogger("httpx").setLevel(logging.WARNING)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
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
    import httpx  # here, not at the top: validating a config (and the wall) never needs it

    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"} | (headers or {})
    try:
        with httpx.Client(timeout=ctx.timeout, verify=tls_context(verify), follow_redirects=True) as client:
            with client.stream(method, url, headers=all_headers, params=params, json=body) as resp:
                _check_status(resp)
                return _read_capped(resp, max_bytes)
    except SourceError:
        raise
    except httpx.TimeoutException:
        raise SourceError(f"timeout after {ctx.timeout:g} s", retryable=True) from None
    except httpx.RemoteProtocolError as exc:
        raise SourceError(ctx.redact(f"response cut off: {exc}"), retryable=True) from None
    except httpx.ConnectError as exc:
        raise SourceError(ctx.redact(f"cannot connect: {_reason(exc)}"), retryable=True) from None
    except httpx.HTTPError as exc:
        raise SourceError(ctx.redact(f"HTTP error: {type(exc).__name__}: {exc}"), retryable=True) from None


@lru_cache(maxsize=16)
def tls_context(verify: bool | str) -> Any:
    """One TLS context per verify setting for the process: building one loads the CA bundle
    (~60 ms of CPU), which a collector polling every few seconds must not pay per request."""
    import httpx

    return httpx.create_ssl_context(verify=verify)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split("] ")[-1] if "] " in text else text


def _check_status(resp: httpx.Response) -> None:
    if resp.status_code >= 400:
        retry = resp.status_code >= 500 or resp.status_code == 429
        what = "authentication failed" if resp.status_code in (401, 403) else resp.reason_phrase
        raise SourceError(f"HTTP {resp.status_code} {what}", retryable=retry)


def _read_capped(resp: httpx.Response, max_bytes: int) -> bytes:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(f"response of {int(declared)} bytes is over the {max_bytes} byte cap")
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"response is over the {max_bytes} byte cap")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_json(raw: bytes) -> Any:
    if not raw.strip():
        raise SourceError("empty response (expected JSON)")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        head = raw.lstrip()[:15].lower()
        if head.startswith((b"<!doctype", b"<html", b"<")):
            raise SourceError("not JSON: got an HTML page (an error page or a login?)") from None
        raise SourceError(f"not JSON: {exc}") from None
