"""map: the city's kecamatan coloured by a KPI."""

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class MapOptions(PanelOptions):
    geojson: str = Field("maps/binjai-kecamatan.geojson",
                         description="GeoJSON of the kecamatan, under resources/ (bundled) ",
                         examples=["maps/barru-kecamatan.geojson"])


KIND = PanelKind(
    name="map", options=MapOptions, needs_metric=True,
    description="The city's kecamatan as a choropleth coloured by a KPI (values per kecamatan dimension, "
                "or per OPD's kecamatan).",
    example={"id": "peta", "type": "map", "cell": [0, 3, 8, 6], "metric": "penduduk",
             "options": {"geojson": "maps/binjai-kecamatan.geojson"}},
)
