"""The config schema: the single source of truth for what each YAML file in config/ may say."""

from commandcenter.config.schema.alerts import AlertsFile
from commandcenter.config.schema.apps import AppsFile
from commandcenter.config.schema.city import City, CityFile
from commandcenter.config.schema.metrics import Metric, MetricsFile
from commandcenter.config.schema.opds import Opd, OpdsFile
from commandcenter.config.schema.playlists import PlaylistsFile
from commandcenter.config.schema.reports import ReportsFile
from commandcenter.config.schema.scenes import Panel, Scene, ScenesFile
from commandcenter.config.schema.sources import Source, SourcesFile
from commandcenter.config.schema.wall import Wall, WallFile

# file stem -> (model, required). `sources*.yaml` files are merged (one per department is fine).
FILES = {
    "city": (CityFile, True),
    "opds": (OpdsFile, True),
    "metrics": (MetricsFile, True),
    "sources": (SourcesFile, True),
    "wall": (WallFile, True),
    "scenes": (ScenesFile, True),
    "playlists": (PlaylistsFile, True),
    "alerts": (AlertsFile, False),
    "reports": (ReportsFile, False),
    "apps": (AppsFile, False),
}

__all__ = [
    "FILES", "AlertsFile", "AppsFile", "City", "CityFile", "Metric", "MetricsFile", "Opd", "OpdsFile", "Panel", "PlaylistsFile",
    "Scene", "ScenesFile", "Source", "SourcesFile", "Wall", "WallFile",
]
