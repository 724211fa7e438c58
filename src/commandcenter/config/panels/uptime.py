"""uptime: a bar per day for each application, like a public status page."""

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class UptimeOptions(PanelOptions):
    days: int = Field(90, ge=7, le=366, description="how many days of bars (the newest on the right)")
    top: int = Field(0, ge=0, le=1000, description="only the N applications with the lowest uptime (0: all)")


KIND = PanelKind(
    name="uptime", options=UptimeOptions,
    description="Per application, one bar per local day coloured and sized by its share of successful "
                "checks (maintenance windows left out), and the share over the whole span.",
    example={"id": "uptime-90", "type": "uptime", "cell": [12, 0, 12, 9], "options": {"days": 90}},
    builder="commandcenter.wall.apps_queries",
)
