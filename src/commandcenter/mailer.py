"""Mail a report PDF (reports.yaml `smtp`): plain smtplib, the password resolved from its ${ENV}
reference only when sending and never logged."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from commandcenter.config import secrets


def send_report(smtp: Any, to: list[str], subject: str, body: str, attachment: Path) -> None:
    """Send one message with the PDF attached; raises OSError/smtplib.SMTPException on failure
    (messages carry no secret: the password is only handed to `login`)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = smtp.sender, ", ".join(to), subject
    msg.set_content(body)
    msg.add_attachment(attachment.read_bytes(), maintype="application", subtype="pdf", filename=attachment.name)
    cls = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
    with cls(smtp.host, smtp.port, timeout=smtp.timeout) as conn:
        if smtp.starttls and not smtp.ssl:
            conn.starttls()
        if smtp.user:
            conn.login(smtp.user, secrets.resolve(smtp.password or ""))
        conn.send_message(msg)
