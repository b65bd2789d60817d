"""Read a CSV file as Excel and statistics sites write them, strictly: never a silently wrong table.

pandas' reader guesses where a file is odd: a row with one field too many turns the first field
into an index, a semicolon file becomes one column, a header pasted twice becomes a row, a
duplicate column is renamed. A briefing must not be built on a guess, so deckgen reads the file
itself with the standard `csv` module, which reports each record's physical line, and checks:

- the encoding (UTF-8 with or without a byte-order mark, or UTF-16 with one); a workbook, PDF or
  other binary file saved as .csv is named for what it is;
- the separator: `,`, `;`, tab or `|` as the header shows it, or as the outline says (`sep:`);
- every record has as many fields as the header names (else an error at its line);
- no two columns share a name; a header row repeated inside the data is an error;
- rows whose cells are all empty are skipped (Excel leaves them), as are unnamed empty columns;
- the row limit, while reading.

The frame it returns is indexed by each row's physical line in the file, so any later message
about a row can point at it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Optional

from deckgen.data.cells import (
    MARKER_MEANINGS,
    MAX_DIGITS,
    MISSING_MARKERS,
    decimal_mark,
    is_code,
    significant_digits,
    to_number,
)
from deckgen.errors import DeckError, Location, Problem, excerpt

if TYPE_CHECKING:
    import pandas as pd

#: Data sources larger than this are refused: a briefing table, not a data warehouse.
MAX_ROWS = 200_000
#: Separators recognised from the header, and how messages name them.
SEPARATORS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
#: How many records after the header are read to confirm a separator.
_SNIFF_ROWS = 50


@dataclass
class CsvTable:
    """A CSV file read into a frame (text and numbers), and how to point at its cells."""

    frame: "pd.DataFrame"  # indexed by each row's physical line
    shown: str  # the path as the user wrote it
    path: Path
    encoding: str
    sep: str
    decimal: str
    header_line: int
    positions: list[int]  # for each column of the frame, its field number in the file
    warnings: list[Problem] = field(default_factory=list)
    #: each column read as numbers, as its cells were written (verify: takes the precision a
    #: figure was published with from its text: -6.0 is exact to 0.05)
    written: dict[str, Any] = field(default_factory=dict)

    def where(self, line: int, column: Optional[str] = None) -> Location:
        """The location of a row (and, given a column, of its cell) in the file."""
        if column is None or column not in self.frame.columns:
            return Location(self.shown, line, 1)
        index = list(self.frame.columns).index(column)
        return Location(self.shown, *_field_at(self.path, self.encoding, line,
                                               self.positions[index], self.sep))

    def row(self, line: int) -> str:
        return f"line {line}"


def read_csv(path: Path, shown: str, sep: Optional[str] = None, decimal: Optional[str] = None,
             max_rows: int = MAX_ROWS) -> CsvTable:
    """Read and check a CSV file; every problem is a DeckError at its line."""
    encoding, skip = _encoding(path, shown)
    try:
        handle = open_binary(path)
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(shown)) \
            from None
    with handle:
        handle.seek(skip)
        text = io.TextIOWrapper(handle, encoding=encoding, newline="", errors="strict")
        try:
            return _read(text, path, shown, encoding, sep, decimal, max_rows)
        except UnicodeDecodeError:
            raise _not_utf8(path, shown, encoding) from None


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes; a .gz file's uncompressed (pandas and the csv module read it alike)."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def sniff(path: Path, shown: str) -> str:
    """The file's text encoding, refusing a workbook, PDF, picture or other binary file saved
    under a .csv name, and saying what it is."""
    return _encoding(path, shown)[0]


def _encoding(path: Path, shown: str) -> tuple[str, int]:
    """The text encoding and how many bytes of byte-order mark to skip; refuses files that are
    not text, saying what they are."""
    try:
        with open_binary(path) as handle:
            head = handle.read(4096)
    except (EOFError, gzip.BadGzipFile) as exc:
        raise DeckError.single(f"the file is not a complete gzip file ({exc})",
                               Location(shown)) from None
    except FileNotFoundError:
        raise DeckError.single("data file not found; check the path under 'data:'",
                               Location(shown)) from None
    except IsADirectoryError:
        raise DeckError.single("is a folder, not a CSV file", Location(shown)) from None
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(shown)) \
            from None
    where = Location(shown, 1, 1)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0  # Excel's "Unicode Text"; the codec reads its byte-order mark
    what = _binary_kind(head)
    if what:
        raise DeckError.single(what, where)
    return "utf-8", len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0


def _binary_kind(head: bytes) -> str:
    """What a file that is not text is, and what to do: empty when it looks like text."""
    save = "save it as CSV (in Excel: 'Save As' > 'CSV UTF-8')"
    if head.startswith(b"PK\x03\x04"):
        if b"application/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return ("this is an OpenDocument spreadsheet (.ods), which deckgen does not read; "
                    "save it as an Excel workbook (.xlsx) or as CSV")
        if b"[Content_Types].xml" in head or b"xl/" in head:
            return ("this is an Excel workbook, not a CSV file; name it .xlsx to read it "
                    "(with 'sheet:' to choose a sheet), or " + save)
        return f"this is a zip file, not a CSV file; {save}"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("this is an old Excel workbook (.xls) or another Office file, which deckgen "
                "does not read; save it as an Excel workbook (.xlsx) or as CSV")
    if head.startswith(b"%PDF"):
        return f"this is a PDF file, not a CSV file; {save}"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff"):
        return "this is a picture, not a CSV file; name a CSV file under 'data:'"
    if b"\x00" in head:
        return f"this is a binary file, not text; {save}"
    return ""


def _not_utf8(path: Path, shown: str, encoding: str = "utf-8") -> DeckError:
    """Where the text stops being what it started as: the line, counted as an editor counts
    (CR, LF and CRLF each end one)."""
    with open_binary(path) as handle:
        raw = handle.read()
    codec = "utf-16" if encoding == "utf-16" else "utf-8-sig"
    try:
        raw.decode(codec)
        line = 1
    except UnicodeDecodeError as exc:
        text = raw[: exc.start].decode(codec, errors="replace")
        line = 1 + sum(part.endswith(("\n", "\r")) for part in text.splitlines(keepends=True))
    if encoding == "utf-16":
        return DeckError.single("the file starts as UTF-16 text but has bytes that are not; "
                                "save it again (in Excel: 'Save As' > 'CSV UTF-8')",
                                Location(shown, line, 1))
    return DeckError.single("the file is not UTF-8 text; in Excel use 'Save As' > 'CSV UTF-8'",
                            Location(shown, line, 1))


def _read(text: io.TextIOWrapper, path: Path, shown: str, encoding: str, sep: Optional[str],
          decimal: Optional[str], max_rows: int) -> CsvTable:
    import pandas as pd

    skipped = 0
    header_text = ""
    for header_text in text:
        if header_text.strip() and set(header_text.strip()) - set(",;\t|"):
            break
        skipped += 1
    else:
        message = ("the data file is empty; it needs a header row and data rows" if not skipped
                   else "the data file has no header row; the first line names the columns")
        raise DeckError.single(message, Location(shown, 1, 1))
    lookahead = list(itertools.islice(text, _SNIFF_ROWS))
    header_line = skipped + 1
    sep = sep or _separator(header_text, lookahead, shown, header_line)
    lines = itertools.chain([header_text], lookahead, text)
    reader = csv.reader(lines, delimiter=sep, skipinitialspace=True)
    try:
        header = [name.strip() for name in next(reader)]
        rows, at = _records(reader, header, sep, shown, skipped, max_rows)
    except csv.Error as exc:
        line = skipped + reader.line_num
        raise DeckError.single(f"not a valid CSV: {exc}", Location(shown, line, 1)) from None
    positions, header = _named_columns(header, rows, shown, header_line, sep, path, encoding)
    if not rows:
        raise DeckError.single("the data file has a header but no rows",
                               Location(shown, header_line + 1, 1))
    body = [[row[i] for i in positions] for row in rows] if len(positions) != len(rows[0]) \
        else rows
    frame = pd.DataFrame(body, columns=header, index=pd.Index(at, name="line"), dtype=object)
    frame = frame.where(frame != "", None)
    table = CsvTable(frame, shown, path, encoding, sep, ".", header_line, positions)
    table.decimal = _decimal(table, decimal)
    frame.attrs["decimal"] = table.decimal
    table.warnings += number_columns(table.frame, table.decimal, table.where, table.written)
    return table


def _separator(header: str, lookahead: list[str], shown: str, line: int) -> str:
    """The separator the header line uses, confirmed by the lines after it."""
    counts = {sep: _count_outside_quotes(header, sep) for sep in SEPARATORS}
    present = [sep for sep, n in counts.items() if n]
    if not present:
        return ","  # one column
    if len(present) == 1:
        return present[0]
    consistent = [sep for sep in present if _consistent(header, lookahead, sep)]
    if len(consistent) == 1:
        return consistent[0]
    names = " and ".join(SEPARATORS[s] for s in present)
    raise DeckError.single(
        f"the header has both {names}, so the separator is not clear; say which one separates "
        f"the columns with sep: under the data source (e.g. sep: \";\")", Location(shown, line, 1))


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


def _consistent(header: str, lookahead: list[str], sep: str) -> bool:
    reader = csv.reader([header, *lookahead], delimiter=sep, skipinitialspace=True)
    try:
        widths = {len(row) for row in reader if any(cell.strip() for cell in row)}
    except csv.Error:
        return False
    return len(widths) == 1


def _records(reader: Any, header: list[str], sep: str, shown: str,
             skipped: int, max_rows: int) -> tuple[list[list[str]], list[int]]:
    """The data rows (cells stripped) and the physical line each starts on."""
    rows: list[list[str]] = []
    at: list[int] = []
    width = len(header)
    folded = [h.lstrip("\ufeff").casefold() for h in header]  # pasted again, BOM or not
    previous = reader.line_num
    for record in reader:
        start = skipped + previous + 1
        previous = reader.line_num
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue  # an empty row: Excel leaves these below a table
        if len(cells) != width:
            raise DeckError.single(
                f"line {start} has {len(cells)} values but the header (line {skipped + 1}) "
                f"names {width} columns; put quotes around values that contain "
                f"{SEPARATORS[sep]}", Location(shown, start, 1))
        if [c.lstrip("\ufeff").casefold() for c in cells] == folded:
            raise DeckError.single(
                f"line {start} repeats the header row; remove it (were two exports pasted "
                "together?)", Location(shown, start, 1))
        rows.append(cells)
        at.append(start)
        if len(rows) > max_rows:
            raise DeckError.single(f"the data file has more than {max_rows:,} rows; deckgen "
                                   f"reads at most {max_rows:,} (aggregate it first)",
                                   Location(shown, start, 1))
    return rows, at


def _named_columns(header: list[str], rows: list[list[str]], shown: str, line: int, sep: str,
                   path: Path, encoding: str) -> tuple[list[int], list[str]]:
    """The positions and names of the columns to keep: unnamed columns with no data are
    dropped (a trailing separator); an unnamed column with data, or a name used twice, is an
    error."""
    keep: list[int] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            filled = next((r for r in rows if r[i]), None)
            if filled is None:
                continue
            raise DeckError.single(
                f"column {i + 1} has no name in the header but has values; name it",
                Location(shown, line, _field_column(path, encoding, line, i, sep)))
        if name in seen:
            raise DeckError.single(
                f"the header names column '{excerpt(name)}' twice (columns {seen[name] + 1} and "
                f"{i + 1}); rename one", Location(shown, line,
                                                  _field_column(path, encoding, line, i, sep)))
        seen[name] = i
        keep.append(i)
    return keep, [header[i] for i in keep]


def _decimal(table: CsvTable, declared: Optional[str]) -> str:
    """The decimal mark: as declared; a point in a comma-separated file; else what the cells
    prove, refusing a file whose cells could be read two ways."""
    if declared:
        return declared
    if table.sep == ",":
        return "."
    frame = table.frame
    cells = ((str(v), (int(line), str(col))) for col in frame.columns
             for line, v in frame[col].items() if v is not None)
    mark, first, second = decimal_mark(cells)
    if mark == "mixed" and first is not None and second is not None:
        (l1, c1), (l2, c2) = first, second
        raise DeckError.single(
            f"numbers are written with a decimal point ('{excerpt(frame.at[l1, c1])}' on line "
            f"{l1}) and with a decimal comma ('{excerpt(frame.at[l2, c2])}'); make them alike, "
            "or say which is meant with decimal: under the data source",
            table.where(l2, c2))
    if mark is None and first is not None:
        line, col = first
        value = str(frame.at[line, col]).strip()
        point, comma = to_number(value, "."), to_number(value, ",")
        raise DeckError.single(
            f"'{excerpt(value)}' could be {point:g} (with a thousands separator) or {comma:g} "
            "(with a decimal comma); say which under the data source: decimal: \".\" or "
            "decimal: \",\"", table.where(line, col))
    return mark or "."


def number_columns(frame: "pd.DataFrame", decimal: str, where: Callable[[int, str], Location],
                   written: Optional[dict[str, Any]] = None, unit: str = "line"
                   ) -> list[Problem]:
    """Turn columns whose filled cells are all numbers into numbers (whole numbers as Int64,
    others as floats), in place; cells that mark a missing figure (n/a, -, ..) in such a column
    are blank, with a warning. A column of codes with leading zeros stays text. Returns the
    warnings, each at its cell (`where(row label, column)`), naming rows as `unit`s
    (a CSV's lines, a sheet's rows)."""
    import pandas as pd

    warnings: list[Problem] = []
    for col in frame.columns:
        series = frame[col]
        filled = series.dropna()
        if filled.empty:
            continue
        codes = filled[filled.map(is_code)]
        if len(codes):
            # codes keep their zeros (007, 012); a 050 among numbers may be a figure typed
            # with a zero: say which it is read as
            if len(codes) < len(filled) and filled.map(
                    lambda v: is_code(v) or to_number(v, decimal) is not None).all():
                line = codes.index[0]  # 050 among numbers: a typo, or codes? Say which it is
                warnings.append(Problem(
                    f"column '{excerpt(col)}' is read as text because {unit} {line} has "
                    f"'{excerpt(codes.iloc[0])}': a number with a leading zero reads as a code "
                    "(like a beat 007); if it is a number, write it without the zero",
                    where(line, col)))
            continue
        parsed = filled.map(lambda v: to_number(v, decimal))
        markers = filled[parsed.isna() & filled.isin(MISSING_MARKERS)]
        not_numbers = filled[parsed.isna() & ~filled.isin(MISSING_MARKERS)]
        numbers = parsed.dropna()
        if numbers.empty:
            continue
        exact = filled[parsed.notna()].map(significant_digits) <= MAX_DIGITS
        if not exact.all():
            line = exact.index[int((~exact).to_numpy().argmax())]
            warnings.append(Problem(
                f"column '{excerpt(col)}' is read as text because {unit} {line} has a number "
                f"with more than {MAX_DIGITS} digits ('{excerpt(filled[line])}'), more than a "
                "computer holds exactly", where(line, col)))
            continue
        if len(not_numbers):
            if len(numbers) > len(not_numbers):
                line = not_numbers.index[0]
                warnings.append(Problem(
                    f"column '{excerpt(col)}' is read as text because {unit} {line} has "
                    f"'{excerpt(not_numbers.iloc[0])}' where its other cells are numbers: it "
                    "cannot be totalled, charted or formatted; correct the cell, or leave it "
                    "empty", where(line, col)))
            continue
        if len(markers):
            line = markers.index[0]
            more = len(markers) - 1
            others = f" (and {more} more cell{'s' if more > 1 else ''})" if more else ""
            warnings.append(Problem(
                f"'{excerpt(markers.iloc[0])}'{_meaning(str(markers.iloc[0]))} in column "
                f"'{excerpt(col)}'{others} is read as no figure: the cell is left blank and "
                "totals leave it out",
                where(line, col)))
        converted = pd.to_numeric(series.map(lambda v: None if v is None
                                             else to_number(v, decimal)),
                                  errors="coerce").astype(float)
        # whole numbers as integers, while a float can hold them exactly
        whole = bool((numbers == numbers.round()).all() and (numbers.abs() < 2**53).all())
        if written is not None:
            written[col] = series.to_dict()
        frame[col] = converted.astype("Int64") if whole else converted
    return warnings


def _field_at(path: Path, encoding: str, line: int, field_index: int, sep: str
              ) -> tuple[int, int]:
    """The line and 1-based column where field `field_index` of the record starting on
    physical `line` starts: a quoted value with line breaks before it moves it to a later
    line."""
    try:
        with open_binary(path) as raw:
            handle = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="replace")
            lines = list(itertools.islice(handle, line - 1, line + 200))
    except (OSError, EOFError):
        return line, 1
    if field_index == 0:
        return line, 1
    count, quoted = 0, False
    for k, text in enumerate(lines):
        if k == 0:
            text = text.lstrip("\ufeff")
        for i, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == sep and not quoted:
                count += 1
                if count == field_index:
                    return line + k, i + 2
            elif ch in "\r\n" and not quoted:
                return line, 1
    return line, 1


def _field_column(path: Path, encoding: str, line: int, field_index: int, sep: str) -> int:
    """The column where field `field_index` starts, on the record's first line."""
    return _field_at(path, encoding, line, field_index, sep)[1]


def _meaning(marker: str) -> str:
    """What an official statistics marker means, for the message: " (not available)"."""
    meaning = MARKER_MEANINGS.get(marker.lower())
    return f" ({meaning})" if meaning else ""
