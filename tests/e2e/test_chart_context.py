"""A chart's context (issue 24, item 2): reference lines across bars, the value axis ending on a
round tick above everything drawn, native line charts labelling their last value with at most
six ticks. Each is checked on both renderers: the native chart's XML and shapes, and the
matplotlib axes as drawn (render/charts.py `drawn(inspect=...)`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Emu

from deckgen.app import build, check
from deckgen.errors import DeckError
from deckgen.layout.chartcontext import value_axis
from deckgen.layout.plan import ChartPicture, NativeChart
from deckgen.render import charts

RATES = [("Harlow", 276.4, 86000), ("Southend", 262.1, 178000), ("Maldon", 102.3, 63000),
         ("Braintree", 149.1, 150000), ("Essex", 190.6, 1790000)]
MONTHS = ["Feb 2015", "Mar 2015", "Apr 2015", "May 2015", "Jun 2015", "Jul 2015"]
COUNTS = [3410, 4150, 3920, 4240, 4652, 4430]


def _deck(folder: Path, chart: str, engine: str = "matplotlib") -> Path:
    (folder / "r.csv").write_text("district,rate,people\n" + "".join(
        f"{d},{r},{p}\n" for d, r, p in RATES), encoding="utf-8")
    (folder / "force.csv").write_text("force,rate\nEssex,188.25\n", encoding="utf-8")
    (folder / "t.csv").write_text("month,n\n" + "".join(
        f"{m},{n}\n" for m, n in zip(MONTHS, COUNTS)), encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  r: {file: r.csv}\n  force: {file: force.csv}\n"
                    f"  t: {{file: t.csv}}\nchart_engine: {engine}\nslides:\n{chart}",
                    encoding="utf-8")
    return deck


REFERENCED = """  - kind: chart
    title: Rates
    chart: {chart}
    data: r
    x: district
    y: rate
    value_format: "0.0"
    reference:
      - {{row: Essex, label: Force}}
      - {{mean: true, label: Average of districts}}
      - {{value: 120, label: Target}}
      - {{cell: "force[force=Essex].rate", label: Published}}
"""

TREND = """  - kind: chart
    title: Trend
    chart: line
    data: t
    x: month
    y: n
    axis_label: ASB incidents
"""


def _chart(planned: Any) -> Any:
    return next(e for e in planned.plans[0].elements
                if isinstance(e, (ChartPicture, NativeChart)))


def _districts() -> dict[str, float]:
    return {d: r for d, r, _ in RATES if d != "Essex"}


@pytest.mark.parametrize("chart", ["hbar", "bar"])
def test_reference_lines_are_a_row_taken_out_the_mean_a_value_and_a_cell(tmp_path: Path,
                                                                          chart: str) -> None:
    element = _chart(check(_deck(tmp_path, REFERENCED.format(chart=chart))))
    data = element.chart
    bars = _districts()
    assert sorted(data.categories) == sorted(bars)  # the force row is a line, not a bar
    mean = sum(bars.values()) / len(bars)
    assert [(r.label, r.value) for r in data.references] == [
        ("Force", 190.6), ("Average of districts", pytest.approx(mean)), ("Target", 120.0),
        ("Published", 188.25)]
    assert ("Reference lines: Force, 190.6; Average of districts, "
            f"{mean:.1f}; Target, 120.0; Published, 188.3.") in element.alt
    assert data.axis.top > max(bars.values())


def test_a_kept_reference_row_is_a_bar_too(tmp_path: Path) -> None:
    text = REFERENCED.format(chart="hbar").replace("{row: Essex, label: Force}",
                                                   "{row: Essex, label: Force, keep: true}")
    data = _chart(check(_deck(tmp_path, text))).chart
    assert "Essex" in data.categories and data.references[0].value == 190.6


def test_a_reference_row_not_in_the_data_is_an_error_naming_the_rows(tmp_path: Path) -> None:
    text = REFERENCED.format(chart="hbar").replace("row: Essex", "row: Kent")
    with pytest.raises(DeckError) as caught:
        check(_deck(tmp_path, text))
    message = str(caught.value)
    assert "reference row 'Kent' is not a value of column 'district'" in message
    assert "Braintree, Essex, Harlow, Maldon, Southend" in message
    assert "deck.yaml:16:15:" in message  # at the row named


def test_matplotlib_draws_each_reference_line_labelled_clear_of_the_bars_labels(
        tmp_path: Path) -> None:
    deck = _deck(tmp_path, REFERENCED.format(chart="hbar"))
    planned = check(deck)
    element = _chart(planned)
    seen: dict[str, Any] = {}

    def look(ax: Any) -> None:
        seen["lines"] = [line.get_xdata()[0] for line in ax.get_lines()
                         if line.get_linestyle() != "-"]
        seen["texts"] = [t.get_text() for t in ax.texts]

    theme = planned.theme
    _, problems = charts.drawn(element.chart, theme, 11, 5, look)
    assert problems == ()  # no label runs into another or off the picture
    values = [r.value for r in element.chart.references]
    assert seen["lines"] == pytest.approx(values)
    assert {"Force 190.6", "Target 120.0", "Published 188.3"} <= set(seen["texts"])
    built = build(deck, tmp_path / "m.pptx")
    assert not built.warnings  # the review's clash checks pass


def test_native_reference_lines_sit_at_their_values_on_a_fixed_axis(tmp_path: Path) -> None:
    out = build(_deck(tmp_path, REFERENCED.format(chart="hbar"), "native"),
                tmp_path / "n.pptx")
    assert not out.warnings
    shapes = list(Presentation(str(out.output)).slides[0].shapes)
    frame = next(s for s in shapes if s.has_chart)
    xml = frame.chart._chartSpace.xml
    bars = _districts()
    axis = value_axis([*bars.values(), 190.6, 120.0, 188.25])
    assert f'<c:max val="{axis.top:g}"/>' in xml.replace(".0\"", "\"")
    assert axis.top > max(bars.values())
    layout = frame.chart._chartSpace.xpath(".//c:plotArea/c:layout/c:manualLayout")[0]
    x = float(layout.xpath("./c:x/@val")[0])
    w = float(layout.xpath("./c:w/@val")[0])
    lines = {s.name: s for s in shapes if s.name.startswith("Reference line: ")}
    labels = [s.text_frame.text for s in shapes if s.name.startswith("Reference label: ")]
    assert labels == ["Force 190.6", "Average of districts "
                      f"{sum(bars.values()) / len(bars):.1f}", "Target 120.0", "Published 188.3"]
    left, width = frame.left + x * frame.width, w * frame.width
    for name, value in (("Force", 190.6), ("Target", 120.0)):
        line = lines[f"Reference line: {name}"]
        want = left + (value - axis.bottom) / (axis.top - axis.bottom) * width
        assert abs(line.begin_x - want) <= Emu(2000) and line.begin_x == line.end_x


def test_axis_ends_on_a_round_tick_above_the_data_with_at_most_six() -> None:
    for values in ([3410, 4652], [0.3, 7.9], [-12.5, 3.0], [95, 100], [1, 1000]):
        axis = value_axis(values)
        assert axis is not None
        assert axis.top > max(values) and axis.bottom <= min(min(values), 0)
        assert axis.ticks <= 6
        assert (axis.top / axis.step) == pytest.approx(round(axis.top / axis.step))
    axis = value_axis([3410, 4652])
    assert (axis.bottom, axis.top, axis.step) == (0, 5000, 1000)


def test_line_axes_end_above_the_data_on_both_renderers(tmp_path: Path) -> None:
    planned = check(_deck(tmp_path, TREND))
    element = _chart(planned)
    seen: dict[str, Any] = {}

    def look(ax: Any) -> None:
        seen["ylim"], seen["ticks"] = ax.get_ylim(), list(ax.get_yticks())
        seen["last"] = [t.get_text() for t in ax.texts]

    charts.drawn(element.chart, planned.theme, 11, 5, look)
    assert seen["ylim"] == (0, 5000) and max(COUNTS) < 5000
    assert len(seen["ticks"]) <= 6 and seen["ticks"][-1] == 5000
    assert "4,430" in seen["last"]
    out = build(_deck(tmp_path, TREND, "native"), tmp_path / "n.pptx").output
    chart = next(s.chart for s in Presentation(str(out)).slides[0].shapes if s.has_chart)
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale, axis.major_unit) == (0, 5000, 1000)
    assert (axis.maximum_scale - axis.minimum_scale) / axis.major_unit + 1 <= 6


def test_native_line_labels_its_last_value_only(tmp_path: Path) -> None:
    out = build(_deck(tmp_path, TREND, "native"), tmp_path / "n.pptx").output
    chart = next(s.chart for s in Presentation(str(out)).slides[0].shapes if s.has_chart)
    series = chart._chartSpace.xpath(".//c:ser")[0]
    labelled = series.xpath("./c:dLbls/c:dLbl[c:showVal/@val='1']/c:idx/@val")
    assert labelled == [str(len(COUNTS) - 1)]
    assert list(chart.plots[0].series[0].values)[-1] == COUNTS[-1]
