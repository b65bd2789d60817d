"""The decks deckgen writes are valid Office Open XML: the schemas and PowerPoint's own rules
(openxml-audit), so PowerPoint opens them without a repair prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from pptx import Presentation

from deckgen.app import build


def test_the_sample_deck_is_valid(sample_pptx: Path,
                                  ooxml_findings: Callable[[Path], list[str]]) -> None:
    assert ooxml_findings(sample_pptx) == []


def test_a_slide_added_with_each_layout_keeps_it_valid(
        sample_pptx: Path, tmp_path: Path, ooxml_findings: Callable[[Path], list[str]]) -> None:
    prs = Presentation(str(sample_pptx))
    for layout in prs.slide_layouts:
        slide = prs.slides.add_slide(layout)
        if slide.shapes.title is not None:
            slide.shapes.title.text = layout.name
    out = tmp_path / "added.pptx"
    prs.save(str(out))
    assert ooxml_findings(out) == []


def test_a_district_deck_and_a_brand_with_true_minus_are_valid(
        sample_copy: Path, ooxml_findings: Callable[[Path], list[str]]) -> None:
    brand = sample_copy.parent / "assets" / "brand.yaml"
    assert "\ntrue_minus: true" in brand.read_text(encoding="utf-8")  # the sample's own
    brand.write_text(brand.read_text(encoding="utf-8") + "date_style: iso\n", encoding="utf-8")
    out = sample_copy.parent / "castlepoint.pptx"
    build(sample_copy, out, {"district": "Castlepoint"})
    assert ooxml_findings(out) == []
