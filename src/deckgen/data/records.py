"""Read record files fast, and still strictly: police.uk extracts and Home Office tables, one file
or many (a month per file), millions of rows.

The strict reader (csvread.py) checks every row with the csv module: right for the summary
tables briefings are made from, too slow for a year of a nation's crime. Here the structure is
checked in C-speed chunks instead: every line must have as many separators as the header (a
row with a field too many or too few is an error at its line; with quoted fields, which these
formats rarely have, the csv module checks that file), while the file is hashed for the cache.
Then pandas' C reader reads only the columns the deck uses, text as categories, so a 1.3 GB
national year needs a few hundred MB. The row limit is checked before anything is parsed.
What differs between formats (which columns are numbers, the names columns are read under,
what a format adds) is the format's own (formats.py): this reader knows none by name.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator, Optional, Sequence

from deckgen import entry
from deckgen.data.cells import to_number
from deckgen.data.csvread import open_binary
from deckgen.errors import DeckError, Location, Problem, excerpt, listing
from deckgen.inputs import file_digest

if TYPE_CHECKING:
    import pandas as pd

    from deckgen.data.formats import Recognised, RecordFormat

#: At most this many records in one source (a national year is about 6.5 million).
MAX_RECORDS = 20_000_000
_CHUNK = 1 << 24  # 16 MiB
#: Bump when what a cached parse holds changes.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Segment:
    """Rows `start` to `start + rows - 1` of a table are lines 2... of file `shown`."""

    shown: str
    start: int
    rows: int


@dataclass(frozen=True)
class FilesOrigin:
    """Where the rows of a table read from record files came from."""

    segments: tuple[Segment, ...]

    def where(self, label: int, column: Optional[str] = None) -> Location:
        for segment in self.segments:
            if segment.start <= label < segment.start + segment.rows:
                return Location(segment.shown, label - segment.start + 2, 1)
        return Location(self.segments[0].shown if self.segments else "?")

    def row(self, label: int) -> str:
        return f"line {self.where(label).line}"


def header_of(path: Path, shown: str) -> list[str]:
    """The first line of a (possibly gzipped) CSV file, split into names."""
    try:
        with open_binary(path) as handle:
            head = handle.read(1 << 16)
    except (OSError, EOFError) as exc:
        raise DeckError.single(f"cannot read the file: {exc}", Location(shown)) from None
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    try:
        return next(csv.reader(lines[:1]), [])
    except csv.Error:
        return []


def read_records(paths: Sequence[tuple[Path, str]], recognised: "Recognised",
                 columns: Optional[Sequence[str]], cache: Optional[Path] = None
                 ) -> tuple["pd.DataFrame", FilesOrigin, list[Problem]]:
    """The rows of every file (path, as shown), `columns` of them (all when None), text as
    categories; with several files, a `File` column says which each row came from."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    wanted = _columns(recognised, columns, paths[0][1])
    parts: list[dict[str, Any]] = []
    segments: list[Segment] = []
    total = 0
    for path, shown in paths:
        header = header_of(path, shown)
        names = _names(recognised, header, shown)
        part = None
        if cache is not None:  # a file read before (the same bytes) is not checked or parsed
            key = json.dumps([CACHE_FORMAT, file_digest(path), recognised.format.name, wanted])
            part = _cached(cache, key, wanted)
        if part is None:
            rows = check_lines(path, shown, len(header))
            if total + rows > MAX_RECORDS:
                raise DeckError.single(f"more than {MAX_RECORDS:,} records in all; deckgen reads "
                                       "at most that many (filter the extract first)",
                                       Location(shown))
            part = _parse(path, shown, header, names, wanted, recognised.format)
            if cache is not None:
                _store(cache, key, part)
        rows = len(next(iter(part.values()))) if part else 0
        total += rows
        if total > MAX_RECORDS:
            raise DeckError.single(f"more than {MAX_RECORDS:,} records in all; deckgen reads at "
                                   "most that many (filter the extract first)", Location(shown))
        parts.append(part)
        segments.append(Segment(shown, total - rows, rows))
    data: dict[str, Any] = {}
    for name in wanted:
        pieces = [part[name] for part in parts]
        if isinstance(pieces[0], pd.Categorical):
            data[name] = union_categoricals(pieces, ignore_order=True) if len(pieces) > 1 \
                else pieces[0]
        else:
            data[name] = pd.array(_concat_numbers(pieces), dtype="Float64")
    frame = pd.DataFrame(data)
    if len(paths) > 1:
        frame["File"] = pd.Categorical(
            [shown for (_, shown), segment in zip(paths, segments) for _ in range(segment.rows)])
    return frame, FilesOrigin(tuple(segments)), []


def _concat_numbers(pieces: list[Any]) -> Any:
    import numpy as np

    return np.concatenate([np.asarray(p, dtype="float64") for p in pieces]) if pieces else []


def _columns(recognised: "Recognised", columns: Optional[Sequence[str]], shown: str) -> list[str]:
    """The columns to read, in the format's order; an unknown one is an error."""
    names = list(dict.fromkeys(recognised.names))
    if columns is None:
        return names
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise DeckError.single(f"'columns' names {excerpt(unknown[0])}, which the "
                               f"{recognised.format.name} file has not; its columns are: "
                               f"{listing(names)}", Location(shown))
    return [name for name in names if name in columns]


def _names(recognised: "Recognised", header: list[str], shown: str) -> tuple[str, ...]:
    """The names deckgen reads this file's columns under; every file of a source must be of
    the same format (else an error at the file's header, in the format's words)."""
    names = recognised.format.names(header)
    if names is None:
        raise DeckError.single(recognised.format.not_this(header), Location(shown, 1, 1))
    return names


def check_lines(path: Path, shown: str, fields: int) -> int:
    """How many data lines the file has, each checked to have `fields` fields. A line with more
    or fewer is an error at its line; blank lines are skipped."""
    import numpy as np

    lines = blanks = 0  # complete lines seen (the header included), and blank ones
    carry = b""
    quoted = False
    with open_binary(path) as handle:
        for chunk in _chunks(handle):
            quoted = quoted or b'"' in chunk
            if quoted:
                continue
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            carry = data[cut:]
            seen, blank = _check_block(np.frombuffer(data[:cut], np.uint8), lines, fields,
                                       shown)
            lines, blanks = lines + seen, blanks + blank
    if quoted:
        return _check_quoted(path, shown, fields)
    if carry.strip():
        seen, blank = _check_block(np.frombuffer(carry + b"\n", np.uint8), lines, fields, shown)
        lines, blanks = lines + seen, blanks + blank
    return max(lines - 1 - blanks, 0)


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return
        yield chunk


def _check_block(block: Any, before: int, fields: int, shown: str) -> tuple[int, int]:
    """Check the complete lines of `block` (it ends with a newline): how many, how many blank."""
    import numpy as np

    ends = np.flatnonzero(block == 10)
    if not len(ends):
        return 0, 0
    commas = np.flatnonzero(block == 44)
    per_line = np.bincount(np.searchsorted(ends, commas), minlength=len(ends))
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts - (block[np.maximum(ends - 1, 0)] == 13)
    blank = lengths <= 0
    wrong = np.flatnonzero((per_line != fields - 1) & ~blank)
    if len(wrong):
        line = before + int(wrong[0]) + 1
        got = int(per_line[wrong[0]]) + 1
        raise DeckError.single(f"line {line} has {got} values but the header names {fields} "
                               "columns", Location(shown, line, 1))
    return len(ends), int(blank.sum())


def _check_quoted(path: Path, shown: str, fields: int) -> int:
    """The slow, exact check for a file with quoted fields: the csv module, line by line."""
    rows = 0
    with open_binary(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        previous = 0
        for n, record in enumerate(reader):
            start = previous + 1
            previous = reader.line_num
            if n == 0 or not any(cell.strip() for cell in record):
                continue
            if len(record) != fields:
                raise DeckError.single(f"line {start} has {len(record)} values but the header "
                                       f"names {fields} columns", Location(shown, start, 1))
            rows += 1
    return rows


def _parse(path: Path, shown: str, header: list[str], names: tuple[str, ...],
           wanted: list[str], fmt: "RecordFormat") -> dict[str, Any]:
    """The wanted columns of one file: text as pandas Categoricals (blank cells missing),
    numbers as float arrays."""
    import pandas as pd

    own = {name: original for original, name in zip(header, names)}
    numeric = [name for name in wanted if name in fmt.numbers]
    frame = pd.read_csv(path, usecols=[own[name] for name in wanted],
                        dtype={own[name]: "category" for name in wanted},
                        keep_default_na=False, na_values=[""], encoding="utf-8-sig",
                        skip_blank_lines=True, engine="c")
    out: dict[str, Any] = {}
    for name in wanted:
        column = frame[own[name]]
        if name in numeric:
            out[name] = _numbers(column, name, shown)
        else:
            out[name] = column.array
    return out


def _numbers(column: Any, name: str, shown: str) -> Any:
    """A category column of numbers as floats (blank cells missing); text is an error at its
    row."""
    import numpy as np
    import pandas as pd

    codes = column.cat.codes.to_numpy()
    if pd.api.types.is_numeric_dtype(column.cat.categories.dtype):
        # pandas read every cell as a number already (0.000018 would be '1.8e-05' as text)
        numbers = column.cat.categories.to_numpy(dtype="float64")
        return np.append(numbers, np.nan)[codes]
    categories = [str(c) for c in column.cat.categories]
    parsed = [to_number(c) for c in categories]
    bad = [c for c, p in zip(categories, parsed) if p is None]
    if bad:
        row = int(np.flatnonzero(column.astype(object) == bad[0])[0])
        raise DeckError.single(f"column '{name}' must hold numbers, but line {row + 2} has "
                               f"'{excerpt(bad[0])}'", Location(shown, row + 2, 1))
    values = np.array([p for p in parsed] + [np.nan], dtype="float64")
    return values[codes]  # code -1 (blank) takes the last: NaN


# --- the parse cache: kept as plain arrays (entry.py), verified on read, never unpickled ---------

#: What a parse entry is (entry.py). Its body: the length of a JSON header (20 digits and a
#: newline), the header (the row count; each column's name and kind, a text column's code type
#: and categories), then each column's array as raw bytes (numbers as float64, text as codes).
#: Nothing is compressed, so an entry costs the memory of its size and no more.
KIND = "records 2"
#: A parse larger than this is not kept (a national year's usual columns take about 150 MB).
MAX_PARSE_BYTES = 512 * 1024 * 1024
_NUMBERS = "<f8"
_CODES = ("|i1", "<i2", "<i4", "<i8")


def _cached(folder: Path, key: str, wanted: Sequence[str]) -> Optional[dict[str, Any]]:
    """The parse kept for `key`, when its entry is sound and holds the `wanted` columns with
    one row count; else None (parsed again). A malformed entry is never an error."""
    name = hashlib.sha256(key.encode()).hexdigest()
    body = entry.read(folder / name[:2] / f"{name}.records", KIND, name, MAX_PARSE_BYTES)
    if body is None:
        return None
    try:
        return _columns_of(body, list(wanted))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def _columns_of(body: memoryview, wanted: list[str]) -> Optional[dict[str, Any]]:
    import numpy as np
    import pandas as pd

    size = int(bytes(body[:20]).decode("ascii"))
    meta = json.loads(bytes(body[21:21 + size]).decode("utf-8"))
    rows, columns = meta["rows"], meta["columns"]
    if not (isinstance(rows, int) and 0 <= rows <= MAX_RECORDS and isinstance(columns, list)
            and [c[0] for c in columns] == wanted):
        return None
    out: dict[str, Any] = {}
    at = 21 + size
    for column in columns:
        if column[1:] == ["number"]:
            dtype, categories = _NUMBERS, None
        elif len(column) == 4 and column[1] == "text" and column[2] in _CODES and \
                isinstance(column[3], list) and all(isinstance(c, str) for c in column[3]):
            dtype, categories = column[2], column[3]
        else:
            return None
        width = np.dtype(dtype).itemsize * rows
        if at + width > len(body):
            return None
        values = np.frombuffer(body[at:at + width], dtype=dtype).copy()
        at += width
        out[column[0]] = values if categories is None else \
            pd.Categorical.from_codes(values, categories)  # checks every code and category
    return out if at == len(body) else None


def _store(folder: Path, key: str, part: dict[str, Any]) -> None:
    import numpy as np
    import pandas as pd

    name = hashlib.sha256(key.encode()).hexdigest()
    rows = len(next(iter(part.values()))) if part else 0
    columns: list[list[Any]] = []
    arrays: list[Any] = []
    for column, values in part.items():
        if isinstance(values, pd.Categorical):
            codes = np.ascontiguousarray(values.codes)
            columns.append([column, "text", codes.dtype.str, [str(c) for c in
                                                               values.categories]])
        else:
            codes = np.ascontiguousarray(values, dtype=_NUMBERS)
            columns.append([column, "number"])
        if len(codes) != rows or (codes.dtype.str not in _CODES and
                                  codes.dtype.str != _NUMBERS):
            return  # not what _cached reads back: not kept
        arrays.append(memoryview(codes.data).cast("B"))
    header = json.dumps({"rows": rows, "columns": columns}).encode("utf-8")
    entry.write(folder / name[:2] / f"{name}.records", KIND, name,
                [b"%020d\n" % len(header), header, *arrays], MAX_PARSE_BYTES)
