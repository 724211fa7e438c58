"""progress: physical vs financial progress per OPD."""

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class ProgressOptions(PanelOptions):
    top: int = Field(40, ge=1, le=200, description="at most this many OPDs (those furthest behind first)",
                     examples=[10])


KIND = PanelKind(
    name="progress", options=ProgressOptions,
    description="Physical vs financial progress per OPD (metrics: [physical, financial]), furthest behind first.",
    example={"id": "progres", "type": "progress", "cell": [0, 6, 12, 6],
             "metrics": ["realisasi_fisik", "serapan_keuangan"], "options": {"top": 10}},
)
