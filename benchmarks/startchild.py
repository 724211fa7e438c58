"""Start-up probe: runs the real `commandcenter wall` entry (cli.main) in this process and prints
the wall-clock instant at which every panel of every wall window has painted with its data.
The panels' paint method is wrapped to observe; it changes nothing the wall does.

    python -m benchmarks.startchild --config DIR --db URL --scene ID
"""

from __future__ import annotations

import sys
import time


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from commandcenter import cli
    from commandcenter.ui.app import ensure_app

    app = ensure_app()  # the wall's own helper: cli.main reuses this instance

    from commandcenter.ui.panels.base import Panel

    painted: set[int] = set()
    state = {"done": False}

    def check() -> None:
        wins = [w for w in QApplication.topLevelWidgets()
                if w.objectName().startswith("wall-window-") and w.isVisible()]
        panels = [p for w in wins for p in getattr(w, "panels", {}).values()]
        if state["done"] or len(wins) < 4 or not panels:
            return
        if all(id(p) in painted or not getattr(p, "needs_data", True) for p in panels):
            state["done"] = True
            print(f"PAINTED {time.time():.6f} windows={len(wins)} panels={len(panels)}", flush=True)
            # exit(), as the wall's own --quit-after does: kiosk windows refuse quit()'s close
            QTimer.singleShot(0, lambda: app.exit(0))

    # the panels' own paint method, wrapped: an application-wide event filter would put every
    # event of the start-up through Python (and the GIL), slowing the wall it measures
    paint = Panel.paintEvent

    def watched_paint(self, event):
        paint(self, event)
        if not state["done"] and self.model is not None and id(self) not in painted:
            painted.add(id(self))
            QTimer.singleShot(0, check)

    Panel.paintEvent = watched_paint
    return cli.main(["wall", *sys.argv[1:], "--quit-after", "60"])


if __name__ == "__main__":
    sys.exit(main())
