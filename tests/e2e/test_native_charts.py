"""Native charts (`engine: native`, `chart_engine: native`): PowerPoint charts whose figures are
embedded ("Edit Data"), showing what the matplotlib picture shows."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from deckgen.app import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def native(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample deck with every chart native."""
    import shutil

    folder = tmp_path_factory.mktemp("native")
    for name in ("data", "assets"):
        shutil.copytree(ROOT / name, folder / name)
    text = (ROOT / "deck.yaml").read_text(encoding="utf-8")
    (folder / "deck.yaml").write_text(text.replace("organisation: Essex Police\n",
                                                   "organisation: Essex Police\n"
                                                   "chart_engine: native\n"), encoding="utf-8")
    return build(folder / "deck.yaml", folder / "native.pptx").output


def _charts(pptx: Path) -> list[Any]:
    return [sh for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.has_chart]


def test_every_chart_is_native_with_its_figures_embedded(native: Path) -> None:
    charts = _charts(native)
    assert len(charts) == 3  # the two crime mixes and the ASB chart
    for frame in charts:
        workbook = frame.chart.part.chart_workbook.xlsx_part
        assert workbook is not None and len(workbook.blob) > 1000  # "Edit Data" opens it
        assert not frame.chart.has_title  # no column name as a title
        assert frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0].strip()


def test_the_asb_chart_shows_the_datas_changes(native: Path) -> None:
    with open(ROOT / "data" / "asb_mar_apr_2015_2016.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["district"] != "TOTAL"]
    with open(ROOT / "data" / "districts.csv", encoding="utf-8") as f:
        names = {r["district"]: r["name"] for r in csv.DictReader(f)}
    want = sorted(((names[r["district"]], (int(r["mar_apr_2016"]) - int(r["mar_apr_2015"]))
                   / int(r["mar_apr_2015"]) * 100) for r in rows), key=lambda p: p[1])
    chart = next(c for c in _charts(native) if "Castle Point" in c.chart.plots[0].categories)
    plot = chart.chart.plots[0]
    assert list(plot.categories) == [name for name, _ in want]
    assert list(plot.series[0].values) == pytest.approx([v for _, v in want])
    # labels as the slide's format writes them, highlight in the accent colour
    assert plot.data_labels.number_format == '"+"0.0"%";"-"0.0"%"'
    southend = [name for name, _ in want].index("Southend")
    point = plot.series[0].points[southend]
    assert str(point.format.fill.fore_color.rgb) == "E0A526"
    assert str(plot.series[0].format.fill.fore_color.rgb) == "1B365D"


def test_the_embedded_workbook_holds_the_figures(native: Path) -> None:
    import openpyxl

    chart = next(c for c in _charts(native) if "Castle Point" in c.chart.plots[0].categories)
    blob = chart.chart.part.chart_workbook.xlsx_part.blob
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[1][0] == "Castle Point" and cells[1][1] == pytest.approx(-18.31, abs=0.01)


def test_a_native_deck_is_valid_and_the_same_bytes_twice(
        native: Path, tmp_path: Path, ooxml_findings: Any) -> None:
    assert ooxml_findings(native) == []
    again = build(native.parent / "deck.yaml", tmp_path / "again.pptx").output
    assert again.read_bytes() == native.read_bytes()


def test_a_slide_chooses_its_engine(sample_copy: Path) -> None:
    text = sample_copy.read_text(encoding="utf-8")
    sample_copy.write_text(text.replace("    chart: hbar\n    data: asb\n",
                                        "    chart: hbar\n    engine: native\n    data: asb\n"),
                           encoding="utf-8")
    out = build(sample_copy, sample_copy.parent / "one.pptx").output
    charts = _charts(out)
    assert len(charts) == 1 and "Castle Point" in charts[0].chart.plots[0].categories
    pictures = [sh for s in Presentation(str(out)).slides for sh in s.shapes
                if sh.name == "Chart" and not sh.has_chart]
    assert len(pictures) == 2  # the crime mixes stay pictures


def test_every_chart_type_is_drawn_natively_and_valid(tmp_path: Path, ooxml_findings: Any) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    (tmp_path / "d.csv").write_text("area,y2015,y2016,share\nA,10,12,0.5\nB,20,18,0.3\n"
                                    "C,5,9,0.2\n", encoding="utf-8")
    common = "data: d, x: area, engine: native"
    slides = "".join(f"  - {{kind: chart, title: {kind}, chart: {kind}, y: y2016, {common}}}\n"
                     for kind in ("bar", "hbar", "pie", "donut"))
    slides += (f"  - {{kind: chart, title: line, chart: line, y: [y2015, y2016], "
               f"x_labels: ['2015', '2016'], highlight: B, {common}}}\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"title: T\ndata:\n  d: {{file: d.csv}}\nslides:\n{slides}",
                    encoding="utf-8")
    out = build(deck, tmp_path / "o.pptx").output
    types = [c.chart.chart_type for c in _charts(out)]
    assert types == [XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED,
                     XL_CHART_TYPE.PIE, XL_CHART_TYPE.DOUGHNUT, XL_CHART_TYPE.LINE_MARKERS]
    line = _charts(out)[-1].chart
    assert [s.name for s in line.plots[0].series] == ["A", "B", "C"] and line.has_legend
    assert ooxml_findings(out) == []


def test_a_figure_rounded_to_zero_is_labelled_0_not_minus_0(tmp_path: Path) -> None:
    """-0.04 in '0.0' is 0.0 on the picture and in text; PowerPoint's own label of the
    embedded figure would say '-0.0'."""
    (tmp_path / "d.csv").write_text("area,pct\nA,-0.04\nB,2.5\nC,-1.26\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - {kind: chart, "
                    "title: C, chart: bar, data: d, x: area, y: pct, value_format: '0.0', "
                    "engine: native}\n", encoding="utf-8")
    chart = _charts(build(deck, tmp_path / "o.pptx").output)[0].chart
    plot = chart.plots[0]
    values = dict(zip(plot.categories, plot.series[0].values))
    assert values == {"A": 0.0, "B": 2.5, "C": -1.26}  # only the figure shown as zero changes
    assert str(values["A"]) == "0.0"  # not -0.0, which Excel and PowerPoint show as '-0.0'


def test_a_mistyped_engine_is_refused_with_the_one_meant(sample_copy: Path) -> None:
    from deckgen.app import check
    from deckgen.errors import DeckError

    text = sample_copy.read_text(encoding="utf-8")
    sample_copy.write_text(text.replace("    chart: hbar\n    data: asb\n",
                                        "    chart: hbar\n    engine: natve\n    data: asb\n"),
                           encoding="utf-8")
    with pytest.raises(DeckError) as info:
        check(sample_copy)
    assert str(info.value).endswith("'engine': expected 'matplotlib' or 'native', got 'natve'; "
                                    "did you mean 'native'?")
