"""Briefing mode: the wall frozen on one instant, a spotlight, a blank screen, presenter keys.

Pure state (no Qt): the console and the wall windows feed it key names and commands; the Qt side
reads `read_as_of()` for every cache read, shows `banner()` on the wall, and asks
`scene_to_show(rotation_scene)` what goes on the wall. Freezing is only an `as_of` for reads: the
collector keeps writing into the cache, and unfreezing reads the newest again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commandcenter import fmt

# Presenter clickers send PageDown/PageUp (some send arrows); B blanks (PowerPoint's habit).
PRESENTER_KEYS = {
    "PageDown": "next", "Right": "next", "PageUp": "previous", "Left": "previous",
    "B": "blank", "Escape": "leave_spotlight",
}
SPOTLIGHT_PREFIX = "spotlight:"
OPD_PREFIX = "opd:"  # a generated detail scene for an OPD without a hand-made one


@dataclass(frozen=True, slots=True)
class Spotlight:
    """One panel of a scene, or one OPD's detail scene, across the whole wall."""

    scene_id: str
    panel_id: str | None = None
    opd: str | None = None

    @property
    def key(self) -> str:
        """A scene id for the wall that names what is spotlighted (never a configured id: has ':')."""
        return f"{SPOTLIGHT_PREFIX}{self.scene_id}/{self.panel_id}" if self.panel_id else self.scene_id


class Briefing:
    def __init__(self) -> None:
        self.active = False
        self.as_of: float | None = None
        self.spotlight: Spotlight | None = None
        self.blank = False

    # -- freeze ---------------------------------------------------------------------------------
    def start(self, now: float) -> None:
        """Freeze every panel at `now`; data keep flowing into the cache but the wall holds."""
        self.active, self.as_of = True, float(now)

    def refreeze(self, now: float) -> None:
        """Take a new consistent moment without leaving the briefing."""
        if self.active:
            self.as_of = float(now)

    def stop(self) -> None:
        """Back to live data; a spotlight and a blank screen end with the briefing."""
        self.active, self.as_of, self.spotlight, self.blank = False, None, None, False

    def read_as_of(self) -> float | None:
        """What every cache read should pass as `as_of` (None: live)."""
        return self.as_of if self.active else None

    # -- spotlight and blank ------------------------------------------------------------------------
    def spotlight_panel(self, cfg: Any, scene_id: str, panel_id: str) -> Spotlight:
        scene = cfg.scene_by_id.get(scene_id)
        if scene is None or panel_id not in {p.id for p in scene.panels}:
            raise KeyError(f"no panel {panel_id!r} in scene {scene_id!r}")
        self.spotlight = Spotlight(scene_id, panel_id=panel_id)
        return self.spotlight

    def spotlight_opd(self, cfg: Any, opd: str) -> Spotlight:
        """The OPD's hand-made detail scene, else one generated from its KPIs in config."""
        if opd not in cfg.opd_by_code:
            raise KeyError(f"unknown OPD {opd!r}")
        scene = detail_scene(cfg, opd) or OPD_PREFIX + opd
        self.spotlight = Spotlight(scene, opd=opd)
        return self.spotlight

    def leave_spotlight(self) -> bool:
        had = self.spotlight is not None or self.blank
        self.spotlight, self.blank = None, False
        return had

    def toggle_blank(self) -> bool:
        self.blank = not self.blank
        return self.blank

    def scene_to_show(self, rotation_scene: str) -> str:
        """The spotlight wins over the rotation's scene."""
        return self.spotlight.key if self.spotlight else rotation_scene

    # -- presenter keys -------------------------------------------------------------------------------
    def key(self, name: str) -> str | None:
        """Apply a presenter key; return the command it means for the rotation ('next'/'previous'),
        'blank', 'leave_spotlight', or None for a key the wall must ignore."""
        command = PRESENTER_KEYS.get(name)
        if command == "blank":
            self.toggle_blank()
        elif command == "leave_spotlight":
            self.leave_spotlight()
        elif command in ("next", "previous"):
            # stepping leaves a spotlight and a blank screen: the presenter moves on
            self.spotlight, self.blank = None, False
        return command

    # -- what the wall says about it ----------------------------------------------------------------
    def banner(self, tz: str, zone_label: str = "", lang: str = "id") -> str:
        if not self.active or self.as_of is None:
            return ""
        when = fmt.datetime_short(self.as_of, tz, zone_label, lang)
        from commandcenter.i18n import tr

        return f"{tr('DIBEKUKAN', lang)} · {tr('data per', lang)} {when}"

    # -- persistence ------------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        s = self.spotlight
        return {"active": self.active, "as_of": self.as_of, "blank": self.blank,
                "spotlight": None if s is None else {"scene": s.scene_id, "panel": s.panel_id, "opd": s.opd}}

    def restore(self, state: dict[str, Any] | None, cfg: Any = None) -> None:
        """Take a `snapshot()` back; a spotlight on a scene that no longer exists is dropped."""
        self.stop()
        if not state:
            return
        if state.get("active") and state.get("as_of") is not None:
            self.start(float(state["as_of"]))
        self.blank = bool(state.get("blank")) and self.active
        s = state.get("spotlight")
        known = cfg is None or s and (s.get("scene") in cfg.scene_by_id or str(s.get("scene")).startswith(OPD_PREFIX))
        if s and known:
            self.spotlight = Spotlight(s["scene"], s.get("panel"), s.get("opd"))


def scene_at(cache: Any, as_of: float) -> str | None:
    """The scene the wall showed at `as_of`, from the audit log (every change is "show_scene")."""
    entries = cache.audit_log(limit=1, as_of=as_of, action="show_scene")
    return entries[0].detail.get("scene") if entries else None


def detail_scene(cfg: Any, opd: str) -> str | None:
    """The scene whose `opd` is this OPD (its detail scene), if scenes.yaml has one."""
    return next((s.id for s in cfg.scenes if s.opd == opd), None)


def is_generated(key: str) -> bool:
    """A scene key the wall builds itself (a spotlight or a generated OPD scene), never in scenes.yaml."""
    return key.startswith((SPOTLIGHT_PREFIX, OPD_PREFIX))


def scene_of(cfg: Any, key: str) -> Any | None:
    """The scene a key names: a configured scene, or the one-panel scene of a spotlight key;
    None if there is no such scene. Built on demand: nothing is written into the config."""
    try:
        return spotlight_scene(cfg, key)
    except (KeyError, StopIteration, ValueError):
        return None


def spotlight_scene(cfg: Any, key: str) -> Any:
    """The scene to draw for a generated key: `opd:CODE` (an OPD's KPIs), or `spotlight:SCENE/PANEL`
    laid out to fill the wall legibly with its text inside monitors: a KPI big on one monitor
    with its trend beside it and its OPD's other KPIs (or the OPDs' ranking) below; a table in
    pieces of whole rows, one per monitor, so no row crosses a seam; anything else across the
    whole layout grid."""
    if key.startswith(OPD_PREFIX):
        return opd_scene(cfg, key[len(OPD_PREFIX):])
    if not key.startswith(SPOTLIGHT_PREFIX):
        return cfg.scene_by_id[key]
    scene_id, panel_id = key[len(SPOTLIGHT_PREFIX):].split("/", 1)
    scene = cfg.scene_by_id[scene_id]
    panel = next(p for p in scene.panels if p.id == panel_id)
    grid = cfg.wall.grid
    monitor = _monitor_cells(cfg)
    if panel.type == "kpi" and monitor is not None and cfg.wall.columns * cfg.wall.rows > 1:
        panels = _kpi_spotlight(cfg, panel, monitor)
    elif panel.type == "table" and monitor is not None and cfg.wall.columns * cfg.wall.rows > 1:
        panels = _table_spotlight(cfg, panel, monitor)
    else:
        panels = [_placed(panel, 0, 0, grid.columns, grid.rows)]
    return scene.model_copy(update={"id": key, "title": panel.title or scene.title, "opd": None, "panels": panels})


def _monitor_cells(cfg: Any) -> tuple[int, int] | None:
    """Layout-grid cells per monitor (columns, rows), when monitors hold whole cells."""
    g, w = cfg.wall.grid, cfg.wall
    if g.columns % w.columns or g.rows % w.rows:
        return None
    return g.columns // w.columns, g.rows // w.rows


def _placed(panel: Any, col: int, row: int, width: int, height: int, **update: Any) -> Any:
    cell = panel.cell.model_copy(update={"col": col, "row": row, "width": width, "height": height})
    return panel.model_copy(update={"cell": cell, **update})


def _kpi_spotlight(cfg: Any, panel: Any, monitor: tuple[int, int]) -> list[Any]:
    cw, ch = monitor
    g = cfg.wall.grid
    out = [_placed(panel, 0, 0, cw, ch)]
    rest_w = g.columns - cw
    trend = {"id": f"{panel.id}-tren", "type": "timeseries", "metric": panel.metric, "opd": panel.opd,
             "title": (panel.title or panel.metric or "") + " — tren"}
    if rest_w > 0:
        out.append(_placed(panel, cw, 0, rest_w, ch, **_spec(panel, trend)))
    elif g.rows > ch:
        out.append(_placed(panel, 0, ch, g.columns, ch, **_spec(panel, trend)))
        return out
    if g.rows <= ch or not panel.metric:
        return out
    related = _related_kpis(cfg, panel) if panel.opd else []
    if len(related) >= cfg.wall.columns:  # one OPD's KPI: its other KPIs below, a monitor or half of one each
        w = cw if len(related) == cfg.wall.columns else max(1, cw // 2)
        for k, m in enumerate(related[: g.columns // w]):
            kpi = {"id": f"{panel.id}-{k}", "type": "kpi", "metric": m.id, "opd": panel.opd, "title": m.short or m.name}
            out.append(_placed(panel, k * w, ch, w, g.rows - ch, **_spec(panel, kpi)))
        return out
    rank = {"id": f"{panel.id}-opd", "type": "ranking", "metric": panel.metric, "opd": None, "options": {"top": 12},
            "title": (panel.title or panel.metric or "") + " — per OPD"}
    out.append(_placed(panel, 0, ch, g.columns, g.rows - ch, **_spec(panel, rank)))
    return out


def _related_kpis(cfg: Any, panel: Any) -> list[Any]:
    """The spotlighted OPD's other KPIs (fed by a source), for the row below a spotlighted KPI."""
    o = cfg.opd_by_code.get(panel.opd)
    if o is None:
        return []
    return [m for m in cfg.metrics if m.id != panel.metric and _applies(m, o) and cfg.sources_for_metric(m.id)
            and m.applies_to != "all"]


def _table_spotlight(cfg: Any, panel: Any, monitor: tuple[int, int]) -> list[Any]:
    """One piece of the table per monitor, in reading order (down a monitor column, then the next),
    each with whole rows in large type: no row crosses a seam."""
    cw, ch = monitor
    cols, rows = cfg.wall.columns, cfg.wall.rows
    top = int(panel.options.get("top", 8))
    per = -(-top // (cols * rows))  # rows per monitor
    out = []
    for k in range(cols * rows):
        col, row = divmod(k, rows)
        options = {**panel.options, "top": per, "skip": k * per, "fill": True}
        title = panel.title if k == 0 else f"{panel.title or ''} (lanjutan)".strip()
        out.append(_placed(panel, col * cw, row * ch, cw, ch, id=f"{panel.id}-{k}", options=options, title=title))
    return out


def _spec(panel: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """A companion panel's fields over the spotlighted panel's copy."""
    return {"metrics": [], "title_en": None, "options": {}, **fields}


def opd_scene(cfg: Any, opd: str) -> Any:
    """A detail scene for an OPD without a hand-made one: a KPI card per KPI that applies to it
    (up to eight), and the trend of the first below when there is room."""
    from commandcenter.config.schema.scenes import Scene

    o = cfg.opd_by_code[opd]
    metrics = [m for m in cfg.metrics if _applies(m, o) and cfg.sources_for_metric(m.id)][:8]
    g = cfg.wall.grid
    per_row = 4 if len(metrics) > 4 else max(1, len(metrics))
    rows = 2 if len(metrics) > 4 else 1
    w, h = g.columns // per_row, g.rows // 2
    panels = [{"id": f"kpi-{i}", "type": "kpi", "metric": m.id, "opd": opd, "title": m.short or m.name,
               "cell": {"col": (i % per_row) * w, "row": (i // per_row) * h, "width": w, "height": h}}
              for i, m in enumerate(metrics)]
    if rows == 1 and metrics:
        panels.append({"id": "tren", "type": "timeseries", "metric": metrics[0].id, "opd": opd,
                       "title": f"Tren {metrics[0].short or metrics[0].name}",
                       "cell": {"col": 0, "row": h, "width": g.columns, "height": g.rows - h}})
    if not panels:
        panels = [{"id": "kosong", "type": "text", "cell": {"col": 0, "row": 0, "width": g.columns, "height": g.rows},
                   "options": {"text": "Belum ada KPI untuk OPD ini di metrics.yaml."}}]
    title = f"Detail OPD: {o.name}"
    scene = Scene.model_validate({"id": f"opd-{opd}", "title": title, "opd": opd, "panels": panels})
    return scene.model_copy(update={"id": OPD_PREFIX + opd})


def _applies(metric: Any, opd: Any) -> bool:
    scope = metric.applies_to
    return scope == "all" or opd.code in scope or getattr(opd, "kind", None) in scope
