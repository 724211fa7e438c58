"""Config checks that need the connectors: each source's `options` validated by the connector its
`type` names (each connector's model is strict: an option it would ignore, such as a files-only
`sheet` under a ckan source, is an error that says where it belongs), metrics a mapping writes
that the source does not list, and files the options name (a CA bundle) that are not there.

The config package never imports the connectors (it sits below them); `commandcenter.runtime`
hands this check to `load_config`, so `validate`, `collect` and the wall all run it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from commandcenter.config.keys import add_roots, file_index
from commandcenter.config.errors import ConfigIssue, did_you_mean
from commandcenter.config.keys import explain
from commandcenter.config.model import CityConfig
from commandcenter.sources import registry
from commandcenter.sources.base import option_path


def check_sources(cfg: CityConfig, models: dict[str, Any], deep: bool = True) -> list[ConfigIssue]:
    """`deep=False` (`check_source_shapes`): every option's shape, but no parse of a sql source's
    query (sqlglot costs a process ~0.1 s to import): for the processes that never fetch."""
    issues: list[ConfigIssue] = []
    for doc, parsed in models.get("sources", []):
        for i, src in enumerate(parsed.sources):
            issues += _one(cfg, doc, ("sources", i), src, deep)
    return issues


def check_source_shapes(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    return check_sources(cfg, models, deep=False)


def _one(cfg: CityConfig, doc: Any, loc: tuple[Any, ...], src: Any, deep: bool = True) -> list[ConfigIssue]:
    known = registry.names()
    if src.type not in known:
        return [doc.issue(loc + ("type",), f"unknown source type {src.type!r}{did_you_mean(src.type, known)} "
                                           f"(known: {', '.join(known)})")]
    connector = registry.get(src.type)
    try:
        opts = connector.Options.model_validate(src.options, context={"deep": deep})
    except ValidationError as exc:
        return [doc.issue(loc + ("options",) + tuple(e["loc"]), explain(e, connector.Options, elsewhere()))
                for e in exc.errors(include_url=False)]
    issues = _mapping_metrics(doc, loc, src, opts)
    issues += _files(cfg, doc, loc, src)
    return issues


def connector_roots() -> list[tuple[str, str, str, type[BaseModel]]]:
    """Every connector's options model and where it is written."""
    return [("sources.yaml", "sources[].options", f"type {name}", registry.get(name).Options)
            for name in registry.names()]


add_roots(connector_roots)  # so an unknown key beside `type:` is told where it belongs


def elsewhere() -> dict[str, list[str]]:
    return file_index()


def _mapping_metrics(doc: Any, loc: tuple[Any, ...], src: Any, opts: Any) -> list[ConfigIssue]:
    """A mapping that writes a metric the source does not list: the wall would never ask for it."""
    out = []
    for n, rmap in enumerate(getattr(opts, "samples", None) or []):
        for metric in getattr(rmap, "values", {}) or {}:
            if metric not in src.metrics:
                out.append(doc.issue(loc + ("options", "samples", n, "values", metric),
                                     f"metric {metric!r} is not listed in this source's metrics "
                                     f"[{', '.join(src.metrics)}]{did_you_mean(metric, src.metrics)}"))
    return out


def _files(cfg: CityConfig, doc: Any, loc: tuple[Any, ...], src: Any) -> list[ConfigIssue]:
    """Files an option names must exist now, not at the first fetch."""
    value = src.options.get("ca_bundle")
    if not isinstance(value, str) or not value or "${" in value:
        return []
    path = _path(cfg, value)
    if not path.is_file():
        return [doc.issue(loc + ("options", "ca_bundle"), f"CA bundle file {str(path)!r} does not exist")]
    return []


def _path(cfg: CityConfig, text: str) -> Path:
    from commandcenter.sources.base import default_data_dir

    return option_path(text, default_data_dir(cfg), cfg.root)
