"""Resolve stage for data: read each named CSV once, compute derived columns, check the data.

Pure apart from reading the CSV files; pandas is imported only when a deck uses data. Derived
columns are computed with deckgen's own expression language (expr.py): nothing an outline
writes is ever executed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

from deckgen.data.cells import to_number
from deckgen.data.csvread import CsvTable, read_csv
from deckgen.errors import DeckError, Location, Problem, did_you_mean, excerpt, listing
from deckgen.source import expr

if TYPE_CHECKING:
    import pandas as pd

    from deckgen.source.outline import DataSourceSpec
    from deckgen.source.yamlsrc import SourceMap

def derive(df: "pd.DataFrame", expressions: Mapping[str, Any]) -> "pd.DataFrame":
    """Add computed columns, in order (later ones may use earlier ones), with no locations to
    report: for totals rows and tests. Raises ExprError or NotNumbers."""
    out = df.copy()
    for name, expression in expressions.items():
        out[name] = evaluated(expr_tree(expression), out)[0]
    return out


def expr_tree(expression: Any) -> expr.Node:
    """The tree of an outline's expression (text), or a constant (a YAML number or boolean)."""
    if isinstance(expression, str):
        return expr.parse(expression)
    return expr.constant(expression)


def evaluated(node: expr.Node, df: "pd.DataFrame") -> tuple[Any, expr.Evaluation]:
    """An expression's column as stored in a frame: numbers as floats, text as text."""
    value, report = expr.evaluate(node, df)
    data = value.data
    if value.kind == "number":
        data = data.astype(float)
    elif value.kind == "bool":
        data = data.astype(object).where(data.notna(), None)
    return data, report


@dataclass
class DataStore:
    """The deck's named data sources, each read and derived once per build."""

    specs: Mapping[str, "DataSourceSpec"]
    base_dir: Path
    source: "SourceMap | None" = None
    _frames: dict[str, Any] = field(default_factory=dict)
    _tables: dict[str, CsvTable] = field(default_factory=dict)
    _totals: dict[str, Optional[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def shown(self, name: str) -> str:
        return self.specs[name].file

    def _at(self, name: str, *key: str) -> Optional[Location]:
        """Where the outline writes a key of data source `name` (when the outline is known)."""
        return self.source.at(("data", name) + key) if self.source else None

    def _at_char(self, name: str, key: tuple[str, ...], pos: int) -> Optional[Location]:
        return self.source.at_char(("data", name) + key, pos) if self.source else None

    def frame(self, name: str) -> "pd.DataFrame":
        if name not in self._frames:
            self._frames[name] = self._read(name)
        return self._frames[name]

    def _read(self, name: str) -> "pd.DataFrame":
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
        self._tables[name] = table
        self.warnings.extend(table.warnings)
        df = table.frame
        for column, expression in spec.derive.items():
            df[column] = self._compute(name, ("derive", column), expression, df,
                                       f"derive '{column}'")
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
            self._looks_like_total(name, df)
        self._totals[name] = stated
        self._verify(name, df)
        return df

    def _compute(self, name: str, key: tuple[str, str], expression: Any, df: "pd.DataFrame",
                 what: str) -> Any:
        """An expression of the outline evaluated over the frame, every problem located: in
        the outline for the expression, in the CSV for a cell that is not a number."""
        spec = self.specs[name]
        context = f"data '{name}'"
        try:
            node = expr_tree(expression)
            data, report = evaluated(node, df)
        except expr.ExprError as exc:
            where = self._at_char(name, key, exc.pos)
            raise DeckError.single(f"{what}: {exc.message}", where, context) from None
        except expr.NotNumbers as exc:
            self.numeric_column(name, exc.column, df,
                                f" ({what} uses it with {exc.operation})")
            raise DeckError.single(  # numeric_column raised unless the column is empty
                f"{what}: column '{exc.column}' has no numbers", self._at(name, *key),
                context) from None
        if report.divided_by_zero:
            line = int(df.index[report.first_zero_row or 0])
            rows = "row divides" if report.divided_by_zero == 1 else "rows divide"
            self.warnings.append(Problem(
                f"{what}: {report.divided_by_zero} {rows} by zero (the first on line {line} "
                f"of {spec.file}), so it is left blank there", self._at(name, *key), context))
        if report.invalid:
            self.warnings.append(Problem(
                f"{what}: {report.invalid} row(s) have no value (a square root of a negative "
                "number, or text that is not a number)", self._at(name, *key), context))
        return data

    def _looks_like_total(self, name: str, df: "pd.DataFrame") -> None:
        """Warn when the last row looks like the data's own total but is read as a row."""
        first = df[df.columns[0]]
        if first.empty or first.iloc[-1] is None:
            return
        label = str(first.iloc[-1]).strip()
        if label.lower() not in TOTAL_LABELS:
            return
        line = int(df.index[-1])
        self.warnings.append(Problem(
            f"the last row of {self.shown(name)} looks like a total ('{excerpt(label)}') but is "
            f"read as one more row, so charts show it and a table's total adds it again; if it "
            f"is a total, say total_row: {excerpt(label)} under data '{name}'",
            Location(self.shown(name), line, 1)))

    def _verify(self, name: str, df: "pd.DataFrame") -> None:
        """Warn where a stated column does not follow from the others (see `verify:`)."""
        spec = self.specs[name]
        for column, expression in spec.verify.items():
            where = self._at(name, "verify", column)
            if column not in df.columns:
                raise DeckError.single(require_columns(df, [column], spec.file) or "",
                                       where, f"data '{name}'")
            self.numeric_column(name, column, df)
            computed = self._compute(name, ("verify", column), expression, df,
                                     f"verify '{column}'")
            for i, (line, stated, want) in enumerate(zip(df.index, df[column], computed)):
                if stated is None or stated != stated or want is None or want != want:
                    continue
                if isinstance(want, str) or isinstance(want, bool):
                    raise DeckError.single(f"verify '{column}': the expression must give "
                                           "numbers", where, f"data '{name}'")
                if abs(float(stated) - want) > _rounding(float(stated)) + 1e-9:
                    self.warnings.append(Problem(
                        f"'{column}' is {format_value(stated)} but {expression} gives "
                        f"{want:.4g}; check the data",
                        self.cell(name, int(line), column)))

    def cell(self, name: str, line: int, column: Optional[str] = None) -> Location:
        """The location of a row (and cell) of a data source in its file."""
        table = self._tables.get(name)
        if table is None:
            return Location(self.shown(name), line, 1)
        return table.where(line, column)

    def stated_total(self, name: str) -> Optional[dict[str, Any]]:
        """The data's own totals row (see `total_row`), with derived columns, or None."""
        self.frame(name)
        return self._totals[name]

    def numeric_column(self, name: str, column: str, df: "Optional[pd.DataFrame]" = None,
                       why: str = "") -> None:
        """Raise with the offending cell if a column meant to hold numbers holds text."""
        import pandas as pd

        frame = self.frame(name) if df is None else df
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series):
            return
        for line, value in series.items():
            if value is not None and to_number(str(value)) is None:
                raise DeckError.single(
                    f"column '{excerpt(column)}' must hold numbers{why}, but line {line} has "
                    f"'{excerpt(value)}'", self.cell(name, int(line), column))


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


def require_columns(df: "pd.DataFrame", columns: list[str], shown: str) -> str | None:
    """A message for the first column not in the frame (with the ones that are), or None."""
    available = [str(c) for c in df.columns]
    for column in columns:
        if column not in available:
            return (f"unknown column '{excerpt(column)}' in {shown}; columns are: "
                    f"{listing(available)}{did_you_mean(column, available)}")
    return None


def filter_rows(df: "pd.DataFrame", where: Mapping[str, Any]) -> "pd.DataFrame":
    """Rows whose columns equal the given values ({column: value}); values compare as text."""
    out = df
    for column, value in where.items():
        out = out[out[column].astype(str) == str(value)]
    return out


def totals_row(df: "pd.DataFrame", derived: Mapping[str, Any]) -> dict[str, Any]:
    """Sum every numeric column that is not derived, then recompute the derived ones from the sums.

    So a percentage change in a totals row is the change of the totals (-8.8%), never a sum of
    percentages. A derived column that cannot be computed from sums (it reads text) is blank.
    """
    import pandas as pd

    sums: dict[str, Any] = {}
    for column in df.columns:
        if column in derived or not pd.api.types.is_numeric_dtype(df[column]):
            continue
        sums[column] = df[column].sum()
    row = pd.DataFrame([sums])
    for column, expression in derived.items():
        if column not in df.columns or not pd.api.types.is_numeric_dtype(df[column]):
            continue
        try:
            row[column] = evaluated(expr_tree(expression), row)[0]
        except (expr.ExprError, expr.NotNumbers):
            continue
    return dict(row.iloc[0].to_dict())


def format_value(value: Any, spec: str = "") -> str:
    """A cell's text: numbers with a Python format spec (',.0f', '.1f', '+.1f'), blanks empty."""
    import math

    if value is None:
        return ""
    try:
        if isinstance(value, float) and math.isnan(value):
            return ""
    except TypeError:
        pass
    if spec and isinstance(value, (int, float)) or (spec and hasattr(value, "__float__")):
        try:
            text = format(float(value), spec)
        except (TypeError, ValueError):
            return str(value)
        return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text
    if hasattr(value, "is_integer") and value.is_integer():
        return str(int(value))
    return str(value)
