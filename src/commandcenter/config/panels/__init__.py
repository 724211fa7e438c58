"""Panel kinds: the one Qt-free registry read by config validation, the wall's read models, the UI
and the packaged build (build.spec).

Adding a panel kind = one new module in this folder, `<kind>.py`, holding `KIND = PanelKind(...)`
(its typed `options`, a description and an example), plus one line in REGISTRY below. The kind's
widget is `commandcenter.ui.panels.<kind>` and its read-model builder is registered with
`@builder("<kind>")` in the module `KIND.builder` names (both overridable in the PanelKind).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from commandcenter.config.panels.base import NoOptions, PanelKind, PanelOptions

# kind name -> module holding its KIND. One line per kind.
REGISTRY: dict[str, str] = {
    "apps": "commandcenter.config.panels.apps",
    "clock": "commandcenter.config.panels.clock",
    "health": "commandcenter.config.panels.health",
    "kpi": "commandcenter.config.panels.kpi",
    "map": "commandcenter.config.panels.map",
    "opd": "commandcenter.config.panels.opd",
    "progress": "commandcenter.config.panels.progress",
    "ranking": "commandcenter.config.panels.ranking",
    "table": "commandcenter.config.panels.table",
    "text": "commandcenter.config.panels.text",
    "timeseries": "commandcenter.config.panels.timeseries",
    "uptime": "commandcenter.config.panels.uptime",
    "web": "commandcenter.config.panels.web",
}


@lru_cache(maxsize=None)
def get(kind: str) -> PanelKind:
    """The PanelKind registered as `kind`; KeyError for an unknown kind."""
    spec = importlib.import_module(REGISTRY[kind]).KIND
    if spec.name != kind:
        raise RuntimeError(f"{REGISTRY[kind]} declares kind {spec.name!r}, registered as {kind!r}")
    return spec


def names() -> list[str]:
    return sorted(REGISTRY)


def all_kinds() -> list[PanelKind]:
    return [get(k) for k in names()]


def options(panel: Any) -> PanelOptions:
    """A panel's options, typed and with defaults filled in (validated already by `validate`)."""
    return get(panel.type).options.model_validate(dict(panel.options or {}))


def options_roots() -> list[tuple[str, str, str, type[BaseModel]]]:
    """Each kind's options model and where it is written (for the unknown-key index)."""
    return [("scenes.yaml", "scenes[].panels[].options", f"{k.name} panel", k.options) for k in all_kinds()
            if k.options is not NoOptions]


__all__ = ["REGISTRY", "NoOptions", "PanelKind", "PanelOptions", "all_kinds", "get", "names", "options",
           "options_roots"]
