"""ranking: OPDs (or a KPI's dimensions) as sorted bars, or the OPD score board."""

from typing import Literal

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class RankingOptions(PanelOptions):
    score: bool = Field(False, description="rank the OPDs by their overall score instead of one metric")
    top: int = Field(12, ge=1, le=200, description="at most this many bars", examples=[9])
    bottom: int = Field(0, ge=0, le=200, description="also the last N, after a separator: the OPDs behind stay on the wall",
                        examples=[6])
    order: Literal["desc", "asc"] = Field("desc", description="desc = highest first, asc = lowest first")
    worst_first: bool = Field(False, description="rank best first by the metric's direction (or by score) and "
                                                 "show the list from the worst up, each row keeping its rank")
    by: Literal["opd", "dim"] = Field("opd", description="bars per OPD, or per dimension of the panel's `opd`")


KIND = PanelKind(
    name="ranking", options=RankingOptions,
    description="Sorted bars: one metric per OPD (or per dimension with `by: dim`), or the OPD score board "
                "with `score: true`.",
    example={"id": "serapan-opd", "type": "ranking", "cell": [18, 0, 6, 6], "metric": "serapan_keuangan",
             "options": {"top": 6, "bottom": 6}},
)
