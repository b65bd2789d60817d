"""A chart's series: the categories it shows and the values of each series, computed from a
data source's rows as the chart slide asks (kinds/chart.py declares the keys, and draws).

Three shapes: values summed by category (shares of the total with `percent:`, sorted, the
smallest added up as 'Other' with `top:`, each bar marked by the Poisson noise of its change
with `change:`); one line per row of a wide table (`y` listing a column per point); and bars
side by side, one per column, summed by category (clustered bars). A filter or highlight that
names a value the data lacks, a category with no name and a missing figure are errors at the
slide's key or the data's cell: never a blank or silently short chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Mapping, Optional, Protocol, Sequence, Union

from deckgen.data import labels
from deckgen.data.frames import (
    blank_line,
    filter_rows,
    long_line,
    require_columns,
    sums_by,
    texts,
    value_text,
)
from deckgen.data.frames import series as row_series
from deckgen.data.slide import Slide, Wanted, wanted_texts
from deckgen.errors import DeckError, did_you_mean, excerpt, listing
from deckgen.source import noise
from deckgen.source.noise import ChangeSpec

if TYPE_CHECKING:
    import pandas as pd

#: Characters in a category's name: a chart's category is a name, drawn and measured on the
#: slide (a 100,000-character one took seconds to lay out, and means a wrong column).
MAX_CATEGORY_CHARS = 200

#: How the values are arranged: summed by category, a line per row, or bars side by side.
Shape = Literal["categories", "lines", "clustered"]
#: How categories are sorted by value (the last column's, for clustered bars).
Order = Literal["descending", "ascending", "none"]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartSeries:
    """What a chart shows: its categories (or a line's points) as slides name them, each
    series' values, the highlighted category (or line) as slides name it; with `change:`, each
    category's noise mark (‡, †, '') and the categories left out (a % change on a small
    base)."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]
    highlight: Optional[str] = None
    marks: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()


class ChartAsked(Protocol):
    """A chart slide's keys that decide its figures (kinds/chart.py Spec)."""

    @property
    def data(self) -> str: ...

    @property
    def x(self) -> str: ...

    @property
    def y(self) -> Union[str, list[str]]: ...

    @property
    def x_labels(self) -> Sequence[str]: ...

    @property
    def y_labels(self) -> Sequence[str]: ...

    @property
    def where(self) -> Mapping[str, Wanted]: ...

    @property
    def percent(self) -> bool: ...

    @property
    def top(self) -> Optional[int]: ...

    @property
    def other(self) -> str: ...

    @property
    def highlight(self) -> Optional[str]: ...

    @property
    def change(self) -> Optional[ChangeSpec]: ...


def chart_series(slide: Slide, chart: ChartAsked, shape: Shape, order: Order,
                 gaps: bool = False, exclude: Sequence[str] = ()) -> ChartSeries:
    """Filter, aggregate, sort and trim the data into what the chart shows. With `gaps` (a
    line), a point with no figure (a month with no data) is a gap, NaN, never an error or 0;
    the categories in `exclude` (reference rows, data/chartcontext.py) are left out."""
    rows = _rows(slide, chart, gaps)
    if exclude:
        rows = rows[~rows[chart.x].map(value_text).isin(list(exclude))]
    names = labels.labels(slide.data, chart.data)[0].get(chart.x, {})
    highlight = None if chart.highlight is None else str(labels.shown(chart.highlight, names))
    if isinstance(chart.y, list) and shape == "clustered":
        return _clustered(chart, chart.y, rows, names, order, highlight)
    if isinstance(chart.y, list):
        points = tuple(chart.x_labels or chart.y)
        lines = tuple(Series(str(labels.shown(name, names)), values)
                      for name, values in row_series(rows, chart.x, chart.y))
        return ChartSeries(points, lines, highlight)
    return _by_category(slide, chart, chart.y, rows, names, order, highlight)


def _rows(slide: Slide, chart: ChartAsked, gaps: bool = False) -> "pd.DataFrame":
    """The rows the chart shows, checked: its columns exist and hold figures, its filter and
    highlight name values of the data, every row has a category and a figure."""
    store = slide.data
    df = store.frame(chart.data)
    shown = store.shown(chart.data)
    ys = chart.y if isinstance(chart.y, list) else [chart.y]
    for field_name, columns in (("x", [chart.x]), ("y", ys), ("where", list(chart.where))):
        problem = require_columns(df, columns, shown)
        if problem:
            raise slide.error(problem, field_name)
    for y in ys:
        store.numeric_column(chart.data, y, slide.label, slide.locate("y"))
    _check_values(slide, chart, df, shown)
    rows = filter_rows(df, chart.where)
    if rows.empty:
        raise slide.error(f"no rows of {shown} match {chart.where}", "where")
    _check_rows(slide, chart, rows, [] if gaps else ys)
    return rows


def _check_values(slide: Slide, chart: ChartAsked, df: "pd.DataFrame", shown: str) -> None:
    """A filter or highlight naming a value the data lacks is an error, never a blank chart."""
    for column, wanted in chart.where.items():
        values = sorted(set(texts(df, column)))
        for value in wanted_texts(wanted):
            if value in values:
                continue
            hint = (f"; to keep values starting '{value[:-1]}', filter with a step: "
                    f"{{starts_with: {value[:-1]}}}" if value.endswith("*")
                    else labels.named(slide.data, chart.data, column, value)
                    or did_you_mean(value, values))
            raise slide.error(f"'{excerpt(value)}' is not a value of column '{column}' in "
                              f"{shown}; values are: {listing(values)}{hint}", "where", column)
    if chart.highlight is not None:
        values = sorted(set(texts(df, chart.x)))
        if chart.highlight not in values:
            hint = labels.named(slide.data, chart.data, chart.x, chart.highlight) or \
                did_you_mean(chart.highlight, values)
            raise slide.error(f"highlight '{excerpt(chart.highlight)}' is not a value of column "
                              f"'{chart.x}' in {shown}; values are: {listing(values)}{hint}",
                              "highlight")


def _check_rows(slide: Slide, chart: ChartAsked, rows: "pd.DataFrame", ys: list[str]) -> None:
    """Every row kept has a category (a name, not a paragraph) and a figure in `ys`, at the
    cell."""
    store = slide.data
    line = blank_line(rows, chart.x)
    if line is not None:
        raise DeckError.single(
            f"{store.row(chart.data, line)} has no {chart.x}: a chart cannot show a category "
            "with no name (its figures would be left out of every share); fill it in, or leave "
            "the row out", store.cell(chart.data, line, chart.x), slide.label)
    line = long_line(rows, chart.x, MAX_CATEGORY_CHARS)
    if line is not None:
        raise DeckError.single(
            f"{store.row(chart.data, line)} has a {chart.x} "
            f"{len(str(rows.at[line, chart.x])):,} characters long; a chart's category is a "
            f"name of at most {MAX_CATEGORY_CHARS} characters: is '{chart.x}' the right "
            "column?", store.cell(chart.data, line, chart.x), slide.label)
    for y in ys:
        line = blank_line(rows, y)
        if line is not None:
            raise DeckError.single(
                f"{store.row(chart.data, line)} has no figure for '{y}' (the cell is empty, or "
                "says n/a or the like): a chart cannot show a missing value; fill it in",
                store.cell(chart.data, line, y), slide.label)


def _by_category(slide: Slide, chart: ChartAsked, y: str, rows: "pd.DataFrame",
                 names: Mapping[str, str], order: Order, highlight: Optional[str]
                 ) -> ChartSeries:
    """The values of `y` summed by category: marked by the noise of their change, as shares,
    sorted, the smallest added up as 'Other' beyond the top few."""
    pairs = sums_by(rows, chart.x, y)
    marks: dict[str, str] = {}
    left_out: list[str] = []
    if chart.change is not None:
        pairs, marks, left_out = _flagged(slide, chart, y, chart.change, rows, pairs)
    if chart.percent:
        total = sum(v for _, v in pairs)
        if total == 0:
            raise slide.error(f"the values of '{y}' add up to 0; no shares to show", "y")
        pairs = [(k, v * 100 / total) for k, v in pairs]
    if order != "none":
        pairs.sort(key=lambda p: p[1], reverse=order == "descending")
    rest = None
    if chart.top and len(pairs) > chart.top:
        _other_apart(slide, chart, [str(labels.shown(k, names)) for k, _ in pairs])
        rest = chart.other
        keep = pairs[: chart.top - 1]
        keep.append((rest, sum(v for _, v in pairs[chart.top - 1:])))
        pairs = keep
    cats = tuple(str(labels.shown(k, names)) if k != rest else k for k, _ in pairs)
    return ChartSeries(cats, (Series(y, tuple(v for _, v in pairs)),), highlight,
                       tuple(marks.get(k, "") for k, _ in pairs) if marks else (),
                       tuple(str(labels.shown(k, names)) for k in left_out))


def _other_apart(slide: Slide, chart: ChartAsked, categories: list[str]) -> None:
    """The bar of the rest must not read as a category of the data: 'Other' beside police.uk's
    'Other theft', with its 'Other crime' inside it, is an error that names the fix."""
    word = chart.other.casefold()
    alike = [c for c in categories if c.casefold() == word or c.casefold().startswith(word + " ")]
    if alike:
        raise slide.error(f"the rest's bar would be named '{chart.other}', beside the data's own "
                          f"{listing([repr(c) for c in alike], 3)}: a reader could not tell them "
                          "apart; name it with 'other:', e.g. other: All other types",
                          "other" if chart.other != "Other" else "top")


def _clustered(chart: ChartAsked, ys: list[str], rows: "pd.DataFrame",
               names: Mapping[str, str], order: Order, highlight: Optional[str]
               ) -> ChartSeries:
    """Bars side by side for each category, one for each column (two periods): summed by
    category, sorted by the last column."""
    sums = [dict(sums_by(rows, chart.x, y)) for y in ys]
    keys = list(sums[-1])
    if order != "none":
        keys.sort(key=lambda k: sums[-1][k], reverse=order == "descending")
    bars = tuple(Series(name, tuple(column[k] for k in keys))
                 for name, column in zip(chart.y_labels or ys, sums))
    cats = tuple(str(labels.shown(k, names)) for k in keys)
    return ChartSeries(cats, bars, highlight)


def _flagged(slide: Slide, chart: ChartAsked, y: str, change: ChangeSpec, rows: "pd.DataFrame",
             pairs: list[tuple[str, float]]
             ) -> tuple[list[tuple[str, float]], dict[str, str], list[str]]:
    """Each category's mark by the Poisson noise of its change; the categories left out, a %
    change on a small base. The figure must be the change of the two counts, one row each."""
    for key in ("current", "previous"):
        problem = require_columns(rows, [getattr(change, key)], slide.data.shown(chart.data))
        if problem:
            raise slide.error(problem, "change", key)
    if len(pairs) != len(rows):
        raise slide.error(f"'change' needs one row for each {chart.x}: a change added up over "
                          "rows is no change of their counts; filter with 'where:'", "change")
    now, before = (dict(sums_by(rows, chart.x, getattr(change, k)))
                   for k in ("current", "previous"))
    for key, counts in (("current", now), ("previous", before)):  # as a table's change
        wrong = next((v for v in counts.values() if not noise.is_count(v)), None)
        if wrong is not None:
            raise slide.error(f"change: '{getattr(change, key)}' holds {wrong:g}, not a count; "
                              "the Poisson flag is for counts of crimes or incidents, not "
                              "rates or averages", "change", key)
    kinds = {True, False}
    for category, value in pairs:
        kinds &= noise.change_kinds(value, now[category], before[category])
        if not kinds:
            raise slide.error(f"'{y}' is {value:g} for {category}, where {change.current} is "
                              f"{now[category]:g} and {change.previous} "
                              f"{before[category]:g}: neither their difference nor their % "
                              "change", "change")
    percent = kinds == {True}
    kept, marks, left_out = [], {}, []
    for category, value in pairs:
        if percent and before[category] < change.small_base:
            left_out.append(category)
            continue
        level = noise.level(noise.z_score(now[category], before[category]), change.notable,
                            change.significant)
        kept.append((category, value))
        marks[category] = noise.MARKERS[level]
    return kept, marks, left_out
