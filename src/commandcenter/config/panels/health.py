"""health: every source's state."""

from commandcenter.config.panels.base import PanelKind

KIND = PanelKind(
    name="health",
    description="Every data source's state (ok, late, stale, failing, never run) with its last success.",
    example={"id": "sumber", "type": "health", "cell": [18, 9, 6, 3]},
)
