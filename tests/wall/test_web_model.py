"""Web panels, the Qt-free side: snapshot files and retention, and the read model's view/snapshot."""

from __future__ import annotations

import copy

from commandcenter.config.schema.scenes import Scene
from commandcenter.wall.queries import build_scene
from commandcenter.wall.web import prune, snapshot_at, snapshot_folder, snapshots, view_key


def _touch(folder, *times):
    folder.mkdir(parents=True, exist_ok=True)
    for t in times:
        (folder / f"{t}.png").write_bytes(b"png")
    (folder / "notes.txt").write_text("not ours")


def test_snapshot_lookup_and_retention(tmp_path):
    folder = tmp_path / "shots"
    _touch(folder, 1000, 2000, 3000)
    assert [t for t, _ in snapshots(folder)] == [1000, 2000, 3000]
    assert snapshot_at(folder, 2999)[0] == 2000 and snapshot_at(folder, 999) is None
    assert prune(folder, retention=1500, now=4000) == 2  # 1000 and 2000 are older than 2500
    assert [t for t, _ in snapshots(folder)] == [3000]
    assert prune(folder, retention=1, now=10_000) == 0  # the newest is always kept
    assert (folder / "notes.txt").exists()


def test_read_model_takes_the_sent_view_and_the_snapshot_of_its_moment(demo_config, cache, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    scene = Scene.model_validate({"id": "w", "title": "W", "panels": [
        {"id": "halaman", "type": "web", "cell": [0, 0, 12, 6], "title": "Dasbor",
         "options": {"url": "http://127.0.0.1:9/a", "allowed_hosts": ["127.0.0.1"]}}]})
    cfg = copy.copy(demo_config)
    cfg.__dict__["scene_by_id"] = {**demo_config.scene_by_id, "w": scene}
    _touch(snapshot_folder(cfg, "halaman"), 1000, 2000)

    live = build_scene(cfg, cache, "w", now=5000).panels["halaman"]
    assert live.live and live.url == "http://127.0.0.1:9/a" and live.snapshot_at == 2000
    cache.set_state(view_key("halaman"), {"url": "http://127.0.0.1:9/b", "scroll": [0, 640], "at": 1500})
    sent = build_scene(cfg, cache, "w", now=5000).panels["halaman"]
    assert (sent.url, sent.scroll, sent.sent_at) == ("http://127.0.0.1:9/b", (0.0, 640.0), 1500.0)
    # a replay of 1200: the page as configured then, and the snapshot taken at 1000
    then = build_scene(cfg, cache, "w", as_of=1200).panels["halaman"]
    assert not then.live and then.url == "http://127.0.0.1:9/a" and then.snapshot_at == 1000
    # a view for another host (config changed since) is ignored
    cache.set_state(view_key("halaman"), {"url": "http://elsewhere.example/", "at": 1500})
    assert build_scene(cfg, cache, "w", now=5000).panels["halaman"].url == "http://127.0.0.1:9/a"
