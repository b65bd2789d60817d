"""`chart`: a chart from a data source, drawn as a picture (matplotlib) or as a native,
editable PowerPoint chart (`engine: native`), in brand colours, with generated alt text.

Bar, horizontal bar, pie, donut and line. Values can be summed by category and shown as shares
of the total (`percent: true`); one category (or line) can be highlighted.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field, field_validator, model_validator

from deckgen.data import series
from deckgen.data.chartcontext import reference_rows
from deckgen.data.provenance import NOT_REAL_NOTES
from deckgen.data.series import Order, Shape
from deckgen.kinds.base import Planned, SlideContext, SlideSpec, data_head
from deckgen.kinds.bullets import Point, check_points, point_paragraphs
from deckgen.kinds.chartcontext import Compare, YearEarlier, context_problem, with_context
from deckgen.layout.chartdata import ChartData, ChartType, alt_text
from deckgen.layout.frame import caption_height, content_title, fitted, notes_with, paragraph
from deckgen.layout.plan import Box, ChartPicture, Element, NativeChart, SlidePlan, inches
from deckgen.source import noise, numformat
from deckgen.source.chartkeys import Limits, Reference
from deckgen.source.noise import ChangeSpec
from deckgen.source.schema import Illustrative

#: The most slices a pie or donut shows: more cannot be told apart by shade or keyed legibly.
MAX_SLICES = 8


class Spec(SlideSpec):
    kind: Literal["chart"]
    chart: ChartType
    data: str
    x: str = Field(
        description="the category column (for a wide line chart: the column naming each line)")
    y: Union[str, list[str]] = Field(
        description="the value column; for a wide line chart, one column per point; for a bar or "
                    "hbar chart, one column per bar of each category (clustered bars: two periods "
                    "side by side)")
    x_labels: list[str] = Field(
        default_factory=list,
        description="names of the points of a wide line chart")
    y_labels: list[str] = Field(
        default_factory=list,
        description="names of clustered bars' columns")
    where: dict[str, Union[str, int, float, list[Union[str, int, float]]]] = Field(
        default_factory=dict,
        description="rows whose column has this value (or one of a list of values)")
    percent: bool = Field(default=False, description="show each category's share of the total")
    sort: Optional[Literal["descending", "ascending", "none"]] = Field(
        default=None,
        description="default descending; a line chart keeps the data's order (its points are a "
                    "sequence)")
    top: Optional[int] = Field(
        default=None, ge=2, le=20,
        description="keep the top N, the rest as 'Other'")
    other: str = Field(
        default="Other", min_length=1, max_length=60,
        description="the name of the rest's bar with `top:`; police.uk has 'Other theft' and "
                    "'Other crime': 'All other types' keeps them apart")
    highlight: Optional[str] = None
    value_format: str = Field(
        default="",
        description="the labels' format ('0.0', '+0.0;-0.0', '.1f'); default '#,##0', or "
                    "'0.0' for shares")
    unit: Optional[Literal["percent"]] = Field(
        default=None,
        description="y is already in percent: '0.0%' shows 6.4 as 6.4%")
    value_suffix: Optional[str] = Field(default=None, description="default '%' with percent")
    axis_label: str = ""
    subtitle: str = Field(default="", description="a line under the title, e.g. 'Force wide'")
    what: str = Field(
        default="",
        description="what the categories are, for alt text (default: the x column's name)")
    source: Union[Literal[False], str] = Field(
        default="",
        description="a source line under the chart; default: from the data's `source:` and "
                    "`as_of:` (data/provenance.py); false for none")
    illustrative: Illustrative = Field(
        default=False,
        description="the data is made up: say so on the slide and in the notes; 'synthetic' for "
                    "data a script generated (a synthetic extract) rather than figures standing "
                    "in for lost ones. Default: as the data source says (its `illustrative:`)")
    points: list[Point] = Field(default_factory=list, description="bullets beside the chart")
    change: Optional[ChangeSpec] = Field(
        default=None,
        description="y is the change between two counts (one row per category): mark each bar by "
                    "its Poisson noise, and leave out a % change on a small base "
                    "(source/noise.py)")
    engine: Optional[Literal["matplotlib", "native"]] = Field(
        default=None,
        description="matplotlib: a picture drawn exactly as designed; native: a PowerPoint chart, "
                    "its figures embedded for \"Edit Data\". Default: the deck's `chart_engine:`")
    reference: list[Reference] = Field(
        default_factory=list,
        description="bar, hbar: labelled lines across the bars (a force average, a named row, a "
                    "target)")
    limits: Optional[Limits] = Field(
        default=None,
        description="line: control limits over a baseline of monthly counts (data/spc.py)")
    good: Optional[Literal["up", "down"]] = Field(
        default=None,
        description="with limits: which way is an improvement")
    year_earlier: Optional[YearEarlier] = Field(
        default=None,
        description="line: the same months a year earlier, from a data source of those months")
    compare: Optional[Compare] = Field(
        default=None,
        description="bar, hbar of shares: the same shares over other rows (the force's) beside "
                    "each bar")

    _valid = field_validator("points")(check_points)
    _format = field_validator("value_format")(numformat.checked)

    @model_validator(mode="after")
    def _shape(self) -> "Spec":
        for check in (_several_columns, _names_of_columns, _line_in_order, _change_of_bars,
                      context_problem):
            message = check(self)
            if message:
                raise ValueError(message)
        return self


def _several_columns(spec: Spec) -> str:
    """'y' lists columns only for a line (a column per point) or clustered bars, which show
    the figures as they are."""
    if not isinstance(spec.y, list):
        return ""
    if spec.chart not in ("line", "bar", "hbar"):
        return ("'y' may list several columns only for a line chart (one column per point) or "
                "a bar or hbar chart (clustered bars)")
    if spec.chart != "line" and (spec.percent or spec.top or spec.change or spec.x_labels):
        return ("clustered bars ('y' listing columns) show the figures as they are: no "
                "'percent', 'top', 'change' or 'x_labels' (name the columns with 'y_labels')")
    return ""


def _names_of_columns(spec: Spec) -> str:
    """'y_labels' names clustered bars' columns, 'x_labels' a wide line's: one name each."""
    several = isinstance(spec.y, list)
    if spec.y_labels and (not several or spec.chart == "line"):
        return ("'y_labels' names the columns of clustered bars ('y' listing columns on a bar "
                "or hbar chart)")
    if spec.y_labels and len(spec.y_labels) != len(spec.y):
        return f"'y_labels' has {len(spec.y_labels)} names for {len(spec.y)} columns in 'y'"
    if spec.x_labels and not several:
        return "'x_labels' names the columns listed in 'y'"
    if spec.x_labels and len(spec.x_labels) != len(spec.y):
        return f"'x_labels' has {len(spec.x_labels)} names for {len(spec.y)} columns in 'y'"
    return ""


def _line_in_order(spec: Spec) -> str:
    """A line's points are a sequence: never sorted by value, nor cut to a top few."""
    if spec.chart == "line" and spec.sort in ("descending", "ascending"):
        return (f"a line chart keeps its points in the data's order: sorted by value "
                f"({spec.sort}) a time series would draw a trend that is not there; leave "
                "'sort' out, or sort the rows with a 'sort:' step")
    if spec.chart == "line" and spec.top:
        return ("'top' adds the smallest categories up as 'Other': a line's points are a "
                "sequence, not categories; filter the rows with 'where:' or the data's steps")
    return ""


def _change_of_bars(spec: Spec) -> str:
    """'change' marks the bars of a change: one bar per category, as it is."""
    if spec.change is not None and (spec.chart not in ("bar", "hbar") or spec.percent
                                    or spec.top):
        return ("'change' marks the bars of a bar or hbar chart of a change, not shares "
                "('percent') or a top few ('top')")
    return ""


def resolve(spec: Spec, ctx: SlideContext) -> ChartData:
    """What the chart shows (data/series.py: its categories and series, computed from the
    data), in the chart's format, with its footnote."""
    shape: Shape = "categories" if isinstance(spec.y, str) else \
        "lines" if spec.chart == "line" else "clustered"
    found = series.chart_series(ctx, spec, shape, _order(spec), gaps=spec.chart == "line")
    if spec.reference:  # reference rows out of the bars (data/chartcontext.py)
        left_out = reference_rows(ctx, spec.data, spec.x, spec.where, spec.reference)
        if spec.highlight in left_out:
            raise ctx.error(f"highlight '{spec.highlight}' is a reference row, drawn as a line "
                            "and not as a bar: highlight a bar, or keep the row as a bar too "
                            "with 'keep: true'", "highlight")
        found = series.chart_series(ctx, spec, shape, _order(spec), exclude=left_out) \
            if left_out else found
    if spec.chart in ("pie", "donut") and len(found.categories) > MAX_SLICES:
        raise ctx.error(f"a {spec.chart} of {len(found.categories)} slices cannot be read (their "
                        f"shades and the key run together); keep the largest with 'top: "
                        f"{MAX_SLICES}' (the rest as 'Other'), or draw it as 'chart: hbar'",
                        "top" if spec.top else "chart")
    return with_context(spec, ctx, ChartData(
        spec.chart, found.categories, found.series, highlight=found.highlight,
        value_format=spec.value_format or (".1f" if spec.percent else ",.0f"),
        value_suffix=spec.value_suffix if spec.value_suffix is not None
        else ("%" if spec.percent else ""),
        axis_label=spec.axis_label, subtitle=spec.subtitle,
        what=spec.what or spec.x.replace("_", " "),
        in_percent=spec.percent or spec.unit == "percent",
        minus=ctx.theme.brand.minus, marks=found.marks, note=_note(spec, found)))


def _order(spec: Spec) -> Order:
    """How the categories are sorted: as said, else by value, largest first; a line's points
    stay in the data's order."""
    return spec.sort or ("none" if spec.chart == "line" else "descending")


def _note(spec: Spec, found: series.ChartSeries) -> str:
    """With `change:`, the footnote under the chart: what its marks mean, what it leaves out."""
    if spec.change is None:
        return ""
    marks = set(found.marks)
    return " ".join(p for p in (
        noise.footnote({lv for lv in noise.LEVELS if noise.MARKERS[lv] in marks
                        or (lv == "noise" and "" in marks)}, False, None,
                       spec.change.notable, spec.change.significant),
        f"Not shown: {', '.join(found.left_out)} (a % change on fewer than "
        f"{spec.change.small_base:g} before)." if found.left_out else "") if p)


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
