"""web: an OPD's own web page (Qt WebEngine, the optional `web` extra), kiosk-safe."""

from commandcenter.config.panels.base import PanelKind
from commandcenter.config.schema.web import WebOptions

KIND = PanelKind(
    name="web", options=WebOptions,
    description="An OPD application's web page scaled to the panel: navigation only within its allowed "
                "hosts, no pop-ups, downloads or prompts; the last good rendering stays when the page "
                "fails; snapshots for freeze, replay and export.",
    example={"id": "lapor-dasbor", "type": "web", "cell": [12, 0, 12, 6], "title": "Dasbor LAPOR!",
             "options": {"url": "https://lapor.binjaikota.go.id/dasbor", "allowed_hosts": ["lapor.binjaikota.go.id"],
                         "reload": "5m", "header": {"name": "Authorization", "value": "Bearer ${LAPOR_TOKEN}"}}},
    builder="commandcenter.wall.web",
)
