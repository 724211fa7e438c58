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
        scene = detail_scene(cfg, opd)
        if scene is None:
            raise KeyError(f"no detail scene for OPD {opd!r} (scenes.yaml: a scene with opd: {opd})")
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
        if s and (cfg is None or s.get("scene") in cfg.scene_by_id):
            self.spotlight = Spotlight(s["scene"], s.get("panel"), s.get("opd"))


def scene_at(cache: Any, as_of: float) -> str | None:
    """The scene the wall showed at `as_of`, from the audit log (every change is "show_scene")."""
    entries = cache.audit_log(limit=1, as_of=as_of, action="show_scene")
    return entries[0].detail.get("scene") if entries else None


def detail_scene(cfg: Any, opd: str) -> str | None:
    """The scene whose `opd` is this OPD (its detail scene), if scenes.yaml has one."""
    return next((s.id for s in cfg.scenes if s.opd == opd), None)


def scene_of(cfg: Any, key: str) -> Any | None:
    """The scene a key names: a configured scene, or the one-panel scene of a spotlight key;
    None if there is no such scene. Built on demand: nothing is written into the config."""
    try:
        return spotlight_scene(cfg, key)
    except (KeyError, StopIteration, ValueError):
        return None


def spotlight_scene(cfg: Any, key: str) -> Any:
    """The scene to draw for a spotlight key: a configured scene as is, or a one-panel scene whose
    panel covers the whole layout grid (`spotlight:SCENE/PANEL`)."""
    if not key.startswith(SPOTLIGHT_PREFIX):
        return cfg.scene_by_id[key]
    scene_id, panel_id = key[len(SPOTLIGHT_PREFIX):].split("/", 1)
    scene = cfg.scene_by_id[scene_id]
    panel = next(p for p in scene.panels if p.id == panel_id)
    grid = cfg.wall.grid
    cell = panel.cell.model_copy(update={"col": 0, "row": 0, "width": grid.columns, "height": grid.rows})
    big = panel.model_copy(update={"cell": cell})
    return scene.model_copy(update={"id": key, "title": panel.title or scene.title, "opd": None, "panels": [big]})
