"""A map's classes: the edges that split its figures into classes (natural breaks, quantiles,
equal intervals or given breaks), on round numbers (data/mapbreaks.py), centred on 0 for a
change, a class of its own for zero where it needs one, and each figure's class.

A statistic of the figures, computed in the data stage apart from how it is shown: the colour
of each class and the words of the legend are the map's (layout/mapdata.py), drawn by
render/maps.py. Computed on the figures as the map shows them (rounded to its format), so an
area is classed by the figure its label states.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Optional, Sequence

from deckgen.data import mapbreaks

Method = Literal["natural", "quantiles", "equal", "breaks"]


@dataclass(frozen=True)
class MapClasses:
    """The classes' edges, lowest first; on a diverging map whose figures include 0 among
    others, the class of 0 exactly ("No change", `zero_class`, between the falls and the rises)
    and the first figure above zero the class after it starts at (`after_zero`, the step of
    the format)."""

    breaks: tuple[float, ...]
    zero_class: Optional[int] = None
    after_zero: float = 0.0
    #: a change's classes centred on 0: the inner edges of the figures' sizes, the same either
    #: side of 0 (a fall and a rise of one size share a depth of colour: layout/mapdata.py)
    magnitudes: tuple[float, ...] = ()


def classes(values: Sequence[float], method: Method, count: int, given: Sequence[float],
            step: float, counts: bool, diverging: bool) -> MapClasses:
    """The classes of a map's figures (`values`, as shown; `step`, the grid of what is shown;
    `counts`, whether they are counts). On a diverging map (a change) 0 is always an edge, so no
    class mixes falls and rises; the classes are centred on 0 (`centred`) unless given; a class
    the split at 0 leaves empty is merged; and 0 itself is a class of its own when other
    figures differ from it."""
    if not diverging:
        return MapClasses(class_breaks(values, method, count, given, step, counts))
    magnitudes: tuple[float, ...] = ()
    if method == "breaks":
        breaks = with_zero(class_breaks(values, method, count, given, step, counts))
    else:
        breaks, magnitudes = centred(values, method, count, step)
        # zeros are a class of their own ("No change"), not in the class from 0
        breaks = without_empty(breaks, [v for v in values if v != 0] or values)
    if 0 in values and len(set(values)) > 1:  # no change: neither good nor bad
        zero_class = next((i for i in range(len(breaks) - 1) if breaks[i] >= 0),
                          len(breaks) - 1)
        return MapClasses(breaks, zero_class, step, magnitudes)
    return MapClasses(breaks, magnitudes=magnitudes)


def centred(values: Sequence[float], method: Method, count: int, step: float
            ) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A change's edges, centred on 0: the classes of the figures' sizes (falls and rises
    together, by `method`, on round numbers), mirrored either side of 0, so a fall and a rise
    of one size are in classes of one width and one depth of colour. Returns the edges, lowest
    first, and the inner edges of the sizes."""
    lo, hi = min(values), max(values)
    sizes = [abs(v) for v in values if v != 0]
    if not sizes:
        return (lo, hi) if lo < hi else (lo, lo), ()
    sides = 2 if lo < 0 < hi else 1
    per_side = max(1, -(-count // sides))
    inner = class_breaks(sizes, method, per_side, (), step, False)[1:-1]
    edges = [lo, *(-m for m in reversed(inner) if -m > lo), *([0.0] if lo < 0 < hi else []),
             *(m for m in inner if m < hi), hi]
    out: list[float] = []
    for e in edges:
        if not out or e > out[-1]:
            out.append(float(e))
    if len(out) == 1:
        out.append(out[0])
    return tuple(out), tuple(inner)


def is_counts(values: Sequence[float]) -> bool:
    """Whether the figures are counts: whole numbers, none below zero (a % change of -31 is
    a whole number, not a count)."""
    return all(v >= 0 and float(v).is_integer() for v in values)


def class_breaks(values: Sequence[float], method: Method, count: int,
                 given: Sequence[float] = (), step: float = 0.0,
                 counts: Optional[bool] = None) -> tuple[float, ...]:
    """The edges of the classes, lowest first: natural breaks (the gaps in the figures),
    quantiles (about as many areas in each class), equal intervals between the lowest and
    highest value, or the given inner breaks. Every inner edge but a given one is a round
    number (data/mapbreaks.py): moved inside its gap, so the classes hold the same areas.

    Given breaks make every class they name, whatever the data, so maps of several districts
    (a batch) colour the same figure alike; the ends are the data's where it runs past them.
    Otherwise: counts (`is_counts`) get whole-number edges, and a class of their own for 0
    when some areas have none (most LSOAs have no weapons offence in a month: they must not
    share a colour with the ones that have); other figures get edges on the grid of what
    their format shows (`step`, 0.1 for '0.0'), so no two labels read alike. Equal edges
    (ties) are merged, so there may be fewer classes than asked for, and never more than the
    values that differ."""
    counts = is_counts(values) if counts is None else counts
    lo, hi = min(values), max(values)
    if method == "breaks":
        inner = sorted({float(math.ceil(b)) if counts else float(b) for b in given})
        return (min(lo, inner[0]), *inner, max(hi, inner[-1]))
    count = max(1, min(count, len(set(values))))
    if counts and lo == 0 < hi and count > 1:
        rest = class_breaks([v for v in values if v > 0], method, count - 1, (), 1.0, True)
        return (0.0, 1.0, *rest[1:])
    # counts: whole-number edges (a count of 12 is below an edge of 12.4, as it is below 13),
    # so a legend of whole numbers states each class exactly; other figures: edges on the grid
    # of what is shown
    grid = 1.0 if counts else step
    if method == "equal":
        middle = mapbreaks.equal_edges(lo, hi, count, grid)
    else:
        if method == "natural":
            raw = mapbreaks.natural(values, count)
        else:
            ordered = sorted(values)
            raw = tuple(_quantile(ordered, i / count) for i in range(1, count))
        middle = mapbreaks.rounded_edges(raw, values, grid)
    edges = [lo, *middle, hi]
    out: list[float] = []
    for e in edges:
        if not out or e > out[-1]:
            out.append(float(e))
    if len(out) == 1:
        out.append(out[0])  # every value the same: one class
    return tuple(out)


def _quantile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile by linear interpolation between the closest ranks (numpy's default)."""
    position = q * (len(ordered) - 1)
    below = int(math.floor(position))
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def with_zero(breaks: tuple[float, ...]) -> tuple[float, ...]:
    """The edges with 0 among them when the values span it: no class mixes falls and rises."""
    if breaks[0] < 0 < breaks[-1] and 0 not in breaks:
        return tuple(sorted([*breaks, 0.0]))
    return breaks


def without_empty(breaks: tuple[float, ...], values: Sequence[float]) -> tuple[float, ...]:
    """The edges with every class that no value falls in merged into its neighbour on the
    same side of zero (zero stays an edge): quantiles split at 0 can leave a sliver class the
    legend would show in a colour found nowhere on the map."""
    edges = list(breaks)
    while len(edges) > 2:
        held = {class_of(v, edges) for v in values}
        empty = next((i for i in range(len(edges) - 1) if i not in held), None)
        if empty is None:
            break
        lower, upper = empty, empty + 1  # the class's edges
        if edges[upper] == 0 or upper == len(edges) - 1:
            drop = lower if lower > 0 and edges[lower] != 0 else upper
        else:
            drop = upper
        if drop in (0, len(edges) - 1) or edges[drop] == 0:
            break  # nothing to merge without losing the range or zero
        del edges[drop]
    return tuple(edges)


def class_of(value: float, breaks: Sequence[float]) -> int:
    """The class of a value: class i holds breaks[i] <= value < breaks[i + 1]; the last class
    holds its upper edge too; a value on a class's lower edge is in that class."""
    n = max(len(breaks) - 1, 1)
    for i in range(n - 1, -1, -1):
        if value >= breaks[i]:
            return i
    return 0
