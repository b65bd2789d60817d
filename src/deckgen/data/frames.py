"""Operations on a data source's rows that slides need: filter, total, format; and plain values
for the kinds, which do not handle pandas themselves."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, Mapping, Union

from deckgen.data.evaluate import NotNumbers, evaluated, expr_tree
from deckgen.data.header import columns_are
from deckgen.errors import excerpt
from deckgen.source.expr import ExprError

if TYPE_CHECKING:
    import pandas as pd


def require_columns(df: "pd.DataFrame", columns: list[str], shown: str) -> str | None:
    """A message for the first column not in the frame (with the ones that are), or None."""
    available = [str(c) for c in df.columns]
    for column in columns:
        if column not in available:
            return (f"unknown column '{excerpt(column)}' in {shown}; "
                    f"{columns_are(available, column)}")
    return None


def filter_rows(df: "pd.DataFrame", where: Mapping[str, Any]) -> "pd.DataFrame":
    """Rows whose columns equal the given values ({column: value}, or one of a list of
    values); values compare as text (whole numbers without .0)."""
    out = df
    for column, value in where.items():
        texts = out[column].map(value_text)
        wanted = [value_text(v) for v in value] if isinstance(value, list) else [value_text(value)]
        out = out[texts.isin(wanted).to_numpy(dtype=bool)]
    return out


def value_text(value: Any) -> Any:
    """A cell as text the way filters, lookups and labels compare and show it: whole numbers
    without '.0' (2015, not 2015.0), other numbers as a spreadsheet shows them, blanks None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)


#: How a column adds up in a totals row: summed; left blank (a mean, a rank: no honest total);
#: computed again from the totals by its formula (a % change, a rate); or, for a value that
#: belongs to a key (a population joined on a district), counted once for each key.
TotalRule = Union[Literal["sum", "none"], tuple[Literal["formula"], Any],
                  tuple[Literal["per"], tuple[str, ...]]]


def totals_row(df: "pd.DataFrame", rules: Mapping[str, TotalRule]) -> dict[str, Any]:
    """The totals of the rows: each column as its rule says (numbers without a rule are
    summed), formulas computed from the sums in the order they were made.

    So a percentage change in a totals row is the change of the totals (-8.8%), never a sum of
    percentages, a rate is the rate of the totals, and a population joined to every crime type
    of one district is that district's population, not six times it. A total that cannot be
    computed honestly is blank: a formula that reads text, a joined value missing for a key.
    """
    import pandas as pd

    sums: dict[str, Any] = {}
    for column in df.columns:
        rule = rules.get(column, "sum")
        series = df[column]
        if not pd.api.types.is_numeric_dtype(series) or hasattr(series, "cat"):
            continue
        if rule == "sum":
            sums[column] = series.sum()
        elif isinstance(rule, tuple) and rule[0] == "per":
            sums[column] = _once_per_key(df, column, list(rule[1]))
    row = pd.DataFrame([sums])
    for column, rule in rules.items():
        if not isinstance(rule, tuple) or rule[0] != "formula" or column not in df.columns \
                or not pd.api.types.is_numeric_dtype(df[column]):
            continue
        try:
            row[column] = evaluated(expr_tree(rule[1], row.columns), row)[0]
        except (ExprError, NotNumbers):
            continue
    return dict(row.iloc[0].to_dict())


def recomputed(totals: Mapping[str, Any], rules: Mapping[str, TotalRule]) -> dict[str, Any]:
    """Totals already known (a published totals row) with the columns `rules` names done
    again: left blank ("none") or computed from the others (a formula)."""
    import pandas as pd

    again = totals_row(pd.DataFrame([dict(totals)]), rules)
    return {c: None if r == "none" else again.get(c) for c, r in rules.items()}


def _once_per_key(df: "pd.DataFrame", column: str, keys: list[str]) -> float:
    """The sum of a value over the distinct keys it belongs to; blank (NaN) when a key is
    missing from the rows, a row has no value, or one key has two values."""
    if any(k not in df.columns for k in keys) or df[column].isna().any():
        return float("nan")
    pairs = df[keys + [column]].astype(object).drop_duplicates()
    if pairs[keys].isna().any(axis=None) or pairs.duplicated(subset=keys).any():
        return float("nan")
    return float(pairs[column].astype(float).sum())


def format_value(value: Any, spec: str = "") -> str:
    """A cell's text in a format of deckgen's format language (source/numformat.py): '0.0',
    '#,##0', '+.1f'; with none, whole numbers without '.0' and blanks empty."""
    from deckgen.source.numformat import parse, show_value

    return show_value(value, parse(spec) if spec else None)


#: A column whose name says it is a rate, a percentage or an average: adding it up is wrong.
_NOT_ADDED = re.compile(r"%|percent|pct|rate|ratio|average|avg|mean|median|share|proportion"
                        r"|per[ _]?1[,0]*00|per[ _]cap", re.IGNORECASE)


def looks_like_a_rate(name: str) -> bool:
    """Whether a column's name says it is a rate, a percentage or an average."""
    return bool(_NOT_ADDED.search(name))


def is_suppressed(value: Any, below: int) -> bool:
    """Whether a count is one a table hides as '*' (`suppress_below`): from 1 to below the
    threshold (none is never hidden: it identifies no one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and not is_blank(value) and 0 < value < below


def is_blank(value: Any) -> bool:
    """A cell with no value: None, NaN, pandas' NA or NaT (a nullable column's blank), or the
    text pandas writes for one."""
    import pandas as pd

    try:
        if value is None or bool(pd.isna(value)):
            return True
    except (TypeError, ValueError):  # not a single cell
        return False
    return isinstance(value, str) and value in ("<NA>", "nan")


def published_totals(stated: Mapping[str, Any], computed: Mapping[str, Any],
                     rules: Mapping[str, TotalRule], fill_blanks: bool = True
                     ) -> dict[str, Any]:
    """The data's stated totals row (see `total_row`) as slides show it: where the published
    row is blank in a column that adds up, what the rows add up to (unless `fill_blanks` is
    off: the outline said the stated total is known to differ)."""
    shown = dict(stated)
    if fill_blanks:
        for name in computed:
            if rules.get(name, "sum") == "sum" and is_blank(stated.get(name)):
                shown[name] = computed[name]
    return shown


def is_numeric(df: "pd.DataFrame", column: str) -> bool:
    """Whether a column holds numbers (a table aligns them right and totals them)."""
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(df[column]))


def records(df: "pd.DataFrame") -> list[dict[str, Any]]:
    """The rows as plain mappings, in order."""
    return [record.to_dict() for _, record in df.iterrows()]


def texts(df: "pd.DataFrame", column: str) -> list[str]:
    """A column's values as text (see value_text), in order, blanks left out."""
    return [t for t in map(value_text, df[column].tolist()) if t is not None]


def blank_line(df: "pd.DataFrame", column: str) -> int | None:
    """The file line of the first row whose `column` is blank, or None."""
    blank = df[column].isna()
    if not blank.any():
        return None
    return int(df.index[blank.to_numpy().argmax()])


def long_line(df: "pd.DataFrame", column: str, limit: int) -> int | None:
    """The file line of the first row whose `column`, as text, is longer than `limit`, or
    None."""
    long = df[column].astype(str).str.len() > limit
    if not long.any():
        return None
    return int(df.index[long.to_numpy().argmax()])


def sums_by(df: "pd.DataFrame", x: str, y: str) -> list[tuple[str, float]]:
    """(category, total of y) for each value of x, in the order the data first has them; a
    category with no figure at all (a month with no data) stays NaN, never 0."""
    sums = df.groupby(x, sort=False)[y].sum(min_count=1).astype("float64")
    return [(str(value_text(k)), float(v)) for k, v in sums.items()]


def series(df: "pd.DataFrame", name: str,
           columns: list[str]) -> list[tuple[str, tuple[float, ...]]]:
    """For a wide table, each row's name and its values in `columns`."""
    return [(str(value_text(r[name])), tuple(float(r[c]) for c in columns))
            for _, r in df.iterrows()]
