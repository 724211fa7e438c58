"""`commandcenter wall`: the wall on every monitor, from the cache, until closed."""

from __future__ import annotations

import logging
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
    from commandcenter.ui import startup_gc

    startup_gc.pause()  # until the first scene is up (ui/startup_gc.py)
    try:
        return _start_wall(args)
    finally:
        startup_gc.resume()


def _start_wall(args: Any) -> int:
    from commandcenter import logs
    from commandcenter.runtime import load_or_report, open_cache

    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    scene = getattr(args, "scene", None) or first_scene(cfg)  # validated here, pinned if given
    if scene not in cfg.scene_by_id:
        print(f"unknown scene {scene!r}; scenes: {', '.join(s.id for s in cfg.scenes)}", file=sys.stderr)
        return EXIT_INVALID
    problem = no_display()
    if problem:
        print(f"commandcenter wall: {problem}", file=sys.stderr)
        return EXIT_FAIL
    log_file = logs.setup(cfg, "wall", getattr(args, "log_level", None))
    log.info("wall started for %s (log file %s)", cfg.city.name, log_file)
    app = ensure_app()
    cache = open_cache(args, cfg)
    try:
        return _run(app, cfg, cache, scene, args)
    finally:
        cache.close()
        logs.teardown()


def no_display(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """Why Qt could not open a window here, in plain words (instead of Qt's abort that blames
    xcb-cursor0); None when a display is there or a platform plugin is chosen explicitly."""
    import os

    env = os.environ if environ is None else environ
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM") or env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return ("no display: DISPLAY is not set. Start the wall from the wall PC's desktop session "
                "(see deploy/autostart/), or for a picture without a screen use "
                "QT_QPA_PLATFORM=offscreen with --screenshot FILE.png --quit-after 10.")
    local = display.split(":", 1)
    if local[0] in ("", "unix") and len(local) == 2:
        number = local[1].split(".", 1)[0]
        if number.isdigit() and not os.path.exists(f"/tmp/.X11-unix/X{number}"):
            return f"no display: nothing is listening on DISPLAY={display} (is the X server running?)"
    return None


def _run(app: Any, cfg: Any, cache: Any, scene: str, args: Any) -> int:
    from PySide6.QtCore import QTimer

    from commandcenter.runtime import stop_signals
    from commandcenter.ui import startup_gc
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
        QTimer.singleShot(int(quit_after * 1000), lambda: (save(), app.exit(0)))
    # the collector paused for the start-up comes back with the first scene, or by then at the latest
    QTimer.singleShot(startup_gc.RESUME_AFTER_MS, startup_gc.settle)
    rotation = start_rotation(cfg, cache, wall, scene if getattr(args, "scene", None) else None,
                              kiosk=not getattr(args, "windowed", False), name=getattr(args, "name", None),
                              heartbeat=getattr(args, "heartbeat", None))
    print(f"wall {rotation.link.name!r}: taking commands from the consoles through the cache", file=sys.stderr)
    wake = SignalWakeup(app)  # so Ctrl+C and SIGTERM are seen while Qt waits
    # exit(), not quit(): quit() asks every window to close and kiosk wall windows refuse; the
    # watchdog armed by the signal ends the process if clean-up hangs (a cache that does not answer)
    try:
        with stop_signals(lambda: app.exit(0)):
            app.exec()
            stop_rotation(rotation)
            wall.close()
    finally:
        wake.close()
    return state["code"]


class SignalWakeup:
    """Python runs a signal's handler only when the interpreter next runs, and a Qt loop waiting
    in C may not for minutes: Python's C-level handler writes the signal number to a socket whose
    notifier wakes the loop (a timer polling 5 times a second instead woke an idle wall for nothing)."""

    def __init__(self, app: Any) -> None:
        import signal
        import socket

        from PySide6.QtCore import QSocketNotifier

        self._read, self._write = socket.socketpair()
        for sock in (self._read, self._write):
            sock.setblocking(False)
        self._previous = signal.set_wakeup_fd(self._write.fileno())
        self.notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, app)
        self.notifier.activated.connect(self._drain)  # the handler runs as this slot is entered

    def _drain(self, *_: Any) -> None:
        try:
            self._read.recv(64)
        except OSError:  # nothing left (the notifier may fire once more)
            pass

    def close(self) -> None:
        import signal

        signal.set_wakeup_fd(self._previous)
        self.notifier.setEnabled(False)
        self._read.close()
        self._write.close()


def start_rotation(cfg: Any, cache: Any, wall: Any, pinned_scene: str | None = None, kiosk: bool = True,
                   name: str | None = None, heartbeat: float | None = None, collector: Any = None,
                   clock: Any = None, poll_s: float = 0.5) -> Any:
    """A wall runs by itself: it rotates through its playlists (and comes back in the scene and
    mode it was in), presenter keys work on its windows, and it takes the consoles' commands from
    the bus (reporting back its state). `--scene` pins one scene."""
    from commandcenter.ui.alert_interrupts import AlertInterrupts
    from commandcenter.ui.kiosk import BlankOverlay, KioskGuard
    from commandcenter.ui.rotation_driver import STATE_KEY, RotationDriver
    from commandcenter.ui.wall_link import WallLink
    from commandcenter.ui.worker import Worker

    worker = Worker(wall)
    driver = RotationDriver(cfg, cache, wall, worker, **({"clock": clock} if clock else {}), parent=wall)
    driver.guard = KioskGuard(lambda: list(wall.windows), driver.presenter_key, wall) if kiosk else None
    driver.blank_cover = BlankOverlay()

    def cover(*_: Any) -> None:
        driver.blank_cover.set(list(wall.windows), driver.briefing.blank)

    driver.mode_changed.connect(cover)
    driver.scene_changed.connect(cover)
    wall.relaidOut.connect(cover)  # new windows need the cover again
    if pinned_scene:
        driver.override(pinned_scene)
    else:
        driver.start(cache.get_state(STATE_KEY))
    driver.alert_interrupts = AlertInterrupts(cache, driver, wall)
    kw = {} if heartbeat is None else {"heartbeat_s": heartbeat}
    driver.link = WallLink(cache, driver, wall, name=name, collector=collector, poll_s=poll_s, parent=wall, **kw)
    return driver


def stop_rotation(driver: Any) -> None:
    driver.stop()
    driver.link.stop()
    driver.alert_interrupts.stop()
    guard = getattr(driver, "guard", None)
    if guard is not None:
        guard.allow_close = True
        guard.remove()
    driver.worker.flush()
    driver.worker.shutdown()  # its threads would otherwise keep the process alive
