"""What a person added to or changed in last month's deck, written into this month's.

The decisions (what is carried, what is only reported) are deckgen.edits'; this module only
does what it is told, on the new deck's bytes, copying XML from last month's package as
office/read/deck.py read and cleaned it (no external link, OLE object or macro reaches the new
deck). A copied shape's relationships are carried for pictures only: edits/carry.py reports
anything else a copied shape uses (a chart, a video) instead of asking for it. The record the
build wrote is left as it is: it says what deckgen generated this month, so next month an edit
carried over is still seen as a person's.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Union

from lxml import etree
from pptx import Presentation

from deckgen.office.read.deck import MARK, uses
from deckgen.office.read.ns import A, P, R
from deckgen.office.read.package import Package
from deckgen.office.write.internals import slide_id_list, xml_of


@dataclass(frozen=True)
class ReplaceBody:
    """Shape `shape_id` of new slide `slide` (1-based) takes `source`'s text body, or table."""

    slide: int
    shape_id: str
    source: etree._Element


@dataclass(frozen=True)
class AddShape:
    """A copy of `source` (a shape of LAST's part `part`) on new slide `slide`."""

    slide: int
    source: etree._Element
    part: str


@dataclass(frozen=True)
class SetNotes:
    slide: int
    text: str


@dataclass(frozen=True)
class AddSlide:
    """A copy of LAST's slide `part` (a person's), placed after the new deck's slide `after`
    (0: first); `layout`: the name of its layout; `source`: its XML."""

    part: str
    after: int
    layout: str
    source: etree._Element
    notes: str


Operation = Union[ReplaceBody, AddShape, SetNotes, AddSlide]
_BODIES = (f"{P}txBody", f"{A}graphic")
_LINKS = (f"{A}hlinkClick", f"{A}hlinkHover", f"{A}hlinkMouseOver")


def apply(new: bytes, last: Package, operations: list[Operation], when: dt.datetime) -> bytes:
    """`new` (a deck deckgen wrote) with the operations done, zipped as the writer zips."""
    from deckgen.office.write import zipped

    prs = Presentation(io.BytesIO(new))
    slides = list(prs.slides)  # the new deck's own, numbered as the operations number them
    added: list[tuple[int, Any]] = []
    for op in operations:
        if isinstance(op, ReplaceBody):
            _replace_body(slides[op.slide - 1], op)
        elif isinstance(op, AddShape):
            _add_shape(slides[op.slide - 1], op.source, last, op.part)
        elif isinstance(op, SetNotes):
            slides[op.slide - 1].notes_slide.notes_text_frame.text = op.text
        else:
            added.append((op.after, _add_slide(prs, op, last)))
    _place_slides(prs, slides, added)
    return zipped(prs, when)


def _replace_body(slide: Any, op: ReplaceBody) -> None:
    shape = next(xml_of(s) for s in slide.shapes if str(s.shape_id) == op.shape_id)
    for tag in _BODIES:
        old, new = shape.find(tag), op.source.find(tag)
        if old is not None and new is not None:
            body = _unlinked(copy.deepcopy(new))
            old.getparent().replace(old, body)


def _unlinked(element: etree._Element) -> etree._Element:
    """A copy's hyperlinks taken out: each names a relationship of LAST's part."""
    for link in list(element.iter(*_LINKS)):
        link.getparent().remove(link)
    return element


def _add_shape(slide: Any, source: etree._Element, last: Package, part: str) -> None:
    element = _unlinked(copy.deepcopy(source))
    related = uses(last, part, element)
    if any(kind != "image" for kind, _ in related.values()):
        return  # a chart, a video...: edits/carry.py reports it
    new_ids: dict[str, str] = {}
    for rid, (kind, target) in related.items():
        if kind == "image":
            _, new_ids[rid] = slide.part.get_or_add_image_part(io.BytesIO(last.parts[target]))
    for el in element.iter():
        for attr, value in list(el.attrib.items()):
            if str(attr).startswith(R) and value in new_ids:
                el.set(attr, new_ids[value])
    tree = xml_of(slide.shapes)
    top = max([int(c.get("id", "0")) for c in tree.iter(f"{P}cNvPr")
               if c.get("id", "").isdigit()] or [1])
    for n, c_nv_pr in enumerate(element.iter(f"{P}cNvPr"), start=1):
        c_nv_pr.set("id", str(top + n))
    marks = [s for s in tree if s.tag == f"{P}sp" and _is_mark(s)]
    if marks:  # before deckgen's hidden mark, which stays last
        marks[0].addprevious(element)
    else:
        tree.append(element)


def _is_mark(element: etree._Element) -> bool:
    c_nv_pr = element.find(f"*/{P}cNvPr")
    return c_nv_pr is not None and c_nv_pr.get("hidden") == "1" and \
        c_nv_pr.get("name", "").startswith(MARK.split(" ")[0] + " ")


def _add_slide(prs: Any, op: AddSlide, last: Package) -> Any:
    layouts = [lay for m in prs.slide_masters for lay in m.slide_layouts]
    layout = next((lay for lay in layouts if lay.name == op.layout),
                  next((lay for lay in layouts if lay.name == "Blank"), layouts[-1]))
    slide = prs.slides.add_slide(layout)
    tree = xml_of(slide.shapes)
    for placeholder in list(slide.placeholders):
        tree.remove(xml_of(placeholder))
    source_tree = op.source.find(f"{P}cSld/{P}spTree")
    for child in source_tree if source_tree is not None else []:
        if etree.QName(child).localname in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp") \
                and not _is_mark(child):
            _add_shape(slide, child, last, op.part)
    background = op.source.find(f"{P}cSld/{P}bg")
    if background is not None and not uses(last, op.part, background):
        xml_of(slide).find(f"{P}cSld").insert(0, copy.deepcopy(background))
    if op.source.get("showMasterSp") is not None:
        xml_of(slide).set("showMasterSp", op.source.get("showMasterSp", "1"))
    if op.notes:
        slide.notes_slide.notes_text_frame.text = op.notes
    return slide


def _place_slides(prs: Any, slides: list[Any], added: list[tuple[int, Any]]) -> None:
    """The slide list in order: each added slide after the new slide it followed in LAST."""
    ids = slide_id_list(prs)
    entries = {int(e.get("id")): e for e in ids}
    order: list[Any] = [s for after, s in added if after == 0]
    for number, slide in enumerate(slides, start=1):
        order.append(slide)
        order += [s for after, s in added if after == number]
    wanted = [entries[slide.slide_id] for slide in order]
    for entry in list(ids):
        ids.remove(entry)
    for entry in wanted:
        ids.append(entry)
