"""Web panels, the Qt-free side: the read model, the snapshot folder, the console's sent view.

A web panel's page is live only on a live wall. A frozen wall, a replay and an export show the
snapshot image the panel kept at or before that moment (`<data dir>/web-snapshots/<panel id>/
<unix seconds>.png`), so they all show the same pixels for the same moment. The view an
operator sends from the console (URL and scroll position) is small persisted state in the cache
(`web.view.<panel id>`); the panel's status (ok / failing and why) is `web.status.<panel id>`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commandcenter.config.schema.web import web_options
from commandcenter.wall.queries import Reader, builder

SNAPSHOT_DIR = "web-snapshots"


def view_key(panel_id: str) -> str:
    return f"web.view.{panel_id}"


def status_key(panel_id: str) -> str:
    return f"web.status.{panel_id}"


@dataclass(frozen=True)
class WebModel:
    title: str
    url: str  # what the wall shows: the configured URL, or the view sent from the console
    scroll: tuple[float, float] = (0.0, 0.0)
    sent_at: float | None = None  # when the console sent this view (None: the configured page)
    live: bool = True  # False: frozen, replay or export; show the snapshot, never the live page
    snapshot: str = ""  # the newest snapshot at or before the moment shown ("" when none)
    snapshot_at: float | None = None


# -- snapshots ------------------------------------------------------------------------------------
def snapshot_folder(cfg: Any, panel_id: str) -> Path:
    from commandcenter.sources.base import default_data_dir

    return default_data_dir(cfg) / SNAPSHOT_DIR / panel_id


def snapshot_path(folder: Path, ts: float) -> Path:
    return folder / f"{int(ts)}.png"


def snapshots(folder: Path) -> list[tuple[float, Path]]:
    """(time, path) oldest first; files not named by our scheme are left out."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    out = []
    for p in entries:
        if p.suffix == ".png" and p.stem.isdigit():
            out.append((float(p.stem), p))
    return sorted(out)


def snapshot_at(folder: Path, ts: float) -> tuple[float, Path] | None:
    """The newest snapshot taken at or before `ts`."""
    best = None
    for when, path in snapshots(folder):
        if when > ts:
            break
        best = (when, path)
    return best


def prune(folder: Path, retention: float, now: float | None = None, keep_last: int = 1) -> int:
    """Delete snapshots older than `retention` seconds, always keeping the newest `keep_last`
    (a page down for a month still has its last rendering). Returns how many were deleted."""
    now = time.time() if now is None else now
    shots = snapshots(folder)
    old = [p for when, p in shots[: max(0, len(shots) - keep_last)] if when < now - retention]
    for p in old:
        try:
            p.unlink()
        except OSError:
            pass
    return len(old)


# -- the read model -------------------------------------------------------------------------------
@builder("web")
def web(r: Reader, p: Any) -> WebModel:
    opts = web_options(p)
    view = r.cache.get_state(view_key(p.id)) or {}
    url, scroll, sent = opts.url, (0.0, 0.0), None
    if isinstance(view, dict) and opts.allows(str(view.get("url", ""))) and \
            (r.as_of is None or float(view.get("at") or 0) <= r.as_of):
        url = str(view["url"])
        sx, sy = (list(view.get("scroll") or [0, 0]) + [0, 0])[:2]
        scroll, sent = (float(sx), float(sy)), float(view.get("at") or 0) or None
    shot = snapshot_at(snapshot_folder(r.cfg, p.id), r.now)
    title = r.title(p, "Halaman web" if r.lang == "id" else "Web page")
    return WebModel(title, url, scroll, sent, live=r.as_of is None,
                    snapshot=str(shot[1]) if shot else "", snapshot_at=shot[0] if shot else None)
