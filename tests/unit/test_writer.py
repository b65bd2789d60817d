"""The writer's own package code, held to python-pptx: what it zips is what python-pptx saves."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from deckgen.layout.plan import Box, Paragraph, Run, SlidePlan, TextBox, Title, inches
from deckgen.office.write import _zip, redraw, render, xml
from deckgen.office.write.internals import package_members
from deckgen.render.document import DocInfo

INFO = DocInfo(title="T", author="A", subject="S", when=dt.datetime(2016, 7, 7), font="Arial",
               heading_font="Arial")


def _plan(title: str, text: str, notes: str = "") -> SlidePlan:
    box = Box(inches(1), inches(2), inches(6), inches(2))
    return SlidePlan(Title(title, Box(inches(1), inches(0.5), inches(8), inches(1)), 30.0,
                           "1B365D"),
                     [TextBox(box, (Paragraph((Run(text),), 20.0, "222222"),), "Body")], notes)


def test_members_are_what_python_pptx_saves() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Hello"
    slide.notes_slide.notes_text_frame.text = "Notes"
    saved = io.BytesIO()
    prs.save(saved)
    theirs = zipfile.ZipFile(saved)
    ours = package_members(prs)
    assert [name for name, _ in ours] == theirs.namelist()
    assert all(theirs.read(name) == data for name, data in ours)


def test_zip_fixes_every_timestamp_and_follows_the_order_given() -> None:
    data = _zip([("a.xml", b"<a/>"), ("b.xml", b"<b/>"), ("c.xml", b"<c/>"),
                 ("media/d.png", b"\x89PNG")],
                dt.datetime(2016, 7, 7, 9, 30), order=["c.xml", "a.xml"])
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ["c.xml", "a.xml", "b.xml", "media/d.png"]
    assert {i.date_time for i in infos} == {(2016, 7, 7, 9, 30, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o644}
    # text is deflated; pictures, compressed already, are stored
    assert [i.compress_type for i in infos] == [zipfile.ZIP_DEFLATED] * 3 + [zipfile.ZIP_STORED]


def test_redraw_gives_the_bytes_of_a_whole_new_deck() -> None:
    first = [_plan("One", "first", "n1"), _plan("Two", "second"), _plan("Three", "third", "n3")]
    edited = [first[0], _plan("Two!", "second, edited"), _plan("Three", "third, edited", "n3b")]
    width, height = inches(13.333), inches(7.5)
    before = render(first, INFO, width, height)
    after = redraw(before, {2: edited[1], 3: edited[2]}, INFO)
    assert after == render(edited, INFO, width, height)
    prs = Presentation(io.BytesIO(after))
    assert [s.shapes.title.text_frame.text for s in prs.slides] == ["One", "Two!", "Three"]
    assert prs.slides[2].notes_slide.notes_text_frame.text == "n3b"


def _font(run, size: float, bold: bool, italic: bool, color: str) -> None:  # type: ignore[no-untyped-def]
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    run.font.color.rgb = RGBColor.from_string(color)
    run.font.name = "Arial"


def test_paragraphs_are_the_xml_python_pptx_writes() -> None:
    """fill_paragraph writes directly what python-pptx's paragraph and run API would."""
    shapes = Presentation().slides.add_slide(Presentation().slide_layouts[6]).shapes
    theirs = shapes.add_textbox(0, 0, 100, 100).text_frame.paragraphs[0]
    theirs.alignment = PP_ALIGN.CENTER
    theirs.space_before = Pt(12.5)
    theirs.line_spacing = 1.15
    first = theirs.add_run()
    first.text = "Bold \x07 & <b>"
    _font(first, 20, True, False, "1B365D")
    theirs.add_line_break()
    second = theirs.add_run()
    second.text = "then italic\r"
    _font(second, 18.5, False, True, "222222")
    ours = shapes.add_textbox(0, 0, 100, 100).text_frame.paragraphs[0]
    xml.fill_paragraph(ours._p, Paragraph((Run("Bold \x07 & <b>", bold=True, color="1B365D"),
                                           Run("\nthen italic\r", italic=True, size=18.5)),
                                          20.0, "222222", align="center", space_before=12.5,
                                          line_spacing=1.15), "Arial")
    assert etree.tostring(ours._p) == etree.tostring(theirs._p)


def test_a_bullet_hangs_and_a_level_indents() -> None:
    shapes = Presentation().slides.add_slide(Presentation().slide_layouts[6]).shapes
    p = shapes.add_textbox(0, 0, 100, 100).text_frame.paragraphs[0]
    xml.fill_paragraph(p._p, Paragraph((Run("Point"),), 20.0, "222222", level=1, bullet="–"),
                       "Arial")
    p_pr = p._p.pPr
    assert (p_pr.get("marL"), p_pr.get("indent")) == (str(inches(0.75)), str(-inches(0.3)))
    assert [etree.QName(c).localname for c in p_pr] == ["buFont", "buChar"]
    assert p_pr[1].get("char") == "–"
    plain = shapes.add_textbox(0, 0, 100, 100).text_frame.paragraphs[0]
    xml.fill_paragraph(plain._p, Paragraph((Run("Sub"),), 20.0, "222222", level=2), "Arial")
    assert plain._p.pPr.get("marL") == str(inches(0.9)) and len(plain._p.pPr) == 0


def test_table_cells_are_the_xml_python_pptx_writes() -> None:
    shapes = Presentation().slides.add_slide(Presentation().slide_layouts[6]).shapes
    table = shapes.add_table(1, 2, 0, 0, 1000, 1000).table
    theirs = table.cell(0, 0)
    theirs.fill.solid()
    theirs.fill.fore_color.rgb = RGBColor.from_string("FCEFC7")
    theirs.margin_top = theirs.margin_bottom = Emu(inches(0.02))
    theirs.margin_left = theirs.margin_right = Emu(inches(0.1))
    theirs.vertical_anchor = MSO_ANCHOR.MIDDLE
    theirs.text_frame.word_wrap = True
    theirs.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    run = theirs.text_frame.paragraphs[0].add_run()
    run.text = "-11.1 \x0b"
    _font(run, 14.5, True, False, "B3261E")
    xml.fill_cell(table.cell(0, 1)._tc, "-11.1 \x0b", "right", 14.5, True, "B3261E", "FCEFC7",
                  "Arial", (inches(0.02), inches(0.1)))
    assert etree.tostring(table.cell(0, 1)._tc) == etree.tostring(theirs._tc)
