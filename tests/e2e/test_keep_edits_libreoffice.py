"""deckgen's marks and record survive LibreOffice, and edits made in LibreOffice are kept or
reported by `build --keep-edits`.

What LibreOffice keeps when it opens and saves a .pptx was checked by round trips (see
office/read/deck.py): shape names (but placeholders', which it renames "PlaceHolder 1"),
hidden shapes, and a custom XML part that has its properties part; it drops a slide's
`p:cSld/@name`, extension elements (`p:extLst`) and `p:cNvPr/@title`. These tests hold the
first list. The edits are made through UNO, as a person would make them (tests/lo_edit.py, run
by the system's Python, which has LibreOffice's `uno`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest
from monthly import edit_with_libreoffice, folder, libreoffice_python
from pptx import Presentation

from deckgen import app
from deckgen.office.read.deck import read_deck

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or libreoffice_python() is None,
                                reason="needs LibreOffice and its Python (python3-uno)")
OPTIONS = app.Options(cache=False)
EDITS = [
    {"op": "text", "slide": "Basildon", "shape": "Points",
     "text": "Basildon recorded 80 incidents\nPatrols continue, now with the rail police"},
    {"op": "text", "slide": "Southend at a glance", "shape": "Points",
     "text": "Southend recorded 131 incidents, the most in Essex\nPatrols at weekends"},
    {"op": "text", "slide": "Priorities", "shape": "title", "text": "Our priorities"},
    {"op": "notes", "slide": "Incidents by district", "text": "Written in LibreOffice."},
    {"op": "move", "slide": "Southend at a glance", "shape": "Title rule", "dx": 2000},
    {"op": "fill", "slide": "Incidents by district", "shape": "Title rule", "color": 0x00AA00},
    {"op": "add_shape", "slide": "Southend at a glance", "name": "LO note",
     "text": "Added in LibreOffice"},
    {"op": "add_slide", "after": "Basildon", "text": "A slide from LibreOffice"},
    {"op": "delete_slide", "slide": "Contacts"},
]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("keep-lo")
    app.build(folder(root), root / "april.pptx", options=OPTIONS)
    return root


@pytest.fixture(scope="module")
def saved(work: Path) -> Path:
    """April's deck opened and saved by LibreOffice, untouched."""
    out = work / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'p1').as_uri()}", "--headless",
                    "--convert-to", "pptx", "--outdir", str(out), str(work / "april.pptx")],
                   check=True, capture_output=True, timeout=180)
    return out / "april.pptx"


@pytest.fixture(scope="module")
def edited(work: Path) -> Path:
    edit_with_libreoffice(work / "april.pptx", work / "lo-last.pptx", EDITS, work / "p2")
    return work / "lo-last.pptx"


@pytest.fixture(scope="module")
def may(work: Path, edited: Path) -> Any:
    return app.build_keeping_edits(work / "deck.yaml", edited, work / "may.pptx",
                                   {"month": "2016-05"}, options=OPTIONS)


def test_libreoffice_keeps_the_marks_the_names_and_the_record(work: Path, saved: Path) -> None:
    before, after = (read_deck(p.read_bytes()) for p in (work / "april.pptx", saved))
    assert after.record == before.record
    assert [s.mark for s in after.slides] == [s.mark for s in before.slides]
    assert all(s.mark is not None for s in after.slides)
    for a, b in zip(before.slides, after.slides):
        assert [(s.name, s.kind) for s in a.shapes if not s.placeholder] == \
            [(s.name, s.kind) for s in b.shapes if not s.placeholder]
        assert [s.placeholder for s in a.shapes] == [s.placeholder for s in b.shapes]
        # what each shape says is the same once LibreOffice has saved it
        assert [s.digest for s in a.shapes] == [s.digest for s in b.shapes]


def test_a_deck_saved_by_libreoffice_untouched_has_nothing_to_keep_or_report(
        work: Path, saved: Path) -> None:
    kept = app.build_keeping_edits(work / "deck.yaml", saved, work / "again.pptx",
                                   options=OPTIONS)
    assert kept.kept == [] and kept.reported == []


def _texts(prs: Any, title: str) -> dict[str, str]:
    slide = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text_frame.text == title)
    return {sh.name: sh.text_frame.text for sh in slide.shapes if sh.has_text_frame}


def test_edits_made_in_libreoffice_are_kept(may: Any) -> None:
    prs = Presentation(str(may.written.output))
    titles = [s.shapes.title.text_frame.text if s.shapes.title is not None else ""
              for s in prs.slides]
    assert titles[:4] == ["District pack", "Southend at a glance", "Basildon", ""]
    assert "Our priorities" in titles and "Priorities" not in titles
    added = prs.slides[3]
    assert [sh.text_frame.text for sh in added.shapes if sh.has_text_frame] == \
        ["A slide from LibreOffice"]
    assert _texts(prs, "Basildon")["Points"] == \
        "Basildon recorded 80 incidents\nPatrols continue, now with the rail police"
    assert _texts(prs, "Southend at a glance")["LO note"] == "Added in LibreOffice"
    table = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text_frame.text == "Incidents by district")
    assert table.notes_slide.notes_text_frame.text == "Written in LibreOffice."


def test_edits_made_in_libreoffice_that_cannot_be_kept_are_reported(may: Any) -> None:
    prs = Presentation(str(may.written.output))
    assert _texts(prs, "Southend at a glance")["Points"].startswith(
        "Southend recorded 140 incidents in 2016-05")
    said = "\n".join(may.reported)
    assert "'Southend at a glance'), box 'Points': edited by hand, but what deckgen writes " \
           "there changed this month" in said
    assert "Southend recorded 131 incidents, the most in Essex" in said
    assert "box 'Title rule': moved or resized by hand" in said
    assert "recoloured by hand (#e0a526 to #00aa00)" in said
    assert "slide 7 ('Contacts') was deleted from LAST by hand" in said
    assert len(may.reported) == 4 and len(may.kept) == 5, (may.kept, may.reported)


def test_the_result_opens_in_libreoffice_and_is_valid_ooxml(
        may: Any, work: Path, ooxml_findings: Callable[[Path], list[str]]) -> None:
    assert ooxml_findings(may.written.output) == []
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'p3').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "pdf"),
                    str(may.written.output)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(work / "pdf" / "may.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "A slide from LibreOffice" in text and "Added in LibreOffice" in text
    assert text.count("\f") == 8  # 7 slides of the outline and the one added in LibreOffice
