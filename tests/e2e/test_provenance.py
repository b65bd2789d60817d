"""Provenance as a reader sees it: the source line of every data slide, "Data to ..." on the
title slide, and data that is not real saying so whatever the slide sets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError

RECORDS = "Month,Crime type\n2016-02,Burglary\n2016-03,Burglary\n2016-01,Drugs\n2016-03,Drugs\n"


def _deck(folder: Path, source: str, slides: str = "", csv: str = RECORDS) -> Path:
    (folder / "r.csv").write_text(csv, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(
        "title: T\ndata:\n  r:\n    file: r.csv\n" + source +
        "  by_type:\n    from: r\n    steps:\n      - group: {by: Crime type, count: n}\n"
        "slides:\n" + (slides or
                       "  - {kind: table, title: Table, data: by_type, columns: [{column: "
                       "Crime type}, {column: n}]}\n"
                       "  - {kind: chart, title: Chart, chart: bar, data: by_type, x: Crime type,"
                       " y: n}\n"), encoding="utf-8")
    return deck


def _texts(pptx: Path, name: str) -> list[str]:
    """The text of each slide's shape called `name` ('' where a slide has none)."""
    return [next((sh.text_frame.text for sh in s.shapes if sh.name == name), "")
            for s in Presentation(str(pptx)).slides]


def _notes(pptx: Path) -> list[str]:
    return [s.notes_slide.notes_text_frame.text for s in Presentation(str(pptx)).slides]


def _last_day(months: list[str]) -> dt.date:
    """Independently: the last day of the latest YYYY-MM."""
    year, month = map(int, max(months).split("-"))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def test_every_table_and_chart_gets_the_datas_source_line(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "    source: Essex Police, crime records\n"
                           "    as_of: {latest: Month}\n")
    built = app.build(deck, tmp_path / "o.pptx")
    latest = _last_day(re.findall(r"^(\d{4}-\d{2}),", RECORDS, re.M))
    assert latest == dt.date(2016, 3, 31)
    line = "Source: Essex Police, crime records. Data to 31st March 2016."
    assert _texts(built.output, "Source") == [line, line]


def test_a_slides_own_source_line_wins_and_false_shows_none(tmp_path: Path) -> None:
    slides = ("  - {kind: table, title: A, data: by_type, columns: [{column: n}], "
              "source: 'Source: our own words'}\n"
              "  - {kind: table, title: B, data: by_type, columns: [{column: n}], source: false}\n"
              "  - {kind: table, title: C, data: by_type, columns: [{column: n}]}\n")
    deck = _deck(tmp_path, "    source: Essex Police\n    as_of: 2016-03\n", slides)
    built = app.build(deck, tmp_path / "o.pptx")
    assert _texts(built.output, "Source") == ["Source: our own words", "",
                                             "Source: Essex Police. Data to 31st March 2016."]


@pytest.mark.parametrize("word", ["true", "synthetic"])
def test_data_that_is_not_real_says_so_on_every_slide_of_it(tmp_path: Path, word: str) -> None:
    slides = ("  - {kind: table, title: A, data: by_type, columns: [{column: n}], "
              "source: 'Source: our own words'}\n"
              "  - {kind: table, title: B, data: by_type, columns: [{column: n}], source: false}\n"
              "  - {kind: chart, title: C, chart: bar, data: by_type, x: Crime type, y: n}\n")
    deck = _deck(tmp_path, f"    illustrative: {word}\n    source: made up\n", slides)
    built = app.build(deck, tmp_path / "o.pptx")
    said = "SYNTHETIC" if word == "synthetic" else "ILLUSTRATIVE"
    lines = _texts(built.output, "Source")
    assert lines == [f"{said} DATA – not real figures. Source: our own words",
                     f"{said} DATA – not real figures.",
                     f"{said} DATA – not real figures. Source: made up."]
    assert all(n.startswith(f"{said} DATA:") for n in _notes(built.output)), _notes(built.output)
    # every slide of it carries the badge under its title, the tables too
    assert _texts(built.output, "Illustrative data label") == \
        [f"{said} DATA – not real figures"] * 3


def test_a_table_slide_may_say_its_data_is_synthetic_where_the_source_does_not(
        tmp_path: Path) -> None:
    """Even when its source line happens to contain the word (the badge does not depend on
    the wording of the line)."""
    slides = ("  - {kind: table, title: A, data: by_type, columns: [{column: n}], "
              "illustrative: synthetic, source: 'Source: records (not synthetic)'}\n"
              "  - {kind: table, title: B, data: by_type, columns: [{column: n}]}\n")
    built = app.build(_deck(tmp_path, "    source: made up\n", slides), tmp_path / "o.pptx")
    assert _texts(built.output, "Illustrative data label") == [
        "SYNTHETIC DATA – not real figures", ""]
    assert _notes(built.output)[0].startswith("SYNTHETIC DATA:")
    assert not _notes(built.output)[1].startswith("SYNTHETIC")


def test_the_title_slide_says_the_date_the_data_runs_to(tmp_path: Path) -> None:
    slides = "  - {kind: title, data_to: by_type}\n"
    deck = _deck(tmp_path, "    as_of: {latest: Month}\n", slides)
    (tmp_path / "brand.yaml").write_text("date_style: long\n", encoding="utf-8")
    deck.write_text(deck.read_text().replace("title: T\n", "title: T\nbrand: brand.yaml\n"))
    built = app.build(deck, tmp_path / "o.pptx")
    assert "Data to 31 March 2016" in _texts(built.output, "Subtitle")[0]


def test_as_of_latest_reads_the_rows_the_slide_shows(tmp_path: Path) -> None:
    # a source filtered to earlier months runs to its own latest month, not the extract's
    source = ("    as_of: {latest: Month}\n  early:\n    from: r\n    steps:\n"
              "      - filter: {Month: {to: 2016-02}}\n")
    slides = "  - {kind: table, title: A, data: early, columns: [{column: Crime type}]}\n"
    deck = _deck(tmp_path, source, slides)
    built = app.build(deck, tmp_path / "o.pptx")
    assert _texts(built.output, "Source") == ["Data to 29th February 2016."]


def test_a_title_asking_for_a_date_no_source_gives_is_an_error(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "", "  - {kind: title, data_to: by_type}\n")
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert re.search(r"deck\.yaml:\d+:\d+: slide 1 \(title\): data 'by_type' does not say the "
                     r"date it runs to: give it 'as_of:'", str(info.value)), str(info.value)
    assert not (tmp_path / "o.pptx").exists()


def test_as_of_latest_of_a_column_that_is_not_dates_is_an_error(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "    as_of: {latest: Crime type}\n")
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert "as_of: 'Burglary' in column 'Crime type' of r.csv is not a month or a date" \
        in str(info.value) or "as_of: 'Drugs' in column 'Crime type'" in str(info.value)


def test_an_ambiguous_as_of_date_is_refused_where_it_is_written(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "    as_of: 05/04/2016\n")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    # one problem, at its line: the source is still declared for the sources made from it
    assert re.fullmatch(r".*deck\.yaml:5:12: 'as_of': '05/04/2016' could be 5 April 2016 .* or "
                        r"4 May 2016 .*", str(info.value)), str(info.value)


@pytest.mark.parametrize("line,message", [
    ("    as_of: {lastest: Month}\n", "'as_of': a date, a month, or {latest: column}; unknown "
     "key 'lastest'; did you mean 'latest'?"),
    ("    illustrative: yes-ish\n", "'illustrative': true (made-up figures), synthetic (a "
     "generated extract) or false"),
])
def test_a_mistyped_provenance_key_is_one_clear_error(tmp_path: Path, line: str,
                                                      message: str) -> None:
    deck = _deck(tmp_path, line)
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert len(info.value.problems) == 1, str(info.value)
    assert str(info.value).endswith(message), str(info.value)


def test_an_as_of_the_datas_months_run_past_is_a_warning(tmp_path: Path) -> None:
    # the slide's rows (a table of the records themselves) run past the as_of declared
    slides = "  - {kind: table, title: A, data: r, columns: [{column: Month}]}\n"
    deck = _deck(tmp_path, "    as_of: 2016-02\n", slides)
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1 and "as_of says the data runs to 29 February 2016, but its " \
        "column 'Month' has rows for 2016-03; give the date it really runs to, or " \
        "{latest: Month}" in warnings[0], warnings
    assert not [str(w) for w in app.check(_deck(tmp_path, "    as_of: 2016-03\n",
                                                slides)).warnings]
