"""What a map shows: each area's value and class, the class breaks, the colour ramp, the legend,
and the words that describe it for alt text.

Plain data, decided before drawing (the classes in the data stage, data/mapclasses.py; their
colours and legend here), so they are tested without drawing, and drawn by render/maps.py when
the deck is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

# the classes, computed in the data stage: named here too (MapData.klass; bench/maps.py and
# tests/unit/test_mapdata.py class figures through this module)
from deckgen.data.mapclasses import Method as Method
from deckgen.data.mapclasses import class_breaks as class_breaks
from deckgen.data.mapclasses import class_of as class_of
from deckgen.data.mapclasses import is_counts as is_counts
from deckgen.data.mapclasses import with_zero as with_zero
from deckgen.data.mapclasses import without_empty as without_empty
from deckgen.source import numformat

Ring = tuple[tuple[float, float], ...]
NO_DATA = "D9D9D9"  # areas with no figure: light grey, hatched
NO_CHANGE = "FFF7BC"  # a change of 0 on a diverging map: pale yellow, neither good nor bad
#: The hatching over an area whose change is beyond normal variation (source/noise.py).
MARK_HATCH = {"significant": "xxxx", "notable": "...."}


@dataclass(frozen=True)
class MapArea:
    key: str
    name: str
    value: Optional[float]  # None: no data
    klass: int  # its class (an index into MapData.colours), -1 for no data
    rings: tuple[Ring, ...]  # outer rings anticlockwise, holes clockwise (data/boundaries.py)
    label_at: tuple[float, float]
    size: float
    mark: str = ""  # its change beyond normal variation: significant, notable or ""


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
    named: bool = False  # every area named on the map (or numbered and keyed beside it)
    # the legend's lines for the marks of changes beyond normal variation: (level, text)
    mark_legend: tuple[tuple[str, str], ...] = ()

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


def diverging(breaks: Sequence[float], falls: str, rises: str,
              magnitudes: Sequence[float] = ()) -> tuple[str, ...]:
    """Each class's colour for a change: classes below zero in `falls`, above in `rises`, paler
    the nearer they are to zero (the breaks must have 0 among them where values span it). With
    `magnitudes` (the inner edges of the changes' sizes, data/mapclasses.py `centred`), the
    depth of a class's colour is its size's class, the same either side of zero: a fall and a
    rise of one size look alike but for their hue."""
    n = len(breaks) - 1
    if magnitudes:
        levels = len(magnitudes) + 1
        out = []
        for i in range(n):
            near = min(abs(breaks[i]), abs(breaks[i + 1]))  # the class's edge nearer zero
            depth = sum(1 for m in magnitudes if m <= near + 1e-12) + 1
            colour = falls if breaks[i + 1] <= 0 else rises
            out.append(tint(colour, 0.75 * (1 - depth / levels) + 0.1 * (levels == 1)))
        return tuple(out)
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
    if data.named:  # every area named on the map: the alt text names each class's areas
        parts += _classes_named(data)
    parts += _marked_text(data)
    if data.no_data:
        parts.append(f"{data.no_data} {'area has' if data.no_data == 1 else 'areas have'} no "
                     "data.")
    return " ".join(parts)


def _marked_text(data: MapData) -> list[str]:
    """The areas hatched for a change beyond normal variation, by level, as the legend names
    them."""
    out = []
    for level, text in data.mark_legend:
        names = sorted(a.name for a in data.areas if a.mark == level and level)
        out.append(f"{text}: {', '.join(names)}." if names else f"{text}.")
    return out


def _classes_named(data: MapData) -> list[str]:
    """Each class with the areas in it, highest class first, as the legend lists them."""
    out = []
    for klass in range(len(data.legend) - 1, -1, -1):
        names = sorted(a.name for a in data.areas if a.value is not None and a.klass == klass)
        if names:
            out.append(f"{data.legend[klass]}: {', '.join(names)}.")
    return out
