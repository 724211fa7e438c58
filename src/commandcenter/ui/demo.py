"""`commandcenter demo`: the demo city's simulated departments, the collector and the wall (with
the operator console) in one process, so one command shows the whole product working."""

from __future__ import annotations

import logging
import sys
from typing import Any

log = logging.getLogger(__name__)
EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2
SCREENSHOT_LATEST_MS = 45_000  # take the screenshot by then even if a source is still slow
_stopped: list[bool] = []  # a stop signal came (then blocked collector threads are left behind)


def run_demo(args: Any) -> int:
    from commandcenter.runtime import leave_blocked_threads, load_or_report, open_cache

    cfg = load_or_report(getattr(args, "config", None), check_secrets=True)
    if cfg is None:
        return EXIT_INVALID
    from commandcenter import logs

    logs.setup(cfg, "demo", getattr(args, "log_level", None))
    cache = open_cache(args, cfg)
    simulator = _start_simulator(cfg)
    try:
        code = _run(cfg, cache, args)
    finally:
        if simulator is not None:
            simulator.stop()
        cache.close()
        logs.teardown()
    if _stopped:
        leave_blocked_threads(code)
    return code


def _start_simulator(cfg: Any) -> Any:
    from commandcenter.simulator import Simulator

    sim = Simulator(cfg)
    try:
        port = sim.start()
    except OSError as exc:  # another `commandcenter simulate` already serves these feeds
        print(f"demo: simulator port busy ({exc.strerror}); using the one already running", file=sys.stderr)
        return None
    print(f"demo: simulated department sources on http://127.0.0.1:{port}", file=sys.stderr)
    return sim


def _run(cfg: Any, cache: Any, args: Any) -> int:
    from PySide6.QtCore import QTimer

    from commandcenter.collector import Collector, RunFinished
    from commandcenter.runtime import stop_signals
    from commandcenter.ui.app import ensure_app
    from commandcenter.ui.controller import WallController

    app = ensure_app()
    wall = WallController(cfg, cache, screens=_wall_screens(cfg), lang=getattr(args, "lang", None),
                          windowed=getattr(args, "windowed", False))
    collector = Collector(cfg, cache)
    wall.attach_collector(collector)
    from commandcenter.ui.app import start_rotation, stop_rotation

    # the wall runs as it would alone (rotation, kiosk, the command bus); the console talks to it
    # through the cache like a console on another desk would
    driver = start_rotation(cfg, cache, wall, getattr(args, "scene", None), kiosk=not getattr(args, "windowed", False),
                            name="demo", heartbeat=2.0, collector=collector)
    console = None
    if not getattr(args, "no_console", False):
        from commandcenter.ui.console import start_console

        console = start_console(cfg, cache, screen=_console_screen(cfg), lang=wall.lang)
        console.ask_before_close = lambda: _ask_close(console)

    shot = _screenshot_class()(wall, getattr(args, "screenshot", None), expected=len(collector.sources))
    collector.subscribe(lambda ev: shot.note_run() if isinstance(ev, RunFinished) else None)
    collector.start(run_now=True)

    quit_after = getattr(args, "quit_after", None)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), lambda: (shot.save(), app.exit(0)))
    wake = QTimer()  # lets Python see Ctrl+C while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start(200)

    def stop() -> None:
        _stopped.append(True)
        collector.request_stop()  # fetches in flight end now, not when Qt has closed the windows
        app.exit(0)

    with stop_signals(stop):
        try:
            app.exec()
        finally:
            collector.stop(grace=2.0)  # runs still busy are recorded as cancelled
            if console is not None:
                console.shutdown()
            stop_rotation(driver)
            wall.close()
    return shot.code


def _ask_close(console: Any) -> bool:
    """Closing the demo's console asks first, and closes only the console: the wall runs on."""
    from PySide6.QtWidgets import QMessageBox

    from commandcenter.ui.console.i18n import tr

    answer = QMessageBox.question(console, tr("Tutup konsol?", console.lang),
                                  tr("Dinding tetap berjalan. Tutup hanya konsol ini?", console.lang))
    return answer == QMessageBox.StandardButton.Yes


def _screenshot_class() -> Any:
    from PySide6.QtCore import QObject, QTimer, Signal

    class Screenshot(QObject):
        """Save the whole wall once every source has had its first run (or after a time limit)."""

        allRan = Signal()  # emitted on a collector worker thread, delivered on the GUI thread

        def __init__(self, wall: Any, path: str | None, expected: int) -> None:
            super().__init__(wall)
            self.wall, self.path, self.expected = wall, path, expected
            self.runs = 0
            self.saved = False
            self.code = EXIT_OK
            self.allRan.connect(self._all_ran)
            if path:
                QTimer.singleShot(SCREENSHOT_LATEST_MS, self.save)

        def note_run(self) -> None:
            self.runs += 1
            if self.runs == self.expected:
                self.allRan.emit()

        def _all_ran(self) -> None:
            if self.path:
                self.wall.dataApplied.connect(self._after_data)
                self.wall.refresh()

        def _after_data(self, *_: Any) -> None:
            self.wall.dataApplied.disconnect(self._after_data)
            QTimer.singleShot(1500, self.save)  # let every window paint the new data

        def save(self) -> None:
            if not self.path or self.saved:
                return
            self.saved = True
            ok = self.wall.grab_wall().save(self.path)
            print(f"demo: wall screenshot written to {self.path}" if ok else f"demo: could not write {self.path}",
                  file=sys.stderr)
            self.code = EXIT_OK if ok else EXIT_FAIL

    return Screenshot


def _monitors(cfg: Any) -> int:
    return cfg.wall.columns * cfg.wall.rows


def _wall_screens(cfg: Any) -> list[Any] | None:
    """With more screens than wall monitors (and no named console screen), the extra one is the
    operator's desk: keep it out of the wall."""
    from PySide6.QtGui import QGuiApplication

    screens = QGuiApplication.screens()
    if cfg.wall.console_screen is None and len(screens) > _monitors(cfg):
        return screens[: _monitors(cfg)]
    return None


def _console_screen(cfg: Any) -> Any:
    from PySide6.QtGui import QGuiApplication

    if cfg.wall.console_screen is not None:
        return cfg.wall.console_screen
    screens = QGuiApplication.screens()
    return screens[_monitors(cfg)] if len(screens) > _monitors(cfg) else None
