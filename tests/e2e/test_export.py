"""The sample deck exported through real LibreOffice and poppler: PDF, PNGs and a contact sheet.

Needs `soffice` and `pdftoppm` (Debian: libreoffice-impress, poppler-utils); skipped without them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pages import blank_pages, page_count
from PIL import Image
from pptx import Presentation

from deckgen.errors import DeckError
from deckgen.render import export

pytestmark = pytest.mark.skipif(
    not (export.find_soffice() and shutil.which("pdftoppm")),
    reason="export needs LibreOffice (soffice) and poppler-utils (pdftoppm), "
           "which are not installed")


@pytest.fixture(scope="module")
def slide_count(sample_pptx: Path) -> int:
    return len(Presentation(str(sample_pptx)).slides)


@pytest.fixture(scope="module")
def pdf(sample_pdf: Path) -> Path:
    """The sample exported by `export.to_pdf`, into a folder it made (conftest.py: made once,
    test_render.py reads it too)."""
    return sample_pdf


@pytest.fixture(scope="module")
def pngs(pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return export.to_pngs(pdf, tmp_path_factory.mktemp("png"))


def test_the_pdf_has_one_page_per_slide(pdf: Path, slide_count: int) -> None:
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert page_count(pdf) == slide_count


def test_one_png_per_slide_and_none_is_blank(pngs: list[Path], slide_count: int) -> None:
    assert [p.name for p in pngs] == [f"slide-{n:02d}.png" for n in range(1, slide_count + 1)]
    assert sorted(pngs[0].parent.iterdir()) == pngs
    with Image.open(pngs[0]) as first:
        assert first.width > first.height  # a landscape slide
    assert blank_pages(pngs) == []


def test_to_pngs_removes_stale_pages(pdf: Path, tmp_path: Path, slide_count: int) -> None:
    stale = tmp_path / "slide-99.png"
    stale.write_bytes(b"old")
    keep = tmp_path / "notes.txt"
    keep.write_text("not a page")
    pngs = export.to_pngs(pdf, tmp_path, dpi=20)
    assert len(pngs) == slide_count and not stale.exists() and keep.exists()


def test_to_pngs_converts_a_pptx_itself(sample_pptx: Path, tmp_path: Path,
                                        slide_count: int) -> None:
    pngs = export.to_pngs(sample_pptx, tmp_path / "png", dpi=20)
    assert len(pngs) == slide_count
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["png", *(p.name for p in pngs)])


def test_contact_sheet_of_the_rendered_slides(pngs: list[Path], tmp_path: Path) -> None:
    out = export.contact_sheet(pngs, tmp_path / "sheet.png")
    with Image.open(out) as sheet:
        sheet.verify()
    with Image.open(out) as sheet:
        assert sheet.format == "PNG"
        rows = (len(pngs) + 3) // 4
        assert sheet.width == 4 * 412 + 12 and sheet.height > rows * 200


def test_to_pdf_replaces_an_existing_pdf_atomically(sample_pptx: Path, tmp_path: Path,
                                                     slide_count: int) -> None:
    target = tmp_path / "deck.pdf"
    target.write_bytes(b"an old PDF")
    export.to_pdf(sample_pptx, target)
    assert page_count(target) == slide_count
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pdf"]  # no temporary files left


def test_a_timeout_is_an_error_that_writes_nothing(sample_pptx: Path, tmp_path: Path) -> None:
    target = tmp_path / "deck.pdf"
    with pytest.raises(DeckError) as caught:
        export.to_pdf(sample_pptx, target, timeout=0.001)
    assert "timeout of 0.001 seconds" in str(caught.value)
    assert str(caught.value).startswith(str(sample_pptx))
    assert list(tmp_path.iterdir()) == []


def test_a_file_libreoffice_cannot_open_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pptx"
    broken.write_text("this is not a presentation")
    # LibreOffice 7.4 exits 0 here and only says so on stderr; older ones exit 1
    with pytest.raises(DeckError, match="LibreOffice (produced no PDF|exited with status)"):
        export.to_pdf(broken, tmp_path / "broken.pdf")
    assert not (tmp_path / "broken.pdf").exists()
