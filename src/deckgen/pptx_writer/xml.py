"""The few OOXML edits python-pptx has no API for, each in one named, documented place."""

from __future__ import annotations

from typing import Any

from pptx.oxml.ns import qn
from pptx.util import Emu


def set_alt_text(shape: Any, text: str) -> None:
    """Alt text lives in `p:cNvPr/@descr` of the shape (ECMA-376 19.3.1.12)."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", text)


def set_bullet(paragraph: Any, char: str, margin: int, indent: int, font: str) -> None:
    """A bullet character with a hanging indent: `a:pPr@marL/@indent` plus `a:buFont`, `a:buChar`
    (ECMA-376 21.1.2.4). Text boxes have no bullets by default, so we add them explicitly."""
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(Emu(margin)))
    p_pr.set("indent", str(Emu(-indent)))
    for tag in ("a:buNone", "a:buAutoNum", "a:buChar", "a:buFont", "a:buBlip"):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    bu_font = p_pr.makeelement(qn("a:buFont"), {"typeface": font})
    bu_char = p_pr.makeelement(qn("a:buChar"), {"char": char})
    _insert_in_order(p_pr, bu_font)
    _insert_in_order(p_pr, bu_char)


def set_indent(paragraph: Any, margin: int) -> None:
    """A left margin without a bullet (`a:pPr@marL`)."""
    paragraph._p.get_or_add_pPr().set("marL", str(Emu(margin)))


# Children of a:pPr must come in schema order (CT_TextParagraphProperties).
_PPR_ORDER = ["a:lnSpc", "a:spcBef", "a:spcAft", "a:buClrTx", "a:buClr", "a:buSzTx", "a:buSzPct",
              "a:buSzPts", "a:buFontTx", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar",
              "a:buBlip", "a:tabLst", "a:defRPr", "a:extLst"]


def _insert_in_order(p_pr: Any, element: Any) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_PPR_ORDER)}
    mine = rank[element.tag]
    for i, child in enumerate(p_pr):
        if rank.get(child.tag, len(_PPR_ORDER)) > mine:
            p_pr.insert(i, element)
            return
    p_pr.append(element)


def no_shadow(shape: Any) -> None:
    """Autoshapes inherit the theme's shadow through `p:style/a:effectRef`. PowerPoint honours an
    empty `a:effectLst` in spPr; LibreOffice needs the reference itself set to idx 0 (none)."""
    for ref in shape._element.xpath("./p:style/a:effectRef"):
        ref.set("idx", "0")
    sp_pr = shape._element.spPr
    if sp_pr.find(qn("a:effectLst")) is None:
        effect = sp_pr.makeelement(qn("a:effectLst"), {})
        # effectLst follows fill and line (a:ln) in spPr
        ln = sp_pr.find(qn("a:ln"))
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
    r_pr = run._r.get_or_add_rPr()
    r_pr.set("sz", str(int(round(size * 100))))
    r_pr.set("b", "1" if bold else "0")
    r_pr.set("i", "1" if italic else "0")
    for child in list(r_pr):
        r_pr.remove(child)
    fill = r_pr.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": color}))
    r_pr.append(fill)
    r_pr.append(r_pr.makeelement(qn("a:latin"), {"typeface": font}))
