"""Bundled resources (maps, logos) via importlib.resources, so a PyInstaller build finds them."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


def resource(*parts: str) -> Any:
    return resources.files("commandcenter").joinpath("resources", *parts)


@lru_cache(maxsize=16)
def geojson(name: str) -> dict[str, Any]:
    return json.loads(resource(*name.split("/")).read_text(encoding="utf-8"))


def logo_bytes(cfg: Any) -> bytes | None:
    """The city's logo: a file relative to its config folder, else a bundled resource name."""
    name = cfg.city.logo
    if not name:
        return None
    local = Path(cfg.resolve_path(name))
    if local.is_file():
        return local.read_bytes()
    bundled = resource(name)
    return bundled.read_bytes() if bundled.is_file() else None
