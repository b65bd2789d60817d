"""`deckgen build --keep-edits LAST.pptx`: next month's deck keeps what people added to last
month's by hand, and reports, by slide and shape, what it cannot carry safely.

April's deck of a small monthly outline (tests/monthly.py) is edited in more than twenty ways
with python-pptx (monthly.edit_with_python_pptx), then built for May (Southend's figures
change, Basildon's do not) and for April again (no figure changes) with --keep-edits. Each
test checks one edit in what a reader of the new deck sees.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
from monthly import edit_with_python_pptx, folder
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError

OPTIONS = app.Options(cache=False)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("keep")
    deck = folder(root)
    app.build(deck, root / "april.pptx", options=OPTIONS)
    edit_with_python_pptx(root / "april.pptx", root / "last.pptx")
    return root


@pytest.fixture(scope="module")
def last_digest(work: Path) -> str:
    return hashlib.sha256((work / "last.pptx").read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def may(work: Path, last_digest: str) -> Any:
    return app.build_keeping_edits(work / "deck.yaml", work / "last.pptx", work / "may.pptx",
                                   {"month": "2016-05"}, options=OPTIONS)


@pytest.fixture(scope="module")
def april(work: Path, last_digest: str) -> Any:
    return app.build_keeping_edits(work / "deck.yaml", work / "last.pptx",
                                   work / "april-again.pptx", {"month": "2016-04"},
                                   options=OPTIONS)


def _deck(kept: Any) -> Any:
    return Presentation(str(kept.written.output))


def _titles(prs: Any) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in
            prs.slides]


def _slide(prs: Any, title: str, n: int = 0) -> Any:
    return [s for s in prs.slides if s.shapes.title is not None
            and s.shapes.title.text_frame.text == title][n]


def _texts(slide: Any) -> dict[str, str]:
    return {sh.name: sh.text_frame.text for sh in slide.shapes if sh.has_text_frame}


def _said(kept: Any, *words: str) -> list[str]:
    return [line for line in kept.reported if all(w in line for w in words)]


# --- slides ---------------------------------------------------------------------------------


def test_slides_added_by_hand_keep_their_place_among_the_generated_ones(may: Any) -> None:
    assert _titles(_deck(may)) == [
        "Read me first", "District pack", "Southend at a glance", "Superintendent's priorities",
        "Basildon", "Incidents by district", "Incidents by district (chart)",
        "Force priorities for 2016", "Basildon", "Contacts"]
    assert may.written.slides == 10


def test_a_slide_added_by_hand_keeps_its_text_and_notes(may: Any) -> None:
    slide = _slide(_deck(may), "Superintendent's priorities")
    assert "Visible patrols in the town centre" in _texts(slide).values()
    assert slide.notes_slide.notes_text_frame.text == "From the superintendent."


def test_a_copy_of_a_generated_slide_is_kept_as_a_persons_and_not_updated(may: Any) -> None:
    prs = _deck(may)
    generated, copied = _slide(prs, "Basildon"), _slide(prs, "Basildon", 1)
    assert any(sh.name.startswith("deckgen ") for sh in generated.shapes)  # deckgen's mark
    assert not any(sh.name.startswith("deckgen ") for sh in copied.shapes)  # none: a person's
    assert any("a copy of one of deckgen's" in line for line in may.kept)


def test_a_slide_deleted_by_hand_is_reported_and_built_again(may: Any) -> None:
    assert "Contacts" in _titles(_deck(may))
    assert _said(may, "slide 7 ('Contacts') was deleted from LAST by hand")


def test_slides_reordered_by_hand_are_reported_and_the_outlines_order_kept(may: Any) -> None:
    titles = _titles(_deck(may))
    assert titles.index("Incidents by district") < titles.index("Incidents by district (chart)")
    assert _said(may, "reordered in LAST by hand", "5 ('Incidents by district (chart)'), 4")


# --- text -------------------------------------------------------------------------------------


def test_an_edited_bullet_whose_figures_are_the_same_is_kept(may: Any) -> None:
    points = _texts(_slide(_deck(may), "Basildon"))["Points"]
    assert points == ("Basildon recorded 80 incidents\n"
                      "Patrols continue in the town centre and at the station")


def test_an_edited_bullet_whose_figures_changed_is_replaced_and_both_texts_reported(
        may: Any) -> None:
    points = _texts(_slide(_deck(may), "Southend at a glance"))["Points"]
    assert points.startswith("Southend recorded 140 incidents in 2016-05")  # May's figure
    assert "superintendent's note" not in points
    [line] = _said(may, "'Southend at a glance'), box 'Points'")
    assert "see the superintendent's note" in line  # the person's text
    assert "Southend recorded 140 incidents in 2016-05" in line  # and the new one


def test_the_same_edit_is_kept_when_the_figures_did_not_change(april: Any) -> None:
    points = _texts(_slide(_deck(april), "Southend at a glance"))["Points"]
    assert points.startswith("Southend recorded 131 incidents: see the superintendent's note")
    assert not _said(april, "box 'Points'")


def test_an_edited_title_is_kept(may: Any) -> None:
    assert "Force priorities for 2016" in _titles(_deck(may))
    assert "Priorities" not in _titles(_deck(may))


def test_an_edited_table_cell_is_reported_when_the_table_changed(may: Any) -> None:
    table = next(sh for sh in _slide(_deck(may), "Incidents by district").shapes
                 if sh.has_table).table
    cells = {r.cells[0].text: r.cells[1].text for r in table.rows}
    assert cells["Colchester"] == "88"  # May's figure, computed here from the CSV: 88
    [line] = _said(may, "table 'Table'")
    assert "Colchester ; 90*" in line and "Colchester ; 88" in line


def test_an_edited_table_cell_is_kept_when_the_table_is_the_same(april: Any) -> None:
    table = next(sh for sh in _slide(_deck(april), "Incidents by district").shapes
                 if sh.has_table).table
    assert {r.cells[0].text: r.cells[1].text for r in table.rows}["Colchester"] == "90*"


# --- notes ----------------------------------------------------------------------------------


def test_notes_written_by_hand_are_kept(may: Any) -> None:
    slide = _slide(_deck(may), "Force priorities for 2016")
    assert slide.notes_slide.notes_text_frame.text == "Agreed with the chief in March."


def test_changed_notes_are_kept_and_deckgens_new_notes_reported(may: Any) -> None:
    slide = _slide(_deck(may), "Southend at a glance")
    assert slide.notes_slide.notes_text_frame.text == "Ask the inspector about the seafront."
    assert _said(may, "your speaker notes are kept", "Southend had 140 incidents.")


def test_unedited_notes_follow_the_new_figures(may: Any) -> None:
    slide = _slide(_deck(may), "Basildon")
    assert slide.notes_slide.notes_text_frame.text == "Basildon's figure."


# --- shapes ---------------------------------------------------------------------------------


def test_a_text_box_added_by_hand_is_kept(may: Any) -> None:
    assert _texts(_slide(_deck(may), "Southend at a glance"))["Sticky note"] == \
        "Ring the council on Monday"


def test_a_picture_added_by_hand_is_kept_with_its_image(may: Any, work: Path) -> None:
    slide = _slide(_deck(may), "Force priorities for 2016")
    crest = next(sh for sh in slide.shapes if sh.name == "Crest")
    assert crest.image.blob == (Path(__file__).parents[2] / "assets" / "logo.png").read_bytes()


def test_an_external_link_added_by_hand_is_dropped_with_the_text_kept(may: Any) -> None:
    slide = _slide(_deck(may), "Force priorities for 2016")
    link = next(sh for sh in slide.shapes if sh.name == "Link")
    assert link.text_frame.text == "Strategy page"
    assert link.text_frame.paragraphs[0].runs[0].hyperlink.address is None
    assert not [r for r in slide.part.rels.values() if r.is_external]
    assert _said(may, "LAST held a hyperlink to https://example.org/strategy", "never carried")


def test_a_chart_added_by_hand_is_reported_not_carried(may: Any) -> None:
    slide = _slide(_deck(may), "Force priorities for 2016")
    assert "My chart" not in [sh.name for sh in slide.shapes]
    assert _said(may, "'My chart' was added by hand", "holds chart")


def test_a_shape_deleted_by_hand_is_reported_and_drawn_again(may: Any) -> None:
    assert "Footer line" in [sh.name for sh in _slide(_deck(may), "Basildon").shapes]
    assert _said(may, "('Basildon'), box 'Footer line': deleted by hand")


def test_a_moved_shape_is_reported_and_put_back(may: Any, work: Path) -> None:
    april = Presentation(str(work / "april.pptx"))
    where = next(sh.left for sh in _slide(april, "Basildon").shapes if sh.name == "Title rule")
    assert next(sh.left for sh in _slide(_deck(may), "Basildon").shapes
                if sh.name == "Title rule") == where
    assert _said(may, "('Basildon'), box 'Title rule': moved or resized by hand")


def test_a_recoloured_shape_is_reported_with_both_colours(may: Any) -> None:
    rule = next(sh for sh in _slide(_deck(may), "Incidents by district").shapes
                if sh.name == "Title rule")
    assert str(rule.fill.fore_color.rgb) == "E0A526"  # the brand's accent again
    assert _said(may, "'Title rule': recoloured by hand (#e0a526 to #ff0000)")


def test_a_resized_chart_is_reported(may: Any) -> None:
    assert _said(may, "chart 'Chart': moved or resized by hand")


def test_edited_chart_data_is_reported_and_the_chart_shows_this_months(may: Any) -> None:
    frame = next(sh for sh in _slide(_deck(may), "Incidents by district (chart)").shapes
                 if sh.has_chart)
    plot = frame.chart.plots[0]
    values = dict(zip(plot.categories, plot.series[0].values))
    assert values == {"Southend": 140, "Colchester": 88, "Basildon": 80}  # counts.csv, May
    [line] = _said(may, "chart 'Chart': its data was edited by hand")
    assert "Colchester=999" in line and "Colchester=88" in line


def test_every_edit_is_kept_or_reported(may: Any) -> None:
    """The 20 edits: 10 kept, 12 reported (notes changed on both sides are both, the link
    dropped from a text box kept is reported); nothing else is said."""
    assert len(may.kept) == 10 and len(may.reported) == 12, (may.kept, may.reported)


# --- what is never done ---------------------------------------------------------------------


def test_last_is_never_modified(may: Any, april: Any, work: Path, last_digest: str) -> None:
    assert hashlib.sha256((work / "last.pptx").read_bytes()).hexdigest() == last_digest


def test_the_result_is_valid_ooxml(may: Any, ooxml_findings: Callable[[Path], list[str]]
                                   ) -> None:
    assert ooxml_findings(may.written.output) == []


def test_the_deck_is_not_written_over_last(work: Path, last_digest: str) -> None:
    with pytest.raises(DeckError) as caught:
        app.build_keeping_edits(work / "deck.yaml", work / "last.pptx", work / "last.pptx",
                                {"month": "2016-05"}, options=OPTIONS)
    assert "that is the deck --keep-edits reads (LAST is never written)" in str(caught.value)
    assert hashlib.sha256((work / "last.pptx").read_bytes()).hexdigest() == last_digest


def test_a_deck_deckgen_did_not_build_is_refused(work: Path, tmp_path: Path) -> None:
    from pptx import Presentation as New

    plain = tmp_path / "plain.pptx"
    New().save(str(plain))
    with pytest.raises(DeckError) as caught:
        app.build_keeping_edits(work / "deck.yaml", plain, tmp_path / "out.pptx",
                                options=OPTIONS)
    assert "is not a deck deckgen built (it has no deckgen record" in str(caught.value)
    assert not (tmp_path / "out.pptx").exists()


def test_a_deck_of_another_outline_is_refused(work: Path, tmp_path: Path) -> None:
    other = folder(tmp_path / "other")
    other.write_text(other.read_text(encoding="utf-8").replace("title: District pack",
                                                               "title: Another pack"),
                     encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        app.build_keeping_edits(other, work / "last.pptx", tmp_path / "out.pptx",
                                options=OPTIONS)
    assert "was built from another outline (deck.yaml, titled 'District pack')" in \
        str(caught.value)
    assert not (tmp_path / "out.pptx").exists()


def test_the_command_line_says_what_was_kept_and_reported(work: Path, tmp_path: Path) -> None:
    shutil.copy(work / "last.pptx", tmp_path / "last.pptx")
    result = subprocess.run([sys.executable, "-m", "deckgen", "build", str(work / "deck.yaml"),
                             "--set", "month=2016-05", "--no-cache", "--keep-edits",
                             str(tmp_path / "last.pptx"), "-o", str(tmp_path / "may.pptx")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "kept: slide 5 of LAST ('Basildon'), box 'Points': your edit is kept" in \
        result.stdout
    assert "10 kept from" in result.stdout and "12 reported" in result.stdout
    assert "warning: deckgen's slide 7 ('Contacts') was deleted from LAST" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_deck_with_kept_edits_carries_them_on_next_month(may: Any, work: Path) -> None:
    """May's deck (with April's edits kept) is next month's LAST: its people's slides, shapes,
    notes and kept text are carried again, once each."""
    june = app.build_keeping_edits(work / "deck.yaml", may.written.output, work / "june.pptx",
                                   {"month": "2016-05"}, options=OPTIONS)
    prs = _deck(june)
    assert _titles(prs) == _titles(_deck(may))
    assert _texts(_slide(prs, "Basildon"))["Points"].endswith("and at the station")
    assert _texts(_slide(prs, "Southend at a glance"))["Sticky note"] == \
        "Ring the council on Monday"
    assert _slide(prs, "Force priorities for 2016").notes_slide.notes_text_frame.text == \
        "Agreed with the chief in March."
    assert june.reported == []  # May's figures again: nothing changed under an edit


def test_edits_on_a_slide_taken_out_of_the_outline_are_reported(work: Path,
                                                                tmp_path: Path) -> None:
    deck = folder(tmp_path)
    text = deck.read_text(encoding="utf-8")
    start = text.index("  - kind: bullets\n    id: priorities")
    end = text.index("  - kind: bullets\n    id: contacts")
    deck.write_text(text[:start] + text[end:], encoding="utf-8")
    kept = app.build_keeping_edits(deck, work / "last.pptx", tmp_path / "out.pptx",
                                   {"month": "2016-05"}, options=OPTIONS)
    assert "Force priorities for 2016" not in _titles(_deck(kept))
    assert _said(kept, "('Force priorities for 2016'): not in this month's deck (no longer in "
                       "the outline")
