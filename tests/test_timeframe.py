"""The time model derived from a label and a period end, without a zone (exact for WIB/WITA/WIT)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter import timeframe

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def last_second(y, m, d, tz=WIB):
    return int(datetime(y, m, d, 23, 59, 59, tzinfo=tz).timestamp())


@pytest.mark.parametrize("label, end, kind, start", [
    ("2025-06", (2025, 6, 30), "month", (2025, 6, 1)),
    ("2024-02", (2024, 2, 29), "month", (2024, 2, 1)),
    ("2025-Q2", (2025, 6, 30), "quarter", (2025, 4, 1)),
    ("2025-S2", (2025, 12, 31), "semester", (2025, 7, 1)),
    ("2025", (2025, 12, 31), "year", (2025, 1, 1)),
    ("2025-06-30", (2025, 6, 30), "day", (2025, 6, 30)),
])
@pytest.mark.parametrize("tz", [WIB, WITA])
def test_period_kind_and_first_second(label, end, kind, start, tz):
    got_kind, first = timeframe.describe(label, last_second(*end, tz=tz))
    assert got_kind == kind
    assert first == int(datetime(*start, tzinfo=tz).timestamp())


@pytest.mark.parametrize("end", [datetime(2025, 7, 1, tzinfo=WIB), datetime(2025, 6, 30, tzinfo=WIB),
                                 datetime(2025, 6, 30, 23, 59, tzinfo=WIB)])
def test_every_way_sources_write_a_months_end_is_that_month_in_the_citys_zone(end):
    june = ("month", int(datetime(2025, 6, 1, tzinfo=WIB).timestamp()))
    assert timeframe.describe("2025-06", int(end.timestamp()), "Asia/Jakarta") == june


def test_a_reading_labelled_with_its_date_is_an_instant():
    ts = int(datetime(2025, 6, 30, 10, 30, tzinfo=WIB).timestamp())
    assert timeframe.describe("2025-06-30", ts) == ("instant", ts)
    assert timeframe.describe("2025-06-30", ts, "Asia/Jakarta") == ("instant", ts)
    assert timeframe.describe("", ts) == ("instant", ts)
    mid_june = int(datetime(2025, 6, 15, tzinfo=WIB).timestamp())
    assert timeframe.describe("2025-06", mid_june, "Asia/Jakarta") == ("instant", mid_june)


def test_as_of_is_never_after_the_period_end_nor_the_report():
    end = last_second(2026, 12, 31)
    fetched = datetime(2026, 12, 2, 3, 40, tzinfo=WIB).timestamp()
    assert timeframe.as_of(end, None, fetched) == int(fetched)  # running month: the fetch time
    reported = datetime(2026, 12, 1, 18, 0, tzinfo=WIB).timestamp()
    assert timeframe.as_of(end, reported, fetched) == int(reported)  # the department's own time
    june = last_second(2025, 6, 30)
    assert timeframe.as_of(june, None, fetched) == june  # a closed month: its end
    assert timeframe.as_of(june, fetched + 999, fetched) == june  # a report "from the future" is clamped
