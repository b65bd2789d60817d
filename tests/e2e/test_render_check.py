"""`deckgen check --render`: the deck rendered by LibreOffice, and what was drawn checked
(render/drawn.py): words that overprint, words that can hardly be seen, words off the slide.

The finders are tested on words and pixels made here (fast, no LibreOffice); one deck whose
template writes its own text where deckgen puts the title, in a colour deckgen's text cannot
be seen on, is rendered to show the command finds both; and the command says plainly that it
skipped the render where LibreOffice is missing."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from deckgen import cli
from deckgen.render import drawn
from deckgen.render.drawn import Page, Word

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import templatecorpus  # noqa: E402

RENDERS = not drawn.tools()


def test_words_drawn_over_each_other_are_found_once() -> None:
    words = [Word("All", 50, 100, 70, 112), Word("districts", 74, 100, 120, 112),
             Word("significant", 60, 102, 110, 114),  # the footnote, grown into the row
             Word("Total", 50, 200, 80, 212)]
    assert drawn.overprinted(words) == ["'All' and 'significant' are drawn over each other",
                                        "'districts' and 'significant' are drawn over each "
                                        "other"]
    # words side by side, and a large figure's line box over the caption below it, are not
    assert drawn.overprinted([Word("0.05", 0, 0, 80, 60), Word("Crimes", 0, 52, 40, 64),
                              Word("per", 42, 52, 60, 64)]) == []


def test_words_off_the_slide_are_found() -> None:
    page = Page(720, 540, (Word("inside", 10, 10, 60, 22), Word("beyond", 700, 500, 760, 512),
                           Word("below", 10, 535, 50, 548)))
    assert drawn.outside(page) == ["'beyond' is drawn outside the slide",
                                   "'below' is drawn outside the slide"]


def test_words_that_can_hardly_be_seen_are_found_with_their_colours() -> None:
    """Blue on the same blue (issue 28's dark band), and grey on teal; dark on white is fine."""
    img = Image.new("RGB", (720, 540), "white")
    img.paste((0x1B, 0x36, 0x5D), (0, 270, 720, 540))  # the band
    img.paste((0x00, 0x70, 0x7A), (0, 500, 720, 540))  # a teal footer band over it
    ink = Image.new("RGB", (30, 8), (0x1B, 0x36, 0x5D))
    img.paste(ink, (105, 302))  # a word's strokes, in the band's own blue
    img.paste(Image.new("RGB", (30, 8), (0x5F, 0x6B, 0x7A)), (105, 522))
    img.paste(Image.new("RGB", (30, 8), (0x22, 0x22, 0x22)), (105, 102))
    page = Page(720, 540, (Word("Southend", 100, 298, 140, 314), Word("7th", 144, 298, 160, 314),
                           Word("OFFICIAL", 100, 518, 140, 534),
                           Word("Readable", 100, 98, 140, 114)))
    found = drawn.faint(page, img)
    assert found == [
        "'Southend 7th' can hardly be seen: #1B365D on #1B365D, a contrast of 1.0:1 (at least "
        "3:1 is needed)",
        "'OFFICIAL' can hardly be seen: #5F6B7A on #00707A, a contrast of 1.1:1 (at least 3:1 "
        "is needed)"]


def _clashing_template(folder: Path) -> Path:
    """The dark-band template with the organisation's own words written on its Title Only
    layout where the title goes."""
    prs = Presentation()
    templatecorpus.dark_band(prs)
    layout = next(lay for lay in prs.slide_master.slide_layouts if lay.name == "Title Only")
    shapes = templatecorpus._shapes(layout)
    box = shapes.add_textbox(Inches(0.7), Inches(0.45), Inches(11), Inches(1))
    box.text_frame.text = "DRAFT DRAFT DRAFT"
    run = box.text_frame.paragraphs[0].runs[0]
    run.font.size, run.font.color.rgb = Pt(40), RGBColor(0xC0, 0x00, 0x00)
    path = folder / "clash.pptx"
    prs.save(str(path))
    return path


def _deck(folder: Path, template: str) -> Path:
    deck = folder / "deck.yaml"
    deck.write_text(f"title: Clash\ntemplate: {template}\n"
                    "brand: {footer: Northshire Police, marking: OFFICIAL,\n"
                    "        colours: {text: 'E4E4E4'}}\nslides:\n"
                    "  - kind: bullets\n    title: Community Policing Teams\n"
                    # two points: the comma splits them
                    "    points: [Ten policing districts, each with its own inspector]\n"
                    # at the author's size, a list (a short one would otherwise be cards)
                    "    size: 22\n",
                    encoding="utf-8")
    return deck


@pytest.mark.skipif(not RENDERS and not os.environ.get("CI"), reason=drawn.tools() or "")
def test_check_render_finds_what_the_template_draws_over_and_under_the_text(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _clashing_template(tmp_path)
    deck = _deck(tmp_path, "clash.pptx")
    assert cli.main(["check", "--render", str(deck)]) == 0
    err = capsys.readouterr().err
    assert f"{deck}:6:5: slide 1 (bullets): on the rendered slide 1, 'DRAFT' and " \
        "'Community' are drawn over each other" in err, err
    assert "on the rendered slide 1, 'Ten policing districts each with its own inspector' " \
        "can hardly be seen: #E4E4E4 on #FFFFFF, a contrast of 1.3:1" in err, err
    # the review of the plan saw both first: the render check is the safety net
    assert f"{deck}:6:5: slide 1 (bullets): 'Title' is drawn over text the template writes " \
        "on its layout; build the slide on another layout" in err, err
    assert "slide 1 (bullets): text 'Ten policing districts' in 'Points' has contrast 1.27:1" \
        in err, err
    # and --strict makes the findings errors: nothing would be written
    assert cli.main(["check", "--render", "--strict", str(deck)]) == 1
    assert "(an error with --strict)" in capsys.readouterr().err


def test_check_render_says_it_skipped_where_libreoffice_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen.render import export

    monkeypatch.setattr(export, "find_soffice", lambda: None)
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nslides:\n  - {kind: bullets, title: A, points: [One]}\n",
                    encoding="utf-8")
    assert cli.main(["check", "--render", str(deck)]) == 0
    captured = capsys.readouterr()
    assert "the render check was skipped: LibreOffice (soffice) is not installed" in \
        captured.err
    assert "deck.yaml: 1 slide, no problems found" in captured.out
    assert shutil.which("soffice") is None or RENDERS  # the real tools untouched
