"""Colours from what lies under the text on a template (issue 28): the title slide's lines,
the marking, the footer and the slide number take the brand colour that reads on the
template's band; where none does, the build stops and says which element, which colours and
what ratio. Checked with python-pptx on the built deck, the contrast computed here."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from deckgen.app import build
from deckgen.errors import DeckError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import templatecorpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def ratio(fg: str, bg: str) -> float:
    """WCAG 2's contrast ratio, written out here (not deckgen's)."""
    def lum(c: str) -> float:
        out = []
        for i in (0, 2, 4):
            v = int(c[i:i + 2], 16) / 255
            out.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]
    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _sample_on(folder: Path, name: str) -> Path:
    shutil.copy(ROOT / "deck.yaml", folder / "deck.yaml")
    for sub in ("data", "assets"):
        shutil.copytree(ROOT / sub, folder / sub)
    template = templatecorpus.make(name, folder)
    deck = folder / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "brand: assets/brand.yaml\n", f"brand: assets/brand.yaml\ntemplate: {template.name}\n",
        1), encoding="utf-8")
    return deck


def _colour(shape: object) -> str:
    frame = shape.text_frame  # type: ignore[attr-defined]
    run = next(r for p in frame.paragraphs for r in p.runs if r.text.strip())
    return str(run.font.color.rgb)


def test_on_a_dark_title_band_the_lines_and_the_marking_can_be_read(tmp_path: Path) -> None:
    """The title layout's band is the brand's own blue (1B365D); on main, the date, the
    'Data to' line and the bottom marking were drawn in that same blue, and the footer in
    the brand's grey on it."""
    built = build(_sample_on(tmp_path, "dark-band"), tmp_path / "d.pptx")
    prs = Presentation(str(built.output))
    cover = prs.slides[0]
    band = "1B365D"
    lines = next(sh for sh in cover.shapes if sh.has_text_frame and
                 "7th July 2016" in sh.text_frame.text)
    assert lines.top >= Inches(4.0)  # on the band
    for paragraph in lines.text_frame.paragraphs:
        for run in paragraph.runs:
            assert ratio(str(run.font.color.rgb), band) >= 4.5, run.text
    footer = next(sh for sh in cover.shapes if sh.name == "Footer")
    assert footer.top >= Inches(4.0) and ratio(_colour(footer), band) >= 4.5
    # the marking: on every layout, each in a colour that reads there (the teal ribbon at
    # the top, the band at the bottom of the title layout, white elsewhere)
    for layout in prs.slide_layouts:
        marks = sorted((sh for sh in layout.shapes if sh.name.startswith("Protective")),
                       key=lambda sh: sh.top)
        assert [m.text_frame.text for m in marks] == ["OFFICIAL", "OFFICIAL"], layout.name
        top, bottom = marks
        assert top.top + top.height <= Inches(0.32) and ratio(_colour(top), "00707A") >= 4.5
        under = band if layout.name == "Title Slide" else "FFFFFF"
        assert ratio(_colour(bottom), under) >= 4.5, layout.name
    # the review has nothing to say of it, but that the sample's ASB table continues on a
    # second slide on this template's smaller body
    assert [str(w) for w in built.warnings
            if "do not fit one slide legibly" not in str(w)] == []


def test_where_no_brand_colour_reads_the_build_stops_naming_the_element(
        tmp_path: Path) -> None:
    deck = _sample_on(tmp_path, "dark-band")
    brand = tmp_path / "assets" / "brand.yaml"
    # a brand whose every colour is a mid teal: none reaches 4.5:1 on the ribbon, on white
    # or on the band
    text = brand.read_text(encoding="utf-8")
    for old, new in (('"#222222"', '"#4A9AA2"'), ('"#1B365D"', '"#4E9CA4"'),
                     ('"#5F6B7A"', '"#52A0A8"'), ('"#EEF2F7"', '"#56A2AA"'),
                     ('"#E0A526"', '"#5AA4AC"')):
        text = text.replace(old, new)
    brand.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as info:
        build(deck, tmp_path / "x.pptx")
    message = str(info.value)
    assert "assets/brand.yaml:17:10: protective marking: the protective marking cannot be " \
        "read on the template's layout 'Title Only': it is #" in message, message
    assert "where WCAG AA needs 4.5:1, and no brand colour reaches that there (tried " \
        in message and "change the brand's colours, or build the slide on another layout" \
        in message
