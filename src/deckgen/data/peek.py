"""A data source as the analyst asks to see it (`deckgen data show`): its rows after its steps,
the row count and each column's type, as text ready to print.

Ready to print means safe in a terminal too: the data may come from anyone, and a cell holding
an escape sequence (ESC [31m, an OSC 8 link to file:///..., a title change) must show as text,
not reach the terminal. Every control character is shown as its escape (`\\x1b`). The table
is plain text (`Peek.lines`): nothing in it is read as markup, so a cell that looks like some
('[link=file:///...]') shows as written."""

from __future__ import annotations

import re
import unicodedata
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

    def lines(self, width: int) -> list[str]:
        """The rows as an aligned table for a terminal `width` characters wide: a title, each
        column's name and type, a rule, then the cells, numbers to the right. Where the table
        is wider than the terminal, the widest columns are narrowed (to no less than
        `_NARROWEST`) and the cells too long for theirs are cut with '…'."""
        right = [kind in ("number", "whole number") for kind in self.types]
        rows = [self.columns, self.types, *self.cells]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(self.columns))]
        widths = _fit(widths, width - len(_GAP) * (len(widths) - 1))
        rule = tuple("-" * w for w in widths)
        return [f"data '{self.name}': {self.rows:,} row(s), {len(self.columns)} column(s)",
                *(_line(row, widths, right) for row in (rows[0], rows[1], rule, *rows[2:]))]


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


#: Between two columns of `Peek.lines`; a column is never narrowed below `_NARROWEST`.
_GAP = "  "
_NARROWEST = 6


def _width(text: str) -> int:
    """How many terminal cells `text` takes: two for a wide (East Asian) character."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(widths: list[int], room: int) -> list[int]:
    """The column widths narrowed, the widest first, until they fit `room` (or every column
    is at `_NARROWEST`)."""
    widths = list(widths)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= _NARROWEST:
            break
        widths[widest] -= 1
    return widths


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells: cut with '…' when it takes more."""
    if _width(text) <= width:
        return text
    out, used = "", 1  # the '…'
    for ch in text:
        used += _width(ch)
        if used > width:
            break
        out += ch
    return out + "…"


def _line(row: tuple[str, ...], widths: list[int], right: list[bool]) -> str:
    cells = []
    for text, width, to_right in zip(row, widths, right):
        text = _cut(text, width)
        pad = " " * (width - _width(text))
        cells.append(pad + text if to_right else text + pad)
    return _GAP.join(cells).rstrip()
