"""A native chart's context, as the matplotlib picture has it (render/chartlines.py): the
same months a year earlier and a control chart's lines as series of the chart (so "Edit Data"
shows their figures), the special-cause points in Making Data Count's colours, the last value
labelled, the value axis fixed to end on a round tick above everything drawn, and reference
lines across bars.

PowerPoint has no reference line for a bar chart (Excel users add a line or scatter series to
a combination chart, which an hbar chart cannot take). So the plot area is given a fixed place
in the chart (`c:plotArea/c:layout/c:manualLayout`, ECMA-376 21.2.2.95, its inner edges) and
the value axis a fixed range; a value then sits at a known place on the slide, where a dashed
line and its label are drawn over the chart as shapes, grouped with nothing so a colleague can
move or delete them.
"""

from __future__ import annotations

from typing import Any, Optional

from lxml import etree
from pptx.enum.chart import XL_LABEL_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from deckgen.layout.chartcontext import ValueAxis
from deckgen.layout.chartdata import ChartData
from deckgen.layout.plan import NativeChart
from deckgen.office.read.ns import C
from deckgen.office.write.internals import chart_xml
from deckgen.office.write.xml import escape_ctrl, storable

#: The series a line chart adds after its own: their names in the chart's data sheet.
MEAN, UPPER, LOWER = "Mean", "Upper control limit", "Lower control limit"
#: After the name of a context line's part beyond the baseline, in the data sheet.
BEYOND = " (beyond the baseline)"
LABEL_PT = 14
REFERENCE_PT = 12


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)  # type: ignore[no-untyped-call]


def extra_series(data: ChartData) -> list[tuple[str, list[Optional[float]]]]:
    """The series a line chart's context adds to its data sheet: the year-earlier line, and
    the centre line and limits (the same figure every month), each over the baseline and, as
    a series of its own drawn dashed, beyond it (a dash set point by point is not drawn by
    every program that opens the deck)."""
    out: list[tuple[str, list[Optional[float]]]] = []
    if data.earlier is not None:
        out.append((data.earlier.name, list(data.earlier.values)))
    lines = data.control
    if lines is None:
        return out
    n, b = len(data.categories), lines.baseline
    for name, value in ((MEAN, lines.centre), (UPPER, lines.upper), (LOWER, lines.lower)):
        out.append((name, [value] * b + [None] * (n - b)))
        if b < n:
            out.append((f"{name}{BEYOND}", [None] * (b - 1) + [value] * (n - b + 1)))
    return out


def fix_axis(axis: Any, fixed: ValueAxis | None) -> None:
    """The value axis from its bottom to its round top, a tick every step: at most about six
    ticks, and the top above the data and its context."""
    if fixed is None:
        return
    axis.minimum_scale, axis.maximum_scale = fixed.bottom, fixed.top
    axis.major_unit = fixed.step


def line_context(chart: Any, element: NativeChart, code: str) -> None:
    """The line's last value labelled, as the picture has it; the year-earlier line muted,
    thinner and dashed; the centre line and limits muted, dashed beyond the baseline, without
    markers; the special-cause points in Making Data Count's colours."""
    data = element.chart
    primary, accent, muted, text, _ = element.colours
    plot = chart.plots[0]
    own = len(data.series)
    for series in list(plot.series)[:own]:
        focus = own == 1 or series.name == data.highlight or data.highlight is None
        series.marker.style = XL_MARKER_STYLE.CIRCLE  # as the picture's: each month a dot
        series.marker.size = 7 if focus else 4
        if focus:
            _last_label(series, len(data.categories), code,
                        accent if series.name == data.highlight else primary)
    extra = list(plot.series)[own:]
    if data.earlier is not None:
        earlier = extra.pop(0)
        _plain(earlier, muted, 2.0, MSO_LINE_DASH_STYLE.DASH)
    lines = data.control
    if lines is None:
        return
    hidden = []
    for j, series in enumerate(extra):
        beyond = series.name.endswith(BEYOND)
        _plain(series, muted, 1.75 if series.name.startswith(MEAN) else 1.25,
               MSO_LINE_DASH_STYLE.DASH if beyond else None)
        if beyond:
            hidden.append(own + (1 if data.earlier is not None else 0) + j)
    _hide_from_legend(chart, hidden)
    main = plot.series[0]
    for i, reason in lines.special:
        point = main.points[i]
        point.marker.style = XL_MARKER_STYLE.CIRCLE
        point.marker.size = 11
        point.marker.format.fill.solid()
        point.marker.format.fill.fore_color.rgb = _rgb(lines.colour(reason))
        point.marker.format.line.color.rgb = _rgb(lines.colour(reason))
        # LibreOffice colours a point's marker by the point's line (PowerPoint also draws the
        # segment into the point in it: the run that makes the signal stands out)
        point.format.line.color.rgb = _rgb(lines.colour(reason))
        point.format.line.width = Pt(3.5)


def _hide_from_legend(chart: Any, indices: list[int]) -> None:
    """`c:legend/c:legendEntry/c:delete` (ECMA-376 21.2.2.94) for each series' index: a line's
    dashed part beyond the baseline is named once, with its solid part."""
    legend = chart_xml(chart).find(f".//{C}legend")
    if legend is None:
        return
    for i in sorted(indices, reverse=True):
        entry = etree.Element(f"{C}legendEntry")
        etree.SubElement(entry, f"{C}idx", val=str(i))
        etree.SubElement(entry, f"{C}delete", val="1")
        legend.insert(1, entry)  # after c:legendPos, as the schema orders them


def _plain(series: Any, colour: str, width: float, dash: Any) -> None:
    """A context line: thin, in one colour, no markers, never smoothed."""
    series.format.line.color.rgb = _rgb(colour)
    series.format.line.width = Pt(width)
    if dash is not None:
        series.format.line.dash_style = dash
    series.smooth = False
    series.marker.style = XL_MARKER_STYLE.NONE


def _last_label(series: Any, n: int, code: str, colour: str) -> None:
    """The last point's value, bold, to its right, in the chart's number format."""
    label = series.points[n - 1].data_label
    label.show_value = True
    label.number_format, label.number_format_is_linked = code, False
    label.position = XL_LABEL_POSITION.RIGHT
    label.font.size, label.font.bold = Pt(LABEL_PT), True
    label.font.color.rgb = _rgb(colour)


#: Where the plot's inner edges are in the chart, as fractions of its width and height:
#: left, top, width, height, for an hbar chart (names to the left, the labels' band above) and
#: a bar chart (names below, the labels' band to the right).
HBAR_PLOT = (0.3, 0.0, 0.6, 0.93)
BAR_PLOT = (0.04, 0.04, 0.74, 0.8)
BAND = 0.07  # the height of each reference label's row above an hbar chart's bars


def reference_lines(slide: Any, chart: Any, element: NativeChart, font: str, code: str
                    ) -> None:
    """Each reference line over the bars, dashed, in the text colour, with its label and value
    beyond the bars where no bar's label is (above an hbar chart's, right of a bar chart's)."""
    data, fixed = element.chart, element.chart.axis
    if not data.references or fixed is None:
        return
    horizontal = data.chart == "hbar"
    k = len(data.references)
    left, top, width, height = HBAR_PLOT if horizontal else BAR_PLOT
    if horizontal and max(v for s in data.series for v in s.values) <= 0:
        left = 1 - left - width  # falls: the names are to the right of the bars' zero end
    if horizontal:
        top, height = BAND * k + 0.02, height - BAND * k - 0.02
    _manual_layout(chart, left, top, width, height)
    box, text = element.box, element.colours[3]
    x0, y0 = box.x + left * box.w, box.y + top * box.h
    w, h = width * box.w, height * box.h
    _labels_clear_of_lines(chart, element, w if horizontal else h, code)
    for i, ref in enumerate(data.references):
        at = (ref.value - fixed.bottom) / (fixed.top - fixed.bottom)
        label = f"{ref.label} {data.label(ref.value)}"
        if horizontal:
            x = int(x0 + at * w)
            _dashed(slide, x, int(y0 - box.h * 0.01), x, int(y0 + h), text, ref.label)
            row = int(box.y + (0.01 + BAND * i) * box.h)
            _label(slide, label, x - int(box.w * 0.2), row, int(box.w * 0.4),
                   int(BAND * box.h), font, text, PP_ALIGN.CENTER)
        else:
            y = int(y0 + (1 - at) * h)
            _dashed(slide, int(x0), y, int(x0 + w + box.w * 0.01), y, text, ref.label)
            _label(slide, label, int(x0 + w + box.w * 0.015), y - int(box.h * 0.05),
                   int(box.w * (1 - left - width) - box.w * 0.02), int(box.h * 0.1), font,
                   text, PP_ALIGN.LEFT)


def _labels_clear_of_lines(chart: Any, element: NativeChart, length: float, code: str
                           ) -> None:
    """A bar whose value label a reference line would cross has its label inside its end,
    in white (the text colour on the highlighted bar's light accent): a shape cannot pass
    behind a chart's label, as the picture's line passes behind its figures."""
    data, fixed = element.chart, element.chart.axis
    assert fixed is not None
    span = fixed.top - fixed.bottom
    horizontal = data.chart == "hbar"
    # the label's extent along the value axis, in the axis's units: its characters' width
    # (about 0.6 em each) across an hbar, its line's height along a bar
    per_emu = span / length
    series = chart.plots[0].series[0]
    for i, (category, value, label) in enumerate(zip(data.categories, data.series[0].values,
                                                     data.labels())):
        extent = (len(label) * 0.6 * LABEL_PT if horizontal else LABEL_PT * 1.4) * 12700
        extent = extent * per_emu + span * 0.015
        near, far = (value, value + extent) if value >= 0 else (value - extent, value)
        if not any(near <= r.value <= far for r in data.references):
            continue
        if series.data_labels.position != XL_LABEL_POSITION.OUTSIDE_END:
            # the series' own labels (c:ser/c:dLbls) replace the plot's: as the plot's
            labels = series.data_labels
            labels.show_value = True
            labels.number_format, labels.number_format_is_linked = code, False
            labels.font.size, labels.font.bold = Pt(LABEL_PT), True
            labels.font.color.rgb = _rgb(element.colours[3])
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        point_label = series.points[i].data_label
        point_label.position = XL_LABEL_POSITION.INSIDE_END
        point_label.font.size, point_label.font.bold = Pt(LABEL_PT), True
        point_label.font.color.rgb = _rgb(element.colours[3] if category == data.highlight
                                          else "FFFFFF")


def _manual_layout(chart: Any, x: float, y: float, w: float, h: float) -> None:
    """`c:plotArea/c:layout/c:manualLayout` with the plot's inner edges at these fractions."""
    plot_area = chart_xml(chart).find(f".//{C}plotArea")
    layout = plot_area.find(f"{C}layout")
    if layout is None:
        layout = etree.Element(f"{C}layout")
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, f"{C}manualLayout")
    etree.SubElement(manual, f"{C}layoutTarget", val="inner")
    etree.SubElement(manual, f"{C}xMode", val="edge")
    etree.SubElement(manual, f"{C}yMode", val="edge")
    for name, value in (("x", x), ("y", y), ("w", w), ("h", h)):
        etree.SubElement(manual, f"{C}{name}", val=f"{value:.4f}")


def _dashed(slide: Any, x1: int, y1: int, x2: int, y2: int, colour: str, name: str) -> None:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(x1), Emu(y1), Emu(x2),
                                      Emu(y2))
    line.name = escape_ctrl(f"Reference line: {name}")
    line.line.color.rgb = _rgb(colour)
    line.line.width = Pt(1.5)
    line.line.dash_style = MSO_LINE_DASH_STYLE.DASH


def _label(slide: Any, text: str, x: int, y: int, w: int, h: int, font: str, colour: str,
           align: Any) -> None:
    from pptx.enum.text import MSO_ANCHOR

    box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(max(w, 1)), Emu(h))
    box.name = escape_ctrl(f"Reference label: {text}")
    frame = box.text_frame
    frame.word_wrap = False
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = storable(text)
    run.font.name, run.font.size, run.font.bold = font, Pt(REFERENCE_PT), True
    run.font.color.rgb = _rgb(colour)
