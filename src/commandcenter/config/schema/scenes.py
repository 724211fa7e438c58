"""scenes.yaml: what the wall shows: panels placed on the wall's layout grid."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema, field_validator

from commandcenter.config.schema.common import Ident, Strict, Versioned


class Cell(Strict):
    col: int = Field(ge=0)
    row: int = Field(ge=0)
    width: int = Field(1, gt=0)
    height: int = Field(1, gt=0)

    @property
    def right(self) -> int:
        return self.col + self.width

    @property
    def bottom(self) -> int:
        return self.row + self.height

    def overlaps(self, other: "Cell") -> bool:
        return self.col < other.right and other.col < self.right and self.row < other.bottom and other.row < self.bottom


class Panel(Strict):
    id: Ident
    type: str = Field(description="panel kind (see the panel kinds in the reference)", examples=["kpi"])
    title: str | None = None
    title_en: str | None = None
    cell: Annotated[Cell, WithJsonSchema({"anyOf": [
        {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 4, "maxItems": 4},
        {"type": "object", "additionalProperties": False, "required": ["col", "row"],
         "properties": {k: {"type": "integer", "minimum": 0} for k in ("col", "row", "width", "height")}}],
        "description": "[col, row, width, height] on the layout grid"})] = Field(
        examples=[[0, 0, 4, 3]])
    metric: Ident | None = None
    metrics: list[Ident] = Field(default_factory=list)
    opd: Ident | None = None
    opds: Literal["all"] | list[Ident] = "all"
    options: dict[str, Any] = Field(default_factory=dict, description="the kind's options (typed per kind, "
                                    "see the panel kinds in the reference)")

    @field_validator("cell", mode="before")
    @classmethod
    def _cell_list(cls, value: Any) -> Any:
        # [col, row, width, height] is the short form admins write most
        if isinstance(value, (list, tuple)):
            if len(value) != 4:
                raise ValueError("cell is [col, row, width, height]")
            return dict(zip(("col", "row", "width", "height"), value))
        return value

    def all_metrics(self) -> list[str]:
        return ([self.metric] if self.metric else []) + [m for m in self.metrics if m != self.metric]


class Scene(Strict):
    id: Ident
    title: str
    title_en: str | None = None
    opd: Ident | None = Field(None, description="an OPD's detail scene, used by spotlight and alert interrupts")
    panels: list[Panel] = Field(min_length=1)


class ScenesFile(Versioned):
    scenes: list[Scene] = Field(min_length=1)


def panel_types() -> list[str]:
    """Panel kinds, from the one panel registry (commandcenter.config.panels)."""
    from commandcenter.config import panels

    return panels.names()
