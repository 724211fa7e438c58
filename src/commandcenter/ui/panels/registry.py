"""Panel kinds by type name: one module per kind in this folder, named after the kind.

The config validator lists kinds by these file names without importing Qt; here we import them.
"""

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
    """Panel kinds = module files in this folder; the config validator lists them the same way."""
    from commandcenter.config.schema.scenes import panel_types

    return panel_types()


def load_all() -> dict[str, type[Panel]]:
    for kind in kinds():
        if kind not in PANELS:
            importlib.import_module(f"commandcenter.ui.panels.{kind}")
    return PANELS


def create(spec: Any, ctx: PanelContext, fragments: list[Any] | None = None, parent: Any = None) -> Panel:
    load_all()
    cls = PANELS.get(spec.type)
    if cls is None:
        raise KeyError(f"unknown panel type {spec.type!r} (known: {', '.join(sorted(PANELS))})")
    return cls(spec, ctx, fragments, parent)
