"""The rotation state machine on a fake clock: order, dwell, schedule, interrupts, overrides."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter.config.schema import PlaylistsFile
from commandcenter.wall.rotation import INTERRUPT, MANUAL, OVERRIDE, PAUSED, ROTATION, Rotation, until_time_of_day

WIB = ZoneInfo("Asia/Jakarta")


def load_demo(tmp_dir):
    """The demo city's config; while config/sources.yaml has not landed, a stand-in source feeds
    every metric so the cross-checks pass (the rotation never looks at sources)."""
    import json
    import shutil
    from pathlib import Path

    from ruamel.yaml import YAML

    from commandcenter.config import load_config

    root = Path(__file__).resolve().parents[2] / "config"
    if (root / "sources.yaml").is_file():
        return load_config(root)
    dest = Path(tmp_dir) / "config"
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns("examples"))
    metrics = [m["id"] for m in YAML(typ="safe").load((root / "metrics.yaml").read_text())["metrics"]]
    source = {"id": "stand-in", "type": "http_json", "name": "stand-in", "schedule": {"every": "5m"},
              "metrics": metrics, "options": {"url": "http://127.0.0.1:9/x", "samples": [
                  {"records": "data", "opd_field": "opd", "ts_field": "ts", "values": {m: m for m in metrics}}]}}
    (dest / "sources.yaml").write_text(json.dumps({"version": 1, "sources": [source]}))
    return load_config(dest)


@pytest.fixture(scope="module")
def demo_config(tmp_path_factory):
    return load_demo(tmp_path_factory.mktemp("cfg"))


def at(text: str) -> float:
    """'2025-07-01 09:00' in Binjai time -> epoch seconds."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M") \
        .replace(tzinfo=WIB).timestamp()


class Clock:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


@dataclasses.dataclass
class Alert:
    opd: str
    severity: str = "critical"
    id: int = 7
    rule: str = ""


def with_playlists(cfg, **changes):
    data = cfg.playlists.model_dump(by_alias=True)
    data.update(changes)
    return dataclasses.replace(cfg, playlists=PlaylistsFile.model_validate(data))


def test_office_hours_cycle_order_and_dwell(demo_config):
    t0 = at("2025-07-01 09:00")  # a Tuesday
    rot = Rotation(demo_config, Clock(t0))
    shown = []
    t = t0
    for _ in range(6):
        d = rot.tick(t)
        shown.append((d.scene_id, d.next_change_at - t))
        t = d.next_change_at
    assert shown == [("ringkasan", 60), ("anggaran", 45), ("layanan", 45), ("sumber-data", 20),
                     ("ringkasan", 60), ("anggaran", 45)]
    assert rot.tick(t0 + 61).reason == ROTATION and rot.tick(t0 + 61).playlist_id == "jam-kerja"


def test_schedule_office_evening_weekend_holiday_and_monday_meeting(demo_config):
    rot = Rotation(demo_config, Clock(at("2025-07-01 09:00")))
    assert rot.scheduled_playlist(at("2025-07-01 16:29")) == "jam-kerja"
    assert rot.scheduled_playlist(at("2025-07-01 16:30")) == "malam"
    assert rot.scheduled_playlist(at("2025-07-01 07:29")) == "malam"
    assert rot.scheduled_playlist(at("2025-07-05 10:00")) == "malam"  # Saturday
    assert rot.scheduled_playlist(at("2025-06-30 08:30")) == "rapat-mingguan"  # Monday meeting first
    assert rot.scheduled_playlist(at("2025-06-30 10:00")) == "jam-kerja"
    assert rot.scheduled_playlist(at("2025-06-27 10:00")) == "malam"  # a Friday that is a holiday


def test_schedule_switch_happens_at_the_boundary(demo_config):
    t0 = at("2025-07-01 16:29:30")
    rot = Rotation(demo_config, Clock(t0))
    d = rot.tick(t0)
    assert (d.playlist_id, d.scene_id) == ("jam-kerja", "ringkasan")
    assert d.next_change_at == at("2025-07-01 16:30")  # the schedule switch comes before the dwell ends
    d = rot.tick(d.next_change_at)
    assert (d.playlist_id, d.scene_id, d.index) == ("malam", "ringkasan", 0)
    assert d.next_change_at == at("2025-07-01 16:32")  # malam's 120 s


def test_holiday_rule_and_overnight_rule(demo_config):
    cfg = with_playlists(demo_config, schedule=[
        {"playlist": "rapat-mingguan", "days": ["holiday"], "from": "08:00", "to": "12:00"},
        {"playlist": "jam-kerja", "days": ["sat"], "from": "22:00", "to": "06:00"},
    ])
    rot = Rotation(cfg, Clock(at("2025-06-27 09:00")))
    assert rot.tick().playlist_id == "rapat-mingguan"
    assert rot.scheduled_playlist(at("2025-07-04 09:00")) == "malam"  # an ordinary Friday
    assert rot.scheduled_playlist(at("2025-07-05 23:00")) == "jam-kerja"
    assert rot.scheduled_playlist(at("2025-07-06 05:59")) == "jam-kerja"  # Sunday morning, same night
    assert rot.scheduled_playlist(at("2025-07-06 06:00")) == "malam"


def test_alert_interrupts_then_resumes_with_the_dwell_left(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    rot.tick(t0)
    d = rot.interrupt(Alert("rsud"), now=t0 + 20)
    assert (d.scene_id, d.reason, d.alert_id, d.next_change_at) == ("detail-rsud", INTERRUPT, 7, t0 + 80)
    assert rot.tick(t0 + 79).scene_id == "detail-rsud"
    d = rot.tick(t0 + 80)
    assert (d.scene_id, d.reason, d.next_change_at) == ("ringkasan", ROTATION, t0 + 120)  # 40 s were left
    assert rot.tick(t0 + 120).scene_id == "anggaran"


def test_interrupt_rules(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    assert rot.interrupt(Alert("rsud", severity="warning")) is None  # only critical by config
    assert rot.interrupt(Alert("dinsos")) is None  # no detail scene for that OPD
    rot.override("anggaran")
    assert rot.interrupt(Alert("rsud")) is None  # the operator's pin wins
    cfg = with_playlists(demo_config, interrupt={"scene": "sumber-data", "duration": "2m", "severities": ["warning"]})
    rot = Rotation(cfg, Clock(t0))
    d = rot.interrupt(Alert("rsud", severity="warning"))
    assert (d.scene_id, d.next_change_at) == ("sumber-data", t0 + 120)


def test_a_source_failure_interrupts_only_when_alerts_yaml_asks(demo_config):
    """A hospital server's HTTP 500 (rule sumber-gagal, critical) leaves the room's scene alone."""
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    rot.tick(t0)
    assert rot.interrupt(Alert("rsud", rule="sumber-gagal"), now=t0 + 5) is None
    alerts = demo_config.extra["alerts"]
    asks = alerts.model_copy(update={"rules": [r.model_copy(update={"interrupt": True}) if r.id == "sumber-gagal" else r
                                               for r in alerts.rules]})
    cfg = dataclasses.replace(demo_config, extra={**demo_config.extra, "alerts": asks})
    rot = Rotation(cfg, Clock(t0))
    rot.tick(t0)
    assert rot.interrupt(Alert("rsud", rule="sumber-gagal"), now=t0 + 5).scene_id == "detail-rsud"


def test_override_until_and_release(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    d = rot.override("detail-bpkad", until=t0 + 600)
    assert (d.scene_id, d.reason, d.next_change_at) == ("detail-bpkad", OVERRIDE, t0 + 600)
    assert rot.tick(t0 + 599).scene_id == "detail-bpkad"
    assert rot.tick(t0 + 600).reason == ROTATION
    rot.override("detail-bpkad")
    assert rot.tick(t0 + 10_000).scene_id == "detail-bpkad"  # no end: pinned until released
    assert rot.release(t0 + 10_000).reason == ROTATION
    with pytest.raises(KeyError):
        rot.override("no-such-scene")


def test_pinned_playlist_ignores_the_schedule(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    d = rot.override(playlist_id="rapat-mingguan", until=until_time_of_day(t0, "11:00", "Asia/Jakarta"))
    assert (d.playlist_id, d.scene_id, d.next_change_at) == ("rapat-mingguan", "ringkasan", t0 + 300)
    assert rot.tick(t0 + 300).scene_id == "anggaran"
    d = rot.tick(at("2025-07-01 11:00"))
    assert d.playlist_id == "jam-kerja"


def test_next_previous_pause_play(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    d = rot.next(t0 + 10)
    assert (d.scene_id, d.reason, d.next_change_at) == ("anggaran", MANUAL, t0 + 55)
    assert rot.previous(t0 + 12).scene_id == "ringkasan"
    assert rot.previous(t0 + 13).scene_id == "sumber-data"  # wraps around
    d = rot.pause(t0 + 20)  # 13 s left of sumber-data's 20
    assert (d.scene_id, d.reason, d.next_change_at) == ("sumber-data", PAUSED, None)
    assert rot.tick(t0 + 5000).scene_id == "sumber-data"
    d = rot.play(t0 + 5000)
    assert (d.scene_id, d.next_change_at) == ("sumber-data", t0 + 5013)
    assert rot.show("layanan", t0 + 5001).scene_id == "layanan"


def test_long_sleep_skips_whole_cycles(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    rot.tick(t0)
    d = rot.tick(t0 + 170 * 1000 + 61)  # 1000 cycles of 170 s, then 61 s into the next
    assert d.scene_id == "anggaran"


def test_snapshot_restore_round_trip(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    rot.next(t0)
    rot.interrupt(Alert("bpkad"), now=t0 + 5)
    state = rot.snapshot(t0 + 10)
    again = Rotation(demo_config, Clock(t0 + 30))
    d = again.restore(state, t0 + 30)
    assert (d.scene_id, d.reason, d.next_change_at) == ("detail-bpkad", INTERRUPT, t0 + 65)
    d = again.tick(t0 + 65)
    assert (d.scene_id, d.next_change_at) == ("anggaran", t0 + 65 + 40)
    assert Rotation(demo_config, Clock(t0)).restore({"playlist": "gone"}, t0).playlist_id == "jam-kerja"


def test_operator_dwell_applies_now_and_survives_restore(demo_config):
    t0 = at("2025-07-01 09:00")
    rot = Rotation(demo_config, Clock(t0))
    rot.tick(t0)
    d = rot.set_dwell(0, 90, t0 + 10)  # ringkasan: 60 s -> 90 s, already 10 s on the wall
    assert d.next_change_at == t0 + 90
    assert rot.playlist_items()[0] == ("ringkasan", 90.0)
    again = Rotation(demo_config, Clock(t0))
    again.restore(rot.snapshot(t0 + 90), t0 + 90)
    assert again.tick(t0 + 90).scene_id == "anggaran"
    assert again.playlist_items()[0] == ("ringkasan", 90.0)
    with pytest.raises(ValueError):
        rot.set_dwell(1, 0)
