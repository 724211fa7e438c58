"""Start-up probe: runs the real `commandcenter wall` entry (cli.main) in this process and prints
the wall-clock instant at which every panel of every wall window has painted with its data.
A Paint-event filter on the application observes; it changes nothing the wall does.

    python -m benchmarks.startchild --config DIR --db URL --scene ID
"""

from __future__ import annotations

import sys
import time


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from commandcenter import cli
    from commandcenter.ui.app import ensure_app

    app = ensure_app()  # the wall's own helper: cli.main reuses this instance

    class PaintWatch(QObject):
        def __init__(self):
            super().__init__()
            self.painted: set[int] = set()
            self.done = False

        def eventFilter(self, obj, ev):  # noqa: N802 (Qt's name)
            if ev.type() == QEvent.Type.Paint and not self.done and getattr(obj, "model", None) is not None:
                self.painted.add(id(obj))
                QTimer.singleShot(0, self.check)
            return False

        def check(self):
            wins = [w for w in QApplication.topLevelWidgets()
                    if w.objectName().startswith("wall-window-") and w.isVisible()]
            panels = [p for w in wins for p in getattr(w, "panels", {}).values()]
            if self.done or len(wins) < 4 or not panels:
                return
            if all(id(p) in self.painted or not getattr(p, "needs_data", True) for p in panels):
                self.done = True
                print(f"PAINTED {time.time():.6f} windows={len(wins)} panels={len(panels)}", flush=True)
                # exit(), as the wall's own --quit-after does: kiosk windows refuse quit()'s close
                QTimer.singleShot(0, lambda: app.exit(0))

    watch = PaintWatch()
    app.installEventFilter(watch)
    return cli.main(["wall", *sys.argv[1:], "--quit-after", "60"])


if __name__ == "__main__":
    sys.exit(main())
