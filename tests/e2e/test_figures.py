"""Figures as a reader sees them: formats in tables and charts, money, dates, the brand's minus."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError
from deckgen.options import Options

DATA = "district,spend,pct,share\nSouthend,\"£48,250.50\",6.41,0.064\nBasildon,£1200,-9.57,0.125\n"


def _deck(folder: Path, columns: str, extra: str = "") -> Path:
    (folder / "d.csv").write_text(DATA, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\ndate: 7 July 2016\n{extra}data:\n  d: {{file: d.csv}}\nslides:\n"
                    "  - kind: title\n  - kind: table\n    title: Table\n    data: d\n"
                    f"    columns: {columns}\n", encoding="utf-8")
    return deck


def _cells(pptx: Path) -> list[list[str]]:
    table = next(sh.table for s in Presentation(str(pptx)).slides for sh in s.shapes
                 if sh.has_table)
    return [[c.text for c in row.cells] for row in table.rows]


def test_excel_formats_money_and_percent_show_as_excel_would(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: spend, format: '£#,##0.00'}, "
                 "{column: pct, format: '+0.0;-0.0'}, {column: pct, header: in percent, "
                 "format: '0.0%', unit: percent}, {column: share, format: '0.0%'}]")
    built = app.build(deck, tmp_path / "o.pptx")
    assert built.warnings == []
    assert _cells(built.output)[1:] == [["Southend", "£48,250.50", "+6.4", "6.4%", "6.4%"],
                                        ["Basildon", "£1,200.00", "-9.6", "-9.6%", "12.5%"]]


def test_a_percent_format_on_figures_already_in_percent_is_a_warning(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: pct, format: '0.0%'}]")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1 and "format '0.0%' multiplies by 100, so 6.41 shows as 641.0%; " \
        "if the figures are already in percent, say 'unit: percent'" in warnings[0], warnings


@pytest.mark.parametrize("spend,why", [("12,40,7", "every figure is beyond 1"),
                                        ("0.1,0.2,150", "150 would show as 15000.0%")])
def test_a_percent_format_on_figures_surely_not_fractions_is_an_error(
        tmp_path: Path, spend: str, why: str) -> None:
    """Counts under '0.0%' would read 1200.0%: a wrong figure, refused ({why})."""
    deck = _deck(tmp_path, "[{column: district}, {column: spend, format: '0.0%'}]")
    (tmp_path / "d.csv").write_text("district,spend\n" + "".join(
        f"D{i},{v}\n" for i, v in enumerate(spend.split(","))), encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert "slide 2 (table): column 'spend': format '0.0%' multiplies by 100" in str(info.value)
    assert not (tmp_path / "o.pptx").exists()
    # in text, one figure that would show as 10,000% or more is refused too
    text = deck.read_text(encoding="utf-8").replace(
        "  - kind: title\n",
        "  - {kind: bullets, title: B, points: ['{d[district=D2].spend:0%}']}\n")
    deck.write_text(text.split("  - kind: table")[0], encoding="utf-8")
    if float(spend.split(",")[2]) >= 100:
        with pytest.raises(DeckError, match="multiplies by 100"):
            app.build(deck, tmp_path / "o.pptx")
    else:
        assert any("multiplies by 100" in str(w) for w in app.check(deck).warnings)


def test_arithmetic_in_a_figure_is_refused_with_what_to_do(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}]")
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "  - kind: title\n",
        "  - {kind: bullets, title: B, points: ['{d[district=Southend].pct * 100}']}\n"),
        encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert "a figure in text names one cell and does no arithmetic ('pct * 100' is no column " \
        "of d.csv): compute it as a column of the data with 'derive:'" in str(info.value)


def test_the_brand_chooses_the_minus_sign_and_the_date_style(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: pct, format: '0.0'}]",
                 "brand: {true_minus: true, date_style: long}\n")
    built = app.build(deck, tmp_path / "o.pptx")
    assert _cells(built.output)[2] == ["Basildon", "\u22129.6"]
    title = Presentation(str(built.output)).slides[0]
    assert "7 July 2016" in [p.text for sh in title.shapes if sh.has_text_frame
                             for p in sh.text_frame.paragraphs]


def test_a_figure_from_a_blank_cell_is_an_error_not_na(tmp_path: Path) -> None:
    import pytest

    from deckgen.errors import DeckError

    (tmp_path / "d.csv").write_text("district,n\nA,5\nB,\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: bullets\n"
                    "    title: X\n    points:\n      - \"B has {d[district=B].n} incidents\"\n",
                    encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert str(info.value).endswith("deck.yaml:8:16: the row of d.csv with district = B has no 'n' "
                               "(the cell is empty, at d.csv:3:3); fill it in, or pick another "
                               "row")


def test_a_figures_total_is_the_tables_totals_row(tmp_path: Path) -> None:
    # The published total has a blank cell: the table and the figure both show the rows' sum.
    (tmp_path / "d.csv").write_text("district,a,b\nX,1,10\nY,2,20\nTOTAL,3,\n",
                                    encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, total_row: TOTAL}\nslides:\n"
                    "  - kind: table\n    title: Table\n    data: d\n"
                    "    columns: [{column: district}, {column: a}, {column: b}]\n"
                    "    total: true\n    notes: \"{d[total].a} and {d[total].b}\"\n",
                    encoding="utf-8")
    built = app.build(deck, tmp_path / "o.pptx")
    assert _cells(built.output)[-1][1:] == ["3", "30"]
    notes = Presentation(str(built.output)).slides[0].notes_slide.notes_text_frame.text
    assert notes == "3 and 30"


def test_a_declared_figure_in_percent_shows_as_it_is(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}]",
                 "figures:\n  pct: {value: \"d[district=Southend].pct\", format: \"0.0%\", "
                 "unit: percent}\n")
    deck.write_text(deck.read_text(encoding="utf-8") + "    notes: \"{pct} and "
                    "{d[district=Southend].share:0.0%}\"\n", encoding="utf-8")
    built = app.build(deck, tmp_path / "o.pptx")
    assert built.warnings == []
    notes = Presentation(str(built.output)).slides[1].notes_slide.notes_text_frame.text
    assert notes == "6.4% and 6.4%"


def test_a_rate_is_never_added_up_silently_in_text_or_a_table(tmp_path: Path) -> None:
    import pytest

    from deckgen.errors import DeckError

    (tmp_path / "d.csv").write_text("ward,crimes,detection rate\nA,10,20.0\nB,30,10.0\n"
                                    "Total,40,\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    table = ("  - kind: table\n    title: Table\n    data: d\n    columns: [{column: ward}, "
             "{column: crimes}, {column: detection rate}]\n    total: true\n")
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, total_row: Total}\nslides:\n" + table,
                    encoding="utf-8")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert any("the totals row adds up 'detection rate', which looks like a rate" in w
               for w in warnings), warnings
    for selection in ("total", "sum"):
        deck.write_text("title: T\ndata:\n  d: {file: d.csv, total_row: Total}\nslides:\n"
                        "  - kind: bullets\n    title: X\n    points:\n"
                        f"      - \"Force: {{d[{selection}].detection rate:0.0}}%\"\n",
                        encoding="utf-8")
        with pytest.raises(DeckError) as info:
            app.check(deck)
        assert "would add up 'detection rate', which looks like a rate" in str(info.value)


@pytest.mark.parametrize("brand", ["brand: {true_minus: true}\n", "brand: b.yaml\n"])
def test_the_brands_minus_reaches_figures_in_text(tmp_path: Path, brand: str) -> None:
    (tmp_path / "b.yaml").write_text("true_minus: true\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"title: T\n{brand}data:\n  d: {{file: d.csv}}\nslides:\n"
                    "  - kind: bullets\n    title: \"{d[district=Basildon].pct:+0.0;-0.0}\"\n"
                    "    points: [\"{d[district=Basildon].pct} and {d[district=Southend].pct}\"]\n",
                    encoding="utf-8")
    built = app.build(deck, tmp_path / "o.pptx")
    slide = Presentation(str(built.output)).slides[0]
    texts = [p.text for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
    assert "\u22129.6" in texts and "\u22129.57 and 6.41" in texts, texts


def _z(now: float, before: float) -> float:
    """Independently: 2(√now − √before), the Poisson z-score of a change between counts."""
    import math

    return 2 * (math.sqrt(now) - math.sqrt(before))


@pytest.mark.parametrize("district,words", [
    ("Southend", "well beyond"), ("Maldon", "beyond"), ("Brentwood", "within")])
def test_the_sample_says_how_far_a_change_is_beyond_noise(root: Path, district: str,
                                                          words: str) -> None:
    import csv

    from deckgen.options import Options

    with open(root / "data" / "asb_mar_apr_2015_2016.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["district"] == district)
    z = _z(float(row["mar_apr_2016"]), float(row["mar_apr_2015"]))
    want = "well beyond" if abs(z) >= 3 else "beyond" if abs(z) >= 2 else "within"
    assert want == words  # the three districts fall one each side of the thresholds
    planned = app.check(root / "deck.yaml", {"district": district}, Options())
    notes = next(p.notes for p in planned.plans if p.title.text == "Anti-Social Behaviour by "
                 "district")
    assert f"incidents), {want} the normal year-to-year variation" in " ".join(notes.split())


def _change_deck(folder: Path, text: str, figure: str) -> Path:
    (folder / "d.csv").write_text("area,then,now\nA,400,480\nB,50,52\nC,4,9\n",
                                  encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d:\n    file: d.csv\n    derive: {change: now - then, "
                    "pct: change / then * 100}\n"
                    f"figures:\n  f: {figure}\n"
                    f"slides:\n  - kind: bullets\n    title: X\n    points: [\"{text}\"]\n",
                    encoding="utf-8")
    return deck


def _flag(area: str, column: str = "pct") -> str:
    return (f"{{value: 'd[area={area}].{column}', change: {{current: 'd[area={area}].now', "
            f"previous: 'd[area={area}].then'}}}}")


@pytest.mark.parametrize("area,level", [("A", "significant"), ("B", "noise")])
def test_words_follow_a_figures_level_beyond_noise(tmp_path: Path, area: str,
                                                   level: str) -> None:
    deck = _change_deck(tmp_path, "{f|significant:S|notable:N|noise:W}", _flag(area))
    slide = Presentation(str(app.build(deck, tmp_path / "o.pptx").output)).slides[0]
    texts = [p.text for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
    assert {"significant": "S", "noise": "W"}[level] in texts, texts


@pytest.mark.parametrize("text", [
    "up {f:0}%",
    # inside words, by sign and by level: the figure is shown all the same
    "C {f|down:fell by {f:0}%|up:rose by {f:0}%|zero:held}, {f|significant:S|notable:N|noise:W}",
])
def test_a_percent_change_on_a_small_base_in_text_is_a_warning(tmp_path: Path,
                                                               text: str) -> None:
    deck = _change_deck(tmp_path, text, _flag("C"))
    warnings = [str(w) for w in app.check(deck).warnings]
    # one warning for each placeholder of the text (the figure inside words counts once)
    assert len(warnings) == (1 if text.startswith("up") else 2), warnings
    assert all("'f' is a % change on a base of 4, fewer than 10: it says more about the base "
               "than the change" in w for w in warnings), warnings


@pytest.mark.parametrize("figure,text,message,line", [
    ("'d[area=A].pct'", "{f|significant:S|notable:N|noise:W}",
     "words by level of change need a figure declared with its counts", 11),
    (_flag("A", "now"), "{f}", "'f' is 480, neither the difference nor the % change of its "
     "counts", 7),
    ("{value: 'd[area=A].pct', change: {current: 'd[area=A].area', previous: "
     "'d[area=A].then'}}", "{f}", "its current count d[area=A].area is A, not a count", 7),
    (_flag("A"), "{f|significant:S|notable:N}", "give words for every level of change the "
     "figure may take: add noise:...", 11),
])
def test_a_level_from_the_wrong_figures_is_an_error(tmp_path: Path, figure: str, text: str,
                                                    message: str, line: int) -> None:
    from deckgen.errors import DeckError

    deck = _change_deck(tmp_path, text, figure)
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert message in str(info.value), str(info.value)
    # at the figure's declaration (line 7), or at the words that misuse it (line 11)
    assert f"deck.yaml:{line}:" in str(info.value)


@pytest.mark.parametrize("path", ["out/{f}.pptx", "out/{d[district=Basildon].pct}.pptx"])
def test_a_figure_in_a_file_path_is_refused_as_what_it_is(tmp_path: Path, path: str) -> None:
    from deckgen.errors import DeckError

    (tmp_path / "d.csv").write_text(DATA, encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"title: T\noutput: \"{path}\"\ndata:\n  d: {{file: d.csv}}\n"
                    "figures:\n  f: 'd[district=Basildon].pct'\n"
                    "slides:\n  - {kind: bullets, title: X, points: [p]}\n", encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert str(info.value).endswith("deck.yaml:2:14: 'output' is a file path, which takes "
                                    "variables only, not figures from the data")


@pytest.mark.parametrize("cells,why", [
    ("x,1,\n", "and its 'c' is empty (at d.csv:2:5); fill it in, or pick another row"),
    ("x,1,0\n", "and in that row (at d.csv:2:1) it divides by zero"),
])
def test_a_blank_computed_figure_says_why(tmp_path: Path, cells: str, why: str) -> None:
    from deckgen.errors import DeckError

    (tmp_path / "d.csv").write_text("a,b,c\n" + cells + "y,3,4\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, derive: {q: b / c}}\nslides:\n"
                    "  - {kind: bullets, title: X, points: ['{d[a=x].q}']}\n", encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert f"the row of d.csv with a = x has no 'q': it is computed (b / c), {why}" \
        in str(info.value), str(info.value)


def test_a_total_over_a_column_with_empty_cells_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("a,b,c\nx,1,\ny,3,4\n", encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, derive: {q: b + c}}\nslides:\n"
                    "  - {kind: table, title: X, data: d, total: true, columns: [{column: a}, "
                    "{column: b}, {column: c}, {column: q}]}\n", encoding="utf-8")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1 and "'c' is empty in 1 of the 2 rows (first at d.csv:2:5): its " \
        "total is of the other rows only" in warnings[0], warnings


SUPPRESSED = "district,n\nA,3\nB,12\nC,0\n"


def _suppressing_deck(folder: Path, text: str) -> Path:
    (folder / "d.csv").write_text(SUPPRESSED, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\n"
                    "figures:\n  a_count: 'd[district=A].n'\nslides:\n"
                    "  - kind: table\n    title: Counts\n    data: d\n"
                    "    columns: [{column: district}, {column: n, suppress_below: 5}]\n"
                    f"  - kind: bullets\n    title: Text\n    points: [\"{text}\"]\n",
                    encoding="utf-8")
    return deck


@pytest.mark.parametrize("text,shown", [
    ("A had {d[district=A].n} incidents", True),
    ("A had {a_count} incidents", True),
    ("B had {d[district=B].n}, C had {d[district=C].n}, all {d[total].n}", False),
    ("A {d[district=A].n|down:fell|up:had some|zero:had none}", False),  # words, no number
])
def test_a_count_a_table_suppresses_is_a_warning_where_text_shows_it(
        tmp_path: Path, text: str, shown: bool) -> None:
    """The table shows A's 3 as '*'; the same 3 in a bullet would give it away. 12 is shown by
    the table too, 0 is never hidden and the total counts every row."""
    deck = _suppressing_deck(tmp_path, text)
    built = app.build(deck, tmp_path / "o.pptx")
    slides = Presentation(str(built.output)).slides
    table = next(sh.table for sh in slides[0].shapes if sh.has_table)
    assert [c.text for c in table.rows[1].cells] == ["A", "*"]
    warnings = [str(w) for w in built.warnings]
    if not shown:
        assert warnings == []
        return
    assert len(warnings) == 1, warnings
    assert warnings[0].split(": ")[0].endswith("deck.yaml:13:21"), warnings  # at the text
    assert ("d[district=A].n is 3, a count the table on slide 1 shows as '*' "
            "(suppress_below: 5): in text it gives away what the table hides") in warnings[0]
    with pytest.raises(DeckError, match="--strict"):
        app.build(deck, tmp_path / "strict.pptx", options=Options(strict=True))
