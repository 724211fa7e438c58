"""Application checks through the real Collector, `collect --once`, `commandcenter apps`, replay
(`as_of`) and the ticker of every scene."""

import io
import json
import time
from argparse import Namespace

from commandcenter.cache import Cache
from commandcenter.checks import metrics as M
from commandcenter.checks.status import board
from commandcenter.collector import Collector
from commandcenter.collector.service import run_collect
from commandcenter.collector.apps_report import run_apps
from commandcenter.wall.queries import build_scene
from tests.checks.test_cycle import app, write_apps


def test_collector_schedules_checks_and_a_console_request_is_heard(config_copy, web, tmp_path):
    base = f"http://127.0.0.1:{web.port}"
    cfg = write_apps(config_copy, [app(1, f"{base}/ok"), app(2, f"{base}/error")], defaults={"interval": "1h", "timeout": "2s"})
    cfg.sources = [s.model_copy(update={"enabled": False}) for s in cfg.sources]
    cache = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city=cfg.city_key)
    collector = Collector(cfg, cache)
    collector.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(cache.latest(M.UP)) < 2:
            time.sleep(0.1)
        first = {v.dim: v for v in cache.latest(M.UP)}
        assert first["app-1"].value == 1.0 and first["app-2"].value == 0.0
        from commandcenter.collector.apps import REQUESTS_KEY

        cache.set_state(REQUESTS_KEY, {"app-1": time.time()})  # what the console's "check now" writes
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(cache.runs(M.SOURCE)) < 2:
            time.sleep(0.1)
        runs = cache.runs(M.SOURCE)
        assert len(runs) >= 2 and runs[0].message.startswith("1 application checks")  # only app-1, within its hour
    finally:
        collector.shutdown()
        cache.close()


def test_collect_once_and_the_apps_command(config_copy, web, tmp_path):
    base = f"http://127.0.0.1:{web.port}"
    write_apps(config_copy, [app(1, f"{base}/ok"), app(2, f"{base}/maintenance", opd="bkd") | {
        "check": {"kind": "http", "url": f"{base}/maintenance", "keyword": "Masuk"}}])
    _without_sources(config_copy)
    db = f"sqlite:///{tmp_path / 'once.sqlite'}"
    args = Namespace(config=str(config_copy), db=db, once=True)
    out = io.StringIO()
    # a city without any source still checks its applications
    code = run_collect(args, out)
    assert code == 0 and "2 applications checked, 1 down: app-2" in out.getvalue()
    out = io.StringIO()
    assert run_apps(Namespace(config=str(config_copy), db=db, json=True, check=False), out) == 0
    report = json.loads(out.getvalue())
    states = {a["id"]: (a["state"], a["reason"]) for a in report["apps"]}
    assert states["app-1"] == ("up", "") and states["app-2"][0] == "down"
    assert states["app-2"][1] == "kata kunci tidak ditemukan"  # the words; the check's own message is the detail
    assert "keyword 'Masuk' not found" in report["apps"][1]["detail"]
    assert report["apps"][0]["uptime"]["day"] is None or report["apps"][0]["uptime"]["day"] == 1.0
    assert [i["app"] for i in report["incidents"]] == ["app-2"] and report["incidents"][0]["end"] is None


def _without_sources(config_dir):
    """No department source: every scene of the demo becomes one text panel (no metric to feed)."""
    import re

    ids = re.findall(r"^  - id: ([a-z0-9-]+)$", (config_dir / "scenes.yaml").read_text(encoding="utf-8"), re.M)
    scenes = ["version: 1", "scenes:"] + [f"  - {{id: {i}, title: {i}, panels: [{{id: t, type: text, cell: [0, 0, 4, 2]}}]}}"
                                          for i in ids]
    (config_dir / "scenes.yaml").write_text("\n".join(scenes) + "\n", encoding="utf-8")
    (config_dir / "sources.yaml").write_text("version: 1\nsources: []\n", encoding="utf-8")


def test_replay_and_ticker(config_copy, web, tmp_path):
    from commandcenter.collector.apps import AppChecker

    base = f"http://127.0.0.1:{web.port}"
    now = [time.time() - 600]
    cfg = write_apps(config_copy, [app(1, f"{base}/switch")], alerts={"down_after": 5})
    cache = Cache.open(f"sqlite:///{tmp_path / 'r.sqlite'}", city=cfg.city_key)
    checker = AppChecker(cfg, cache, clock=lambda: now[0])
    web.switch = "down"
    checker.run_once()
    down_at = now[0]
    scene = build_scene(cfg, cache, "ringkasan", now=now[0] + 1)
    items = [i for i in scene.footer.items if i.kind == "app-down"]
    assert len(items) == 1 and items[0].text.startswith("Aplikasi 1 tidak tersedia sejak") and "HTTP 500" in items[0].text
    now[0] += 120
    web.switch = "up"
    checker.run_once()
    scene = build_scene(cfg, cache, "ringkasan", now=now[0] + 1)
    texts = [i.text for i in scene.footer.items if i.kind.startswith("app-")]
    assert texts == ["Aplikasi 1 pulih setelah 2 menit (HTTP 500)"]
    # replay: what the board said right after the failed check
    past = board(cfg, cache, as_of=down_at + 1)
    assert past[0].state == "down" and past[0].reason == "HTTP 500"
    assert board(cfg, cache, now=now[0] + 1)[0].state == "up"
    checker.shutdown()
    cache.close()


def test_ticker_says_a_keyword_failure_in_the_wall_language_only(config_copy, web, tmp_path):
    """The page answers 200 without its keyword. The Indonesian wall's ticker gives the reason in
    Indonesian with none of the check's raw English ("keyword 'Masuk' not found in the page"); the
    English wall says it in English; the raw message stays for the console (the board's detail)."""
    import re

    from commandcenter.collector.apps import AppChecker

    base = f"http://127.0.0.1:{web.port}"
    now = time.time()
    cfg = write_apps(config_copy, [app(1, f"{base}/maintenance") | {
        "check": {"kind": "http", "url": f"{base}/maintenance", "keyword": "Masuk"}}], alerts={"down_after": 5})
    cache = Cache.open(f"sqlite:///{tmp_path / 'k.sqlite'}", city=cfg.city_key)
    checker = AppChecker(cfg, cache, clock=lambda: now)
    try:
        (result,) = checker.run_once().values()
        raw = result.message
        assert "not found" in raw  # the check's own words, English and technical
        raw_words = {w.lower() for w in re.findall(r"[A-Za-z]+", raw)}

        def ticker(lang: str) -> str:
            scene = build_scene(cfg, cache, "ringkasan", now=now + 1, lang=lang)
            (item,) = [i for i in scene.footer.items if i.kind == "app-down"]
            return item.text

        wall_id = ticker("id")
        assert wall_id.startswith("Aplikasi 1 tidak tersedia sejak ") and wall_id.endswith(": kata kunci tidak ditemukan")
        leaked = raw_words & {w.lower() for w in re.findall(r"[A-Za-z]+", wall_id)}
        assert leaked == set(), f"the Indonesian wall shows the check's raw English: {sorted(leaked)} in {wall_id!r}"
        wall_en = ticker("en")
        assert wall_en.startswith("Aplikasi 1 down since ") and wall_en.endswith(": keyword not found")
        assert not {"tidak", "kata", "kunci", "ditemukan", "sejak"} & set(wall_en.lower().split())
        (st,) = board(cfg, cache, now=now + 1)
        assert st.reason == "kata kunci tidak ditemukan" and st.detail == raw  # the console shows both
    finally:
        checker.shutdown()
        cache.close()
