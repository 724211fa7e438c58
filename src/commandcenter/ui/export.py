"""Export the wall's scenes to PNG and PDF, live or as of an instant, headless or from the console.

A scene is drawn on an offscreen canvas the size of the virtual wall with the wall's own panel
widgets and read models (commandcenter.wall.queries), so an export shows the same numbers the
wall shows. PDF pages are landscape, one per scene: a title line (title, city, date and time,
"data as of" when frozen), the scene drawn as vectors (text stays text), and a strip listing each
panel's value and "data as of".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commandcenter import fmt
from commandcenter.scoring.periods import parse_instant, refuse_future
from commandcenter.ui.app import first_scene
from commandcenter.ui.console.i18n import tr
from commandcenter.wall.briefing import is_generated, scene_at, scene_of


@dataclass
class Page:
    scene: Any  # the config Scene drawn (a spotlight scene included)
    data: Any  # its SceneData
    canvas: Any  # SceneCanvas with the panels filled


def output_folder(cfg: Any) -> Path:
    """reports.yaml's folder (default `laporan/`), relative to the city's data folder (the per-user
    data dir or city.yaml's data_dir), never inside config/; created when missing."""
    from commandcenter.sources.base import default_data_dir

    reports = cfg.extra.get("reports") if isinstance(cfg.extra, dict) else None
    folder = Path(getattr(reports, "folder", None) or "laporan").expanduser()
    if not folder.is_absolute():
        folder = default_data_dir(cfg) / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def scene_for(cfg: Any, key: str) -> Any:
    """A configured scene, or the one-panel scene of a spotlight key (built, not stored)."""
    scene = scene_of(cfg, key)
    if scene is None:
        raise KeyError(f"unknown scene {key!r}")
    return scene


def read_scene(cfg: Any, cache: Any, key: str, as_of: float | None, lang: str, now: float | None = None) -> Any:
    """The scene's read models from the cache (SQL: call it off the GUI thread where it matters)."""
    from commandcenter.wall.queries import build_scene

    scene_for(cfg, key)
    return build_scene(cfg, cache, key, as_of=as_of, lang=lang, now=now, absolute_times=True)


def make_page(cfg: Any, key: str, data: Any, lang: str) -> Page:
    from commandcenter.ui.export_render import SceneCanvas

    scene = scene_for(cfg, key)
    return Page(scene, data, SceneCanvas(cfg, scene, data, lang))


def export_scenes(cfg: Any, cache: Any, keys: list[str], pdf: str | None = None, png: str | None = None,
                  as_of: float | None = None, lang: str = "id", now: float | None = None,
                  title: str | None = None) -> list[Page]:
    """Headless: read, draw and write. A PNG gets the first scene; a PDF one page per scene."""
    from commandcenter.ui.export_render import write_pdf, write_png

    now = time.time() if now is None else now
    pages = [make_page(cfg, k, read_scene(cfg, cache, k, as_of, lang, now), lang) for k in keys]
    if png:
        write_png(pages[0], png)
    if pdf:
        write_pdf(cfg, pages, pdf, as_of=as_of, lang=lang, now=now, title=title)
    return pages


def run_export(args: argparse.Namespace) -> int:
    """`commandcenter export`: render scenes from the cache to PNG/PDF without a display."""
    from commandcenter.runtime import load_or_report, open_cache

    EXIT_FAIL, EXIT_INVALID = 1, 2
    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    if not (args.pdf or args.png):
        print("export: give --pdf FILE and/or --png FILE", file=sys.stderr)
        return EXIT_INVALID
    lang = args.lang or cfg.city.language
    cache = open_cache(args, cfg)
    try:
        as_of = parse_instant(args.as_of, cfg.city.timezone) if args.as_of else None
    except ValueError as exc:
        print(f"export: --as-of: {exc}", file=sys.stderr)
        return EXIT_INVALID
    try:
        refuse_future(as_of, None, cfg.city.timezone, cfg.city.zone_label)
    except ValueError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_INVALID
    keys = _scenes_arg(cfg, cache, args.scene, as_of)
    unknown = [k for k in keys if k not in cfg.scene_by_id and not is_generated(k)]
    if unknown:
        print(f"export: unknown scene(s) {', '.join(unknown)} (known: {', '.join(cfg.scene_by_id)})", file=sys.stderr)
        return EXIT_INVALID
    ensure_app()
    try:
        export_scenes(cfg, cache, keys, pdf=args.pdf, png=args.png, as_of=as_of, lang=lang)
    except OSError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_FAIL
    cache.audit("export", {"scenes": keys, "pdf": args.pdf, "png": args.png, "as_of": as_of}, "cli")
    for path in (args.pdf, args.png):
        if path:
            print(path)
    return 0


def _scenes_arg(cfg: Any, cache: Any, scene: str | None, as_of: float | None) -> list[str]:
    """--scene a,b or 'all'; without it: the scene on the wall at --as-of (replay), else the first."""
    if scene == "all":
        return [s.id for s in cfg.scenes]
    if scene:
        return [s.strip() for s in scene.split(",") if s.strip()]
    if as_of is not None:
        shown = scene_at(cache, as_of)
        if shown:
            return [shown]
    return [first_scene(cfg)]


def ensure_app() -> Any:
    """A QApplication; without a display, Qt's offscreen platform (set before Qt starts)."""
    if "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def export_wall(cfg: Any, cache: Any, wall: Any, path: str, key: str, data: Any, as_of: float | None,
                lang: str = "id", now: float | None = None) -> str:
    """The console's export of what the wall shows now: a PNG is the wall itself (grab), a PDF is
    the scene redrawn from `data` (read off the GUI thread by the caller)."""
    from commandcenter.ui.export_render import write_pdf

    if path.endswith(".png"):
        grab = getattr(wall, "grab_wall", None)
        if callable(grab):
            grab().save(path)
            return path
    page = make_page(cfg, key, data, lang)
    if path.endswith(".png"):
        from commandcenter.ui.export_render import write_png

        write_png(page, path)
    else:
        write_pdf(cfg, [page], path, as_of=as_of, lang=lang, now=now)
    return path


_ = tr, fmt


def report_path(cfg: Any, report: Any, now: float) -> Path:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    day = datetime.fromtimestamp(now, ZoneInfo(cfg.city.timezone)).strftime("%Y-%m-%d")
    return output_folder(cfg) / report.file.format(date=day, id=report.id)


def run_report(cfg: Any, cache: Any, report: Any, now: float | None = None) -> Path:
    """Write one scheduled report (reports.yaml) now: a PDF page per scene, live data."""
    from commandcenter.config.schema.reports import report_scenes

    now = time.time() if now is None else now
    path = report_path(cfg, report, now)
    lang = report.lang or cfg.city.language
    export_scenes(cfg, cache, report_scenes(cfg, report), pdf=str(path), lang=lang, now=now, title=report.title)
    cache.audit("report", {"report": report.id, "file": str(path)}, "scheduler")
    return path
