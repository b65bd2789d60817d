"""`deckgen diff A.pptx B.pptx`: what changed between two decks, slide by slide, run through
the real command line: titles, text, table cells, chart series and notes, slides added and
removed, a one-page summary, and the exit status (0 the same, 1 changed or a problem)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from monthly import COUNTS, folder
from pptx import Presentation
from pptx.util import Inches

from deckgen import app

OPTIONS = app.Options(cache=False)


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("diff")
    deck = folder(root)
    app.build(deck, root / "april.pptx", options=OPTIONS)
    app.build(deck, root / "may.pptx", {"month": "2016-05"}, options=OPTIONS)
    return root


def diff(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", "diff", *args], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)


def _counts(month: str) -> dict[str, str]:
    return {r["district"]: r["incidents"] for r in csv.DictReader(io.StringIO(COUNTS))
            if r["month"] == month}


def test_two_months_show_each_changed_figure(decks: Path) -> None:
    result = diff(decks, "april.pptx", "may.pptx")
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    april, may = _counts("2016-04"), _counts("2016-05")
    changed = sorted(d for d in april if april[d] != may[d])
    assert changed == ["Colchester", "Southend"]  # Basildon's 80 is the same
    for district in changed:  # the table, cell by cell, by row and column
        assert f"  table 'Table': {district} / Incidents: {april[district]} -> " \
               f"{may[district]}" in out
    chart = next(line for line in out if line.startswith("  chart 'Chart', series"))
    for district in changed:  # the chart, point by point
        assert f"{district} {april[district]} -> {may[district]}" in chart
    assert "Basildon" not in chart
    assert "    - Southend recorded 131 incidents in 2016-04" in out  # text, line by line
    assert "    + Southend recorded 140 incidents in 2016-05" in out
    assert "    + Southend had 140 incidents." in out  # notes
    assert "slide 3 'Basildon':" not in out  # nothing changed there
    assert out[-1] == "3 slides of A unchanged"


def test_the_summary_is_one_line_a_slide(decks: Path) -> None:
    result = diff(decks, "april.pptx", "may.pptx", "--summary")
    assert result.stdout.splitlines() == [
        "A: april.pptx (7 slides)", "B: may.pptx (7 slides)",
        "slide 1 'District pack': 1 text changed",
        "slide 2 'Southend at a glance': 1 text, 1 notes changed",
        "slide 4 'Incidents by district': 2 table cells changed",
        "slide 5 'Incidents by district (chart)': 1 chart series, 1 notes changed",
        "3 slides of A unchanged"]


def test_the_same_deck_has_no_change_and_exits_0(decks: Path) -> None:
    result = diff(decks, "april.pptx", "april.pptx")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].startswith("no change")


def test_slides_added_removed_and_titles_changed_by_hand(decks: Path) -> None:
    prs = Presentation(str(decks / "april.pptx"))
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Added by hand"
    slide.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(1)).text_frame.text = "Hi"
    prs.slides[5].shapes.title.text_frame.text = "Our priorities"
    ids = prs.slides._sldIdLst
    prs.part.drop_rel(ids[6].rId)
    ids.remove(ids[6])
    prs.save(str(decks / "edited.pptx"))
    out = diff(decks, "april.pptx", "edited.pptx").stdout.splitlines()
    assert "slide 6 'Our priorities':" in out
    assert "  title: 'Priorities' -> 'Our priorities'" in out
    assert "slide 7 of A 'Contacts': removed" in out
    assert "slide 7 of B 'Added by hand': added" in out


def test_decks_deckgen_did_not_build_are_matched_by_title(tmp_path: Path) -> None:
    for name, text in (("a.pptx", "old"), ("b.pptx", "new")):
        prs = Presentation()
        for title in ("One", "Two"):
            slide = prs.slides.add_slide(prs.slide_layouts[1])
            slide.shapes.title.text = title
            slide.placeholders[1].text_frame.text = f"{title} {text}"
        prs.save(str(tmp_path / name))
    out = diff(tmp_path, "a.pptx", "b.pptx").stdout.splitlines()
    body = "  text 'Content Placeholder 2':"
    assert out[2:] == ["", "slide 1 'One':", body, "    - One old", "    + One new", "",
                       "slide 2 'Two':", body, "    - Two old", "    + Two new", "",
                       "0 slides of A unchanged"]


def test_a_file_that_is_not_a_deck_is_a_clear_error(decks: Path) -> None:
    (decks / "notes.txt").write_text("not a deck", encoding="utf-8")
    result = diff(decks, "april.pptx", "notes.txt")
    assert result.returncode == 1
    assert result.stderr.strip() == ("error: notes.txt: diff: cannot read notes.txt as a deck: "
                                     "it is not a zip file")
    result = diff(decks, "april.pptx", "missing.pptx")
    assert result.stderr.strip() == "error: diff: no deck at missing.pptx"


def test_help_teaches(decks: Path) -> None:
    result = diff(decks, "--help")
    assert result.returncode == 0
    for words in ("table cells (by row and column)", "--summary",
                  "deckgen diff output/pack-2016-04.pptx output/pack-2016-05.pptx",
                  "exit status: 0 no change, 1 the decks differ"):
        assert words in " ".join(result.stdout.split()), words
