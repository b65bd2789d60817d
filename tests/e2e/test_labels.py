"""Display names (a data source's `labels:`) as a reader sees them in tables, charts and text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError

DATA = "district,n\nCastlepoint,5\nEpping,7\nHarlow,2\n"
NAMES = "district,name\nCastlepoint,Castle Point\nEpping,Epping Forest\nHarlow,Harlow\n"


def _deck(folder: Path, labels: str, slides: str = "") -> Path:
    (folder / "d.csv").write_text(DATA, encoding="utf-8")
    (folder / "names.csv").write_text(NAMES, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(
        "title: T\ndata:\n  names: {file: names.csv}\n  d:\n    file: d.csv\n"
        f"    labels: {labels}\n  shaped:\n    from: d\n    steps: [{{sort: {{by: n}}}}]\n"
        "slides:\n" + (slides or
                       "  - {kind: table, title: A, data: d, highlight: Epping, columns: "
                       "[{column: district}, {column: n}]}\n"
                       "  - {kind: chart, title: B, chart: bar, data: shaped, x: district, y: n,"
                       " highlight: Castlepoint}\n"
                       "  - kind: bullets\n    title: C\n    points:\n"
                       "      - \"{d[n=7].district} had {d[district=Epping].n}\"\n"),
        encoding="utf-8")
    return deck


@pytest.mark.parametrize("labels", [
    "{district: names.name}",
    "{district: {Castlepoint: Castle Point, Epping: Epping Forest}}",
])
def test_tables_charts_and_text_show_the_names(tmp_path: Path, labels: str) -> None:
    built = app.build(_deck(tmp_path, labels), tmp_path / "o.pptx")
    assert built.warnings == []
    slides = list(Presentation(str(built.output)).slides)
    table = next(sh.table for sh in slides[0].shapes if sh.has_table)
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[1:] == [["Castle Point", "5"], ["Epping Forest", "7"], ["Harlow", "2"]]
    # the highlight names the value as the data has it, and marks the named row
    assert table.cell(2, 0).text_frame.paragraphs[0].runs[0].font.bold
    alt = next(sh for sh in slides[1].shapes if sh.shape_type == 13)._element.nvPicPr.cNvPr.get(
        "descr")
    # the source made from d keeps its labels; sorting is by the figures, not the names
    assert "Highest: Epping Forest, 7. Lowest: Harlow, 2. Highlighted: Castle Point, 5." in alt
    points = [p.text for sh in slides[2].shapes if sh.has_text_frame
              for p in sh.text_frame.paragraphs]
    assert "Epping Forest had 7" in points


def test_a_name_for_a_value_the_column_lacks_is_a_warning(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "{district: {Castlepont: Castle Point}}")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1, warnings
    assert re.search(r"deck\.yaml:6:\d+: data 'd': labels of 'district': 'Castlepont' is not a "
                     r"value of the column, so its name is never shown; values are: .*did you "
                     r"mean 'Castlepoint'", warnings[0]), warnings[0]


def test_two_values_given_one_name_is_an_error(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "{district: {Castlepoint: Harlow}}")
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert "labels of 'district' show 'Castlepoint' and 'Harlow' as one name, 'Harlow': a " \
        "chart would show them as one; give each its own name" in str(info.value)
    assert not (tmp_path / "o.pptx").exists()


def test_a_lookup_without_the_matching_column_is_an_error(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "{district: names.title}")
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert re.search(r"deck\.yaml:6:\d+: data 'd': labels: names\.csv has no column 'title' "
                     r"holding the names; its columns are: district, name", str(info.value)), \
        str(info.value)


def test_a_lookup_in_an_undeclared_source_is_an_error_at_check(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "{district: nmes.name}")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert "unknown data source 'nmes'" in str(info.value)
    assert "did you mean 'names'" in str(info.value)


def test_a_lookup_with_no_name_for_a_value_is_a_warning(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "{district: names.name}")
    (tmp_path / "names.csv").write_text("district,name\nCastlepoint,Castle Point\n",
                                        encoding="utf-8")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1 and "labels of 'district': names.name has no name for Epping, " \
        "Harlow, so these show as the data writes them; add the missing rows to names.csv" \
        in warnings[0], warnings


@pytest.mark.parametrize("slide", [
    "  - {kind: table, title: A, data: d, highlight: Castle Point, columns: "
    "[{column: district}]}\n",
    "  - {kind: chart, title: B, chart: bar, data: d, x: district, y: n, "
    "highlight: Castle Point}\n",
    "  - {kind: chart, title: B, chart: bar, data: d, x: district, y: n, "
    "where: {district: Castle Point}}\n",
])
def test_a_display_name_where_the_datas_value_belongs_says_which(tmp_path: Path,
                                                                 slide: str) -> None:
    deck = _deck(tmp_path, "{district: names.name}", slide)
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert "'Castle Point' is the name slides show for Castlepoint: filters and highlights use " \
        "the data's own value, Castlepoint" in str(info.value), str(info.value)
