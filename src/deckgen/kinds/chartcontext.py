"""A chart slide's context (`reference:`, `limits:`, `year_earlier:`): which charts take which
key, and the chart's figures with their context added (reference lines, control limits, the
year-earlier line, the value axis that ends above them all). The figures are computed in the
data stage (data/chartcontext.py, data/spc.py, data/series.py); the words in
layout/chartcontext.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal, Mapping, Optional, Protocol, Sequence, Union

from pydantic import BaseModel, ConfigDict, Field

from deckgen.data import series
from deckgen.data.chartcontext import control, reference_values, shares
from deckgen.kinds.base import SlideContext
from deckgen.layout.chartcontext import ControlLines, ReferenceLine, control_lines, value_axis
from deckgen.layout.chartdata import ChartData, Series
from deckgen.source.chartkeys import Limits, Reference, limits_spec

#: The year-earlier line's name, in the legend and the alt text, unless the outline names it.
YEAR_EARLIER = "Same months a year earlier"


class YearEarlier(BaseModel):
    """`year_earlier:` on a line chart: a data source of the same months a year earlier (a
    window with `years_before: 1` over the same records), read with the chart's `x`, `y` and
    `where`."""

    model_config = ConfigDict(extra="forbid")

    data: str
    label: str = YEAR_EARLIER


class Asked(Protocol):
    """The chart slide's keys its context reads (kinds/chart.py Spec)."""

    @property
    def chart(self) -> str: ...

    @property
    def data(self) -> str: ...

    @property
    def x(self) -> str: ...

    @property
    def y(self) -> Union[str, list[str]]: ...

    @property
    def where(self) -> Mapping[str, Any]: ...

    @property
    def percent(self) -> bool: ...

    @property
    def top(self) -> Optional[int]: ...

    @property
    def reference(self) -> Sequence[Reference]: ...

    @property
    def limits(self) -> Optional[Limits]: ...

    @property
    def good(self) -> Optional[str]: ...

    @property
    def year_earlier(self) -> Optional["YearEarlier"]: ...

    @property
    def compare(self) -> Optional["Compare"]: ...

    @property
    def other(self) -> str: ...

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Any: ...


class Compare(BaseModel):
    """`compare:` on a bar or hbar chart of shares: the same shares over other rows (the
    force's, all rows by default) as a second bar beside each category."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="what the other rows are: 'All districts', 'Essex'")
    where: dict[str, Union[str, int, float, list[Union[str, int, float]]]] = {}
    name: str = Field(
        default="",
        description="the chart's own bars' name; default: the values of its `where`")


def context_problem(spec: Asked) -> str:
    """Which charts take which context key: what is wrong, or ''."""
    one_series = isinstance(spec.y, str)
    if spec.reference and (spec.chart not in ("bar", "hbar") or not one_series):
        return ("'reference' draws lines across the bars of a bar or hbar chart of one "
                "column ('y' naming one column)")
    if spec.compare is not None and (spec.chart not in ("bar", "hbar") or not one_series
                                     or not spec.percent):
        return ("'compare' sets shares beside shares: a bar or hbar chart of one column with "
                "'percent: true' (counts of a district and a force are not on one scale)")
    if spec.reference and (spec.percent or spec.top):
        return ("'reference' lines are drawn at figures of the bars' own kind: not on shares "
                "('percent') or a top few ('top'), whose bars are computed from the rows")
    for key in ("limits", "year_earlier"):
        if getattr(spec, key) is not None and (spec.chart != "line" or not one_series):
            return (f"'{key}' is for a line chart of one series of months ('chart: line', 'y' "
                    "naming one column)")
    if spec.good is not None and spec.limits is None:
        return "'good' says which way is an improvement on a control chart: it needs 'limits'"
    return ""


def with_context(spec: Asked, ctx: SlideContext, data: ChartData) -> ChartData:
    """The chart with its reference lines, control limits, year-earlier line and fixed value
    axis, each computed from the data."""
    references = tuple(ReferenceLine(r.value, r.label) for r in reference_values(
        ctx, spec.data, spec.x, str(spec.y), spec.where, spec.reference,
        data.series[0].values)) if spec.reference else ()
    lines: Optional[ControlLines] = None
    if spec.limits is not None:
        asked = limits_spec(spec.limits)
        chart = control(ctx, data.series[0].values, asked)
        lines = control_lines(chart, data.categories, _good(spec.good), data.label)
    earlier = _year_earlier(spec, ctx, len(data.categories)) \
        if spec.year_earlier is not None else None
    if spec.compare is not None:
        data = _compared(spec, spec.compare, ctx, data)
    if not (references or lines or earlier or spec.chart == "line"):
        return data
    values = [v for s in data.series for v in s.values] + [r.value for r in references]
    values += [lines.upper, lines.lower] if lines else []
    values += list(earlier.values) if earlier else []
    note = " ".join(p for p in (data.note, lines.note if lines else "") if p)
    return replace(data, references=references, control=lines, earlier=earlier,
                   axis=value_axis(values), note=note)


def _compared(spec: Asked, compare: Compare, ctx: SlideContext, data: ChartData
              ) -> ChartData:
    """The chart's shares beside the same shares over the rows `compare` selects: the
    comparison's bars first (lighter), the chart's own last (the primary colour), in the
    chart's order; a category only the comparison has is added (0 in the chart's own), and
    the rest's bar ('Other', or as `other:` names it) is the rest of the comparison's shares,
    so both add up to 100."""
    theirs = shares(ctx, spec.data, spec.x, str(spec.y), compare.where, "label")
    own = dict(zip(data.categories, data.series[0].values))
    categories = list(data.categories)
    rest = spec.other
    if rest not in own:
        categories += [c for c in theirs if c not in own]
    values = [theirs.get(c, 0.0) for c in categories]
    if rest in own and rest not in theirs:  # the rest of theirs, as the chart's rest
        values[categories.index(rest)] = 100 - sum(v for c, v in theirs.items() if c in own)
    mine = [own.get(c, 0.0) for c in categories]
    name = compare.name or ", ".join(
        str(v) for w in spec.where.values() for v in (w if isinstance(w, list) else [w]))
    return replace(data, categories=tuple(categories), series=(
        Series(compare.label, tuple(values)), Series(name or "This chart", tuple(mine))))


def _good(good: Optional[str]) -> Optional[Literal["up", "down"]]:
    return "up" if good == "up" else "down" if good == "down" else None


def _year_earlier(spec: Asked, ctx: SlideContext, points: int) -> Series:
    """The same months a year earlier: the chart's `x`, `y` and `where` over the source the
    outline names, one figure for each month shown, in order."""
    asked = spec.year_earlier
    assert asked is not None
    if asked.data not in ctx.data.specs:
        raise ctx.error(f"year_earlier: '{asked.data}' is not a data source; declare one with "
                        "the same steps over a window a year earlier (years_before: 1)",
                        "year_earlier", "data")
    found = series.chart_series(ctx, spec.model_copy(update={
        "data": asked.data, "highlight": None}), "categories", "none")
    if len(found.categories) != points:
        raise ctx.error(f"year_earlier: {asked.data} has {len(found.categories)} months where "
                        f"the chart shows {points}; it must hold the same months a year "
                        "earlier, one row each (a window with the chart's months and "
                        "years_before: 1)", "year_earlier", "data")
    return Series(asked.label, found.series[0].values)
