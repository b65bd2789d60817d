"""The figures the data stage computes for table, chart and map slides (data/tables.py,
data/tabletotals.py, data/series.py, data/mapclasses.py, data/mapareas.py), on small files
whose expected figures are worked out by hand in the comments.

The slides here are plain dataclasses, not the kinds' models: the data stage needs only the
keys its protocols name (data/tablekeys.py, data/series.py, data/mapareas.py), and the slide's
way of locating a message (data/slide.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import pytest

from deckgen.data import mapareas, mapclasses, series, tables
from deckgen.data.store import DataStore
from deckgen.data.tablekeys import derived_from
from deckgen.errors import DeckError, Location, Problem
from deckgen.source import noise
from deckgen.source.noise import ChangeSpec
from deckgen.source.schema import DataSourceSpec


@dataclass(frozen=True)
class _Slide:
    """A slide as the data stage sees it: messages say 'slide 1 (test)' and the key's path."""

    data: DataStore
    label: str = "slide 1 (test)"

    def locate(self, *subpath: str | int) -> Location | None:
        return None

    def warning(self, message: str, *subpath: str | int) -> Problem:
        return Problem(f"{message} [at {'.'.join(map(str, subpath))}]", None, self.label)

    def error(self, message: str, *subpath: str | int) -> DeckError:
        return DeckError.single(f"{message} [at {'.'.join(map(str, subpath))}]", None,
                                self.label)


def _slide(tmp_path: Path, name: str, text: str, **keys: Any) -> _Slide:
    """A slide of a store of one source, `name`, read from the CSV text in 'NAME.csv' (with
    the source's other keys, e.g. `derive`)."""
    (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    spec = DataSourceSpec.model_validate({"file": f"{name}.csv", **keys})
    return _Slide(DataStore({name: spec}, tmp_path))


# --- tables ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Column:
    column: str
    header: str = ""
    format: str = ""
    unit: Optional[str] = None
    total: Union[bool, str, None] = None
    change: Optional[ChangeSpec] = None
    suppress_below: Optional[int] = None


@dataclass(frozen=True)
class _Total:
    label: str = "Total"
    known_difference: bool = False


@dataclass(frozen=True)
class _Table:
    data: str
    columns: list[_Column]
    where: dict[str, Any] = field(default_factory=dict)
    highlight: Optional[str] = None
    total: Union[_Total, bool] = False


def _texts(row: tables.TableRow) -> list[str]:
    return [cell.text for cell in row.cells]


def _figures(slide: _Slide, table: _Table) -> tables.TableFigures:
    return tables.figures(slide, table, tables.select(slide, table), "\u2212")


def test_a_small_count_is_hidden_with_every_column_computed_from_it(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "t", "district,crimes,charged\nA,10,4\nB,3,1\nC,20,5\n",
                   derive={"rate": "charged / crimes * 100"})
    table = _Table("t", [_Column("district"), _Column("crimes", suppress_below=5),
                         _Column("charged"), _Column("rate", format="0.0")], total=True)
    found = _figures(slide, table)
    # B's 3 crimes are from 1 to below 5: hidden, and its rate (1/3) would give them away
    assert [_texts(r) for r in found.rows] == [["A", "10", "4", "40.0"], ["B", "*", "1", "*"],
                                               ["C", "20", "5", "25.0"]]
    # the totals add the rows up (33 crimes, 10 charged) and compute the rate again from
    # them: 10 / 33 * 100 = 30.30..., never a sum of the rows' rates
    assert found.total is not None and _texts(found.total) == ["Total", "33", "10", "30.3"]
    assert found.used == {"suppressed"}
    hidden = found.rows[1].cells[1]
    assert hidden.plain and hidden.falls is False  # 3 rises; hidden, it is never coloured
    # one hidden cell in a column with a total: the total less the other rows gives it away
    assert [str(w) for w in found.warnings] == [
        "slide 1 (test): column 'crimes' suppresses one cell, which the totals row gives away "
        "(the total less the other rows); suppress a second cell or show no totals row "
        "[at columns.1.suppress_below]"]


def test_a_change_is_marked_by_its_noise_or_left_blank_on_a_small_base(tmp_path: Path) -> None:
    # z = 2(√now − √before): A 2(√30 − √10) = 4.63 (significant), D 2(√20 − √10) = 2.62
    # (notable), B 2(√12 − √10) = 0.60 (noise); C's base of 4 is below 10: a % change of it
    # is not shown
    slide = _slide(tmp_path, "t", "area,now,before,pct\nA,30,10,200\nB,12,10,20\nC,5,4,25\n"
                                "D,20,10,100\n")
    change = ChangeSpec(current="now", previous="before")
    table = _Table("t", [_Column("area"), _Column("pct", format="0", change=change)])
    found = _figures(slide, table)
    figure = noise.NO_MARK
    assert [r.cells[1].text for r in found.rows] == ["200\u2021", "20" + figure,
                                                     "\u2013" + figure, "100\u2020"]
    assert [r.cells[1].plain for r in found.rows] == [False, True, True, False]
    assert found.used == {"significant", "noise", "small base", "notable"}
    assert found.total is None and found.warnings == ()


def test_a_change_that_is_neither_a_difference_nor_a_percent_is_an_error(
        tmp_path: Path) -> None:
    slide = _slide(tmp_path, "t", "area,now,before,pct\nA,30,10,200\nB,12,10,7\n")
    change = ChangeSpec(current="now", previous="before")
    table = _Table("t", [_Column("area"), _Column("pct", change=change)])
    with pytest.raises(DeckError, match=r"'pct' is 7 where now is 12 and before 10: neither "
                                        r"their difference nor their % change.*"
                                        r"\[at columns\.1\.change\]"):
        _figures(slide, table)


def test_a_stated_total_that_differs_from_its_rows(tmp_path: Path) -> None:
    text = "district,y15,y16\nA,10,12\nB,5,4\nTOTAL,16,16\n"
    slide = _slide(tmp_path, "t", text, total_row="TOTAL")
    columns = [_Column("district"), _Column("y15"), _Column("y16", header="2016")]
    # y15's rows add up to 15, the data says 16: shown as stated, with a warning
    found = _figures(slide, _Table("t", columns, total=True))
    assert found.total is not None and _texts(found.total) == ["Total", "16", "16"]
    assert len(found.warnings) == 1 and "is 16, but its rows add up to 15 (+1); the slide " \
        "shows the stated total [at total]" in str(found.warnings[0])
    # ... unless the difference is known: then the footnote says what the rows add up to
    found = _figures(slide, _Table("t", columns, total=_Total("All", known_difference=True)))
    assert found.total is not None and _texts(found.total) == ["All", "16", "16"]
    assert found.warnings == ()
    assert found.published == "All is as published; the rows above add up to 15 (y15)."


def test_select_keeps_the_rows_asked_for_and_names_a_missing_column(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "t", "district,year,n\nA,2015,1\nA,2016,2\nB,2016,3\n")
    selected = tables.select(slide, _Table("t", [_Column("district"), _Column("n")],
                                           where={"year": 2016}))
    assert selected.numeric == (False, True)
    assert list(selected.rows["n"]) == [2, 3]
    with pytest.raises(DeckError, match=r"unknown column 'm' in t\.csv.*\[at columns\.1\."
                                        r"column\]"):
        tables.select(slide, _Table("t", [_Column("district"), _Column("m")]))


def test_a_computed_column_reads_every_column_its_formula_reads_at_any_remove() -> None:
    rules: Any = {"change": ("formula", "y16 - y15"), "pct": ("formula", "change / y15 * 100"),
                  "y15": "sum"}
    assert derived_from(rules) == {"change": {"y16", "y15"},
                                   "pct": {"change", "y15", "y16"}}


# --- chart series ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Chart:
    data: str
    x: str
    y: Union[str, list[str]]
    x_labels: list[str] = field(default_factory=list)
    y_labels: list[str] = field(default_factory=list)
    where: dict[str, Any] = field(default_factory=dict)
    percent: bool = False
    top: Optional[int] = None
    highlight: Optional[str] = None
    change: Optional[ChangeSpec] = None
    other: str = "Other"


GROUPS = "group,n\nc,10\na,50\ne,4\nb,30\nd,6\n"


def test_shares_of_the_top_few_and_the_rest_as_other(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "g", GROUPS)
    # of 100: a 50, b 30, then c, d and e (10 + 6 + 4) as 'Other'
    found = series.chart_series(slide, _Chart("g", "group", "n", percent=True, top=3),
                                "categories", "descending")
    assert found.categories == ("a", "b", "Other")
    assert found.series == (series.Series("n", (50.0, 30.0, 20.0)),)
    ascending = series.chart_series(slide, _Chart("g", "group", "n"), "categories",
                                    "ascending")
    assert ascending.categories == ("e", "d", "c", "b", "a")


def test_clustered_bars_are_sorted_by_their_last_column(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "t", "district,y15,y16\nA,5,1\nB,2,9\nA,1,1\n")
    found = series.chart_series(slide, _Chart("t", "district", ["y15", "y16"],
                                              y_labels=["2015", "2016"]),
                                "clustered", "descending")
    # summed by district: A 6 and 2, B 2 and 9; B first, by 2016
    assert found.categories == ("B", "A")
    assert found.series == (series.Series("2015", (2.0, 6.0)),
                            series.Series("2016", (9.0, 2.0)))


def test_a_wide_table_is_a_line_per_row(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "t", "district,y15,y16\nA,5,1\nB,2,9\n")
    found = series.chart_series(slide, _Chart("t", "district", ["y15", "y16"],
                                              x_labels=["2015", "2016"], highlight="B"),
                                "lines", "none")
    assert found.categories == ("2015", "2016")
    assert found.series == (series.Series("A", (5.0, 1.0)), series.Series("B", (2.0, 9.0)))
    assert found.highlight == "B"


def test_bars_of_a_change_are_marked_and_a_small_base_left_out(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "t", "area,now,before,pct\nA,30,10,200\nB,12,10,20\nC,5,4,25\n")
    change = ChangeSpec(current="now", previous="before")
    found = series.chart_series(slide, _Chart("t", "area", "pct", change=change),
                                "categories", "descending")
    assert found.categories == ("A", "B")  # C: a % change on a base of 4, left out
    assert found.marks == ("\u2021", "")
    assert found.left_out == ("C",)


def test_a_filter_naming_a_value_the_data_lacks_is_an_error(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "g", GROUPS)
    with pytest.raises(DeckError, match=r"'f' is not a value of column 'group' in g\.csv; "
                                        r"values are: a, b, c, d, e \[at where\.group\]"):
        series.chart_series(slide, _Chart("g", "group", "n", where={"group": "f"}),
                            "categories", "descending")


# --- map classes and areas -------------------------------------------------------------------

def test_counts_with_none_have_a_class_of_their_own() -> None:
    # 0 apart; of 1, 2, 3, 4 two classes split at the median 2.5, rounded up to a count
    found = mapclasses.classes([0, 0, 1, 2, 3, 4], "quantiles", 3, (), 1.0, True, False)
    assert found == mapclasses.MapClasses((0.0, 1.0, 3.0, 4.0))


def test_a_change_has_zero_as_an_edge_and_no_change_as_a_class() -> None:
    # two classes centred on 0: falls and rises; 0 itself a class of its own between them
    # (index 1), the class after it from 0.1 (the step)
    found = mapclasses.classes([-2.0, 0.0, 1.0, 3.0], "equal", 2, (), 0.1, False, True)
    assert found == mapclasses.MapClasses((-2.0, 0.0, 3.0), 1, 0.1)


@dataclass(frozen=True)
class _Map:
    data: str
    value: str
    area: str = "code"
    column: str = "code"
    via: Optional[Any] = None
    name: Optional[str] = None
    union: bool = False
    only: dict[str, Any] = field(default_factory=dict)
    outline: Optional[str] = None
    where: dict[str, Any] = field(default_factory=dict)
    missing: str = "no data"
    highlight: Optional[str] = None
    top: int = 0
    value_format: str = ""
    unit: Optional[str] = None
    change: Optional[Any] = None
    names: Optional[Any] = None


def _boundaries(tmp_path: Path) -> Path:
    def square(key: str, x: float) -> dict[str, object]:
        ring = [[x, 51], [x + 0.01, 51], [x + 0.01, 51.01], [x, 51.01], [x, 51]]
        return {"type": "Feature", "properties": {"code": key},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        square("A", 0.0), square("B", 0.02), square("C", 0.04)]}), encoding="utf-8")
    return path


def test_areas_are_joined_to_the_data_by_key(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "d", "code,n\nA,5\nB,0\nX,7\n")
    found = mapareas.map_figures(slide, _Map("d", "n", highlight="B", top=2),
                                 _boundaries(tmp_path))
    assert [(a.key, a.value) for a in found.areas] == [("A", 5.0), ("B", 0.0), ("C", None)]
    assert found.counts and found.value_format == ",.0f" and found.step == 1.0
    assert found.highlight == "B"
    assert found.labelled == ("A",)  # of the top 2, B has no count to point at
    assert [str(w) for w in found.warnings] == [
        "slide 1 (test): 1 key of column 'code' in d.csv matches no area of the boundaries "
        "(by code): 'X'; their figures are not on the map [at column]"]
    # with `missing: zero`, C (no row) counts none
    zero = mapareas.map_figures(slide, _Map("d", "n", missing="zero"), _boundaries(tmp_path))
    assert [a.value for a in zero.areas] == [5.0, 0.0, 0.0]


def test_figures_are_classed_as_the_map_shows_them(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "d", "code,rate\nA,1.04\nB,2.26\nC,0.5\n")
    found = mapareas.map_figures(slide, _Map("d", "rate"), _boundaries(tmp_path))
    # not counts: one place by default, so 1.04 is 1.0 and 2.26 is 2.3
    assert not found.counts and found.value_format == ".1f" and found.step == 0.1
    assert [a.value for a in found.areas] == [1.0, 2.3, 0.5]


def test_a_key_twice_in_the_data_is_an_error_at_its_cell(tmp_path: Path) -> None:
    slide = _slide(tmp_path, "d", "code,n\nA,5\nA,6\n")
    with pytest.raises(DeckError, match=r"d\.csv:3:1: slide 1 \(test\): 'A' has more than one "
                                        r"row in d\.csv"):
        mapareas.map_figures(slide, _Map("d", "n"), _boundaries(tmp_path))
