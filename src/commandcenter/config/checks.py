"""Cross-reference checks across files: panel -> metric -> source -> OPD, scenes, playlists, cells."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from commandcenter.config import secrets
from commandcenter.config.errors import ConfigIssue, did_you_mean
from commandcenter.config.keys import explain
from commandcenter.config.model import CityConfig
from commandcenter.config.schema.alerts import cross_check_alerts
from commandcenter.config import panels
from commandcenter.config.schema.apps import apps_fed, cross_check_apps
from commandcenter.config.schema.opds import OpdKind
from commandcenter.config.schema.web import cross_check_web
from commandcenter.config.yamlfile import YamlDoc

Check = Callable[[CityConfig, dict[str, Any]], list[ConfigIssue]]


def cross_check(cfg: CityConfig, models: dict[str, Any], check_secrets: bool = True,
                environ: dict[str, str] | None = None, extra: Sequence[Check] = ()) -> list[ConfigIssue]:
    """Every cross-file check; `extra` are checks from higher layers (the connectors' options)."""
    issues: list[ConfigIssue] = []
    issues += _wall(cfg, models)
    issues += _opds(cfg, models)
    issues += _metrics(cfg, models)
    issues += _sources(cfg, models, check_secrets, environ)
    issues += _scenes(cfg, models)
    issues += _playlists(cfg, models)
    issues += cross_check_alerts(cfg, models)
    issues += _reports(cfg, models)
    issues += cross_check_apps(cfg, models)
    for check in extra:
        issues += check(cfg, models)
    issues += cross_check_web(models, check_secrets, environ)  # web panels' ${ENV} references
    return issues


def _wall(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    wall = cfg.wall
    if wall.screen_mapping == "order" or len(wall.screen_mapping) == wall.columns * wall.rows:
        return []
    return [_doc(models, "wall").issue(("wall", "screen_mapping"),
            f"screen_mapping names {len(wall.screen_mapping)} screens but the wall has {wall.columns * wall.rows} "
            f"monitors ({wall.columns}x{wall.rows}); give one screen name per monitor, or 'order'")]


def _reports(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    if "reports" not in models:
        return []
    doc, parsed = models["reports"][0]
    playlists = {p.id for p in cfg.playlists.playlists}
    issues = []
    for i, report in enumerate(parsed.reports):
        for j, scene in enumerate(report.scenes):
            if scene not in cfg.scene_by_id:
                issues.append(_unknown(doc, ("reports", i, "scenes", j), "scene", scene, cfg.scene_by_id))
        if report.playlist and report.playlist not in playlists:
            issues.append(_unknown(doc, ("reports", i, "playlist"), "playlist", report.playlist, playlists))
    return issues


def _doc(models: dict[str, Any], stem: str) -> YamlDoc:
    return models[stem][0][0]


def _dupes(doc: YamlDoc, items: list[Any], attr: str, loc: tuple[Any, ...], what: str) -> list[ConfigIssue]:
    counts = Counter(getattr(i, attr) for i in items)
    out = []
    seen: set[str] = set()
    for idx, item in enumerate(items):
        value = getattr(item, attr)
        if counts[value] > 1 and value in seen:
            out.append(doc.issue(loc + (idx, attr), f"duplicate {what} {value!r}"))
        seen.add(value)
    return out


def _unknown(doc: YamlDoc, loc: tuple[Any, ...], what: str, name: str, known: set[str] | list[str]) -> ConfigIssue:
    return doc.issue(loc, f"unknown {what} {name!r}{did_you_mean(name, set(known))}")


def _opds(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    doc = _doc(models, "opds")
    issues = _dupes(doc, cfg.opds, "code", ("opds",), "OPD code")
    for i, opd in enumerate(cfg.opds):
        if opd.replaces and opd.replaces not in cfg.opd_by_code:
            issues.append(_unknown(doc, ("opds", i, "replaces"), "OPD", opd.replaces, cfg.opd_by_code))
    return issues


def _metrics(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    doc = _doc(models, "metrics")
    issues = _dupes(doc, cfg.metrics, "id", ("metrics",), "metric id")
    kinds = set(OpdKind.__args__)
    for i, metric in enumerate(cfg.metrics):
        if metric.applies_to != "all":
            for j, name in enumerate(metric.applies_to):
                if name not in cfg.opd_by_code and name not in kinds:
                    issues.append(_unknown(doc, ("metrics", i, "applies_to", j), "OPD or OPD kind", name,
                                           set(cfg.opd_by_code) | kinds))
        if metric.target:
            for code in metric.target.per_opd:
                if code not in cfg.opd_by_code:
                    issues.append(_unknown(doc, ("metrics", i, "target", "per_opd", code), "OPD", code, cfg.opd_by_code))
    return issues


def _sources(cfg: CityConfig, models: dict[str, Any], check_secrets: bool,
             environ: dict[str, str] | None) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    seen: dict[str, str] = {}
    for doc, parsed in models["sources"]:
        for i, src in enumerate(parsed.sources):
            loc = ("sources", i)
            if src.id in seen:
                issues.append(doc.issue(loc + ("id",), f"duplicate source id {src.id!r} (also in {seen[src.id]})"))
            seen[src.id] = doc.display
            if src.opd and src.opd not in cfg.opd_by_code:
                issues.append(_unknown(doc, loc + ("opd",), "OPD", src.opd, cfg.opd_by_code))
            for j, metric in enumerate(src.metrics):
                if metric not in cfg.metric_by_id:
                    issues.append(_unknown(doc, loc + ("metrics", j), "metric", metric, cfg.metric_by_id))
            if check_secrets:
                issues += _secrets(doc, loc + ("options",), src.options, environ)
    return issues


def _secrets(doc: YamlDoc, loc: tuple[Any, ...], value: Any, environ: dict[str, str] | None) -> list[ConfigIssue]:
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in _secrets(doc, loc + (k,), v, environ)]
    if isinstance(value, list):
        return [i for n, v in enumerate(value) for i in _secrets(doc, loc + (n,), v, environ)]
    if isinstance(value, str):
        return ([doc.issue(loc, f"environment variable {name} is not set (referenced as ${{{name}}})")
                 for name in secrets.missing(value, environ)]
                + [doc.issue(loc, f"environment variable {name} is set but empty (referenced as ${{{name}}})")
                   for name in secrets.empty(value, environ)])
    return []


def _scenes(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    doc = _doc(models, "scenes")
    issues = _dupes(doc, cfg.scenes, "id", ("scenes",), "scene id")
    types = panels.names()
    fed = {m for s in cfg.sources if s.enabled for m in s.metrics} | apps_fed(cfg)
    grid = cfg.wall.grid
    for i, scene in enumerate(cfg.scenes):
        sloc = ("scenes", i)
        if scene.opd and scene.opd not in cfg.opd_by_code:
            issues.append(_unknown(doc, sloc + ("opd",), "OPD", scene.opd, cfg.opd_by_code))
        issues += _dupes(doc, scene.panels, "id", sloc + ("panels",), "panel id")
        for j, panel in enumerate(scene.panels):
            ploc = sloc + ("panels", j)
            if panel.type not in types:
                issues.append(doc.issue(ploc + ("type",), f"unknown panel type {panel.type!r}"
                                        f"{did_you_mean(panel.type, types)} (known: {', '.join(types)})"))
            else:
                issues += _panel_options(doc, ploc, panel)
            issues += _panel_refs(cfg, doc, ploc, panel, fed)
            c = panel.cell
            if c.right > grid.columns or c.bottom > grid.rows:
                issues.append(doc.issue(ploc + ("cell",), f"cell [{c.col}, {c.row}, {c.width}, {c.height}] lies outside "
                                        f"the wall's {grid.columns}x{grid.rows} layout grid"))
            for k, other in enumerate(scene.panels[:j]):
                if c.overlaps(other.cell):
                    issues.append(doc.issue(ploc + ("cell",), f"overlaps panel {other.id!r} (panels[{k}])"))
    return issues


def _panel_options(doc: YamlDoc, ploc: tuple[Any, ...], panel: Any) -> list[ConfigIssue]:
    """A panel's options checked by its kind's model (`top: sembilan` fails here, not on the wall)."""
    kind = panels.get(panel.type)
    try:
        kind.options.model_validate(dict(panel.options))
    except ValidationError as exc:
        issues = []
        for e in exc.errors(include_url=False):
            msg = explain(e, kind.options)
            if e["type"] == "extra_forbidden" and not kind.options.model_fields:
                msg = f"unknown key {str(e['loc'][-1])!r}: a {panel.type} panel takes no options"
            issues.append(doc.issue(ploc + ("options",) + tuple(e["loc"]), msg))
        return issues
    return []


def _panel_refs(cfg: CityConfig, doc: YamlDoc, ploc: tuple[Any, ...], panel: Any, fed: set[str]) -> list[ConfigIssue]:
    issues = []
    named = ([("metric", panel.metric)] if panel.metric else []) + [(("metrics", n), m) for n, m in enumerate(panel.metrics)]
    for key, metric in named:
        key_loc = ploc + (key if isinstance(key, tuple) else (key,))
        if metric not in cfg.metric_by_id:
            issues.append(_unknown(doc, key_loc, "metric", metric, cfg.metric_by_id))
        elif metric not in fed:
            issues.append(doc.issue(key_loc, f"metric {metric!r} is fed by no enabled source in sources.yaml"))
    if panel.opd and panel.opd not in cfg.opd_by_code:
        issues.append(_unknown(doc, ploc + ("opd",), "OPD", panel.opd, cfg.opd_by_code))
    if panel.opds != "all":
        for n, code in enumerate(panel.opds):
            if code not in cfg.opd_by_code:
                issues.append(_unknown(doc, ploc + ("opds", n), "OPD", code, cfg.opd_by_code))
    return issues


def _playlists(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    doc = _doc(models, "playlists")
    pl = cfg.playlists
    issues = _dupes(doc, pl.playlists, "id", ("playlists",), "playlist id")
    ids = {p.id for p in pl.playlists}
    for i, playlist in enumerate(pl.playlists):
        for j, item in enumerate(playlist.items):
            if item.scene not in cfg.scene_by_id:
                issues.append(_unknown(doc, ("playlists", i, "items", j, "scene"), "scene", item.scene, cfg.scene_by_id))
    if pl.default not in ids:
        issues.append(_unknown(doc, ("default",), "playlist", pl.default, ids))
    if pl.briefing is not None and pl.briefing not in ids:
        issues.append(_unknown(doc, ("briefing",), "playlist", pl.briefing, ids))
    for i, rule in enumerate(pl.schedule):
        if rule.playlist not in ids:
            issues.append(_unknown(doc, ("schedule", i, "playlist"), "playlist", rule.playlist, ids))
    if pl.interrupt.scene and pl.interrupt.scene not in cfg.scene_by_id:
        issues.append(_unknown(doc, ("interrupt", "scene"), "scene", pl.interrupt.scene, cfg.scene_by_id))
    return issues
