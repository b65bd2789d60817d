"""The figures of a chart's context, computed from the data: its reference lines' values and
its control limits (data/spc.py). The chart's own series come from data/series.py; the kinds
lay them out (kinds/chart.py), the renderers draw them.

A reference row (`row: Essex`) is taken out of the bars by default: a force among its
districts is not one of them, and as a bar it would be ranked with them and stretch the axis;
as a line every bar reads against it. `keep: true` keeps it as a bar as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

from deckgen.data import spc
from deckgen.data.frames import filter_rows, sums_by, texts
from deckgen.data.slide import Slide
from deckgen.errors import excerpt, listing
from deckgen.source.chartkeys import LimitsSpec, Reference
from deckgen.source.figures import FigureError, parse_ref

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ReferenceValue:
    """A reference line's value and label, as computed."""

    value: float
    label: str


def reference_rows(slide: Slide, data: str, x: str, where: Mapping[str, Any],
                   references: Sequence[Reference]) -> tuple[str, ...]:
    """The rows (values of `x`) to take out of the bars: each `row:` reference not kept.
    A row the data lacks is an error naming the rows it has."""
    df = filter_rows(slide.data.frame(data), where)
    values = sorted(set(texts(df, x)))
    out = []
    for i, ref in enumerate(references):
        if ref.row is None:
            continue
        if ref.row not in values:
            raise slide.error(f"reference row '{excerpt(ref.row)}' is not a value of column "
                              f"'{x}' in {slide.data.shown(data)}; rows are: "
                              f"{listing(values)}", "reference", i, "row")
        if not ref.keep:
            out.append(ref.row)
    return tuple(out)


def reference_values(slide: Slide, data: str, x: str, y: str, where: Mapping[str, Any],
                     references: Sequence[Reference], bars: Sequence[float]
                     ) -> tuple[ReferenceValue, ...]:
    """Each reference line's value: a row's figure (summed as the bars are), the mean of the
    bars shown, a number, or a cell of the data."""
    out = []
    rows: Optional["pd.DataFrame"] = None
    for i, ref in enumerate(references):
        if ref.row is not None:
            if rows is None:
                rows = filter_rows(slide.data.frame(data), where)
            value = dict(sums_by(rows, x, y))[ref.row]
            out.append(ReferenceValue(value, ref.label or ref.row))
        elif ref.mean:
            if not bars:
                raise slide.error("no bars to take the mean of", "reference", i)
            out.append(ReferenceValue(sum(bars) / len(bars), ref.label or "Average"))
        elif ref.value is not None:
            out.append(ReferenceValue(float(ref.value), ref.label))
        else:
            out.append(ReferenceValue(_cell(slide, str(ref.cell), i), ref.label))
    return tuple(out)


def _cell(slide: Slide, text: str, i: int) -> float:
    """A cell of the data, written as a figure in text is: `asb_force[total].pct_change`."""
    from deckgen.data.figures import StoreFigures

    try:
        value = StoreFigures(slide.data).value(parse_ref(text))
    except FigureError as e:
        raise slide.error(f"reference cell: {e.message}", "reference", i, "cell") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise slide.error(f"reference cell {text} holds '{excerpt(str(value))}', not a number",
                          "reference", i, "cell")
    return float(value)


def control(slide: Slide, values: Sequence[float], limits: LimitsSpec) -> spc.ControlChart:
    """The control limits of a line's monthly counts and its special causes (data/spc.py),
    or an error at the slide's `limits:` that says what to change."""
    if limits.baseline is not None and limits.baseline > len(values):
        raise slide.error(f"limits: a baseline of {limits.baseline} months, but the chart shows "
                          f"{len(values)}; the baseline is the first months shown",
                          "limits", "baseline")
    months = limits.baseline or len(values)
    if months < spc.MIN_BASELINE:
        raise slide.error(f"limits: a control chart needs a baseline of at least "
                          f"{spc.MIN_BASELINE} months (20 or more are better); it has {months}: "
                          "show more months, or leave 'limits' out",
                          "limits", *(("baseline",) if limits.baseline else ()))
    try:
        return spc.control_chart(values, limits.method, limits.baseline, limits.assess)
    except spc.SpcError as e:
        raise slide.error(f"limits: {e}", "limits") from None


def shares(slide: Slide, data: str, x: str, y: str, where: Mapping[str, Any], at: str
           ) -> dict[str, float]:
    """Each category's share (%) of the total of `y` over the rows `where` selects (all rows
    for none), keyed by the category's name as slides show it: what a chart's `compare:`
    sets beside its own shares (the force's crime mix beside a district's)."""
    from deckgen.data import labels

    df = slide.data.frame(data)
    missing = [c for c in where if c not in df.columns]
    if missing:
        raise slide.error(f"compare: '{missing[0]}' is not a column of "
                          f"{slide.data.shown(data)}", "compare", "where")
    rows = filter_rows(df, where)
    if rows.empty:
        raise slide.error(f"compare: no rows of {slide.data.shown(data)} match {dict(where)}",
                          "compare", "where")
    pairs = sums_by(rows, x, y)
    total = sum(v for _, v in pairs)
    if total == 0:
        raise slide.error(f"compare: the values of '{y}' add up to 0; no shares to compare",
                          "compare", at)
    names = labels.labels(slide.data, data)[0].get(x, {})
    return {str(labels.shown(k, names)): v * 100 / total for k, v in pairs}
