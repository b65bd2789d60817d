"""Six templates as organisations make them, made with python-pptx for the template corpus
(tests/e2e/test_template_corpus.py) and the render check's tests: each is a case where a
deck built on it went wrong (issue 28). None is any real organisation's.

- `dark-band`: a 16:9 template whose title layout has a band of the brand's own dark blue
  across its lower half (the title slide's lines and the bottom marking sit on it), and a
  teal ribbon across the top of every slide (where the top marking goes);
- `footer-band`: a teal band across the foot of every slide, with the organisation's name
  written on the master where a footer goes, no footer placeholders, and a logo picture at
  the top right;
- `potx-43`: a 4:3 .potx with Office's theme (Calibri), as PowerPoint's own;
- `picture-bg`: a picture (a pale gradient) covering every slide, as a master background;
- `own-footer`: layouts whose date, footer and slide-number placeholders sit where the
  template wants them (the footer at the left, the date in the middle);
- `theme-font`: a theme whose fonts are DejaVu (not Arial), for a brand that names none.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Callable

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Inches, Pt

WIDE = (12192000, 6858000)
POTX = b"presentationml.template.main+xml"


def _widen(prs: Any) -> None:
    """python-pptx's 4:3 default made 16:9, every master and layout shape widened."""
    prs.slide_width, prs.slide_height = Emu(WIDE[0]), Emu(WIDE[1])
    master = prs.slide_master
    for part in (master, *master.slide_layouts):
        for off in part._element.iter(qn("a:off")):
            off.set("x", str(round(int(off.get("x")) * WIDE[0] / 9144000)))
        for ext in part._element.iter(qn("a:ext")):
            if ext.get("cx") is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * WIDE[0] / 9144000)))


def _shapes(part: Any) -> SlideShapes:
    return SlideShapes(part._element.cSld.spTree, part)


def _band(part: Any, x: float, y: float, w: float, h: float, rgb: str, name: str) -> Any:
    shape = _shapes(part).add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(w),
                                    Inches(h))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(rgb)
    shape.line.fill.background()
    # a template's shapes go behind the placeholders: first in the shape tree
    tree = part._element.cSld.spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)
    return shape


def _words(part: Any, x: float, y: float, w: float, h: float, text: str, rgb: str,
           size: float = 12) -> None:
    box = _shapes(part).add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    box.name = "Organisation name"
    box.text_frame.text = text
    run = box.text_frame.paragraphs[0].runs[0]
    run.font.size, run.font.bold = Pt(size), True
    run.font.color.rgb = RGBColor.from_string(rgb)


def _layout(prs: Any, name: str) -> Any:
    return next(lay for lay in prs.slide_master.slide_layouts if lay.name == name)


def dark_band(prs: Any) -> None:
    _widen(prs)
    _band(_layout(prs, "Title Slide"), 0, 4.0, 13.333, 3.5, "1B365D", "Title band")
    _band(prs.slide_master, 0, 0, 13.333, 0.32, "00707A", "Ribbon")


def footer_band(prs: Any) -> None:
    """The band is the template's own footer: it has no footer, date or number
    placeholders, and its name is written on the band where deckgen's footer would go."""
    _widen(prs)
    master = prs.slide_master
    for part in (master, *master.slide_layouts):
        for sp in list(part._element.cSld.spTree.iter(qn("p:sp"))):
            ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
            if ph is not None and ph.get("type") in ("dt", "ftr", "sldNum"):
                sp.getparent().remove(sp)
    _band(master, 0, 6.85, 13.333, 0.65, "00707A", "Footer band")
    _words(master, 0.3, 6.95, 2.6, 0.4, "NORTHSHIRE POLICE", "FFFFFF")
    logo = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 112, 122)).save(logo, "PNG")
    _shapes(master).add_picture(logo, Inches(12.4), Inches(0.15), Inches(0.6), Inches(0.6))


def potx_43(prs: Any) -> None:
    """PowerPoint's own 4:3 Office theme, as it is: nothing to add."""


def picture_bg(prs: Any) -> None:
    _widen(prs)
    picture = io.BytesIO()
    gradient = Image.linear_gradient("L").resize((320, 180)).point(lambda v: 236 + v // 16)
    Image.merge("RGB", (gradient, gradient, gradient.point(lambda v: v - 16))).save(picture,
                                                                                      "PNG")
    pic = _shapes(prs.slide_master).add_picture(picture, 0, 0, Emu(WIDE[0]), Emu(WIDE[1]))
    pic.name = "Background picture"
    tree = prs.slide_master._element.cSld.spTree
    tree.remove(pic._element)
    tree.insert(2, pic._element)


def own_footer(prs: Any) -> None:
    """The date, footer and slide number where this template puts them: the footer at the
    left, the date in the middle, the number at the right, on the master and every layout."""
    _widen(prs)
    places = {"ftr": (0.5, 6.95, 5.0), "dt": (5.9, 6.95, 2.8), "sldNum": (11.2, 6.95, 1.6)}
    for part in (prs.slide_master, *prs.slide_master.slide_layouts):
        for sp in part._element.cSld.spTree.iter(qn("p:sp")):
            ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
            if ph is None or ph.get("type") not in places:
                continue
            x, y, w = places[ph.get("type")]
            xfrm = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
            if xfrm is None:
                continue
            xfrm.find(qn("a:off")).set("x", str(Inches(x)))
            xfrm.find(qn("a:off")).set("y", str(Inches(y)))
            xfrm.find(qn("a:ext")).set("cx", str(Inches(w)))
            xfrm.find(qn("a:ext")).set("cy", str(Inches(0.4)))


def theme_font(prs: Any) -> None:
    _widen(prs)
    theme = next(rel.target_part for rel in prs.slide_master.part.rels.values()
                 if rel.reltype.endswith("/theme"))
    blob = theme.blob.replace(b'<a:latin typeface="Calibri"/>',
                              b'<a:latin typeface="DejaVu Sans"/>')
    theme._blob = blob


MAKERS: dict[str, Callable[[Any], None]] = {
    "dark-band": dark_band, "footer-band": footer_band, "potx-43": potx_43,
    "picture-bg": picture_bg, "own-footer": own_footer, "theme-font": theme_font}
#: each template's file name (the 4:3 one a .potx)
FILES = {name: f"{name}.potx" if name == "potx-43" else f"{name}.pptx" for name in MAKERS}


def make(name: str, folder: Path) -> Path:
    """The corpus template `name`, written into `folder`."""
    prs = Presentation()
    MAKERS[name](prs)
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    path = folder / FILES[name]
    if path.suffix == ".potx":
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                blob = source.read(info)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(b"presentationml.presentation.main+xml", POTX)
                target.writestr(info, blob)
        data = out.getvalue()
    path.write_bytes(data)
    return path
