"""map: the city's kecamatan coloured by a KPI."""

from importlib import resources

from pydantic import Field, field_validator

from commandcenter.config.panels.base import PanelKind, PanelOptions


class MapOptions(PanelOptions):
    geojson: str = Field("maps/binjai-kecamatan.geojson",
                         description="GeoJSON of the kecamatan, a bundled resource (resources/maps/...)",
                         examples=["maps/binjai-kecamatan.geojson"])

    @field_validator("geojson")
    @classmethod
    def _exists(cls, value: str) -> str:
        # checked now: the wall would otherwise fail when it first draws the map
        path = resources.files("commandcenter").joinpath("resources", *value.split("/"))
        if not path.is_file():
            raise ValueError(f"no bundled map {value!r} (resources/{value})")
        return value


KIND = PanelKind(
    name="map", options=MapOptions, needs_metric=True,
    description="The city's kecamatan as a choropleth coloured by a KPI (values per kecamatan dimension, "
                "or per OPD's kecamatan).",
    example={"id": "peta", "type": "map", "cell": [0, 3, 8, 6], "metric": "penduduk",
             "options": {"geojson": "maps/binjai-kecamatan.geojson"}},
)
