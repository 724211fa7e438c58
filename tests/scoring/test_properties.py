"""Properties of the score: bounded, monotone in each KPI, stable ranking of ties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.config.schema import Opd
from commandcenter.config.schema.metrics import Metric
from commandcenter.scoring import Point, periods, score_opds
from commandcenter.scoring.status import level

TZ = "Asia/Jakarta"
PERIOD = periods.parse("2025-06", TZ)
END = int(PERIOD.end)
OPDS = [Opd(code=f"o{i}", short=f"O{i}", name=f"OPD {i}", kind="dinas" if i % 2 else "badan") for i in range(6)]

_targets = st.one_of(
    st.fixed_dictionaries({"value": st.floats(0, 500)}),
    st.fixed_dictionaries({"annual": st.floats(1, 1000), "curve": st.just({3: 25, 6: 50, 9: 75, 12: 100})}),
)


@st.composite
def metric_defs(draw) -> list[Metric]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        direction = draw(st.sampled_from(["higher", "lower", "band"]))
        if direction == "band":
            low = draw(st.floats(0, 100))
            target = {"band": {"low": low, "high": low + draw(st.floats(1, 100))}}
        else:
            target = draw(_targets)
        applies = draw(st.sampled_from(["all", ["dinas"], ["o0", "o3"]]))
        out.append(Metric.model_validate({
            "id": f"k{i}", "name": f"KPI {i}", "unit": "percent", "direction": direction,
            "cumulative": "annual" in target, "target": target, "weight": draw(st.floats(0, 5)),
            "applies_to": applies, "period": draw(st.sampled_from(["month", "instant"])),
        }))
    return out


values_st = st.floats(-50, 1000, allow_nan=False)


@st.composite
def scenario(draw):
    metrics = draw(metric_defs())
    vals = {}
    for m in metrics:
        for o in OPDS:
            if draw(st.booleans()):
                vals[(m.id, o.code)] = Point(END - draw(st.integers(0, 20)) * 86400, draw(values_st))
    return metrics, vals


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_scores_and_achievements_stay_within_0_100(case):
    metrics, vals = case
    board = score_opds(metrics, OPDS, vals, PERIOD)
    for o in board.opds:
        assert o.score is None or -1e-9 <= o.score <= 100 + 1e-9
        for k in o.breakdown:
            assert k.achievement is None or 0 <= k.achievement <= 100
            assert k.lost_points >= 0
        if o.score is not None:
            assert abs(sum(k.lost_points for k in o.breakdown) - (100 - o.score)) < 1e-6


@settings(max_examples=150, deadline=None)
@given(scenario(), st.data())
def test_improving_one_kpi_never_lowers_the_opd_score(case, data):
    metrics, vals = case
    if not vals:
        return
    key = data.draw(st.sampled_from(sorted(vals)))
    metric = next(m for m in metrics if m.id == key[0])
    old = vals[key]
    step = data.draw(st.floats(0, 500))
    if metric.direction == "band":  # better = toward the band's middle
        mid = (metric.target.band.low + metric.target.band.high) / 2
        better = old.value + (min(step, mid - old.value) if old.value < mid else max(-step, mid - old.value))
    elif metric.direction == "lower":
        better = old.value - step
    else:
        better = old.value + step
    before = score_opds(metrics, OPDS, vals, PERIOD).get(key[1])
    after = score_opds(metrics, OPDS, {**vals, key: Point(old.ts, better)}, PERIOD).get(key[1])
    if before.score is not None:
        assert after.score >= before.score - 1e-9
    kb = next((k for k in before.breakdown if k.metric == key[0]), None)
    ka = next((k for k in after.breakdown if k.metric == key[0]), None)
    if kb is not None and kb.status in ("ok", "warning", "critical"):
        assert level(ka.status) <= level(kb.status)  # a better value never looks worse


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([40.0, 55.5, 70.0, 100.0]), min_size=6, max_size=6), st.permutations(range(6)))
def test_ties_rank_in_config_order_whatever_the_input_order(scores, order):
    metric = Metric.model_validate({"id": "k", "name": "K", "unit": "percent", "target": {"value": 100}})
    opds = [OPDS[i] for i in order]
    vals = {("k", o.code): Point(END, s) for o, s in zip(OPDS, scores)}
    board = score_opds([metric], opds, vals, PERIOD)
    ranked = [o for o in board.opds if o.rank is not None]
    assert [o.rank for o in ranked] == list(range(1, 7))
    config_pos = {o.code: n for n, o in enumerate(opds)}
    for a, b in zip(ranked, ranked[1:]):
        assert a.score >= b.score
        if a.score == b.score:
            assert config_pos[a.opd] < config_pos[b.opd]
    # same input, same ranking
    again = score_opds([metric], opds, vals, PERIOD)
    assert [o.opd for o in again.opds] == [o.opd for o in board.opds]
