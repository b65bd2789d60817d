"""The deck's own slide master, made from the brand when there is no template.

python-pptx starts every deck from its default template: 11 Office layouts sized for a 4:3
slide, the Calibri "Office" theme, nothing of the brand. A slide added in PowerPoint with one of
those layouts was plain black Calibri, without the logo, the footer, the slide number or the
protective marking: a handling risk for OFFICIAL-SENSITIVE material. Here the master and its
layouts are fitted to the deck's slide size, the theme takes the brand's colours and fonts (so
PowerPoint's colour picker and "New Slide" show the brand), and the master carries the brand
frame (layout/frame.py `master_plan`), with the slide number as a field. deckgen's own slides
draw their frame themselves and hide the master's (`showMasterSp="0"`), so nothing shows twice.
"""

from __future__ import annotations

from typing import Any, Callable

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from deckgen.layout.plan import Element, MasterPlan
from deckgen.office.read.ns import A, P
from deckgen.office.read.template import layout_name_of
from deckgen.office.write.internals import master_shapes, xml_of

#: python-pptx's default template's slide: 10 in by 7.5 in.
_DEFAULT_W, _DEFAULT_H = 9144000, 6858000


class _Shapes:
    """What the element drawers need of a slide (`.shapes`), for the master's shape tree."""

    def __init__(self, master: Any) -> None:
        self.shapes = master_shapes(master)


def brand_master(prs: Any, plan: MasterPlan, width: int, height: int,
                 draw: Callable[[Any, Element], None]) -> None:
    """Fit the default master and layouts to `width` x `height`, give the theme the brand's
    colours and fonts, and put the brand frame on the master (drawn by `draw`)."""
    size = xml_of(prs.part).find(f"{P}sldSz")
    if size is not None and "type" in size.attrib:  # 'screen4x3' no longer
        del size.attrib["type"]
    master = prs.slide_master
    for part in [master, *master.slide_layouts]:
        _scale(xml_of(part), width / _DEFAULT_W, height / _DEFAULT_H)
    _title(master, plan)
    theme = master.part.part_related_by(RT.THEME)
    theme.blob = _theme(theme.blob, plan)
    target = _Shapes(master)
    for element in plan.elements:
        draw(target, element)
    _renumber(xml_of(master).cSld.spTree)


def mark_masters(prs: Any, plan: MasterPlan, draw: Callable[[Any, Element], None]) -> None:
    """An organisation's template keeps its masters and layouts; the brand's protective
    marking (top and bottom) is added to each layout, in the colour that reads on it
    (layout/marks.py), so every slide shows it, a slide added in PowerPoint on any layout
    too. A layout the plan does not name (none, in a plan without them) takes the marking
    on its master."""
    marks = dict(plan.layout_marks)
    for master in prs.slide_masters:
        unmarked = False
        for layout in master.slide_layouts:
            own = marks.get(layout_name_of(layout.name, layout.part.partname))
            if own is None:
                unmarked = True
                continue
            target = _Shapes(layout)
            for element in own:
                draw(target, element)
            _renumber(xml_of(layout).cSld.spTree)
        if unmarked:
            target = _Shapes(master)
            for element in plan.elements:
                if element.name.startswith("Protective marking"):
                    draw(target, element)
            _renumber(xml_of(master).cSld.spTree)


def _scale(root: Any, sx: float, sy: float) -> None:
    """Every placed shape of a master or layout stretched to the new slide size."""
    for xfrm in root.iter(f"{A}xfrm"):
        off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
        for node, kx, ky in ((off, "x", "y"), (ext, "cx", "cy")):
            if node is not None:
                node.set(kx, str(round(int(node.get(kx)) * sx)))
                node.set(ky, str(round(int(node.get(ky)) * sy)))


def _title(master: Any, plan: MasterPlan) -> None:
    """The master's title where deckgen puts titles, left-aligned, in the heading font and
    the brand's primary colour, bold."""
    title = next(sh for sh in master.placeholders if sh.placeholder_format.type == 1)
    box = plan.title.box
    title.left, title.top, title.width, title.height = box.x, box.y, box.w, box.h
    style = xml_of(master).find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr")
    style.set("algn", "l")
    rpr = style.find(f"{A}defRPr")
    rpr.set("sz", str(int(plan.title.size * 100)))
    rpr.set("b", "1")
    fill = rpr.find(f"{A}solidFill")
    for child in list(fill):
        fill.remove(child)
    etree.SubElement(fill, f"{A}schemeClr", val="tx2")  # dk2: the brand's primary


def _theme(blob: bytes, plan: MasterPlan) -> bytes:
    """The theme with the brand's colours in their slots and its fonts as heading and body."""
    root = etree.fromstring(blob)
    root.set("name", plan.name)
    scheme = root.find(f".//{A}clrScheme")
    scheme.set("name", plan.name)
    for slot, colour in plan.colours:
        node = scheme.find(f"{A}{slot}")
        for child in list(node):
            node.remove(child)
        etree.SubElement(node, f"{A}srgbClr", val=colour)
    fonts = root.find(f".//{A}fontScheme")
    fonts.set("name", plan.name)
    for which, face in (("majorFont", plan.heading_font), ("minorFont", plan.body_font)):
        fonts.find(f"{A}{which}/{A}latin").set("typeface", face)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _renumber(tree: Any) -> None:
    """Shape ids the master's own sequence, small and unique (python-pptx counts from the
    layouts' ids, which are 2^31 and up)."""
    ids = [node for node in tree.iter(f"{P}cNvPr")]
    used = {int(n.get("id")) for n in ids if int(n.get("id")) < 2 ** 31}
    following = max(used, default=1) + 1
    for node in ids:
        if int(node.get("id")) >= 2 ** 31:
            node.set("id", str(following))
            following += 1


def hide_master_shapes(slide: Any) -> None:
    """A deckgen slide draws its own brand frame: the master's would show twice."""
    xml_of(slide).set("showMasterSp", "0")

