"""Where a map's class edges fall: natural breaks (the gaps in the figures), and every edge moved
to the roundest number in the gap it falls in.

A statistician reads a map's legend before its colours: "150 to 199" says a class at a glance,
"155.8 to 177.2" makes the reader do sums, and an edge between two near-equal figures (−5.1%
and −4.9%) colours alike areas apart. So the edges are chosen in the gaps between the figures
(Fisher's natural breaks: the classes whose figures are closest to their class's mean), and
each is then moved, inside its gap, to the number with the fewest significant digits: the
areas in each class stay exactly those the method chose, only the edge reads round.
"""

from __future__ import annotations

import math
from typing import Iterator, Sequence


def natural(values: Sequence[float], count: int) -> tuple[float, ...]:
    """The inner edges of Fisher's natural breaks (the optimal Jenks classes): the split of the
    sorted figures into `count` classes with the least sum of squared distances from their
    class means. Tied figures are never split (the classes are found over the distinct figures,
    each weighted by how many areas have it). Each edge is the first figure of its class."""
    import numpy as np

    distinct, weights = np.unique(np.asarray(values, dtype=float), return_counts=True)
    n = len(distinct)
    count = max(1, min(count, n))
    if count == 1:
        return ()
    w = np.concatenate([[0.0], np.cumsum(weights)])
    s1 = np.concatenate([[0.0], np.cumsum(weights * distinct)])
    s2 = np.concatenate([[0.0], np.cumsum(weights * distinct * distinct)])
    start = np.arange(n + 1)[:, None]  # a class of distinct[start:end]
    end = np.arange(n + 1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = (s2[end] - s2[start]) - (s1[end] - s1[start]) ** 2 / (w[end] - w[start])
    spread = np.where(end > start, np.maximum(spread, 0.0), np.inf)
    cost = spread[0].copy()  # the first c classes of distinct[:end]: their least spread
    choice = []
    for _ in range(count - 1):
        total = cost[:, None] + spread  # the last class from `start` to `end`
        at = np.argmin(total, axis=0)
        cost = total[at, np.arange(n + 1)]
        choice.append(at)
    edges, end_at = [], n
    for at in reversed(choice):
        end_at = int(at[end_at])
        edges.append(float(distinct[end_at]))
    return tuple(sorted(edges))


def rounded_edges(edges: Sequence[float], values: Sequence[float], grid: float
                  ) -> tuple[float, ...]:
    """Each inner edge moved to the roundest number of its gap: above the last figure below it
    and at most the first figure at or above it, so every area keeps its class. `grid` is the
    finest step an edge may take (the step of what the map shows: 1 for counts, 0.1 for
    '0.0'); 0 for none."""
    ordered = sorted(set(values))
    out = []
    for edge in edges:
        above = next((v for v in ordered if v >= edge), edge)
        below = max((v for v in ordered if v < above), default=above - 1.0)
        out.append(roundest(below, above, grid))
    return tuple(out)


def roundest(low: float, high: float, grid: float = 0.0) -> float:
    """The number r with low < r <= high that has the fewest significant digits (0 first, then
    multiples of 10^k, 5·10^(k−1), 2·10^(k−1), k falling), the one nearest the middle of the
    gap among equals; on `grid` at the finest. `high` itself when nothing rounder fits."""
    if low < 0 < high or high == 0:
        return 0.0
    top = math.floor(math.log10(max(abs(low), abs(high), 1e-12))) + 1
    bottom = math.floor(math.log10(grid)) - 1 if grid > 0 else top - 12
    middle = (low + high) / 2
    for k in range(top, bottom - 1, -1):
        for unit in (10.0 ** k, 5 * 10.0 ** (k - 1), 2 * 10.0 ** (k - 1)):
            if grid > 0 and unit < grid * (1 - 1e-9):
                continue
            first = math.floor(low / unit) + 1  # the first multiple above low
            last = math.floor(high / unit + 1e-9)  # the last at or below high
            if first > last:
                continue
            pick = min(range(first, last + 1) if last - first < 64 else (first, last),
                       key=lambda m: abs(m * unit - middle))
            return round(pick * unit, 10)
    return high


def nice_steps(width: float) -> Iterator[float]:
    """1, 2, 2.5 and 5 times powers of ten, from the smallest at least `width` up: the steps of
    equal intervals that read round."""
    power = 10.0 ** math.floor(math.log10(width)) if width > 0 else 1.0
    while True:
        for m in (1, 2, 2.5, 5):
            if m * power >= width * (1 - 1e-9):
                yield m * power
        power *= 10


def equal_edges(low: float, high: float, count: int, grid: float) -> tuple[float, ...]:
    """The inner edges of at most `count` equal intervals from `low` to `high`, on multiples of
    the smallest round step that needs no more (and no finer than `grid`)."""
    for step in nice_steps(max((high - low) / max(count, 1), grid or 0.0)):
        first = math.floor(low / step) + 1
        edges = tuple(round(m * step, 10) for m in range(first, math.floor(high / step) + 1)
                      if low < m * step < high)
        if len(edges) + 1 <= count:
            return edges
    return ()  # not reached: a step as wide as the range leaves one edge at most
