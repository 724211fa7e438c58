"""reports.yaml (optional): scheduled PDF reports of the wall's scenes, e.g. the daily briefing pack.

    version: 1
    folder: laporan                 # relative to the data folder (city.yaml data_dir or per-user)
    reports:
      - id: harian
        title: Laporan Harian Command Center
        cron: "0 7 * * *"           # minute hour day month weekday, in the city's time zone
        scenes: [ringkasan, anggaran, layanan]   # or playlist: jam-kerja (its scenes in order)
        file: "laporan-{date}.pdf"  # {date} = YYYY-MM-DD, {id} = the report id
        mail: [sekda@binjaikota.go.id]  # optional: also mailed (needs smtp below)
    smtp:                           # optional
      host: mail.binjaikota.go.id
      port: 587
      starttls: true
      user: commandcenter
      password: ${SMTP_PASSWORD}    # an environment reference, never the password itself
      sender: commandcenter@binjaikota.go.id
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from commandcenter.config.schedule import check_cron, cron_trigger
from commandcenter.config.schema.common import Ident, Strict, Versioned


class Report(Strict):
    id: Ident
    title: str | None = Field(None, description="the PDF's title; default: the first scene's title")
    cron: str = Field(description="5-field cron rule (minute hour day month weekday) in the city's time zone")
    scenes: list[Ident] = Field(default_factory=list, description="scene ids, one page each")
    playlist: Ident | None = Field(None, description="take the scenes of this playlist instead")
    file: str = Field("laporan-{id}-{date}.pdf", description="file name in `folder`; {date} and {id} filled in")
    lang: Literal["id", "en"] | None = Field(None, description="default: city.yaml language")
    enabled: bool = True
    mail: list[str] = Field(default_factory=list, description="also mail the PDF to these addresses (reports.yaml smtp)")

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        check_cron(value)
        return value

    @model_validator(mode="after")
    def _what(self) -> "Report":
        if not self.scenes and not self.playlist:
            raise ValueError("give scenes or a playlist")
        return self


class Smtp(Strict):
    host: str
    port: int = Field(25, gt=0, lt=65536)
    starttls: bool = False
    ssl: bool = False
    user: str | None = None
    password: str | None = Field(None, description="a ${ENV} reference, resolved only when mailing")
    sender: str = Field(description="From: address")
    timeout: float = Field(30.0, gt=0)

    @field_validator("password")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value and "${" not in value:
            raise ValueError("give the password as an environment reference, e.g. ${SMTP_PASSWORD}")
        return value


class ReportsFile(Versioned):
    folder: str = Field("laporan", description="where report files go; relative paths are under the city data folder")
    reports: list[Report] = Field(default_factory=list)
    smtp: Smtp | None = None

    @model_validator(mode="after")
    def _mail_needs_smtp(self) -> "ReportsFile":
        if self.smtp is None and any(r.mail for r in self.reports):
            raise ValueError("reports with `mail` need an `smtp` section")
        return self


def parse_cron(rule: str, tz: str) -> Any:
    """An APScheduler CronTrigger for a crontab line, read as the collector reads its sources'
    rules (weekday 1 = Monday); raises ValueError with the reason."""
    return cron_trigger(rule, tz)


def report_scenes(cfg: Any, report: Report) -> list[str]:
    """The scene ids a report prints, in order (a playlist's scenes once each)."""
    if report.scenes:
        return list(report.scenes)
    playlist = next(p for p in cfg.playlists.playlists if p.id == report.playlist)
    return list(dict.fromkeys(i.scene for i in playlist.items))
