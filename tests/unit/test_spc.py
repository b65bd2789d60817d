"""Control limits and special causes (data/spc.py), against independent computations."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.data.spc import SpcError, control_chart


def _xmr_by_hand(values: list[float]) -> tuple[float, float, float]:
    """XmR limits with numpy: mean ± 3 × (mean moving range / 1.128)."""
    x = np.array(values, dtype=float)
    centre = x.mean()
    sigma = np.abs(np.diff(x)).mean() / 1.128
    return centre, max(0.0, centre - 3 * sigma), centre + 3 * sigma


def test_xmr_limits_of_a_worked_example() -> None:
    # mean 20; moving ranges 2,4,2,6,4,2,2,4,2,2,4 -> mean 34/11; limits 20 ± 2.66 × 34/11
    values = [20, 22, 18, 20, 26, 22, 20, 18, 22, 20, 18, 14]
    chart = control_chart(values)
    assert chart.limits.centre == pytest.approx(20.0)
    assert chart.limits.upper == pytest.approx(20 + 2.66 * 34 / 11)
    assert chart.limits.lower == pytest.approx(20 - 2.66 * 34 / 11)
    assert chart.signals == ()  # 14 is above the lower limit (11.78)


@given(st.lists(st.integers(0, 5000), min_size=8, max_size=40))
@settings(max_examples=200, deadline=None)
def test_xmr_limits_match_numpy(values: list[int]) -> None:
    chart = control_chart(values)
    centre, lower, upper = _xmr_by_hand(values)
    assert chart.limits.centre == pytest.approx(centre)
    # 2.66 is 3 / 1.128 rounded, as published: the same to 0.03%
    width = upper - centre
    assert chart.limits.upper == pytest.approx(upper, abs=3e-4 * width + 1e-9)
    assert chart.limits.lower == pytest.approx(lower, abs=3e-4 * width + 1e-9)


def test_c_chart_limits_are_poisson() -> None:
    values = [100, 90, 110, 105, 95, 100, 98, 102]
    chart = control_chart(values, method="c")
    assert chart.limits.centre == pytest.approx(statistics.mean(values))
    assert chart.limits.upper == pytest.approx(100 + 3 * math.sqrt(100))
    assert chart.limits.lower == pytest.approx(70.0)
    small = control_chart([1, 0, 2, 1, 0, 1, 3, 0], method="c")
    assert small.limits.lower == 0.0  # a count cannot fall below nothing


def test_a_point_beyond_the_upper_limit_in_the_latest_months() -> None:
    values = [50, 52, 48, 51, 49, 50, 53, 47, 50, 52, 49, 51, 95]
    chart = control_chart(values, baseline=12)
    assert [(s.rule, s.points, s.direction) for s in chart.signals] == [("beyond", (12,), "up")]


def test_only_the_latest_months_are_assessed() -> None:
    values = [40, 42, 44, 46, 48, 50, 52, 49, 51, 50, 48, 52, 49, 51, 50, 49, 52]
    assert control_chart(values).signals == ()  # a rise a year ago: not reported now
    everything = control_chart(values, assess=len(values)).signals
    assert ("trend", (0, 1, 2, 3, 4, 5, 6)) in [(s.rule, s.points) for s in everything]
    assert ("beyond", (0,)) in [(s.rule, s.points) for s in everything]


def test_a_shift_of_seven_running_into_the_latest_months() -> None:
    base = [50, 52, 48, 51, 49, 50, 53, 47, 50, 52, 51, 49]
    shifted = base + [55, 54, 56, 53, 55, 54, 56]  # 7 above the centre (50.17), within limits
    chart = control_chart(shifted, baseline=12)
    assert [(s.rule, s.points[0], len(s.points), s.direction) for s in chart.signals] == [
        ("shift", 12, 7, "up")]
    six = control_chart(shifted[:-1], baseline=12)
    assert six.signals == ()  # six in a row is not yet a shift


def test_a_point_on_the_centre_line_or_a_gap_ends_a_run() -> None:
    base = [50, 52, 48, 51, 49, 50, 53, 47, 50, 52, 51, 49]  # centre 50.1666..., the last below it
    centre = sum(base) / 12
    assert control_chart(base + [55, 54, 56, centre, 55, 54, 56], baseline=12).signals == ()
    assert control_chart(base + [55, 54, 56, None, 55, 54, 56], baseline=12).signals == ()


def test_a_trend_of_seven_rising() -> None:
    base = [50, 52, 48, 51, 49, 50, 53, 47, 50, 52, 51, 49]
    rising = base + [44, 45, 47, 48, 50, 52, 53]  # 7 points, each above the one before
    chart = control_chart(rising, baseline=12)
    assert [(s.rule, s.points, s.direction) for s in chart.signals] == [
        ("trend", (12, 13, 14, 15, 16, 17, 18), "up")]
    tie = base + [44, 45, 47, 47, 50, 52, 53]  # an equal point ends the trend
    assert control_chart(tie, baseline=12).signals == ()


def test_a_missing_month_is_no_point() -> None:
    values: list[float | None] = [20, 22, 18, None, 20, 26, 22, 20, 18, 22, 20]
    chart = control_chart(values)
    known = [v for v in values if v is not None]
    assert chart.limits.centre == pytest.approx(statistics.mean(known))
    ranges = [2, 4, 6, 4, 2, 2, 4, 2]  # none across the gap
    assert chart.limits.upper == pytest.approx(chart.limits.centre + 2.66 * statistics.mean(ranges))


@pytest.mark.parametrize("values, baseline, message", [
    ([1, 2, 3], None, "at least 8"),
    ([5] * 10, 20, "not within the 10 months"),
    ([5, -1, 5, 5, 5, 5, 5, 5], None, "negative"),
    ([5, None] * 8, None, "no two months in a row"),
])
def test_series_that_cannot_carry_limits(values: list[float | None], baseline: int | None,
                                         message: str) -> None:
    with pytest.raises(SpcError, match=message):
        control_chart(values, baseline=baseline)


def test_false_signals_on_stable_counts_are_rare() -> None:
    """The bench measures this on 10,000 series (bench/RESULTS.md); here, 1,000 series of 24
    months at three levels keep it under 5%."""
    rng = np.random.default_rng(20261206)
    for level in (5, 40, 400):
        flagged = sum(bool(control_chart(list(rng.poisson(level, 24))).signals)
                      for _ in range(1000))
        assert flagged / 1000 < 0.05, (level, flagged)
