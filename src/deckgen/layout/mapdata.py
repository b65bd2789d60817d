"""What a map shows: each area's value and class, the class breaks, the colour ramp, the legend,
and the words that describe it for alt text.

Plain data, decided in the layout stage (classes and colours are computed here, so they are
tested without drawing) and drawn by render/maps.py when the deck is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Literal, Optional, Sequence

from deckgen.source import numformat

Ring = tuple[tuple[float, float], ...]
Method = Literal["quantiles", "equal", "breaks"]
NO_DATA = "D9D9D9"  # areas with no figure: light grey, hatched
NO_CHANGE = "FFF7BC"  # a change of 0 on a diverging map: pale yellow, neither good nor bad


@dataclass(frozen=True)
class MapArea:
    key: str
    name: str
    value: Optional[float]  # None: no data
    klass: int  # its class (an index into MapData.colours), -1 for no data
    rings: tuple[Ring, ...]  # outer rings anticlockwise, holes clockwise (data/boundaries.py)
    label_at: tuple[float, float]
    size: float


@dataclass(frozen=True)
class MapData:
    """A choropleth: areas coloured by class, a legend that states the classes."""

    areas: tuple[MapArea, ...]
    geometry: str  # a digest of the boundaries and how they were chosen (the cache key's)
    breaks: tuple[float, ...]  # the classes' edges, lowest first
    # each class's colour, lowest class first (hex, no '#'): one per pair of breaks, and the
    # class of no change among them where there is one (`zero_class`)
    colours: tuple[str, ...]
    legend: tuple[str, ...]  # each class's range as the legend states it
    legend_title: str
    value_format: str = ",.0f"
    value_suffix: str = ""
    in_percent: bool = False
    minus: str = "-"
    highlight: Optional[str] = None  # an area's key: outlined, the others faded
    fade: bool = False  # with highlight: the other areas drawn faded
    outline: tuple[Ring, ...] = ()  # borders drawn over the areas (a district's, from its LSOAs)
    outline_name: str = ""  # what those borders are, for the legend ('Harlow district')
    labelled: tuple[str, ...] = ()  # the keys of the areas named on the map (the top N)
    what: str = ""  # what the areas are, for alt text ("LSOA")
    subtitle: str = ""  # the period
    line: str = "FFFFFF"  # the areas' borders
    emphasis: str = "222222"  # the highlighted area's and the outline's border
    zero_class: Optional[int] = None  # diverging: the class of 0 exactly ("No change")

    def label(self, value: float) -> str:
        fmt = numformat.parse(self.value_format)
        return fmt.show(value, self.minus, self.in_percent) + self.value_suffix

    def klass(self, value: float) -> int:
        """A figure's class: by the breaks, or the class of no change for 0 exactly."""
        if self.zero_class is None:
            return class_of(value, self.breaks)
        if value == 0:
            return self.zero_class
        found = class_of(value, self.breaks)
        return found + 1 if found >= self.zero_class else found

    @property
    def no_data(self) -> int:
        return sum(1 for a in self.areas if a.value is None)


def is_counts(values: Sequence[float]) -> bool:
    """Whether the figures are counts: whole numbers, none below zero (a % change of -31 is
    a whole number, not a count)."""
    return all(v >= 0 and float(v).is_integer() for v in values)


def class_breaks(values: Sequence[float], method: Method, count: int,
                 given: Sequence[float] = (), step: float = 0.0,
                 counts: Optional[bool] = None) -> tuple[float, ...]:
    """The edges of the classes, lowest first: quantiles (about as many areas in each class),
    equal intervals between the lowest and highest value, or the given inner breaks.

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
    if method == "equal":
        edges = [lo + (hi - lo) * i / count for i in range(count + 1)]
    else:
        ordered = sorted(values)
        edges = [_quantile(ordered, i / count) for i in range(count + 1)]
    if counts:
        # counts: whole-number edges (a count of 12 is below an edge of 12.4, as it is below
        # 13), so a legend of whole numbers states each class exactly
        edges = [lo, *(math.ceil(e) for e in edges[1:-1]), hi]
    elif step:
        edges = [lo, *(round(round(e / step) * step, 10) for e in edges[1:-1]), hi]
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


def tint(hex_colour: str, t: float) -> str:
    """The colour mixed with white: t=0 the colour itself, t=1 white."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return "%02X%02X%02X" % tuple(int(round(v + (255 - v) * t)) for v in (r, g, b))


def sequential(colour: str, n: int) -> tuple[str, ...]:
    """n classes from a pale tint of the brand colour (lowest) to the colour itself (highest);
    one class alone a middle tint (every area alike is not 'the most')."""
    if n == 1:
        return (tint(colour, 0.45),)
    return tuple(tint(colour, 0.85 * (1 - i / (n - 1))) for i in range(n))


def diverging(breaks: Sequence[float], falls: str, rises: str) -> tuple[str, ...]:
    """Each class's colour for a change: classes below zero in `falls`, above in `rises`, paler
    the nearer they are to zero (the breaks must have 0 among them where values span it)."""
    n = len(breaks) - 1
    below = [i for i in range(n) if breaks[i + 1] <= 0]
    above = [i for i in range(n) if breaks[i] >= 0 and i not in below]
    out = []
    for i in range(n):
        if i in below:  # the lowest class, furthest from zero, strongest
            rank, side, colour = below[::-1].index(i), len(below), falls
        else:
            rank, side, colour = above.index(i) if i in above else 0, max(len(above), 1), rises
        out.append(tint(colour, 0.75 * (1 - (rank + 1) / side) + 0.1 * (side == 1)))
    return tuple(out)


def legend_labels(breaks: Sequence[float], show: Callable[[float], str], counts: bool,
                  open_ends: bool = False, after_zero: float = 0.0,
                  step: float = 0.0) -> tuple[str, ...]:
    """Each class's range in words. Counts (whole numbers): '12–14', each bound in its class;
    other figures: 'from 1.5 to under 2.0', the last class 'to' its upper edge; with `step`
    (the grid of what is shown, on which the areas are classed), a class ends at the last
    figure shown in it: '1.5 to 1.9', '−7.5% to −6.0%' (not 'to under −5.9%', which reads
    backwards for falls). With `open_ends` (given breaks): 'under 10' and '45 or more'. With
    `after_zero` (the step, when zero is a class of its own): the class from 0 starts at that
    step."""
    n = max(len(breaks) - 1, 1)
    out = []
    for i in range(n):
        lo, hi = breaks[i], breaks[min(i + 1, len(breaks) - 1)]
        last = i == n - 1
        if after_zero and lo == 0 and hi > 0:
            lo = after_zero
        if open_ends and i == 0 and n > 1:
            out.append(f"under {show(hi)}")
        elif open_ends and last and n > 1:
            out.append(f"{show(lo)} or more")
        elif counts:
            top = hi if last else math.ceil(hi) - 1
            out.append(show(lo) if top <= lo else f"{show(lo)}\u2013{show(top)}")
        elif lo == hi:
            out.append(show(lo))
        elif step and not last and _on_grid(hi, step):
            top = round(hi - step, 10)
            out.append(show(lo) if top <= lo else f"{show(lo)} to {show(top)}")
        else:
            out.append(f"{show(lo)} to {'' if last else 'under '}{show(hi)}")
    return tuple(out)


def _on_grid(value: float, step: float) -> bool:
    return abs(round(value / step) * step - value) < step * 1e-6


def alt_text(data: MapData) -> str:
    """What is mapped, the period, the highest and lowest areas with their values, the classes
    and how many areas have no data."""
    shown = [a for a in data.areas if a.value is not None]
    head = f"Map of {data.legend_title}"
    if data.what:
        head += f" by {data.what}"
    if data.subtitle:
        head += f", {data.subtitle}"
    parts = [head + "."]
    if shown:
        # ties go to the first name, as the numbered list on the map orders them
        top = min(shown, key=lambda a: (-(a.value or 0.0), a.name))
        low = min(shown, key=lambda a: (a.value, a.name))
        assert top.value is not None and low.value is not None

        def tied(area: MapArea) -> str:
            others = sum(1 for a in shown if a.value == area.value) - 1
            return f" (and {others} more at that figure)" if others else ""
        areas = f"{len(shown)} {'area' if len(shown) == 1 else 'areas'}"
        if top.value < 0:  # every figure a fall: 'highest' -2.6% reads oddly
            parts.append(f"{areas}, every one a fall. Largest fall: {low.name}, "
                         f"{data.label(low.value)}{tied(low)}. Smallest fall: {top.name}, "
                         f"{data.label(top.value)}{tied(top)}.")
        elif top.value == low.value:
            parts.append(f"{areas}, every one {data.label(top.value)}.")
        else:
            parts.append(f"{areas}. Highest: {top.name}, {data.label(top.value)}{tied(top)}. "
                         f"Lowest: {low.name}, {data.label(low.value)}{tied(low)}.")
    if data.highlight is not None:
        chosen = next((a for a in data.areas if a.key == data.highlight), None)
        if chosen is not None:
            figure = data.label(chosen.value) if chosen.value is not None else "no data"
            parts.append(f"Outlined: {chosen.name}, {figure}.")
    parts.append(f"Classes: {'; '.join(data.legend)}.")
    if data.no_data:
        parts.append(f"{data.no_data} {'area has' if data.no_data == 1 else 'areas have'} no "
                     "data.")
    return " ".join(parts)
