"""Decks built on an organisation's template (`template:`): its masters, layouts, theme and
size; each kind on its layout; a .potx written out as a presentation."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Inches

from deckgen.app import build, check
from deckgen.errors import DeckError

ROOT = Path(__file__).resolve().parents[2]
RENAMED = {"Title Slide": "Kent Title", "Title Only": "Kent Heading",
           "Section Header": "Kent Section", "Title and Content": "Kent Content"}
POTX = b"presentationml.template.main+xml"


def widen(prs: Any) -> None:
    """python-pptx's 4:3 default made 16:9 as PowerPoint's Slide Size does: every master and
    layout shape widened too."""
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    master = prs.slide_master
    for part in (master, *master.slide_layouts):
        for off in part._element.iter(qn("a:off")):
            off.set("x", str(round(int(off.get("x")) * 12192000 / 9144000)))
        for ext in part._element.iter(qn("a:ext")):
            if ext.get("cx") is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * 12192000 / 9144000)))


def make_template(path: Path, wide: bool = True) -> Path:
    """A template as an organisation's might be: renamed layouts, a coloured master, a text box
    on the master, an example slide; 16:9, or 4:3 and saved as a .potx."""
    prs = Presentation()
    master = prs.slide_master
    if wide:
        widen(prs)
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = RGBColor(0xF3, 0xEE, 0xE2)
    mark = SlideShapes(master._element.cSld.spTree, master).add_textbox(
        Inches(0.3), Inches(0.05), Inches(4), Inches(0.4))
    mark.text_frame.text = "KENT POLICE TEMPLATE"
    for layout in master.slide_layouts:
        if layout.name in RENAMED:
            layout._element.cSld.set("name", RENAMED[layout.name])
    prs.slides.add_slide(master.slide_layouts[0]).shapes.title.text = "An example slide"
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    if path.suffix == ".potx":
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                blob = source.read(info)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(b"presentationml.presentation.main+xml", POTX)
                target.writestr(info, blob)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def _sample(folder: Path, header: str) -> Path:
    for name in ("data", "assets"):
        shutil.copytree(ROOT / name, folder / name)
    text = (ROOT / "deck.yaml").read_text(encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(text.replace("brand: assets/brand.yaml\n",
                                 f"brand: assets/brand.yaml\n{header}"), encoding="utf-8")
    return deck


def _unsplit(warnings: list[Any]) -> list[str]:
    """The warnings but the split of the sample's ASB table: on a template's smaller body its
    16 rows, at the row height 12 pt text needs, continue on a second slide (and say so)."""
    return [str(w) for w in warnings if "do not fit one slide legibly" not in str(w)]


MAPPED = ("template: kent.pptx\nlayouts: {title: Kent Title, section: Kent Section, "
          "bullets: Kent Content, chart: Kent Heading, table: Kent Heading}\n")


def test_the_sample_builds_on_a_16_9_template_with_renamed_layouts(
        tmp_path: Path, ooxml_findings: Any) -> None:
    make_template(tmp_path / "kent.pptx")
    built = build(_sample(tmp_path, MAPPED), tmp_path / "k.pptx")
    # the kinds the outline maps say nothing; the others stand in for Title Only, said once
    assert _unsplit(built.warnings) == [
        f"{tmp_path / 'deck.yaml'}:11:11: template: the template kent.pptx has no layout "
        "'Title Only': slides of kind headlines, image, stats, summary, team are built on "
        "'Kent Heading', which has the same placeholders; to choose, say layouts: "
        "{headlines: \"Kent Heading\"}"]
    prs = Presentation(str(built.output))
    # the template's example slide is not the deck's; the ASB table continues on a second
    assert len(prs.slides) == 20
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[:5] == ["Kent Title", "Kent Section", "Kent Heading", "Kent Heading",
                           "Kent Content"]
    assert "KENT POLICE TEMPLATE" in [sh.text_frame.text for sh in prs.slide_master.shapes
                                      if sh.has_text_frame]
    # the template's background stays, and its master shapes show on deckgen's slides
    assert all(s._element.get("showMasterSp") != "0" for s in prs.slides)
    # a content slide's placeholders are all filled: no empty "Click to add text"; the
    # bullets fill the layout's content placeholder, the brand's footer and number its own,
    # and the deck's date the layout's date placeholder
    bullets = prs.slides[4]
    assert [(p.placeholder_format.type, p.placeholder_format.idx, p.name)
            for p in bullets.placeholders] == [
        (PP_PLACEHOLDER.TITLE, 0, "Title 1"), (PP_PLACEHOLDER.OBJECT, 1, "Column 1"),
        (PP_PLACEHOLDER.DATE, 10, "Date"), (PP_PLACEHOLDER.FOOTER, 11, "Footer"),
        (PP_PLACEHOLDER.SLIDE_NUMBER, 12, "Slide number")]
    assert all(p.has_text_frame and p.text_frame.text for p in bullets.placeholders)
    assert ooxml_findings(built.output) == []


def test_a_4_3_potx_template_gives_a_4_3_presentation(tmp_path: Path,
                                                      ooxml_findings: Any) -> None:
    make_template(tmp_path / "kent.potx", wide=False)
    built = build(_sample(tmp_path, "template: kent.potx\n"), tmp_path / "f.pptx")
    assert all("has no layout" in w for w in _unsplit(built.warnings)), built.warnings
    with zipfile.ZipFile(built.output) as package:
        types = package.read("[Content_Types].xml")
    assert POTX not in types and b"presentationml.presentation.main+xml" in types
    prs = Presentation(str(built.output))
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)
    for slide in prs.slides:  # everything deckgen drew is on the 4:3 slide
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width, (shape.name, shape.left)
    assert ooxml_findings(built.output) == []


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")
def test_the_templates_master_shows_on_every_rendered_slide(tmp_path: Path) -> None:
    from deckgen.render.export import to_pdf

    make_template(tmp_path / "kent.pptx")
    built = build(_sample(tmp_path, MAPPED), tmp_path / "k.pptx")
    prs = Presentation(str(built.output))  # and a slide a colleague adds
    added = prs.slides.add_slide(next(lay for lay in prs.slide_layouts
                                      if lay.name == "Kent Content"))
    added.shapes.title.text = "Added by hand"
    prs.save(str(tmp_path / "k2.pptx"))
    pdf = to_pdf(tmp_path / "k2.pptx", tmp_path / "k2.pdf", timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == len(prs.slides)  # every slide, the one added by hand too
    assert all("KENT POLICE TEMPLATE" in page and page.count("OFFICIAL") >= 2
               for page in pages)
    assert "Added by hand" in pages[-1] and pages[-1].count("OFFICIAL") == 2
    # the bullets fill the content placeholder: shown once, no "Click to add text" left
    assert pages[5].count("10 policing districts") == 1 and "Click to add" not in text


@pytest.mark.parametrize("header,message", [
    ("template: brand-notes.txt\n", "template: brand-notes.txt is not a PowerPoint file "
     "(.pptx or .potx): save it from PowerPoint as a presentation or a template"),
    ("template: missing.pptx\n", "template: no file missing.pptx; give the path of a .pptx or "
     ".potx file"),
    ("template: kent.pptx\nlayouts: {bullets: Kent Contnt}\n", "the template kent.pptx has "
     "no layout 'Kent Contnt'; its layouts are: Kent Title, Kent Content"),
])
def test_a_template_that_cannot_be_used_is_a_clear_error(tmp_path: Path, header: str,
                                                         message: str) -> None:
    make_template(tmp_path / "kent.pptx")
    (tmp_path / "brand-notes.txt").write_text("not a deck", encoding="utf-8")
    deck = _sample(tmp_path, header)
    with pytest.raises(DeckError) as info:
        check(deck)
    assert message in str(info.value), str(info.value)
    assert re.search(r"deck\.yaml:\d+:\d+:", str(info.value))


def test_native_charts_on_a_template(tmp_path: Path, ooxml_findings: Any) -> None:
    make_template(tmp_path / "kent.pptx")
    built = build(_sample(tmp_path, MAPPED + "chart_engine: native\n"), tmp_path / "n.pptx")
    prs = Presentation(str(built.output))
    assert sum(sh.has_chart for s in prs.slides for sh in s.shapes) == 3
    assert ooxml_findings(built.output) == []


def test_a_brand_file_can_name_the_template_beside_it(tmp_path: Path) -> None:
    deck = _sample(tmp_path, "")
    make_template(tmp_path / "assets" / "kent.pptx")
    brand = tmp_path / "assets" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "template: kent.pptx\n",
                     encoding="utf-8")
    built = build(deck, tmp_path / "b.pptx")
    assert Presentation(str(built.output)).slides[4].slide_layout.name == "Kent Heading"
    # the template is a file the build reads: the deck is never written over it
    before = (tmp_path / "assets" / "kent.pptx").read_bytes()
    with pytest.raises(DeckError) as over:
        build(deck, tmp_path / "assets" / "kent.pptx")
    assert "the brand's template" in str(over.value)
    assert (tmp_path / "assets" / "kent.pptx").read_bytes() == before
    brand.write_text(brand.read_text(encoding="utf-8").replace("template: kent.pptx",
                                                               "template: ../../kent.pptx"),
                     encoding="utf-8")
    with pytest.raises(DeckError) as info:
        check(deck)
    assert "brand.yaml" in str(info.value) and "outside" in str(info.value)


def test_inspect_lists_layouts_placeholders_and_problems(tmp_path: Path) -> None:
    import sys

    make_template(tmp_path / "kent.potx", wide=False)
    result = subprocess.run([sys.executable, "-m", "deckgen", "template", "inspect",
                             str(tmp_path / "kent.potx")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "kent.potx: a template (.potx), 10 x 7.5 in (4:3)" in out
    assert "  Kent Heading\n    title (idx 0) at 0.50, 0.30 in, 9.00 x 1.25 in\n" in out
    assert "  every other kind: 'Kent Heading' (standing in for 'Title Only')" in out
    assert "theme colours: dk1 000000, lt1 FFFFFF, dk2 1F497D" in out
    assert "warning: the slide is 4:3" in out
    # the content's place on each layout: Kent Heading's title ends at 1.55 in, its footer
    # placeholders start at 6.95 in
    assert "  Kent Content: fills its obj placeholder (idx 1) at 0.50, 1.75 in, 9.00 x 4.95 in"\
        in out
    assert "  Kent Heading: the free area at 0.50, 1.75 in, 9.00 x 5.05 in" in out
    missing = subprocess.run([sys.executable, "-m", "deckgen", "template", "inspect",
                              str(tmp_path / "none.pptx")], capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "no file" in missing.stderr


def test_a_slide_added_to_a_template_deck_is_marked(tmp_path: Path) -> None:
    """The template keeps its masters and layouts; the brand's protective marking is added to
    each layout (in the colour that reads on it), so a slide a colleague adds on any layout is
    marked as deckgen's own are, and never twice."""
    make_template(tmp_path / "kent.pptx")
    built = build(_sample(tmp_path, MAPPED), tmp_path / "k.pptx")
    prs = Presentation(str(built.output))
    for master in prs.slide_masters:
        assert not [sh for sh in master.shapes if sh.name.startswith("Protective marking")]
        for layout in master.slide_layouts:
            marks = [sh.text_frame.text for sh in layout.shapes
                     if sh.has_text_frame and sh.name.startswith("Protective marking")]
            assert marks == ["OFFICIAL", "OFFICIAL"], layout.name
    added = prs.slides.add_slide(next(lay for lay in prs.slide_layouts
                                      if lay.name == "Kent Content"))
    assert added._element.get("showMasterSp") != "0"  # the master's shapes show on it


@pytest.mark.parametrize("where", ["outline", "brand"])
def test_a_changed_template_is_built_again(tmp_path: Path, where: str) -> None:
    _sample(tmp_path, "template: kent.pptx\n" if where == "outline" else "")
    folder = tmp_path if where == "outline" else tmp_path / "assets"
    make_template(folder / "kent.pptx")
    if where == "brand":
        brand = tmp_path / "assets" / "brand.yaml"
        brand.write_text(brand.read_text(encoding="utf-8") + "template: kent.pptx\n",
                         encoding="utf-8")
    import sys

    def cli() -> str:  # the command line keeps the build cache
        return subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml", "-o",
                               "o.pptx"], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300).stdout

    assert cli().startswith("wrote ") and cli().startswith("up to date")
    make_template(folder / "kent.pptx", wide=False)  # the organisation moves to 4:3
    assert cli().startswith("wrote ")
    assert Presentation(str(tmp_path / "o.pptx")).slide_width == 9144000


def test_layouts_name_kinds_and_need_a_template(tmp_path: Path) -> None:
    make_template(tmp_path / "kent.pptx")
    with pytest.raises(DeckError) as info:
        check(_sample(tmp_path, "template: kent.pptx\nlayouts: {charts: Kent Heading}\n"))
    assert "layouts: 'charts' is not a slide kind; did you mean 'chart'?" in str(info.value)
    other = tmp_path / "other"
    other.mkdir()
    warnings = [str(w) for w in check(_sample(other, "layouts: {chart: Kent Heading}\n"))
                .warnings]
    assert any("layouts: chooses a template's layouts, and the deck has no template:" in w
               for w in warnings), warnings


def test_on_a_template_covers_keep_its_background_and_the_marking_is_the_masters(
        tmp_path: Path) -> None:
    make_template(tmp_path / "kent.pptx")
    built = build(_sample(tmp_path, MAPPED), tmp_path / "k.pptx")
    assert all("has no layout" in w for w in _unsplit(built.warnings))
    prs = Presentation(str(built.output))
    title, section = prs.slides[0], prs.slides[1]
    for slide in (title, section):  # no background of its own: the template's shows
        assert slide._element.find(
            "{http://schemas.openxmlformats.org/presentationml/2006/main}cSld/"
            "{http://schemas.openxmlformats.org/presentationml/2006/main}bg") is None
    for slide in prs.slides:  # the marking is the master's alone: never stacked twice
        assert not [sh for sh in slide.shapes if sh.name.startswith("Protective marking")]
