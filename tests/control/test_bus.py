"""The command bus on real caches: SQLite files and a real PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import threading
import time

import pytest

from commandcenter.cache import Cache
from commandcenter.control import CommandBus, CommandError, WallEndpoint
from tests.deploy.pgdb import pg_db
from tests.pg_server import pg_url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, db_url):
    return db_url if request.param == "sqlite" else request.getfixturevalue("pg_db")


def test_commands_reach_their_wall_once_and_are_audited_with_the_sender(url):
    console_cache, wall_cache = Cache.open(url, city="1275"), Cache.open(url, city="1275")
    try:
        old = CommandBus(console_cache, actor="a@desk").send("next")  # before the wall started
        wall = WallEndpoint(wall_cache, "utama")
        bus = CommandBus(console_cache, actor="sari@meja-1")
        woke = threading.Event()
        watcher = wall.watch(lambda _p: woke.set(), interval=0.1)
        try:
            assert watcher.wait_connected(10)
            c1 = bus.send("show_scene", wall="utama", scene="ringkasan")
            c2 = bus.send("pause")  # every wall
            bus.send("next", wall="lain")  # another wall's
            assert woke.wait(5)
        finally:
            watcher.close()
        cmds = wall.take()
        assert [(c.id, c.verb, c.args, c.actor) for c in cmds] == [
            (c1, "show_scene", {"scene": "ringkasan"}, "sari@meja-1"), (c2, "pause", {}, "sari@meja-1")]
        assert old not in [c.id for c in cmds] and wall.take() == []
        wall.done(cmds[0])
        done = bus.wait_done(c1, timeout=2)
        assert done is not None and done.done_by == "utama" and done.result == "ok"
        audit = console_cache.audit_log(action="command")
        assert audit[1].actor == "sari@meja-1" and audit[1].detail["verb"] == "pause"
    finally:
        console_cache.close()
        wall_cache.close()


def test_walls_report_heartbeat_state_and_thumbnails_and_fall_silent(url):
    cache = Cache.open(url, city="1275")
    try:
        wall = WallEndpoint(cache, "utama")
        wall.report({"scene": "ringkasan", "blank": False}, thumbs={0: b"\x89PNG-a", 1: b"\x89PNG-b"})
        bus = CommandBus(cache, silent_after=2.0)
        [view] = bus.walls()
        assert (view.name, view.state["scene"], view.silent) == ("utama", "ringkasan", False)
        assert view.state["pid"] > 0 and view.state["host"]
        assert bus.walls(now=time.time() + 3)[0].silent
        assert {k: v[0] for k, v in cache.wall_thumbs("utama").items()} == {0: b"\x89PNG-a", 1: b"\x89PNG-b"}
    finally:
        cache.close()


def test_a_malformed_command_is_refused_before_it_is_queued(cache):
    bus = CommandBus(cache)
    with pytest.raises(CommandError, match="missing scene"):
        bus.send("show_scene")
    with pytest.raises(CommandError, match="unknown command"):
        bus.send("self_destruct")
    assert cache.last_command_id() == 0
