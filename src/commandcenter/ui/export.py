"""Export the wall's scenes to PNG and PDF, live or as of an instant, headless or from the console.

A PNG is the scene drawn on an offscreen canvas the size of the virtual wall with the wall's own
panel widgets and read models (commandcenter.wall.queries), under a header (logo, city, title,
data time, "DATA SIMULASI"). A PDF is the printable handout (wall.handout + ui.handout_pdf): light
A4 pages, a summary page, then tables per scene, absolute times only; it needs no widgets, so
the console and the report scheduler write it on a worker thread.
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
    """Headless: read, draw and write. A PNG is the first scene as the wall draws it (with a
    header); a PDF is the printable handout (summary page, then tables per scene)."""
    from commandcenter.ui.export_render import write_png

    from commandcenter.ui.i18n import speaking

    now = time.time() if now is None else now
    pages = []
    if png:
        with speaking(lang):
            pages = [make_page(cfg, k, read_scene(cfg, cache, k, as_of, lang, now), lang) for k in keys]
            write_png(pages[0], png, cfg, as_of=as_of, lang=lang, now=now)
    if pdf:
        export_handout(cfg, cache, keys, pdf, as_of=as_of, lang=lang, now=now, title=title)
    return pages


def export_handout(cfg: Any, cache: Any, keys: list[str], path: str, as_of: float | None = None,
                   lang: str = "id", now: float | None = None, title: str | None = None) -> str:
    """Read and write the PDF handout; no widgets, so it may run on a worker thread."""
    from commandcenter.ui.handout_pdf import write_handout
    from commandcenter.wall.handout import build_handout

    for k in keys:
        scene_for(cfg, k)
    write_handout(build_handout(cfg, cache, keys, as_of=as_of, lang=lang, now=now, title=title), path)
    return path


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
    """The console's PNG of what the wall shows now: the scene redrawn from `data` (read off the
    GUI thread by the caller) under the export header. PDFs go through `export_handout`."""
    from commandcenter.ui.export_render import write_png
    from commandcenter.ui.i18n import speaking

    with speaking(lang):
        write_png(make_page(cfg, key, data, lang), path, cfg, as_of=as_of, lang=lang, now=now)
    return path


_ = fmt


def report_path(cfg: Any, report: Any, now: float) -> Path:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    day = datetime.fromtimestamp(now, ZoneInfo(cfg.city.timezone)).strftime("%Y-%m-%d")
    return output_folder(cfg) / report.file.format(date=day, id=report.id)


def run_report(cfg: Any, cache: Any, report: Any, now: float | None = None) -> Path:
    """Write one scheduled report (reports.yaml) now: the handout of its scenes, live data, into
    the reports folder, then mail it when the report lists recipients. No widgets: runs on a
    worker thread (ui/console_reports.py)."""
    from commandcenter.config.schema.reports import report_scenes

    now = time.time() if now is None else now
    path = report_path(cfg, report, now)
    lang = report.lang or cfg.city.language
    export_handout(cfg, cache, report_scenes(cfg, report), str(path), lang=lang, now=now, title=report.title)
    cache.audit("report", {"report": report.id, "file": str(path)}, "scheduler")
    if report.mail:
        mail_report(cfg, cache, report, path, now)
    return path


def mail_report(cfg: Any, cache: Any, report: Any, path: Path, now: float) -> None:
    from commandcenter.mailer import send_report

    smtp = cfg.extra["reports"].smtp
    when = fmt.datetime_short(now, cfg.city.timezone, cfg.city.zone_label, report.lang or cfg.city.language)
    subject = f"{report.title or report.id} — {cfg.city.name} — {when}"
    body = f"{report.title or report.id}\n{cfg.city.name}\n{when}\n\n{path.name}"
    send_report(smtp, list(report.mail), subject, body, path)
    cache.audit("report_mailed", {"report": report.id, "to": list(report.mail), "file": path.name}, "scheduler")
