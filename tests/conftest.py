"""Shared fixtures: the demo city's config (copied so tests may edit it) and real SQLite caches."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO_CONFIG = ROOT / "config"
BARRU_CONFIG = ROOT / "config" / "examples" / "barru"

# GUI tests run on Qt's offscreen platform unless a test sets up a real X server itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def demo_config_dir() -> Path:
    return DEMO_CONFIG


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo city's config folder (examples left out)."""
    dest = tmp_path / "config"
    shutil.copytree(DEMO_CONFIG, dest, ignore=shutil.ignore_patterns("examples"))
    return dest


@pytest.fixture
def demo_config():
    from commandcenter.config import load_config

    return load_config(DEMO_CONFIG)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cache.sqlite'}"


@pytest.fixture
def cache(db_url: str):
    from commandcenter.cache import Cache

    c = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _user_dirs_in_tmp(tmp_path_factory, monkeypatch):
    """Per-user data (default cache, simulator drops, report folder) goes to a temp folder:
    tests never write into the home directory or the repository."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
