"""Messages from issue 25, each checked against what a user reads: the contrast it needs, kinds
described whole, a blank shown as '(blank)', a renamed column named, a chart's `top:` beside
police.uk's own 'Other' types, every column of an extract in `data show`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from deckgen import app
from deckgen.errors import DeckError, excerpt
from deckgen.kinds.describe import kind_summary

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "data-example"
POLICE_UK = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
             "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
             "Context"]


def _wcag(colour: str) -> float:
    """WCAG 2's contrast of a colour on white, written out here (not deckgen's)."""
    def linear(x: float) -> float:
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_a_contrast_below_the_need_never_reads_as_the_need(tmp_path: Path) -> None:
    assert 2.99 < _wcag("959595") < 3.0  # rounded to one place it would read 3.0
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nbrand:\n  colours: {text: '959595'}\nslides:\n"
                    "  - {kind: bullets, title: Grey, size: 22, points: [Hard to read]}\n",
                    encoding="utf-8")
    warnings = [w.message for w in app.check(deck).warnings]
    assert "text 'Hard to read' in 'Points' has contrast 2.99:1 on its background (#959595 " \
        "on #FFFFFF); WCAG AA needs 3:1" in warnings


def test_kind_descriptions_are_whole_sentences_and_current() -> None:
    assert kind_summary("title") == ("the opening slide — deck title, subtitle (e.g. the "
                                     "district), date and a tagline.")
    assert kind_summary("map").endswith("with a legend that states its classes and alt text "
                                        "written from the data.")
    chart = kind_summary("chart")
    assert "native, editable PowerPoint chart" in chart and "matplotlib" in chart
    out = subprocess.run([sys.executable, "-m", "deckgen", "kinds"], capture_output=True,
                         text=True, check=True).stdout
    assert "alt text written from the data." in out


@pytest.mark.parametrize("blank", [None, float("nan"), pd.NA])
def test_a_blank_shows_as_blank_in_messages(blank: object) -> None:
    assert excerpt(blank) == "(blank)"
    assert excerpt("nan") == "nan"  # text that says nan is shown as written


def test_data_show_lists_every_column_the_used_ones_first(tmp_path: Path) -> None:
    work = tmp_path / "ex"
    shutil.copytree(EXAMPLE, work)
    (work / "deck.yaml").write_text(
        "title: T\ndata:\n  crimes:\n    files: police-uk/*/*-kent-street-SYNTHETIC.csv\n"
        "  asb:\n    from: crimes\n    steps:\n      - filter: {Crime type: Anti-social "
        "behaviour}\n      - group: {by: District, count: incidents, blanks: drop}\n"
        "slides:\n  - {kind: table, title: ASB, data: asb, columns: [{column: District}]}\n",
        encoding="utf-8")
    shown = app.data_show(work / "deck.yaml", "crimes", rows=3)
    assert set(shown.columns) == set(POLICE_UK) | {"District", "File"}  # all 12, and the added
    assert set(shown.columns[:2]) == {"Crime type", "District"}  # the used ones first
    files = sorted((work / "police-uk").glob("*/*.csv"))
    assert shown.rows == sum(len(pd.read_csv(f)) for f in files)


def test_a_column_a_known_format_renamed_is_named(tmp_path: Path) -> None:
    work = tmp_path / "ex"
    shutil.copytree(EXAMPLE, work)
    header = (work / "home-office-csp-SYNTHETIC.csv").read_text(encoding="utf-8").split("\n")[0]
    assert "Number of Offences" in header  # an older edition's name
    (work / "deck.yaml").write_text(
        "title: T\ndata:\n  ho:\n    file: home-office-csp-SYNTHETIC.csv\n    steps:\n"
        "      - group: {by: CSP Name, sum: {n: Number of Offences}}\nslides:\n"
        "  - {kind: table, title: HO, data: ho, columns: [{column: CSP Name}]}\n",
        encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(work / "deck.yaml")
    message = info.value.problems[0].message
    assert message.startswith("'Number of Offences' is named 'Offence Count' here")
    for column in ("Financial Year", "Financial Quarter", "Police Force", "CSP Name",
                   "Offence Description", "Offence Group", "Offence Subgroup", "Offence Code",
                   "Offence Count", "Quarter"):  # every column, not only those read
        assert column in message


def test_a_charts_rest_is_named_apart_from_police_uk_other_types(tmp_path: Path) -> None:
    (tmp_path / "mix.csv").write_text(
        "Crime type,crimes\nViolence and sexual offences,420\nOther theft,150\n"
        "Shoplifting,130\nBurglary,90\nOther crime,40\nDrugs,25\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    outline = ("title: T\ndata:\n  mix: {file: mix.csv}\nslides:\n  - {kind: chart, title: Mix, "
               "chart: hbar, data: mix, x: Crime type, y: crimes, top: 4OTHER}\n")
    deck.write_text(outline.replace("OTHER", ""), encoding="utf-8")
    with pytest.raises(DeckError, match="name it with 'other:', e.g. other: All other types"):
        app.check(deck)
    deck.write_text(outline.replace("OTHER", ", other: All other types, engine: native"),
                    encoding="utf-8")
    from pptx import Presentation

    built = app.build(deck, tmp_path / "o.pptx").output
    plot = next(sh.chart for s in Presentation(str(built)).slides for sh in s.shapes
                if sh.has_chart).plots[0]
    assert list(plot.categories) == ["Violence and sexual offences", "Other theft",
                                     "Shoplifting", "All other types"]
    assert list(plot.series[0].values) == [420, 150, 130, 90 + 40 + 25]


def _ons_workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    for row in (["district", "population"], ["Aldbury", 310000], ["Brookton", "[x]"],
                ["Castlemere", 148000], ["Dunholt", "[c]"], [],
                ["Source: ONS mid-2024 population estimates [note 2]"]):
        sheet.append(row)
    book.save(path)


def test_ons_markers_are_no_figure_and_a_note_under_the_table_is_not_data(
        tmp_path: Path) -> None:
    from pptx import Presentation

    _ons_workbook(tmp_path / "pop.xlsx")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  pop: {file: pop.xlsx}\nslides:\n  - {kind: table, "
                    "title: People, data: pop, columns: [{column: district}, {column: "
                    "population, format: '#,##0'}], total: true}\n", encoding="utf-8")
    built = app.build(deck, tmp_path / "o.pptx")
    table = next(sh.table for s in Presentation(str(built.output)).slides for sh in s.shapes
                 if sh.has_table)
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["district", "population"], ["Aldbury", "310,000"], ["Brookton", ""],
        ["Castlemere", "148,000"], ["Dunholt", ""], ["Total", f"{310000 + 148000:,}"]]
    warnings = [str(w) for w in built.warnings]
    assert warnings[0].endswith("pop.xlsx:Table 1!A7: row 7 ('Source: ONS mid-2024 population "
                                "estimates [note 2]') is a note under the table, not data: it "
                                "is left out (set 'range:' to read only the table and not be "
                                "told)")
    assert warnings[1].endswith("'[x]' (not available) in column 'population' (and 1 more "
                                "cell) is read as no figure: the cell is left blank and totals "
                                "leave it out")


def test_a_batch_says_each_warning_once_naming_the_decks(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("district,crimes,charge_rate\nAldbury,10,12.5\n"
                                    "Brookton,20,30.0\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        "title: '{district}'\nvariables:\n  district: {default: Aldbury, values: [Aldbury, "
        "Brookton, Castlemere]}\ndata:\n  d: {file: d.csv}\nslides:\n  - {kind: table, "
        "title: Crimes, data: d, columns: [{column: district}, {column: crimes}, {column: "
        "charge_rate}], total: true}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "deckgen", "build", "--each", "district",
                             "-o", "out", "--jobs", "1"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 1, result.stderr  # once, not once per district
    assert lines[0].startswith("warning: [every district (3)] deck.yaml:")
    assert "charge_rate" in lines[0]


def test_watch_says_a_warning_once_until_it_changes(tmp_path: Path) -> None:
    import signal
    import time

    (tmp_path / "d.csv").write_text("district,crimes,charge_rate\nAldbury,10,12.5\n",
                                    encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    outline = ("title: T{n}\ndata:\n  d: {{file: d.csv}}\nslides:\n  - {{kind: table, title: "
               "Crimes, data: d, columns: [{{column: district}}, {{column: charge_rate}}], "
               "total: true}}\n")
    deck.write_text(outline.format(n=1), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "watch", "deck.yaml", "-o",
                             "w.pptx", "--poll"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out = tmp_path / "w.pptx"
        for n in (2,):  # a save that leaves the warning as it was
            end = time.monotonic() + 60
            while not out.exists() and time.monotonic() < end:
                time.sleep(0.1)
            assert out.exists()
            out.unlink()
            time.sleep(1.1)  # a later modification time, whatever the file system's clock
            deck.write_text(outline.format(n=n), encoding="utf-8")
        end = time.monotonic() + 60
        while not out.exists() and time.monotonic() < end:
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    assert stdout.count("wrote") == 2, stdout
    assert stderr.count("warning:") == 1, stderr  # once, not on every save
    assert "charge_rate" in stderr
