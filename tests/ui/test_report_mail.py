"""A scheduled report mailed through reports.yaml `smtp` to a real SMTP server on 127.0.0.1, the
password taken from its ${ENV} reference and never written anywhere."""

from __future__ import annotations

import shutil
import socket
from email import message_from_bytes, policy

import pytest

from tests.wall.test_rotation import at

aiosmtpd = pytest.importorskip("aiosmtpd.controller")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages, self.logins = [], []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def auth(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"rahasia-smtp")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_report_is_dropped_in_the_folder_and_mailed(qapp, tmp_path, monkeypatch, cache):
    from commandcenter.config import load_config
    from commandcenter.ui.export import run_report
    from tests.ui.demo_fill import fill

    inbox, port = Inbox(), _free_port()
    server = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port, auth_require_tls=False,
                                 authenticator=inbox.auth, auth_required=True)
    server.start()
    try:
        cfg_dir = tmp_path / "config"
        shutil.copytree("config", cfg_dir, ignore=shutil.ignore_patterns("examples"))
        (cfg_dir / "city.yaml").write_text((cfg_dir / "city.yaml").read_text(encoding="utf-8")
                                           + f"  data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
        reports = (cfg_dir / "reports.yaml").read_text(encoding="utf-8")
        reports = reports.replace('    file: "laporan-harian-{date}.pdf"',
                                  '    file: "laporan-harian-{date}.pdf"\n    mail: [sekda@binjaikota.go.id]')
        reports += (f"smtp: {{host: 127.0.0.1, port: {port}, user: cc, password: '${{CC_SMTP_PASSWORD}}', "
                    "sender: commandcenter@binjaikota.go.id}\n")
        (cfg_dir / "reports.yaml").write_text(reports, encoding="utf-8")
        monkeypatch.setenv("CC_SMTP_PASSWORD", "rahasia-smtp")
        cfg = load_config(cfg_dir)
        now = at("2026-11-20 07:00")
        fill(cache, cfg, now)
        report = next(r for r in cfg.extra["reports"].reports if r.id == "harian")
        path = run_report(cfg, cache, report, now)
    finally:
        server.stop()
    assert path == tmp_path / "data" / "laporan" / "laporan-harian-2026-11-20.pdf" and path.stat().st_size > 10_000
    assert inbox.logins == [("cc", "rahasia-smtp")]
    ((to, msg),) = inbox.messages
    assert to == ["sekda@binjaikota.go.id"] and msg["From"] == "commandcenter@binjaikota.go.id"
    assert msg["Subject"] == "Laporan Harian Command Center Kota Binjai — Kota Binjai — 20 Nov 2026 07.00 WIB"
    (pdf,) = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == path.name and pdf.get_payload(decode=True) == path.read_bytes()
    audit = [e.detail for e in cache.audit_log()]
    assert {"report": "harian", "to": ["sekda@binjaikota.go.id"], "file": path.name} in audit
    assert "rahasia-smtp" not in repr(audit)
