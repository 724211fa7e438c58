"""`commandcenter wall`: the wall on every monitor, from the cache, until closed."""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any

log = logging.getLogger(__name__)
EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


def ensure_app(argv: list[str] | None = None) -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("commandcenter")
        app.setOrganizationName("commandcenter")
    return app


def first_scene(cfg: Any) -> str:
    """The scene to open with: the default playlist's first item, else the first scene."""
    pl = cfg.playlists
    default = getattr(pl, "default", None)
    for p in getattr(pl, "playlists", []) or []:
        if p.id == default and p.items:
            return p.items[0].scene
    return cfg.scenes[0].id


def run_wall(args: Any) -> int:
    from commandcenter.cli import load_or_report, open_cache

    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    scene = getattr(args, "scene", None) or first_scene(cfg)
    if scene not in cfg.scene_by_id:
        print(f"unknown scene {scene!r}; scenes: {', '.join(s.id for s in cfg.scenes)}", file=sys.stderr)
        return EXIT_INVALID
    app = ensure_app()
    cache = open_cache(args, cfg)
    try:
        return _run(app, cfg, cache, scene, args)
    finally:
        cache.close()


def _run(app: Any, cfg: Any, cache: Any, scene: str, args: Any) -> int:
    from PySide6.QtCore import QTimer

    from commandcenter.ui.controller import WallController

    wall = WallController(cfg, cache, lang=getattr(args, "lang", None), windowed=getattr(args, "windowed", False))
    shot = getattr(args, "screenshot", None)
    state = {"saved": False, "code": EXIT_OK}

    def save() -> None:
        if shot and not state["saved"]:
            state["saved"] = True
            ok = wall.grab_wall().save(shot)
            print(f"wall screenshot: {shot}" if ok else f"could not write {shot}", file=sys.stderr)
            state["code"] = EXIT_OK if ok else EXIT_FAIL

    if shot:
        # let the first paint of every window settle before grabbing
        wall.sceneShown.connect(lambda _s: QTimer.singleShot(600, save))
    quit_after = getattr(args, "quit_after", None)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), lambda: (save(), app.quit()))
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    sigcheck = QTimer()  # wakes the interpreter so Ctrl+C is seen while Qt waits
    sigcheck.timeout.connect(lambda: None)
    sigcheck.start(500)
    wall.show_scene(scene)
    app.exec()
    wall.close()
    return state["code"]
