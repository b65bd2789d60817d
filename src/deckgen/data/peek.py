"""A data source as the analyst asks to see it (`deckgen data show`): its rows after its steps,
the row count and each column's type, as text ready to print."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Peek:
    """The first rows of a source, each cell as text; its columns' types in words."""

    name: str
    rows: int  # how many rows the source has in all
    columns: tuple[str, ...]
    types: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]  # the first rows shown


def peek(name: str, frame: "pd.DataFrame", limit: int) -> Peek:
    """The first `limit` rows of `frame` (every row when `limit` is 0 or less)."""
    import pandas as pd

    shown = frame if limit <= 0 else frame.head(limit)
    types = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            types.append("true/false")
        elif pd.api.types.is_integer_dtype(series):
            types.append("whole number")
        elif pd.api.types.is_float_dtype(series):
            types.append("number")
        elif pd.api.types.is_datetime64_any_dtype(series) or isinstance(series.dtype,
                                                                         pd.PeriodDtype):
            types.append("date")
        else:
            types.append("text")
    cells = tuple(tuple(_cell(v) for v in row) for row in shown.itertuples(index=False))
    return Peek(name, len(frame), tuple(str(c) for c in frame.columns), tuple(types), cells)


def _cell(value: object) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if not value.is_integer() else f"{value:.0f}"
    return str(value)
