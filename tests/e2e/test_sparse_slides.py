"""Slides that use the slide (issue 24, item 5): a sparse body is laid out to fill it, a full
one is left as it was, and the review warns of a slide still half empty.

Coverage is checked against an independent measure written here: the union of the content
shapes' rectangles, counted on a grid of cells (not layout/coverage.py's strips)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml
from pptx import Presentation

from deckgen.app import build
from deckgen.layout.coverage import slide_coverage
from deckgen.layout.plan import Rect, TextBox
from deckgen.pipeline import load_outline, plan_deck

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "southend-seed.txt"
CONTENT = (914400 * 0.6, 914400 * 1.55)  # the grid's content area: left, top (theme.py)


def _deck(folder: Path, slides: list[dict[str, object]]) -> Path:
    (folder / "deck.yaml").write_text(yaml.safe_dump(
        {"title": "T", "brand": {"colours": {}}, "slides": slides}), encoding="utf-8")
    return folder / "deck.yaml"


def _planned(folder: Path, slides: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return plan_deck(load_outline(_deck(folder, slides)))


def _grid_share(boxes: list[tuple[int, int, int, int]], body: tuple[int, int, int, int]) -> float:
    """The share of the body the boxes cover, counted on a 2000 x 1000 grid of cells (each
    box's edges rounded to the nearest cell)."""
    bx, by, bw, bh = body
    cols, rows = 2000, 1000
    grid = np.zeros((rows, cols), dtype=bool)
    for x, y, w, h in boxes:
        c0, c1 = np.clip(np.rint([(x - bx) * cols / bw, (x + w - bx) * cols / bw]), 0, cols)
        r0, r1 = np.clip(np.rint([(y - by) * rows / bh, (y + h - by) * rows / bh]), 0, rows)
        grid[int(r0):int(r1), int(c0):int(c1)] = True
    return float(grid.mean())


def test_one_short_point_fills_the_slide_as_a_statement(tmp_path: Path) -> None:
    deck = _deck(tmp_path, [{"kind": "bullets", "title": "Volunteers",
                             "points": ["Parish Safety volunteers, volunteer Police cadets"]}])
    built = build(deck, tmp_path / "out.pptx")
    assert not built.warnings, built.warnings
    slide = Presentation(str(built.output)).slides[0]
    shapes = {sh.name: sh for sh in slide.shapes}
    card, text = shapes["Card 1"], shapes["Points"]
    # the card spans the content's width and most of its height, centred in it
    body_w, body_h = 12192000 - 2 * 548640, int(914400 * (7.5 - 0.42 - 0.15 - 1.55))
    assert card.width == body_w and card.height >= 0.55 * body_h
    above, below = card.top - CONTENT[1], CONTENT[1] + body_h - card.top - card.height
    assert abs(above - below) < 914400 * 0.02
    # the words are the point's, as editable text, larger than the 22 pt list and no larger
    # than the brand's largest statement (40 pt)
    assert text.text_frame.text == "Parish Safety volunteers, volunteer Police cadets"
    sizes = {r.font.size.pt for p in text.text_frame.paragraphs for r in p.runs}
    assert len(sizes) == 1 and 30 <= sizes.pop() <= 40
    assert text.top >= card.top and text.top + text.height <= card.top + card.height


def test_a_few_short_points_become_a_row_of_cards_at_one_size(tmp_path: Path) -> None:
    points = ["10 policing districts managed by a **district commander**",
              "CPTs in each district that are **locally based, locally accountable**",
              "Problem solving at the heart of it"]
    planned = _planned(tmp_path, [{"kind": "bullets", "title": "C", "points": points}])
    plan = planned.plans[0]
    cards = [e for e in plan.elements if isinstance(e, Rect) and re.fullmatch(r"Card \d", e.name)]
    texts = [e for e in plan.elements if isinstance(e, TextBox) and e.name.startswith("Point ")]
    assert len(cards) == len(texts) == 3
    assert len({c.box.y for c in cards}) == 1 and len({c.box.h for c in cards}) == 1  # a row
    assert [c.box.x for c in cards] == sorted(c.box.x for c in cards)
    assert len({p.size for t in texts for p in t.paragraphs}) == 1  # one size in every card
    assert all(p.bullet is None for t in texts for p in t.paragraphs)
    assert ["".join(r.text for r in t.paragraphs[0].runs) for t in texts] == \
        [p.replace("**", "") for p in points]
    assert not [w for w in planned.warnings if "covers" in w.message]


def test_four_points_make_a_grid_and_longer_text_grows_instead(tmp_path: Path) -> None:
    planned = _planned(tmp_path, [
        {"kind": "bullets", "title": "Four", "points": ["One", "Two", "Three", "Four"]},
        {"kind": "bullets", "title": "Nested", "points": [{"Aims:": ["To recruit volunteers",
                                                                     "To deploy them"]}]}])
    grid = [e.box for e in planned.plans[0].elements if isinstance(e, Rect)
            and re.fullmatch(r"Card \d", e.name)]
    assert len({b.x for b in grid}) == 2 and len({b.y for b in grid}) == 2
    nested = next(e for e in planned.plans[1].elements if e.name == "Points")
    assert isinstance(nested, TextBox)
    # a heading with sub-points stays a list, grown past the usual 125% (22 pt -> 27.5 pt)
    # up to the brand's largest body size, and centred in the body it cannot fill
    assert 27.5 < nested.paragraphs[0].size <= 32 and nested.anchor == "middle"


def test_a_full_slide_is_laid_out_as_before(tmp_path: Path) -> None:
    points = [f"Point number {n} of a list long enough to fill most of the body" for n in
              range(9)]
    plan = _planned(tmp_path, [{"kind": "bullets", "title": "Full", "points": points}]).plans[0]
    (box,) = [e for e in plan.elements if isinstance(e, TextBox) and e.name == "Points"]
    assert box.anchor == "top" and box.box.y == int(CONTENT[1])
    assert not [e for e in plan.elements if isinstance(e, Rect) and e.name.startswith("Card")]
    assert box.paragraphs[0].size <= 22 * 1.25 and box.paragraphs[0].bullet == "\u2022"


def test_coverage_matches_an_independent_measure(tmp_path: Path) -> None:
    """On the sample's slides whose text all sits on cards (so text adds nothing to what the
    cards cover), the share covered is the grid count of the shapes' rectangles."""
    planned = plan_deck(load_outline(ROOT / "deck.yaml"))
    compared = []
    for n, plan in enumerate(planned.plans, start=1):
        if plan.body is None or plan.kind == "team":
            continue
        content = [e for e in plan.elements if hasattr(e, "box") and not e.name.startswith(
            ("Footer", "Slide number", "Protective marking", "Logo", "Title rule"))]
        shapes = [e.box for e in content if not (isinstance(e, TextBox) and not e.drawn)]
        texts = [e.box for e in content if isinstance(e, TextBox) and not e.drawn]
        if not all(any(s.x <= t.x and t.right <= s.right and s.y <= t.y and t.bottom <= s.bottom
                       for s in shapes) for t in texts):
            continue  # text of its own: measured by its lines, which this test does not redo
        body = plan.body
        expected = _grid_share([(b.x, b.y, b.w, b.h) for b in shapes],
                               (body.x, body.y, body.w, body.h))
        assert slide_coverage(plan) == pytest.approx(expected, abs=0.002), n
        compared.append(n)
    assert compared == [6, 14, 16, 17]


def test_the_sample_and_the_pack_have_no_half_empty_slide(tmp_path: Path) -> None:
    planned = plan_deck(load_outline(ROOT / "deck.yaml"))
    assert not [str(w) for w in planned.warnings if "half empty" in w.message]
    shares = {p.title.text: slide_coverage(p) for p in planned.plans}
    for title in ("Community Policing", "Community Safety Hubs", "Volunteering", "Volunteers",
                  "County Drug Lines: arrests"):
        assert (shares[title] or 0) >= 0.5, (title, shares[title])
    pack = ROOT / "examples" / "monthly-pack" / "deck.yaml"
    if not list((pack.parent / "data").glob("police-uk-SYNTHETIC/*/*.csv.gz")):
        pytest.skip("the pack's synthetic extract is not written (make_data.py)")
    for district in ("Southend", "Basildon", "Colchester"):
        planned = plan_deck(load_outline(pack, {"district": district}))
        assert not [str(w) for w in planned.warnings if "half empty" in w.message]
        assert (slide_coverage(planned.plans[1]) or 0) >= 0.5


def test_a_sparse_slide_that_cannot_fill_is_warned(tmp_path: Path) -> None:
    # the outline sets the points' size, so deckgen keeps it rather than grow the text: one
    # short point at 18 pt covers a sliver of the body
    planned = _planned(tmp_path, [{"kind": "bullets", "title": "Kept small", "size": 18,
                                   "points": ["Parish Safety volunteers"]}])
    (warning,) = [w for w in planned.warnings if "half empty" in w.message]
    share = slide_coverage(planned.plans[0])
    assert share is not None and share < 0.5
    assert str(warning).endswith(
        f"slide 1 (bullets): the content covers {share:.0%} of the body, so the slide looks "
        "half empty; add points, or leave out `size:` so that deckgen can size them to fill "
        "(docs/outline.md, 'Slides that fill')")
    assert warning.location is not None and warning.location.line == 4


def test_the_seeds_words_stay_verbatim_on_the_filled_slides(tmp_path: Path) -> None:
    built = build(ROOT / "deck.yaml", tmp_path / "sample.pptx")
    prs = Presentation(str(built.output))
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8").replace("**", ""))
    for number in (6, 9, 13, 14, 17):
        slide = prs.slides[number - 1]
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame
                 and sh.name.startswith(("Point", "Lead", "Headline"))]
        assert texts, number
        for text in texts:
            for line in text.split("\n"):
                assert re.sub(r"\s+", " ", line).strip() in seed, (number, line)


def test_the_docs_example_of_a_slide_that_fills_builds_as_cards(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "outline.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Slides that fill"):doc.index("## Errors")]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    planned = _planned(tmp_path, yaml.safe_load(block.group(1)))
    names = [e.name for e in planned.plans[0].elements]
    assert {"Card 1", "Card 2", "Point 1", "Point 2"} <= set(names)
    assert not planned.warnings


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")
def test_the_filled_slides_text_is_drawn_inside_its_cards(sample_pptx: Path,
                                                           sample_pdf: Path) -> None:
    """As LibreOffice draws them: every word of a card's text inside its card, none outside."""
    prs = Presentation(str(sample_pptx))
    for number in (6, 9, 14, 17):
        slide = prs.slides[number - 1]
        cards = [sh for sh in slide.shapes if re.fullmatch(r"Card \d", sh.name)]
        assert cards, number
        boxes = [tuple(v / 12700 for v in (c.left, c.top, c.left + c.width, c.top + c.height))
                 for c in cards]
        html = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number),
                               str(sample_pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)]
        texts = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame
                         and sh.name.startswith(("Point", "Headline")))
        inside = [w for w in words if any(x0 <= w[0] and w[2] <= x1 and y0 <= w[1]
                                          and w[3] <= y1 for x0, y0, x1, y1 in boxes)]
        shown = [w[4] for w in inside]
        assert shown and all(word in texts.split() for word in shown), (number, shown)
        # every word of the cards' text is drawn, in a card
        assert sorted(shown) == sorted(texts.split()), number


SMALL = [
    {"kind": "team", "title": "Small team",
     "root": {"role": "Inspector", "children": [{"role": "Sergeant A"}, {"role": "Sergeant B"}]}},
    {"kind": "bullets", "title": "Columns",
     "columns": [{"heading": "Up", "points": ["Violence", "Sexual crime"]},
                 {"heading": "Down", "points": ["Burglary"]}]},
    {"kind": "bullets", "title": "Lead only",
     "lead": "Building capacity through effective partnerships"},
    {"kind": "headlines", "title": "One headline",
     "headlines": [{"headline": "Two arrested as part of police operation"}]},
    {"kind": "team", "title": "Two people",
     "root": {"role": "Inspector", "children": [{"role": "Sergeant"}]}},
]


def test_other_text_kinds_fill_what_they_can(tmp_path: Path) -> None:
    planned = _planned(tmp_path, SMALL)
    team, columns, lead, headline, pair = planned.plans
    inches = 914400
    # a small team's boxes grow past the usual 3.6 x 1.25 inches
    boxes = [e.box for e in team.elements if e.name.startswith("Role: ")]
    assert all(b.w > 3.6 * inches and b.h > 1.25 * inches for b in boxes)
    # two short columns become two cards, their text at the top of each (headings level)
    texts = [e for e in columns.elements if isinstance(e, TextBox) and e.name.startswith("Col")]
    assert [t.name for t in texts] == ["Column 1", "Column 2"]
    assert {t.anchor for t in texts} == {"top"} and len({t.box.y for t in texts}) == 1
    assert {"Card 1", "Card 2"} <= {e.name for e in columns.elements}
    # a lead alone is a statement panel, one headline a card three fifths of the body high
    assert [e.name for e in lead.elements if isinstance(e, TextBox)][:1] == ["Lead"]
    assert "Card 1" in {e.name for e in lead.elements}
    card = next(e for e in headline.elements if e.name == "Card 1")
    assert headline.body is not None and card.box.h >= 0.6 * headline.body.h - inches * 0.01
    for plan in (team, columns, lead, headline):
        assert (slide_coverage(plan) or 0) >= 0.5, plan.title.text
    # a chart of one box a level cannot fill: its boxes keep their size, and it is warned
    share = slide_coverage(pair)
    assert share is not None and share < 0.5
    (warning,) = [w for w in planned.warnings if "half empty" in w.message]
    assert warning.message.startswith(f"the content covers {share:.0%} of the body")
    assert "a small team chart keeps its boxes' size" in warning.message
    assert str(warning).split(": ")[1] == "slide 5 (team)"
