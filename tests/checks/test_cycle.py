"""Application checks in the collector with a real SQLite cache: a cycle with misbehaving servers
finishes on time, results become values, and the read models, alerts and KPI follow from them."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import json

from commandcenter.cache import Cache
from commandcenter.checks import metrics as M
from commandcenter.checks.status import board
from commandcenter.checks.upkeep import maintain_apps, write_availability
from commandcenter.checks.uptime import daily, daily_ratios, incidents, recovery_by_opd, uptime
from commandcenter.collector.apps import AppChecker, samples_for
from commandcenter.checks.base import CheckResult
from commandcenter.config import load_config

TZ = ZoneInfo("Asia/Jakarta")


def write_apps(config_dir, apps, **top):
    doc = {"version": 1, "availability_metric": "ketersediaan_aplikasi", "defaults": {"interval": "1m", "timeout": "1.5s"},
           **top, "apps": apps}
    (config_dir / "apps.yaml").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return load_config(config_dir)


def app(i, url, opd="diskominfo", **extra):
    return {"id": f"app-{i}", "opd": opd, "name": f"Aplikasi {i}", "check": {"kind": "http", "url": url}, **extra}


@pytest.fixture
def city(config_copy, web, tmp_path):
    def make(apps, **top):
        cfg = write_apps(config_copy, apps, **top)
        cache = Cache.open(f"sqlite:///{tmp_path / 'apps.sqlite'}", city=cfg.city_key)
        return cfg, cache
    return make


def test_a_cycle_with_bad_servers_finishes_on_time(city, web):
    base = f"http://127.0.0.1:{web.port}"
    good = [app(i, f"{base}/ok") for i in range(12)]
    bad = [app("drip", f"{base}/drip"), app("endless", f"{base}/endless"), app("loop", f"{base}/loop"),
           app("silent", f"{base}/silent")]
    cfg, cache = city(bad + good, defaults={"interval": "1h", "timeout": "3s"})  # one cycle, whatever the minute
    checker = AppChecker(cfg, cache)
    started = time.monotonic()
    assert checker.tick() == 16
    done_at = {}
    while time.monotonic() - started < 6.0 and len(done_at) < 16:
        checker.tick()
        for st in board(cfg, cache):
            if st.last_check is not None and st.id not in done_at:
                done_at[st.id] = time.monotonic() - started
        time.sleep(0.05)
    assert len(done_at) == 16, done_at
    assert sorted(done_at.values())[11] < 2.0  # 12 results written well before the bad ones' deadline (3 s)
    assert 2.9 < max(done_at.values()) < 3.0 + 1.0 + 0.5  # the deadline + one flush interval
    states = {st.id: (st.state, st.reason) for st in board(cfg, cache)}
    details = {st.id: st.detail for st in board(cfg, cache)}  # the check's own message, for the console
    assert states["app-drip"][0] == "down" and "batas waktu" in states["app-drip"][1] and "3 s" in details["app-drip"]
    assert states["app-endless"][0] == "down" and "terlalu besar" in states["app-endless"][1]
    assert states["app-loop"][0] == "down" and "pengalihan" in states["app-loop"][1]
    assert states["app-silent"][0] == "down"
    assert all(states[f"app-{i}"] == ("up", "") for i in range(12)), [v for k, v in states.items() if v != ("up", "")]
    good_ms = [st.latency_ms for st in board(cfg, cache) if not st.id.startswith("app-") or st.id[4:].isdigit()]
    assert len(good_ms) == 12 and max(good_ms) < 1000  # the good ones did not wait for the bad
    runs = cache.runs(M.SOURCE)
    assert runs and "16 application checks" in " ".join(r.message for r in runs) or sum(
        int(r.message.split()[0]) for r in runs) == 16
    checker.shutdown()


def test_values_alerts_and_maintenance(city, web):
    base = f"http://127.0.0.1:{web.port}"
    now = [datetime(2026, 12, 1, 10, 0, tzinfo=TZ).timestamp()]  # a Tuesday
    cfg, cache = city([app(1, f"{base}/switch"),
                       app(2, f"{base}/error", maintenance=[{"weekdays": ["tue"], "from": "09:00", "to": "11:00"}]),
                       app(3, f"{base}/slow?s=0.3", alerts={"latency_ms": 100, "cert_days": 14})],
                      alerts={"down_after": 3})
    checker = AppChecker(cfg, cache, clock=lambda: now[0])
    web.switch = "down"
    for _ in range(3):
        checker.run_once()
        maintain_apps(cfg, cache, now=now[0])
        now[0] += 60
    st = {s.id: s for s in board(cfg, cache, now=now[0])}
    assert st["app-1"].state == "down" and st["app-1"].fails == 3 and st["app-1"].reason.startswith("HTTP 500")
    assert st["app-2"].state == "maintenance" and "09.00-11.00" in st["app-2"].reason
    assert st["app-3"].state == "degraded" and "lambat" in st["app-3"].reason
    keys = {a.key: a for a in cache.alerts()}
    assert set(keys) == {"aplikasi-mati|app-1", "aplikasi-lambat|app-3"}  # maintenance suppressed app-2
    assert keys["aplikasi-mati|app-1"].opd == "diskominfo"
    # app-2 in maintenance: its checks are app_maint values, never app_up or app_fail
    assert [v.dim for v in cache.latest(M.MAINT)] == ["app-2"]
    assert "app-2" not in {v.dim for v in cache.latest(M.UP)}
    # acknowledge, then recovery resolves
    assert cache.ack_alert(keys["aplikasi-mati|app-1"].id, by="op")
    web.switch = "up"
    checker.run_once()
    maintain_apps(cfg, cache, now=now[0])
    assert "aplikasi-mati|app-1" not in {a.key for a in cache.alerts()}
    inc = incidents(cfg, cache, start=now[0] - 3600, now=now[0])
    assert len(inc) == 1 and inc[0].app == "app-1" and inc[0].checks == 3 and inc[0].reason == "HTTP 500"
    assert inc[0].end == pytest.approx(now[0], abs=1) and inc[0].duration(now[0]) == pytest.approx(180, abs=1)
    assert recovery_by_opd(inc) == {"diskominfo": pytest.approx(180, abs=1)}
    checker.shutdown()


def test_uptime_per_day_month_and_the_kpi(city):
    cfg, cache = city([app(1, "http://127.0.0.1:9/", opd="bkd"), app(2, "http://127.0.0.1:9/", opd="bkd")],
                      )
    a1, a2 = [a for a in cfg.extra["apps"].apps]
    day0 = datetime(2026, 11, 1, 0, 0, tzinfo=TZ).timestamp()
    samples = []
    for minute in range(0, 3 * 1440, 10):  # three local days, a check every 10 minutes
        ts = int(day0 + minute * 60)
        samples += samples_for(a1, CheckResult(True, 50.0), ts, False)
        down = 1440 <= minute < 1440 + 360  # app 2 down for 6 h on the second day
        samples += samples_for(a2, CheckResult(not down, 50.0, 0 if not down else 503), ts, False)
    cache.write_samples(M.SOURCE, samples)
    cache.rollup()
    now = day0 + 3 * 86400 - 1
    days = daily(cfg, cache, days=3, now=now)
    assert [d.ratio for d in days["app-1"]] == [1.0, 1.0, 1.0]
    assert [round(d.ratio, 4) for d in days["app-2"]] == [1.0, 0.75, 1.0]
    assert datetime.fromtimestamp(days["app-2"][1].day, TZ).strftime("%d %H:%M") == "02 00:00"  # local days
    first, ratios = daily_ratios(cfg, cache, days=4, now=now)  # the wall's form: plain floats
    assert first == days["app-1"][0].day - 86400 and [round(x, 4) if x else x for x in ratios["app-2"]] == [None, 1.0, 0.75, 1.0]
    month = uptime(cfg, cache, day0, now)
    assert month["app-1"] == 1.0 and month["app-2"] == pytest.approx(1 - 36 / 432)
    assert write_availability(cfg, cache, now, force=True) == 1
    kpi = cache.latest("ketersediaan_aplikasi", opds=["bkd"])
    assert kpi[0].value == pytest.approx(100 * (1 + 1 - 36 / 432) / 2, abs=0.01) and kpi[0].period == "2026-11"


def test_an_open_application_alert_says_the_reason_as_it_is_now(city, web):
    """An alert fired with other words (an older reason, or an older version's wording) keeps its
    id, state and fire time, and the ticker says the reason the checks give now."""
    base = f"http://127.0.0.1:{web.port}"
    now = [datetime(2026, 12, 1, 10, 0, tzinfo=TZ).timestamp()]
    cfg, cache = city([app(1, f"{base}/switch")], alerts={"down_after": 1})
    old = cache.fire_alert("aplikasi-mati|app-1", "aplikasi-mati", "critical",
                           "Aplikasi App 1 tidak tersedia: keyword 'Masuk' not found in the page", now=now[0] - 600)
    checker = AppChecker(cfg, cache, clock=lambda: now[0])
    web.switch = "down"
    checker.run_once()
    maintain_apps(cfg, cache, now=now[0])
    (alert,) = [a for a in cache.alerts(("firing", "acknowledged")) if a.key == "aplikasi-mati|app-1"]
    assert (alert.id, alert.fired_at) == (old.id, old.fired_at)
    assert "HTTP 500" in alert.message and "not found" not in alert.message
    checker.shutdown()
