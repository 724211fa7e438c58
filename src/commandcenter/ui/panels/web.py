"""Web: a department's own web application on the wall (Qt WebEngine, the optional `web` extra).

Kiosk-safe: the page navigates and loads only within its allowed hosts; pop-ups, downloads, file
pickers, permission prompts and JavaScript dialogs never reach the wall; certificate errors are
refused; all panels of a wall share one off-the-record profile (`keep_login`: a persistent one of
the panel's own). The login header goes only to the allowed hosts.

Calm failure: a load that fails, times out or ends on an error page leaves the last good
rendering on the wall with a small "data 12 menit lalu · sumber terganggu" tag; the reason goes
to the log and the console (ui/web_status.py).

Freeze, replay, export: every `snapshot_every` the live page is saved as a PNG in the data folder
(commandcenter.wall.web); a read model that is not live shows the snapshot of its moment, marked
"Cuplikan <time>". An export canvas never starts a browser: it always draws the snapshot.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QPainter

from commandcenter import fmt
from commandcenter.config import secrets
from commandcenter import i18n as catalog
from commandcenter.config.errors import SecretMissing
from commandcenter.config.schema.web import web_options
from commandcenter.ui import theme, web_status
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register
from commandcenter.wall import web as webdata

SETTLE_MS = 700  # after a load finishes, let scripts draw (charts) before taking the rendering
_last_snapshot: dict[str, float] = {}  # snapshot folder -> time (a seam-spanning panel has two views)


def t(text: str, lang: str) -> str:
    return catalog.tr(text, lang)  # the one catalog (resources/locale)


def engine() -> Any:
    """ui/web_engine.py (Qt WebEngine), imported at the first page shown; None without the extra."""
    try:
        from commandcenter.ui import web_engine
    except ImportError:
        return None
    return web_engine


# -- the panel ------------------------------------------------------------------------------------
@register("web")
class WebPanel(Panel):
    time_dependent = True  # the failure tag's age moves on without a new model

    rendered = Signal()  # a load finished well and its rendering was taken (tests wait on it)
    failed = Signal(str)  # a load failed; the reason
    refused = Signal(str, str)  # a kiosk refusal (what, detail)
    snapshotSaved = Signal(str)  # path

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.opts = web_options(self.spec)
        self.view: Any = None  # QWebEngineView while live
        self.page: Any = None  # web_engine.KioskPage
        self.interceptor: Any = None
        self.last_good: QImage | None = None  # the page as last rendered well
        self.last_good_at: float | None = None
        self.failure = ""  # why the last load failed ("" = fine)
        self.url = self.opts.url
        self.scroll = (0.0, 0.0)
        self._snapshot_cache: tuple[str, QImage] | None = None
        self._timeout = QTimer(self, singleShot=True)
        self._timeout.timeout.connect(lambda: self._fail(f"timeout after {self.opts.timeout:.0f} s", stop=True))
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._take_rendering)
        self._reload = QTimer(self, interval=int(self.opts.reload * 1000))
        self._reload.timeout.connect(self.reload)
        self._snap = QTimer(self, interval=int(self.opts.snapshot_every * 1000))
        self._snap.timeout.connect(self._timed_snapshot)
        self.refused.connect(lambda what, detail: web_status.refused(self.spec.id, what, detail))

    # -- model ----------------------------------------------------------------------------------
    @property
    def offscreen_canvas(self) -> bool:
        """An export canvas (never shown): draw snapshots, never start a browser."""
        return self.window().testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)

    @property
    def live(self) -> bool:
        return bool(getattr(self.model, "live", False)) and not self.offscreen_canvas

    def model_changed(self) -> None:
        if not self.live:
            self._stop_live()
            return
        want = (self.model.url, tuple(self.model.scroll))
        started = self.view is None
        if started:
            self._start_live()
        if want != (self.url, self.scroll) or started:
            self.url, self.scroll = want[0], want[1]
            self.reload()  # a new view (the console's) or a fresh browser; else the reload timer retries

    def update_texts(self) -> None:
        self.shown = {"title": self.title(), "url": getattr(self.model, "url", "")}
        at = getattr(self.model, "snapshot_at", None)
        if not self.live and at:  # the export's panel list says which moment the picture shows
            self.shown["as_of"] = f"{t('Cuplikan', self.ctx.lang)} {fmt.datetime_short(at, self.ctx.tz, self.ctx.zone, self.ctx.lang)}"

    # -- the live page --------------------------------------------------------------------------
    _loaded_once = False

    def _start_live(self) -> None:
        header = None
        try:
            if self.opts.header is not None:
                header = (self.opts.header.name.encode(), secrets.resolve(self.opts.header.value).encode())
            cookie = secrets.resolve(self.opts.cookie.value) if self.opts.cookie is not None else None
        except SecretMissing as exc:
            self._fail(str(exc))  # names the variable, never a value
            return
        we = engine()
        if we is None:
            self._fail("Qt WebEngine is not installed (pip install 'commandcenter[web]')")
            return
        from PySide6.QtNetwork import QNetworkCookie

        profile = we.profile_for(self.opts, self.spec.id, self.ctx.cfg)
        if cookie is not None:
            c = QNetworkCookie(self.opts.cookie.name.encode(), cookie.encode())
            c.setDomain(self.opts.host)
            c.setPath("/")
            c.setHttpOnly(True)
            profile.cookieStore().setCookie(c, QUrl(self.opts.url))
        self.view = we.QWebEngineView(self)
        self.page = we.KioskPage(profile, self.opts, self.spec.id, self.view)
        self.page.refused.connect(self.refused)
        self.interceptor = we.Interceptor(self.opts, header, self.page)
        self.page.setUrlRequestInterceptor(self.interceptor)
        self.view.setPage(self.page)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.view.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)  # the wall is not a kiosk to touch
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.page.loadingChanged.connect(self._loading)
        self._place_view()
        self.view.show()
        self._reload.start()
        self._snap.start()

    def _stop_live(self) -> None:
        for timer in (self._reload, self._snap, self._timeout, self._settle):
            timer.stop()
        if self.view is not None:
            self.view.hide()
            self.view.setPage(None)
            self.page.deleteLater()
            self.view.deleteLater()
            self.view = self.page = self.interceptor = None
        self._loaded_once = False
        self.invalidate()

    def reload(self) -> None:
        if self.view is None:
            return
        self._timeout.start(int(self.opts.timeout * 1000))
        self.page.load(QUrl(self.url))

    def _loading(self, info: Any) -> None:
        info_type = engine().QWebEngineLoadingInfo
        S = info_type.LoadStatus
        status = info.status()
        if status in (S.LoadStartedStatus, S.LoadStoppedStatus):
            return  # stopped: our own timeout (reported there) or a newer load replaced it
        self._timeout.stop()
        if status == S.LoadSucceededStatus and not info.isErrorPage():
            self._loaded_once = True
            self.page.runJavaScript(f"window.scrollTo({self.scroll[0]:.0f}, {self.scroll[1]:.0f});")
            if self.opts.expect_text:
                probe = f"document.body ? document.body.innerText.indexOf({json.dumps(self.opts.expect_text)}) >= 0 : false"
                self.page.runJavaScript(probe, 0, self._expected)
            else:
                self._settle.start()
        else:
            code = info.errorCode()
            what = f"HTTP {code}" if info.errorDomain() == info_type.ErrorDomain.HttpStatusCodeDomain \
                else (info.errorString() or f"error {code}")
            self._fail(f"{what} at {info.url().toString()}")

    def _expected(self, found: Any) -> None:
        if found:
            self._settle.start()
        else:
            self._fail(f"error page (text {self.opts.expect_text!r} not found)")

    def _take_rendering(self) -> None:
        if self.view is None:
            return
        if not self.view.isVisible():  # hidden after a failure: let it paint before taking it
            self.view.show()
            self._settle.start()
            return
        self.last_good = self.view.grab().toImage()
        self.last_good_at = time.time()
        was_failing, self.failure = self.failure, ""
        self.view.show()
        if was_failing:
            self.shown.pop("tag", None)
            self.invalidate()
        web_status.report(self.spec.id, "ok", "", self.last_good_at, self.url)
        shot = _last_snapshot.get(str(webdata.snapshot_folder(self.ctx.cfg, self.spec.id)))
        if shot is None or time.time() - shot >= self.opts.snapshot_every:
            self.save_snapshot()
        self.rendered.emit()

    def _fail(self, reason: str, stop: bool = False) -> None:
        if stop and self.page is not None:
            self.page.triggerAction(engine().QWebEnginePage.WebAction.Stop)
        self._settle.stop()
        self.failure = reason
        if self.view is not None:
            self.view.hide()  # whatever Chromium shows now is not for the wall
        self.invalidate()
        web_status.report(self.spec.id, "failing", reason, self.last_good_at, self.url)
        self.failed.emit(reason)

    # -- snapshots ------------------------------------------------------------------------------
    def _timed_snapshot(self) -> None:
        """A seam-spanning panel is a widget in each window: one snapshot per period for both."""
        last = _last_snapshot.get(str(webdata.snapshot_folder(self.ctx.cfg, self.spec.id)))
        if last is None or time.time() - last >= self.opts.snapshot_every * 0.5:
            self.save_snapshot()

    def save_snapshot(self) -> str:
        """The page as rendered now, to the data folder (written off the GUI thread, then old
        snapshots pruned). Only a good rendering is kept: a failing page keeps none."""
        if self.view is None or self.failure or not self._loaded_once:
            return ""
        image = self.view.grab().toImage()
        now = time.time()
        folder = webdata.snapshot_folder(self.ctx.cfg, self.spec.id)
        _last_snapshot[str(folder)] = now
        path = webdata.snapshot_path(folder, now)
        retention = self.opts.snapshot_retention
        _write_snapshot(image, path, retention, now, self.snapshotSaved)
        return str(path)

    # -- painting -------------------------------------------------------------------------------
    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_view()

    def _place_view(self) -> None:
        if self.view is None:
            return
        r = self.body_rect().toAlignedRect()
        self.view.setGeometry(r)
        # the page is laid out `page_width` CSS px wide and scaled to the panel
        self.view.setZoomFactor(max(0.25, min(5.0, r.width() / self.opts.page_width)))

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        lang = self.ctx.lang
        if not self.live:
            self._paint_snapshot(p, r, lang)
            return
        if self.view is not None and self.view.isVisible() and not self.failure:
            return  # the live view covers the body
        image = self.last_good
        when = self.last_good_at
        if image is None and getattr(self.model, "snapshot", ""):
            image, when = self._snapshot_image(self.model.snapshot), self.model.snapshot_at
        if image is not None:
            self._draw_image(p, r, image)
        elif not self.failure:
            self.paint_message(p, t("Memuat halaman…", lang))
            return
        if self.failure:
            age = fmt.relative(when, time.time(), lang) if when else tr("belum ada")
            self._tag(p, r, f"{t('data', lang)} {age} · {t('sumber terganggu', lang)}", theme.STATUS["warning"])

    def _paint_snapshot(self, p: QPainter, r: QRectF, lang: str) -> None:
        path = getattr(self.model, "snapshot", "")
        image = self._snapshot_image(path) if path else None
        if image is None:
            self.paint_message(p, t("Tidak ada cuplikan pada waktu ini", lang))
            return
        self._draw_image(p, r, image)
        when = fmt.datetime_short(self.model.snapshot_at, self.ctx.tz, self.ctx.zone, lang)
        self._tag(p, r, f"{t('Cuplikan', lang)} {when}", theme.MUTED)

    def _snapshot_image(self, path: str) -> QImage | None:
        """Read once per path (a freeze or a replay changes it, not every repaint)."""
        if self._snapshot_cache is None or self._snapshot_cache[0] != path:
            image = QImage(path)
            self._snapshot_cache = (path, image)
        image = self._snapshot_cache[1]
        return None if image.isNull() else image

    def _draw_image(self, p: QPainter, r: QRectF, image: QImage) -> None:
        """Scaled into the body keeping its aspect (a snapshot from a wider window still fits)."""
        s = min(r.width() / image.width(), r.height() / image.height())
        target = QRectF(r.left(), r.top(), image.width() * s, image.height() * s)
        p.drawImage(target, image)

    def _tag(self, p: QPainter, r: QRectF, text: str, color: Any) -> None:
        """A small pill at the body's bottom-left, kept off the seams."""
        self.shown["tag"] = text
        f = self.font(theme.SMALL, bold=True)
        w = theme.text_width(text, f) + self.px(24)
        h = self.px(theme.SMALL * 1.6)
        box = self.avoid_seams(QRectF(r.left() + self.px(8), r.bottom() - h - self.px(8), w, h))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawRoundedRect(box, h / 2, h / 2)
        p.setPen(theme.BG)
        p.setFont(f)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def closeEvent(self, event: Any) -> None:
        self._stop_live()
        super().closeEvent(event)


def _write_snapshot(image: QImage, path: Path, retention: float, now: float, done: Any) -> None:
    """Encode and write on a worker thread (QImage is safe to use there), then prune."""
    import threading

    def work() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.png")
            if image.save(str(tmp), "PNG"):
                os.replace(tmp, path)
                webdata.prune(path.parent, retention, now)
                done.emit(str(path))
        except (OSError, RuntimeError):
            web_status.log.warning("web snapshot %s not written", path, exc_info=True)

    threading.Thread(target=work, name="web-snapshot", daemon=True).start()
