"""The Southend briefing, built from deck.yaml and read back as a reader of the deck would."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterator

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "southend-seed.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "000_4227e14e2b30db9c.txt"


def _texts(prs: Presentation) -> Iterator[tuple[int, str]]:
    """(slide number, text) for every text a reader can find: shapes, tables, alt text, notes."""
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield n, shape.text_frame.text
            if shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        yield n, cell.text
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                yield n, shape._element.nvPicPr.cNvPr.get("descr", "")
        if slide.has_notes_slide:
            yield n, slide.notes_slide.notes_text_frame.text


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip()


@pytest.fixture(scope="module")
def prs(sample_pptx: Path) -> Presentation:
    return Presentation(str(sample_pptx))


@pytest.fixture(scope="module")
def corpus(prs: Presentation) -> str:
    return _norm(" | ".join(t for _, t in _texts(prs)))


def _seed_phrases() -> list[str]:
    phrases = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or "\t" in line:  # tab lines are the ASB table, checked cell by cell below
            continue
        line = re.sub(r"^- ", "", line)
        line = re.sub(r"\[(\w+)\]\(#\)", r"\1", line)  # [Tweet](#) -> Tweet
        line = line.replace("**", "").replace("*", "")
        phrases.append(_norm(line))
    return phrases


def test_fixture_copy_of_seed_matches_shared() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("the project's shared folder (../shared/seed) is not beside this checkout; "
                    "the seed's copy in tests/fixtures is used")
    assert SEED.read_text(encoding="utf-8") == SHARED_SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("phrase", _seed_phrases())
def test_every_seed_phrase_is_in_the_deck(phrase: str, corpus: str) -> None:
    assert phrase in corpus


def test_every_slide_has_a_real_unique_title(prs: Presentation) -> None:
    titles = []
    for slide in prs.slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        assert title.text_frame.text.strip()
        titles.append(title.text_frame.text)
    assert len(titles) == len(set(titles)), titles


def test_slides_follow_the_seed_in_order(prs: Presentation) -> None:
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    expected = ["Essex Police Challenge", "Reducing crime & Anti-social behaviour",
                "Force – Proportions of crime", "Southend – Proportions of crime", "Challenges",
                "Community Policing", "Community Policing Teams: structure",
                "Community Policing Teams", "Community Safety Hubs",
                "Community Safety Hubs work", "Anti-Social Behaviour by district",
                "Anti-social Behaviour", "Volunteering", "Volunteers", "Parish Safety Volunteers",
                "County Drug Lines", "County Drug Lines: arrests",
                "Operation Raptor: Cracking Down", "In summary"]
    assert titles == expected


def _seed_table() -> list[list[str]]:
    lines = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if "\t" in ln]
    return [ln.split("\t") for ln in lines]


def _asb_table(prs: Presentation):  # type: ignore[no-untyped-def]
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) == 1
    return tables[0]


def test_asb_table_is_a_real_table_with_the_seed_values(prs: Presentation) -> None:
    table = _asb_table(prs)
    got = [[cell.text for cell in row.cells] for row in table.rows]
    seed = _seed_table()
    assert len(got) == len(seed) == 16
    # the seed's headers, with publication style (issue 24): an en dash in the periods, and
    # the change columns headed for what they hold (the seed's "No of Incidents" held changes)
    assert got[0][0] == seed[0][0]
    assert got[0][1:] == [seed[0][1].replace("-", "\u2013"), seed[0][2].replace("-", "\u2013"),
                          "Change", "% change"]
    # the districts as named on slides (deck.yaml's labels, from data/districts.csv): the
    # seed's table wrote Castlepoint and Epping where its other slides wrote the full names
    with open(ROOT / "data" / "districts.csv", encoding="utf-8") as f:
        names = {row["district"]: row["name"] for row in csv.DictReader(f)}
    assert names["Castlepoint"] == "Castle Point"
    for mine, theirs in zip(got[1:], seed[1:]):
        assert mine[0] == names.get(theirs[0], theirs[0])
        assert [_plain(v) for v in mine[1:4]] == [int(v) for v in theirs[1:4]]
        assert _plain(mine[4]) == pytest.approx(float(theirs[4]))
        # thousands separators, a true minus, one decimal (Colchester −9.0), a noise mark
        assert re.fullmatch(r"\d{1,3}(,\d{3})*", mine[1]) and "-" not in mine[3] + mine[4]
        assert re.fullmatch(r"[+\u2212]\d+\.\d[\u2020\u2021\u2007]?", mine[4]), mine[4]


def _plain(text: str) -> float:
    """A cell's number: separators, the true minus and the noise marks taken off."""
    return float(text.replace(",", "").replace("\u2212", "-").rstrip("\u2020\u2021\u2007"))


def test_asb_table_highlights_the_district_and_colours_falls(prs: Presentation) -> None:
    table = _asb_table(prs)
    rows = {row.cells[0].text: row for row in table.rows}
    southend, thurrock = rows["Southend"], rows["Thurrock"]
    assert southend.cells[0].text_frame.paragraphs[0].runs[0].font.bold
    assert not thurrock.cells[0].text_frame.paragraphs[0].runs[0].font.bold
    assert southend.cells[0].fill.fore_color.rgb != thurrock.cells[0].fill.fore_color.rgb
    fall = thurrock.cells[4].text_frame.paragraphs[0].runs[0].font.color.rgb
    assert str(fall) == "1E7B34"  # the brand's 'good' colour: ASB went down


def test_charts_are_pictures_with_alt_text_naming_a_key_figure(prs: Presentation) -> None:
    charts = [sh for s in prs.slides for sh in s.shapes if sh.name == "Chart"]
    assert len(charts) >= 3
    for chart in charts:
        assert chart.shape_type == MSO_SHAPE_TYPE.PICTURE
        alt = chart._element.nvPicPr.cNvPr.get("descr")
        assert alt and "chart" in alt.lower()
        assert re.search(r"\d+\.\d%", alt), alt
    asb = [c for c in charts if "by district" in c._element.nvPicPr.cNvPr.get("descr")]
    assert asb and "Highlighted: Southend, \u221211.1%" in \
        asb[0]._element.nvPicPr.cNvPr.get("descr")


def test_every_picture_has_alt_text(prs: Presentation) -> None:
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                assert shape._element.nvPicPr.cNvPr.get("descr", "").strip(), (n, shape.name)


def test_illustrative_data_is_labelled_on_slide_and_in_notes(prs: Presentation) -> None:
    for slide in list(prs.slides)[2:4]:
        names = [sh.name for sh in slide.shapes]
        assert "Illustrative data label" in names
        assert "ILLUSTRATIVE DATA" in slide.notes_slide.notes_text_frame.text


def test_every_data_slide_names_its_source(prs: Presentation) -> None:
    # from deck.yaml's data sources (their `source:`): the ASB table and chart name Essex
    # Police's figures; the two crime charts say first that their data is not real
    lines = {n: sh.text_frame.text for n, slide in enumerate(prs.slides, start=1)
             for sh in slide.shapes if sh.name == "Source"}
    asb = ("Source: Essex Police, ASB incidents, March–April 2015 and 2016; changes computed "
           "from the counts.")
    assert lines == {3: lines[3], 4: lines[3], 11: asb, 12: asb}
    assert lines[3] == ("ILLUSTRATIVE DATA – not real figures. Source: a made-up offence mix "
                        "standing in for the original charts, whose figures are lost."), lines[3]


def test_stand_in_pictures_say_so(prs: Presentation) -> None:
    for slide in prs.slides:
        pics = [sh for sh in slide.shapes if sh.name == "Picture"]
        if pics:
            assert "stand-in graphic" in slide.notes_slide.notes_text_frame.text


def test_operation_raptor_figures(prs: Presentation) -> None:
    slide = prs.slides[17]
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    for figure in ("663", "51", "224", "£1,194,677", "May 2014 - May 2016"):
        assert figure in text
    # a figure never breaks inside, whatever font the renderer stands in: its box does not
    # wrap (a:bodyPr wrap="none"), and deckgen sized it to fit on one line
    values = {sh.text_frame.text: sh for sh in slide.shapes if sh.name.startswith("Value:")}
    assert set(values) == {"663", "51", "224", "£1,194,677"}
    for shape in values.values():
        assert shape.text_frame.word_wrap is False
        assert shape._element.txBody.bodyPr.get("wrap") == "none"


def test_every_slide_carries_the_brand(prs: Presentation) -> None:
    for n, slide in enumerate(prs.slides, start=1):
        by_name = {sh.name: sh for sh in slide.shapes}
        assert by_name["Protective marking"].text_frame.text == "OFFICIAL"
        assert by_name["Slide number"].text_frame.text == str(n)
        assert "Southend challenge briefing" in by_name["Footer"].text_frame.text


def test_nothing_is_placed_off_the_slide(prs: Presentation) -> None:
    w, h = prs.slide_width, prs.slide_height
    assert (w, h) == (12192000, 6858000) or abs(w / h - 16 / 9) < 0.01
    for n, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0, (n, sh.name)
            assert sh.left + sh.width <= w and sh.top + sh.height <= h, (n, sh.name)


def test_team_structure_is_native_shapes(prs: Presentation) -> None:
    slide = prs.slides[6]
    roles = [sh.text_frame.text for sh in slide.shapes if sh.name.startswith("Role:")]
    assert roles[:2] == ["Dedicated Inspector", "Supported by 2 Sergeants"]
    assert len(roles) == 6
    assert sum(1 for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.LINE) >= 5


def test_bold_survives_as_bold_runs(prs: Presentation) -> None:
    slide = prs.slides[5]
    runs = [r for sh in slide.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs]
    bold = {r.text for r in runs if r.font.bold}
    assert "district commander" in bold
    assert "locally based, locally accountable" in bold


def test_same_inputs_give_identical_bytes(tmp_path: Path, sample_pptx: Path) -> None:
    from deckgen.app import build

    again = tmp_path / "again.pptx"  # the first build is the session's (conftest.py)
    build(ROOT / "deck.yaml", output=again)
    assert again.read_bytes() == sample_pptx.read_bytes()


def test_document_dates_come_from_the_deck_or_source_date_epoch(
        tmp_path: Path, sample_pptx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from deckgen.app import build

    props = Presentation(str(sample_pptx)).core_properties
    assert props.modified == dt.datetime(2016, 7, 7) and props.created == dt.datetime(2016, 7, 7)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "e.pptx"
    build(ROOT / "deck.yaml", output=out)
    assert Presentation(str(out)).core_properties.modified == dt.datetime(2023, 11, 14, 22, 13,
                                                                          20)


def test_the_sample_deck_passes_its_own_layout_and_accessibility_review() -> None:
    from deckgen.app import check

    deck = check(ROOT / "deck.yaml")
    assert deck.warnings == []


def test_the_master_is_the_brands_at_the_decks_size(sample_pptx: Path) -> None:
    """Without a template, deckgen writes its own master: 16:9, the brand's theme colours
    and fonts, every layout inside the slide, the frame on the master, and deckgen's own
    slides hiding it (they draw their own)."""
    import yaml
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation(str(sample_pptx))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    size = prs.part._element.find(
        "{http://schemas.openxmlformats.org/presentationml/2006/main}sldSz")
    assert "type" not in size.attrib  # not 'screen4x3'
    brand = yaml.safe_load((ROOT / "assets" / "brand.yaml").read_text(encoding="utf-8"))
    master = prs.slide_master
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    colour = {slot: theme.find(f".//{a}clrScheme/{a}{slot}/{a}srgbClr").get("val")
              for slot in ("dk2", "accent1", "accent2")}
    primary = brand["colours"]["primary"].lstrip("#").upper()
    assert colour == {"dk2": primary, "accent1": primary,
                      "accent2": brand["colours"]["accent"].lstrip("#").upper()}
    fonts = brand.get("fonts", {})
    assert theme.find(f".//{a}minorFont/{a}latin").get("typeface") == fonts.get("body", "Arial")
    for layout in [master, *master.slide_layouts]:
        for shape in layout.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= prs.slide_width, \
                (layout.name, shape.name)
    names = {sh.name for sh in master.shapes}
    assert {"Footer", "Protective marking", "Protective marking (top)", "Slide number",
            "Logo"} <= names
    number = next(sh for sh in master.shapes if sh.name == "Slide number")
    assert number._element.xpath(".//a:fld[@type='slidenum']")
    for slide in prs.slides:
        assert slide._element.get("showMasterSp") == "0"
        shown = next(sh for sh in slide.shapes if sh.name == "Slide number")
        assert shown._element.xpath(".//a:fld[@type='slidenum']")
