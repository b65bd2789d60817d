"""Data sources as analysts receive them: workbooks, record files, public formats, patterns."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pptx import Presentation

from deckgen import app
from deckgen.data import records, store
from deckgen.errors import DeckError
from deckgen.options import Options

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "data-example"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")


def _table(pptx: Path) -> list[list[str]]:
    tables = [sh.table for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.has_table]
    return [[c.text for c in row.cells] for row in tables[0].rows]


def _outline(folder: Path, data: str, columns: list[str], total: bool = False) -> Path:
    cols = ", ".join(f"{{column: {c}}}" for c in columns)
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\n{data}\nslides:\n  - kind: table\n    title: Table\n"
                    f"    data: d\n    columns: [{cols}]\n"
                    + ("    total: true\n" if total else ""), encoding="utf-8")
    return deck


def _error(deck: Path) -> str:
    with pytest.raises(DeckError) as info:
        app.check(deck)
    return str(info.value)


# --- Excel --------------------------------------------------------------------------------------


def _book(path: Path, rows: list[list[Any]], title: str = "Figures",
          merge: str | None = None) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.create_sheet("Other")
    book.save(path)


def test_a_sheet_is_read_by_name_or_number_from_its_header_row(tmp_path: Path) -> None:
    _book(tmp_path / "f.xlsx", [["Figures by district"], [], ["district", "calls", "code"],
                                ["Medway", 1200, "007"], ["Swale", 950.5, "012"], [None, None]])
    for sheet in ("sheet: Figures", "sheet: 1"):
        deck = _outline(tmp_path, f"data:\n  d: {{file: f.xlsx, {sheet}, header_row: 3}}",
                        ["district", "calls", "code"], total=True)
        built = app.build(deck, tmp_path / "out.pptx", options=Options(cache=False))
        assert _table(built.output) == [["district", "calls", "code"], ["Medway", "1200", "007"],
                                        ["Swale", "950.5", "012"], ["Total", "2150.5", ""]]
    # without header_row: the first row with anything in it, so here the title row
    deck = _outline(tmp_path, "data:\n  d: {file: f.xlsx, range: A3:B5}", ["district", "calls"])
    assert _table(app.build(deck, tmp_path / "r.pptx").output)[1] == ["Medway", "1200"]


def test_workbook_problems_are_named_at_their_cell(tmp_path: Path) -> None:
    _book(tmp_path / "m.xlsx", [["district", "Mar-Apr", None], ["", 2015, 2016],
                                ["Medway", 1, 2]], merge="B1:C1")
    deck = _outline(tmp_path, "data:\n  d: {file: m.xlsx}", ["district"])
    assert _error(deck) == ("m.xlsx:Figures!C1: the header cell is empty (it is covered by a "
                            "merged cell) but the column has values; give each column its own "
                            "name")
    book = Workbook()
    book.active.title = "Figures"
    book.active.append(["district", "calls"])
    book.active.append(["Medway", "=1+1"])  # openpyxl saves no value for a formula
    book.save(tmp_path / "f.xlsx")
    deck = _outline(tmp_path, "data:\n  d: {file: f.xlsx}", ["district"])
    assert _error(deck).startswith("f.xlsx:Figures!B2: the formula in this cell has no saved "
                                   "value")
    for typed in ("Figuers", "figures"):  # at the outline's 'sheet:', which names the book
        deck = _outline(tmp_path, f"data:\n  d: {{file: f.xlsx, sheet: {typed}}}",
                        ["district"])
        assert _error(deck) == (f"{deck}:3:28: data 'd': f.xlsx has no sheet '{typed}'; its "
                                "sheets are: Figures; did you mean 'Figures'?")
    _book(tmp_path / "t.xlsx", [["Operations summary, May 2016"], [], ["district", "crimes"],
                                ["Medway", 1]], merge="A1:B1")
    deck = _outline(tmp_path, "data:\n  d: {file: t.xlsx}", ["district"])
    assert _error(deck) == ("t.xlsx:Figures!B1: the header cell is empty (it is covered by a "
                            "merged cell) but the column has values; row 1 looks like a title: "
                            "if the column names are on a later row, say which with "
                            "'header_row:'")


def test_workbook_ratios_labels_merged_down_and_unsaved_formulas(tmp_path: Path) -> None:
    """What real workbooks hold: ratios to 17 digits (=30/55*100), a district merged down over
    its rows, several formulas never calculated."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Ops"
    for row in (["district", "crimes", "charged", "rate"], ["Tendring", 55, 30, 30 / 55 * 100],
                [None, 11, 3, 3 / 11 * 100], ["Colchester", 40, 22, 55.0]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    book.save(tmp_path / "ops.xlsx")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: ops.xlsx}\nslides:\n  - kind: table\n"
                    "    title: Charges\n    data: d\n    columns:\n      - {column: district}\n"
                    "      - {column: crimes}\n      - {column: rate, format: '.1f', total: "
                    "'charged / crimes * 100'}\n    total: true\n", encoding="utf-8")
    built = app.build(deck, tmp_path / "o.pptx", options=Options(cache=False))
    assert built.warnings == []
    assert _table(built.output) == [
        ["district", "crimes", "rate"], ["Tendring", "55", "54.5"], ["Tendring", "11", "27.3"],
        ["Colchester", "40", "55.0"], ["Total", "106", f"{55 / 106 * 100:.1f}"]]
    sheet["B4"] = 40.0
    sheet.merge_cells("B3:B4")  # a figure merged down would count twice
    book.save(tmp_path / "ops.xlsx")
    assert _error(deck) == ("ops.xlsx:Ops!B3:B4: the number 11 is merged over 2 rows, so it "
                            "would count once for each; unmerge the cells and put the figure in "
                            "one row")
    book = Workbook()
    book.active.title = "Ops"
    book.active.append(["district", "crimes", "charged", "rate"])
    for n in range(2, 6):
        book.active.append(["Medway", 5, 2, f"=C{n}/B{n}*100"])
    book.save(tmp_path / "ops.xlsx")
    assert _error(deck) == ("ops.xlsx:Ops!D2: the formula in this cell (and 3 more: D3, D4, D5) "
                            "has no saved value (the workbook was written by a program that does "
                            "not calculate); open it in Excel or LibreOffice Calc and save it "
                            "again")


def test_a_table_total_is_never_a_sum_of_rates(tmp_path: Path) -> None:
    """A rate read as it is from a file: summed only when the outline says so, with a warning
    when its name says it is a rate and nothing says how it totals."""
    (tmp_path / "d.csv").write_text("district,crimes,charged,charge_rate\nA,50,25,50.0\n"
                                    "B,30,6,20.0\n", encoding="utf-8")
    deck = _outline(tmp_path, "data:\n  d: {file: d.csv}", ["district", "crimes",
                                                           "charge_rate"], total=True)
    built = app.build(deck, tmp_path / "o.pptx", options=Options(cache=False))
    assert _table(built.output)[-1] == ["Total", "80", "70"]  # as the outline asked, but:
    assert [w.message for w in built.warnings] == [
        "the totals row adds up 'charge_rate', which looks like a rate, a percentage or an "
        "average; say 'total: false' on the column to leave it blank, or 'total:' and an "
        "expression to compute it from the other totals (e.g. 'charged / crimes * 100')"]
    for choice, shown in (("false", ""), ("'charged / crimes * 100'", "38.75"), ("true", "70")):
        text = deck.read_text(encoding="utf-8").replace(
            "{column: charge_rate}", f"{{column: charge_rate, total: {choice}}}")
        (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
        built = app.build(tmp_path / "c.yaml", tmp_path / "c.pptx", options=Options(cache=False))
        assert _table(built.output)[-1] == ["Total", "80", shown]
        assert built.warnings == []
    text = deck.read_text(encoding="utf-8").replace(
        "{column: charge_rate}", "{column: charge_rate, total: 'charged / crime * 100'}")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    assert _error(tmp_path / "c.yaml").endswith(
        "slide 1 (table): total of 'charge_rate': no column 'crime'; the columns are: "
        "district, crimes, charged, charge_rate; did you mean 'crimes'?")
    (tmp_path / "d.csv").write_text("district,crimes,charge_rate\nA,50,high\n",
                                    encoding="utf-8")
    text = deck.read_text(encoding="utf-8").replace("{column: charge_rate}",
                                                    "{column: charge_rate, format: '.1f'}")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    built = app.build(tmp_path / "c.yaml", tmp_path / "c.pptx", options=Options(cache=False))
    assert [(w.message, w.location.line) for w in built.warnings] == [
        ("format '.1f' is for numbers, but column 'charge_rate' holds text, so it is shown as "
         "written", 8)]


def test_rates_for_one_area_total_against_its_population_once(tmp_path: Path) -> None:
    """Crime types of one district, each joined to its population: the totals row's rate is
    the district's (all crimes / its population), not a rate of six populations."""
    (tmp_path / "c.csv").write_text("type,n\nA,40\nB,30\nC,20\nD,10\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text("district,population\nMedway,250000\nSwale,1\n",
                                    encoding="utf-8")
    data = ("data:\n  pop: {file: p.csv}\n  d:\n    file: c.csv\n    steps:\n"
            "      - derive: {district: \"'Medway'\"}\n"
            "      - join: {source: pop, on: district}\n"
            "      - rate: {value: n, per: population, as: per_1000}\n"
            "      - top: {n: 2, by: n, label: type}\n")
    deck = _outline(tmp_path, data, ["type", "n", "population", "per_1000"], total=True)
    built = app.build(deck, tmp_path / "o.pptx", options=Options(cache=False))
    rate = 100 / 250000 * 1000
    assert _table(built.output) == [
        ["type", "n", "population", "per_1000"], ["A", "40", "250000", "0.16"],
        ["B", "30", "250000", "0.12"], ["Other", "30", "250000", "0.12"],
        ["Total", "100", "250000", f"{rate:g}"]]


# --- record files -------------------------------------------------------------------------------


def _records(folder: Path, month: str, lines: list[str], gz: bool = True) -> Path:
    path = folder / "raw" / month / f"{month}-kent-street.csv{'.gz' if gz else ''}"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER + "\n" + "\n".join(lines) + "\n"
    path.write_bytes(gzip.compress(text.encode(), mtime=0) if gz else text.encode())
    return path


def _row(month: str, name: str = "Medway 012B", kind: str = "Burglary") -> str:
    return f"abc,{month},Kent Police,Kent Police,0.5,51.4,On or near X,E01,{name},{kind},,"


GROUP = ("data:\n  d:\n    files: raw/*/*-street.csv*\n    steps:\n"
         "      - group: {by: [District, Month], count: n}\n")


def test_police_uk_files_are_one_table_with_their_district(tmp_path: Path) -> None:
    _records(tmp_path, "2016-03", [_row("2016-03")] * 3 + [_row("2016-03", "Swale 001A")])
    _records(tmp_path, "2016-04", [_row("2016-04")], gz=False)
    deck = _outline(tmp_path, GROUP, ["District", "Month", "n"])
    assert _table(app.build(deck, tmp_path / "o.pptx").output) == [
        ["District", "Month", "n"], ["Medway", "2016-03", "3"], ["Medway", "2016-04", "1"],
        ["Swale", "2016-03", "1"]]


def test_longitudes_near_the_meridian_are_read_as_written(tmp_path: Path) -> None:
    """Essex straddles the Greenwich meridian: a longitude of 0.000018 is a number (pandas
    would write it 1.8e-05), and a blank one is missing, not zero."""
    written = ["0.000018", "-0.000074", "0.5", ""]
    _records(tmp_path, "2016-03", [_row("2016-03").replace(",0.5,", f",{lon},")
                                   for lon in written])
    deck = _outline(tmp_path, "data:\n  d:\n    files: raw/*/*-street.csv*\n    steps:\n"
                    "      - group: {by: District, count: n, min: {west: Longitude}, "
                    "max: {east: Longitude}}\n", ["District", "n", "west", "east"])
    table = _table(app.build(deck, tmp_path / "o.pptx").output)
    assert table[1][:2] == ["Medway", "4"]
    assert [float(v) for v in table[1][2:]] == [-0.000074, 0.5]


def test_a_ragged_record_is_an_error_at_its_line(tmp_path: Path) -> None:
    _records(tmp_path, "2016-03", [_row("2016-03"), _row("2016-03") + ",extra",
                                   _row("2016-03")])
    deck = _outline(tmp_path, GROUP, ["District"])
    assert _error(deck) == ("raw/2016-03/2016-03-kent-street.csv.gz:3:1: line 3 has 13 values "
                            "but the header names 12 columns")
    # with quoted fields, the exact (slower) check: a short row too
    _records(tmp_path, "2016-03", [_row("2016-03").replace("On or near X", '"On, near X"'),
                                   "abc,2016-03,Kent Police"])
    assert _error(deck) == ("raw/2016-03/2016-03-kent-street.csv.gz:3:1: line 3 has 3 values "
                            "but the header names 12 columns")


def test_a_month_that_is_not_a_month_is_an_error(tmp_path: Path) -> None:
    _records(tmp_path, "2016-03", [_row("2016-03"), _row("March 2016")])
    assert _error(_outline(tmp_path, GROUP, ["District"])) == (
        "raw/2016-03/2016-03-kent-street.csv.gz:3:1: 'March 2016' in column 'Month' is not a "
        "month (YYYY-MM)")


def test_files_of_another_format_in_a_pattern_are_an_error(tmp_path: Path) -> None:
    _records(tmp_path, "2016-03", [_row("2016-03")])
    other = tmp_path / "raw" / "2016-04" / "2016-04-kent-street.csv"
    other.parent.mkdir(parents=True)
    other.write_text("district,n\nMedway,1\n")
    message = _error(_outline(tmp_path, GROUP, ["District"]))
    assert message.startswith("raw/2016-04/2016-04-kent-street.csv:1:1: the header is not "
                              "police.uk's street-level one")


def test_a_pattern_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    message = _error(_outline(tmp_path, GROUP, ["District"]))
    assert message.endswith(f"no file matches 'raw/*/*-street.csv*' in the outline's folder "
                            f"({tmp_path.resolve()}); there is no folder 'raw'")
    (tmp_path / "police-uk-SYNTHETIC" / "2016-04").mkdir(parents=True)
    long = "police-uk-SYNTETIC/*/*-kent-street-SYNTHETIC-extract-of-the-month.csv.gz"
    message = _error(_outline(tmp_path, GROUP.replace("raw/*/*-street.csv*", long), ["n"]))
    assert message.endswith(f"no file matches '{long}' in the outline's folder "
                            f"({tmp_path.resolve()}); there is no folder 'police-uk-SYNTETIC'; "
                            "did you mean 'police-uk-SYNTHETIC'?")


def test_a_new_file_for_the_pattern_rebuilds_the_deck(tmp_path: Path) -> None:
    _records(tmp_path, "2016-03", [_row("2016-03")])
    deck = _outline(tmp_path, GROUP, ["District", "Month", "n"])
    assert not app.build(deck, tmp_path / "o.pptx").reused
    assert app.build(deck, tmp_path / "o.pptx").reused
    _records(tmp_path, "2016-04", [_row("2016-04")])
    again = app.build(deck, tmp_path / "o.pptx")
    assert not again.reused and len(_table(again.output)) == 3


def test_parsed_files_are_kept_checked_and_reread_only_when_they_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_cache: Path) -> None:
    _records(tmp_path, "2016-03", [_row("2016-03")] * 5)
    deck = _outline(tmp_path, GROUP, ["District", "Month", "n"])
    parsed: list[str] = []
    real = records._parse
    monkeypatch.setattr(records, "_parse", lambda *a, **k: parsed.append(a[1]) or real(*a, **k))
    store._READ.clear()
    app.build(deck, tmp_path / "a.pptx")
    store._READ.clear()
    app.build(deck, tmp_path / "b.pptx")  # another output: built, but the file is not parsed
    assert len(parsed) == 1
    for entry in (user_cache / "data").rglob("*.records"):
        entry.write_bytes(entry.read_bytes()[:-10])  # damaged: parsed again, never trusted
    store._READ.clear()
    assert _table(app.build(deck, tmp_path / "c.pptx").output)[1] == ["Medway", "2016-03", "5"]
    assert len(parsed) == 2


# --- Home Office tables -------------------------------------------------------------------------


def test_home_office_editions_read_alike(tmp_path: Path) -> None:
    (tmp_path / "ho.csv").write_text(
        "financial year,Financial Quarter,Force Name,CSP Name,Offence Description,"
        "Offence Group,Offence Subgroup,Offence Code,Number of Offences\n"
        "2015/16,Q1,Kent,Medway,Possession of cannabis,Drug offences,Drugs,92D,10\n"
        "2015/16,2,Kent,Medway,Possession of cannabis,Drug Offences,Drugs,92D,5\n"
        "2015/16,Q2,Kent,Medway,Possession of cannabis,Drug offences,Drugs,92D,7\n")
    data = ("data:\n  d:\n    file: ho.csv\n    steps:\n"
            "      - group: {by: [Offence Group, Quarter], sum: {n: Offence Count}}\n")
    deck = _outline(tmp_path, data, ["Offence Group", "Quarter", "n"])
    assert _table(app.build(deck, tmp_path / "o.pptx").output) == [
        ["Offence Group", "Quarter", "n"], ["Drug offences", "2015/16 Q1", "10"],
        ["Drug offences", "2015/16 Q2", "12"]]


# --- from:, variables in file names -------------------------------------------------------------


def test_from_loops_and_unknown_sources_are_errors(tmp_path: Path) -> None:
    deck = _outline(tmp_path, "data:\n  d: {from: e}\n  e: {from: d}", ["x"])
    message = _error(deck)
    assert "'from: e' makes a loop: d -> e -> d" in message
    deck = _outline(tmp_path, "data:\n  d: {from: nope}", ["x"])
    assert "unknown data source 'nope'" in _error(deck)


def test_variables_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "asb_2016-04.csv").write_text("district,n\nMedway,4\n")
    (tmp_path / "asb_2016-05.csv").write_text("district,n\nMedway,5\n")
    deck = _outline(tmp_path, "variables:\n  period: {default: '2016-04', type: month}\n"
                    "data:\n  d: {file: 'asb_{period}.csv'}", ["district", "n"])
    assert _table(app.build(deck, tmp_path / "a.pptx").output)[1] == ["Medway", "4"]
    built = app.build(deck, tmp_path / "b.pptx", overrides={"period": "2016-05"})
    assert _table(built.output)[1] == ["Medway", "5"]


def test_the_docs_example_files_are_what_the_script_writes(tmp_path: Path) -> None:
    """docs/data-example/ is made by scripts/make_docs_data.py (text files compared)."""
    import runpy

    out = tmp_path / "docs" / "data-example"
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    runpy.run_path(str(tmp_path / "scripts" / "make_docs_data.py"), run_name="__main__")
    for made in out.rglob("*.csv"):
        assert made.read_text() == (EXAMPLE / made.relative_to(out)).read_text(), made


def test_a_batch_reads_and_shapes_a_shared_source_once(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for month in ("2016-03", "2016-04"):
        _records(tmp_path, month, [_row(month), _row(month, "Swale 001A"),
                                   _row(month, "Swale 002B", "Anti-social behaviour")])
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "title: '{district}'\nvariables:\n  district: {default: Medway, values_from: d.District}\n"
        "data:\n  d:\n    files: raw/*/*-street.csv*\n    steps:\n"
        "      - group: {by: [District, Crime type], count: n}\n"
        "slides:\n  - kind: table\n    title: 'Crimes in {district}'\n    data: d\n"
        "    where: {District: '{district}'}\n"
        "    columns: [{column: Crime type}, {column: n}]\n", encoding="utf-8")
    parsed: list[str] = []
    loads: list[str] = []
    real_parse, real_load = records._parse, store.DataStore._load
    monkeypatch.setattr(records, "_parse", lambda *a, **k: parsed.append(a[1]) or
                        real_parse(*a, **k))
    monkeypatch.setattr(store.DataStore, "_load", lambda self, name: loads.append(name) or
                        real_load(self, name))
    store._READ.clear()
    results = app.build_each(deck, "district", tmp_path / "decks", {}, jobs=1)
    assert [r.value for r in results] == ["Medway", "Swale"] and all(r.ok for r in results)
    assert sorted(parsed) == ["raw/2016-03/2016-03-kent-street.csv.gz",
                              "raw/2016-04/2016-04-kent-street.csv.gz"]
    assert loads == ["d"]  # read and grouped once, for both decks
    assert _table(results[1].output) == [["Crime type", "n"], ["Anti-social behaviour", "2"],
                                         ["Burglary", "2"]]


def test_a_slides_where_may_list_values_and_explains_a_star(tmp_path: Path) -> None:
    for month in ("2015-06", "2015-07", "2015-08"):
        _records(tmp_path, month, [_row(month), _row(month, "Swale 001A")])
    data = ("data:\n  d:\n    files: raw/*/*-street.csv*\n    steps:\n"
            "      - group: {by: [District, Month], count: n}\n")
    deck = tmp_path / "deck.yaml"
    chart = ("slides:\n  - kind: chart\n    title: C\n    chart: bar\n    data: d\n"
             "    x: Month\n    y: n\n    where: WHERE\n")
    deck.write_text(f"title: T\n{data}" + chart.replace(
        "WHERE", "{Month: ['2015-06', '2015-07'], District: Medway}"), encoding="utf-8")
    planned = app.check(deck)
    picture = next(e for e in planned.plans[0].elements if hasattr(e, "chart"))
    assert picture.chart.categories == ("2015-06", "2015-07")  # type: ignore[attr-defined]
    deck.write_text(f"title: T\n{data}" + chart.replace("WHERE", "{District: Med*}"),
                    encoding="utf-8")
    message = _error(deck)
    assert message.endswith("'Med*' is not a value of column 'District' in data 'd'; values "
                            "are: Medway, Swale; to keep values "
                            "starting 'Med', filter with a step: {starts_with: Med}")


def test_a_slide_picks_whole_numbers_as_written_from_a_column_of_decimals(
        tmp_path: Path) -> None:
    # A derived column of halves holds 2.0 and 3.5; a slide's where and its labels say 2, as
    # the data step's filter does.
    (tmp_path / "d.csv").write_text("area,n\nA,4\nB,7\nC,6\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, derive: {half: n / 2}}\nslides:\n"
                    "  - kind: chart\n    title: C\n    chart: bar\n    data: d\n"
                    "    x: half\n    y: n\n    where: {half: [2, 3.5]}\n", encoding="utf-8")
    picture = next(e for e in app.check(deck).plans[0].elements if hasattr(e, "chart"))
    assert sorted(picture.chart.categories) == ["2", "3.5"]  # type: ignore[attr-defined]


def test_a_home_office_file_in_a_pattern_names_the_columns_it_lacks(tmp_path: Path) -> None:
    header = ("Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,"
              "Offence Group,Offence Subgroup,Offence Code,Number of Offences\n")
    row = "2015/16,Q1,Kent,Medway,Possession of cannabis,Drug offences,Drugs,92D,10\n"
    (tmp_path / "ho").mkdir()
    (tmp_path / "ho" / "a.csv").write_text(header + row)
    (tmp_path / "ho" / "b.csv").write_text(header.replace(",Offence Code", "") +
                                           row.replace(",92D", ""))
    data = "data:\n  d:\n    files: ho/*.csv\n    format: home-office\n"
    message = _error(_outline(tmp_path, data, ["Offence Group"]))
    assert "ho/b.csv:1:1: the header is not a Home Office recorded crime table's: it has no " \
           "Offence Code" in message, message


def test_dividing_by_zero_in_a_derived_source_names_the_row(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("area,a,b\nX,1,2\nY,3,0\n")
    data = ("data:\n  base: {file: d.csv}\n  d:\n    from: base\n"
            "    derive: {r: a / b}\n")
    planned = app.check(_outline(tmp_path, data, ["area", "r"]))
    warnings = [str(w) for w in planned.warnings]
    assert any("1 row divides by zero (the first at line 3 of d.csv)" in w for w in warnings), \
        warnings


def test_a_percentage_in_a_workbook_reads_as_the_same_cell_in_a_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["area", "rate"])
    for area, value in (("A", 0.064), ("B", -0.125)):
        sheet.append([area, value])
        sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"
    book.save(tmp_path / "d.xlsx")
    (tmp_path / "d.csv").write_text("area,rate\nA,6.4%\nB,-12.5%\n", encoding="utf-8")
    for name in ("d.xlsx", "d.csv"):
        deck = _outline(tmp_path, f"data:\n  d: {{file: {name}}}", ["area", "rate"])
        assert _table(app.build(deck, tmp_path / "o.pptx").output)[1:] == [
            ["A", "6.4"], ["B", "-12.5"]], name
