"""The readers of a data source's files, each one object: which files it claims, how it reads
them, and where each row it reads came from (for messages).

They are tried in order (`READERS`): a workbook by its extension; record files in a known
format (formats.py) by their header, or as `format:` says; and last the strict CSV reader
(csvread.py), which claims any file. The data store asks for a source's rows once, here, and
never knows which reader gave them (model: dbt's seed readers, one loader per kind of file).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol

from deckgen.data.csvread import CsvTable, read_csv, sniff
from deckgen.data.excel import read_excel
from deckgen.data.formats import FORMATS, Recognised, recognise
from deckgen.data.header import is_header
from deckgen.data.records import header_of, read_records
from deckgen.errors import DeckError, Location, Problem, listing
from deckgen.source.schema import DataSourceSpec

if TYPE_CHECKING:
    import pandas as pd

    from deckgen.data.steps import Origin

#: Rows as a reader gives them: the frame, where each row came from, what reading found.
Table = tuple["pd.DataFrame", "Origin", list[Problem]]


@dataclass(frozen=True)
class Files:
    """The files of one data source, as a reader is given them."""

    name: str  # the data source
    spec: DataSourceSpec
    paths: list[tuple[Path, str]]  # (path, as the outline shows it), each a file
    at: Callable[[str], Optional[Location]]  # where the outline writes a key of the source
    #: the columns of a record file the deck needs (None: all)
    columns: Callable[[Recognised], Optional[list[str]]]
    cache: Optional[Path] = None  # where parsed record files are kept (None: not kept)

    @property
    def context(self) -> str:
        return f"data '{self.name}'"

    @cached_property
    def format(self) -> Optional[Recognised]:
        """The known format of the files: as declared, or recognised by the first one's
        header; None for an ordinary CSV. A file declared in a format it is not is an error
        at its header."""
        path, shown = self.paths[0]
        declared = self.spec.format
        if sniff(path, shown) != "utf-8":
            return None  # UTF-16 text: an ordinary CSV, for the strict reader
        header = header_of(path, shown)
        found = recognise(header)
        if declared is None or declared == "csv":
            return found if declared is None else None
        if found is None or found.format.name != declared:
            missing = FORMATS[declared].missing(header)
            raise DeckError.single(f"the file is not in the {declared} format: its header has "
                                   f"no {listing(missing) or 'such columns'}",
                                   Location(shown, 1, 1), self.context)
        return found


class Reader(Protocol):
    """One kind of data file deckgen reads."""

    def claims(self, files: Files) -> bool:
        """Whether the source's files are of this reader's kind."""

    def read(self, files: Files) -> Table:
        """Their rows, each located (`origin.where`), and what reading them found."""


class WorkbookReader:
    """An Excel workbook (.xlsx, .xlsm): one sheet of it, read through openpyxl (excel.py)."""

    def claims(self, files: Files) -> bool:
        return files.paths[0][0].suffix.lower() in (".xlsx", ".xlsm")

    def read(self, files: Files) -> Table:
        if len(files.paths) > 1:
            raise DeckError.single("'files:' reads CSV files; name one workbook with 'file:'",
                                   files.at("files"), files.context)
        (path, shown), spec = files.paths[0], files.spec
        frame, origin, warnings = read_excel(path, shown, spec.sheet, spec.header_row,
                                             spec.range, files.at("sheet"), files.context)
        return frame, origin, warnings


class RecordReader:
    """Files in a known record format: read fast, only the columns the deck needs
    (records.py), then finished as the format says (formats.py)."""

    def claims(self, files: Files) -> bool:
        return files.format is not None

    def read(self, files: Files) -> Table:
        recognised = files.format
        assert recognised is not None
        frame, origin, warnings = read_records(files.paths, recognised,
                                               files.columns(recognised), files.cache)
        recognised.format.finish(frame, origin)
        # for a step's message about a column: every column of the file (a build reads only
        # those it uses) and the ones the format renamed (data/steps/base.Run.column)
        frame.attrs["deckgen.columns"] = recognised.all_columns()
        frame.attrs["deckgen.renamed"] = recognised.renamed()
        return frame, origin, warnings


#: How the outline may name a separator.
_SEPARATORS = {"tab": "\t", "\\t": "\t"}


class CsvReader:
    """Any other file: a CSV read strictly (csvread.py); the files of a pattern as one table,
    with a File column."""

    def claims(self, files: Files) -> bool:
        return True

    def read(self, files: Files) -> Table:
        spec = files.spec
        tables = [read_csv(path, shown, _SEPARATORS.get(spec.sep or "", spec.sep),
                           spec.decimal) for path, shown in files.paths]
        if len(tables) == 1:
            return tables[0].frame, tables[0], list(tables[0].warnings)
        return _concat(tables, files.name, files.at("files"))


#: The readers, in the order they are tried: the first that claims a source's files reads
#: them. The CSV reader claims any file, so a new reader goes before it.
READERS: list[Reader] = [WorkbookReader(), RecordReader(), CsvReader()]


def read_files(files: Files) -> Table:
    """The rows of a source's files, read by the first reader that claims them."""
    reader = next(r for r in READERS if r.claims(files))
    return reader.read(files)


def _header(names: Any) -> str:
    """A file's columns for a message, or what they are not: its first line is quoted only
    when it looks like column names (data/header.py)."""
    return listing(names) if is_header(names) else "(no header row deckgen can read)"


def _concat(tables: list[CsvTable], name: str, where: Optional[Location]) -> Table:
    """CSV files of one pattern as one table, with a File column; their columns must agree."""
    import pandas as pd

    first = list(tables[0].frame.columns)
    for table in tables[1:]:
        if list(table.frame.columns) != first:
            raise DeckError.single(f"{table.shown} has the columns {_header(table.frame.columns)}"
                                   f", but {tables[0].shown} has {_header(first)}: the files of "
                                   "one source must have the same columns", where,
                                   f"data '{name}'")
    frames = []
    segments: list[tuple[int, CsvTable]] = []
    start = 0
    for table in tables:
        frame = table.frame.reset_index(drop=True)
        frame.index = pd.RangeIndex(start, start + len(frame))
        frame["File"] = table.shown
        frames.append(frame)
        segments.append((start, table))
        start += len(frame)
    warnings = [w for t in tables for w in t.warnings]
    return pd.concat(frames), _CsvRows(tuple(segments)), warnings


@dataclass(frozen=True)
class _CsvRows:
    """Rows of several CSV files read strictly: label -> (file, its line)."""

    segments: tuple[tuple[int, CsvTable], ...]

    def where(self, label: int, column: Optional[str] = None) -> Location:
        for start, table in reversed(self.segments):
            if label >= start:
                lines = list(table.frame.index)
                offset = label - start
                return table.where(int(lines[offset]) if offset < len(lines) else 0, column)
        return Location("?")

    def row(self, label: int) -> str:
        return f"line {self.where(label).line}"
