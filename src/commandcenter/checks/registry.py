"""Check kinds by name. A new kind is one new module here with a class decorated `@register`,
a `kind` name, an `Options` model (the app's `check:` keys) and `run(options, deadline, ctx)`."""

from __future__ import annotations

import importlib
from typing import Any

_REGISTRY: dict[str, Any] = {}
KIND_MODULES = ("http", "tcp", "dns")


def register(cls: Any) -> Any:
    _REGISTRY[cls.kind] = cls
    return cls


def _load_all() -> None:
    for name in KIND_MODULES:
        if name not in _REGISTRY:
            importlib.import_module(f"commandcenter.checks.{name}")


def names() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)


def get(kind: str) -> Any:
    _load_all()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown check kind {kind!r}; known: {', '.join(names())}") from None
