"""The console's web-page dialog: open a wall web panel's page interactively, scroll or click to
what the room should see, and send that view (URL and scroll position) to the wall panel.

The view goes through the cache (`web.view.<panel id>`, see commandcenter.wall.web), so a wall in
another process picks it up with its next scene read; a wall in this process is refreshed at
once. Every send and reset is in the audit log with the console's user and host. The page here
is as fenced as on the wall (allowed hosts only, no pop-ups, downloads or dialogs) but takes the
mouse and keyboard.

    WebConsole(cfg, cache, wall=None, parent=console).open()
"""

from __future__ import annotations

import getpass
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from commandcenter import fmt
from commandcenter.config.schema.web import web_options
from commandcenter.ui import web_status
from commandcenter.wall.web import status_key, view_key

def _t(text: str, lang: str) -> str:
    from commandcenter.i18n import tr

    return tr(text, lang)  # the one catalog (resources/locale)


def web_panels(cfg: Any) -> list[tuple[str, Any, Any]]:
    """(panel id, scene, panel spec) of every web panel, one entry per panel id."""
    seen: dict[str, tuple[str, Any, Any]] = {}
    for scene in cfg.scenes:
        for p in scene.panels:
            if p.type == "web" and p.id not in seen:
                seen[p.id] = (p.id, scene, p)
    return list(seen.values())


def console_actor() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:
        return "console"


class _Carrier(QObject):
    done = Signal(object, object)  # callback, result: delivered on the GUI thread


class WebConsole(QDialog):
    sent = Signal(str, object)  # panel id, the view written (None: reset to the configured page)
    message = Signal(str)  # a line for the console's log
    loaded = Signal(str)  # a page finished loading in the dialog (its URL)

    def __init__(self, cfg: Any, cache: Any, wall: Any = None, lang: str | None = None, actor: str | None = None,
                 panel: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.cfg, self.cache, self.wall = cfg, cache, wall
        self.lang = lang or cfg.city.language
        self.actor = actor or console_actor()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="web-console")  # cache I/O off the GUI thread
        self._carrier = _Carrier(self)
        self._carrier.done.connect(lambda fn, result: fn(result))
        self.panels = web_panels(cfg)
        self.setWindowTitle(_t("Halaman web OPD", self.lang))
        self.resize(1280, 860)
        self.choice = QComboBox()
        for pid, scene, spec in self.panels:
            self.choice.addItem(f"{spec.title or pid} — {scene.title} ({pid})", pid)
        self.status = QLabel()
        self.send_button = QPushButton(_t("Kirim ke dinding", self.lang))
        self.reset_button = QPushButton(_t("Halaman awal", self.lang))
        self.reload_button = QPushButton(_t("Muat ulang", self.lang))
        self.view = QWebEngineView(self)
        self.page = None
        top = QHBoxLayout()
        top.addWidget(QLabel(_t("Panel", self.lang)))
        top.addWidget(self.choice, 1)
        top.addWidget(self.reload_button)
        top.addWidget(self.reset_button)
        top.addWidget(self.send_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.status)
        lay.addWidget(self.view, 1)
        self.choice.currentIndexChanged.connect(lambda _i: self.open_panel(self.choice.currentData()))
        self.send_button.clicked.connect(self.send)
        self.reset_button.clicked.connect(self.reset)
        self.reload_button.clicked.connect(lambda: self.view.reload())
        self._unlisten = web_status.listen(self._wall_status)
        self.finished.connect(lambda _r: self._close())
        if self.panels:
            first = self.choice.findData(panel) if panel else 0
            if first > 0:
                self.choice.setCurrentIndex(first)  # opens it
            else:
                self.open_panel(self.panels[0][0])

    # -- the page -------------------------------------------------------------------------------
    def spec(self, panel_id: str) -> Any:
        return next(spec for pid, _s, spec in self.panels if pid == panel_id)

    def open_panel(self, panel_id: str, url: str | None = None) -> None:
        """Show the panel's page as the wall has it (the view sent last, else the configured URL)."""
        from commandcenter.ui.web_engine import Interceptor, KioskPage, profile_for

        self.panel_id = panel_id
        spec = self.spec(panel_id)
        opts = web_options(spec)
        old = self.page
        self.page = KioskPage(profile_for(opts, panel_id, self.cfg), opts, panel_id, self.view)
        page = self.page
        page.loadFinished.connect(lambda ok: ok and self.loaded.emit(page.url().toString()))
        self.page.refused.connect(lambda what, detail: self._say(f"{_t('ditolak', self.lang)}: {what} {detail}"))
        header = None
        if opts.header is not None:
            from commandcenter.config import secrets
            from commandcenter.config.errors import SecretMissing

            try:
                header = (opts.header.name.encode(), secrets.resolve(opts.header.value).encode())
            except SecretMissing as exc:
                self._say(str(exc))
        self.page.setUrlRequestInterceptor(Interceptor(opts, header, self.page))
        self.view.setPage(self.page)
        if old is not None:
            old.deleteLater()
        if url is not None:
            self.page.load(QUrl(url))
            return
        self._read(lambda: (self.cache.get_state(view_key(panel_id)), self.cache.get_state(status_key(panel_id))),
                   lambda got: self._opened(panel_id, opts, *got))

    def _opened(self, panel_id: str, opts: Any, view: Any, status: Any) -> None:
        if panel_id != self.panel_id:
            return  # the operator already chose another panel
        url = opts.url
        scroll = (0.0, 0.0)
        if isinstance(view, dict) and opts.allows(str(view.get("url", ""))):
            url, scroll = view["url"], tuple((list(view.get("scroll") or [0, 0]) + [0, 0])[:2])
        if scroll != (0.0, 0.0):
            page = self.page
            page.loadFinished.connect(lambda ok: ok and page.runJavaScript(
                f"window.scrollTo({scroll[0]:.0f}, {scroll[1]:.0f});"))
        self.page.load(QUrl(url))
        self._wall_status(panel_id, status or web_status.STATUS.get(panel_id) or {})

    # -- sending --------------------------------------------------------------------------------
    def send(self) -> None:
        """The page as the operator sees it now goes to the wall panel (and to the audit log). The
        scroll position is read in CSS pixels, so the wall's own zoom puts it at the same place."""
        url = self.page.url().toString()
        opts = web_options(self.spec(self.panel_id))
        if not opts.allows(url):
            self._say(f"{_t('ditolak', self.lang)}: {url}")
            return
        panel_id = self.panel_id

        def got(pos: Any) -> None:
            try:
                x, y = (float(v) for v in str(pos).split(","))
            except ValueError:
                x = y = 0.0
            view = {"url": url, "scroll": [round(float(x)), round(float(y))], "at": time.time(), "by": self.actor}
            self._write(panel_id, view)

        self.page.runJavaScript("window.scrollX + ',' + window.scrollY", 0, got)

    def reset(self) -> None:
        self._write(self.panel_id, None)
        self.open_panel(self.panel_id, web_options(self.spec(self.panel_id)).url)

    def _write(self, panel_id: str, view: dict[str, Any] | None) -> None:
        cache, actor = self.cache, self.actor
        detail = {"panel": panel_id, "url": view["url"], "scroll": view["scroll"]} if view else {"panel": panel_id}

        def work() -> None:
            cache.set_state(view_key(panel_id), view)
            cache.audit("web.view" if view else "web.view.reset", detail, actor)

        def done(_r: Any) -> None:
            refresh = getattr(self.wall, "refresh", None)
            if callable(refresh):
                refresh()  # a wall in this process reads the new view now, not at its next tick
            self._say(_t("Terkirim ke dinding", self.lang) + f": {view['url']}" if view
                      else _t("Dinding kembali ke halaman awal", self.lang))
            self.sent.emit(panel_id, view)

        self._read(work, done)

    # -- status and plumbing ----------------------------------------------------------------------
    def _wall_status(self, panel_id: str, status: dict[str, Any]) -> None:
        if panel_id != getattr(self, "panel_id", None) or not status or status.get("state") == "refused":
            return
        lang = self.lang
        word = {"ok": _t("baik", lang), "failing": _t("terganggu", lang)}.get(status.get("state"), status.get("state"))
        since = fmt.relative(status["since"], time.time(), lang) if status.get("since") else ""
        reason = f" — {status['reason']}" if status.get("reason") else ""
        self.status.setText(f"{_t('Status di dinding', lang)}: {word} ({since}){reason}")

    def _say(self, line: str) -> None:
        self.status.setText(line)
        self.message.emit(line)

    def _read(self, fn: Any, done: Any) -> None:
        carrier = self._carrier

        def job() -> None:
            try:
                result = fn()
            except Exception as exc:  # the dialog reports it; the console goes on
                web_status.log.warning("web console: %s", exc)
                return
            carrier.done.emit(done, result)

        self._pool.submit(job)

    def _close(self) -> None:
        self._unlisten()
        self._pool.shutdown(wait=True)
        self.view.setPage(None)


def web_button(console: Any, layout: Any) -> Any:
    """The console's one hook: a button opening this dialog, when the city has web panels and the
    `web` extra is installed. The dialog's messages go to the console's log view."""
    import importlib.util

    if not web_panels(console.cfg) or importlib.util.find_spec("PySide6.QtWebEngineWidgets") is None:
        return None
    lang = getattr(console, "lang", "id")
    button = QPushButton(_t("Halaman web OPD", lang) + "…")

    def open_dialog() -> None:
        dlg = WebConsole(console.cfg, console.cache, getattr(console, "wall", None), lang, parent=console)
        log_view = getattr(console, "log_view", None)
        if log_view is not None:
            dlg.message.connect(log_view.add_line)
        console.web_dialog = dlg
        dlg.show()

    button.clicked.connect(open_dialog)
    layout.addWidget(button)
    console.web_button = button
    return button
