"""`bps`: the BPS (Statistics Indonesia) web API, one dynamic-table variable for one domain.

    GET {url}/list/model/data/lang/ind/domain/{domain}/var/{var}/key/{key}

Each `datacontent` key is vervar + var + turvar + tahun + turtahun concatenated (their `val`
codes); `tahun` codes map to year labels. `"data-availability": "not-available"` means BPS has
nothing (yet) for that table: no new data, not an error.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, Literal

from pydantic import Field, model_validator

from commandcenter.cache.records import Sample
from commandcenter.sources import registry
from commandcenter.sources.base import Connector, FetchContext, FetchResult, Options, SourceError
from commandcenter.sources.parsing import ParseError, parse_number, parse_when
from commandcenter.sources.web import fetch_json


class BpsOptions(Options):
    url: str = Field("https://webapi.bps.go.id/v1/api", description="API base")
    domain: str = Field(pattern=r"^\d{4}$", description="BPS domain, e.g. 1275 for Kota Binjai")
    var: int = Field(description="variable id of the dynamic table")
    key: str = Field(min_length=1, description="API key, usually ${BPS_API_KEY}")
    metric: str
    vervar_map: dict[str, str] = Field(description="vervar code -> OPD code ('' = city-wide), or -> dimension "
                                       "with vervar_as: dim")
    vervar_as: Literal["opd", "dim"] = Field("opd", description="what a vervar is: an OPD (kecamatan OPDs), or a "
                                             "breakdown of the city-wide value (kecamatan as dimensions; '' = the total)")
    turvar: dict[str, str] = Field(default_factory=lambda: {"0": ""}, description="turvar code -> dimension")
    latest_only: bool = Field(False, description="keep only the most recent year")
    skip_unmapped: bool = Field(False, description="ignore vervar codes missing from vervar_map")

    @model_validator(mode="after")
    def _one_breakdown(self) -> "BpsOptions":
        if self.vervar_as == "dim" and any(self.turvar.values()):
            raise ValueError("vervar_as: dim uses the dimension for the vervar; turvar labels must be ''")
        return self


def _labels(doc: dict[str, Any], name: str) -> list[tuple[str, str]]:
    items = doc.get(name)
    if not isinstance(items, list):
        raise SourceError(f"BPS response has no {name!r} list")
    try:
        return [(str(item["val"]), str(item.get("label", item["val"]))) for item in items]
    except (KeyError, TypeError):
        raise SourceError(f"BPS {name!r} entries lack 'val'") from None


@registry.register
class Bps(Connector):
    type_name = "bps"
    Options = BpsOptions

    def fetch(self, ctx: FetchContext) -> FetchResult:
        opts: BpsOptions = ctx.options
        base = ctx.secret(opts.url).rstrip("/")
        url = (f"{base}/list/model/data/lang/ind/domain/{opts.domain}/var/{opts.var}"
               f"/key/{ctx.secret(opts.key)}")
        doc = fetch_json(ctx, url)
        if not isinstance(doc, dict):
            raise SourceError("BPS response is not an object")
        if str(doc.get("status", "")).upper() != "OK":
            raise SourceError(f"BPS status {doc.get('status')!r}: {str(doc.get('message', ''))[:120]}")
        if doc.get("data-availability") == "not-available":
            return FetchResult(nodata=True, message="BPS: data not available")
        content = doc.get("datacontent")
        if not isinstance(content, dict) or not content:
            raise SourceError("mapping matched nothing: BPS response has no datacontent")
        return self._samples(opts, doc, content, ctx.tz)

    def _samples(self, opts: BpsOptions, doc: dict[str, Any], content: dict[str, Any], tz: tzinfo) -> FetchResult:
        result = FetchResult()
        years = _labels(doc, "tahun")
        if opts.latest_only:
            years = sorted(years, key=lambda y: y[1])[-1:]
        turtahun = _labels(doc, "turtahun") if "turtahun" in doc else [("0", "Tahun")]
        for vervar, vlabel in _labels(doc, "vervar"):
            if vervar not in opts.vervar_map:
                if not opts.skip_unmapped:
                    result.rejected.append(f"vervar {vervar} ({vlabel}) is not in vervar_map")
                continue
            for turvar, _ in _labels(doc, "turvar") if "turvar" in doc else [("0", "")]:
                if turvar not in opts.turvar:
                    continue
                for tahun, year in years:
                    for tt, _ in turtahun:
                        key = f"{vervar}{opts.var}{turvar}{tahun}{tt}"
                        if key not in content:
                            continue
                        sample = self._one(opts, key, content[key], vervar, turvar, year, tt, tz, result)
                        if sample:
                            result.samples.append(sample)
        return result

    def _one(self, opts: BpsOptions, key: str, raw: Any, vervar: str, turvar: str, year: str, tt: str,
             tz: tzinfo, result: FetchResult) -> Sample | None:
        try:
            value = parse_number(raw, ".")
            period = f"{year}-{int(tt):02d}" if tt.isdigit() and 1 <= int(tt) <= 12 else year
            ts, label = parse_when(period, tz)
        except (ParseError, ValueError) as exc:
            result.rejected.append(f"datacontent {key}: {exc}")
            return None
        mapped = opts.vervar_map[vervar]
        if opts.vervar_as == "dim":  # a kecamatan breakdown of the regency's value
            return Sample(metric=opts.metric, opd="", ts=ts, value=value, dim=mapped, period=label)
        return Sample(metric=opts.metric, opd=mapped, ts=ts, value=value, dim=opts.turvar[turvar], period=label)
