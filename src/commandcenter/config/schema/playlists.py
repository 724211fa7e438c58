"""playlists.yaml: scene rotation, the schedule that picks a playlist, holidays, alert interrupts."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from commandcenter.config.schema.common import Duration, Ident, Strict, Versioned

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]
_HHMM = re.compile(r"^([01]\d|2[0-3])[:.]([0-5]\d)$")


class PlaylistItem(Strict):
    scene: Ident
    dwell: Duration = 60.0


class Playlist(Strict):
    id: Ident
    title: str | None = None
    items: list[PlaylistItem] = Field(min_length=1)


class ScheduleRule(Strict):
    playlist: Ident
    days: list[Day] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    start: str = Field("00:00", alias="from")
    end: str = Field("24:00", alias="to")

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if value in ("24:00", "24.00"):
            return "24:00"
        m = _HHMM.match(str(value))
        if not m:
            raise ValueError(f"{value!r} is not a time of day HH:MM")
        return f"{m.group(1)}:{m.group(2)}"


class Interrupt(Strict):
    """An alert may interrupt the rotation to show the OPD concerned, then the rotation resumes."""

    enabled: bool = True
    severities: list[Literal["warning", "critical"]] = Field(default_factory=lambda: ["critical"])
    scene: Ident | None = Field(None, description="scene to show; default: the OPD's detail scene")
    duration: Duration = 60.0


class PlaylistsFile(Versioned):
    playlists: list[Playlist] = Field(min_length=1)
    default: Ident = Field(description="playlist used when no schedule rule matches")
    briefing: Ident | None = Field(None, description="playlist a briefing steps through with the presenter "
                                   "keys (default: the one playing when the briefing starts)")
    schedule: list[ScheduleRule] = Field(default_factory=list)
    holidays: list[date] = Field(default_factory=list)
    interrupt: Interrupt = Field(default_factory=Interrupt)
