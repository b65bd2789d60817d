"""On a template, content goes where its layouts say: in the layout's content placeholder,
which deckgen fills, or in the free area between the layout's title, footer and own shapes,
measured from the template (layout/region.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Inches
from test_templates import _sample, widen

from deckgen.app import build

#: the frame deckgen adds to every slide; everything else is the slide's content
#: The brand frame, and deckgen's own hidden mark on each slide (office/write/marks.py)
FRAME = ("Title", "Footer", "Slide number", "Logo", "Protective marking", "Date", "deckgen ")


def banded_template(path: Path) -> dict[str, int]:
    """A 16:9 template whose Title Only layout ("Banded") puts the title low and narrow, with
    a band of its own across the lower part of the slide and a strip down the left; returns
    those places, in EMU, for the test to check against."""
    prs = Presentation()
    widen(prs)
    master = prs.slide_master
    layout = next(lay for lay in master.slide_layouts if lay.name == "Title Only")
    layout._element.cSld.set("name", "Banded")
    places = {"title_x": Inches(1.5), "title_y": Inches(0.7), "title_w": Inches(10),
              "title_h": Inches(0.9), "band_y": Inches(5.6), "band_h": Inches(0.5),
              "strip_w": Inches(1.0)}
    title = next(p for p in layout.placeholders if p.placeholder_format.idx == 0)
    title.left, title.top = Emu(places["title_x"]), Emu(places["title_y"])
    title.width, title.height = Emu(places["title_w"]), Emu(places["title_h"])
    shapes = SlideShapes(layout._element.cSld.spTree, layout)
    band = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, places["band_y"], prs.slide_width,
                            places["band_h"])
    band.name = "Band"
    strip = shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(1.8), places["strip_w"],
                             Inches(3.6))
    strip.name = "Strip"
    prs.save(str(path))
    return places


def test_content_keeps_to_the_free_area_the_layout_leaves(tmp_path: Path,
                                                          ooxml_findings: Any) -> None:
    places = banded_template(tmp_path / "banded.pptx")
    built = build(_sample(tmp_path, "template: banded.pptx\nlayouts: {bullets: Banded, "
                                  "chart: Banded, table: Banded, stats: Banded, "
                                  "headlines: Banded, summary: Banded, team: Banded, "
                                  "image: Banded}\n"), tmp_path / "b.pptx")
    prs = Presentation(str(built.output))
    top = places["title_y"] + places["title_h"]
    left, right = places["strip_w"], prs.slide_width - places["title_x"]
    checked = 0
    for number, slide in enumerate(prs.slides, start=1):
        if slide.slide_layout.name != "Banded":
            continue
        # the title where the template puts it, narrowed only for the brand's logo: on both
        # sides, as the template centres its titles, so it stays centred on the slide
        title = slide.shapes.title
        assert (title.top, title.height) == (places["title_y"], places["title_h"]), number
        assert title.left >= places["title_x"], number
        assert abs(title.left + title.width / 2 - prs.slide_width / 2) <= 1, number
        for shape in slide.shapes:
            if shape.name.startswith(FRAME):
                continue
            checked += 1
            assert shape.top >= top, (number, shape.name)
            assert shape.top + shape.height <= places["band_y"], (number, shape.name)
            assert shape.left >= left and shape.left + shape.width <= right, \
                (number, shape.name, shape.left)
    assert checked > 40
    assert ooxml_findings(built.output) == []


def _placeholder(slide: Any, name: str) -> Any:
    return next(sh for sh in slide.placeholders if sh.name == name)


def test_content_fills_the_layouts_content_placeholder(tmp_path: Path,
                                                        ooxml_findings: Any) -> None:
    banded_template(tmp_path / "t.pptx")
    built = build(_sample(tmp_path, "template: t.pptx\nlayouts: {bullets: Title and Content, "
                                  "table: Title and Content, chart: Title and Content}\n"),
                  tmp_path / "c.pptx")
    prs = Presentation(str(built.output))
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    content = next(p for p in layout.placeholders if p.placeholder_format.idx == 1)
    filled = {}
    for slide in prs.slides:
        if slide.slide_layout.name != "Title and Content":
            continue
        held = [sh for sh in slide.placeholders if sh.placeholder_format.idx == 1]
        assert len(held) == 1, slide.shapes.title.text  # one shape fills it, no empty one
        shape = held[0]
        assert shape.placeholder_format.type == PP_PLACEHOLDER.OBJECT
        assert content.left <= shape.left and shape.left + shape.width <= \
            content.left + content.width
        assert content.top <= shape.top and shape.top + shape.height <= \
            content.top + content.height
        filled.setdefault(shape.name, shape)
    assert {"Points", "Table", "Chart", "Column 1"} <= set(filled)
    assert filled["Table"].has_table and filled["Table"].table.cell(5, 0).text == "Southend"
    assert filled["Chart"].shape_type is not None and filled["Chart"]._element.tag == \
        qn("p:pic")
    # the text says its own spacing and bullets: nothing comes from the master's body style
    points = filled["Points"]
    # (slide 6's two points are cards, laid out to fill the slide: slide 8's list is first)
    assert "Problem solving focus" in points.text_frame.text
    for p in points._element.iter(qn("a:pPr")):
        assert p.find(qn("a:spcBef")) is not None and p.find(qn("a:lnSpc")) is not None
        assert (p.find(qn("a:buChar")) is None) != (p.find(qn("a:buNone")) is None)
    # the brand's footer and number fill the layout's own placeholders
    first = prs.slides[4]
    assert _placeholder(first, "Footer").placeholder_format.type == PP_PLACEHOLDER.FOOTER
    assert _placeholder(first, "Slide number").text_frame.text == "5"
    assert ooxml_findings(built.output) == []


def test_covers_follow_the_templates_placeholders_and_alignment(tmp_path: Path) -> None:
    banded_template(tmp_path / "t.pptx")
    built = build(_sample(tmp_path, "template: t.pptx\n"), tmp_path / "c.pptx")
    prs = Presentation(str(built.output))
    cover, section = prs.slides[0], prs.slides[1]
    layout = cover.slide_layout
    centre = next(p for p in layout.placeholders
                  if p.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE)
    title = cover.shapes.title
    assert (title.left, title.top, title.width) == (centre.left, centre.top, centre.width)
    # python-pptx's default master centres titles; its section header sets its own left
    assert title.text_frame.paragraphs[0]._p.pPr.get("algn") == "ctr"
    subtitle = _placeholder(cover, "Subtitle")
    assert subtitle.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE
    assert "Southend-on-sea" in subtitle.text_frame.text
    assert section.shapes.title.text_frame.paragraphs[0]._p.pPr.get("algn") == "l"


def test_the_marking_on_the_master_keeps_clear_of_the_footer_placeholders(
        tmp_path: Path) -> None:
    banded_template(tmp_path / "t.pptx")
    built = build(_sample(tmp_path, "template: t.pptx\n"), tmp_path / "m.pptx")
    prs = Presentation(str(built.output))
    assert not [sh for sh in prs.slide_master.shapes if sh.name.startswith("Protective")]
    for layout in prs.slide_layouts:  # each layout carries its own, coloured for it
        marks = [sh for sh in layout.shapes if sh.name.startswith("Protective marking")]
        assert len(marks) == 2
        for p in layout.placeholders:
            if p.placeholder_format.type in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE,
                                             PP_PLACEHOLDER.SLIDE_NUMBER):
                for mark in marks:
                    apart = (mark.top + mark.height <= p.top or p.top + p.height <= mark.top
                             or mark.left + mark.width <= p.left
                             or p.left + p.width <= mark.left)
                    assert apart, (layout.name, p.name, mark.name)
    # and the content of every slide stays above the bottom marking
    for slide in prs.slides:
        bottom = max((sh for sh in slide.slide_layout.shapes
                      if sh.name.startswith("Protective marking")), key=lambda m: m.top)
        for shape in slide.shapes:
            if not shape.name.startswith(FRAME):
                assert shape.top + shape.height <= bottom.top, shape.name
