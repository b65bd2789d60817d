"""What a chart shows, computed from the data, and the words that describe it for alt text.

Plain data, decided in the layout stage and drawn by render/charts.py (matplotlib) when the deck
is written, so checking a deck never draws. The categories and series are computed in the data
stage (data/series.py); a chart adds how they are shown (the format, the highlight, the marks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from deckgen.data.series import Series as Series  # computed in the data stage; named here too
from deckgen.layout.chartcontext import ControlLines, ReferenceLine, ValueAxis
from deckgen.source import numformat

ChartType = Literal["bar", "hbar", "pie", "donut", "line"]


@dataclass(frozen=True)
class ChartData:
    """What a chart shows, computed from the data: categories along one axis, series of values."""

    chart: ChartType
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    highlight: Optional[str] = None  # a category (bar, pie) or a series name (line)
    value_format: str = ",.0f"
    value_suffix: str = ""
    axis_label: str = ""
    subtitle: str = ""
    what: str = ""  # what the categories are, for alt text ("offence group")
    in_percent: bool = False  # the values are percentages already: '0.0%' does not multiply
    minus: str = "-"  # the brand's minus sign
    marks: tuple[str, ...] = ()  # after each category's value label: its noise flag (‡, †)
    note: str = ""  # a footnote under the chart: what its marks mean, what it leaves out
    references: tuple[ReferenceLine, ...] = ()  # labelled lines across a bar chart
    control: Optional[ControlLines] = None  # a line chart's centre line and control limits
    axis: Optional[ValueAxis] = None  # the value axis's range and step, where it is fixed
    earlier: Optional[Series] = None  # a line chart's same months a year earlier

    def label(self, value: float) -> str:
        """A value as the chart's labels write it (source/numformat.py); a point with no
        figure (a month with no data) as 'no data'."""
        if value != value:
            return "no data"
        fmt = numformat.parse(self.value_format)
        return fmt.show(value, self.minus, self.in_percent) + self.value_suffix

    def labels(self) -> list[str]:
        """The value label of each category of a bar chart, with its mark."""
        marks = self.marks or ("",) * len(self.categories)
        return [self.label(v) + m for v, m in zip(self.series[0].values, marks)]


_NAMES = {"bar": "Bar chart", "hbar": "Horizontal bar chart", "pie": "Pie chart",
          "donut": "Donut chart", "line": "Line chart"}


def gaps(data: ChartData) -> list[str]:
    """The points of a line chart with no figure in any series (a month with no data)."""
    return [c for i, c in enumerate(data.categories)
            if all(s.values[i] != s.values[i] for s in data.series)]


def alt_text(data: ChartData) -> str:
    """A sentence or three for screen readers: what the chart shows and its key figures, and
    its context: reference lines, the year-earlier line, control limits and special causes."""
    parts = [_figures_text(data)]
    if data.references:
        parts.append("Reference lines: " + "; ".join(
            f"{r.label}, {data.label(r.value)}" for r in data.references) + ".")
    if data.earlier is not None:
        first, last = data.categories[0], data.categories[-1]
        parts.append(f"{data.earlier.name}: {data.label(data.earlier.values[0])} for {first}, "
                     f"{data.label(data.earlier.values[-1])} for {last}.")
    if data.control is not None:
        parts += data.control.sentences
    return " ".join(parts)


def _figures_text(data: ChartData) -> str:
    """The alt text of the chart's own figures."""
    measure = data.axis_label or "value"
    head = f"{_NAMES[data.chart]} of {measure}"
    if data.what:
        head += f" by {data.what}"
    if data.subtitle:
        head += f", {data.subtitle}"
    parts = [head + "."]
    if data.chart == "line":
        first, last = data.categories[0], data.categories[-1]
        parts.append(f"{len(data.series)} series from {first} to {last}.")
        focus = [s for s in data.series if s.name == data.highlight] or list(data.series[:1])
        for s in focus:
            parts.append(f"{s.name}: {data.label(s.values[0])} in {first}, "
                         f"{data.label(s.values[-1])} in {last}.")
        missing = gaps(data)
        if missing:
            parts.append(f"No data for {', '.join(missing)}: the line is broken there.")
        return " ".join(parts)
    if len(data.series) > 1:  # clustered bars
        parts.append(f"{len(data.categories)} categories, {len(data.series)} bars each: "
                     f"{', '.join(s.name for s in data.series)}.")
        for s in data.series:
            pairs = list(zip(data.categories, s.values))
            top, low = max(pairs, key=lambda p: p[1]), min(pairs, key=lambda p: p[1])
            parts.append(f"{s.name}: highest {top[0]}, {data.label(top[1])}; lowest {low[0]}, "
                         f"{data.label(low[1])}.")
        if data.highlight in data.categories:
            i = data.categories.index(data.highlight)
            parts.append(f"Highlighted: {data.highlight}, " + ", ".join(
                f"{data.label(s.values[i])} in {s.name}" for s in data.series) + ".")
        return " ".join(parts)
    values = data.series[0].values
    pairs = list(zip(data.categories, values))
    top = max(pairs, key=lambda p: p[1])
    low = min(pairs, key=lambda p: p[1])
    if top[1] < 0:  # every figure a fall: 'highest' -2.6% reads oddly
        parts.append(f"{len(pairs)} categories, every one a fall. Largest fall: {low[0]}, "
                     f"{data.label(low[1])}. Smallest fall: {top[0]}, {data.label(top[1])}.")
    else:
        parts.append(f"{len(pairs)} categories. Highest: {top[0]}, {data.label(top[1])}. "
                     f"Lowest: {low[0]}, {data.label(low[1])}.")
    for name, value in pairs:
        if name == data.highlight:
            parts.append(f"Highlighted: {name}, {data.label(value)}.")
    for mark, level in (("\u2021", "significant"), ("\u2020", "notable")):
        marked = [name for name, m in zip(data.categories, data.marks) if m == mark]
        if marked:
            parts.append(f"Change {level} beyond normal variation: {', '.join(marked)}.")
    return " ".join(parts)
