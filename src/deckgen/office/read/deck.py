"""A deck read back as a reader sees it (each slide's shapes, text, table cells, chart series,
notes) with deckgen's marks and record, from the package alone: lxml, no python-pptx.

A deck is read at two moments, and both must agree on what a shape says. When deckgen writes a
deck, office/write/marks.py digests each shape it drew with `shape_view` below; when it reads
last month's deck back (`build --keep-edits`) or compares two decks (`diff`), the same function
digests each shape again. The digests are over what a reader sees (paragraphs, cells, series
values), never over the XML's bytes: LibreOffice saves an untouched slide with other XML,
rounds every position to 1/100 mm (360 EMU) and renames placeholders ("PlaceHolder 1").

What survives a person's editing (checked by opening and saving in LibreOffice, see
tests/e2e/test_keep_edits.py): a shape's name (`p:cNvPr/@name`) on every shape but
placeholders, which keep their `p:ph` type and index instead; a hidden shape (`@hidden`); a
custom XML part. What LibreOffice drops: a slide's `p:cSld/@name`, `p:extLst` extensions with
our own URI (on a slide or a shape), `p:cNvPr/@title`. So a slide carries a hidden shape named
`deckgen N OUTLINE` (its MARK), a shape is known by its name (placeholders by `p:ph`) within
its slide, and the build's record (what deckgen wrote: each slide's key in the outline, each
shape's digest, place and fill) is a custom XML part (ECMA-376 Part 1, 15.2.4, "Custom XML
Data Storage Part; PowerPoint's object model reads and writes them as the presentation's
CustomXMLParts, and its shapes' Name and Visible: learn.microsoft.com/office/vba/api/
powerpoint.presentation.customxmlparts, .../powerpoint.shape.name, .../powerpoint.shape.visible).

The package is read like a template (office/read/package.py): within bounds, no DOCTYPE or
entities, external links, OLE objects, ActiveX and macros dropped; its slides are kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from lxml import etree

from deckgen.office.read.ns import A, C, P, R
from deckgen.office.read.package import (
    PPTX_MAIN,
    Package,
    PackageError,
    clean,
    open_package,
)

#: The namespace of deckgen's record part (customXml/itemN.xml): its root is `RECORD`, whose
#: text is the record as JSON.
RECORD_NS = "urn:deckgen:record:1"
RECORD = f"{{{RECORD_NS}}}record"
#: The name of the hidden shape that marks a slide deckgen wrote: its number in that build, and
#: the first characters of the outline's identity (so a slide pasted in from another outline's
#: deck is not taken for one of this outline's).
MARK = "deckgen {number} {outline}"
_MARK = re.compile(r"^deckgen (\d+) ([0-9a-f]{8})$")
#: How far LibreOffice may move a shape by rounding its place to 1/100 mm (twice 360 EMU).
TOLERANCE = 720
_SHAPES = {f"{P}sp", f"{P}pic", f"{P}graphicFrame", f"{P}grpSp", f"{P}cxnSp"}
_TABLE = f"{A}tbl"
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


@dataclass
class ShapeView:
    """One shape of a slide as a reader sees it."""

    element: etree._Element  # the shape's XML: p:sp, p:pic, p:graphicFrame, p:grpSp, p:cxnSp
    name: str
    kind: str  # text, table, chart, picture, line, group, other
    id: str = ""  # its p:cNvPr id, unique on its slide
    placeholder: str = ""  # its p:ph type ('' when not a placeholder); 'body' when untyped
    hidden: bool = False
    paragraphs: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    series: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    fill: str = ""  # its solid fill, rrggbb lower case ('' none or not solid)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def says(self) -> Any:
        """What the shape says: its text, table cells or chart series."""
        if self.kind == "table":
            return self.cells
        if self.kind == "chart":
            return [list(s) for s in self.series]
        return self.paragraphs

    @property
    def digest(self) -> str:
        return digest([self.kind, self.says()])

    def moved(self, box: list[int]) -> bool:
        """Whether it is placed or sized otherwise than `box`, beyond LibreOffice's rounding."""
        return any(abs(a - b) > TOLERANCE for a, b in zip(self.box, box))


@dataclass
class SlideView:
    part: str  # the slide's part name, e.g. ppt/slides/slide3.xml
    layout: str  # the name of its layout
    shapes: list[ShapeView]
    notes: str
    mark: Optional[tuple[int, str]] = None  # (its number in deckgen's build, outline prefix)

    @property
    def title(self) -> str:
        shape = self.title_shape
        return shape.text if shape is not None else ""

    @property
    def title_shape(self) -> Optional[ShapeView]:
        return next((s for s in self.shapes if s.placeholder in ("title", "ctrTitle")),
                    next((s for s in self.shapes if s.name == "Title"), None))

    def visible(self) -> list[ShapeView]:
        """Its shapes but deckgen's hidden mark."""
        return [s for s in self.shapes if not (s.hidden and _MARK.match(s.name))]


@dataclass
class DeckView:
    package: Package
    slides: list[SlideView]
    record: Optional[dict[str, Any]]  # deckgen's record, None: not a deck deckgen wrote
    dropped: list[str] = field(default_factory=list)  # what cleaning took out, in words


def digest(value: Any) -> str:
    """A short digest of a JSON-able value."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_deck(raw: bytes) -> DeckView:
    """The deck in `raw`; a PackageError (or NotAPackage) in a user's words when it is not a
    PowerPoint presentation that can be read within bounds."""
    package = open_package(raw)
    main = next((package.target("", rel) for rel in package.rels("")
                 if rel.get("Type", "").endswith("/officeDocument")), None)
    if main is None or package.content_type(main) != PPTX_MAIN:
        raise PackageError("it is not a PowerPoint presentation (.pptx)")
    dropped = clean(package, main, keep_slides=True)
    slides = []
    for sld_id in package.xml(main).iter(f"{P}sldId"):
        rel = next((r for r in package.rels(main) if r.get("Id") == sld_id.get(f"{R}id")), None)
        if rel is None:
            raise PackageError(f"its slide list names a slide {main} does not relate to")
        slides.append(_slide(package, package.target(main, rel)))
    return DeckView(package, slides, _record(package), dropped)


def _record(package: Package) -> Optional[dict[str, Any]]:
    """deckgen's record: the custom XML part whose root is RECORD (wherever it is related
    from: LibreOffice relates it from another part than PowerPoint does)."""
    for name in package.parts:
        if not re.fullmatch(r"customXml/item\d+\.xml", name):
            continue
        root = package.xml(name)
        if root.tag == RECORD:
            try:
                found = json.loads(root.text or "")
            except ValueError:
                raise PackageError("its deckgen record is damaged") from None
            if not _well_formed(found):
                raise PackageError("its deckgen record is damaged")
            return dict(found)
    return None


#: The record's fields and their types: a record is read from a file someone hands us, so a
#: field of another type is a damaged record, never an exception further on.
_DECK: dict[str, type] = {"outline": str, "source": str, "title": str, "slides": list}
_SLIDE: dict[str, type] = {"n": int, "key": str, "title": str, "notes": str, "shapes": list}
_SHAPE: dict[str, type] = {"name": str, "ph": str, "kind": str, "digest": str, "box": list,
                           "fill": str}


def _typed(value: Any, fields: dict[str, type]) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), t) for k, t in fields.items())


def _well_formed(record: Any) -> bool:
    return _typed(record, _DECK) and all(
        _typed(slide, _SLIDE) and all(
            _typed(shape, _SHAPE) and len(shape["box"]) == 4
            and all(isinstance(v, int) for v in shape["box"]) for shape in slide["shapes"])
        for slide in record["slides"])


def _slide(package: Package, part: str) -> SlideView:
    root = package.xml(part)
    related = {r.get("Id"): r for r in package.rels(part)}
    layout, notes = "", ""
    for rel in related.values():
        kind, target = rel.get("Type", ""), package.target(part, rel)
        if kind.endswith("/slideLayout"):
            c_sld = package.xml(target).find(f"{P}cSld")
            layout = c_sld.get("name", "") if c_sld is not None else ""
        elif kind.endswith("/notesSlide"):
            notes = _notes(package.xml(target))

    def chart_of(element: etree._Element) -> Optional[etree._Element]:
        ref = element.find(f".//{C}chart")
        rel = related.get(ref.get(f"{R}id")) if ref is not None else None
        return package.xml(package.target(part, rel)) if rel is not None else None

    tree = root.find(f"{P}cSld/{P}spTree")
    shapes = [shape_view(el, chart_of(el)) for el in (tree if tree is not None else [])
              if el.tag in _SHAPES]
    view = SlideView(part, layout, shapes, notes)
    for shape in shapes:
        found = _MARK.match(shape.name) if shape.hidden else None
        if found:
            view.mark = (int(found.group(1)), found.group(2))
    return view


def uses(package: Package, part: str, element: etree._Element) -> dict[str, tuple[str, str]]:
    """The relationships an element of part `part` uses: {id: (type's last word, target
    part)}; an id the part does not relate is left out (nothing to carry)."""
    related = {r.get("Id"): r for r in package.rels(part)}
    out = {}
    for el in element.iter():
        for attr, value in el.attrib.items():
            rel = related.get(value) if str(attr).startswith(R) else None
            if rel is not None:
                out[value] = (rel.get("Type", "").rsplit("/", 1)[-1],
                              package.target(part, rel))
    return out


def _notes(root: etree._Element) -> str:
    """A notes page's text: its body placeholder's (where python-pptx and PowerPoint put it)."""
    for sp in root.iter(f"{P}sp"):
        ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
        if ph is not None and ph.get("type") == "body":
            return "\n".join(paragraphs(sp.find(f"{P}txBody"))).strip()
    return ""


def shape_view(element: etree._Element, chart: Optional[etree._Element] = None) -> ShapeView:
    """A shape (`p:sp`, `p:pic`, `p:graphicFrame`, `p:grpSp`, `p:cxnSp`) as a reader sees it;
    `chart`: the chart part's XML, for a chart's frame."""
    c_nv_pr = element.find(f"*/{P}cNvPr")
    name = c_nv_pr.get("name", "") if c_nv_pr is not None else ""
    hidden = c_nv_pr is not None and c_nv_pr.get("hidden") in ("1", "true")
    ph = element.find(f"*/{P}nvPr/{P}ph")
    view = ShapeView(element, name, _kind(element), c_nv_pr.get("id", "") if c_nv_pr is not None
                     else "", hidden=hidden,
                     placeholder="" if ph is None else ph.get("type", "body"),
                     box=_box(element), fill=_fill(element))
    if view.kind == "text":
        view.paragraphs = paragraphs(element.find(f"{P}txBody"))
    elif view.kind == "table":
        view.cells = [[ "\n".join(paragraphs(tc.find(f"{A}txBody"))) for tc in tr.iter(f"{A}tc")]
                      for tr in element.iter(f"{A}tr")]
    elif view.kind == "picture":  # its alt text: what a chart drawn as a picture shows
        view.paragraphs = [c_nv_pr.get("descr", "")] if c_nv_pr is not None else []
    elif view.kind == "chart" and chart is not None:
        view.series = chart_series(chart)
    elif view.kind == "group":
        view.paragraphs = [p for child in element if child.tag in _SHAPES
                           for p in shape_view(child).paragraphs]
    return view


def _kind(element: etree._Element) -> str:
    tag = etree.QName(element).localname
    if tag == "graphicFrame":
        if element.find(f".//{_TABLE}") is not None:
            return "table"
        data = element.find(f".//{A}graphicData")
        return "chart" if data is not None and data.get("uri") == _CHART_URI else "other"
    return {"sp": "text", "pic": "picture", "cxnSp": "line", "grpSp": "group"}[tag]


def _box(element: etree._Element) -> tuple[int, int, int, int]:
    xfrm = element.find(f"{P}xfrm")
    if xfrm is None:
        xfrm = element.find(f"*/{A}xfrm")
    off = xfrm.find(f"{A}off") if xfrm is not None else None
    ext = xfrm.find(f"{A}ext") if xfrm is not None else None
    if off is None or ext is None:
        return (0, 0, 0, 0)
    try:
        return (int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)),
                int(ext.get("cy", 0)))
    except ValueError:
        return (0, 0, 0, 0)


def _fill(element: etree._Element) -> str:
    colour = element.find(f"{P}spPr/{A}solidFill/{A}srgbClr")
    return colour.get("val", "").lower() if colour is not None else ""


def paragraphs(body: Optional[etree._Element]) -> list[str]:
    """A text body's paragraphs as text: runs and line breaks ('\\n'); a field PowerPoint
    keeps up to date (the slide number) as its type, so renumbering is not an edit; trailing
    spaces and trailing empty paragraphs left out (LibreOffice drops them)."""
    if body is None:
        return []
    out = []
    for p in body.iter(f"{A}p"):
        text = []
        for child in p:
            if child.tag == f"{A}r":
                text.append("".join(t.text or "" for t in child.iter(f"{A}t")))
            elif child.tag == f"{A}br":
                text.append("\n")
            elif child.tag == f"{A}fld":
                text.append("{" + child.get("type", "field") + "}")
        out.append("".join(text).rstrip())
    while out and not out[-1]:
        out.pop()
    return out


def chart_series(root: etree._Element) -> list[tuple[str, list[str], list[str]]]:
    """Each series of a chart part: its name, categories and values, as its caches hold them
    (what PowerPoint and LibreOffice draw, and update when the data is edited)."""
    def points(where: Optional[etree._Element]) -> list[str]:
        if where is None:
            return []
        found = sorted(((int(pt.get("idx", 0)), pt.findtext(f"{C}v") or "")
                        for pt in where.iter(f"{C}pt")), key=lambda p: p[0])
        return [_number(v) for _, v in found]

    out = []
    for ser in root.iter(f"{C}ser"):
        name = "".join(v.text or "" for v in ser.iterfind(f"{C}tx//{C}v"))
        out.append((name, points(ser.find(f"{C}cat")), points(ser.find(f"{C}val"))))
    return out


def _number(text: str) -> str:
    """A cached value as written: a number the same however it was written (LibreOffice
    writes 12 for 12.0)."""
    try:
        value = float(text)
    except ValueError:
        return text
    return repr(int(value)) if value.is_integer() else repr(value)
