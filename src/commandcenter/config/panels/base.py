"""What a panel kind declares, without Qt: its typed options and where its code lives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict


class PanelOptions(BaseModel):
    """Base of every panel kind's `options:` model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoOptions(PanelOptions):
    """A kind that takes no options."""


@dataclass(frozen=True)
class PanelKind:
    name: str
    description: str
    options: type[PanelOptions] = NoOptions
    example: dict[str, Any] = field(default_factory=dict)  # one panel entry as written in scenes.yaml
    needs_metric: bool = False
    widget: str = ""  # module of the Qt widget; default commandcenter.ui.panels.<name>
    builder: str = "commandcenter.wall.panel_queries"  # module registering its read-model builder

    @property
    def widget_module(self) -> str:
        return self.widget or f"commandcenter.ui.panels.{self.name}"
