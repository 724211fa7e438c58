"""The `web` panel with real pages served on 127.0.0.1 and a real Qt WebEngine (offscreen).

Needs the `web` extra (PySide6-Addons); the README's test command installs it.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets", reason="the `web` extra (PySide6-Addons) is not installed")

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen plugin, dialogs
RED, BLUE = "#e11d48", "#2563eb"


class Site:
    """A small web application on 127.0.0.1 (or another loopback host), with a request log."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.color = RED
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                if self.path == "/slow":
                    time.sleep(6)  # accepts, never answers in time
                body, ctype, extra = site.page(self.path)
                self.send_response(500 if self.path == "/broken" else 200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *a: None  # a browser that gave up on /slow is not news
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.other = ""  # a URL on another host, linked from some pages

    def page(self, path: str) -> tuple[bytes, str, dict[str, str]]:
        if path.startswith("/file.csv"):
            return b"a,b\n1,2\n", "text/csv", {"Content-Disposition": "attachment; filename=data.csv"}
        script = {
            "/leave": f"setTimeout(() => {{ location.href = '{self.other}/elsewhere'; }}, 50);",
            "/popup": f"setTimeout(() => {{ document.getElementById('a').click();"
                      f" window.open('{self.url}/opened'); }}, 50);",
            "/download": "setTimeout(() => { location.href = '/file.csv'; }, 50);",
            "/dialog": "setTimeout(() => { alert('hi'); }, 50);",
            "/permission": "setTimeout(() => { navigator.geolocation.getCurrentPosition(() => {}, () => {}); }, 50);",
        }.get(path, "")
        html = (f"<!DOCTYPE html><html><body style='margin:0;background:{self.color}'>"
                f"<a id='a' href='{self.url}/opened' target='_blank'>x</a>"
                f"<img src='{self.other}/pixel.png'><div style='height:4000px'></div>"
                f"<script>{script}</script></body></html>")
        return html.encode(), "text/html; charset=utf-8", {}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    other = Site("127.0.0.2")
    s.other = other.url
    s.elsewhere = other
    yield s
    s.stop()
    other.stop()


def make_panel(qtbot, cfg, url: str, **options):
    from commandcenter.config.schema.scenes import Panel as PanelSpec
    from commandcenter.ui.panels import registry
    from commandcenter.ui.panels.base import PanelContext
    from commandcenter.wall.web import WebModel

    spec = PanelSpec.model_validate({"id": "halaman", "type": "web", "cell": [0, 0, 8, 6], "title": "Dasbor",
                                     "options": {"url": url, "allowed_hosts": ["127.0.0.1"], **options}})
    panel = registry.create(spec, PanelContext(cfg, "id", 1.0))
    qtbot.addWidget(panel)
    panel.resize(640, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, WebModel("Dasbor", url)


def body_pixel(panel):
    r = panel.body_rect()
    return panel.grab().toImage().pixelColor(int(r.center().x()), int(r.center().y())).name()


def test_page_renders_into_the_panel_with_the_login_header_to_its_host_only(qtbot, wall_config, site, monkeypatch):
    monkeypatch.setenv("DASBOR_TOKEN", "rahasia-123")
    monkeypatch.setenv("DASBOR_SID", "sesi-456")
    panel, model = make_panel(qtbot, wall_config, site.url + "/",
                              header={"name": "Authorization", "value": "Bearer ${DASBOR_TOKEN}"},
                              cookie={"name": "sid", "value": "${DASBOR_SID}"})
    with qtbot.waitSignal(panel.rendered, timeout=20000):
        panel.set_model(model)
    assert body_pixel(panel) == RED
    # the page scaled to the panel: laid out 1280 CSS px wide, shown in the body's width
    assert panel.view.zoomFactor() == pytest.approx(panel.body_rect().toAlignedRect().width() / 1280, rel=0.01)
    page_requests = [h for p, h in site.requests if p == "/"]
    assert page_requests and page_requests[0]["authorization"] == "Bearer rahasia-123"
    assert page_requests[0]["cookie"] == "sid=sesi-456"
    # the wall's one shared profile, off the record (nothing of the session written to disk)
    assert panel.page.profile().isOffTheRecord()
    # the image on another host is blocked before it leaves: no request, no header sent there
    assert site.elsewhere.requests == []
    assert any("127.0.0.2" in u for u in panel.interceptor.blocked)


def test_link_to_another_host_is_not_followed(qtbot, wall_config, site):
    panel, model = make_panel(qtbot, wall_config, site.url + "/leave")
    with qtbot.waitSignal(panel.refused, timeout=20000,
                          check_params_cb=lambda what, detail: what == "navigation") as sig:
        panel.set_model(model)
    assert "127.0.0.2" in sig.args[1]
    qtbot.waitUntil(lambda: panel.last_good is not None, timeout=20000)
    assert panel.page.url().toString() == site.url + "/leave"
    assert site.elsewhere.requests == []
    assert body_pixel(panel) == RED


def test_popup_download_and_dialog_are_refused(qtbot, wall_config, site):
    from PySide6.QtWidgets import QApplication

    windows = set(QApplication.topLevelWidgets())
    panel, model = make_panel(qtbot, wall_config, site.url + "/popup")
    seen: list[tuple[str, str]] = []
    panel.refused.connect(lambda what, detail: seen.append((what, detail)))
    panel.set_model(model)
    qtbot.waitUntil(lambda: panel.last_good is not None, timeout=20000)
    qtbot.wait(300)
    assert not any(p.startswith("/opened") for p, _ in site.requests)  # no pop-up ever loaded
    assert set(QApplication.topLevelWidgets()) - windows == {panel}

    panel.url = site.url + "/download"
    with qtbot.waitSignal(panel.refused, timeout=20000, check_params_cb=lambda w, d: w == "download"):
        panel.reload()
    panel.url = site.url + "/dialog"
    with qtbot.waitSignal(panel.refused, timeout=20000, check_params_cb=lambda w, d: w == "dialog"):
        panel.reload()
    panel.url = site.url + "/permission"
    with qtbot.waitSignal(panel.refused, timeout=20000, check_params_cb=lambda w, d: w == "permission"):
        panel.reload()
    assert panel.page.url().toString() == site.url + "/permission"  # still the page: nothing navigated away


def test_a_server_that_stops_answering_leaves_the_last_rendering_with_the_tag(qtbot, wall_config, site):
    panel, model = make_panel(qtbot, wall_config, site.url + "/", timeout="5s")
    with qtbot.waitSignal(panel.rendered, timeout=20000):
        panel.set_model(model)
    panel.url = site.url + "/broken"  # the application answers with an error page
    with qtbot.waitSignal(panel.failed, timeout=20000) as sig:
        panel.reload()
    assert sig.args[0].startswith("HTTP 500")
    assert body_pixel(panel) == RED
    panel.url = site.url + "/"
    with qtbot.waitSignal(panel.rendered, timeout=20000):
        panel.reload()  # back to good: the tag goes
    site.stop()  # ... then the server stops answering altogether
    with qtbot.waitSignal(panel.failed, timeout=20000) as sig:
        panel.reload()
    assert "127.0.0.1" in sig.args[0]
    qtbot.waitUntil(lambda: "tag" in panel.shown, timeout=5000)
    assert body_pixel(panel) == RED  # the last good rendering, not Chromium's error page
    assert panel.shown["tag"].startswith("data ") and panel.shown["tag"].endswith("· sumber terganggu")
    from commandcenter.ui import web_status

    assert web_status.STATUS["halaman"]["state"] == "failing"
    # the reason names what failed; no developer error text on the wall itself
    assert "127.0.0.1" in web_status.STATUS["halaman"]["reason"]


def test_snapshot_of_a_past_moment_is_what_an_export_at_that_moment_shows(qtbot, wall_config, site, tmp_path):
    from commandcenter.cache import Cache
    from commandcenter.ui.export import export_scenes
    from commandcenter.wall.web import snapshot_folder, snapshots

    cfg = _with_web_scene(wall_config, site.url + "/")
    panel, model = make_panel(qtbot, cfg, site.url + "/")
    with qtbot.waitSignal(panel.snapshotSaved, timeout=20000):
        panel.set_model(model)
    folder = snapshot_folder(cfg, "halaman")
    (when, path), = snapshots(folder)
    past = when - 3600  # an hour ago the page was red...
    path.rename(folder / f"{int(past)}.png")
    site.color = BLUE  # ... and now it is blue
    with qtbot.waitSignal(panel.rendered, timeout=20000):
        panel.reload()
    with qtbot.waitSignal(panel.snapshotSaved, timeout=20000):
        panel.save_snapshot()
    cache = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city=cfg.city_key)
    try:
        pages = export_scenes(cfg, cache, ["web-uji"], png=str(tmp_path / "then.png"), pdf=str(tmp_path / "then.pdf"),
                              as_of=past + 60)
        now_pages = export_scenes(cfg, cache, ["web-uji"], png=str(tmp_path / "now.png"), as_of=time.time() + 1)
    finally:
        cache.close()
    then_panel, now_panel = pages[0].canvas.panels["halaman"], now_pages[0].canvas.panels["halaman"]
    assert then_panel.model.snapshot_at == int(past) and not then_panel.model.live
    assert body_pixel(then_panel) == RED and body_pixel(now_panel) == BLUE
    assert then_panel.shown["tag"].startswith("Cuplikan ")
    assert then_panel.view is None  # an export never starts a browser
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(tmp_path / "then.pdf")).pages)
    assert then_panel.shown["as_of"] in text  # "Dasbor · Cuplikan <date time>" in the scene's section
    # the written PNG holds the same snapshot: sample the panel's body in the exported image
    from PySide6.QtGui import QImage

    img = QImage(str(tmp_path / "then.png"))
    canvas = pages[0].canvas
    from commandcenter.ui.export_render import HEADER_PX

    r = then_panel.body_rect().translated(then_panel.pos())
    s = img.width() / canvas.width()
    assert img.pixelColor(int(r.center().x() * s), HEADER_PX + int(r.center().y() * s)).name() == RED


def test_frozen_wall_shows_the_snapshot_and_stops_the_browser(qtbot, wall_config, site):
    from dataclasses import replace

    panel, model = make_panel(qtbot, wall_config, site.url + "/")
    with qtbot.waitSignal(panel.snapshotSaved, timeout=20000) as sig:
        panel.set_model(model)
    shot = Path(sig.args[0])
    panel.set_model(replace(model, live=False, snapshot=str(shot), snapshot_at=float(shot.stem)))
    assert panel.view is None
    assert body_pixel(panel) == RED and panel.shown["tag"].startswith("Cuplikan ")


def _with_web_scene(cfg, url: str):
    """The demo config plus a one-panel web scene (scene ids resolve through cfg.scene_by_id)."""
    from commandcenter.config.schema.scenes import Scene

    scene = Scene.model_validate({"id": "web-uji", "title": "Uji", "panels": [
        {"id": "halaman", "type": "web", "cell": [0, 0, 12, 6], "title": "Dasbor",
         "options": {"url": url, "allowed_hosts": ["127.0.0.1"]}}]})
    import copy

    mine = copy.copy(cfg)  # the session's config stays as loaded
    mine.__dict__["scenes"] = [*cfg.scenes, scene]
    mine.__dict__["scene_by_id"] = {**cfg.scene_by_id, "web-uji": scene}
    return mine


@pytest.fixture
def web_wall(qtbot, wall_config, four_screens, site, tmp_path):
    """A real wall (4 offscreen screens, real SQLite cache) showing a scene with one web panel."""
    from commandcenter.cache import Cache
    from commandcenter.ui.controller import WallController

    cfg = _with_web_scene(wall_config, site.url + "/")
    cache = Cache.open(f"sqlite:///{tmp_path / 'wall.sqlite'}", city=cfg.city_key)
    wall = WallController(cfg, cache, poll_ms=100, refresh_ms=0)
    with qtbot.waitSignal(wall.sceneShown, timeout=10_000):
        wall.show_scene("web-uji")
    (panel,) = wall.panel_widgets("halaman")
    qtbot.waitUntil(lambda: panel.last_good is not None, timeout=20000)
    yield cfg, cache, wall, panel
    wall.close()
    cache.close()


def test_console_sends_url_and_scroll_to_the_wall_panel_and_audits_it(qtbot, web_wall, site):
    from commandcenter.ui.web_console import WebConsole

    cfg, cache, wall, panel = web_wall
    dlg = WebConsole(cfg, cache, wall, actor="operator@meja-1", panel="halaman")
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.loaded, timeout=20000, check_params_cb=lambda url: url == site.url + "/"):
        dlg.show()
    with qtbot.waitSignal(dlg.loaded, timeout=20000):
        dlg.page.load(site.url + "/detail")  # the operator clicks through to another page of the site
    with qtbot.waitSignal(dlg.page.scrollPositionChanged, timeout=10000):
        dlg.page.runJavaScript("window.scrollTo(0, 900);")
    with qtbot.waitSignal(dlg.sent, timeout=10000):
        dlg.send_button.click()
    assert cache.get_state("web.view.halaman")["url"] == site.url + "/detail"
    (entry,) = cache.audit_log(limit=1, action="web.view")
    assert entry.actor == "operator@meja-1"
    assert entry.detail == {"panel": "halaman", "url": site.url + "/detail", "scroll": [0, 900]}
    # the wall's panel follows: the new URL, scrolled where the operator left it
    qtbot.waitUntil(lambda: panel.url == site.url + "/detail", timeout=10000)
    qtbot.waitUntil(lambda: panel.page.url().toString() == site.url + "/detail"
                    and panel.page.scrollPosition().y() / panel.view.zoomFactor() == pytest.approx(900, abs=2),
                    timeout=20000)  # scrollPosition is in device pixels: CSS px times the zoom
    # a link elsewhere cannot be sent: the dialog's page is fenced like the wall's
    with qtbot.waitSignal(dlg.page.refused, timeout=10000):
        dlg.page.runJavaScript(f"location.href = '{site.other}/x';")
    dlg.close()


def test_freezing_the_wall_shows_the_snapshot_of_that_moment(qtbot, web_wall, site):
    from commandcenter.wall.web import snapshot_folder, snapshots

    cfg, cache, wall, panel = web_wall
    qtbot.waitUntil(lambda: bool(snapshots(snapshot_folder(cfg, "halaman"))), timeout=10000)
    ((when, _path),) = snapshots(snapshot_folder(cfg, "halaman"))
    with qtbot.waitSignal(wall.dataApplied, timeout=10000):
        wall.freeze(when + 30)
    qtbot.waitUntil(lambda: panel.view is None, timeout=5000)
    assert body_pixel(panel) == RED  # the snapshot, painted
    assert panel.model.snapshot_at == when and panel.shown["tag"].startswith("Cuplikan ")
    with qtbot.waitSignal(wall.dataApplied, timeout=10000):
        wall.unfreeze()
    qtbot.waitUntil(lambda: panel.view is not None, timeout=5000)


def test_a_certificate_error_is_refused_and_the_page_not_shown(qtbot, wall_config, site, tmp_path):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    secure = Site()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    secure.server.socket = ctx.wrap_socket(secure.server.socket, server_side=True)
    url = secure.url.replace("http://", "https://") + "/"
    try:
        panel, model = make_panel(qtbot, wall_config, url)
        seen: list[str] = []
        panel.refused.connect(lambda what, detail: seen.append(what))
        with qtbot.waitSignal(panel.failed, timeout=20000):
            panel.set_model(model)
        assert "certificate" in seen  # a self-signed certificate is never accepted
        assert panel.last_good is None and not any(p == "/" for p, _ in secure.requests)
    finally:
        secure.stop()


def test_a_timeout_and_an_unexpected_page_count_as_failures(qtbot, wall_config, site):
    panel, model = make_panel(qtbot, wall_config, site.url + "/", timeout="2s", expect_text="Dasbor Pengaduan")
    with qtbot.waitSignal(panel.failed, timeout=20000) as sig:
        panel.set_model(model)  # the page loads, but is not the dashboard (a portal's login or error page)
    assert sig.args[0] == "error page (text 'Dasbor Pengaduan' not found)"
    panel.url = site.url + "/slow"
    with qtbot.waitSignal(panel.failed, timeout=20000) as sig:
        panel.reload()
    assert sig.args[0] == "timeout after 2 s"
