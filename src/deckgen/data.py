"""Resolve stage for data: read each named CSV once, clean Excel-isms, compute derived columns.

Pure apart from reading the CSV files; pandas is imported only when a deck uses data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional

from deckgen.errors import DeckError, Location, Problem, did_you_mean

if TYPE_CHECKING:
    import pandas as pd

    from deckgen.outline import DataSourceSpec
    from deckgen.yamlsrc import SourceMap

#: Data sources larger than this are refused: a briefing table, not a data warehouse.
MAX_ROWS = 200_000

_NUMBER = re.compile(r"^[-+\u2212]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$|^[-+\u2212]?\.\d+%?$")


def _to_number(text: str) -> float | None:
    """'1,234' -> 1234, '-5.9%' -> -5.9, '−3' (minus sign) -> -3; None if not a number."""
    if not isinstance(text, str):
        return None
    t = text.strip()
    if not _NUMBER.match(t):
        return None
    return float(t.replace(",", "").replace("%", "").replace("\u2212", "-"))


def clean_numbers(df: "pd.DataFrame") -> "pd.DataFrame":
    """Turn text columns whose every filled cell is a number (as Excel writes them) numeric."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype != object and not pd.api.types.is_string_dtype(series):
            continue
        filled = series.dropna().astype(str).str.strip()
        filled = filled[filled != ""]
        if filled.empty:
            continue
        parsed = filled.map(_to_number)
        if parsed.notna().all():
            numbers = parsed.astype(float)
            whole = bool((numbers == numbers.round()).all())
            converted = pd.to_numeric(series.astype(str).str.strip().map(_to_number),
                                      errors="coerce")
            out[col] = converted.astype("Int64") if whole else converted
    return out


def read_csv(path: Path, shown: str) -> "pd.DataFrame":
    """Read a CSV as Excel exports it (UTF-8 with or without BOM, any line endings)."""
    import pandas as pd

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DeckError.single("data file not found; check the path under 'data:'",
                               Location(shown)) from None
    except IsADirectoryError:
        raise DeckError.single("is a folder, not a CSV file", Location(shown)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckError.single(
            "the file is not UTF-8 text; in Excel use 'Save As' > 'CSV UTF-8'",
            Location(shown, line, 1)) from None
    if not text.strip():
        raise DeckError.single("the data file is empty; it needs a header row and data rows",
                               Location(shown, 1, 1))
    import io

    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                         skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise DeckError.single("the data file has no header row; the first line names the "
                               "columns", Location(shown, 1, 1)) from None
    except pd.errors.ParserError as exc:
        raise DeckError.single(*_parser_problem(str(exc), shown)) from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.empty:
        raise DeckError.single("the data file has a header but no rows", Location(shown, 2, 1))
    if len(df) > MAX_ROWS:
        raise DeckError.single(f"the data file has {len(df):,} rows; deckgen reads at most "
                               f"{MAX_ROWS:,} (aggregate it first)", Location(shown))
    df = df.replace({"": None})
    return clean_numbers(df)


def _parser_problem(text: str, shown: str) -> tuple[str, Location]:
    """pandas' tokenizer error in the user's words: which row, how many values."""
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        want, line, got = (int(g) for g in match.groups())
        return (f"row {line - 1} has {got} values but the header names {want} columns; put "
                "quotes around values that contain commas", Location(shown, line, 1))
    match = re.search(r"line (\d+)", text)
    line = int(match.group(1)) if match else 0
    first = text.strip().splitlines()[0] if text.strip() else "unreadable"
    return f"not a valid CSV ({first})", Location(shown, line, 1)


def derive(df: "pd.DataFrame", expressions: Mapping[str, str]) -> "pd.DataFrame":
    """Add computed columns, in order (later ones may use earlier ones); raises ValueError."""
    import pandas as pd

    out = df.copy()
    for name, expression in expressions.items():
        try:
            values = out.eval(expression, engine="python")
        except Exception as exc:  # pandas raises many types for a bad expression
            raise ValueError(f"cannot compute '{name} = {expression}': {_eval_reason(exc, out)}")
        out[name] = pd.to_numeric(values, errors="coerce").astype(float)
    return out


def _eval_reason(exc: Exception, df: "pd.DataFrame") -> str:
    text = str(exc)
    match = re.search(r"name '([^']+)' is not defined", text)
    if match:
        name = match.group(1)
        return (f"unknown column '{name}'; columns are: {', '.join(map(str, df.columns))}"
                f"{did_you_mean(name, map(str, df.columns))}")
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass
class DataStore:
    """The deck's named data sources, each read and derived once per build."""

    specs: Mapping[str, "DataSourceSpec"]
    base_dir: Path
    source: "SourceMap | None" = None
    _frames: dict[str, Any] = field(default_factory=dict)
    _totals: dict[str, Optional[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def shown(self, name: str) -> str:
        return self.specs[name].file

    def _at(self, name: str, *key: str) -> Optional[Location]:
        """Where the outline writes a key of data source `name` (when the outline is known)."""
        return self.source.at(("data", name) + key) if self.source else None

    def frame(self, name: str) -> "pd.DataFrame":
        if name not in self._frames:
            spec = self.specs[name]
            path = self.base_dir / spec.file
            if not path.is_file():
                where = self._at(name, "file")
                what = "is a folder, not a CSV file" if path.is_dir() else "data file not found"
                raise DeckError.single(f"{what}: {spec.file}; check the path under 'data:'",
                                       where, f"data '{name}'")
            df = read_csv(path, spec.file)
            for expression in spec.derive.values():
                for quoted, plain in re.findall(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)",
                                                expression):
                    column = quoted or plain
                    if column in df.columns:
                        _require_numbers(df, column, spec.file)
            try:
                df = derive(df, spec.derive)
            except ValueError as exc:
                where = self._at(name, "derive")
                raise DeckError.single(str(exc), where, f"data '{name}'") from None
            stated = None
            if spec.total_row is not None:
                marker = df[df.columns[0]].astype(str) == spec.total_row
                if not marker.any():
                    where = self._at(name, "total_row")
                    raise DeckError.single(
                        f"no row of {spec.file} has '{spec.total_row}' in its first column "
                        f"'{df.columns[0]}'", where, f"data '{name}'")
                stated = df[marker].iloc[0].to_dict()
                df = df[~marker].reset_index(drop=True)
            self._frames[name] = df
            self._totals[name] = stated
            self._verify(name, df)
        return self._frames[name]

    def _verify(self, name: str, df: "pd.DataFrame") -> None:
        """Warn where a stated column does not follow from the others (see `verify:`)."""
        spec = self.specs[name]
        for column, expression in spec.verify.items():
            where = self._at(name, "verify", column)
            if column not in df.columns:
                raise DeckError.single(require_columns(df, [column], spec.file) or "",
                                       where, f"data '{name}'")
            _require_numbers(df, column, spec.file)
            try:
                computed = derive(df, {"__check": expression})["__check"]
            except ValueError as exc:
                raise DeckError.single(str(exc), where, f"data '{name}'") from None
            for i, (stated, want) in enumerate(zip(df[column], computed)):
                if stated is None or want != want:
                    continue
                if abs(float(stated) - want) > _rounding(float(stated)) + 1e-9:
                    self.warnings.append(Problem(
                        f"'{column}' is {format_value(stated)} but {expression} gives "
                        f"{want:.4g} (row {i + 1}); check the data", Location(spec.file, i + 2, 1)))

    def stated_total(self, name: str) -> Optional[dict[str, Any]]:
        """The data's own totals row (see `total_row`), with derived columns, or None."""
        self.frame(name)
        return self._totals[name]

    def numeric_column(self, name: str, column: str) -> None:
        """Raise with the offending row if a column meant to hold numbers holds text."""
        _require_numbers(self.frame(name), column, self.shown(name))


def _rounding(value: float) -> float:
    """Half a unit of the last decimal the value was written with: -5.9 -> 0.05."""
    for decimals in range(7):
        if round(value, decimals) == value:
            return 0.5 * 10.0 ** -decimals
    return 5e-8


def _require_numbers(df: "pd.DataFrame", column: str, shown: str) -> None:
    """Raise, naming the row, if a column that must hold numbers holds text."""
    import pandas as pd

    series = df[column]
    if pd.api.types.is_numeric_dtype(series):
        return
    for i, value in enumerate(series):
        if value is not None and _to_number(str(value)) is None:
            raise DeckError.single(
                f"column '{column}' must hold numbers, but row {i + 1} has '{value}'",
                Location(shown, i + 2, 1))


def require_columns(df: "pd.DataFrame", columns: list[str], shown: str) -> str | None:
    """A message for the first column not in the frame (with the ones that are), or None."""
    available = [str(c) for c in df.columns]
    for column in columns:
        if column not in available:
            return (f"unknown column '{column}' in {shown}; columns are: {', '.join(available)}"
                    f"{did_you_mean(column, available)}")
    return None


def filter_rows(df: "pd.DataFrame", where: Mapping[str, Any]) -> "pd.DataFrame":
    """Rows whose columns equal the given values ({column: value}); values compare as text."""
    out = df
    for column, value in where.items():
        out = out[out[column].astype(str) == str(value)]
    return out


def totals_row(df: "pd.DataFrame", derived: Mapping[str, str]) -> dict[str, Any]:
    """Sum every numeric column that is not derived, then recompute the derived ones from the sums.

    So a percentage change in a totals row is the change of the totals (-8.8%), never a sum of
    percentages.
    """
    import pandas as pd

    sums: dict[str, Any] = {}
    for column in df.columns:
        if column in derived or not pd.api.types.is_numeric_dtype(df[column]):
            continue
        sums[column] = df[column].sum()
    row = pd.DataFrame([sums])
    present = {k: v for k, v in derived.items() if k in df.columns}
    if present:
        row = derive(row, present)
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
