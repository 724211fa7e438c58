from zoneinfo import ZoneInfo

import pytest

from commandcenter.sources.parsing import ParseError, parse_number, parse_when

TZ = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("text, decimal, expected", [
    ("1.234.567,89", ",", 1234567.89), ("Rp 1.234.567", ",", 1234567), ("Rp\u00a012.345.678.900", ",", 12345678900),
    ("45,23%", ",", 45.23), ("97", ".", 97), ("97.5", ",", 97.5), ("1,234.5", ".", 1234.5), ("(1.000)", ",", -1000),
    (12, ".", 12), (3.5, ",", 3.5),
])
def test_numbers(text, decimal, expected):
    assert parse_number(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["N/A", "", "-", None, True, {"x": 1}, [1], "12abc", float("nan")])
def test_not_numbers(bad):
    with pytest.raises(ParseError):
        parse_number(bad, ",")


@pytest.mark.parametrize("text, label", [
    ("30/06/2025", "2025-06-30"), ("2025-06-30", "2025-06-30"), ("2025-06", "2025-06"), ("06/2025", "2025-06"),
    ("2025-Q2", "2025-Q2"), ("2025-S1", "2025-S1"), ("30 Juni 2025", "2025-06-30"), ("Juni 2025", "2025-06"),
])
def test_periods_end_at_their_last_second(text, label):
    ts, got = parse_when(text, TZ)
    assert got == label
    assert ts == 1751302799  # 2025-06-30 23:59:59 WIB


def test_year_and_epoch():
    assert parse_when("2025", TZ) == (1767200399, "2025")
    assert parse_when(1750000000, TZ) == (1750000000, "2025-06-15")
    assert parse_when(1750000000123, TZ)[0] == 1750000000  # milliseconds
    with pytest.raises(ParseError):
        parse_when("kemarin", TZ)
