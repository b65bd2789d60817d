"""Maps built into real decks and read back: the picture, its alt text from the data (checked
against an independent computation), the attribution and source line on the slide, the
warning for data keys that match no area, and a valid .pptx."""

from __future__ import annotations

import csv
import json
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
    def signed(pct: float) -> str:  # the sample brand writes the true minus (true_minus)
        return f"{pct:+.1f}".replace("-", "\u2212")

    if change[most] < 0:
        assert (f"Largest fall: {least}, {signed(change[least])}%. Smallest fall: {most}, "
                f"{signed(change[most])}%.") in alt, alt
    else:
        assert f"Highest: {most}, {signed(change[most])}%." in alt, alt
    assert f"Outlined: Southend, {signed(change['Southend'])}%." in alt
    texts = {sh.name: sh.text_frame.text for sh in slide.shapes if sh.has_text_frame}
    assert "Contains National Statistics data © Crown copyright and database right" in \
        texts["Attribution"]
    assert "Contains OS data © Crown copyright and database right" in texts["Attribution"]
    assert texts["Source"].startswith("Source: Essex Police, ASB incidents")
    notes = slide.notes_slide.notes_text_frame.text
    assert f"Map description: {alt}" in notes


def _lsoa_deck(tmp_path: Path, codes: list[str], **keys: Any) -> Path:
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
                    "value": "incidents", "top": 2, **keys}]}), encoding="utf-8")
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


@pytest.mark.parametrize("missing", ["no data", "zero"])
def test_data_keys_that_match_no_area_at_all_are_an_error(tmp_path: Path, missing: str) -> None:
    """With `missing: zero` too: a map of invented zeros is worse than an error."""
    deck = _lsoa_deck(tmp_path, ["X1", "X2"], missing=missing)
    with pytest.raises(app.DeckError) as info:
        app.build(deck, tmp_path / "out.pptx")
    assert str(info.value).endswith(
        "slide 1 (map): no area of the map has a row in lsoa.csv: the keys of 'code' "
        "match none of the areas' LSOA11CD")
    assert not (tmp_path / "out.pptx").exists()


def test_keys_that_differ_only_in_case_or_spacing_say_which_area_was_meant(
        tmp_path: Path) -> None:
    codes = ["e01015814", "E01015815"]
    deck = _lsoa_deck(tmp_path, codes)
    built = app.build(deck, tmp_path / "out.pptx")
    assert [str(w).split(": slide 1 (map): ")[1] for w in built.warnings] == [
        "1 key of column 'code' in lsoa.csv matches no area of the boundaries (by LSOA11CD): "
        "'e01015814'; their figures are not on the map; 'e01015814' may be meant as "
        "'E01015814' (keys match exactly, case included)"]
    with pytest.raises(app.DeckError) as info:
        app.build(_lsoa_deck(tmp_path / "by-name", ["Southend on sea 003C"], area="LSOA11NM",
                             name=None), tmp_path / "out.pptx")
    assert str(info.value).endswith(
        "match none of the areas' LSOA11NM; 'Southend on sea 003C' may be meant as "
        "'Southend-on-Sea 003C' (keys match exactly, case included)")


def _slide_of(deck: Path, **keys: Any) -> Path:
    """The deck with its map slide's keys changed (None removes a key)."""
    raw = yaml.safe_load(deck.read_text(encoding="utf-8"))
    slide = raw["slides"][0]
    for key, value in keys.items():
        if value is None:
            slide.pop(key, None)
        else:
            slide[key] = value
    deck.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return deck


def _areas_drawn(pptx: Path) -> str:
    return _alt(next(sh for sh in Presentation(str(pptx)).slides[0].shapes if sh.name == "Map"))


def test_a_blank_figure_is_no_data_even_with_missing_zero(tmp_path: Path) -> None:
    """`missing: zero` is for areas with no row (police.uk has none for an LSOA with no
    incidents); a row whose figure is blank is not a count of none."""
    deck = _lsoa_deck(tmp_path, ["E01015814", "E01015815"], missing="zero")
    (tmp_path / "lsoa.csv").write_text("code,incidents\nE01015814,5\nE01015815,\n",
                                       encoding="utf-8")
    built = app.build(deck, tmp_path / "out.pptx")
    assert any("blank or not a finite number for 1 area" in str(w) for w in built.warnings)
    alt = _areas_drawn(built.output)
    assert "1 area has no data." in alt and "106 areas" in alt  # 105 zeros and the 5


def test_missing_zero_over_boundary_files_the_data_does_not_cover_is_a_warning(
        tmp_path: Path) -> None:
    """One district's rows on the county's boundaries: its 13 neighbours would be drawn as
    whole districts of zeros; `only:` keeps the map to the district, and the warning goes."""
    folder = "data/boundaries/essex-lsoa11"
    deck = _lsoa_deck(tmp_path, ["E01015814", "E01015815"], missing="zero", boundaries=folder)
    built = app.build(deck, tmp_path / "out.pptx")
    said = [str(w).split(": slide 1 (map): ")[1] for w in built.warnings]
    assert said == ["no area of 13 of the 14 boundary files has a row in lsoa.csv ("
                    "E06000034.geojson, E07000066.geojson, E07000067.geojson and 10 more), so "
                    "with 'missing: zero' every "
                    "area of them is drawn as 0: if the data covers only part of the map, keep "
                    "the map to it with 'only:' (or name those files in 'boundaries:')"], said
    kept = _slide_of(deck, only={"LADCD_ACTIVE": "E06000033"})
    assert app.build(kept, tmp_path / "out.pptx").warnings == []


@pytest.mark.parametrize("keys,at,message", [
    ({"area": "LSOA11CODE"}, "area", "no feature of the boundaries has a property "
     "'LSOA11CODE'; their properties are: BNG_E, BNG_N, CAUTHCD, FID, GlobalID, LADCD_ACTIVE, "
     "LAT, LONG, LSOA11CD, LSOA11NM, LSOA11NMW, RGNCD, UTLACD; did you mean 'LSOA11CD'?"),
    ({"name": "LSOA11NAME"}, "name", "did you mean 'LSOA11NM'?"),
    ({"only": {"LADCD_ACTIVE": "E0600033"}}, "only", "no feature of the boundaries has "
     "LADCD_ACTIVE 'E0600033'; its values are: E06000033; did you mean 'E06000033'?"),
    ({"via": {"data": "district", "key": "code", "column": "district"}}, "via",
     "unknown data source 'district'"),
    ({"fade": True}, "fade", "'fade: true' fades the areas other than the highlighted one"),
    ({"boundaries": "data/boundaries/essex-lsoa"}, "boundaries",
     "does not exist; did you mean 'essex-lsoa11'?"),
])
def test_a_slip_of_the_outline_is_an_error_at_its_key(tmp_path: Path, keys: dict[str, Any],
                                                       at: str, message: str) -> None:
    deck = _slide_of(_lsoa_deck(tmp_path, ["E01015814"]), **keys)
    line = next(i for i, text in enumerate(deck.read_text(encoding="utf-8").splitlines(), 1)
                if text.lstrip("- ").startswith(f"{at}:"))
    with pytest.raises(app.DeckError) as info:
        app.build(deck, tmp_path / "out.pptx")
    text = str(info.value)
    assert message in text, text
    # at the outline's key (or the value under it), not at a boundary file's feature
    where = re.match(r"(.*):(\d+):\d+: slide 1 \(map\): ", text)
    assert where is not None and where.group(1).endswith("deck.yaml"), text
    assert line <= int(where.group(2)) <= line + 2, text


def test_union_with_a_name_that_differs_within_an_area_is_an_error(tmp_path: Path) -> None:
    """A district drawn from its LSOAs and named by LSOA11NM would take its first LSOA's
    name ('Basildon 001A')."""
    deck = _slide_of(_lsoa_deck(tmp_path, ["E06000033"]),
                     boundaries="data/boundaries/essex-lsoa11", area="LADCD_ACTIVE",
                     union=True)
    with pytest.raises(app.DeckError, match="'LSOA11NM' names the features of one area "
                                            "differently"):
        app.build(deck, tmp_path / "out.pptx")


def test_a_highlight_that_is_no_area_is_an_error(tmp_path: Path) -> None:
    slide = {**_docs_example(), "highlight": "Southen"}
    with pytest.raises(app.DeckError) as info:
        app.build(_deck(tmp_path, slide), tmp_path / "out.pptx")
    assert "highlight 'Southen' is not an area of the map (by 'district')" in str(info.value)
    assert "did you mean 'Southend'?" in str(info.value)


def test_a_map_is_drawn_once_then_taken_from_the_cache(tmp_path: Path,
                                                       user_cache: Path) -> None:
    deck = _deck(tmp_path, _docs_example())
    first = app.build(deck, tmp_path / "a.pptx")
    entries = list((user_cache / "charts").rglob("*.chart"))
    assert len(entries) == 1
    second = app.build(deck, tmp_path / "b.pptx")
    assert first.output.read_bytes() == second.output.read_bytes()


def _changes(tmp_path: Path, values: list[float], **keys: Any) -> Path:
    """The Southend LSOA deck over a change per LSOA (the first len(values) LSOAs)."""
    codes = sorted(f["properties"]["LSOA11CD"] for f in json.loads(
        (ROOT / "data/boundaries/essex-lsoa11/E06000033.geojson").read_text())["features"])
    deck = _lsoa_deck(tmp_path, codes[:len(values)], value="change", **keys)
    (tmp_path / "lsoa.csv").write_text("code,change\n" + "".join(
        f"{c},{v}\n" for c, v in zip(codes, values)), encoding="utf-8")
    return deck


def test_no_change_is_a_class_of_its_own_on_a_diverging_map(tmp_path: Path) -> None:
    """0 is neither a fall nor a rise: not coloured as the palest rise (nor fall)."""
    from deckgen.kinds import map as map_kind
    from deckgen.layout import mapdata

    values = [-12.0, -6.5, -3.0, 0.0, 0.0, 0.04, 2.0, 5.5, 9.0, 14.0]
    deck = _changes(tmp_path, values, colours="diverging", missing="no data",
                    value_format="+0.0;-0.0")
    built = app.build(deck, tmp_path / "out.pptx")
    assert [str(w) for w in built.warnings] == []
    data = _resolved(deck, map_kind)
    zero = data.zero_class
    assert zero is not None and data.legend[zero] == "No change"
    assert data.colours[zero] == mapdata.NO_CHANGE
    classes = {a.value: a.klass for a in data.areas if a.value is not None}
    assert classes[0.0] == zero  # 0.04 is shown as +0.0: no change too
    assert all(k < zero for v, k in classes.items() if v < 0)
    assert all(k > zero for v, k in classes.items() if v > 0)
    rises = data.legend[zero + 1]
    assert rises.startswith("+0.1 to"), data.legend  # the class after 'No change' says so
    assert "No change" in _areas_drawn(built.output)


def test_falls_and_rises_on_one_ramp_are_a_warning(tmp_path: Path) -> None:
    deck = _changes(tmp_path, [-8.6, -2.0, 1.5, 3.8])
    warnings = [str(w) for w in app.build(deck, tmp_path / "out.pptx").warnings]
    assert any("'change' has falls and rises (from -8.6 to 3.8) on one colour ramp" in w and
               "colours: diverging" in w for w in warnings), warnings


def test_areas_with_no_count_are_not_named_among_the_highest(tmp_path: Path) -> None:
    from deckgen.kinds import map as map_kind

    deck = _lsoa_deck(tmp_path, ["E01015814"], missing="zero", top=3)
    data = _resolved(deck, map_kind)
    assert [k for k in data.labelled] == ["E01015814"]  # one area has a count; 106 have 0
    assert data.legend[0] == "0"  # ... and they are a class of their own


def _resolved(deck: Path, map_kind: Any) -> Any:
    """The map slide's data as the kind resolves it (classes, colours, legend)."""
    from dataclasses import replace

    from deckgen import kinds
    from deckgen.pipeline import deck_context, load_outline, load_theme

    outline = load_outline(deck)
    theme = load_theme(outline.deck, outline.base_dir, outline.source)
    ctx = replace(deck_context(outline.deck, theme, outline.store, outline.base_dir,
                               outline.source), kind="map", files=kinds.file_keys("map"))
    return map_kind.resolve(outline.slides[0], ctx)[0]


def test_a_crowded_key_is_laid_out_to_fit_not_over_itself(tmp_path: Path) -> None:
    """Seven classes of long labels ('220.7 per 1,000 to 249.6 per 1,000'), a long title and
    ten named areas: the key takes two columns rather than print the list over the legend,
    and the text check (which reads the key too) finds nothing."""
    import random

    from deckgen.kinds import map as map_kind
    from deckgen.layout.mapdata import MapData
    from deckgen.render import maps

    rng = random.Random(3)
    codes = sorted(f["properties"]["LSOA11CD"] for f in json.loads(
        (ROOT / "data/boundaries/essex-lsoa11/E06000033.geojson").read_text())["features"])
    deck = _lsoa_deck(tmp_path, codes, value="rate", value_suffix=" per 1,000", top=10,
                      classes={"method": "quantiles", "count": 7},
                      legend="Anti-social behaviour incidents per 1,000 residents, a year")
    (tmp_path / "lsoa.csv").write_text("code,rate\n" + "".join(
        f"{c},{rng.uniform(5, 250):.2f}\n" for c in codes), encoding="utf-8")
    built = app.build(deck, tmp_path / "out.pptx")
    assert [str(w) for w in built.warnings] == []
    data: MapData = _resolved(deck, map_kind)
    assert len(data.legend) == 7 and len(data.labelled) == 10
    png, found = maps.drawn(data, _theme(deck), 12.3, 4.6)
    assert found == ()
    # and where it cannot fit, the check says so (a key of 7 classes on a tiny picture)
    assert maps.drawn(data, _theme(deck), 4.0, 1.5)[1] != ()


def _theme(deck: Path) -> Any:
    from deckgen.pipeline import load_outline, load_theme

    outline = load_outline(deck)
    return load_theme(outline.deck, outline.base_dir, outline.source)


def test_a_key_that_does_not_fit_says_its_unit_once_then_names_fewer_areas(
        tmp_path: Path) -> None:
    from deckgen.kinds import map as map_kind
    from deckgen.render import maps

    codes = sorted(f["properties"]["LSOA11CD"] for f in json.loads(
        (ROOT / "data/boundaries/essex-lsoa11/E06000033.geojson").read_text())["features"])
    deck = _lsoa_deck(tmp_path, codes, value="rate", value_suffix=" per 1,000 residents",
                      top=10, classes={"method": "quantiles", "count": 7}, legend="Rate")
    (tmp_path / "lsoa.csv").write_text("code,rate\n" + "".join(
        f"{c},{5 + i * 2.31:.2f}\n" for i, c in enumerate(codes)), encoding="utf-8")
    data = _resolved(deck, map_kind)
    wide, _ = maps.figure(data, _theme(deck), 12.3, 3.4)
    assert wide.legends[0].get_title().get_text() == "Rate"  # the unit with each class
    fig, _ = maps.figure(data, _theme(deck), 11.0, 3.4)
    legend = fig.legends[0]
    assert legend.get_title().get_text().replace("\n", " ") == "Rate (per 1,000 residents)"
    assert all("residents" not in t.get_text() for t in legend.get_texts())
    assert maps.drawn(data, _theme(deck), 11.0, 3.4)[1] == ()
    # narrower still, fewer areas are named (numbered on the map and listed), and the check
    # says so
    found = maps.drawn(data, _theme(deck), 6.0, 3.4)[1]
    assert found == ("only 4 of the 10 highest areas are named (top: 10); the others do not "
                     "fit beside the map",)
    fig, ax = maps.figure(data, _theme(deck), 6.0, 3.4)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "3", "4"]
