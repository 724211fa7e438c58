"""`ckan`: a Satu Data portal (CKAN) resource read through `datastore_search`.

Follows `_links.next` until `total` records are read. With `package_id`, `package_show`'s
`metadata_modified` is checked first: unchanged since the last import means no new data.
Portals often store numbers as text (`"97"`); the mapping parses them.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any
from urllib.parse import urljoin

from pydantic import Field, field_validator

from commandcenter.sources import registry
from commandcenter.sources.base import Connector, FetchContext, FetchResult, Options, SourceError, dedupe
from commandcenter.sources.mapping import RecordMap, map_list, reported_at
from commandcenter.sources.web import DEFAULT_MAX_BYTES, fetch_json

MAX_PAGES = 1000


class CkanOptions(Options):
    url: str = Field(description="portal base URL, e.g. https://satudata.binjaikota.go.id")
    resource_id: str = Field(min_length=1)
    package_id: str | None = Field(None, description="dataset id; its metadata_modified tells if anything changed")
    limit: int = Field(100, gt=0, le=32000)
    headers: dict[str, str] = Field(default_factory=dict, description="e.g. Authorization: ${CKAN_API_KEY}")
    max_bytes: int = Field(DEFAULT_MAX_BYTES, gt=0)
    samples: list[RecordMap] = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value.rstrip("/")


@registry.register
class Ckan(Connector):
    type_name = "ckan"
    Options = CkanOptions

    def fetch(self, ctx: FetchContext) -> FetchResult:
        opts: CkanOptions = ctx.options
        api = ctx.secret(opts.url) + "/api/3/action/"
        headers = {k: ctx.secret(v) for k, v in opts.headers.items()}
        checkpoints: dict[str, str] = {}
        if opts.package_id:
            modified = self._modified(ctx, opts, api, headers)
            if modified and modified == ctx.get_checkpoint("metadata_modified"):
                return FetchResult(nodata=True, message=f"dataset unchanged since {_local(modified, ctx.tz)}")
            if modified:
                checkpoints["metadata_modified"] = modified
        records = self._records(ctx, opts, api, headers)
        result = FetchResult(checkpoints=checkpoints)
        for rmap in opts.samples:
            samples, rejected = map_list(rmap, records, ctx.tz, ctx.now, lambda i: f"record {i + 1}")
            result.samples += samples
            result.rejected += rejected
        # the dataset's own update time is when the department reported these values (as-of)
        updated = _utc(checkpoints.get("metadata_modified") or "")
        result.samples = reported_at(dedupe(result.samples), updated.timestamp() if updated else None, ctx.now)
        return result

    def _call(self, ctx: FetchContext, opts: CkanOptions, url: str, headers: dict[str, str],
              params: dict[str, Any] | None) -> Any:
        doc = fetch_json(ctx, url, headers=headers, params=params, max_bytes=opts.max_bytes)
        if not isinstance(doc, dict) or "success" not in doc:
            raise SourceError("not a CKAN API response (no 'success')")
        if doc["success"] is not True:
            error = doc.get("error") or {}
            message = error.get("message") if isinstance(error, dict) else error
            raise SourceError(f"CKAN error: {message or 'success is false'}")
        if not isinstance(doc.get("result"), dict):
            raise SourceError("CKAN response has no result object")
        return doc["result"]

    def _modified(self, ctx: FetchContext, opts: CkanOptions, api: str, headers: dict[str, str]) -> str | None:
        result = self._call(ctx, opts, api + "package_show", headers, {"id": opts.package_id})
        value = result.get("metadata_modified")
        return value if isinstance(value, str) else None  # unknown: fetch anyway

    def _records(self, ctx: FetchContext, opts: CkanOptions, api: str, headers: dict[str, str]) -> list[Any]:
        url: str = api + "datastore_search"
        params: dict[str, Any] | None = {"resource_id": opts.resource_id, "limit": opts.limit}
        records: list[Any] = []
        for _ in range(MAX_PAGES):
            result = self._call(ctx, opts, url, headers, params)
            page = result.get("records")
            if not isinstance(page, list):
                raise SourceError("datastore_search result has no records list")
            records += page
            total = result.get("total")
            nxt = (result.get("_links") or {}).get("next")
            if not page or not nxt or (isinstance(total, int) and len(records) >= total):
                break
            url, params = urljoin(api, nxt), None  # the link carries offset and resource_id
        if not records:
            raise SourceError(f"mapping matched nothing: resource {opts.resource_id} has no records")
        return records


def _utc(modified: str) -> datetime | None:
    """CKAN's metadata_modified: ISO 8601 in UTC, usually without a zone."""
    try:
        dt = datetime.fromisoformat(modified.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _local(modified: str, tz: tzinfo) -> str:
    dt = _utc(modified)
    return modified if dt is None else dt.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z").strip()

