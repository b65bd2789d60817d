"""The sample deck rendered by LibreOffice: one page per slide, every text still there.

Needs `soffice` and `pdftotext` (Debian: libreoffice-impress, poppler-utils); skipped without them.
CI installs both (see .ci/run).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")


@pytest.fixture(scope="module")
def pdf(sample_pdf: Path) -> Path:
    """The sample as LibreOffice renders it (conftest.py: made once, test_export.py reads it
    too)."""
    return sample_pdf


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f")[:-1]]


def test_one_page_per_slide(pdf: Path, sample_pptx: Path) -> None:
    assert len(_pages(pdf)) == len(Presentation(str(sample_pptx)).slides)


def test_every_text_of_each_slide_is_on_its_page(pdf: Path, sample_pptx: Path) -> None:
    pages = _pages(pdf)
    for n, slide in enumerate(Presentation(str(sample_pptx)).slides):
        words = set(pages[n].split())
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        texts += [c.text for sh in slide.shapes if sh.has_table
                  for row in sh.table.rows for c in row.cells]
        for text in texts:
            for word in text.split():
                assert word in words or word in pages[n], (n + 1, word)


def test_no_rendered_slide_is_blank(pdf: Path, tmp_path: Path) -> None:
    from pages import blank_pages

    from deckgen.render.export import to_pngs

    pages = to_pngs(pdf, tmp_path, dpi=30)
    assert len(pages) == 19
    assert blank_pages(pages) == []


def test_preview_and_export_commands(sample_copy: Path) -> None:
    import sys

    folder = sample_copy.parent

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=folder,
                              capture_output=True, text=True, timeout=300)

    result = run("preview", "deck.yaml")
    assert result.returncode == 0, result.stderr
    sheet = folder / "output" / "southend-briefing-preview.png"
    assert sheet.read_bytes().startswith(b"\x89PNG")
    assert "all 19 slides at a glance" in result.stdout
    result = run("export", "output/southend-briefing.pptx", "--pdf", "--png", "pngs")
    assert result.returncode == 0, result.stderr
    assert (folder / "output" / "southend-briefing.pdf").exists()
    assert len(list((folder / "pngs").glob("slide-*.png"))) == 19
    result = run("build", "--pdf", "-o", "b.pptx")
    assert result.returncode == 0 and (folder / "b.pdf").exists()


#: The layouts a colleague might add a slide with in PowerPoint ("New Slide").
ADDED_ON = ["Title and Content", "Title Only", "Section Header"]


@pytest.fixture(scope="module")
def added(sample_pptx: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, dict[str, int]]:
    """The sample with a slide added by hand on each layout of ADDED_ON, rendered once (one
    LibreOffice run for the three tests): the PDF, and the page each layout's slide is on."""
    from deckgen.render.export import to_pdf

    prs = Presentation(str(sample_pptx))
    numbers = {}
    for layout in ADDED_ON:
        chosen = next(lay for lay in prs.slide_layouts if lay.name == layout)
        slide = prs.slides.add_slide(chosen)
        slide.shapes.title.text = "Added by hand"
        numbers[layout] = len(prs.slides)
    folder = tmp_path_factory.mktemp("added")
    prs.save(str(folder / "added.pptx"))
    return to_pdf(folder / "added.pptx", folder / "added.pdf", timeout=300), numbers


@pytest.mark.parametrize("layout", ADDED_ON)
def test_a_slide_added_in_powerpoint_carries_the_brand_frame(
        added: tuple[Path, dict[str, int]], layout: str) -> None:
    """'New Slide' in PowerPoint: a slide added with one of the deck's layouts shows the
    protective marking (top and bottom), the logo, the footer and its own slide number."""
    pdf, numbers = added
    number = numbers[layout]
    page = _pages(pdf)[number - 1]
    assert page.count("OFFICIAL") == 2, page
    assert "Essex Police | Southend challenge briefing" in page, page
    assert re.search(rf"\b{number}\b", page), page
    images = subprocess.run(["pdfimages", "-list", "-f", str(number), "-l", str(number),
                             str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) >= 1, "the logo is not on the added slide"
