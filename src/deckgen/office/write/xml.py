"""The few OOXML edits python-pptx has no API for, each in one named, documented place."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from pptx.util import Pt

from deckgen.layout.plan import Align, Paragraph, inches
from deckgen.office.read.ns import A, P
from deckgen.office.write.internals import run_xml, xml_of


def set_alt_text(shape: Any, text: str) -> None:
    """Alt text lives in `p:cNvPr/@descr` of the shape (ECMA-376 19.3.1.12)."""
    c_nv_pr = xml_of(shape).xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", escape_ctrl(text))


def no_shadow(shape: Any) -> None:
    """Autoshapes inherit the theme's shadow through `p:style/a:effectRef`. PowerPoint honours an
    empty `a:effectLst` in spPr; LibreOffice needs the reference itself set to idx 0 (none)."""
    element = xml_of(shape)
    for ref in element.xpath("./p:style/a:effectRef"):
        ref.set("idx", "0")
    sp_pr = element.spPr
    if sp_pr.find(f"{A}effectLst") is None:
        effect = sp_pr.makeelement(f"{A}effectLst", {})
        # effectLst follows fill and line (a:ln) in spPr
        ln = sp_pr.find(f"{A}ln")
        if ln is not None:
            ln.addnext(effect)
        else:
            sp_pr.append(effect)


def set_run_style(run: Any, font: str, size: float, bold: bool, italic: bool,
                  color: str) -> None:
    """Font, size, weight, slant and colour of a run, written straight into `a:rPr`
    (CT_TextCharacterProperties: `sz`, `b`, `i`, then `a:solidFill` before `a:latin`).

    The same result as setting python-pptx's `run.font` properties one by one, several times
    faster: a deck sets this on every run, and it was most of the time spent writing."""
    _style(run_xml(run).get_or_add_rPr(), font, size, bold, italic, color)


def _style(r_pr: Any, font: str, size: float, bold: bool, italic: bool, color: str) -> None:
    """Fill `a:rPr` (empty, or a run's own, whose children it replaces)."""
    r_pr.set("sz", str(int(round(size * 100))))
    r_pr.set("b", "1" if bold else "0")
    r_pr.set("i", "1" if italic else "0")
    for child in list(r_pr):
        r_pr.remove(child)
    solid = etree.SubElement(r_pr, f"{A}solidFill")
    etree.SubElement(solid, f"{A}srgbClr", val=color)
    etree.SubElement(r_pr, f"{A}latin", typeface=font)


BULLET_STEP = inches(0.45)  # each level of a list indents this much more
BULLET_HANG = inches(0.3)  # the bullet hangs this far left of its text
_ALGN: dict[Align, str] = {"left": "l", "center": "ctr", "right": "r"}


def fill_paragraph(p: Any, par: Paragraph, font: str) -> None:
    """A paragraph's alignment, spacing, bullet or indent and its runs (with line breaks),
    written straight into a new `a:p` (empty, or with the `a:pPr` an autoshape starts with):
    the same XML as python-pptx's paragraph and run properties (`a:pPr` children in schema
    order: lnSpc, spcBef, buFont, buChar), several times faster. tests/unit/test_writer.py
    holds the two to the same bytes."""
    p_pr = p.find(f"{A}pPr")
    if p_pr is None:
        p_pr = etree.SubElement(p, f"{A}pPr")
    p_pr.set("algn", _ALGN[par.align])
    if par.line_spacing != 1.0:
        spacing = etree.SubElement(p_pr, f"{A}lnSpc")
        etree.SubElement(spacing, f"{A}spcPct", val=str(int(round(par.line_spacing * 1e5))))
    if par.space_before:
        before = etree.SubElement(p_pr, f"{A}spcBef")
        etree.SubElement(before, f"{A}spcPts", val=str(Pt(par.space_before).centipoints))
    if par.bullet:
        p_pr.set("marL", str(par.level * BULLET_STEP + BULLET_HANG))
        p_pr.set("indent", str(-BULLET_HANG))
        etree.SubElement(p_pr, f"{A}buFont", typeface=font)
        etree.SubElement(p_pr, f"{A}buChar", char=par.bullet)
    elif par.level:
        p_pr.set("marL", str(par.level * BULLET_STEP))
    for r in par.runs:
        for k, piece in enumerate(r.text.split("\n")):
            if k:
                etree.SubElement(p, f"{A}br")
            if piece:
                _run(p, piece, font, r.size or par.size, r.bold or par.bold, r.italic,
                     r.color or par.color, r.field)


#: The identity PowerPoint gives the slide-number field; any fixed GUID serves, and a fixed one
#: keeps the bytes reproducible.
SLIDENUM_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def _run(p: Any, text: str, font: str, size: float, bold: bool, italic: bool,
         color: str, field: str = "") -> None:
    run = etree.SubElement(p, f"{A}fld" if field else f"{A}r")
    if field:
        run.set("id", SLIDENUM_ID)
        run.set("type", field)
    _style(etree.SubElement(run, f"{A}rPr"), font, size, bold, italic, color)
    etree.SubElement(run, f"{A}t").text = escape_ctrl(text)


def fill_cell(tc: Any, text: str, align: Align, size: float, bold: bool, color: str, fill: str,
              font: str, margins: tuple[int, int]) -> None:
    """One table cell's text, alignment, fill, margins and middle anchoring, written straight
    into the empty `a:tc` python-pptx's add_table makes: the same XML as setting the cell's
    fill, margins, anchor, word wrap, paragraph alignment and run through python-pptx, ten
    times faster (a table sets them on every cell). tests/unit/test_writer.py holds the two
    to the same bytes."""
    tc_pr = tc.find(f"{A}tcPr")
    solid = etree.SubElement(tc_pr, f"{A}solidFill")
    etree.SubElement(solid, f"{A}srgbClr", val=fill)
    vertical, side = (str(m) for m in margins)
    for name, value in (("marT", vertical), ("marB", vertical), ("marL", side), ("marR", side),
                        ("anchor", "ctr")):
        tc_pr.set(name, value)
    body = tc.find(f"{A}txBody")
    body.find(f"{A}bodyPr").set("wrap", "square")
    p = body.find(f"{A}p")
    etree.SubElement(p, f"{A}pPr", algn=_ALGN[align])
    _run(p, text, font, size, bold, False, color)


_NON_VISUAL = (f"{P}nvSpPr", f"{P}nvPicPr", f"{P}nvGraphicFramePr")


def fill_placeholder(shape: Any, kind: str, idx: int) -> None:
    """Make a shape deckgen drew fill the layout's placeholder of type `kind` and index `idx`:
    a `p:ph` first in its `p:nvPr` (the type left out for a content placeholder, `obj`, the
    default), and no `txBox` on its `p:cNvSpPr` (a placeholder is not a text box). The shape
    keeps its own place (`a:xfrm`); each paragraph of its text states its spacing
    (`a:lnSpc`, `a:spcBef`, `a:spcAft`), indent and bullet (`a:buNone`), which it would
    otherwise inherit from the master's text styles (`p:txStyles`) and so differ from the
    text deckgen measured."""
    nv = next(child for child in shape if child.tag in _NON_VISUAL)
    nv[1].attrib.pop("txBox", None)
    ph = etree.Element(f"{P}ph")
    if kind != "obj":
        ph.set("type", kind)
    ph.set("idx", str(idx))
    nv.find(f"{P}nvPr").insert(0, ph)
    for p_pr in _paragraph_properties(shape):
        names = [etree.QName(child).localname for child in p_pr]
        p_pr.set("marL", p_pr.get("marL", "0"))
        p_pr.set("indent", p_pr.get("indent", "0"))
        if "lnSpc" not in names:
            spacing = etree.Element(f"{A}lnSpc")
            etree.SubElement(spacing, f"{A}spcPct", val="100000")
            p_pr.insert(0, spacing)
        for at, name in ((1, "spcBef"), (2, "spcAft")):
            if name not in names:
                space = etree.Element(f"{A}{name}")
                etree.SubElement(space, f"{A}spcPts", val="0")
                p_pr.insert(at, space)
        if "buChar" not in names:
            etree.SubElement(p_pr, f"{A}buNone")


def _paragraph_properties(shape: Any) -> list[Any]:
    """The `a:pPr` of every paragraph of a shape's text (`p:txBody`), made where missing."""
    body = shape.find(f"{P}txBody")
    out = []
    for p in body.iter(f"{A}p") if body is not None else []:
        p_pr = p.find(f"{A}pPr")
        if p_pr is None:
            p_pr = etree.Element(f"{A}pPr")
            p.insert(0, p_pr)
        out.append(p_pr)
    return out


def escape_ctrl(text: str) -> str:
    """Text as OOXML can hold it: control characters (but tab and line feed) escaped the way
    OOXML writes them ('_x0007_'), as python-pptx does for run text, and `storable`."""
    return storable(_CTRL.sub(lambda m: "_x%04X_" % ord(m.group(1)), text))


def storable(text: str) -> str:
    """Text without the characters no XML can hold, which lxml refuses (an outline can write
    them as YAML escapes): U+FFFE and U+FFFF escaped ('_xFFFE_'), a lone surrogate replaced by
    U+FFFD. python-pptx's own text setters escape control characters themselves."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m.group() < "\ue000" else
                           "_x%04X_" % ord(m.group()), text)


_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")
_UNSTORABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
