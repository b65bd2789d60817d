"""A data source as the analyst asks to see it (`deckgen data show`): its rows after its steps,
the row count and each column's type, as text ready to print.

Ready to print means safe in a terminal too: the data may come from anyone, and a cell holding
an escape sequence (ESC [31m, an OSC 8 link to file:///..., a title change) must show as text,
not reach the terminal. Every control character is shown as its escape (`\\x1b`)."""

from __future__ import annotations

import re
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
    cells = tuple(tuple(shown_text(_cell(v)) for v in row)
                  for row in shown.itertuples(index=False))
    return Peek(shown_text(name), len(frame), tuple(shown_text(str(c)) for c in frame.columns),
                tuple(types), cells)


#: C0 controls (tab and line feed too: a table cell is one line), DEL and the C1 controls,
#: which terminals read as commands (ESC starts a sequence; U+009B is CSI on its own).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown_text(text: str) -> str:
    """`text` with each control character written as its escape: ESC as `\\x1b`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _cell(value: object) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if not value.is_integer() else f"{value:.0f}"
    return str(value)
