"""The layout and accessibility review on outlines that break its rules."""

from __future__ import annotations

import re
from pathlib import Path

from pptx import Presentation

from deckgen.app import build, check


def write_stress_deck(folder: Path) -> Path:
    """An outline with a 60-word point, a 40-row table and 3 pt text (and its data)."""
    rows = "\n".join(f"District {i},{100 + i}" for i in range(40))
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "big.csv").write_text(f"district,incidents\n{rows}\n")
    deck = folder / "stress.yaml"
    deck.write_text(
        "title: Stress\ndata:\n  big: {file: data/big.csv}\nslides:\n"
        "  - kind: bullets\n    title: A long point\n    points:\n"
        f"      - {' '.join(['word'] * 60)}\n"
        "  - kind: table\n    title: Forty rows\n    data: big\n    total: true\n"
        "    columns: [{column: district}, {column: incidents, format: ',.0f'}]\n"
        "  - kind: bullets\n    title: Tiny\n    size: 3\n    points: [Three point text]\n")
    return deck


def test_long_bullet_big_table_and_tiny_font_are_handled_and_named(sample_copy: Path) -> None:
    folder = sample_copy.parent
    deck = write_stress_deck(folder)
    warnings = [str(w) for w in check(deck).warnings]
    assert any(w.endswith("stress.yaml:8:9: slide 1 (bullets): point 1 has 60 words; a point "
                          "on a slide reads best under 40: shorten it or split it")
               for w in warnings)
    assert any("slide 2 (table): the table's 41 rows do not fit one slide legibly; split "
               "across 3 slides" in w for w in warnings)
    assert any(re.search(r"stress.yaml:\d+:5: slide 3 \(bullets\): text at \d pt in 'Points' "
                         r"is below the readable minimum of 14 pt", w) for w in warnings)
    built = build(deck, folder / "stress.pptx")
    prs = Presentation(str(built.output))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles == ["A long point", "Forty rows", "Forty rows (cont.)", "Forty rows (cont. 2)",
                      "Tiny"]
    body = [r.cells[0].text for s in prs.slides for sh in s.shapes if sh.has_table
            for r in list(sh.table.rows)[1:]]
    assert body == [f"District {i}" for i in range(40)] + ["Total"]
    for slide in prs.slides:
        for sh in slide.shapes:
            assert sh.top + sh.height <= prs.slide_height


def test_contrast_and_alt_text_warnings(sample_copy: Path) -> None:
    folder = sample_copy.parent
    (folder / "pale.yaml").write_text(
        "title: Pale\nbrand:\n  colours: {primary: 'DDDDDD', text: 'EEEEEE'}\nslides:\n"
        "  - {kind: bullets, title: Pale text, points: [Hard to read]}\n"
        "  - {kind: bullets, title: Pale text, points: [Again]}\n")
    warnings = [str(w) for w in check(folder / "pale.yaml").warnings]
    assert any("slide 1 (bullets): text 'Hard to read' in 'Points' has contrast" in w
               for w in warnings)
    assert any("slide 2 (bullets): the title 'Pale text' is also slide 1's" in w
               for w in warnings)


def test_a_picture_with_empty_alt_text_is_warned(sample_copy: Path) -> None:
    folder = sample_copy.parent
    (folder / "alt.yaml").write_text(
        "title: Alt\nslides:\n  - kind: image\n    title: Hubs\n    alt: ''\n"
        "    image: assets/images/community-safety-hubs.png\n")
    warnings = [str(w) for w in check(folder / "alt.yaml").warnings]
    assert any("slide 1 (image): picture 'Picture' has no alt text" in w for w in warnings)


def test_a_long_footer_is_reported_once_at_its_line(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nfooter: " + "A very long footer that says far too much " * 4 +
                    "\nslides:\n" + "".join(f"  - {{kind: bullets, title: S{i}, points: [x]}}\n"
                                          for i in range(5)))
    warnings = [str(w) for w in check(deck).warnings]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{deck}:2:9: brand footer: text overflows 'Footer' by ")
    assert warnings[0].endswith("pt; shorten it: it shows on every slide")
