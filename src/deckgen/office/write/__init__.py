"""Write stage: slide plans -> a .pptx file, with python-pptx (deckgen.office: its one door).

The bytes are reproducible (fixed zip timestamps and document dates), so the same inputs give
the same deck; render/output.py writes them atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.exc import PythonPptxError
from pptx.util import Emu, Pt

from deckgen.errors import excerpt
from deckgen.layout.frame import TEXT_INSET_Y, side_inset
from deckgen.layout.plan import (
    CELL_MARGIN_Y_PT,
    EMU_PER_PT,
    Box,
    Connector,
    Element,
    MasterPlan,
    NativeChart,
    Picture,
    Rect,
    SlidePlan,
    Table,
    TextBox,
    Title,
    inches,
)
from deckgen.office.read.template import layout_name_of
from deckgen.office.write import native, xml
from deckgen.office.write.internals import (
    blank_slide,
    cell_xml,
    drop_slides,
    package_members,
    remove_shape,
    xml_of,
)
from deckgen.office.write.marks import Identity, finish, previous_identity
from deckgen.office.write.master import brand_master, hide_master_shapes, mark_masters
from deckgen.office.write.slides import SlideAppender
from deckgen.render.document import DocInfo

_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
_TITLE_ONLY = 5  # "Title Only" in python-pptx's default template


class UnusableTemplate(Exception):
    """python-pptx could not build on a template's masters and layouts: well-formed XML, but
    not as PowerPoint writes it (a placeholder type it does not know, an id that is not a
    number...). The message says so in a user's words; app.py locates it at `template:`."""


#: What python-pptx raises on such a template, where it reads the template's XML.
_TEMPLATE_FAULTS = (PythonPptxError, KeyError, ValueError, AttributeError, TypeError,
                    IndexError)


def render(plans: Iterable[SlidePlan], info: DocInfo, width: int, height: int,
           master: Optional[MasterPlan] = None, template: Optional[bytes] = None,
           identity: Identity = Identity()) -> bytes:
    """The presentation as .pptx bytes: on an organisation's `template` (a .pptx's bytes: its
    masters, layouts and theme; its own slides left out), each slide on the layout its plan
    names; else with `master`, on a slide master of the brand (master.py). Every slide is
    marked and the deck's record written (marks.py), with `identity`."""
    def draw(target: Any, element: Element) -> None:
        _element(target, element, info.font, info.when)

    if template:
        with _reading_template():
            prs = Presentation(io.BytesIO(template))
            drop_slides(prs)
            if master is not None:
                mark_masters(prs, master, draw)
            layouts = {layout_name_of(lay.name, lay.part.partname): lay
                       for m in prs.slide_masters for lay in m.slide_layouts}
    else:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Emu(width), Emu(height)
        if master is not None:
            brand_master(prs, master, width, height, draw)
    slides = SlideAppender(prs)
    for plan in plans:
        if template:
            with _reading_template():
                slide = slides.add(layouts[plan.layout])
                # what _title reads of the placeholders the layout gave the slide
                _ = slide.shapes.title, [(p.placeholder_format.type, p.shape_id)
                                         for p in slide.placeholders]
        else:
            slide = slides.add(prs.slide_layouts[_TITLE_ONLY])
            if master is not None:
                hide_master_shapes(slide)
        _draw(slide, plan, info.font, info.heading_font, info.when)
    finish(prs, identity)
    core = prs.core_properties
    author = _property(info.author)
    core.title, core.subject = _property(info.title), _property(info.subject)
    core.author = core.last_modified_by = author
    core.created = core.modified = info.when.replace(tzinfo=None)
    core.last_printed = info.when.replace(tzinfo=None)
    core.revision = 1
    return _zip(package_members(prs), info.when)


@contextmanager
def _reading_template() -> Iterator[None]:
    """Where python-pptx reads a template's XML, what it raises is an UnusableTemplate."""
    try:
        yield
    except _TEMPLATE_FAULTS as exc:
        raise UnusableTemplate(f"deckgen cannot build on its masters and layouts "
                               f"({type(exc).__name__}: {excerpt(str(exc), 100)}); open it in "
                               "PowerPoint and save it again") from None


#: Characters a document property holds (python-pptx refuses more, as Office truncates them).
_PROPERTY_CHARS = 255


def _property(text: str) -> str:
    """A document property (title, subject, author): file metadata, not what a slide shows, so
    a long title is cut to what the property holds (the title slide shows it whole)."""
    value = xml.escape_ctrl(text)
    if len(value) <= _PROPERTY_CHARS:
        return value
    return value[:_PROPERTY_CHARS - 3].rstrip() + "..."


def redraw(previous: bytes, plans: Mapping[int, SlidePlan], info: DocInfo) -> bytes:
    """`previous` (a deck this module wrote) with the slides numbered in `plans` drawn anew.

    Each slide keeps its part, relationships and notes page: the caller makes sure the new plan
    shows the same pictures in the same order and has notes exactly when the old slide had,
    which makes the result the same bytes as writing the whole deck again.
    """
    prs = Presentation(io.BytesIO(previous))
    drawn = {}
    for number, plan in plans.items():
        part = prs.slides[number - 1].part
        slide, hidden = blank_slide(part)
        drawn[number] = slide  # a blank slide, as add_slide starts from
        if hidden:
            hide_master_shapes(slide)
        slide.shapes.clone_layout_placeholders(part.slide_layout)
        _draw(slide, plan, info.font, info.heading_font, info.when)
    finish(prs, previous_identity(prs) or Identity(), drawn)
    names = zipfile.ZipFile(io.BytesIO(previous)).namelist()
    return _zip(package_members(prs), info.when, order=names)


def read_back(data: bytes) -> list[tuple[str, str, str]]:
    """Each slide of a deck as the live preview lists it: its title, its speaker notes, and a
    digest of what it shows (its XML, relationships and the parts they name: pictures,
    charts), which changes exactly when the slide's picture may."""
    import hashlib

    prs = Presentation(io.BytesIO(data))
    out = []
    for slide in prs.slides:
        part = slide.part
        digest = hashlib.sha256(part.blob)
        for rel in sorted(part.rels.values(), key=lambda r: r.rId):
            if not rel.is_external and "notesSlide" not in rel.reltype:
                digest.update(rel.target_part.blob)
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        out.append((title, notes, digest.hexdigest()[:16]))
    return out


def zipped(prs: Any, when: dt.datetime) -> bytes:
    """A presentation's bytes, zipped as `render` zips them (for office/write/carry.py)."""
    return _zip(package_members(prs), when)


def _zip(members: list[tuple[str, bytes]], when: dt.datetime, order: Sequence[str] = ()) -> bytes:
    """The members (internals.package_members: the files as python-pptx's own save writes
    them) zipped with every timestamp set to `when`, so that each is compressed once, in
    `order` (the names it gives, then the rest as they come). Pictures, compressed already,
    are stored as they are: deflating them again costs time and saves almost nothing."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    rank = {name: i for i, name in enumerate(order)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in sorted(members, key=lambda m: rank.get(m[0], len(rank))):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = (zipfile.ZIP_STORED if name.lower().endswith(_COMPRESSED)
                                  else zipfile.ZIP_DEFLATED)
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()


_COMPRESSED = (".png", ".jpeg", ".jpg", ".gif")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)  # type: ignore[no-untyped-call,no-any-return]


def _draw(slide: Any, plan: SlidePlan, font: str, heading_font: str, when: dt.datetime) -> None:
    if plan.background:
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(plan.background)
    _title(slide, plan.title, heading_font)
    for element in plan.elements:
        _element(slide, element, font, when)
    if plan.notes:
        slide.notes_slide.notes_text_frame.text = xml.storable(plan.notes)


def _element(slide: Any, element: Element, font: str, when: dt.datetime) -> None:
    if isinstance(element, Rect):
        _rect(slide, element)
        return
    if isinstance(element, Connector):
        _connector(slide, element)
        return
    if isinstance(element, TextBox):
        shape = _textbox(slide, element, font)
    elif isinstance(element, Table):
        shape = _table(slide, element, font)
    elif isinstance(element, Picture):
        shape = _picture(slide, element)
    elif isinstance(element, NativeChart):
        shape = native.add(slide, element, font, when)
    else:  # pragma: no cover - the plan types are closed
        raise TypeError(f"unknown element {element!r}")
    if element.slot is not None:
        xml.fill_placeholder(xml_of(shape), element.slot.type, element.slot.idx)


def _place(shape: Any, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = (Emu(box.x), Emu(box.y), Emu(box.w),
                                                        Emu(box.h))


def _title(slide: Any, title: Title, font: str) -> None:
    """The slide's title in its layout's title placeholder (a text box where the layout has
    none), placed where deckgen laid it out; the layout's other placeholders, which deckgen
    does not fill, are removed (empty, they would show "Click to add text")."""
    shape = slide.shapes.title
    for placeholder in list(slide.placeholders):
        if shape is None or placeholder.shape_id != shape.shape_id:
            remove_shape(placeholder)
    if shape is None:
        shape = slide.shapes.add_textbox(title.box.x, title.box.y, title.box.w, title.box.h)
        shape.name = "Title"
    _place(shape, title.box)
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = _ANCHOR[title.anchor]
    tf.margin_left = tf.margin_right = 0
    tf.text = xml.storable(title.text)
    for p in tf.paragraphs:
        p.alignment = _ALIGN[title.align]
        for run in p.runs:
            xml.set_run_style(run, font, title.size, True, False, title.color)


def _rect(slide: Any, rect: Rect) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, rect.box.x, rect.box.y, rect.box.w,
                                   rect.box.h)
    shape.name = xml.escape_ctrl(rect.name)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(rect.fill)
    shape.line.fill.background()
    xml.no_shadow(shape)


def _textbox(slide: Any, box: TextBox, font: str) -> Any:
    b = box.box
    if box.drawn:
        kind = MSO_SHAPE.ROUNDED_RECTANGLE if box.shape == "rounded" else MSO_SHAPE.RECTANGLE
        shape = slide.shapes.add_shape(kind, b.x, b.y, b.w, b.h)
        if box.fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = _rgb(box.fill)
        else:
            shape.fill.background()
        if box.line:
            shape.line.color.rgb = _rgb(box.line)
        else:
            shape.line.fill.background()
        if box.shape == "rounded":
            shape.adjustments[0] = 0.12
        xml.no_shadow(shape)
    else:
        shape = slide.shapes.add_textbox(b.x, b.y, b.w, b.h)
    shape.name = xml.escape_ctrl(box.name)
    tf = shape.text_frame
    tf.word_wrap = box.wrap
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = _ANCHOR[box.anchor]
    tf.margin_left = tf.margin_right = Emu(box.margin + side_inset(box.drawn))
    tf.margin_top = tf.margin_bottom = Emu(box.margin + TEXT_INSET_Y)
    for i, par in enumerate(box.paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        xml.fill_paragraph(xml_of(p), par, font)
    return shape


def _table(slide: Any, table: Table, font: str) -> Any:
    b = table.box
    n_rows, n_cols = len(table.rows), len(table.col_widths)
    frame = slide.shapes.add_table(n_rows, n_cols, b.x, b.y, b.w, b.h)
    frame.name = xml.escape_ctrl(table.name)
    t = frame.table
    t.first_row = True
    t.horz_banding = False
    for i, width in enumerate(table.col_widths):
        t.columns[i].width = Emu(width)
    margins = (int(CELL_MARGIN_Y_PT * EMU_PER_PT), inches(0.1))
    for r, row in enumerate(table.rows):
        t.rows[r].height = Emu(table.header_height if r == 0 and table.header_height
                               else table.row_height)
        for col, cell in enumerate(row):
            xml.fill_cell(cell_xml(t.cell(r, col)), cell.text, cell.align,
                          table.font_size, cell.bold, cell.color or "222222",
                          cell.fill or "FFFFFF", font, margins)
    return frame


def _picture(slide: Any, pic: Picture) -> Any:
    b = pic.box
    shape = slide.shapes.add_picture(io.BytesIO(pic.image), b.x, b.y, b.w, b.h)
    shape.name = xml.escape_ctrl(pic.name)
    xml.set_alt_text(shape, pic.alt)
    return shape


def _connector(slide: Any, line: Connector) -> None:
    shape = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, line.x1, line.y1, line.x2, line.y2)
    shape.name = xml.escape_ctrl(line.name)
    shape.line.color.rgb = _rgb(line.color)
    shape.line.width = Pt(line.width_pt)
