"""Maps built into real decks and read back: the picture, its alt text from the data (checked
against an independent computation), the attribution and source line on the slide, the
warning for data keys that match no area, and a valid .pptx."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pptx import Presentation

from deckgen import app

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "outline.md"


def _workspace(tmp_path: Path) -> Path:
    for name in ("data", "assets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _deck(tmp_path: Path, slide: dict[str, Any]) -> Path:
    sample = yaml.safe_load((ROOT / "deck.yaml").read_text(encoding="utf-8"))
    header = {k: v for k, v in sample.items() if k not in ("slides", "output")}
    deck = _workspace(tmp_path) / "deck.yaml"
    deck.write_text(yaml.safe_dump({**header, "slides": [slide]}, sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return deck


def _docs_example() -> dict[str, Any]:
    blocks = re.findall(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", DOC.read_text(encoding="utf-8"),
                        re.MULTILINE | re.DOTALL)
    block = next(b for b in blocks if "id: asb-change-map" in b)
    return dict(yaml.safe_load(block)[0])


def _alt(shape: Any) -> str:
    return str(shape._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0])


def test_a_district_map_reads_back_with_alt_text_from_the_data(
        tmp_path: Path, ooxml_findings: Any) -> None:
    built = app.build(_deck(tmp_path, _docs_example()), tmp_path / "out.pptx")
    assert [str(w) for w in built.warnings] == []
    assert ooxml_findings(built.output) == []
    slide = Presentation(str(built.output)).slides[0]
    picture = next(sh for sh in slide.shapes if sh.name == "Map")
    assert picture.image.content_type == "image/png" and len(picture.image.blob) > 10_000
    # independently: the % change of each district, named as slides name them
    with open(ROOT / "data" / "asb_mar_apr_2015_2016.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["district"] != "TOTAL"]
    names = {"Castlepoint": "Castle Point", "Epping": "Epping Forest"}
    change = {names.get(r["district"], r["district"]):
              (int(r["mar_apr_2016"]) - int(r["mar_apr_2015"])) / int(r["mar_apr_2015"]) * 100
              for r in rows}
    most, least = max(change, key=change.__getitem__), min(change, key=change.__getitem__)
    alt = _alt(picture)
    assert alt.startswith("Map of % change in ASB by district, March–April 2016 against "
                          "March–April 2015. 14 areas")
    if change[most] < 0:
        assert (f"Largest fall: {least}, {change[least]:+.1f}%. Smallest fall: {most}, "
                f"{change[most]:+.1f}%.") in alt, alt
    else:
        assert f"Highest: {most}, {change[most]:+.1f}%." in alt, alt
    assert f"Outlined: Southend, {change['Southend']:+.1f}%." in alt
    texts = {sh.name: sh.text_frame.text for sh in slide.shapes if sh.has_text_frame}
    assert "Contains National Statistics data © Crown copyright and database right" in \
        texts["Attribution"]
    assert "Contains OS data © Crown copyright and database right" in texts["Attribution"]
    assert texts["Source"].startswith("Source: Essex Police, ASB incidents")
    notes = slide.notes_slide.notes_text_frame.text
    assert f"Map description: {alt}" in notes


def _lsoa_deck(tmp_path: Path, codes: list[str]) -> Path:
    """A deck of one LSOA map of Southend over a CSV of the given LSOA codes."""
    _workspace(tmp_path)
    (tmp_path / "lsoa.csv").write_text("code,incidents\n" + "".join(
        f"{c},{i + 1}\n" for i, c in enumerate(codes)), encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(yaml.safe_dump({
        "title": "Maps", "brand": "assets/brand.yaml",
        "data": {"lsoa": {"file": "lsoa.csv"}},
        "slides": [{"kind": "map", "title": "ASB by LSOA", "data": "lsoa",
                    "boundaries": "data/boundaries/essex-lsoa11/E06000033.geojson",
                    "area": "LSOA11CD", "column": "code", "name": "LSOA11NM",
                    "value": "incidents", "top": 2}]}), encoding="utf-8")
    return deck


def test_data_keys_that_match_no_area_are_a_warning_listing_a_few(
        tmp_path: Path, ooxml_findings: Any) -> None:
    codes = ["E01015814", "E01015815", "E01015816"] + [f"E0199999{i}" for i in range(7)]
    deck = _lsoa_deck(tmp_path, codes)
    line = deck.read_text(encoding="utf-8").splitlines().index("  column: code") + 1
    built = app.build(deck, tmp_path / "out.pptx")
    warnings = [str(w) for w in built.warnings]
    assert warnings == [
        f"{deck}:{line}:11: slide 1 (map): 7 keys of column 'code' in lsoa.csv "
        "match no area of the boundaries (by LSOA11CD): 'E01999990', 'E01999991', "
        "'E01999992', 'E01999993', 'E01999994' and 2 more; their figures are not on the map"
    ], warnings
    assert ooxml_findings(built.output) == []
    slide = Presentation(str(built.output)).slides[0]
    alt = _alt(next(sh for sh in slide.shapes if sh.name == "Map"))
    # three LSOAs have figures (1, 2, 3); Southend's other 104 have none
    assert "3 areas. Highest: Southend-on-Sea 003C, 3. Lowest: Southend-on-Sea 003A, 1." in alt
    assert "104 areas have no data." in alt


def test_data_keys_that_match_no_area_at_all_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(app.DeckError) as info:
        app.build(_lsoa_deck(tmp_path, ["X1", "X2"]), tmp_path / "out.pptx")
    assert str(info.value).endswith(
        "slide 1 (map): no area of the boundaries has a figure in lsoa.csv: the keys of 'code' "
        "match none of LSOA11CD")


def test_a_highlight_that_is_no_area_is_an_error(tmp_path: Path) -> None:
    slide = {**_docs_example(), "highlight": "Southen"}
    with pytest.raises(app.DeckError) as info:
        app.build(_deck(tmp_path, slide), tmp_path / "out.pptx")
    assert "highlight 'Southen' is not an area of the map (by 'district')" in str(info.value)
    assert "did you mean 'Southend'?" in str(info.value)


def test_a_map_is_drawn_once_then_taken_from_the_cache(tmp_path: Path) -> None:
    deck = _deck(tmp_path, _docs_example())
    first = app.build(deck, tmp_path / "a.pptx")
    entries = list((tmp_path / ".deckgen-cache" / "charts").rglob("*.chart"))
    assert len(entries) == 1
    second = app.build(deck, tmp_path / "b.pptx")
    assert first.output.read_bytes() == second.output.read_bytes()
