"""table: a KPI's values per OPD as a table."""

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class TableOptions(PanelOptions):
    top: int = Field(8, ge=1, le=200, description="at most this many rows (largest value first)", examples=[8])
    zeros: bool = Field(False, description="keep rows at zero of a lower-is-better count (by default an OPD at "
                                           "zero complaints past deadline is not listed)")
    skip: int = Field(0, ge=0, le=1000, description="leave out this many first rows (a table continued on the next "
                      "monitor, as a briefing spotlight lays it out)")
    fill: bool = Field(False, description="rows in large type filling the panel (a spotlighted table)")


KIND = PanelKind(
    name="table", options=TableOptions, needs_metric=True,
    description="A KPI per OPD as rows (rank, OPD, value, as-of date), largest first; for a lower-is-better "
                "count rows at zero are left out.",
    example={"id": "pengaduan", "type": "table", "cell": [12, 6, 6, 6], "metric": "pengaduan_terlambat",
             "options": {"top": 8}},
)
