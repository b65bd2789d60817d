"""The deck's data sources: each read once, its derived columns computed, its figures checked.

Pure apart from reading the CSV files; pandas is imported only when a deck uses data. Derived
columns are computed with deckgen's own expression language (source/expr.py, evaluated by
data/evaluate.py): nothing an outline writes is ever executed. Each source, once read, is a
`Source` value (frame, stated totals, warnings) that later reads reuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

from deckgen.data.cells import to_number
from deckgen.data.csvread import CsvTable, read_csv
from deckgen.data.evaluate import NotNumbers, evaluated, expr_tree
from deckgen.data.frames import filter_rows, format_value, require_columns
from deckgen.errors import DeckError, Location, Problem, excerpt
from deckgen.source.expr import ExprError
from deckgen.source.schema import DataSourceSpec, unknown_source
from deckgen.source.yamlsrc import PathKey, SourceMap

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Source:
    """One data source as read: its rows (indexed by their line in the file), the data's own
    totals row (see `total_row`) and what reading it found to warn about."""

    frame: "pd.DataFrame"
    table: CsvTable
    stated_total: Optional[dict[str, Any]]
    warnings: tuple[Problem, ...]


@dataclass
class DataStore:
    """The deck's named data sources, each read and derived once per build (on first use)."""

    specs: Mapping[str, DataSourceSpec]
    base_dir: Path
    source: "SourceMap | None" = None
    _read: dict[str, Source] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Problem]:
        """What reading the sources used so far found, in the order they were read."""
        return [w for source in self._read.values() for w in source.warnings]

    def shown(self, name: str) -> str:
        return self.specs[name].file

    def _at(self, name: str, *key: str) -> Optional[Location]:
        """Where the outline writes a key of data source `name` (when the outline is known)."""
        return self.source.at(("data", name) + key) if self.source else None

    def _at_char(self, name: str, key: tuple[str, ...], pos: int) -> Optional[Location]:
        return self.source.at_char(("data", name) + key, pos) if self.source else None

    def frame(self, name: str) -> "pd.DataFrame":
        return self._source(name).frame

    def _source(self, name: str) -> Source:
        if name not in self._read:
            self._read[name] = self._load(name)
        return self._read[name]

    def _load(self, name: str) -> Source:
        spec = self.specs[name]
        path = self.base_dir / spec.file
        context = f"data '{name}'"
        if not path.is_file():
            where = self._at(name, "file")
            what = "is a folder, not a CSV file" if path.is_dir() else "data file not found"
            raise DeckError.single(f"{what}: {spec.file}; check the path under 'data:'",
                                   where, context)
        table = read_csv(path, spec.file, _SEPARATORS.get(spec.sep or "", spec.sep),
                         spec.decimal)
        warnings = list(table.warnings)
        df = table.frame
        for column, expression in spec.derive.items():
            df[column] = self._compute(name, ("derive", column), expression, df,
                                       f"derive '{column}'", warnings, table)
        stated = None
        if spec.total_row is not None:
            marker = df[df.columns[0]].astype(str) == spec.total_row
            if not marker.any():
                where = self._at(name, "total_row")
                raise DeckError.single(
                    f"no row of {spec.file} has '{excerpt(spec.total_row)}' in its first "
                    f"column '{excerpt(df.columns[0])}'", where, context)
            stated = df[marker].iloc[0].to_dict()
            df = df[~marker]
        else:
            warnings += self._looks_like_total(name, df)
        warnings += self._verify(name, df, table)
        return Source(df, table, stated, tuple(warnings))

    def _compute(self, name: str, key: tuple[str, str], expression: Any, df: "pd.DataFrame",
                 what: str, warnings: list[Problem], table: CsvTable) -> Any:
        """An expression of the outline evaluated over the frame, every problem located: in
        the outline for the expression, in the CSV for a cell that is not a number."""
        spec = self.specs[name]
        context = f"data '{name}'"
        try:
            node = expr_tree(expression)
            data, report = evaluated(node, df)
        except ExprError as exc:
            where = self._at_char(name, key, exc.pos)
            raise DeckError.single(f"{what}: {exc.message}", where, context) from None
        except NotNumbers as exc:
            _require_numbers(df, exc.column, table, f" ({what} uses it with {exc.operation})")
            raise DeckError.single(  # _require_numbers raised unless the column is empty
                f"{what}: column '{exc.column}' has no numbers", self._at(name, *key),
                context) from None
        if report.divided_by_zero:
            line = int(df.index[report.first_zero_row or 0])
            rows = "row divides" if report.divided_by_zero == 1 else "rows divide"
            warnings.append(Problem(
                f"{what}: {report.divided_by_zero} {rows} by zero (the first on line {line} "
                f"of {spec.file}), so it is left blank there", self._at(name, *key), context))
        if report.invalid:
            warnings.append(Problem(
                f"{what}: {report.invalid} row(s) have no value (a square root of a negative "
                "number, or text that is not a number)", self._at(name, *key), context))
        return data

    def _looks_like_total(self, name: str, df: "pd.DataFrame") -> list[Problem]:
        """Warn when the last row looks like the data's own total but is read as a row."""
        first = df[df.columns[0]]
        if first.empty or first.iloc[-1] is None:
            return []
        label = str(first.iloc[-1]).strip()
        if label.lower() not in TOTAL_LABELS:
            return []
        line = int(df.index[-1])
        return [Problem(
            f"the last row of {self.shown(name)} looks like a total ('{excerpt(label)}') but is "
            f"read as one more row, so charts show it and a table's total adds it again; if it "
            f"is a total, say total_row: {excerpt(label)} under data '{name}'",
            Location(self.shown(name), line, 1))]

    def _verify(self, name: str, df: "pd.DataFrame", table: CsvTable) -> list[Problem]:
        """Warn where a stated column does not follow from the others (see `verify:`)."""
        spec = self.specs[name]
        warnings: list[Problem] = []
        for column, expression in spec.verify.items():
            where = self._at(name, "verify", column)
            if column not in df.columns:
                raise DeckError.single(require_columns(df, [column], spec.file) or "",
                                       where, f"data '{name}'")
            _require_numbers(df, column, table)
            computed = self._compute(name, ("verify", column), expression, df,
                                     f"verify '{column}'", warnings, table)
            for i, (line, stated, want) in enumerate(zip(df.index, df[column], computed)):
                if stated is None or stated != stated or want is None or want != want:
                    continue
                if isinstance(want, str) or isinstance(want, bool):
                    raise DeckError.single(f"verify '{column}': the expression must give "
                                           "numbers", where, f"data '{name}'")
                if abs(float(stated) - want) > _rounding(float(stated)) + 1e-9:
                    warnings.append(Problem(
                        f"'{column}' is {format_value(stated)} but {expression} gives "
                        f"{want:.4g}; check the data", table.where(int(line), column)))
        return warnings

    def cell(self, name: str, line: int, column: Optional[str] = None) -> Location:
        """The location of a row (and cell) of a data source in its file."""
        return self._source(name).table.where(line, column)

    def stated_total(self, name: str) -> Optional[dict[str, Any]]:
        """The data's own totals row (see `total_row`), with derived columns, or None."""
        return self._source(name).stated_total

    def numeric_column(self, name: str, column: str) -> None:
        """Raise with the offending cell if a column meant to hold numbers holds text."""
        source = self._source(name)
        _require_numbers(source.frame, column, source.table)


def _require_numbers(df: "pd.DataFrame", column: str, table: CsvTable, why: str = "") -> None:
    """Raise, at the first cell that is not a number, if a column meant to hold numbers does
    not."""
    import pandas as pd

    series = df[column]
    if pd.api.types.is_numeric_dtype(series):
        return
    for line, value in series.items():
        if value is not None and to_number(str(value)) is None:
            raise DeckError.single(
                f"column '{excerpt(column)}' must hold numbers{why}, but line {line} has "
                f"'{excerpt(value)}'", table.where(int(line), column))


#: First-column labels of a row that is the data's own total.
TOTAL_LABELS = frozenset({"total", "totals", "grand total", "all", "all areas", "overall",
                          "sum"})
#: How the outline may name a separator.
_SEPARATORS = {"tab": "\t", "\\t": "\t"}


def _rounding(value: float) -> float:
    """Half a unit of the last decimal the value was written with: -5.9 -> 0.05."""
    for decimals in range(7):
        if round(value, decimals) == value:
            return 0.5 * 10.0 ** -decimals
    return 5e-8


def column_values(store: DataStore, source: SourceMap):  # type: ignore[no-untyped-def]
    """A data column's distinct values, in the order the data has them (for values_from)."""
    def read(name: str, column: str, where: PathKey) -> list[str]:
        df = _frame(store, name, column, source, where)
        return list(dict.fromkeys(str(v) for v in df[column] if v is not None))
    return read


def lookup_row(store: DataStore, source: SourceMap):  # type: ignore[no-untyped-def]
    """The value of `column` in the one row matching `where` (for lookup variables)."""
    def read(name: str, column: str, where: dict[str, Any], at: PathKey) -> Any:
        import pandas as pd

        df = _frame(store, name, column, source, at)
        for key in where:
            _frame(store, name, key, source, at[:-1] + ("where",))
        rows = filter_rows(df, where)
        wanted = ", ".join(f"{k} = '{excerpt(v)}'" for k, v in where.items())
        if rows.empty:
            raise DeckError.single(f"no row of {store.shown(name)} has {wanted}; add one",
                                   source.at(at))
        value = rows.iloc[0][column]
        if pd.isna(value):
            raise DeckError.single(f"the row of {store.shown(name)} with {wanted} has no "
                                   f"{column} (the cell is empty); fill it in", source.at(at))
        return value.item() if hasattr(value, "item") else value
    return read


def _frame(store: DataStore, name: str, column: str, source: SourceMap,
           at: PathKey) -> Any:
    if name not in store.specs:
        raise DeckError.single(unknown_source(name, store.specs), source.at(at))
    df = store.frame(name)
    problem = require_columns(df, [column], store.shown(name))
    if problem:
        raise DeckError.single(problem, source.at(at))
    return df
