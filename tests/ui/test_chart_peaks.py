"""A dense line is drawn as the lowest and highest point of each 2-pixel column, in order."""

from __future__ import annotations

import math
import random

import pytest

from commandcenter.ui.panels.timeseries import peaks


def by_column(xs, ys, width):
    """The oracle: group by column in one plain pass, keep min then max in x order."""
    cols: dict[int, list[tuple[float, float]]] = {}
    for x, y in zip(xs, ys):
        cols.setdefault(math.floor(x / width), []).append((x, y))
    out = []
    for c in sorted(cols):
        g = cols[c]
        if len(g) <= 2:
            out += g
            continue
        lo = min(range(len(g)), key=lambda i: (g[i][1], i))
        hi = max(range(len(g)), key=lambda i: (g[i][1], -i))
        out += [g[k] for k in sorted({lo, hi})]
    return out


@pytest.mark.parametrize("seed", range(5))
def test_peaks_keep_each_columns_lowest_and_highest_point_in_order(seed):
    rnd = random.Random(seed)
    n = 1440
    xs = sorted(rnd.uniform(40, 640) for _ in range(n))
    ys = [200 + 80 * math.sin(i / 90) + rnd.uniform(-20, 20) for i in range(n)]
    ys[700] = 5.0  # a spike that must survive
    got = peaks(xs, ys, 600)
    assert got == by_column(xs, ys, 2.0)
    assert (xs[700], 5.0) in got
    assert len(got) <= 2 * 301
    assert [x for x, _ in got] == sorted(x for x, _ in got)


def test_a_sparse_line_keeps_every_point():
    xs, ys = [10.0, 20.0, 30.0], [1.0, 3.0, 2.0]
    assert peaks(xs, ys, 600) == list(zip(xs, ys))
