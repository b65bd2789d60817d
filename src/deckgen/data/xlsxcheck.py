"""Check a workbook's package before openpyxl reads any of it, so no workbook can exhaust memory.

An .xlsx file is a zip of XML parts, and openpyxl trusts it: it allocates whatever the parts
describe. A 5 KB workbook with one value at XFD1048576 made it fill a grid of 16,384 columns by a
million rows; a 1 MB zip inflates to gigabytes; a styles part of 200,000 formats takes seconds
and hundreds of MB. So, before openpyxl sees a part, deckgen checks what it would cost, with
named limits a real workbook stays far below:

- the zip: how many parts its central directory lists (read from the end record, before
  `zipfile` builds an entry per part), each part's size once unpacked, and the total; only
  stored or deflated parts; every part deckgen reads is read with a running count, so a size
  field that lies cannot help (zipfile also stops at the stated size and fails the checksum);
- the parts openpyxl parses whole (content types, workbook, relationships, styles, properties):
  how many XML elements they hold, together;
- the shared strings (streamed by openpyxl): how many strings, and elements per string;
- the sheet that is read (streamed): its used range as `<dimension>` states it and as its cells
  really reach (rows, columns, cells), elements per row, and rows in order.

XML is counted with expat, the parser openpyxl's streaming readers use, so the counts are of
the document openpyxl will see; a part with a document type declaration (`<!DOCTYPE`, the way
to declare entities that expand) is refused, as Office never writes one. deckgen reads only
worksheets: chart sheets are not parsed at all (see excel.py).
"""

from __future__ import annotations

import pyexpat
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from deckgen.errors import DeckError, Location, excerpt

#: The file itself (openpyxl is not a database reader: save large tables as CSV).
MAX_BYTES = 50_000_000
#: Parts in the zip (a workbook saved by Excel has tens; one per sheet, drawing, chart...).
MAX_PARTS = 1_000
#: One part once unpacked, and all of them together.
MAX_PART_BYTES = 100_000_000
MAX_UNPACKED_BYTES = 250_000_000
#: The sheet read: its used range (rows, columns, and the cells of that rectangle).
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000
#: Strings in the workbook's shared string table.
MAX_STRINGS = 1_000_000
#: XML elements in the parts openpyxl parses whole (styles, workbook, relationships, properties).
MAX_STRUCTURE_ELEMENTS = 200_000
#: XML elements in one row of the sheet, or in one shared string (a cell with rich text).
MAX_RECORD_ELEMENTS = 20_000
#: XML elements of the sheet or the string table outside its rows or strings (merged cells,
#: formatting rules, column widths).
MAX_OTHER_ELEMENTS = 100_000
#: XML elements in the rows of the sheet, or in the strings of the string table (a cell is two
#: or three: <c><v>, <c><f><v>).
MAX_ELEMENTS = 4 * MAX_CELLS
#: How deep XML elements nest (a sheet's cell text is about 7 deep).
MAX_DEPTH = 64

_CHUNK = 1 << 16
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CONTENT_TYPES = "[Content_Types].xml"
#: Parts openpyxl reads whole by their fixed names.
_FIXED_PARTS = {_CONTENT_TYPES, "docProps/core.xml", "docProps/custom.xml", "xl/styles.xml",
                "xl/workbook.xml"}
_WORKBOOK_TYPES = {f"application/vnd.{kind}.main+xml" for kind in (
    "openxmlformats-officedocument.spreadsheetml.sheet",
    "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "ms-excel.template.macroEnabled")}
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_VALUES = {_MAIN + "v", _MAIN + "is", _MAIN + "f"}
_FORMULA, _ROW, _DIMENSION, _MERGED, _STRING = (
    _MAIN + tag for tag in ("f", "row", "dimension", "mergeCell", "si"))
_RESAVE = "open it in Excel or LibreOffice Calc and save it again, or save the sheet as CSV"


def damaged(shown: str, why: str) -> DeckError:
    return DeckError.single(f"the workbook is damaged or is not an .xlsx file ({why}); "
                            f"{_RESAVE}", Location(shown))


def check_package(path: Path, shown: str) -> None:
    """Refuse, at the file, a workbook whose package would cost more than the limits to read:
    too many or too large parts, or styles, names or shared strings beyond their bounds."""
    _check_directory(path, shown)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                raise _too_many(shown, len(infos))
            total = 0
            for info in infos:
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise damaged(shown, f"part {excerpt(info.filename, 80)} is compressed "
                                  "in a way Excel never uses")
                if info.file_size > MAX_PART_BYTES:
                    raise _part_too_large(shown, info.filename, info.file_size)
                total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise DeckError.single(
                    f"the workbook unpacks to {total / 1e6:,.0f} MB; deckgen reads workbooks "
                    f"of at most {MAX_UNPACKED_BYTES / 1e6:,.0f} MB unpacked (an .xlsx file is a "
                    "zip): save the sheet as CSV, or copy it to a new workbook",
                    Location(shown))
            names = {info.filename for info in infos}
            structure = _Budget(MAX_STRUCTURE_ELEMENTS)
            if _CONTENT_TYPES in names:
                _scan(zf, _CONTENT_TYPES, shown, _Whole(shown, _CONTENT_TYPES, structure))
            workbooks, strings = _declared_parts(zf, names)
            for name in sorted(names):
                if name in _FIXED_PARTS - {_CONTENT_TYPES} or name in workbooks \
                        or name.endswith(".rels"):
                    _scan(zf, name, shown, _Whole(shown, name, structure))
            for name in sorted(strings & names):
                _scan(zf, name, shown, _Strings(shown, name))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, struct.error) as exc:
        raise damaged(shown, f"{type(exc).__name__}: {excerpt(exc, 80)}") from None
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(shown)) \
            from None


@dataclass
class SheetExtent:
    """What the sheet's XML holds, as openpyxl will read it: the last row and column with a
    value (0 when none), its merged ranges (min_col, min_row, max_col, max_row) and the cells
    with a formula."""

    rows: int = 0
    columns: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)


def scan_sheet(path: Path, part: str, shown: str, sheet: str) -> SheetExtent:
    """The extent of the sheet stored at `part`, read once by expat; a sheet beyond the limits
    is refused at its cell, as soon as the XML shows it (the `<dimension>` Excel writes first,
    else the first cell too far), before openpyxl reads a row."""
    scan = _Sheet(shown, sheet)
    try:
        with zipfile.ZipFile(path) as zf:
            _scan(zf, part, shown, scan)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, KeyError) as exc:
        raise damaged(shown, f"{type(exc).__name__}: {excerpt(exc, 80)}") from None
    scan.finish()
    return scan.extent


# --- the zip ------------------------------------------------------------------------------------


def _check_directory(path: Path, shown: str) -> None:
    """Refuse a zip whose central directory lists more parts than MAX_PARTS could need, from its
    end record, before `zipfile` reads the directory (it builds an object per entry: 560,000
    empty entries fit in 50 MB and take 6 s and 570 MB). Found as zipfile finds it."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 22 - 65_535))
            tail = handle.read()
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(shown)) \
            from None
    at = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise DeckError.single("this is not an .xlsx workbook: an .xlsx file is a zip file, and "
                               "this is not one; save the sheet from Excel as .xlsx or as CSV",
                               Location(shown))
    entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    locator = tail[at - 20:at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07" and at >= 76 and tail[at - 76:at - 72] == b"PK\x06\x06":
        entries, directory = struct.unpack("<QQ", tail[at - 76 + 32:at - 76 + 48])
    # an entry is 46 bytes and its name; Excel's names are under 100 characters
    if directory > MAX_PARTS * 1_000:
        raise DeckError.single(
            f"the workbook's list of parts takes {directory / 1e6:,.1f} MB (it names "
            f"{entries:,} parts); deckgen reads workbooks of at most {MAX_PARTS:,} parts "
            "(sheets, drawings, charts...): save the sheet as CSV, or copy it to a new workbook",
            Location(shown))


def _too_many(shown: str, count: int) -> DeckError:
    return DeckError.single(f"the workbook has {count:,} parts; deckgen reads workbooks of at "
                            f"most {MAX_PARTS:,} parts (sheets, drawings, charts...): save the "
                            "sheet as CSV, or copy it to a new workbook", Location(shown))


def _part_too_large(shown: str, name: str, size: int) -> DeckError:
    return DeckError.single(f"the workbook's part {excerpt(name, 80)} unpacks to "
                            f"{size / 1e6:,.0f} MB or more; deckgen reads parts of at most "
                            f"{MAX_PART_BYTES / 1e6:,.0f} MB (an .xlsx file is a zip; this "
                            "one may be a zip bomb): save the sheet as CSV",
                            Location(shown))


def _chunks(zf: zipfile.ZipFile, name: str, shown: str) -> Iterator[bytes]:
    """The part's bytes, counted as they are unpacked: never more than MAX_PART_BYTES."""
    read = 0
    with zf.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > MAX_PART_BYTES:
                raise _part_too_large(shown, name, read)
            yield chunk


def _declared_parts(zf: zipfile.ZipFile, names: set[str]) -> tuple[set[str], set[str]]:
    """The workbook and shared-string parts [Content_Types].xml names (every one it names, so
    whichever openpyxl takes is among them). Parsed only after its elements were counted and no
    DOCTYPE was found."""
    if _CONTENT_TYPES not in names:
        return set(), set()
    workbooks: set[str] = set()
    strings: set[str] = set()
    try:
        root = ET.fromstring(zf.read(_CONTENT_TYPES))
    except ET.ParseError:
        return workbooks, strings  # openpyxl cannot read it either
    for item in root.iter():
        if item.tag.rpartition("}")[2] != "Override":
            continue
        part = (item.get("PartName") or "")[1:]
        kind = item.get("ContentType") or ""
        if kind in _WORKBOOK_TYPES:
            workbooks.add(part)
        elif kind == _STRINGS_TYPE:
            strings.add(part)
    return workbooks, strings


# --- the XML ------------------------------------------------------------------------------------


class _Budget:
    """Elements left to the parts openpyxl parses whole, shared between them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0


class _Counter:
    """What one XML part holds, counted element by element as expat reads it."""

    what = "XML"

    def __init__(self, shown: str, name: str) -> None:
        self.shown = shown
        self.name = name
        self.depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.refuse(f"its XML is nested more than {MAX_DEPTH} deep")

    def end(self, tag: str) -> None:
        self.depth -= 1

    def refuse(self, why: str) -> DeckError:
        return DeckError.single(f"the workbook's {self.what} cannot be read safely: {why}; "
                                f"{_RESAVE}", Location(self.shown))


class _Whole(_Counter):
    """A part openpyxl parses into a tree at once: its elements come from a shared budget."""

    what = "structure (styles, names, relationships)"

    def __init__(self, shown: str, name: str, budget: _Budget) -> None:
        super().__init__(shown, name)
        self.budget = budget

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        super().start(tag, attrs)
        self.budget.used += 1
        if self.budget.used > self.budget.limit:
            raise DeckError.single(
                f"the workbook's styles, names and relationships hold more than "
                f"{self.budget.limit:,} XML elements (the part {excerpt(self.name, 80)} "
                "reaches it); a workbook Excel saves has far fewer: copy the table to a new "
                "workbook, or save the sheet as CSV", Location(self.shown))


class _Strings(_Counter):
    """The shared string table, which openpyxl streams string by string (<si>), keeping each
    string's text and whatever lies between strings: at most MAX_STRINGS strings, each of at
    most MAX_RECORD_ELEMENTS elements, and MAX_OTHER_ELEMENTS elements besides. (Closures, as
    in _Sheet: a table at the limit is two million elements.)"""

    what = "shared string table"

    def __init__(self, shown: str, name: str) -> None:
        super().__init__(shown, name)
        depth = inside = elements = total = other = count = 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth, inside, elements, total, other, count
            depth += 1
            if inside:
                elements += 1
                total += 1
                if tag == _STRING:
                    raise self.refuse("a string (<si>) is inside another")
                if elements > MAX_RECORD_ELEMENTS or depth > MAX_DEPTH:
                    raise self.refuse(f"a string holds more than {MAX_RECORD_ELEMENTS:,} XML "
                                      f"elements, or nests them more than {MAX_DEPTH} deep")
            elif tag == _STRING:
                inside, elements, count = depth, 0, count + 1
                if total > MAX_ELEMENTS:
                    raise self.refuse(f"its strings hold more than {MAX_ELEMENTS:,} XML "
                                      "elements")
                if count > MAX_STRINGS:
                    raise DeckError.single(
                        f"the workbook holds more than {MAX_STRINGS:,} different texts; "
                        f"deckgen reads workbooks of at most {MAX_STRINGS:,}: save the sheet "
                        "as CSV, or copy it to a new workbook", Location(self.shown))
            else:
                other += 1
                if other > MAX_OTHER_ELEMENTS or depth > MAX_DEPTH:
                    raise self.refuse(f"it holds more than {MAX_OTHER_ELEMENTS:,} XML elements "
                                      f"besides its strings, or nests them more than "
                                      f"{MAX_DEPTH} deep")

        def end(tag: str) -> None:
            nonlocal depth, inside
            if depth == inside:
                inside = 0
            depth -= 1

        self.start = start  # type: ignore[method-assign]
        self.end = end  # type: ignore[method-assign]


def _scan(zf: zipfile.ZipFile, name: str, shown: str, counter: _Counter) -> None:
    """Feed the part to expat with the counter's handlers; a DOCTYPE is refused."""
    parser = pyexpat.ParserCreate(namespace_separator="}")

    def doctype(*_: Any) -> None:
        raise counter.refuse(f"its part {excerpt(name, 80)} declares a document type "
                             "(<!DOCTYPE>), which Excel never writes")

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = counter.start
    parser.EndElementHandler = counter.end
    try:
        for chunk in _chunks(zf, name, shown):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except pyexpat.ExpatError as exc:
        raise damaged(shown, f"the XML of {excerpt(name, 80)} is not well-formed: "
                      f"{pyexpat.ErrorString(exc.code)}") from None


# --- the sheet ----------------------------------------------------------------------------------

#: A cell reference as openpyxl reads one (coordinate_to_tuple): letters, then the row.
_COORDINATE = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")


def _row_number(text: str) -> int:
    """A <row r=...> as openpyxl reads it (a whole number, or a float that is one)."""
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise
        return int(value)


class _Sheet(_Counter):
    """A worksheet as openpyxl's streaming reader sees it: every child of a <row> is a cell (at
    its r="B7", else after the cell before it), and a cell has a value if it has a <v>, <is> or
    <f> child. Refused as soon as the used range passes the limits (the <dimension> Excel writes
    first, else the first cell too far), or rows come out of order or a cell names another row
    (openpyxl's streaming reader would drop or move them).

    The handlers are closures over local counters, not methods: a sheet at the cell limit is
    four million elements, and attribute look-ups would double the time this check takes."""

    what = "sheet"

    def __init__(self, shown: str, sheet: str) -> None:
        from openpyxl.utils import get_column_letter, range_boundaries

        super().__init__(shown, sheet)
        self.sheet = excerpt(sheet)
        self.extent = SheetExtent()
        self.letter = get_column_letter
        self.bounds = range_boundaries
        extent, formulas, merged = self.extent, self.extent.formulas, self.extent.merged
        columns: dict[str, int] = {}
        depth = inside = elements = total = other = cells = rows = row = column = 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth, inside, elements, total, other, cells, rows, row, column
            depth += 1
            if inside:
                elements += 1
                total += 1
                if depth == inside + 1:  # a cell
                    cells += 1
                    ref = attrs.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")  # most refs: as Excel writes them
                        if letters in columns and len(letters) < len(ref):
                            column, number = columns[letters], int(ref[len(letters):])
                        else:
                            column, number = self.coordinate(ref, columns)
                        if number != row:
                            raise self.refuse(f"cell {excerpt(ref, 20)} is written in row "
                                              f"{row:,}")
                    else:
                        column += 1
                    if cells > MAX_CELLS:
                        raise self.refuse(f"it has more than {MAX_CELLS:,} cells (counting the "
                                          "empty cells Excel keeps for their formatting)")
                elif depth == inside + 2 and tag in _VALUES:
                    if tag == _FORMULA:
                        formulas.add((row, column))
                    if row > extent.rows or column > extent.columns:
                        self.grow(row, column)
                elif tag == _ROW:
                    raise self.refuse("a <row> is inside another")
                if elements > MAX_RECORD_ELEMENTS or depth > MAX_DEPTH:
                    raise self.refuse(f"a row holds more than {MAX_RECORD_ELEMENTS:,} XML "
                                      f"elements, or nests them more than {MAX_DEPTH} deep")
            elif tag == _ROW:  # once a row: a method call costs little here
                row, rows = self.next_row(attrs, row, rows, total)
                column, inside, elements = 0, depth, 0
            else:
                other += 1
                self.other(tag, attrs, other, depth, merged)

        def end(tag: str) -> None:
            nonlocal depth, inside
            if depth == inside:
                inside = 0
            depth -= 1

        self.start = start  # type: ignore[method-assign]
        self.end = end  # type: ignore[method-assign]

    def refuse(self, why: str) -> DeckError:
        return DeckError.single(f"sheet '{self.sheet}' cannot be read safely: {why}; "
                                f"{_RESAVE}", Location(self.shown))

    def next_row(self, attrs: dict[str, str], row: int, rows: int,
                 total: int) -> tuple[int, int]:
        """The number of the <row> that starts after `row`, and the rows counted so far;
        refused when it is out of order, or the sheet has grown too large."""
        try:
            number = _row_number(attrs["r"]) if "r" in attrs else row + 1
        except ValueError:
            raise self.refuse(f"a row is numbered '{excerpt(attrs['r'], 20)}'") from None
        if number <= row or number < 1:
            raise self.refuse(f"row {number:,} comes after row {row:,}" if row else
                              f"a row is numbered {number:,}")
        if total > MAX_ELEMENTS:
            raise self.refuse(f"its rows hold more than {MAX_ELEMENTS:,} XML elements")
        if rows + 1 > 2 * MAX_ROWS:
            raise self.refuse(f"it has more than {2 * MAX_ROWS:,} rows (counting the "
                              "empty rows Excel keeps for their formatting)")
        return number, rows + 1

    def other(self, tag: str, attrs: dict[str, str], count: int, depth: int,
              merged: list[tuple[int, int, int, int]]) -> None:
        """An element outside the rows: counted, and the used range and merged cells read."""
        if count > MAX_OTHER_ELEMENTS or depth > MAX_DEPTH:
            raise self.refuse(f"it holds more than {MAX_OTHER_ELEMENTS:,} XML elements "
                              f"besides its rows, or nests them more than {MAX_DEPTH} deep")
        if tag == _DIMENSION and attrs.get("ref"):
            self.dimension(attrs["ref"])
        elif tag == _MERGED:
            merged.append(self.merged(attrs.get("ref", "")))

    def coordinate(self, ref: str, columns: dict[str, int]) -> tuple[int, int]:
        """A cell's column and row as openpyxl's coordinate_to_tuple reads them (letters
        checked once each, then kept in `columns`)."""
        from openpyxl.utils.cell import column_index_from_string

        found = _COORDINATE.match(ref)
        try:
            if found is None or not int(found.group(2)):
                raise ValueError(ref)
            letters = found.group(1).upper()
            if letters not in columns:
                columns[letters] = column_index_from_string(letters)
        except ValueError:
            raise self.refuse(f"a cell is at '{excerpt(ref, 20)}', which is not a cell") \
                from None
        return columns[letters], int(found.group(2))

    def dimension(self, ref: str) -> None:
        """Refuse a sheet whose <dimension>, Excel's used range, passes the limits."""
        try:
            left, top, right, bottom = self.bounds(ref)
        except (ValueError, TypeError):
            return  # openpyxl's streaming reader does not use it either
        if right and bottom:
            self.limit(bottom, right, (right - (left or 1) + 1) * (bottom - (top or 1) + 1),
                       f"its used range is {excerpt(ref)}", excerpt(ref))

    def merged(self, ref: str) -> tuple[int, int, int, int]:
        try:
            bounds = self.bounds(ref)
        except (ValueError, TypeError):
            raise self.refuse("a merged range is not a range of cells") from None
        left, top, right, bottom = bounds
        if None in bounds:
            raise self.refuse("a merged range is a whole row or column")
        return left, top, right, bottom

    def grow(self, row: int, column: int) -> None:
        extent = self.extent
        extent.rows, extent.columns = max(extent.rows, row), max(extent.columns, column)
        cells = extent.rows * extent.columns
        if extent.rows > MAX_ROWS or extent.columns > MAX_COLUMNS or cells > MAX_CELLS:
            cell = f"{self.letter(column)}{row}"
            self.limit(extent.rows, extent.columns, cells, f"it has a value in cell {cell}",
                       cell)

    def limit(self, rows: int, columns: int, cells: int, what: str, where: str) -> None:
        """Refuse a used range of more than MAX_ROWS rows, MAX_COLUMNS columns or MAX_CELLS
        cells, saying what reaches how far."""
        if rows <= MAX_ROWS and columns <= MAX_COLUMNS and cells <= MAX_CELLS:
            return
        reach = (f"row {rows:,}" if rows > MAX_ROWS else
                 f"column {self.letter(min(columns, 18_278))}" if columns > MAX_COLUMNS
                 else f"{cells:,} cells")
        raise DeckError.single(
            f"sheet '{self.sheet}' is too large to read: {what}, so it reaches {reach}; "
            f"deckgen reads sheets of at most {MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns and "
            f"{MAX_CELLS:,} cells: delete what lies beyond the table (Ctrl+End in Excel goes "
            "to the last cell), or save the sheet as CSV",
            Location(self.shown, 0, 0, cell=f"{self.sheet}!{where}"))

    def finish(self) -> None:
        """Refuse merged ranges that together cover more than MAX_CELLS cells of the used
        range (reading blanks each covered cell)."""
        extent, covered = self.extent, 0
        for left, top, right, bottom in extent.merged:
            width = min(right, extent.columns) - left + 1
            height = min(bottom, extent.rows) - top + 1
            covered += max(0, width) * max(0, height)
        if covered > MAX_CELLS:
            raise self.refuse(f"its merged ranges cover more than {MAX_CELLS:,} cells")
