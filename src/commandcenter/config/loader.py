"""Load a city's config/ folder into validated objects, collecting every error on the way."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from commandcenter.config import schema
from commandcenter.config.errors import ConfigError, ConfigIssue
from commandcenter.config.yamlfile import YamlDoc, plain, read


@dataclass
class CityConfig:
    """A whole city, validated. Everything the app knows about a city comes from here."""

    root: Path
    city: schema.City
    opds: list[schema.Opd]
    metrics: list[schema.Metric]
    sources: list[schema.Source]
    wall: schema.Wall
    scenes: list[schema.Scene]
    playlists: schema.PlaylistsFile
    extra: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, YamlDoc] = field(default_factory=dict, repr=False)

    # read-only views: the config is what the files say; no layer above may write into it
    @cached_property
    def opd_by_code(self) -> Mapping[str, schema.Opd]:
        return MappingProxyType({o.code: o for o in self.opds})

    @cached_property
    def metric_by_id(self) -> Mapping[str, schema.Metric]:
        return MappingProxyType({m.id: m for m in self.metrics})

    @cached_property
    def source_by_id(self) -> Mapping[str, schema.Source]:
        return MappingProxyType({s.id: s for s in self.sources})

    @cached_property
    def scene_by_id(self) -> Mapping[str, schema.Scene]:
        return MappingProxyType({s.id: s for s in self.scenes})

    @property
    def city_key(self) -> str:
        """Partition key in a shared cache: several cities may write into one PostgreSQL."""
        return self.city.code

    def sources_for_metric(self, metric_id: str) -> list[schema.Source]:
        return [s for s in self.sources if metric_id in s.metrics]

    def resolve_path(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else (self.root / path)


def default_config_dir() -> Path:
    """`config/` in the working directory, else the bundled demo city (works in a PyInstaller build)."""
    env = os.environ.get("COMMANDCENTER_CONFIG")
    if env:
        return Path(env)
    local = Path("config")
    if (local / "city.yaml").is_file():
        return local
    return Path(str(resources.files("commandcenter") / "defaults" / "config"))


def load_config(root: str | Path, check_secrets: bool = True, environ: dict[str, str] | None = None,
                checks: Sequence[Any] = ()) -> CityConfig:
    """Validate every file in `root`; raise ConfigError with every issue found, or return the city.

    `checks` are extra cross-checks from the layers above config (the connectors' options, see
    commandcenter.sources.checks); `commandcenter.runtime.load_or_report` passes them."""
    from commandcenter.config.checks import cross_check

    root = Path(root)
    if not root.is_dir():
        raise ConfigError([ConfigIssue(str(root), None, None, "", "config folder not found")])
    issues: list[ConfigIssue] = []
    docs: dict[str, YamlDoc] = {}
    models: dict[str, Any] = {}
    for stem, (model, required) in schema.FILES.items():
        paths = _files_for(root, stem)
        if not paths:
            if required:
                issues.append(ConfigIssue(str(root / f"{stem}.yaml"), None, None, "", "required file is missing"))
            continue
        parsed = []
        for path in paths:
            doc, errs = read(path, _display(root, path))
            issues.extend(errs)
            if doc is None:
                continue
            docs[path.name] = doc
            obj = _validate(model, doc, issues)
            if obj is not None:
                parsed.append((doc, obj))
        if parsed:
            models[stem] = parsed
    if issues:
        raise ConfigError(issues)
    cfg = _assemble(root, models, docs)
    issues.extend(cross_check(cfg, models, check_secrets=check_secrets, environ=environ, extra=checks))
    if issues:
        raise ConfigError(issues)
    return cfg


def _display(root: Path, path: Path) -> str:
    return str(path) if root == Path(".") else os.path.join(str(root), path.name)


def _files_for(root: Path, stem: str) -> list[Path]:
    main = root / f"{stem}.yaml"
    found = [main] if main.is_file() else []
    if stem == "sources":  # one file per department is common: sources-bpkad.yaml, ...
        found += sorted(p for p in root.glob("sources-*.yaml") if p.is_file())
    return found


def _validate(model: type[BaseModel], doc: YamlDoc, issues: list[ConfigIssue]) -> BaseModel | None:
    try:
        return model.model_validate(plain(doc.data))
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            issues.append(doc.issue(tuple(err["loc"]), explain(err, model)))
        return None


def explain(err: dict[str, Any], model: type[BaseModel] | None = None,
            elsewhere: dict[str, list[str]] | None = None) -> str:
    """A pydantic error in words an admin understands; an unknown key gets the keys allowed there,
    a close match among them, or where it belongs when it is valid elsewhere."""
    kind, loc, msg = err["type"], err["loc"], err["msg"]
    if kind == "extra_forbidden":
        from commandcenter.config import keys

        key = str(loc[-1])
        holder = keys.model_at(model, tuple(loc[:-1])) if model is not None else None
        allowed = keys.field_names(holder) if holder is not None else []
        places = (elsewhere if elsewhere is not None else keys.file_index()).get(key, [])
        return keys.unknown_key(key, allowed, places)
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        return msg.replace("Input should be", "must be one of")
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg} (got {err.get('input')!r})"
    return msg


def did_you_mean(word: str, candidates: list[str] | set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close and close[0] != word else ""


def _assemble(root: Path, models: dict[str, Any], docs: dict[str, YamlDoc]) -> CityConfig:
    one = {stem: parsed[0][1] for stem, parsed in models.items()}
    sources = [s for _, f in models["sources"] for s in f.sources]
    return CityConfig(
        root=root,
        city=one["city"].city,
        opds=list(one["opds"].opds),
        metrics=list(one["metrics"].metrics),
        sources=sources,
        wall=one["wall"].wall,
        scenes=list(one["scenes"].scenes),
        playlists=one["playlists"],
        extra={k: v for k, v in one.items() if k not in {"city", "opds", "metrics", "sources", "wall", "scenes", "playlists"}},
        docs=docs,
    )
