"""Where a template's layout puts the title and the content (layout/region.py), from the
layout's placeholders and shapes alone."""

from __future__ import annotations

from deckgen.layout.plan import Box, Slot, inches
from deckgen.layout.region import markings, region_for
from deckgen.source.template import Layout, Placeholder, Template

W, H = 12192000, 6858000
GRID = {"margin": inches(0.6), "title_top": inches(0.38), "title_h": inches(0.85),
        "footer_h": inches(0.42)}
TITLE = Placeholder("title", 0, "Title", (inches(1), inches(0.5), inches(11), inches(1)), "l")
FOOTER = Placeholder("ftr", 11, "Footer", (inches(4), inches(6.9), inches(5), inches(0.4)))
NUMBER = Placeholder("sldNum", 12, "Number", (inches(10), inches(6.9), inches(2), inches(0.4)),
                     "r")


def test_the_free_area_lies_between_the_title_and_the_footer_placeholders() -> None:
    region = region_for(Layout("Title Only", (TITLE, FOOTER, NUMBER)), W, H, **GRID)
    assert region.slot is None
    assert region.title == Box(inches(1), inches(0.5), inches(11), inches(1))
    assert region.content == Box(inches(1), inches(1.7), W - 2 * inches(1),
                                 inches(6.9) - inches(0.15) - inches(1.7))
    assert region.footer == (Slot("ftr", 11), Box(inches(4), inches(6.9), inches(5),
                                                   inches(0.4)))
    assert region.number is not None and region.number[0] == Slot("sldNum", 12)


def test_the_layouts_own_shapes_push_the_free_area_back() -> None:
    band = (0, inches(6.0), W, inches(0.3))  # low: raises the bottom
    ribbon = (inches(3), inches(1.6), inches(4), inches(0.4))  # high: lowers the top
    strip = (W - inches(1.5), inches(1.5), inches(1.5), inches(5))  # a side: narrows
    background = (0, 0, W, H)  # most of the slide: drawn over
    layout = Layout("Banded", (TITLE, FOOTER), (band, ribbon, strip, background), True)
    region = region_for(layout, W, H, **GRID)
    assert region.content == Box(inches(1), inches(2.0), W - inches(1.5) - inches(1),
                                 inches(6.0) - inches(2.0))
    assert not region.logo  # the template shows a picture of its own


def test_shapes_that_leave_too_little_room_are_drawn_over() -> None:
    block = (inches(1), inches(2.5), inches(11), inches(3.5))
    region = region_for(Layout("Crowded", (TITLE, FOOTER), (block,)), W, H, **GRID)
    assert region.content.y == inches(1.7) and region.content.bottom == inches(6.75)


def test_a_content_placeholder_is_filled_and_kept_above_the_marking() -> None:
    body = Placeholder("obj", 1, "Content", (inches(1), inches(1.7), inches(11), inches(5)),
                       "l")
    region = region_for(Layout("Title and Content", (TITLE, body, FOOTER)), W, H, **GRID,
                        floor=inches(6.5))
    assert region.slot == Slot("obj", 1)
    assert region.content == Box(inches(1), inches(1.7), inches(11),
                                 inches(6.45) - inches(1.7))
    assert region.footer_top == inches(6.5)


def test_cover_placeholders_and_alignment() -> None:
    centre = Placeholder("ctrTitle", 0, "Title", (inches(1), inches(2), inches(11), inches(1.5)),
                         "ctr")
    sub = Placeholder("subTitle", 1, "Subtitle", (inches(2), inches(3.6), inches(9), inches(1.5)),
                      "ctr")
    layout = Layout("Title Slide", (centre, sub))
    cover = region_for(layout, W, H, **GRID, cover=True)
    assert cover.slot == Slot("subTitle", 1)
    assert (cover.title_align, cover.content_align) == ("center", "center")
    # a content slide on it does not write into the subtitle
    assert region_for(layout, W, H, **GRID).slot is None


def test_the_marking_goes_below_the_footer_when_there_is_room_else_above() -> None:
    low = Template("t.pptx", W, H, (Layout("A", (TITLE, FOOTER)),))
    top, bottom = markings(W, H, inches(0.6), inches(0.42), low)
    assert bottom.y == inches(6.9) - inches(0.3)  # 0.2 in below the footer: too little
    assert top.y == inches(0.04)
    high = Placeholder("ftr", 11, "Footer", (inches(4), inches(6.5), inches(5), inches(0.4)))
    _, bottom = markings(W, H, inches(0.6), inches(0.42),
                         Template("t.pptx", W, H, (Layout("B", (high,)),)))
    assert (bottom.y, bottom.bottom) == (inches(6.9), H)
