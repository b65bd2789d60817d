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
    from openxml_audit import OpenXmlValidator

    out = build(_deck(tmp_path, REFERENCED.format(chart="hbar"), "native"),
                tmp_path / "n.pptx")
    assert not out.warnings
    assert [str(e) for e in OpenXmlValidator().validate(out.output).errors] == []
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


EARLIER = [3105, 3920, 3650, 3990, 4120, 4010]
YEAR_EARLIER = TREND + "    year_earlier: {data: e}\n"


def _with_earlier(folder: Path, engine: str = "matplotlib", rows: int = 6) -> Path:
    deck = _deck(folder, YEAR_EARLIER, engine)
    (folder / "e.csv").write_text("month,n\n" + "".join(
        f"{m[:4]}{int(m[4:]) - 1},{n}\n" for m, n in zip(MONTHS[:rows], EARLIER)),
        encoding="utf-8")
    deck.write_text(deck.read_text().replace("  t: {file: t.csv}\n",
                                             "  t: {file: t.csv}\n  e: {file: e.csv}\n"))
    return deck


def test_the_year_earlier_line_is_a_second_series_on_both_renderers(tmp_path: Path) -> None:
    planned = check(_with_earlier(tmp_path))
    element = _chart(planned)
    assert element.chart.earlier.name == "Same months a year earlier"
    assert list(element.chart.earlier.values) == EARLIER
    assert (f"Same months a year earlier: {EARLIER[0]:,} for Feb 2015, {EARLIER[-1]:,} for "
            "Jul 2015.") in element.alt
    seen: dict[str, Any] = {}

    def look(ax: Any) -> None:
        seen["key"] = [t.get_text() for t in ax.get_legend().get_texts()]
        seen["dashed"] = [list(line.get_ydata()) for line in ax.get_lines()
                          if line.get_linestyle() != "-"]

    _, problems = charts.drawn(element.chart, planned.theme, 11, 5, look)
    assert problems == ()
    assert seen["key"] == ["ASB incidents", "Same months a year earlier"]
    assert seen["dashed"] == [EARLIER]
    out = build(_with_earlier(tmp_path, "native"), tmp_path / "n.pptx").output
    chart = next(s.chart for s in Presentation(str(out)).slides[0].shapes if s.has_chart)
    assert {s.name: list(s.values) for s in chart.plots[0].series} == {
        "ASB incidents": COUNTS, "Same months a year earlier": EARLIER}
    assert chart.has_legend
    assert chart.value_axis.maximum_scale > max(COUNTS + EARLIER)


def test_a_year_earlier_source_with_other_months_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        check(_with_earlier(tmp_path, rows=4))
    assert "year_earlier: e has 4 months where the chart shows 6" in str(caught.value)


def test_a_native_label_a_reference_line_would_cross_moves_inside_its_bar(
        tmp_path: Path) -> None:
    text = REFERENCED.format(chart="hbar").replace(
        "{value: 120, label: Target}", "{value: 150, label: Target}")  # just past Braintree
    out = build(_deck(tmp_path, text, "native"), tmp_path / "n.pptx").output
    chart = next(s.chart for s in Presentation(str(out)).slides[0].shapes if s.has_chart)
    series = chart._chartSpace.xpath(".//c:ser")[0]
    inside = series.xpath("./c:dLbls/c:dLbl[c:dLblPos/@val='inEnd']/c:idx/@val")
    categories = list(chart.plots[0].categories)
    assert [categories[int(i)] for i in inside] == ["Braintree"]  # 149.1: its label at 150
    assert series.xpath("./c:dLbls/c:showVal/@val") == ["1"]  # every other bar still labelled


MIX = [("Southend", "Violence", 900), ("Southend", "Theft", 500), ("Southend", "Burglary", 200),
       ("Southend", "Drugs", 60), ("Basildon", "Violence", 700), ("Basildon", "Theft", 650),
       ("Basildon", "Burglary", 150), ("Basildon", "Robbery", 40), ("Basildon", "Drugs", 90)]
COMPARED = """  - kind: chart
    title: Crime by type
    chart: hbar
    data: mix
    where: {{district: Southend}}
    x: type
    y: crimes
    percent: true
    compare: {{label: All districts}}
{more}"""


def _mix(folder: Path, more: str = "", engine: str = "matplotlib") -> Path:
    import pandas as pd

    pd.DataFrame(MIX, columns=["district", "type", "crimes"]).to_csv(folder / "mix.csv",
                                                                      index=False)
    deck = _deck(folder, COMPARED.format(more=more), engine)
    deck.write_text(deck.read_text().replace("  t: {file: t.csv}\n",
                                             "  t: {file: t.csv}\n  mix: {file: mix.csv}\n"))
    return deck


def _shares(rows: list[tuple[str, str, int]]) -> dict[str, float]:
    import pandas as pd

    df = pd.DataFrame(rows, columns=["district", "type", "crimes"])
    sums = df.groupby("type")["crimes"].sum()
    return (sums / sums.sum() * 100).to_dict()


def test_compare_sets_the_forces_shares_beside_the_districts(tmp_path: Path) -> None:
    data = _chart(check(_mix(tmp_path))).chart
    own = _shares([r for r in MIX if r[0] == "Southend"])
    force = _shares(MIX)
    order = sorted(own, key=lambda k: own[k], reverse=True) + ["Robbery"]  # Basildon's only
    assert list(data.categories) == order
    assert [s.name for s in data.series] == ["All districts", "Southend"]
    assert list(data.series[0].values) == pytest.approx([force[k] for k in order])
    assert list(data.series[1].values) == pytest.approx([own.get(k, 0.0) for k in order])
    assert sum(data.series[0].values) == pytest.approx(100)


def test_compare_with_top_puts_the_rest_of_the_forces_shares_in_other(tmp_path: Path) -> None:
    data = _chart(check(_mix(tmp_path, "    top: 3\n"))).chart
    force = _shares(MIX)
    assert list(data.categories) == ["Violence", "Theft", "Other"]
    assert list(data.series[0].values) == pytest.approx(
        [force["Violence"], force["Theft"], 100 - force["Violence"] - force["Theft"]])


def test_compared_shares_draw_on_both_renderers(tmp_path: Path) -> None:
    planned = check(_mix(tmp_path))
    seen: dict[str, Any] = {}
    _, problems = charts.drawn(_chart(planned).chart, planned.theme, 11, 5, lambda ax: seen.update(
        key=[t.get_text() for t in ax.get_legend().get_texts()]))
    assert problems == () and seen["key"] == ["All districts", "Southend"]
    out = build(_mix(tmp_path, engine="native"), tmp_path / "n.pptx").output
    chart = next(s.chart for s in Presentation(str(out)).slides[0].shapes if s.has_chart)
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series["Southend"][0] == pytest.approx(_shares(MIX[:4])["Violence"])
    assert chart.has_legend


def test_compare_needs_shares(tmp_path: Path) -> None:
    deck = _mix(tmp_path)
    deck.write_text(deck.read_text().replace("    percent: true\n", ""))
    with pytest.raises(DeckError) as caught:
        check(deck)
    assert "'compare' sets shares beside shares" in str(caught.value)


def test_a_change_to_the_context_drawing_code_draws_charts_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """render/chartlines.py draws reference lines and control limits: the chart cache's key
    must change with it, or an old picture would be reused."""
    from deckgen.render import chartlines, draw

    draw._drawing_code.cache_clear()
    before = draw._drawing_code()
    source = Path(chartlines.__file__)
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: real(self) + (
        b"# changed" if self == source else b""))
    draw._drawing_code.cache_clear()
    try:
        assert draw._drawing_code() != before
    finally:
        draw._drawing_code.cache_clear()  # the real code's hash for the tests after


def test_highlighting_a_reference_row_taken_out_is_an_error(tmp_path: Path) -> None:
    text = REFERENCED.format(chart="hbar") + "    highlight: Essex\n"
    with pytest.raises(DeckError) as caught:
        check(_deck(tmp_path, text))
    assert "highlight 'Essex' is a reference row, drawn as a line" in str(caught.value)
    kept = text.replace("{row: Essex, label: Force}", "{row: Essex, label: Force, keep: true}")
    assert _chart(check(_deck(tmp_path, kept))).chart.highlight == "Essex"
