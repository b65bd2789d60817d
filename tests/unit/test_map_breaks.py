"""A map's classes as a statistician would publish them: natural breaks (checked against a brute
force written here), edges on round numbers that keep every area in its class, equal intervals
on a round step, and a change's classes centred on 0 (a fall and a rise of one size alike)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from deckgen.data import mapbreaks, mapclasses
from deckgen.layout import mapdata


def _brute_natural(values: list[float], count: int) -> tuple[float, ...]:
    """The split of the distinct sorted figures into `count` runs with the least sum of squared
    distances from each run's mean (ties never split), by trying every split."""
    ordered = np.sort(np.asarray(values, dtype=float))
    distinct = np.unique(ordered)
    best, best_cost = (), np.inf
    for cut in itertools.combinations(range(1, len(distinct)), count - 1):
        edges = [distinct[c] for c in cut]
        bounds = [-np.inf, *edges, np.inf]
        cost = 0.0
        for lo, hi in zip(bounds, bounds[1:]):
            part = ordered[(ordered >= lo) & (ordered < hi)]
            cost += float(((part - part.mean()) ** 2).sum())
        if cost < best_cost - 1e-9:
            best, best_cost = tuple(float(e) for e in edges), cost
    return best


@pytest.mark.parametrize("seed", range(6))
def test_natural_breaks_are_the_least_spread_split(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = [float(v) for v in np.round(rng.gamma(2.0, 30.0, size=11), 0)]
    for count in (2, 3, 4):
        assert mapbreaks.natural(values, count) == _brute_natural(values, count), values


def test_natural_breaks_find_the_gaps_and_never_split_ties() -> None:
    values = [1.0, 1.0, 1.0, 2.0, 2.0, 10.0, 11.0, 11.0, 30.0]
    assert mapbreaks.natural(values, 3) == (10.0, 30.0)


def test_rounded_edges_keep_each_area_in_its_class() -> None:
    rng = np.random.default_rng(7)
    values = [float(v) for v in np.round(rng.lognormal(5.0, 0.6, size=300), 1)]
    for method in ("natural", "quantiles"):
        raw = (mapbreaks.natural(values, 5) if method == "natural" else
               tuple(float(np.quantile(values, q)) for q in (0.2, 0.4, 0.6, 0.8)))
        edges = mapbreaks.rounded_edges(raw, values, 0.1)
        for v in values:  # the class by the raw edges and by the rounded ones: the same
            assert sum(v >= e for e in raw) == sum(v >= e for e in edges)
        # and most edges moved to a rounder number than the raw one
        assert sum(e != r for e, r in zip(edges, raw)) >= 3, (raw, edges)
        assert all(round(e * 10) == e * 10 for e in edges)  # on the grid of what is shown


@pytest.mark.parametrize(("low", "high", "grid", "want"), [
    (517.0, 1504.0, 1.0, 1000.0),   # the unrounded top class: 1,000 lies in the gap
    (385.0, 386.0, 1.0, 386.0),     # nothing rounder between two neighbouring counts
    (-5.1, -4.9, 0.1, -5.0),
    (-8.9, -5.1, 0.1, -8.0),        # the roundest the gap allows (10, 5, 2 times powers of 10)
    (-8.9, -4.9, 0.1, -5.0),
    (-2.0, 3.0, 0.1, 0.0),          # 0 first
    (155.7, 177.2, 0.1, 160.0),
])
def test_the_roundest_number_in_a_gap(low: float, high: float, grid: float, want: float) -> None:
    assert mapbreaks.roundest(low, high, grid) == want
    assert low < want <= high


def test_equal_intervals_fall_on_a_round_step_and_no_more_classes_than_asked() -> None:
    for low, high, count in ((3.2, 97.0, 5), (0.0, 1.0, 4), (101.3, 833.2, 5)):
        edges = mapbreaks.equal_edges(low, high, count, 0.1)
        assert len(edges) + 1 <= count
        steps = {round(b - a, 9) for a, b in zip(edges, edges[1:])}
        assert len(steps) <= 1 and all(s in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50,
                                             100, 200, 250, 500) for s in steps), edges


def test_the_pack_s_change_map_does_not_part_near_equal_districts() -> None:
    """The issue's example: Southend's -5.1% shared a class with Basildon's -8.9% but not with
    Tendring's -4.9% (quantiles). By default (natural breaks, centred on 0) -5.1 and -4.9 are
    in one class and -8.9 in another."""
    values = [-18.3, -16.8, -13.8, -12.1, -11.1, -9.5, -8.9, -8.5, -7.2, -6.8, -5.9, -5.1,
              -4.9, -2.6]
    found = mapclasses.classes(values, "natural", 5, (), 0.1, False, True)
    klass = {v: mapclasses.class_of(v, found.breaks) for v in values}
    assert klass[-5.1] == klass[-4.9] != klass[-8.9]
    assert all(mapbreaks.roundest(e - 0.05, e) == e for e in found.breaks[1:-1])


def test_a_change_is_centred_on_zero() -> None:
    """A fall and a rise of one size: classes of one width either side of 0, and one depth of
    colour in the two hues."""
    values = [-30.0, -22.0, -12.0, -4.0, -1.0, 2.0, 5.0, 11.0, 24.0, 28.0]
    found = mapclasses.classes(values, "natural", 6, (), 0.1, False, True)
    inner = found.breaks[1:-1]
    assert 0.0 in inner
    assert sorted(-e for e in inner if e < 0) == sorted(e for e in inner if e > 0)
    colours = mapdata.diverging(found.breaks, "00AA00", "CC0000", found.magnitudes)
    below = [c for c, hi in zip(colours, found.breaks[1:]) if hi <= 0]
    above = [c for c, lo in zip(colours, found.breaks) if lo >= 0]
    # the same depth at the same distance from 0 (tints of two hues: compare the white mixed in)
    def white(colour: str, at: int, base: int) -> float:
        return (int(colour[at:at + 2], 16) - base) / (255 - base)

    assert [white(c, 2, 0xAA) for c in below[::-1]] == pytest.approx(  # to 8-bit steps
        [white(c, 0, 0xCC) for c in above], abs=0.02)
    assert len(set(colours)) == len(colours)
