"""wall.yaml: the physical video wall (monitor grid, bezels, screen mapping) and its layout grid."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from commandcenter.config.schema.common import Strict, Versioned


class Monitor(Strict):
    width_px: int = Field(1920, gt=0)
    height_px: int = Field(1080, gt=0)
    width_mm: float = Field(1210.0, gt=0, description="visible image width")
    height_mm: float = Field(680.0, gt=0, description="visible image height")


class Bezel(Strict):
    """Frame width of ONE monitor edge; the seam between two monitors is twice this."""

    left: float = Field(3.5, ge=0)
    right: float = Field(3.5, ge=0)
    top: float = Field(3.5, ge=0)
    bottom: float = Field(3.5, ge=0)


class LayoutGrid(Strict):
    columns: int = Field(24, gt=0, le=200)
    rows: int = Field(12, gt=0, le=200)


class Wall(Strict):
    columns: int = Field(gt=0, le=16, description="monitors across")
    rows: int = Field(gt=0, le=16, description="monitors down")
    monitor: Monitor = Field(default_factory=Monitor)
    bezel_mm: Bezel = Field(default_factory=Bezel)
    bezel_compensation: bool = True
    grid: LayoutGrid = Field(default_factory=LayoutGrid)
    screen_mapping: Literal["order"] | list[str] = Field(
        "order", description="'order' (left-to-right, top-to-bottom) or screen names per grid position"
    )
    console_screen: str | int | None = Field(None, description="screen name or index for the operator console")
    header_height: float = Field(0.075, gt=0, lt=0.3, description="share of a monitor's height")
    footer_height: float = Field(0.05, ge=0, lt=0.3)


class WallFile(Versioned):
    wall: Wall
