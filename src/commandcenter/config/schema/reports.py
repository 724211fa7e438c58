"""reports.yaml (optional): scheduled PDF reports of the wall's scenes, e.g. the daily briefing pack.

    version: 1
    folder: laporan                 # relative to the data folder (city.yaml data_dir or per-user)
    reports:
      - id: harian
        title: Laporan Harian Command Center
        cron: "0 7 * * *"           # minute hour day month weekday, in the city's time zone
        scenes: [ringkasan, anggaran, layanan]   # or playlist: jam-kerja (its scenes in order)
        file: "laporan-{date}.pdf"  # {date} = YYYY-MM-DD, {id} = the report id
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


class ReportsFile(Versioned):
    folder: str = Field("laporan", description="where report files go; relative paths are under the city data folder")
    reports: list[Report] = Field(default_factory=list)


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
