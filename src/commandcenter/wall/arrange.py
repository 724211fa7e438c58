"""The wall onto the screens present (`plan`): one viewport per monitor when all are there, and
for monitors that differ from wall.yaml what to do when the screens present are not one
per configured monitor (a wall controller's single output, a row instead of a grid, a monitor
unplugged), and the words that say what was expected and what was found.

- cover: the screens form one rectangle of the wall's shape and (nearly) its size, e.g. one
  3840x2160 output for a 2x2 wall of 1920x1080: that IS the wall; nothing is missing.
- scaled: the whole wall shrunk onto the screens' bounding box (only without holes in it).
- spread: the wall's monitor rows laid side by side in one strip, cut into one piece per screen
  (a 2x2 wall on a 3x1 row shows at 75% over all three instead of 50% on the middle one; a 2x2
  wall that lost a monitor keeps every panel on the three left). A piece may hold parts of two
  rows: each part is its own window on that screen, like a monitor seam.
The larger scale wins; scaled wins a tie (its panels keep their neighbours).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commandcenter.wall.geometry import Plan, Rect, ScreenInfo, Viewport, WallGeometry

ASPECT_TOLERANCE = 0.02  # a 3840x2160 output for a wall of 1920x1080 monitors: exact; 2% for odd modes
COVER_MIN_SIZE = 0.9  # a laptop screen of the wall's shape is not the wall: it shows it scaled


def best_fallback(g: WallGeometry, screens: list[ScreenInfo], present: list[int], missing: list[int]) -> Plan:
    cover = covering(g, screens, present)
    if cover is not None:
        return cover
    scaled = _scaled_plan(g, screens, present, missing)
    spread_plan = spread(g, screens, present, missing)
    if spread_plan is None:
        return scaled
    if not hole_free([screens[i] for i in present]) or _scale(spread_plan) > _scale(scaled) + 1e-9:
        return spread_plan
    return scaled


def _scale(p: Plan) -> float:
    return p.viewports[0].scale if p.viewports else 0.0


def _bbox(rects: Sequence[ScreenInfo]) -> tuple[int, int, int, int]:
    x0, y0 = min(s.x for s in rects), min(s.y for s in rects)
    return x0, y0, max(s.x + s.w for s in rects), max(s.y + s.h for s in rects)


def hole_free(rects: Sequence[ScreenInfo]) -> bool:
    """The screens tile their bounding box (no gap a scaled wall would fall into)."""
    if not rects:
        return False
    x0, y0, x1, y1 = _bbox(rects)
    return sum(s.w * s.h for s in rects) == (x1 - x0) * (y1 - y0)


def covering(g: WallGeometry, screens: list[ScreenInfo], present: list[int]) -> Plan | None:
    """One output (or a gap-free block of outputs) of the wall's shape and size: the wall itself."""
    rects = [screens[i] for i in present]
    if not hole_free(rects):
        return None
    x0, y0, x1, y1 = _bbox(rects)
    w, h = x1 - x0, y1 - y0
    aspect = g.width / g.height
    if abs(w / h - aspect) > ASPECT_TOLERANCE * aspect or w < COVER_MIN_SIZE * g.width:
        return None
    s = min(w / g.width, h / g.height)
    vps = [Viewport(i, Rect((screens[i].x - x0) / s, (screens[i].y - y0) / s, screens[i].w / s, screens[i].h / s), s, None)
           for i in present]
    return Plan(g, vps, screens, [], False, mode="cover")


def spread(g: WallGeometry, screens: list[ScreenInfo], present: list[int], missing: list[int]) -> Plan | None:
    """The monitor rows side by side in one strip, cut into one piece per screen (reading order),
    each piece as wide as its screen's share; every screen at the same scale, centred."""
    if not present:
        return None
    order = sorted(present, key=lambda i: (screens[i].y, screens[i].x))
    band_w, band_h = g.width, g.monitor_h
    strip_w = band_w * g.rows
    total = sum(screens[i].w for i in order)
    s = min(total / strip_w, min(screens[i].h for i in order) / band_h)
    vps: list[Viewport] = []
    backdrops: list[int] = []
    start = 0.0
    for i in order:
        scr = screens[i]
        piece = strip_w * scr.w / total
        x_off, y_off = (scr.w - piece * s) / 2, (scr.h - band_h * s) / 2
        parts = _parts(start, start + piece, band_w, band_h, g.rows)
        for a, b, band in parts:
            src = Rect(a - band * band_w, band * band_h, b - a, band_h)
            tgt = Rect(round(x_off + (a - start) * s), round(y_off), round((b - a) * s), round(band_h * s))
            vps.append(Viewport(i, src, s, None, tgt))
        if x_off >= 0.5 or y_off >= 0.5 or len(parts) > 1:
            backdrops.append(i)
        start += piece
    return Plan(g, vps, screens, missing, True, mode="spread", backdrops=tuple(backdrops))


def _parts(start: float, end: float, band_w: float, band_h: float, bands: int) -> list[tuple[float, float, int]]:
    out = []
    for band in range(bands):
        a, b = max(start, band * band_w), min(end, (band + 1) * band_w)
        if b - a >= 0.5:
            out.append((a, b, band))
    return out


def describe(g: WallGeometry, p: Plan) -> str:
    """One log line: what wall.yaml expects, which screens are there, and what the wall does."""
    expected = f"{g.columns}x{g.rows} monitors of {g.monitor_w:.0f}x{g.monitor_h:.0f}"
    found = ", ".join(f"{s.name} {s.w}x{s.h}+{s.x}+{s.y}" for s in p.screens) or "none"
    used = len({vp.screen for vp in p.viewports})
    scale = f"{_scale(p):.0%}"
    what = {
        "configured": "one window per monitor",
        "cover": f"one output covers the whole wall: shown on it at {scale}, nothing missing",
        "scaled": f"the whole wall scaled to {scale} on {used} screen(s); {len(p.missing)} monitor(s) missing",
        "spread": f"the wall's monitors laid side by side over {used} screen(s) at {scale}; "
                  f"{len(p.missing)} monitor(s) missing",
    }[p.mode]
    return f"wall: expected {expected}; found {len(p.screens)} screen(s): {found}; {what}"


# -- the wall onto the screens present --------------------------------------------------------
def wall_screens(screens: Sequence[ScreenInfo], mapping: Any, n: int,
                 console: str | int | None = None) -> list[int | None]:
    """Screen index for each monitor (None: missing). 'order' = left-to-right, top-to-bottom."""
    if isinstance(mapping, (list, tuple)):
        by_name = {s.name: i for i, s in enumerate(screens)}
        return [by_name.get(name) for name in list(mapping)[:n]] + [None] * max(0, n - len(mapping))
    order = [i for i in sorted(range(len(screens)), key=lambda i: (screens[i].y, screens[i].x))
             if not _is_console(screens[i], i, console) and not _spans_others(screens, i)]
    picked: list[int | None] = list(order[:n])
    return picked + [None] * (n - len(picked))


def _spans_others(screens: Sequence[ScreenInfo], i: int) -> bool:
    """A screen holding other screens: X's automatic monitor of an output whose RandR monitor was
    deleted (it covers the whole framebuffer under the monitors still there). Not a wall monitor."""
    r = screens[i].rect
    return any(j != i and r.contains(s.rect) and s.rect.area < r.area for j, s in enumerate(screens))


def _is_console(s: ScreenInfo, index: int, console: str | int | None) -> bool:
    if console is None:
        return False
    return s.name == console if isinstance(console, str) else index == console


def plan(geometry: WallGeometry, screens: Sequence[ScreenInfo], mapping: Any = "order",
         console: str | int | None = None) -> Plan:
    """Map the wall onto the screens present: one viewport per monitor when all are there; else
    one output covering the wall is the wall; else the better of the whole wall scaled onto the
    screens and the monitors laid side by side over them (see wall.arrange). Nothing is lost."""
    screens = list(screens)
    n = geometry.columns * geometry.rows
    chosen = wall_screens(screens, mapping, n, console)
    missing = [i for i, s in enumerate(chosen) if s is None]
    if not missing:
        vps = []
        for mon, si in zip(geometry.monitors, chosen):
            s = screens[si]
            scale = min(s.w / geometry.monitor_w, s.h / geometry.monitor_h)
            vps.append(Viewport(si, mon.rect, scale, mon.index))
        return Plan(geometry, vps, screens)
    present = [i for i in chosen if i is not None] or ([0] if screens else [])
    return best_fallback(geometry.uncompensated(), screens, present, missing)


def _scaled_plan(g: WallGeometry, screens: list[ScreenInfo], present: list[int], missing: list[int]) -> Plan:
    if not present:
        return Plan(g, [], screens, missing, True, mode="scaled")
    xs = [screens[i].x for i in present]
    ys = [screens[i].y for i in present]
    x0, y0 = min(xs), min(ys)
    x1 = max(screens[i].x + screens[i].w for i in present)
    y1 = max(screens[i].y + screens[i].h for i in present)
    scale = min((x1 - x0) / g.width, (y1 - y0) / g.height)
    # centre the shrunk wall on the desktop formed by the screens present
    ox = x0 + ((x1 - x0) - g.width * scale) / 2
    oy = y0 + ((y1 - y0) - g.height * scale) / 2
    vps = [Viewport(i, Rect((screens[i].x - ox) / scale, (screens[i].y - oy) / scale,
                            screens[i].w / scale, screens[i].h / scale), scale, None) for i in present]
    return Plan(g, vps, screens, missing, True, mode="scaled")
