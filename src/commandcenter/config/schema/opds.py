"""opds.yaml: the city's work units. Names change with reorganisations, so they carry validity dates."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from commandcenter.config.schema.common import Ident, Strict, Versioned

OpdKind = Literal["sekretariat", "inspektorat", "badan", "dinas", "rsud", "kecamatan", "kelurahan", "satpol", "lainnya"]


class Opd(Strict):
    code: Ident
    short: str = Field(min_length=1, max_length=24, description="abbreviation shown on the wall")
    name: str = Field(min_length=2)
    kind: OpdKind = "dinas"
    valid_from: date | None = None
    valid_to: date | None = None
    replaces: Ident | None = Field(None, description="code of the OPD this one succeeded")
    kecamatan: str | None = Field(None, description="map feature name for a kecamatan")

    @model_validator(mode="after")
    def _dates_ordered(self) -> "Opd":
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class OpdsFile(Versioned):
    opds: list[Opd] = Field(min_length=1)
