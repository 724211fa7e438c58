"""The `commandcenter` command. Each subcommand imports its layer lazily, so `validate` and
`status` start fast and never load Qt."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2
EXIT_PIPE = 141  # what a shell reports for a command ended by a closed pipe (128 + SIGPIPE)
AS_OF_HELP = ("a moment in the city's zone: '2025-06-30 09:00', '2025-06-30T09:00', '2025-06-30' (00:00), "
              "'30/06/2025 09:00', epoch seconds, 'now'/'sekarang', or 'yesterday'/'kemarin' (24 hours ago)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_FAIL
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at interpreter exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `commandcenter scores --json | head`: the reader left; end quietly
        _silence_stdout()
        return EXIT_PIPE
    except Exception as exc:
        from commandcenter.errors import CacheDamaged

        if isinstance(exc, CacheDamaged):  # named the same way by every command, no traceback
            print(f"commandcenter: {exc}", file=sys.stderr)
            return EXIT_FAIL
        raise
    except SystemExit as exc:  # a command that already said why it stops (e.g. the cache is unreachable)
        return exc.code if isinstance(exc.code, int) else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="commandcenter", description="A city command-center video wall, described by config/.")
    p.add_argument("--version", action="version", version=f"commandcenter {_version()}")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    v = sub.add_parser("validate", help="check a city's config folder; every error with file:line")
    v.add_argument("--config", dest="config", help="config folder (default: ./config or the bundled demo city)")
    v.add_argument("config_dir", nargs="?", metavar="CONFIG_DIR", help="the config folder, older form of --config")
    v.set_defaults(handler=cmd_validate)

    sch = sub.add_parser("schema", help="print the JSON Schema of a config file kind (for an editor's YAML checks)")
    sch.add_argument("kind", nargs="?", default=None, metavar="FILE",
                     help="city, opds, metrics, sources, wall, scenes, playlists, alerts, reports "
                          "(default: one schema matching any of them)")
    sch.set_defaults(handler=cmd_schema)

    c = _common(sub.add_parser("collect", help="poll the department sources into the cache (headless)"))
    c.add_argument("--once", action="store_true", help="poll every source once, print a summary, exit "
                   "(exit 0 all fine, 1 some source failed, 3 every source failed)")
    c.add_argument("--source", action="append", default=[], metavar="ID",
                   help="poll only this source (repeatable), once, then exit")
    c.add_argument("--reimport", action="store_true",
                   help="with --source: forget its watermarks and file fingerprints first, so everything "
                        "is read again (values already in the cache stay, as versions)")
    _log_level(c)
    c.set_defaults(handler=_lazy("commandcenter.collector.service", "run_collect"))

    s = _common(sub.add_parser("simulate", help="serve the demo city's simulated department sources on 127.0.0.1"))
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="default: the port config/sources.yaml names")
    s.add_argument("--fault", action="append", default=[], metavar="FEED=MODE",
                   help="start a feed in a fault mode: slow, http500, malformed, html, truncated, wrong_types, empty")
    s.add_argument("--drop-dir", default=None, help="folder for the simulated CSV/XLSX drops")
    s.set_defaults(handler=_lazy("commandcenter.simulator", "run_simulate"))

    w = _common(sub.add_parser("wall", help="show the video wall on every monitor"))
    _wall_options(w)
    w.add_argument("--name", default=None, help="this wall's name for the consoles (default: the host name)")
    w.add_argument("--heartbeat", type=float, default=None, metavar="SECONDS",
                   help="most seconds between the wall's reports to the consoles; a change goes out sooner "
                        "(default 10)")
    _log_level(w)
    w.set_defaults(handler=_lazy("commandcenter.ui.app", "run_wall"))

    co = _common(sub.add_parser("console", help="the operator console: controls every wall of the city through the cache"))
    co.add_argument("--lang", choices=["id", "en"], default=None, help="UI language (default: city.yaml)")
    co.add_argument("--silent-after", dest="silent_after", type=float, default=None, metavar="SECONDS",
                    help="call a wall silent after this long without a heartbeat (default 30)")
    co.add_argument("--operator", default=None, help="name in the audit log (default: user@host)")
    co.add_argument("--screenshot", default=None, metavar="FILE.png", help="save the console to a PNG")
    co.add_argument("--quit-after", dest="quit_after", type=float, default=None, metavar="SECONDS",
                    help="close after this many seconds (screenshots, tests)")
    _log_level(co)
    co.set_defaults(handler=_lazy("commandcenter.ui.console", "run_console"))

    d = _common(sub.add_parser("demo", help="simulator + collector + wall on the demo city, one command"))
    _wall_options(d)
    d.add_argument("--no-console", action="store_true", help="do not open the operator console")
    _log_level(d)
    d.set_defaults(handler=_lazy("commandcenter.ui.demo", "run_demo"))

    st = _common(sub.add_parser("status", help="cache and source-health summary"))
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(handler=cmd_status)

    ap = _common(sub.add_parser("apps", help="the city's applications (apps.yaml): state, uptime, incidents"))
    ap.add_argument("--check", action="store_true", help="check every application now first (writes the results)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.set_defaults(handler=_lazy("commandcenter.collector.apps_report", "run_apps"))

    sc = sub.add_parser("screens", help="the screens Qt sees: name, geometry, DPI")
    sc.add_argument("--json", action="store_true", help="machine-readable output")
    sc.set_defaults(handler=cmd_screens)

    sr = _common(sub.add_parser("scores", help="OPD ranking with score breakdowns"))
    sr.add_argument("--period", help="e.g. 2025-06 (default: the current month)")
    sr.add_argument("--as-of", dest="as_of", help="score with what was known at this moment: " + AS_OF_HELP)
    sr.add_argument("--json", action="store_true", help="machine-readable output")
    sr.set_defaults(handler=_lazy("commandcenter.scoring.report", "run_scores"))

    ex = _common(sub.add_parser("export", help="render a scene to PNG/PDF headless from the cache"))
    ex.add_argument("--scene", help="scene id (default: what the wall showed at --as-of, or the first)")
    ex.add_argument("--pdf", help="write a PDF here")
    ex.add_argument("--png", help="write a PNG here")
    ex.add_argument("--as-of", dest="as_of", help="replay: the scene and data of that moment: " + AS_OF_HELP)
    ex.add_argument("--lang", choices=["id", "en"], default=None, help="language of the page (default: city.yaml)")
    ex.set_defaults(handler=_lazy("commandcenter.ui.export", "run_export"))

    nt = _common(sub.add_parser("note", help="an OPD's cause/note for a period, shown beside its numbers"))
    nt.add_argument("opd", help="OPD code, e.g. putr")
    nt.add_argument("text", help="the note ('' clears it), e.g. 'lelang ulang paket jalan'")
    nt.add_argument("--period", help="e.g. 2026-11 (default: the current month)")
    nt.add_argument("--author", help="who writes it (default: the login name)")
    nt.set_defaults(handler=_lazy("commandcenter.wall.behind", "run_note"))

    ca = sub.add_parser("cache", help="look after the cache database")
    ca_sub = ca.add_subparsers(title="cache commands", metavar="ACTION", help="check: the integrity check")
    cc = _common(ca_sub.add_parser("check", help="run the database's integrity check and say what to do"))
    cc.set_defaults(handler=cmd_cache_check)
    return p


def _common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--config", default=None, help="config folder (default: ./config or the bundled demo city)")
    p.add_argument("--db", default=None, help="cache database URL (default: per-user SQLite file; "
                   "or postgresql+psycopg://...); env COMMANDCENTER_DB; ${ENV} references are resolved, "
                   "e.g. postgresql+psycopg://cc:${CC_DB_PASSWORD}@db/cc")
    return p


def _log_level(p: argparse.ArgumentParser) -> None:
    p.add_argument("--log-level", dest="log_level", type=str.upper, choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                   default="INFO", help="log detail (default: INFO); the log also goes to "
                   "<data folder>/logs/<command>.log, rotated at 5 MB")


def _wall_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scene", default=None, help="scene id to show (default: the playlist's)")
    p.add_argument("--screenshot", default=None, metavar="FILE.png", help="save the whole wall to a PNG")
    p.add_argument("--quit-after", dest="quit_after", type=float, default=None, metavar="SECONDS",
                   help="close after this many seconds (screenshots, tests)")
    p.add_argument("--lang", choices=["id", "en"], default=None, help="UI language (default: city.yaml)")
    p.add_argument("--windowed", action="store_true", help="normal windows instead of full screen")


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            target = getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError) as exc:
            print(f"commandcenter: this command is not available in this build yet ({exc})", file=sys.stderr)
            return EXIT_FAIL
        return target(args)

    return run


def _version() -> str:
    from commandcenter import __version__

    return __version__


from commandcenter.runtime import load_or_report, open_cache  # noqa: E402  (app.py imports them from here)


# -- commands that live here ----------------------------------------------------------------------
def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so Python's exit flush does not complain."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests): nothing to flush into a pipe
        pass


def cmd_schema(args: argparse.Namespace) -> int:
    from commandcenter.reference import json_schema

    try:
        doc = json_schema(args.kind)
    except KeyError as exc:
        print(f"commandcenter schema: {exc.args[0]}", file=sys.stderr)
        return EXIT_INVALID
    print(json.dumps(doc, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    path = args.config or args.config_dir
    cfg = load_or_report(path, sys.stdout, check_secrets=True)
    if cfg is None:
        return EXIT_INVALID
    print(f"{cfg.root}: OK — {cfg.city.name}: {len(cfg.opds)} OPD, {len(cfg.metrics)} KPI, "
          f"{len(cfg.sources)} sources, {len(cfg.scenes)} scenes, wall {cfg.wall.columns}x{cfg.wall.rows}")
    return EXIT_OK


def cmd_cache_check(args: argparse.Namespace) -> int:
    """Exit 0 when the cache is sound, 1 when it is damaged (with what to do)."""
    from commandcenter.cache.engine import integrity_check, make_engine
    from commandcenter.errors import ADVICE, CacheDamaged
    from commandcenter.runtime import cache_url

    cfg = load_or_report(args.config)
    if cfg is None:
        return EXIT_INVALID
    url = cache_url(args, cfg)
    where = _safe_url(url) if url else "(per-user SQLite file)"
    try:
        engine = make_engine(url)
        db = engine.url.database if engine.dialect.name == "sqlite" else None
        where = f"file {db}" if db else _safe_url(str(engine.url))
        problems = integrity_check(engine)
    except CacheDamaged as exc:
        where, problems = f"file {exc.where}", [exc.detail]
    if problems:
        print(f"the cache {where} is damaged:")
        for line in problems:
            print(f"  {line}")
        print(f"what to do: {ADVICE}")
        return EXIT_FAIL
    print(f"the cache {where} passed the integrity check")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    cfg = load_or_report(args.config)
    if cfg is None:
        return EXIT_INVALID
    cache = open_cache(args, cfg)
    report = status_report(cfg, cache)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_status(report)
    return EXIT_OK


def status_report(cfg: Any, cache: Any, now: float | None = None) -> dict[str, Any]:
    from commandcenter.collector.health import source_health

    now = time.time() if now is None else now
    health = source_health(cfg, cache, now=now)
    return {
        "city": {"code": cfg.city.code, "name": cfg.city.name, "timezone": cfg.city.timezone},
        "cache": {"url": _safe_url(str(cache.engine.url)), "samples": cache.count_samples(),
                  "open_alerts": len(cache.alerts())},
        "sources": [_health_dict(h) for h in health],
        "generated_at": now,
    }


def _health_dict(h: Any) -> dict[str, Any]:
    from dataclasses import asdict, is_dataclass

    return asdict(h) if is_dataclass(h) else dict(vars(h))


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _print_status(report: dict[str, Any]) -> None:
    from commandcenter import fmt

    city = report["city"]
    print(f"{city['name']} ({city['code']}) — cache {report['cache']['url']}")
    print(f"  {fmt.number(report['cache']['samples'])} samples, {report['cache']['open_alerts']} open alerts")
    print(f"  {'SOURCE':28} {'STATE':10} {'LAST SUCCESS':22} LAST ERROR")
    for s in report["sources"]:
        last = fmt.datetime_short(s["last_success"], city["timezone"]) if s.get("last_success") else "—"
        print(f"  {s['source']:28} {s['state']:10} {last:22} {(s.get('last_error') or '')[:60]}")
        rejected = s.get("rejected") or []
        if rejected:
            print(f"    {len(rejected)} rejected in the last run:")
            for reason in rejected:
                print(f"      - {reason}")


def cmd_screens(args: argparse.Namespace) -> int:
    from commandcenter.ui.screens import list_screens

    screens = list_screens()
    if args.json:
        print(json.dumps(screens, indent=2))
    else:
        for s in screens:
            g = s["geometry"]
            print(f"{s['index']}: {s['name']:16} {g['width']}x{g['height']}+{g['x']}+{g['y']}  "
                  f"{s['logical_dpi']:.0f} dpi  dpr {s['device_pixel_ratio']}{'  (primary)' if s['primary'] else ''}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
