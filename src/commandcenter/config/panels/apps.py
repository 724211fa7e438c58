"""apps: the status board of the city's applications (apps.yaml)."""

from commandcenter.config.panels.base import PanelKind

KIND = PanelKind(
    name="apps",
    description="Every application of apps.yaml as a tile grouped by OPD, worst groups first: up, degraded "
                "(slow or certificate expiring), down, in maintenance or unknown, each with its own shape and "
                "colour, with the latency or the reason. `opds` narrows it to some OPDs.",
    example={"id": "status-aplikasi", "type": "apps", "cell": [0, 0, 12, 12]},
    builder="commandcenter.wall.apps_queries",
)
