"""Reading CSVs as Excel writes them, derived columns, totals and number formats."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from deckgen.data.csvread import read_csv
from deckgen.data.evaluate import derive
from deckgen.data.frames import format_value, totals_row
from deckgen.errors import DeckError
from deckgen.source.expr import ExprError


def _csv(tmp_path: Path, data: bytes) -> pd.DataFrame:
    path = tmp_path / "d.csv"
    path.write_bytes(data)
    return read_csv(path, "data/d.csv").frame


def test_excel_isms_are_read_as_numbers(tmp_path: Path) -> None:
    df = _csv(tmp_path, b'\xef\xbb\xbfdistrict,count,pct\r\nA,"1,234",-5.9%\r\nB,12,3%\r\n')
    assert list(df.columns) == ["district", "count", "pct"]
    assert df["count"].tolist() == [1234, 12]
    assert df["pct"].tolist() == [-5.9, 3.0]
    assert pd.api.types.is_integer_dtype(df["count"])


def test_text_columns_stay_text(tmp_path: Path) -> None:
    df = _csv(tmp_path, b"code,name\n001,A\nX2,B\n")
    assert df["code"].tolist() == ["001", "X2"]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as info:
        _csv(tmp_path, b"a,b\n1,2\ncaf\xe9,3\n")
    assert str(info.value) == ("data/d.csv:3:1: the file is not UTF-8 text; in Excel use "
                               "'Save As' > 'CSV UTF-8'")


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="the data file is empty"):
        _csv(tmp_path, b"")
    with pytest.raises(DeckError, match="has a header but no rows"):
        _csv(tmp_path, b"a,b\n")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="data/nope.csv: data file not found"):
        read_csv(tmp_path / "nope.csv", "data/nope.csv")


def test_derived_columns_in_order() -> None:
    df = pd.DataFrame({"y15": [8068, 5904], "y16": [7174, 5554]})
    out = derive(df, {"change": "y16 - y15", "pct": "change / y15 * 100"})
    assert out["change"].tolist() == [-894, -350]
    assert [round(v, 1) for v in out["pct"]] == [-11.1, -5.9]


def test_derive_with_unknown_column_lists_the_columns() -> None:
    df = pd.DataFrame({"y15": [1], "y16": [2]})
    with pytest.raises(ExprError) as info:
        derive(df, {"change": "y16 - y2015"})
    assert "unknown column 'y2015'" in str(info.value)
    assert "columns are: y15, y16" in str(info.value)


def test_totals_recompute_derived_columns_from_the_sums() -> None:
    exprs = {"change": "b - a", "pct": "change / a * 100"}
    df = derive(pd.DataFrame({"name": ["x", "y"], "a": [100, 300], "b": [50, 330]}), exprs)
    total = totals_row(df, {name: ("formula", text) for name, text in exprs.items()})
    assert total["a"] == 400 and total["b"] == 380
    assert total["change"] == -20
    assert total["pct"] == pytest.approx(-5.0)  # not the sum of -50% and +10%


@pytest.mark.parametrize("value,spec,text", [
    (1234567, ",.0f", "1,234,567"), (-9.0, ".1f", "-9.0"), (-5.928, ".1f", "-5.9"),
    (-0.04, ".1f", "0.0"), (5904, ".0f", "5904"), (3.0, "", "3"), ("Southend", "", "Southend"),
    (None, ".1f", ""), (float("nan"), ".1f", ""), (-11.08, "+.1f", "-11.1"),
])
def test_number_formats(value: object, spec: str, text: str) -> None:
    assert format_value(value, spec) == text
