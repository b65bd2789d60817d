"""`deckgen template inspect` shows what a build will use: the placeholder each role fills on
the layouts a build uses (issue 28: it said the title slide fills a small picture placeholder
while the build used the subtitle's), and warns of placeholders with no height and layouts
that leave no room for content."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches

from deckgen import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import templatecorpus  # noqa: E402


def _odd_template(path: Path) -> Path:
    """A 16:9 template whose title slide also has a small picture placeholder (an emblem),
    whose footer placeholder has no height, and a 'Banner' layout whose only text placeholder
    is a strip half an inch tall."""
    prs = Presentation()
    templatecorpus._widen(prs)
    title = templatecorpus._layout(prs, "Title Slide")
    copy = parse_xml(
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="90" name="Emblem"/><p:cNvSpPr/>'
        '<p:nvPr><p:ph type="pic" idx="13"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="{Inches(11)}" y="{Inches(0.3)}"/><a:ext cx="{Inches(1.5)}" '
        f'cy="{Inches(1.5)}"/></a:xfrm></p:spPr></p:sp>')
    title._element.cSld.spTree.append(copy)
    only = templatecorpus._layout(prs, "Title Only")
    for sp in only._element.cSld.spTree.iter(qn("p:sp")):
        ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is not None and ph.get("type") == "ftr":
            sp.find(qn("p:spPr")).insert(0, parse_xml(
                f'<a:xfrm {nsdecls("a")}><a:off x="{Inches(4.5)}" y="{Inches(6.9)}"/>'
                f'<a:ext cx="{Inches(4)}" cy="0"/></a:xfrm>'))
    blank = templatecorpus._layout(prs, "Blank")
    blank._element.cSld.set("name", "Banner")
    blank._element.cSld.spTree.append(parse_xml(  # its one text placeholder: a strip
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="91" name="Strapline"/><p:cNvSpPr/>'
        '<p:nvPr><p:ph type="body" idx="14"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="{Inches(1)}" y="{Inches(6.2)}"/><a:ext cx="{Inches(6)}" '
        f'cy="{Inches(0.5)}"/></a:xfrm></p:spPr></p:sp>'))
    prs.save(str(path))
    return path


def test_inspect_shows_each_roles_placeholder_and_warns_of_what_cannot_be_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _odd_template(tmp_path / "odd.pptx")
    assert cli.main(["template", "inspect", str(path)]) == 0
    captured = capsys.readouterr()
    out = captured.out  # the listing and its warnings
    # what the build uses on the title slide: the subtitle placeholder, not the emblem's
    assert "  Title Slide: fills its subTitle placeholder (idx 1)" in out, out
    assert ("  title slides on 'Title Slide': title -> ctrTitle (idx 0); lines -> subTitle "
            "(idx 1); footer -> ftr (idx 11); date -> dt (idx 10); slide number -> sldNum "
            "(idx 12)") in out, out
    assert "  content slides on 'Title Only': title -> title (idx 0); content -> the free " \
        "area; footer -> ftr (idx 11)" in out, out
    assert "warning: layout 'Title Only': placeholder 'Footer Placeholder 3' (ftr, idx 11) " \
        "has no height: nothing deckgen puts in it can be seen" in out, out
    assert "warning: layout 'Banner' cannot be used for a slide's content" in out, out
