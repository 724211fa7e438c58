"""Wall geometry, pure arithmetic: monitors, bezels, the layout grid, seams, screen viewports.

Coordinates are "virtual wall pixels". With bezel compensation the frames between monitors count
as pixels nobody sees (a line drawn across a seam continues where it would if the frames were
glass); without it the monitors' pixels simply abut. A panel is a rectangle on the wall; each
screen window shows one viewport (a rectangle of the wall), so a panel spanning a seam is cut into
fragments, one per viewport. Panels put text wholly inside one fragment, never across a seam.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

PANEL_GAP = 12.0  # virtual px between neighbouring panels


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def area(self) -> float:
        return max(self.w, 0.0) * max(self.h, 0.0)

    def intersect(self, o: "Rect") -> "Rect | None":
        x, y = max(self.x, o.x), max(self.y, o.y)
        r, b = min(self.right, o.right), min(self.bottom, o.bottom)
        return Rect(x, y, r - x, b - y) if r > x and b > y else None

    def moved(self, dx: float, dy: float) -> "Rect":
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def scaled(self, s: float) -> "Rect":
        return Rect(self.x * s, self.y * s, self.w * s, self.h * s)

    def inset(self, d: float) -> "Rect":
        return Rect(self.x + d, self.y + d, max(self.w - 2 * d, 0.0), max(self.h - 2 * d, 0.0))

    def contains(self, o: "Rect", eps: float = 1e-6) -> bool:
        return o.x >= self.x - eps and o.y >= self.y - eps and o.right <= self.right + eps and o.bottom <= self.bottom + eps

    def rounded(self) -> tuple[int, int, int, int]:
        x, y = round(self.x), round(self.y)
        return x, y, round(self.right) - x, round(self.bottom) - y


@dataclass(frozen=True, slots=True)
class Seam:
    """The hidden strip between two monitors: vertical ('v', x range) or horizontal ('h', y range)."""

    orientation: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Monitor:
    index: int  # left-to-right, top-to-bottom
    col: int
    row: int
    rect: Rect


@dataclass(frozen=True)
class WallGeometry:
    columns: int
    rows: int
    monitor_w: float
    monitor_h: float
    gap_x: float = 0.0  # hidden px between monitors side by side (both bezels)
    gap_y: float = 0.0
    grid_cols: int = 24
    grid_rows: int = 12
    header_h: float = 0.0
    footer_h: float = 0.0
    panel_gap: float = PANEL_GAP

    @classmethod
    def from_config(cls, wall: Any, compensate: bool | None = None) -> "WallGeometry":
        m, b = wall.monitor, wall.bezel_mm
        on = wall.bezel_compensation if compensate is None else compensate
        px_mm_x, px_mm_y = m.width_px / m.width_mm, m.height_px / m.height_mm
        return cls(
            columns=wall.columns, rows=wall.rows, monitor_w=m.width_px, monitor_h=m.height_px,
            # whole pixels: a window shows whole pixels, so a fractional gap would misalign by a sub-pixel
            gap_x=float(round((b.left + b.right) * px_mm_x)) if on else 0.0,
            gap_y=float(round((b.top + b.bottom) * px_mm_y)) if on else 0.0,
            grid_cols=wall.grid.columns, grid_rows=wall.grid.rows,
            header_h=round(wall.header_height * m.height_px), footer_h=round(wall.footer_height * m.height_px),
        )

    def uncompensated(self) -> "WallGeometry":
        return replace(self, gap_x=0.0, gap_y=0.0)

    # -- the wall and its monitors --------------------------------------------------------------
    @property
    def width(self) -> float:
        return self.columns * self.monitor_w + (self.columns - 1) * self.gap_x

    @property
    def height(self) -> float:
        return self.rows * self.monitor_h + (self.rows - 1) * self.gap_y

    @property
    def rect(self) -> Rect:
        return Rect(0.0, 0.0, self.width, self.height)

    @property
    def monitors(self) -> list[Monitor]:
        return [Monitor(r * self.columns + c, c, r, self._monitor_rect(c, r))
                for r in range(self.rows) for c in range(self.columns)]

    def _monitor_rect(self, col: int, row: int) -> Rect:
        return Rect(col * (self.monitor_w + self.gap_x), row * (self.monitor_h + self.gap_y), self.monitor_w, self.monitor_h)

    @property
    def seams(self) -> list[Seam]:
        """Boundaries between monitors (a zero-width seam when not compensating)."""
        v = [Seam("v", c * self.monitor_w + (c - 1) * self.gap_x, c * (self.monitor_w + self.gap_x))
             for c in range(1, self.columns)]
        h = [Seam("h", r * self.monitor_h + (r - 1) * self.gap_y, r * (self.monitor_h + self.gap_y))
             for r in range(1, self.rows)]
        return v + h

    def seams_crossing(self, rect: Rect) -> list[Seam]:
        """Seams that cut `rect` (touching its edge does not count)."""
        out = []
        for s in self.seams:
            lo, hi = (rect.x, rect.right) if s.orientation == "v" else (rect.y, rect.bottom)
            if s.end > lo + 1e-6 and s.start < hi - 1e-6:
                out.append(s)
        return out

    # -- bands and the layout grid --------------------------------------------------------------
    @property
    def header_rect(self) -> Rect:
        return Rect(0.0, 0.0, self.width, self.header_h)

    @property
    def footer_rect(self) -> Rect:
        return Rect(0.0, self.height - self.footer_h, self.width, self.footer_h)

    def _aligned(self) -> bool:
        # cells stay inside one monitor when the grid divides evenly into monitors
        return self.grid_cols % self.columns == 0 and self.grid_rows % self.rows == 0

    def col_edges(self, col: int) -> tuple[float, float]:
        """(left, right) of grid column `col` in virtual px."""
        if not self._aligned():
            step = self.width / self.grid_cols
            return col * step, (col + 1) * step
        k = self.grid_cols // self.columns
        m, j = divmod(col, k)
        step = self.monitor_w / k
        left = m * (self.monitor_w + self.gap_x) + j * step
        return left, left + step

    def row_edges(self, row: int) -> tuple[float, float]:
        if not self._aligned():
            top = self.header_h
            step = (self.height - self.header_h - self.footer_h) / self.grid_rows
            return top + row * step, top + (row + 1) * step
        k = self.grid_rows // self.rows
        m, j = divmod(row, k)
        band_top = self.header_h if m == 0 else 0.0
        band_bottom = self.monitor_h - (self.footer_h if m == self.rows - 1 else 0.0)
        step = (band_bottom - band_top) / k
        top = m * (self.monitor_h + self.gap_y) + band_top + j * step
        return top, top + step

    def cell_rect(self, col: int, row: int, width: int = 1, height: int = 1) -> Rect:
        """The grid cells' rectangle, clamped to the grid (a config may be for a bigger wall)."""
        c0 = min(max(col, 0), self.grid_cols - 1)
        r0 = min(max(row, 0), self.grid_rows - 1)
        c1 = min(c0 + max(width, 1), self.grid_cols) - 1
        r1 = min(r0 + max(height, 1), self.grid_rows) - 1
        left, _ = self.col_edges(c0)
        _, right = self.col_edges(c1)
        top, _ = self.row_edges(r0)
        _, bottom = self.row_edges(r1)
        return Rect(left, top, right - left, bottom - top)

    def panel_rect(self, col: int, row: int, width: int = 1, height: int = 1) -> Rect:
        return self.cell_rect(col, row, width, height).inset(self.panel_gap / 2)


# -- screens and viewports -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ScreenInfo:
    name: str
    x: int
    y: int
    w: int
    h: int

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.w, self.h)


@dataclass(frozen=True, slots=True)
class Viewport:
    """One window: `source` (virtual wall px) drawn at `scale` onto `screen` (index into screens)."""

    screen: int
    source: Rect
    scale: float
    monitor: int | None  # the monitor it stands for (None when the wall is shown scaled)
    target: Rect | None = None  # where its window sits, screen-local px (None: the whole screen)

    def to_window(self, r: Rect) -> Rect:
        return r.moved(-self.source.x, -self.source.y).scaled(self.scale)


@dataclass(frozen=True)
class Plan:
    geometry: WallGeometry
    viewports: list[Viewport]
    screens: list[ScreenInfo]
    missing: list[int] = field(default_factory=list)  # monitors without a screen
    scaled: bool = False  # the wall shrunk onto the screens present
    # configured: a screen per monitor; cover: one output (or a block of them) is the whole wall;
    # scaled: the whole wall shrunk onto the screens; spread: the monitors laid side by side over them
    mode: str = "configured"
    backdrops: tuple[int, ...] = ()  # screens whose windows leave part of them uncovered


# -- panels cut by viewports ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Fragment:
    viewport: int  # index into Plan.viewports
    local: Rect  # panel-local virtual px


@dataclass(frozen=True)
class Placement:
    rect: Rect  # virtual wall px
    fragments: list[Fragment]

    def largest(self) -> Rect:
        """Panel-local rectangle of the biggest visible piece: where a KPI puts its value."""
        if not self.fragments:
            return Rect(0.0, 0.0, self.rect.w, self.rect.h)
        return max(self.fragments, key=lambda f: f.local.area).local

    def locals(self) -> list[Rect]:
        return [f.local for f in self.fragments]


def place(p: Plan, rect: Rect) -> Placement:
    frags = []
    for i, vp in enumerate(p.viewports):
        part = rect.intersect(vp.source)
        if part is not None and part.w >= 1 and part.h >= 1:
            frags.append(Fragment(i, part.moved(-rect.x, -rect.y)))
    frags.sort(key=lambda f: (f.local.y, f.local.x))
    return Placement(rect, frags)


def place_cell(p: Plan, cell: Any) -> Placement:
    return place(p, p.geometry.panel_rect(cell.col, cell.row, cell.width, cell.height))


def visible_in(placement: Placement, viewport: int) -> bool:
    return any(f.viewport == viewport for f in placement.fragments)
