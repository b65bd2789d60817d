"""Reading a sheet (data/excel.py): what a message says about a header cell left empty."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from openpyxl import Workbook

from deckgen.data import excel
from deckgen.errors import DeckError


def _refusal(tmp_path: Path, merge: str, title: Optional[str], note: Optional[str]) -> str:
    """The message for a sheet whose header is on row 3, with `merge` merged."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet["A1"], sheet["B2"], sheet["A3"] = title, note, "district"
    sheet.append(["Medway", 12])
    sheet.append(["Basildon", 7])
    sheet.merge_cells(merge)
    book.save(tmp_path / "m.xlsx")
    with pytest.raises(DeckError) as caught:
        excel.read_excel(tmp_path / "m.xlsx", "m.xlsx", None, 3, None)
    return str(caught.value)


@pytest.mark.parametrize("merge, title, note, cell", [
    ("A3:B3", None, None, "B3"),  # merged across the header row
    ("B2:B3", None, "note", "B3"),  # merged down from the row above into the header
    ("A1:B3", "Anti-social behaviour", None, "A3"),  # a title merged down over the header
])
def test_a_header_cell_a_merged_range_covers_says_so(tmp_path: Path, merge: str,
                                                      title: Optional[str], note: Optional[str],
                                                      cell: str) -> None:
    assert _refusal(tmp_path, merge, title, note) == (
        f"m.xlsx:Figures!{cell}: the header cell is empty (it is covered by a merged cell) but "
        "the column has values; give each column its own name")


def test_a_header_cell_left_empty_says_only_that(tmp_path: Path) -> None:
    """A header cell no merged range covers: the message does not say it is covered."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(["district", None, "month"])
    sheet.append(["Medway", 12, "2016-04"])
    book.save(tmp_path / "e.xlsx")
    with pytest.raises(DeckError) as caught:
        excel.read_excel(tmp_path / "e.xlsx", "e.xlsx", None, None, None)
    assert str(caught.value) == ("e.xlsx:Figures!B1: the header cell is empty but the column "
                                 "has values; give each column its own name")
