"""A whole city's configuration as the loader assembled it from the YAML files (config/loader.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from commandcenter.config import schema
from commandcenter.config.yamlfile import YamlDoc


@dataclass
class CityConfig:
    """A whole city, validated. Everything the app knows about a city comes from here."""

    root: Path
    city: schema.City
    opds: list[schema.Opd]
    metrics: list[schema.Metric]
    sources: list[schema.Source]
    wall: schema.Wall
    scenes: list[schema.Scene]
    playlists: schema.PlaylistsFile
    extra: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, YamlDoc] = field(default_factory=dict, repr=False)

    # read-only views: the config is what the files say; no layer above may write into it
    @cached_property
    def opd_by_code(self) -> Mapping[str, schema.Opd]:
        return MappingProxyType({o.code: o for o in self.opds})

    @cached_property
    def metric_by_id(self) -> Mapping[str, schema.Metric]:
        return MappingProxyType({m.id: m for m in self.metrics})

    @cached_property
    def source_by_id(self) -> Mapping[str, schema.Source]:
        return MappingProxyType({s.id: s for s in self.sources})

    @cached_property
    def scene_by_id(self) -> Mapping[str, schema.Scene]:
        return MappingProxyType({s.id: s for s in self.scenes})

    @property
    def city_key(self) -> str:
        """Partition key in a shared cache: several cities may write into one PostgreSQL."""
        return self.city.code

    def sources_for_metric(self, metric_id: str) -> list[schema.Source]:
        return [s for s in self.sources if metric_id in s.metrics]

    def resolve_path(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else (self.root / path)
