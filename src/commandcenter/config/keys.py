"""Unknown keys answered well: the keys allowed at that place, a close match among them only, and
where a key belongs when it is valid somewhere else (`decimal` under a source -> its mapping)."""

from __future__ import annotations

import difflib
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel


def model_args(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside a type (`list[Panel] | None` -> [Panel])."""
    out, stack = [], [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            out.append(tp)
        stack.extend(typing.get_args(tp))
    return out


def field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last key of `loc` (a pydantic error location) below `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue  # list index: the element model is what the field named
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        if part not in fields:
            continue  # a union member tag such as 'list[str]' or a dict key
        models = model_args(fields[part].annotation)
        current = models[0] if models else None
    return current


def suggest(word: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close and close[0] != word else ""


def unknown_key(key: str, allowed: list[str], elsewhere: list[str]) -> str:
    """The message for an unknown key given the keys allowed here and where else it is valid."""
    msg = f"unknown key {key!r}"
    hint = suggest(key, allowed)
    if elsewhere and not hint:
        return f"{msg} here; it belongs {_join(elsewhere)}"
    msg += hint
    if allowed:
        msg += f" (allowed here: {', '.join(sorted(allowed))})"
    return msg


def _join(places: list[str]) -> str:
    shown = places[:3]
    more = f" and {len(places) - 3} more places" if len(places) > 3 else ""
    return " or ".join(shown) + more


def index(roots: dict[str, type[BaseModel]]) -> dict[str, list[str]]:
    """key -> 'under X in file.yaml' for every key of every model reachable from `roots`."""
    out: dict[str, list[str]] = {}
    for where, root in roots.items():
        seen: set[type[BaseModel]] = set()

        def walk(model: type[BaseModel], path: str) -> None:
            if model in seen:
                return
            seen.add(model)
            for name, info in model.model_fields.items():
                key = info.alias or name
                place = f"under {path or 'the top level'} in {where}"
                if place not in out.setdefault(key, []):
                    out[key].append(place)
                for sub in model_args(info.annotation):
                    walk(sub, f"{path}.{key}" if path else key)

        walk(root, "")
    return out


@lru_cache(maxsize=1)
def file_index() -> dict[str, list[str]]:
    from commandcenter.config import schema
    from commandcenter.config.panels import options_roots

    roots: dict[str, type[BaseModel]] = {f"{stem}.yaml": model for stem, (model, _) in schema.FILES.items()}
    roots.update(options_roots())
    return index(roots)
