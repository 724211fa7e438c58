"""The config is what the files say: no layer above may write into it. A spotlight scene (one
panel over the whole wall) is built on demand instead of being registered in the config."""

from __future__ import annotations

import pytest

from commandcenter.wall.briefing import SPOTLIGHT_PREFIX, scene_of


def test_lookups_are_read_only(demo_config):
    for lookup in (demo_config.scene_by_id, demo_config.metric_by_id, demo_config.opd_by_code,
                   demo_config.source_by_id):
        with pytest.raises(TypeError):
            lookup["x"] = None  # type: ignore[index]


def test_spotlight_scene_is_built_not_stored(demo_config):
    key = f"{SPOTLIGHT_PREFIX}ringkasan/serapan"
    scene = scene_of(demo_config, key)
    # the KPI big on one monitor, its trend and the OPDs' ranking beside it (wall/briefing.py)
    assert scene.id == key and [p.id for p in scene.panels] == ["serapan", "serapan-tren", "serapan-opd"]
    cell = scene.panels[0].cell
    assert (cell.col, cell.row, cell.width, cell.height) == (0, 0, 12, 6)
    assert key not in demo_config.scene_by_id
    assert scene_of(demo_config, "no-such-scene") is None
    assert scene_of(demo_config, "ringkasan") is demo_config.scene_by_id["ringkasan"]


def test_the_spotlight_export_leaves_the_config_alone(demo_config, cache):
    from commandcenter.ui.export import read_scene

    before = dict(demo_config.scene_by_id)
    data = read_scene(demo_config, cache, f"{SPOTLIGHT_PREFIX}ringkasan/serapan", None, "id", now=1751302800.0)
    assert set(data.panels) == {"serapan", "serapan-tren", "serapan-opd"}
    assert dict(demo_config.scene_by_id) == before
