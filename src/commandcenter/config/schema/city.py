"""city.yaml: who the city is, its time zone and language."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from commandcenter.config.schema.common import DurationOrZero, Strict, Versioned


class City(Strict):
    code: str = Field(pattern=r"^\d{2}(\d{2})?$", description="Kemendagri region code, e.g. 1275")
    name: str = Field(min_length=2, description="e.g. Kota Binjai")
    short_name: str | None = None
    kind: Literal["kota", "kabupaten", "provinsi"] = "kota"
    province: str
    timezone: str = "Asia/Jakarta"
    zone_label: Literal["WIB", "WITA", "WIT"] = "WIB"
    language: Literal["id", "en"] = "id"
    logo: str | None = Field(None, description="image file relative to config/ or a resource name")
    demo: bool = Field(False, description="data are simulated: the wall says so")
    motto: str | None = None
    data_dir: str | None = Field(None, description="where the cache lives; default per-user data dir")
    retention_raw: DurationOrZero = Field(0, description="prune raw samples older than this (0: keep)")
    retention_runs: DurationOrZero = Field(
        30 * 86400, description="prune source run records older than this, keeping each source's newest run and "
                                "newest good run (0: keep); a source polling every 5 s writes 17,280 a day")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)")
        return value


class CityFile(Versioned):
    city: City
