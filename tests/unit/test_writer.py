"""The writer's own package code, held to python-pptx: what it zips is what python-pptx saves."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from pptx import Presentation

from deckgen.plan import Box, Paragraph, Run, SlidePlan, TextBox, Title, inches
from deckgen.pptx_writer import DocInfo, _members, _zip, redraw, render

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
    ours = _members(prs)
    assert [name for name, _ in ours] == theirs.namelist()
    assert all(theirs.read(name) == data for name, data in ours)


def test_zip_fixes_every_timestamp_and_follows_the_order_given() -> None:
    data = _zip([("a.xml", b"<a/>"), ("b.xml", b"<b/>"), ("c.xml", b"<c/>")],
                dt.datetime(2016, 7, 7, 9, 30), order=["c.xml", "a.xml"])
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ["c.xml", "a.xml", "b.xml"]
    assert {i.date_time for i in infos} == {(2016, 7, 7, 9, 30, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o644}


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
