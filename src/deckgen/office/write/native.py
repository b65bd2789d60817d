"""Native charts: PowerPoint draws them, and their figures are embedded in the deck, so a
colleague finalising it can correct a figure or restyle the chart ("Edit Data").

The chart shows what the matplotlib picture shows (layout/chartdata.py): the same categories in
the same order, the brand's colours, the highlighted category in the accent colour, value labels
in the chart's number format (its Excel code, source/numformat.py), the axis title and the
same alt text. The embedded workbook is made reproducible: its dates are the deck's, and
every name in it is a text cell, never a formula (internals.TextCategoryData).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.util import Pt

from deckgen.layout.plan import NativeChart
from deckgen.office.write.internals import TextCategoryData, chart_xml
from deckgen.office.write.nativelines import (
    extra_series,
    fix_axis,
    line_context,
    reference_lines,
)
from deckgen.office.write.xml import escape_ctrl, set_alt_text, storable
from deckgen.source import numformat

_TYPES = {"bar": XL_CHART_TYPE.COLUMN_CLUSTERED, "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
          "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE,
          "donut": XL_CHART_TYPE.DOUGHNUT}
LABEL_PT, AXIS_PT, TICK_PT = 14, 14, 14


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)  # type: ignore[no-untyped-call,no-any-return]


def add(slide: Any, element: NativeChart, font: str, when: dt.datetime) -> Any:
    """The chart on the slide, as a PowerPoint chart with its data embedded."""
    data = element.chart
    fmt = numformat.parse(data.value_format)
    code = numformat.excel_code(fmt, data.in_percent, data.value_suffix, data.minus)
    table = TextCategoryData(number_format=code)  # type: ignore[no-untyped-call]
    table.categories = list(data.categories)
    for series in data.series:
        # the data sheet's column says what the figures are (the axis title), not a column
        # name of the data: "% change in ASB incidents", not "pct_change"
        name = data.axis_label if len(data.series) == 1 and data.axis_label else series.name
        # a figure the format rounds to zero is zero: PowerPoint would label -0.04 '-0.0'
        # where the picture (and every text) says 0.0
        # a point with no figure (a month with no data) is left blank: a gap in the line
        values = [None if v is None or v != v else 0.0 if fmt.shows_zero(v, data.in_percent)
                  else v for v in series.values]
        table.add_series(name, values)  # type: ignore[no-untyped-call]
    for name, more in extra_series(data):  # a line's context, "Edit Data" too
        table.add_series(storable(name), more)  # type: ignore[no-untyped-call]
    b = element.box
    frame = slide.shapes.add_chart(_TYPES[data.chart], b.x, b.y, b.w, b.h, table)
    frame.name = escape_ctrl(element.name)
    set_alt_text(frame, element.alt)
    chart = frame.chart
    chart.has_title = False  # the slide's title says what it is, not a column's name
    chart.font.name, chart.font.size = font, Pt(TICK_PT)
    chart.font.color.rgb = _rgb(element.colours[3])  # the brand's text colour
    if data.chart in ("pie", "donut"):
        _pie(chart, element, code)
    elif data.chart == "line":
        _line(chart, element, code)
        line_context(chart, element, code)
        if data.control is not None:  # the limits are the lines to read by: no gridlines
            chart.value_axis.has_major_gridlines = False
        fix_axis(chart.value_axis, data.axis)
    else:
        _bars(chart, element, code)
        if data.references:
            fix_axis(chart.value_axis, data.axis)
            reference_lines(slide, chart, element, font, code)
    _axis_ids(chart)
    _steady(chart, when)
    return frame


def _labels(plot: Any, code: str, colour: str, position: Any = None) -> None:
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.show_value = True
    labels.number_format, labels.number_format_is_linked = code, False
    labels.font.size, labels.font.bold = Pt(LABEL_PT), True
    labels.font.color.rgb = _rgb(colour)
    if position is not None:
        labels.position = position


def _bars(chart: Any, element: NativeChart, code: str) -> None:
    data = element.chart
    primary, accent, _, text, _ = element.colours
    plot = chart.plots[0]
    plot.gap_width = 45
    if len(data.series) > 1:
        _clustered(chart, element, code)
        return
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(primary)
    series.invert_if_negative = False
    for i, category in enumerate(data.categories):
        if category == data.highlight:
            point = series.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(accent)
    _labels(plot, code, text, XL_LABEL_POSITION.OUTSIDE_END)
    for i, mark in enumerate(data.marks):  # a noise flag after the figure
        if mark:
            label = series.points[i].data_label
            label.has_text_frame = True
            label.text_frame.text = data.labels()[i]
            label.position = XL_LABEL_POSITION.OUTSIDE_END
    chart.has_legend = False
    _bar_axes(chart, element)


def _bar_axes(chart: Any, element: NativeChart) -> None:
    """The axes every bar chart shares: categories in the picture's order, their names where
    no figure's label lies, and the value axis (`_value_axis`)."""
    data, muted = element.chart, element.colours[2]
    categories = chart.category_axis
    if data.chart == "hbar":
        categories.reverse_order = True  # the first category on top, as the picture has it
    categories.format.line.color.rgb = _rgb(muted)
    categories.major_tick_mark = XL_TICK_MARK.NONE
    figures = [v for s in data.series for v in s.values]
    # the names beside the zero end of falls, and at the low end otherwise: never under a
    # figure's label
    categories.tick_label_position = (XL_TICK_LABEL_POSITION.HIGH
                                      if max(figures, default=0) <= 0
                                      else XL_TICK_LABEL_POSITION.LOW)
    _value_axis(chart.value_axis, data.axis_label, muted, figures)


def _clustered(chart: Any, element: NativeChart, code: str) -> None:
    """Bars side by side, one for each column: the last in the primary colour (the highlighted
    category's in the accent), the others lighter; a legend names them."""
    data = element.chart
    primary, accent, _, text, _ = element.colours
    plot = chart.plots[0]
    plot.overlap = -10
    k = len(plot.series)
    for j, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(_tint(primary, 0.55 * (k - 1 - j) / (k - 1)))
        series.invert_if_negative = False
        if j == k - 1 and data.highlight in data.categories:
            point = series.points[data.categories.index(data.highlight)]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(accent)
    _labels(plot, code, text, XL_LABEL_POSITION.OUTSIDE_END)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    _bar_axes(chart, element)


def _value_axis(axis: Any, title: str, muted: str, values: list[float]) -> None:
    """Figures are on the bars: the value axis keeps its title only, and starts at zero."""
    axis.has_major_gridlines = False
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    axis.format.line.fill.background()
    # bars of counts and shares from zero; otherwise PowerPoint scales the axis itself, so a
    # figure a colleague edits ("Edit Data") is never clipped by a range fixed here
    if min(values, default=0) >= 0:
        axis.minimum_scale = 0
    if title:
        axis.has_title = True
        axis.axis_title.text_frame.text = storable(title)
        run = axis.axis_title.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.bold = Pt(AXIS_PT), False
        run.font.color.rgb = _rgb(muted)


def _line(chart: Any, element: NativeChart, code: str) -> None:
    data = element.chart
    primary, accent, muted, text, _ = element.colours
    plot = chart.plots[0]
    single = len(data.series) == 1
    for series in plot.series:
        focus = single or series.name == data.highlight or data.highlight is None
        colour = accent if series.name == data.highlight else primary if focus else muted
        series.format.line.color.rgb = _rgb(colour)
        series.format.line.width = Pt(3.5 if focus else 1.5)
        series.smooth = False
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
        series.marker.format.line.color.rgb = _rgb(colour)
    chart.has_legend = len(plot.series) > 1  # several lines, or a line and its context
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(element.colours[4])
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = code, False
    values.format.line.fill.background()
    if data.axis_label:
        values.has_title = True
        values.axis_title.text_frame.text = storable(data.axis_label)
        run = values.axis_title.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.bold = Pt(AXIS_PT), False
        run.font.color.rgb = _rgb(muted)
    chart.category_axis.format.line.color.rgb = _rgb(muted)
    chart.category_axis.major_tick_mark = XL_TICK_MARK.NONE


def _pie(chart: Any, element: NativeChart, code: str) -> None:
    data = element.chart
    primary, accent, _, text, _ = element.colours
    plot = chart.plots[0]
    series = plot.series[0]
    count = len(data.categories)
    for i, category in enumerate(data.categories):
        point = series.points[i]
        point.format.fill.solid()
        # shades light enough to tell apart, dark enough for white figures on a donut
        colour = accent if category == data.highlight else _tint(primary,
                                                                 0.45 * i / max(count - 1, 1))
        point.format.fill.fore_color.rgb = _rgb(colour)
        point.format.line.color.rgb = _rgb("FFFFFF")
    if data.chart == "pie":
        _labels(plot, code, text, XL_LABEL_POSITION.OUTSIDE_END)
    else:  # a donut's figures sit on its ring
        _labels(plot, code, "FFFFFF")
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.RIGHT
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(TICK_PT)


def _tint(colour: str, amount: float) -> str:
    """The colour mixed with white by `amount` (0: itself, 1: white)."""
    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def _axis_ids(chart: Any) -> None:
    """python-pptx's chart XML numbers its axes with negative ids, which the schema does not
    allow (unsignedInt): renumber them 1, 2, ... keeping which axis crosses which."""
    nodes = chart_xml(chart).xpath(".//c:axId | .//c:crossAx")
    ids: dict[str, str] = {}
    for node in nodes:
        ids.setdefault(node.get("val"), str(len(ids) + 1))
    for node in nodes:
        node.set("val", ids[node.get("val")])


_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _steady(chart: Any, when: dt.datetime) -> None:
    """The embedded workbook with the deck's date where XlsxWriter writes the time it ran,
    so the same inputs give the same deck."""
    part = chart.part.chart_workbook.xlsx_part
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(part.blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "docProps/core.xml":
                blob = _DATES.sub(lambda m: m.group(1) + stamp + m.group(3), blob)
            copy = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            copy.compress_type, copy.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(copy, blob)
    part.blob = out.getvalue()
