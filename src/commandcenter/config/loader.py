"""Load a city's config/ folder into validated objects, collecting every error on the way."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from commandcenter.config import schema
from commandcenter.config.errors import ConfigError, ConfigIssue
from commandcenter.config.keys import explain
from commandcenter.config.model import CityConfig
from commandcenter.config.yamlfile import YamlDoc, plain, read


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
