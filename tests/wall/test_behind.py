"""Who is behind: rankings that show the bottom and name their period; tables worst first."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter.wall.behind import period_words, select
from commandcenter.wall.queries import build_scene
from tests.ui.demo_fill import fill

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()


@pytest.fixture
def filled(demo_config, cache):
    fill(cache, demo_config, NOW)
    return cache


def test_period_words():
    assert period_words("2026-11") == "November 2026" and period_words("2026-08", "en") == "August 2026"
    assert period_words("2026-Q3") == "Triwulan III 2026" and period_words("2026-Q3", "en") == "Q3 2026"
    assert period_words("2026-S1") == "Semester I 2026" and period_words("2026") == "Tahun 2026"
    assert period_words("2026-12", running=True) == "Desember 2026 (berjalan)"


def test_select_top_bottom_and_worst_first():
    rows = list(range(1, 27))
    assert select(rows, 6, 6) == ([1, 2, 3, 4, 5, 6, 21, 22, 23, 24, 25, 26], 5)
    assert select(rows, 3, worst_first=True) == ([26, 25, 24], None)
    assert select(rows[:8], 6, 6) == (rows[:8], None)  # nothing skipped: no separator


def test_score_ranking_shows_top_and_bottom_with_real_ranks(demo_config, filled):
    data = build_scene(demo_config, filled, "ringkasan", now=NOW)
    skor = data.panels["skor-opd"]
    ranked = [r for r in skor.rows if r.rank is not None]
    assert len(skor.rows) == 12 and skor.gap_after == 5
    assert [r.rank for r in skor.rows[:6]] == [1, 2, 3, 4, 5, 6]
    assert [r.rank for r in skor.rows[6:]] == list(range(skor.total - 5, skor.total + 1))
    assert skor.total > 12 and len(ranked) == 12
    assert [r.value for r in skor.rows] == sorted((r.value for r in skor.rows), reverse=True)
    assert skor.subtitle == "November 2026 (berjalan)"  # the period ranked, in words
    serapan = data.panels["serapan-opd"]
    assert serapan.worst_first and serapan.rows[0].rank == serapan.total
    assert serapan.rows[0].value == min(r.value for r in serapan.rows)


def test_complaints_table_worst_first_without_zero_rows(demo_config, filled):
    table = build_scene(demo_config, filled, "ringkasan", now=NOW).panels["pengaduan"]
    counts = [int(row[2]) for row in table.rows]
    assert counts and all(c > 0 for c in counts)
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("folder", ["config", "config/examples/barru", "config/examples/batubara"])
def test_titles_carry_no_setup_notes(folder):
    """A title is what the room and the handout read: no notes for the installer ("spans two monitors")."""
    import re

    from commandcenter.config import load_config

    cfg = load_config(folder, check_secrets=False)
    titles = [t for s in cfg.scenes for t in [s.title, s.title_en] + [x for p in s.panels for x in (p.title, p.title_en)] if t]
    notes = [t for t in titles if re.search(r"monitor|melintasi|\bspans?\b|\(.*(layar|screen).*\)", t, re.IGNORECASE)]
    assert titles and notes == []
