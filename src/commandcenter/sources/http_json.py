"""`http_json`: a department application's JSON endpoint, mapped to samples declaratively.

    type: http_json
    options:
      url: http://127.0.0.1:8765/sipd/realisasi
      method: GET
      headers: {Authorization: "Bearer ${SIPD_TOKEN}"}   # resolved at use, never logged
      query: {tahun: 2026}
      pagination: {mode: page, param: page, pages_field: meta.pages}
      samples:
        - records: data
          opd_field: kode_opd
          ts_field: bulan
          values: {serapan_keuangan: persen_keuangan}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal
from urllib.parse import urljoin

from pydantic import Field, field_validator

from commandcenter.sources import registry
from commandcenter.sources.base import (
    Connector, FetchContext, FetchResult, Options, SourceError, dedupe, fingerprint,
)
from commandcenter.sources.mapping import RecordMap, map_records, select_records
from commandcenter.sources.web import DEFAULT_MAX_BYTES, decode_json, fetch_bytes


class Pagination(Options):
    mode: Literal["page", "offset", "next"]
    param: str = Field("page", description="query parameter of the page number / offset")
    start: int = Field(1, description="first page number (page mode)")
    size_param: str | None = Field(None, description="query parameter of the page size")
    size: int = Field(100, gt=0, le=10000)
    pages_field: str | None = Field(None, description="jmespath to the number of pages (page mode)")
    next_field: str = Field("next", description="jmespath to the next page URL (next mode)")
    max_pages: int = Field(100, gt=0, le=10000)


class HttpJsonOptions(Options):
    url: str
    method: Literal["GET", "POST"] = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str | int | float] = Field(default_factory=dict)
    body: Any = Field(None, description="JSON body for POST")
    max_bytes: int = Field(DEFAULT_MAX_BYTES, gt=0, description="response size cap")
    ca_bundle: str | None = Field(None, description="CA file for a self-signed department server")
    pagination: Pagination | None = None
    allow_empty: bool = Field(False, description="an empty record list is 'no data', not a failure")
    samples: list[RecordMap] = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value


@registry.register
class HttpJson(Connector):
    type_name = "http_json"
    Options = HttpJsonOptions

    def fetch(self, ctx: FetchContext) -> FetchResult:
        opts: HttpJsonOptions = ctx.options
        url = ctx.secret(opts.url)
        headers = {k: ctx.secret(v) for k, v in opts.headers.items()}
        query = {k: ctx.secret(v) if isinstance(v, str) else v for k, v in opts.query.items()}
        pages = list(self._pages(ctx, opts, url, headers, query))
        digest = fingerprint([raw for raw, _doc in pages])
        if digest == ctx.fingerprint:
            # byte for byte the answer the collector committed last: the same options map it to
            # the same samples, so neither decoding nor mapping it again tells anything new
            return FetchResult(fingerprint=digest, unchanged=True)
        docs = [doc if doc is not None else decode_json(raw) for raw, doc in pages]
        result = self._map(ctx, opts, docs)
        result.fingerprint = digest
        return result

    def _get(self, ctx: FetchContext, opts: HttpJsonOptions, url: str, headers: dict[str, str],
             query: dict[str, Any]) -> bytes:
        return fetch_bytes(ctx, url, method=opts.method, headers=headers, params=query or None,
                           body=opts.body, max_bytes=opts.max_bytes, verify=str(ctx.path(opts.ca_bundle)) if opts.ca_bundle else True)

    def _pages(self, ctx: FetchContext, opts: HttpJsonOptions, url: str, headers: dict[str, str],
               query: dict[str, Any]) -> Iterator[tuple[bytes, Any]]:
        """(raw body, decoded document or None) per page; a single page is decoded only when
        its body differs from the last committed one (see fetch)."""
        pag = opts.pagination
        if pag is None:
            yield self._get(ctx, opts, url, headers, query), None
            return
        number = pag.start if pag.mode == "page" else 0
        for _ in range(pag.max_pages):
            q = dict(query)
            if pag.mode != "next":
                q[pag.param] = number
                if pag.size_param:
                    q[pag.size_param] = pag.size
            raw = self._get(ctx, opts, url, headers, q)
            doc = decode_json(raw)  # the next page follows from this one
            yield raw, doc
            more, url, number = self._next(pag, doc, opts, url, number)
            if not more:
                return
            if pag.mode == "next":
                query = {}  # the next link carries its own query

    def _next(self, pag: Pagination, doc: Any, opts: HttpJsonOptions, url: str, number: int):
        records = select_records(doc, opts.samples[0].records) or []
        if pag.mode == "next":
            link = select_records(doc, pag.next_field)
            nxt = urljoin(url, str(link[0])) if link and link[0] else None
            if nxt and _origin(nxt) != _origin(url):
                # the headers may carry a token: never follow a next link to another server
                raise SourceError(f"next page link points to another server ({_origin(nxt)})")
            return bool(nxt) and bool(records), nxt or url, number
        if pag.mode == "page":
            pages = select_records(doc, pag.pages_field) if pag.pages_field else None
            if pages and isinstance(pages[0], int):
                return number < pages[0] + pag.start - 1, url, number + 1
            return bool(records), url, number + 1
        return len(records) >= pag.size, url, number + len(records)

    def _map(self, ctx: FetchContext, opts: HttpJsonOptions, docs: list[Any]) -> FetchResult:
        result = FetchResult()
        for n, rmap in enumerate(opts.samples):
            matched = False
            for p, doc in enumerate(docs):
                records = select_records(doc, rmap.records)
                if records is None:
                    continue
                matched = matched or bool(records)
                page = f"page {p + 1} " if len(docs) > 1 else ""
                samples, rejected = map_records(rmap, records, ctx.tz, ctx.now,
                                                lambda i, page=page: f"{page}{rmap.records}[{i}]")
                result.samples += samples
                result.rejected += rejected
            if not matched and not opts.allow_empty:
                raise SourceError(f"mapping matched nothing: no records at {rmap.records!r} (samples[{n}])")
        result.samples = dedupe(result.samples)
        result.nodata = not result.samples and not result.rejected
        return result


def _origin(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme, parts.netloc
