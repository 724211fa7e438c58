"""Panel widgets by kind. Which kinds exist is said once, Qt-free, in commandcenter.config.panels;
here each kind's widget module (named by its PanelKind) is imported and registers its class."""

from __future__ import annotations

import importlib
from typing import Any

from commandcenter.ui.panels.base import Panel, PanelContext

PANELS: dict[str, type[Panel]] = {}


def register(kind: str):
    def deco(cls: type[Panel]) -> type[Panel]:
        cls.kind = kind
        PANELS[kind] = cls
        return cls

    return deco


def kinds() -> list[str]:
    """Panel kinds, from the one registry (commandcenter.config.panels)."""
    from commandcenter.config import panels

    return panels.names()


def load_all() -> dict[str, type[Panel]]:
    from commandcenter.config import panels

    for kind in panels.all_kinds():
        if kind.name not in PANELS:
            importlib.import_module(kind.widget_module)
    return PANELS


def create(spec: Any, ctx: PanelContext, fragments: list[Any] | None = None, parent: Any = None) -> Panel:
    load_all()
    cls = PANELS.get(spec.type)
    if cls is None:
        raise KeyError(f"unknown panel type {spec.type!r} (known: {', '.join(sorted(PANELS))})")
    return cls(spec, ctx, fragments, parent)
