"""Connector registry by type name. A new kind of source is one new module in this package.

Each connector module defines a class decorated with `@register`, with a `type_name` and an
`Options` pydantic model that validates the source's `options:` block in sources.yaml.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

_REGISTRY: dict[str, Any] = {}
# helpers, not connectors: importing them for the registry would load httpcore (netlimits) into
# every process that only validates the config, the wall among them
_NOT_CONNECTORS = {"registry", "base", "parsing", "mapping", "web", "netlimits", "sqlguard", "checks"}
_loaded = False


def register(cls: Any) -> Any:
    _REGISTRY[cls.type_name] = cls
    return cls


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    import commandcenter.sources as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name not in _NOT_CONNECTORS and not info.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
    _loaded = True


def names() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)


def get(type_name: str) -> Any:
    _load_all()
    try:
        return _REGISTRY[type_name]
    except KeyError:
        raise KeyError(f"unknown connector type {type_name!r}; known: {', '.join(names())}") from None
