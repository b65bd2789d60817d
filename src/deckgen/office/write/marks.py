"""deckgen's marks and record in every deck it writes, so that next month's build can tell what
a person changed (`build --keep-edits`) and `diff` can match slides.

Each slide gets a hidden shape named `deckgen N OUTLINE` (office/read/deck.py says why that,
and not an extension element or the slide's name: LibreOffice drops those), placed last; and
the deck gets one custom XML part, the record: for each slide its key in the outline (the
slide's `id:`, else its number there; a slide a table continued onto adds "/2", "/3"), its
title, its notes' digest, and for each shape its name, placeholder, kind, digest (of what it
says, office/read/deck.py's `shape_view`), place and fill. Both are written from the deck as
drawn, after every slide is, and again in full after a redraw, so a redrawn deck is the same
bytes as a full build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI

from deckgen.office.read.deck import MARK, RECORD, RECORD_NS, digest, paragraphs, shape_view
from deckgen.office.read.ns import P
from deckgen.office.write.internals import chart_xml, xml_of

RECORD_PART = "/customXml/item1.xml"
PROPS_PART = "/customXml/itemProps1.xml"
PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
#: The record part's properties (ECMA-376 Part 1, 22.5): its own fixed GUID.
PROPS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ds:datastoreItem '
         b'ds:itemID="{5B0D0A7E-DEC6-4E27-9C27-DEC6E27ED175}" xmlns:ds="http://schemas.'
         b'openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef '
         b'ds:uri="urn:deckgen:record:1"/></ds:schemaRefs></ds:datastoreItem>')
#: The record's format: a reader refuses a record of a format it does not know.
FORMAT = 1


@dataclass(frozen=True)
class Identity:
    """What the record says a deck was built from: the outline (`outline`, a digest of its file
    name and its title as written, before variables are filled: the same every month), and
    each slide's key in it (`keys`, one per slide; empty: the slides' numbers)."""

    outline: str = ""
    source: str = ""  # the outline's file name, for messages
    title: str = ""  # the deck's title as written in the outline
    keys: list[str] = field(default_factory=list)


def identity_of(source: str, title: str, keys: list[str]) -> Identity:
    return Identity(digest([source, title]), source, title, keys)


def finish(prs: Any, identity: Identity, drawn: Optional[dict[int, Any]] = None) -> None:
    """Mark every slide of `prs` and (re)write the record; `drawn`: the slides a redraw drew
    anew, by number (python-pptx's own proxy of such a slide still holds the old XML)."""
    slides = []
    keys = identity.keys or [str(n) for n in range(1, len(prs.slides) + 1)]
    shown = [(drawn or {}).get(n, s) for n, s in enumerate(prs.slides, start=1)]
    for number, (slide, key) in enumerate(zip(shown, keys), start=1):
        slides.append(_slide_record(slide, number, key, identity.outline[:8]))
    record = {"format": FORMAT, "outline": identity.outline, "source": identity.source,
              "title": identity.title, "slides": slides}
    root = etree.Element(RECORD, nsmap={None: RECORD_NS})
    # ASCII: a title may hold characters no XML can (control characters, U+FFFE); JSON
    # escapes them, and they come back as they were
    root.text = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML and str(rel.target_part.partname) == RECORD_PART:
            prs.part.drop_rel(rid)
    part = Part(PackURI(RECORD_PART), "application/xml", prs.part.package, blob)
    # its properties part: without one, LibreOffice drops the custom XML part when it saves
    props = Part(PackURI(PROPS_PART), PROPS_TYPE, prs.part.package, PROPS)
    part.relate_to(props, RT.CUSTOM_XML_PROPS)
    prs.part.relate_to(part, RT.CUSTOM_XML)


def previous_identity(prs: Any) -> Optional[Identity]:
    """The identity the record of a deck deckgen wrote says (for a redraw), None without one."""
    for rel in prs.part.rels.values():
        if rel.reltype == RT.CUSTOM_XML and str(rel.target_part.partname) == RECORD_PART:
            found = json.loads(etree.fromstring(rel.target_part.blob).text or "{}")
            return Identity(found.get("outline", ""), found.get("source", ""),
                            found.get("title", ""), [s["key"] for s in found["slides"]])
    return None


def _slide_record(slide: Any, number: int, key: str, outline: str) -> dict[str, Any]:
    tree = xml_of(slide.shapes)
    for shape in list(slide.shapes):  # a redraw's previous mark: written anew, last
        if shape.name.startswith("deckgen ") and _is_mark(shape):
            tree.remove(xml_of(shape))
    shapes = []
    for shape in slide.shapes:
        view = shape_view(xml_of(shape), chart_xml(shape.chart) if shape.has_chart else None)
        shapes.append({"name": view.name, "ph": view.placeholder, "kind": view.kind,
                       "digest": view.digest, "box": list(view.box), "fill": view.fill})
    title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
    notes = ""
    if slide.has_notes_slide:
        notes = "\n".join(paragraphs(xml_of(slide.notes_slide.notes_text_frame))).strip()
    mark = slide.shapes.add_textbox(0, 0, 0, 0)
    mark.name = MARK.format(number=number, outline=outline)
    xml_of(mark).find(f"*/{P}cNvPr").set("hidden", "1")
    return {"n": number, "key": key, "title": title, "layout": slide.slide_layout.name,
            "notes": digest(notes), "shapes": shapes}


def _is_mark(shape: Any) -> bool:
    return bool(xml_of(shape).find(f"*/{P}cNvPr").get("hidden") == "1")
