"""clock: the time and date in the city's zone."""

from commandcenter.config.panels.base import PanelKind

KIND = PanelKind(
    name="clock",
    description="The current time and date in the city's time zone (WIB/WITA/WIT).",
    example={"id": "jam", "type": "clock", "cell": [20, 0, 4, 3]},
)
