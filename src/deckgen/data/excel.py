"""Read a sheet of an Excel workbook (.xlsx) as a table, through openpyxl.

Analysts keep their figures in workbooks. A sheet is read by name or number (`sheet:`), from its
header row (`header_row:`, else the first row with anything in it: blank leading rows are
skipped) or within a range of cells (`range: B3:F20`). Formulas are read as the values Excel
saved with them; a formula with no saved value (a file written by a program that does not
calculate) is an error at its cell, never a blank. A header cell left empty by a merged cell
over its neighbour is an error at that cell; below the header, a label merged down over rows
labels each of them (a number merged down, or cells merged across, are errors). Cells are read
as the CSV reader reads them, so numbers, codes with leading zeros and n/a markers follow the
same rules; a number is read as Excel shows it, to 15 significant digits. Every message names
its cell: `figures.xlsx:Sheet1!C7`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from deckgen.data.csvread import number_columns
from deckgen.errors import DeckError, Location, Problem, did_you_mean, excerpt, listing

if TYPE_CHECKING:
    import pandas as pd

#: Larger workbooks are refused (openpyxl holds a sheet's cells in memory).
MAX_BYTES = 50_000_000
MAX_ROWS = 200_000


@dataclass(frozen=True)
class SheetOrigin:
    """Where the rows of a table read from a sheet came from: row label = the sheet's row."""

    shown: str
    sheet: str
    letters: dict[str, str]  # column name -> its column letter

    def where(self, label: int, column: Optional[str] = None) -> Location:
        letter = self.letters.get(column or "", "") or next(iter(self.letters.values()), "A")
        return Location(self.shown, label, 0, cell=f"{self.sheet}!{letter}{label}")

    def row(self, label: int) -> str:
        return f"row {label}"


def read_excel(path: Path, shown: str, sheet: Union[str, int, None], header_row: Optional[int],
               cells: Optional[str], sheet_at: Optional[Location] = None, context: str = ""
               ) -> tuple["pd.DataFrame", SheetOrigin, list[Problem]]:
    """The table on a sheet; every problem a DeckError at its cell (a sheet the workbook lacks
    at `sheet_at`, the outline's `sheet:`)."""
    import pandas as pd
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter, range_boundaries

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(shown)) \
            from None
    if size > MAX_BYTES:
        raise DeckError.single(f"the workbook is {size / 1e6:.0f} MB; deckgen reads workbooks of "
                               f"at most {MAX_BYTES / 1e6:.0f} MB (save the sheet as CSV)",
                               Location(shown))
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise DeckError.single(f"cannot read the workbook ({type(exc).__name__}: "
                               f"{excerpt(exc, 80)}); is it an .xlsx file?",
                               Location(shown)) from None
    name = _sheet_name(values.sheetnames, sheet, shown, sheet_at, context)
    ws, wf = values[name], formulas[name]
    if cells:
        try:
            left, top, right, bottom = range_boundaries(cells)
        except (ValueError, TypeError):
            raise DeckError.single(f"'{excerpt(cells)}' is not a range of cells; write it like "
                                   "B3:F20", Location(shown)) from None
    else:
        left, top, right, bottom = 1, 1, ws.max_column, ws.max_row
    grid = [list(r) for r in ws.iter_rows(min_row=top, max_row=bottom, min_col=left,
                                           max_col=right)]
    rows = [[c.value for c in r] for r in grid]
    # a cell Excel shows as a percentage (0.064 as 6.4%) reads as the CSV cell '6.4%' does
    percent = {(r, i) for r, cells in enumerate(grid) for i, c in enumerate(cells)
               if isinstance(c.value, (int, float)) and _shows_percent(c.number_format)}
    first = header_row - top if header_row else next(
        (i for i, r in enumerate(rows) if any(_filled(v) for v in r)), None)
    if first is None or first < 0 or first >= len(rows):
        raise DeckError.single(f"sheet '{name}' has no header row"
                               + (f" at row {header_row}" if header_row else "")
                               + "; the first row with values names the columns",
                               Location(shown, 0, 0, cell=f"{name}!A{header_row or 1}"))
    header_at = top + first
    _fill_merged(ws, rows, top, left, header_at, shown, name)
    merged = {(c.min_row, col) for c in wf.merged_cells.ranges
              for col in range(c.min_col + 1, c.max_col + 1) if c.min_row <= header_at <= c.max_row}
    names: list[str] = []
    keep: list[int] = []
    for i, value in enumerate(rows[first]):
        col = left + i
        letter = get_column_letter(col)
        below = any(_filled(r[i]) for r in rows[first + 1:])
        text = _text(value)
        if not text:
            if not below:
                continue
            why = " (it is covered by a merged cell)" if (header_at, col) in merged else ""
            titled = header_row is None and sum(_filled(v) for v in rows[first]) == 1
            fix = (f"row {header_at} looks like a title: if the column names are on a later "
                   "row, say which with 'header_row:'" if titled else
                   "give each column its own name")
            raise DeckError.single(f"the header cell is empty{why} but the column has values; "
                                   f"{fix}",
                                   Location(shown, 0, 0, cell=f"{name}!{letter}{header_at}"))
        if text in names:
            raise DeckError.single(f"the header names column '{excerpt(text)}' twice; rename one",
                                   Location(shown, 0, 0, cell=f"{name}!{letter}{header_at}"))
        names.append(text)
        keep.append(i)
    body: list[list[Optional[str]]] = []
    labels: list[int] = []
    unsaved: list[str] = []  # formulas without a saved value
    for offset, row in enumerate(rows[first + 1:], start=1):
        at = header_at + offset
        if not any(_filled(row[i]) for i in keep):
            continue
        cells_ = []
        for i in keep:
            value = row[i]
            if value is None and _formula(wf, at, left + i):
                unsaved.append(f"{get_column_letter(left + i)}{at}")
            cells_.append(_text(value, (first + offset, i) in percent) or None)
        if [(c or "").casefold() for c in cells_] == [n.casefold() for n in names]:
            raise DeckError.single("this row repeats the header; remove it",
                                   Location(shown, 0, 0, cell=f"{name}!A{at}"))
        body.append(cells_)
        labels.append(at)
        if len(body) > MAX_ROWS:
            raise DeckError.single(f"the sheet has more than {MAX_ROWS:,} rows; deckgen reads at "
                                   "most that many", Location(shown, 0, 0, cell=f"{name}!A{at}"))
    if unsaved:
        more = f" (and {len(unsaved) - 1:,} more: {listing(unsaved[1:], 5)})" \
            if len(unsaved) > 1 else ""
        raise DeckError.single(
            f"the formula in this cell{more} has no saved value (the workbook was written by a "
            "program that does not calculate); open it in Excel or LibreOffice Calc and save "
            "it again", Location(shown, 0, 0, cell=f"{name}!{unsaved[0]}"))
    if not body:
        raise DeckError.single(f"sheet '{name}' has a header but no rows",
                               Location(shown, 0, 0, cell=f"{name}!A{header_at}"))
    frame = pd.DataFrame(body, columns=names, index=pd.Index(labels, name="row"), dtype=object)
    origin = SheetOrigin(shown, name, {n: get_column_letter(left + i) for n, i in zip(names,
                                                                                      keep)})
    warnings = number_columns(frame, ".", origin.where, unit="row")
    return frame, origin, warnings


def _fill_merged(ws: Any, rows: list[list[Any]], top: int, left: int, header_at: int,
                 shown: str, sheet: str) -> None:
    """Merged cells below the header, as a reader of the sheet sees them: a label merged down
    over rows (a district over its offences) labels each of those rows. A number merged down
    would be counted once for each row, and cells merged across columns hold one value for
    several columns: both are errors at their cells."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= header_at or merged.min_row - top >= len(rows) \
                or not 0 <= merged.min_col - left < len(rows[0]):
            continue
        where = Location(shown, 0, 0, cell=f"{sheet}!{merged.coord}")
        if merged.min_col != merged.max_col:
            raise DeckError.single("these cells are merged across columns, so one value would "
                                   "stand for several columns; unmerge them (Excel: Merge & "
                                   "Center > Unmerge Cells)", where)
        value = rows[merged.min_row - top][merged.min_col - left]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise DeckError.single(f"the number {_text(value)} is merged over "
                                   f"{merged.max_row - merged.min_row + 1} rows, so it would "
                                   "count once for each; unmerge the cells and put the figure "
                                   "in one row", where)
        for row in range(merged.min_row + 1, min(merged.max_row, top + len(rows) - 1) + 1):
            rows[row - top][merged.min_col - left] = value


def _sheet_name(names: list[str], sheet: Union[str, int, None], shown: str,
                at: Optional[Location], context: str) -> str:
    """The sheet the outline names; a name the workbook lacks is an error at the outline's
    `sheet:` (`at`), naming the workbook."""
    if sheet is None:
        return names[0]
    where = at or Location(shown)
    workbook = f"{shown} " if at else "the workbook "
    if isinstance(sheet, int):
        if 1 <= sheet <= len(names):
            return names[sheet - 1]
        raise DeckError.single(f"{workbook}has {len(names)} sheet(s); sheet {sheet} is not one "
                               f"(sheets: {listing(names)})", where, context)
    if sheet in names:
        return sheet
    raise DeckError.single(f"{workbook}has no sheet '{excerpt(sheet)}'; its sheets are: "
                           f"{listing(names)}{did_you_mean(sheet, names)}", where, context)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _shows_percent(number_format: Any) -> bool:
    """Whether an Excel number format shows the cell as a percentage (a % outside quotes)."""
    text = re.sub(r'"[^"]*"|\\.', "", str(number_format or ""))
    return "%" in text


def _text(value: Any, percent: bool = False) -> str:
    """A cell as the CSV reader would see it: numbers without a trailing .0, dates as ISO, a
    percentage as Excel shows it (6.4%, read as 6.4 like the CSV cell)."""
    if percent and not isinstance(value, bool):
        return f"{_text(float(value) * 100)}%"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value == 0:
        return "0"
    if isinstance(value, float):
        # As Excel shows it: 15 significant digits at most (the file may hold 17, as in
        # 54.545454545454547 for =30/55*100), never in exponent notation.
        return f"{Decimal(format(value, '.15g')).normalize():f}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _formula(ws: Any, row: int, col: int) -> bool:
    value = ws.cell(row=row, column=col).value
    return isinstance(value, str) and value.startswith("=")
