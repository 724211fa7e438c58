"""On a fixed clock (2 Dec 2026 03.40 WIB), every text the wall draws tells the truth about time:
no date after the clock, running months named as running, changes of percentages in points."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter.cache import Cache
from tests.ui.demo_fill import fill

WIB = ZoneInfo("Asia/Jakarta")
CLOCK = datetime(2026, 12, 2, 3, 40, tzinfo=WIB).timestamp()
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mei": 5, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "sep": 9,
          "okt": 10, "nov": 11, "des": 12}
FULL = {"januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "agustus": 8,
        "september": 9, "oktober": 10, "november": 11, "desember": 12}
DAY_DATE = re.compile(r"\b(\d{1,2}) ([A-Za-z]{3,9}) (\d{4})\b")
MONTH_WORDS = re.compile(r"\b([A-Za-z]{3,9}) (\d{4})\b")


def dates_in(text: str) -> list[date]:
    """Every calendar day or month named in a text (a month counts as its first day)."""
    out = []
    for d, mon, y in DAY_DATE.findall(text):
        month = MONTHS.get(mon.lower()[:3]) if mon.lower()[:3] in MONTHS else None
        if month:
            out.append(date(int(y), month, int(d)))
    for mon, y in MONTH_WORDS.findall(DAY_DATE.sub("", text)):
        month = FULL.get(mon.lower()) or MONTHS.get(mon.lower())
        if month:
            out.append(date(int(y), month, 1))
    return out


def wall_texts(wall) -> list[tuple[str, str]]:
    """(where, text) for everything the wall's bands and panels drew."""
    out = []
    for w in wall.windows:
        for band in (w.header, getattr(w, "footer", None)):
            for key, text in (getattr(band, "shown", None) or {}).items():
                out.append((f"band.{key}", str(text)))
        for pid, panel in w.panels.items():
            for key, text in (getattr(panel, "shown", None) or {}).items():
                out.append((f"{pid}.{key}", str(text)))
    return out


@pytest.fixture
def frozen_wall(make_wall, db_url, wall_config, qtbot):
    cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    fill(cache, wall_config, CLOCK)
    wall = make_wall(cache)
    wall.freeze(CLOCK)
    qtbot.waitUntil(lambda: wall._built_scene == wall.scene_id and not wall.data.busy, timeout=10_000)
    yield wall
    cache.close()


def test_no_text_on_any_scene_names_a_date_after_the_clock(frozen_wall, wall_config, qtbot):
    wall = frozen_wall
    today = datetime.fromtimestamp(CLOCK, WIB).date()
    seen = 0
    for scene in wall_config.scenes:
        wall.show_scene(scene.id)
        qtbot.waitUntil(lambda: wall._built_scene == scene.id and not wall.data.busy and not wall._queue,
                        timeout=10_000)
        for where, text in wall_texts(wall):
            for d in dates_in(text):
                seen += 1
                assert d <= today, f"{scene.id} {where}: {text!r} names {d}, after {today}"
    assert seen > 20  # the check really read dates


def test_the_running_month_is_named_and_judged_at_its_day(frozen_wall):
    (kpi,) = frozen_wall.panel_widgets("serapan")
    assert kpi.shown["period"] == "Desember 2026 (berjalan)"
    # the demo data were known 10 minutes before (a panel past its sources' rhythm also says their age)
    assert kpi.shown["as_of"].split(" · ")[0] == "Data per 2 Des 2026 03.30 WIB"
    target = float(kpi.shown["target"].removeprefix("Target ").rstrip("%").replace(",", "."))
    assert 91.5 < target < 92.5


def test_a_change_of_a_percentage_is_in_points(frozen_wall, wall_config):
    percent_metrics = {m.id for m in wall_config.metrics if m.unit == "percent"}
    changes = []
    for w in frozen_wall.windows:
        for panel in w.panels.values():
            model = getattr(panel, "model", None)
            if getattr(model, "metric", None) in percent_metrics and "change" in panel.shown:
                changes.append(panel.shown["change"])
    assert changes, "no KPI panel showed a change"
    for text in changes:
        assert "%" not in text and " poin vs " in text, text
