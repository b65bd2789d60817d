"""`chart`: a matplotlib chart from a data source, in brand colours, with generated alt text.

Bar, horizontal bar, pie, donut and line. Values can be summed by category and shown as shares
of the total (`percent: true`); one category (or line) can be highlighted.
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field, field_validator, model_validator

from deckgen.data import labels
from deckgen.data.frames import (
    blank_line,
    filter_rows,
    long_line,
    require_columns,
    series,
    sums_by,
    texts,
)
from deckgen.data.provenance import NOT_REAL_NOTES
from deckgen.errors import DeckError, did_you_mean, excerpt, listing
from deckgen.kinds.base import Planned, SlideContext, SlideSpec, data_head
from deckgen.kinds.bullets import Point, check_points, point_paragraphs
from deckgen.layout.chartdata import ChartData, ChartType, Series, alt_text
from deckgen.layout.frame import caption_height, content_title, fitted, notes_with, paragraph
from deckgen.layout.plan import Box, ChartPicture, Element, NativeChart, SlidePlan, inches
from deckgen.source import noise, numformat
from deckgen.source.noise import ChangeSpec
from deckgen.source.schema import Illustrative

#: The most slices a pie or donut shows: more cannot be told apart by shade or keyed legibly.
MAX_SLICES = 8
#: Characters in a category's name: a chart's category is a name, drawn and measured on the
#: slide (a 100,000-character one took seconds to lay out, and means a wrong column).
MAX_CATEGORY_CHARS = 200


class Spec(SlideSpec):
    kind: Literal["chart"]
    chart: ChartType
    data: str
    x: str  # the category column (for a wide line chart: the column naming each line)
    # the value column; for a wide line chart, one column per point; for a bar or hbar chart,
    # one column per bar of each category (clustered bars: two periods side by side)
    y: Union[str, list[str]]
    x_labels: list[str] = Field(default_factory=list)  # names of the points of a wide line chart
    y_labels: list[str] = Field(default_factory=list)  # names of clustered bars' columns
    # rows whose column has this value (or one of a list of values)
    where: dict[str, Union[str, int, float, list[Union[str, int, float]]]] = Field(
        default_factory=dict)
    percent: bool = False  # show each category's share of the total
    # default descending; a line chart keeps the data's order (its points are a sequence)
    sort: Optional[Literal["descending", "ascending", "none"]] = None
    top: Optional[int] = Field(default=None, ge=2, le=20)  # keep the top N, the rest as 'Other'
    highlight: Optional[str] = None
    value_format: str = ""  # the labels' format ('0.0', '+0.0;-0.0', '.1f'); default '#,##0',
    # or '0.0' for shares
    unit: Optional[Literal["percent"]] = None  # y is already in percent: '0.0%' shows 6.4 as 6.4%
    value_suffix: Optional[str] = None  # default '%' with percent
    axis_label: str = ""
    subtitle: str = ""  # a line under the title, e.g. 'Force wide'
    what: str = ""  # what the categories are, for alt text (default: the x column's name)
    # a source line under the chart; default: from the data's `source:` and `as_of:`
    # (data/provenance.py); false for none
    source: Union[Literal[False], str] = ""
    # the data is made up: say so on the slide and in the notes; 'synthetic' for data a script
    # generated (a synthetic extract) rather than figures standing in for lost ones. Default:
    # as the data source says (its `illustrative:`)
    illustrative: Illustrative = False
    points: list[Point] = Field(default_factory=list)  # bullets beside the chart
    # y is the change between two counts (one row per category): mark each bar by its
    # Poisson noise, and leave out a % change on a small base (source/noise.py)
    change: Optional[ChangeSpec] = None
    # matplotlib: a picture drawn exactly as designed; native: a PowerPoint chart, its figures
    # embedded for "Edit Data". Default: the deck's `chart_engine:`
    engine: Optional[Literal["matplotlib", "native"]] = None

    _valid = field_validator("points")(check_points)
    _format = field_validator("value_format")(numformat.checked)

    @model_validator(mode="after")
    def _shape(self) -> "Spec":
        if isinstance(self.y, list) and self.chart not in ("line", "bar", "hbar"):
            raise ValueError("'y' may list several columns only for a line chart (one column "
                             "per point) or a bar or hbar chart (clustered bars)")
        if isinstance(self.y, list) and self.chart != "line" and (
                self.percent or self.top or self.change or self.x_labels):
            raise ValueError("clustered bars ('y' listing columns) show the figures as they "
                             "are: no 'percent', 'top', 'change' or 'x_labels' (name the columns "
                             "with 'y_labels')")
        if self.y_labels and (not isinstance(self.y, list) or self.chart == "line"):
            raise ValueError("'y_labels' names the columns of clustered bars ('y' listing "
                             "columns on a bar or hbar chart)")
        if self.y_labels and isinstance(self.y, list) and len(self.y_labels) != len(self.y):
            raise ValueError(f"'y_labels' has {len(self.y_labels)} names for {len(self.y)} "
                             "columns in 'y'")
        if self.x_labels and not isinstance(self.y, list):
            raise ValueError("'x_labels' names the columns listed in 'y'")
        if isinstance(self.y, list) and self.x_labels and len(self.x_labels) != len(self.y):
            raise ValueError(f"'x_labels' has {len(self.x_labels)} names for {len(self.y)} "
                             "columns in 'y'")
        if self.chart == "line" and self.sort in ("descending", "ascending"):
            raise ValueError(f"a line chart keeps its points in the data's order: sorted by "
                             f"value ({self.sort}) a time series would draw a trend that is not "
                             "there; leave 'sort' out, or sort the rows with a 'sort:' step")
        if self.chart == "line" and self.top:
            raise ValueError("'top' adds the smallest categories up as 'Other': a line's "
                             "points are a sequence, not categories; filter the rows with "
                             "'where:' or the data's steps")
        if self.change is not None and (self.chart not in ("bar", "hbar") or self.percent
                                        or self.top):
            raise ValueError("'change' marks the bars of a bar or hbar chart of a change, "
                             "not shares ('percent') or a top few ('top')")
        return self


def resolve(spec: Spec, ctx: SlideContext) -> ChartData:
    """Filter, aggregate, sort and trim the data into what the chart shows."""
    store = ctx.data
    df = store.frame(spec.data)
    shown = store.shown(spec.data)
    ys = spec.y if isinstance(spec.y, list) else [spec.y]
    for field_name, columns in (("x", [spec.x]), ("y", ys), ("where", list(spec.where))):
        problem = require_columns(df, columns, shown)
        if problem:
            raise ctx.error(problem, field_name)
    for y in ys:
        store.numeric_column(spec.data, y, ctx.label, ctx.locate("y"))
    _check_values(spec, df, ctx, shown)
    rows = filter_rows(df, spec.where)
    if rows.empty:
        raise ctx.error(f"no rows of {shown} match {spec.where}", "where")
    line = blank_line(rows, spec.x)
    if line is not None:
        raise DeckError.single(
            f"{store.row(spec.data, line)} has no {spec.x}: a chart cannot show a category "
            "with no name (its figures would be left out of every share); fill it in, or leave "
            "the row out", store.cell(spec.data, line, spec.x), ctx.label)
    line = long_line(rows, spec.x, MAX_CATEGORY_CHARS)
    if line is not None:
        raise DeckError.single(
            f"{store.row(spec.data, line)} has a {spec.x} "
            f"{len(str(rows.at[line, spec.x])):,} characters long; a chart's category is a name of "
            f"at most {MAX_CATEGORY_CHARS} characters: is '{spec.x}' the right column?",
            store.cell(spec.data, line, spec.x), ctx.label)
    for y in ys:
        line = blank_line(rows, y)
        if line is not None:
            raise DeckError.single(
                f"{store.row(spec.data, line)} has no figure for '{y}' (the cell is empty, or "
                "says n/a or the like): a chart cannot show a missing value; fill it in",
                store.cell(spec.data, line, y), ctx.label)
    fmt = spec.value_format or (".1f" if spec.percent else ",.0f")
    suffix = spec.value_suffix if spec.value_suffix is not None else ("%" if spec.percent else "")
    common: dict[str, Any] = dict(highlight=spec.highlight, value_format=fmt, value_suffix=suffix,
                                  axis_label=spec.axis_label, subtitle=spec.subtitle,
                                  what=spec.what or spec.x.replace("_", " "),
                                  in_percent=spec.percent or spec.unit == "percent",
                                  minus=ctx.theme.brand.minus)
    names = labels.labels(store, spec.data)[0].get(spec.x, {})
    if spec.highlight is not None:
        common["highlight"] = labels.shown(spec.highlight, names)
    if isinstance(spec.y, list) and spec.chart != "line":
        return _clustered(spec, spec.y, rows, names, common)
    if isinstance(spec.y, list):
        points = tuple(spec.x_labels or spec.y)
        lines = tuple(Series(str(labels.shown(name, names)), values)
                      for name, values in series(rows, spec.x, spec.y))
        return ChartData(spec.chart, points, lines, **common)
    pairs = sums_by(rows, spec.x, spec.y)
    marks: dict[str, str] = {}
    if spec.change is not None:
        pairs, marks, left_out = _flagged(spec, spec.change, rows, pairs, ctx)
        omitted = [str(labels.shown(k, names)) for k in left_out]
        common["note"] = " ".join(p for p in (
            noise.footnote({lv for lv in noise.LEVELS if noise.MARKERS[lv] in marks.values()
                            or (lv == "noise" and "" in marks.values())}, False, None,
                           spec.change.notable, spec.change.significant),
            f"Not shown: {', '.join(omitted)} (a % change on fewer than "
            f"{spec.change.small_base:g} before)." if omitted else "") if p)
    if spec.percent:
        total = sum(v for _, v in pairs)
        if total == 0:
            raise ctx.error(f"the values of '{spec.y}' add up to 0; no shares to show", "y")
        pairs = [(k, v * 100 / total) for k, v in pairs]
    order = _order(spec)
    if order != "none":
        pairs.sort(key=lambda p: p[1], reverse=order == "descending")
    if spec.top and len(pairs) > spec.top:
        keep = pairs[: spec.top - 1]
        keep.append(("Other", sum(v for _, v in pairs[spec.top - 1:])))
        pairs = keep
    if spec.chart in ("pie", "donut") and len(pairs) > MAX_SLICES:
        raise ctx.error(f"a {spec.chart} of {len(pairs)} slices cannot be read (their shades "
                        f"and the key run together); keep the largest with 'top: "
                        f"{MAX_SLICES}' (the rest as 'Other'), or draw it as 'chart: hbar'",
                        "top" if spec.top else "chart")
    cats = tuple(str(labels.shown(k, names)) if k != "Other" or spec.top is None else k
                 for k, _ in pairs)
    if marks:
        common["marks"] = tuple(marks.get(k, "") for k, _ in pairs)
    return ChartData(spec.chart, cats, (Series(spec.y, tuple(v for _, v in pairs)),), **common)


def _order(spec: Spec) -> str:
    """How the categories are sorted: as said, else by value, largest first; a line's points
    stay in the data's order."""
    return spec.sort or ("none" if spec.chart == "line" else "descending")


def _clustered(spec: Spec, ys: list[str], rows: Any, names: dict[str, str],
               common: dict[str, Any]) -> ChartData:
    """Bars side by side for each category, one for each column (two periods): summed by
    category, sorted by the last column."""
    sums = [dict(sums_by(rows, spec.x, y)) for y in ys]
    order, how = list(sums[-1]), _order(spec)
    if how != "none":
        order.sort(key=lambda k: sums[-1][k], reverse=how == "descending")
    bars = tuple(Series(name, tuple(column[k] for k in order))
                 for name, column in zip(spec.y_labels or ys, sums))
    cats = tuple(str(labels.shown(k, names)) for k in order)
    return ChartData(spec.chart, cats, bars, **common)


def _flagged(spec: Spec, change: ChangeSpec, rows: Any, pairs: list[tuple[str, float]],
             ctx: SlideContext) -> tuple[list[tuple[str, float]], dict[str, str], list[str]]:
    """Each category's mark by the Poisson noise of its change; the categories left out, a %
    change on a small base. The figure must be the change of the two counts, one row each."""
    assert isinstance(spec.y, str)
    for key in ("current", "previous"):
        problem = require_columns(rows, [getattr(change, key)], ctx.data.shown(spec.data))
        if problem:
            raise ctx.error(problem, "change", key)
    if len(pairs) != len(rows):
        raise ctx.error(f"'change' needs one row for each {spec.x}: a change added up over "
                        "rows is no change of their counts; filter with 'where:'", "change")
    now, before = (dict(sums_by(rows, spec.x, getattr(change, k)))
                   for k in ("current", "previous"))
    for key, counts in (("current", now), ("previous", before)):  # as a table's change
        wrong = next((v for v in counts.values() if not noise.is_count(v)), None)
        if wrong is not None:
            raise ctx.error(f"change: '{getattr(change, key)}' holds {wrong:g}, not a count; "
                            "the Poisson flag is for counts of crimes or incidents, not rates "
                            "or averages", "change", key)
    kinds = {True, False}
    for category, value in pairs:
        kinds &= noise.change_kinds(value, now[category], before[category])
        if not kinds:
            raise ctx.error(f"'{spec.y}' is {value:g} for {category}, where {change.current} is "
                            f"{now[category]:g} and {change.previous} {before[category]:g}: "
                            "neither their difference nor their % change", "change")
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


def _check_values(spec: Spec, df: Any, ctx: SlideContext, shown: str) -> None:
    """A filter or highlight naming a value the data lacks is an error, never a blank chart."""
    for column, wanted in spec.where.items():
        values = sorted(set(texts(df, column)))
        for value in wanted if isinstance(wanted, list) else [wanted]:
            if str(value) in values:
                continue
            hint = (f"; to keep values starting '{str(value)[:-1]}', filter with a step: "
                    f"{{starts_with: {str(value)[:-1]}}}" if str(value).endswith("*")
                    else labels.named(ctx.data, spec.data, column, value)
                    or did_you_mean(str(value), values))
            raise ctx.error(f"'{excerpt(value)}' is not a value of column '{column}' in {shown}; "
                            f"values are: {listing(values)}{hint}", "where", column)
    if spec.highlight is not None:
        values = sorted(set(texts(df, spec.x)))
        if spec.highlight not in values:
            hint = labels.named(ctx.data, spec.data, spec.x, spec.highlight) or \
                did_you_mean(spec.highlight, values)
            raise ctx.error(f"highlight '{excerpt(spec.highlight)}' is not a value of column "
                            f"'{spec.x}' in {shown}; values are: {listing(values)}{hint}",
                            "highlight")


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    data = resolve(spec, ctx)
    head = data_head(ctx, spec.data, spec.source, spec.subtitle, spec.illustrative)
    not_real, source, top = head.not_real, head.source, head.top
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = list(head.elements)
    note_h, source_h = caption_height(data.note, theme), caption_height(source, theme)
    bottom = area.bottom - source_h - note_h
    chart_box = Box(area.x, top, area.w, bottom - top)
    side = None
    if spec.points:
        chart_w = int(area.w * 0.6)
        side = Box(area.x + chart_w + theme.gap, top, area.w - chart_w - theme.gap, bottom - top)
        chart_box = Box(area.x, top, chart_w, bottom - top)
    alt = alt_text(data)
    if not_real:
        alt = f"{not_real.capitalize()} data, not real figures. " + alt
    if (spec.engine or ctx.chart_engine) == "native":
        elements.append(NativeChart(chart_box, data, alt, "Chart",
                                    (c.primary, c.accent, c.muted, c.text, c.light)))
    else:
        elements.append(ChartPicture(chart_box, data, alt, "Chart"))
    if side is not None:
        elements.append(fitted(side, point_paragraphs(spec.points, theme, size=20), "Points",
                               anchor="middle"))
    if data.note:
        elements.append(fitted(Box(area.x, bottom + inches(0.05), area.w, note_h - inches(0.05)),
                               [paragraph(data.note, theme.caption_size, c.muted)],
                               "Footnote"))
    if source:
        src = Box(area.x, bottom + note_h + inches(0.05), area.w, source_h - inches(0.05))
        elements.append(fitted(src, [paragraph(source, theme.caption_size, c.muted)],
                               "Source"))
    warnings = head.warnings
    if not data.in_percent and spec.value_format:
        values = [v for s in data.series for v in s.values]
        message = numformat.percent_warning(values, spec.value_format, "unit")
        if message and numformat.surely_in_percent(values):
            raise ctx.error(message, "value_format")
        if message:
            warnings.append(ctx.warning(message, "value_format"))
    notes = notes_with(spec.notes, NOT_REAL_NOTES.get(not_real, ""),
                       f"Chart description: {alt}")
    return Planned([SlidePlan(content_title(spec.title, theme), elements, notes)], warnings)
