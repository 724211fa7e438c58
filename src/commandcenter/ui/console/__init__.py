"""`commandcenter console`: the operator console as a program of its own. It reaches the walls
through the cache database they share (no port of its own): `Console` in window.py."""

from __future__ import annotations

import sys
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


def __getattr__(name: str) -> Any:  # `from commandcenter.ui.console import Console` without importing Qt early
    if name == "Console":
        from commandcenter.ui.console.window import Console

        return Console
    raise AttributeError(name)


def start_console(cfg: Any, cache: Any, screen: Any = None, lang: str | None = None, **kw: Any) -> Any:
    """Open the console on `screen` (a QScreen, a screen name or index; default wall.yaml's
    console_screen, else its own window) and start it."""
    from commandcenter.ui.console.window import Console

    console = Console(cfg, cache, lang=lang, **kw)
    target = _screen(screen if screen is not None else cfg.wall.console_screen)
    if target is not None:
        console.setScreen(target)
        console.setGeometry(target.availableGeometry())
        console.showMaximized()
    else:
        console.show()
    console.start()
    return console


def run_console(args: Any) -> int:
    from PySide6.QtCore import QTimer

    from commandcenter import logs
    from commandcenter.runtime import load_or_report, open_cache, stop_signals
    from commandcenter.ui.app import ensure_app

    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    logs.setup(cfg, "console", getattr(args, "log_level", None))
    app = ensure_app()
    cache = open_cache(args, cfg)
    try:
        console = start_console(cfg, cache, lang=getattr(args, "lang", None), actor=getattr(args, "operator", None),
                                silent_after=getattr(args, "silent_after", None))
        print(f"console {console.actor}: controlling the walls of {cfg.city.name} through the cache", file=sys.stderr)
        shot = getattr(args, "screenshot", None)
        code = {"v": EXIT_OK}

        def save() -> None:
            if shot:
                ok = console.grab().save(shot)
                print(f"console screenshot: {shot}" if ok else f"could not write {shot}", file=sys.stderr)
                code["v"] = EXIT_OK if ok else EXIT_FAIL

        quit_after = getattr(args, "quit_after", None)
        if quit_after is not None:
            QTimer.singleShot(int(quit_after * 1000), lambda: (save(), app.exit(0)))
        wake = QTimer()  # lets Python see Ctrl+C while Qt waits
        wake.timeout.connect(lambda: None)
        wake.start(200)
        # SIGINT/SIGTERM end the console within 10 s whatever it is doing (a watchdog backs it up)
        with stop_signals(lambda: app.exit(0)):
            app.exec()
            console.shutdown()
        return code["v"]
    finally:
        cache.close()
        logs.teardown()


def _screen(which: Any) -> Any:
    from PySide6.QtWidgets import QApplication

    if which is None:
        return None
    screens = QApplication.screens()
    if isinstance(which, int):
        return screens[which] if 0 <= which < len(screens) else None
    if isinstance(which, str):
        return next((s for s in screens if s.name() == which), None)
    return which
