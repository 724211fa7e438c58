"""Unknown keys answered well: the keys allowed at that place, a close match among them only, and
where a key belongs when it is valid somewhere else (`decimal` under a source -> its mapping)."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable
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
    more = f" (and {len(places) - 3} more places)" if len(places) > 3 else ""
    return "at " + " or ".join(shown) + more


def _is_list(annotation: Any) -> bool:
    return any(typing.get_origin(t) is list for t in [annotation, *typing.get_args(annotation)])


def index(roots: list[tuple[str, str, str, type[BaseModel]]]) -> dict[str, list[str]]:
    """key -> places where it is valid, e.g. 'sources.yaml: sources[].options.samples[].decimal
    (ckan, files, http_json, sql)'. A root is (file, path prefix, qualifier, model)."""
    found: dict[str, dict[str, list[str]]] = {}
    for file, prefix, qualifier, root in roots:
        seen: set[type[BaseModel]] = set()

        def walk(model: type[BaseModel], path: str) -> None:
            if model in seen:
                return
            seen.add(model)
            for name, info in model.model_fields.items():
                key = info.alias or name
                here = f"{path}.{key}" if path else key
                quals = found.setdefault(key, {}).setdefault(f"{file}: {here}", [])
                if qualifier and qualifier not in quals:
                    quals.append(qualifier)
                for sub in model_args(info.annotation):
                    walk(sub, here + ("[]" if _is_list(info.annotation) else ""))

        walk(root, prefix)
    return {key: [p + (f" ({', '.join(sorted(q))})" if q else "") for p, q in places.items()]
            for key, places in found.items()}


# Layers above config (the connectors) add the models they validate, so that `decimal` written
# beside `type:` can be told to move into a source's mapping. Config itself imports none of them.
_PROVIDERS: list[Callable[[], list[tuple[str, str, str, type[BaseModel]]]]] = []


def add_roots(provider: Callable[[], list[tuple[str, str, str, type[BaseModel]]]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
        _file_index.cache_clear()


def file_index() -> dict[str, list[str]]:
    return _file_index(len(_PROVIDERS))


@lru_cache(maxsize=4)
def _file_index(_n: int) -> dict[str, list[str]]:
    from commandcenter.config import schema
    from commandcenter.config.panels import options_roots

    roots = [(f"{stem}.yaml", "", "", model) for stem, (model, _) in schema.FILES.items()]
    roots += options_roots()
    for provider in _PROVIDERS:
        roots += provider()
    return index(roots)


def explain(err: dict[str, Any], model: type[BaseModel] | None = None,
            elsewhere: dict[str, list[str]] | None = None) -> str:
    """A pydantic error in words an admin understands; an unknown key gets the keys allowed there,
    a close match among them, or where it belongs when it is valid elsewhere."""
    kind, loc, msg = err["type"], err["loc"], err["msg"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        holder = model_at(model, tuple(loc[:-1])) if model is not None else None
        allowed = field_names(holder) if holder is not None else []
        places = (elsewhere if elsewhere is not None else file_index()).get(key, [])
        return unknown_key(key, allowed, places)
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        return msg.replace("Input should be", "must be one of")
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg} (got {err.get('input')!r})"
    return msg
