"""Qt WebEngine for web panels and the console's web dialog: the kiosk profile, page and request
interceptor. Imported only when a web page is really shown, so a wall without web panels (or
without the optional `web` extra) never loads Chromium.
"""

from __future__ import annotations

import os
from typing import Any

# Chromium refuses to start its zygote as root unless the sandbox is off; a normal user keeps it.
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from PySide6.QtCore import Signal  # noqa: E402
from PySide6.QtWebEngineCore import (  # noqa: E402
    QWebEngineLoadingInfo, QWebEnginePage, QWebEngineProfile, QWebEngineSettings,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402

from commandcenter.config.schema.web import WebOptions  # noqa: E402
from commandcenter.ui import web_status  # noqa: E402
from commandcenter.wall import web as webdata  # noqa: E402

__all__ = ["Interceptor", "KioskPage", "QWebEngineLoadingInfo", "QWebEnginePage", "QWebEngineView", "profile_for"]
_profiles: dict[str, QWebEngineProfile] = {}


# -- the profile ----------------------------------------------------------------------------------
def profile_for(opts: WebOptions, panel_id: str, cfg: Any) -> QWebEngineProfile:
    """One shared off-the-record profile per wall process; `keep_login`: a persistent one of the
    panel's own under the data folder (its cookies survive a restart)."""
    key = f"login:{panel_id}" if opts.keep_login else "shared"
    prof = _profiles.get(key)
    if prof is not None:
        return prof
    # no Qt parent: destroyed with the application, a profile would go before the pages still using
    # it (Chromium warns, then crashes at exit); kept here for the life of the process instead
    if opts.keep_login:
        prof = QWebEngineProfile(f"commandcenter-{panel_id}")
        folder = webdata.snapshot_folder(cfg, panel_id).parent.parent / "web-profiles" / panel_id
        prof.setPersistentStoragePath(str(folder))
        prof.setCachePath(str(folder / "cache"))
        prof.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.ForcePersistentCookies)
    else:
        prof = QWebEngineProfile()  # no storage name: off the record, nothing written to disk
        prof.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    prof.setPersistentPermissionsPolicy(QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime)
    prof.downloadRequested.connect(_refuse_download)
    _kiosk_settings(prof.settings())
    _profiles[key] = prof
    return prof


def _kiosk_settings(s: QWebEngineSettings) -> None:
    A = QWebEngineSettings.WebAttribute
    for attr, on in ((A.JavascriptCanOpenWindows, False), (A.JavascriptCanAccessClipboard, False),
                     (A.JavascriptCanPaste, False), (A.PluginsEnabled, False), (A.PdfViewerEnabled, False),
                     (A.FullScreenSupportEnabled, False), (A.ScreenCaptureEnabled, False),
                     (A.AllowRunningInsecureContent, False), (A.AllowGeolocationOnInsecureOrigins, False),
                     (A.LocalContentCanAccessFileUrls, False), (A.LocalContentCanAccessRemoteUrls, False),
                     (A.NavigateOnDropEnabled, False), (A.AllowWindowActivationFromJavaScript, False),
                     (A.PlaybackRequiresUserGesture, True), (A.ShowScrollBars, False),
                     (A.ErrorPageEnabled, False), (A.FocusOnNavigationEnabled, False)):
        s.setAttribute(attr, on)


def _refuse_download(download: Any) -> None:
    page = download.page() if hasattr(download, "page") else None
    download.cancel()
    owner = getattr(page, "panel_id", "?")
    if isinstance(page, KioskPage):
        page.refused.emit("download", download.url().toString())
    else:
        web_status.refused(owner, "download", download.url().toString())


# -- the page -------------------------------------------------------------------------------------
class Interceptor(QWebEngineUrlRequestInterceptor):
    """Requests to other hosts are blocked (a page cannot pull in or send data elsewhere); the
    login header is added only for the allowed hosts."""

    def __init__(self, opts: WebOptions, header: tuple[bytes, bytes] | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.opts, self.header = opts, header
        self.blocked: list[str] = []

    def interceptRequest(self, info: Any) -> None:  # noqa: N802 (Qt's name)
        url = info.requestUrl()
        if url.scheme() not in ("http", "https"):
            return  # data:, blob: and the like stay inside the page
        if not self.opts.allows(url.toString()):
            info.block(True)
            self.blocked.append(url.toString())
            return
        if self.header is not None:
            info.setHttpHeader(*self.header)


class KioskPage(QWebEnginePage):
    refused = Signal(str, str)  # (what, detail): navigation, popup, dialog, file, permission, ...

    def __init__(self, profile: QWebEngineProfile, opts: WebOptions, panel_id: str, parent: Any = None) -> None:
        super().__init__(profile, parent)
        self.opts, self.panel_id = opts, panel_id
        self.certificateError.connect(self._certificate)
        self.permissionRequested.connect(self._permission)
        self.fileSystemAccessRequested.connect(lambda r: (r.reject(), self.refused.emit("file", r.origin().toString())))
        self.fullScreenRequested.connect(lambda r: (r.reject(), self.refused.emit("fullscreen", "")))
        self.registerProtocolHandlerRequested.connect(lambda r: (r.reject(), self.refused.emit("protocol", r.scheme())))
        self.webAuthUxRequested.connect(lambda r: (r.cancel(), self.refused.emit("webauthn", "")))
        self.desktopMediaRequested.connect(lambda r: self.refused.emit("screen-share", ""))
        _kiosk_settings(self.settings())

    def acceptNavigationRequest(self, url: Any, kind: Any, is_main_frame: bool) -> bool:  # noqa: N802
        text = url.toString()
        if url.scheme() in ("about", "data", "blob") and not is_main_frame:
            return True
        if self.opts.allows(text):
            return True
        self.refused.emit("navigation", text)
        return False

    def createWindow(self, kind: Any) -> Any:  # noqa: N802
        self.refused.emit("popup", str(kind))
        return None

    def javaScriptAlert(self, origin: Any, msg: str) -> None:  # noqa: N802
        self.refused.emit("dialog", f"alert: {msg[:80]}")

    def javaScriptConfirm(self, origin: Any, msg: str) -> bool:  # noqa: N802
        self.refused.emit("dialog", f"confirm: {msg[:80]}")
        return False

    def javaScriptPrompt(self, origin: Any, msg: str, default: str) -> Any:  # noqa: N802
        self.refused.emit("dialog", f"prompt: {msg[:80]}")
        return False, ""

    def chooseFiles(self, mode: Any, old: list[str], accepted: list[str]) -> list[str]:  # noqa: N802
        self.refused.emit("file", "picker")
        return []

    def javaScriptConsoleMessage(self, level: Any, msg: str, line: int, source: str) -> None:  # noqa: N802
        pass  # a department's page chatter is not the wall's log

    def _certificate(self, error: Any) -> None:
        error.rejectCertificate()  # never accepted, whatever the page
        self.refused.emit("certificate", f"{error.url().toString()}: {error.description()}")

    def _permission(self, permission: Any) -> None:
        permission.deny()
        self.refused.emit("permission", str(permission.permissionType()))
