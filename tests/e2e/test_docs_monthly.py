"""docs/monthly.md's example builds, and says what the command line says: its outline and data
are built for April, edited as the page says, built for May with --keep-edits, and compared
with `diff --summary`; the messages and the summary are the page's, line for line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pptx import Presentation

DOC = Path(__file__).resolve().parents[2] / "docs" / "monthly.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}[ \t]*\n(.*?)^```[ \t]*$", DOC.read_text(encoding="utf-8"),
                      re.MULTILINE | re.DOTALL)


def _deckgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)


def _edit(pptx: Path) -> None:
    """The edits the page describes, made as PowerPoint would save them."""
    prs = Presentation(str(pptx))
    southend, basildon = prs.slides[1], prs.slides[2]
    # a few short points are laid out as cards, a box each (docs/outline.md, Slides that fill)
    points = next(sh for sh in southend.shapes if sh.name == "Points")  # a lone panel
    points.text_frame.paragraphs[0].runs[-1].text += " (the most in Essex)"
    points = next(sh for sh in basildon.shapes if sh.name == "Point 2")
    points.text_frame.paragraphs[0].runs[0].text = \
        "Patrols continue in the town centre and at the station"
    basildon.notes_slide.notes_text_frame.text = "Ask about the station."
    prs.save(str(pptx))


def test_the_monthly_example_says_what_the_page_says(tmp_path: Path) -> None:
    [counts], [outline] = _blocks("csv"), _blocks("yaml")
    messages, summary = _blocks("text")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "counts.csv").write_text(counts, encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(outline, encoding="utf-8")
    built = _deckgen(tmp_path, "build", "deck.yaml", "--no-cache")
    assert built.returncode == 0, built.stderr
    _edit(tmp_path / "output" / "pack-2016-04.pptx")

    result = _deckgen(tmp_path, "build", "deck.yaml", "--no-cache", "--set", "month=2016-05",
                      "--keep-edits", "output/pack-2016-04.pptx")
    assert result.returncode == 0, result.stderr
    said = result.stderr.splitlines() + result.stdout.splitlines()[:-1]  # not 'wrote ...'
    assert said == messages.splitlines()
    assert result.stdout.splitlines()[-1].startswith("wrote output/pack-2016-05.pptx (4 slides")

    result = _deckgen(tmp_path, "diff", "output/pack-2016-04.pptx", "output/pack-2016-05.pptx",
                      "--summary")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == summary.splitlines()
