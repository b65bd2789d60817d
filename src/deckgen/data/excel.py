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

A workbook is checked before openpyxl reads it (xlsxcheck.py: the zip, the XML, the sheet's used
range against MAX_ROWS, MAX_COLUMNS and MAX_CELLS), and the sheet is then streamed row by row
(openpyxl's read-only mode), only as far as its last value: openpyxl's ordinary mode builds an
object for every cell, merged cell and linked cell of every sheet, which a five-kilobyte
workbook could make billions of.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from deckgen.data.csvread import number_columns
from deckgen.data.xlsxcheck import (
    MAX_BYTES,
    MAX_ROWS,
    SheetExtent,
    check_package,
    damaged,
    scan_sheet,
)
from deckgen.errors import DeckError, Location, Problem, did_you_mean, excerpt, listing

if TYPE_CHECKING:
    import pandas as pd


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
    at `sheet_at`, the outline's `sheet:`). The workbook is checked before openpyxl opens it,
    the cells read, then the header found and named, then the rows below it read as text,
    as the CSV reader would see them."""
    import pandas as pd
    from openpyxl.utils import get_column_letter

    _check_size(path, shown)
    check_package(path, shown)
    grid = _cells(path, shown, sheet, cells, sheet_at, context)
    first = _header_index(grid, header_row)
    _fill_merged(grid.extent.merged, grid.rows, grid.top, grid.left, grid.top + first, shown,
                 grid.sheet)
    names, keep = _column_names(grid, first, header_row)
    body, labels = _records(grid, first, names, keep)
    body, labels, notes = _notes_below(body, labels, grid)
    frame = pd.DataFrame(body, columns=names, index=pd.Index(labels, name="row"), dtype=object)
    origin = SheetOrigin(shown, grid.sheet, {n: get_column_letter(grid.left + i)
                                             for n, i in zip(names, keep)})
    warnings = notes + number_columns(frame, ".", origin.where, unit="row")
    return frame, origin, warnings


#: Text that reads as a note under a table, not as a row of it.
_NOTE = re.compile(r"^\s*(sources?\b|notes?\b|footnotes?\b|[*†‡©]|\[note|contains (public|"
                   r"os|ons|national)|this (table|worksheet|sheet)\b)|\[note \d+\]",
                   re.IGNORECASE)


def _notes_below(body: list[list[Optional[str]]], labels: list[int], grid: "_Grid"
                 ) -> tuple[list[list[Optional[str]]], list[int], list[Problem]]:
    """The rows under a table that are notes, not data ("Source: ONS mid-2024 population
    estimates [note 2]"): at the end of the rows, only one cell filled, with text that reads
    as a note (Source, Note, a '[note 2]' mark, a footnote sign), in a table of several
    columns; never a row that could be an area with its figures blank. They are left out, and
    said so (a note read as a row would be a district called "Source: ..." in a table and its
    total)."""
    notes: list[Problem] = []
    while len(body) > 1 and len(body[0]) > 1:
        filled = [c for c in body[-1] if c]
        if len(filled) != 1 or not _NOTE.search(filled[0]):
            break
        notes.insert(0, Problem(f"row {labels[-1]} ('{excerpt(filled[0], 80)}') is a note "
                                "under the table, not data: it is left out (set 'range:' to "
                                "read only the table and not be told)",
                                grid.at(f"A{labels[-1]}")))
        body, labels = body[:-1], labels[:-1]
    return body, labels, notes


@dataclass(frozen=True)
class _Grid:
    """The cells read from a sheet: their values row by row from (left, top) to its `right`
    column, which of them show as a percentage (row and column offsets), and the sheet's
    extent (merged ranges, formulas)."""

    shown: str
    sheet: str
    extent: SheetExtent
    left: int
    top: int
    right: int
    rows: list[list[Any]]
    percent: set[tuple[int, int]]

    def at(self, cell: str) -> Location:
        """The location of a cell (`C7`) or range (`B3:B4`) of this sheet."""
        return Location(self.shown, 0, 0, cell=f"{self.sheet}!{cell}")


def _check_size(path: Path, shown: str) -> None:
    """Refuse a workbook over MAX_BYTES before anything opens it: openpyxl is not a database
    reader, and a table that large belongs in a CSV."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(shown)) \
            from None
    if size > MAX_BYTES:
        raise DeckError.single(f"the workbook is {size / 1e6:.0f} MB; deckgen reads workbooks of "
                               f"at most {MAX_BYTES / 1e6:.0f} MB (save the sheet as CSV)",
                               Location(shown))


def _cells(path: Path, shown: str, sheet: Union[str, int, None], cells: Optional[str],
           sheet_at: Optional[Location], context: str) -> _Grid:
    """The cells of the sheet the outline names, within its `range:` (else its used range),
    streamed once the sheet's extent is checked (scan_sheet); the workbook is closed after."""
    reader, parts = _open(path, shown)
    try:
        name = _sheet_name(list(parts), sheet, shown, sheet_at, context)
        part = parts[name]
        if part is None:
            raise DeckError.single(f"sheet '{excerpt(name)}' is a chart, not a table; name a "
                                   f"sheet of figures (sheets: {listing(parts)})",
                                   sheet_at or Location(shown), context)
        extent = scan_sheet(path, part, shown, name)
        left, top, right, bottom = _bounds(cells, extent, shown)
        rows, percent = _grid(_worksheet(reader, name, part), extent,
                              (left, top, right, bottom), shown)
    finally:
        reader.archive.close()
    return _Grid(shown, name, extent, left, top, right, rows, percent)


def _header_index(grid: _Grid, header_row: Optional[int]) -> int:
    """Which of the rows read is the header: the outline's `header_row:`, else the first row
    with anything in it (blank rows above a table are common)."""
    rows = grid.rows
    first = header_row - grid.top if header_row else next(
        (i for i, r in enumerate(rows) if any(_filled(v) for v in r)), None)
    if first is None or first < 0 or first >= len(rows):
        raise DeckError.single(f"sheet '{grid.sheet}' has no header row"
                               + (f" at row {header_row}" if header_row else "")
                               + "; the first row with values names the columns",
                               grid.at(f"A{header_row or 1}"))
    return first


def _column_names(grid: _Grid, first: int, header_row: Optional[int]
                  ) -> tuple[list[str], list[int]]:
    """The header's names, and the columns they name (offsets in the rows): a column with no
    name and no values is left out; a column with values needs a name, and each name is used
    once, or no later step could tell the columns apart."""
    from openpyxl.utils import get_column_letter

    names: list[str] = []
    keep: list[int] = []
    for i, value in enumerate(grid.rows[first]):
        letter = get_column_letter(grid.left + i)
        text = _text(value)
        if not text:
            if not any(_filled(r[i]) for r in grid.rows[first + 1:]):
                continue
            raise DeckError.single(_empty_header(grid, first, i, header_row),
                                   grid.at(f"{letter}{grid.top + first}"))
        if text in names:
            raise DeckError.single(f"the header names column '{excerpt(text)}' twice; rename one",
                                   grid.at(f"{letter}{grid.top + first}"))
        names.append(text)
        keep.append(i)
    return names, keep


def _empty_header(grid: _Grid, first: int, i: int, header_row: Optional[int]) -> str:
    """Why a header cell is empty over a column of values, as far as can be seen: a merged
    cell over it (a range that holds its value in another cell, whether it starts on the
    header row or above it), or a title above the real header."""
    header_at, col = grid.top + first, grid.left + i
    covered = any(r0 <= header_at <= r1 and c0 <= col <= c1 and (r0, c0) != (header_at, col)
                  for c0, r0, c1, r1 in grid.extent.merged)
    why = " (it is covered by a merged cell)" if covered else ""
    titled = header_row is None and sum(_filled(v) for v in grid.rows[first]) == 1
    fix = (f"row {header_at} looks like a title: if the column names are on a later "
           "row, say which with 'header_row:'" if titled else
           "give each column its own name")
    return f"the header cell is empty{why} but the column has values; {fix}"


def _records(grid: _Grid, first: int, names: list[str], keep: list[int]
             ) -> tuple[list[list[Optional[str]]], list[int]]:
    """The rows below the header as text cells of the named columns, and each one's row on
    the sheet: blank rows are skipped; a row that repeats the header (a table pasted twice),
    more than MAX_ROWS rows, formulas with no saved value (all of them named at once) and a
    header with no rows are errors."""
    from openpyxl.utils import get_column_letter

    header_at = grid.top + first
    header = [n.casefold() for n in names]
    body: list[list[Optional[str]]] = []
    labels: list[int] = []
    unsaved: list[str] = []  # formulas without a saved value
    for offset, row in enumerate(grid.rows[first + 1:], start=1):
        at = header_at + offset
        if not any(_filled(row[i]) for i in keep):
            continue
        cells = []
        for i in keep:
            value = row[i]
            if value is None and (at, grid.left + i) in grid.extent.formulas:
                unsaved.append(f"{get_column_letter(grid.left + i)}{at}")
            cells.append(_text(value, (first + offset, i) in grid.percent) or None)
        if [(c or "").casefold() for c in cells] == header:
            raise DeckError.single("this row repeats the header; remove it", grid.at(f"A{at}"))
        body.append(cells)
        labels.append(at)
        if len(body) > MAX_ROWS:
            raise DeckError.single(f"the sheet has more than {MAX_ROWS:,} rows; deckgen reads at "
                                   "most that many", grid.at(f"A{at}"))
    if unsaved:
        more = f" (and {len(unsaved) - 1:,} more: {listing(unsaved[1:], 5)})" \
            if len(unsaved) > 1 else ""
        raise DeckError.single(
            f"the formula in this cell{more} has no saved value (the workbook was written by a "
            "program that does not calculate); open it in Excel or LibreOffice Calc and save "
            "it again", grid.at(unsaved[0]))
    if not body:
        raise DeckError.single(f"sheet '{grid.sheet}' has a header but no rows",
                               grid.at(f"A{header_at}"))
    return body, labels


def _open(path: Path, shown: str) -> tuple[Any, dict[str, Optional[str]]]:
    """The workbook, opened to stream a sheet (openpyxl's read-only mode: a sheet is parsed row
    by row when read, never held as cells), and where each sheet is in the package, in the
    workbook's order (None for a chart sheet, which holds no table). No sheet is opened here:
    openpyxl would read each one to size it (all of it when it has no <dimension>), before
    deckgen has checked it. External links (cached copies of other workbooks) are not read."""
    from openpyxl.reader.excel import ExcelReader

    parts: dict[str, Optional[str]] = {}

    class Sheets(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files:
                    parts.setdefault(sheet.name, None if "chartsheet" in rel.Type
                                     else str(rel.target))
            # defined names (print areas...) go to sheets, which are not made here
            self.parser.assign_names = lambda: None

    reader = None
    try:
        reader = Sheets(str(path), read_only=True, data_only=True, keep_links=False)
        reader.read()
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        if reader is not None:
            reader.archive.close()
        raise DeckError.single(f"cannot read the workbook ({type(exc).__name__}: "
                               f"{excerpt(exc, 80)}); is it an .xlsx file?",
                               Location(shown)) from None
    if not parts:
        reader.archive.close()
        raise damaged(shown, "it has no sheets")
    return reader, parts


def _worksheet(reader: Any, name: str, part: str) -> Any:
    """The sheet at `part`, to stream: sized by deckgen's own check (scan_sheet), not by
    openpyxl's reading of it."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Streamed(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            """Left unsized: every read names its rows and columns."""

    return Streamed(reader.wb, name, part, reader.shared_strings)


def _bounds(cells: Optional[str], extent: SheetExtent, shown: str
            ) -> tuple[int, int, int, int]:
    """The cells to read (left, top, right, bottom): the outline's `range:`, or the sheet's used
    range, never beyond the last row and column with a value (nothing is there to read)."""
    from openpyxl.utils import range_boundaries

    rows, columns = max(extent.rows, 1), max(extent.columns, 1)
    if not cells:
        return 1, 1, columns, rows
    try:
        left, top, right, bottom = range_boundaries(cells)
    except (ValueError, TypeError):
        raise DeckError.single(f"'{excerpt(cells)}' is not a range of cells; write it like "
                               "B3:F20", Location(shown)) from None
    left, top = left or 1, top or 1
    return left, top, min(right or columns, max(columns, left)), \
        min(bottom or rows, max(rows, top))


def _grid(ws: Any, extent: SheetExtent, box: tuple[int, int, int, int], shown: str
          ) -> tuple[list[list[Any]], set[tuple[int, int]]]:
    """The values of the cells in `box` (left, top, right, bottom), row by row, with the cells
    a merged range covers blank (only its first cell holds its value, as Excel shows it), and
    which cells Excel shows as a percentage (0.064 as 6.4%: read as the CSV cell '6.4%' is)."""
    left, top, right, bottom = box
    width = right - left + 1
    rows: list[list[Any]] = []
    percent: set[tuple[int, int]] = set()
    try:
        for r, row in enumerate(ws.iter_rows(min_row=top, max_row=bottom, min_col=left,
                                             max_col=right)):
            values = [c.value for c in row]
            percent.update((r, i) for i, c in enumerate(row)
                           if isinstance(values[i], (int, float)) and
                           _shows_percent(c.number_format))
            rows.append(values)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise DeckError.single(f"cannot read the workbook ({type(exc).__name__}: "
                               f"{excerpt(exc, 80)}); is it an .xlsx file?",
                               Location(shown)) from None
    rows += [[None] * width for _ in range(bottom - top + 1 - len(rows))]
    for c0, r0, c1, r1 in extent.merged:
        for r in range(max(r0, top), min(r1, bottom) + 1):
            for c in range(max(c0, left), min(c1, right) + 1):
                if (r, c) != (r0, c0):
                    rows[r - top][c - left] = None
                    percent.discard((r - top, c - left))
    return rows, percent


def _fill_merged(ranges: list[tuple[int, int, int, int]], rows: list[list[Any]], top: int,
                 left: int, header_at: int, shown: str, sheet: str) -> None:
    """Merged cells below the header, as a reader of the sheet sees them: a label merged down
    over rows (a district over its offences) labels each of those rows. A number merged down
    would be counted once for each row, and cells merged across columns hold one value for
    several columns: both are errors at their cells."""
    from openpyxl.utils import get_column_letter

    for min_col, min_row, max_col, max_row in ranges:
        if min_row <= header_at or min_row - top >= len(rows) \
                or not 0 <= min_col - left < len(rows[0]):
            continue
        coord = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        where = Location(shown, 0, 0, cell=f"{sheet}!{coord}")
        if min_col != max_col:
            raise DeckError.single("these cells are merged across columns, so one value would "
                                   "stand for several columns; unmerge them (Excel: Merge & "
                                   "Center > Unmerge Cells)", where)
        value = rows[min_row - top][min_col - left]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise DeckError.single(f"the number {_text(value)} is merged over "
                                   f"{max_row - min_row + 1} rows, so it would "
                                   "count once for each; unmerge the cells and put the figure "
                                   "in one row", where)
        for row in range(min_row + 1, min(max_row, top + len(rows) - 1) + 1):
            rows[row - top][min_col - left] = value


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


@functools.lru_cache(maxsize=256)
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
