"""A table slide's keys as the data stage reads them, and what follows from a column alone: a
value's text in the column's format, and the columns a computed column is made from.

The table kind declares the keys (kinds/table.py `Spec`, `ColumnSpec`, `TotalSpec`: pydantic
models, documented in the outline's schema); these protocols name the part of them that the
figures depend on, so `data/tables.py` and `data/tabletotals.py` compute a table's figures
without importing the kind (a later stage).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Protocol, Sequence, Union

from deckgen.data.frames import TotalRule
from deckgen.data.slide import Wanted
from deckgen.source import numformat
from deckgen.source.expr import ExprError, parse
from deckgen.source.expr import columns as expr_columns
from deckgen.source.noise import ChangeSpec


class TableColumn(Protocol):
    """A column of a table (kinds/table.py ColumnSpec)."""

    @property
    def column(self) -> str: ...

    @property
    def header(self) -> str: ...

    @property
    def format(self) -> str: ...

    @property
    def unit(self) -> Optional[str]: ...

    @property
    def total(self) -> Union[bool, str, None]: ...

    @property
    def change(self) -> Optional[ChangeSpec]: ...

    @property
    def suppress_below(self) -> Optional[int]: ...


class TableTotal(Protocol):
    """A table's `total:` when it says more than yes (kinds/table.py TotalSpec)."""

    @property
    def label(self) -> str: ...

    @property
    def known_difference(self) -> Union[bool, str]: ...


class TableAsked(Protocol):
    """A table slide (kinds/table.py Spec): its data, rows, columns, highlight and totals."""

    @property
    def data(self) -> str: ...

    @property
    def columns(self) -> Sequence[TableColumn]: ...

    @property
    def where(self) -> Mapping[str, Wanted]: ...

    @property
    def highlight(self) -> Optional[str]: ...

    @property
    def total(self) -> Union[TableTotal, bool]: ...


def total_label(table: TableAsked) -> str:
    """The first cell of the totals row."""
    return "Total" if isinstance(table.total, bool) else table.total.label


def cell_text(value: Any, col: TableColumn, minus: str) -> str:
    """A value as the column shows it: in its format, with the brand's minus."""
    return numformat.show_value(value, numformat.parse(col.format) if col.format else None,
                                minus, col.unit == "percent")


def derived_from(rules: Mapping[str, TotalRule]) -> dict[str, set[str]]:
    """For each computed column (its rule a formula), every column it is computed from, at
    any remove."""
    direct: dict[str, set[str]] = {}
    for name, rule in rules.items():
        if isinstance(rule, tuple) and rule[0] == "formula" and isinstance(rule[1], str):
            try:
                direct[name] = set(expr_columns(parse(rule[1])))
            except ExprError:
                direct[name] = set()
    out: dict[str, set[str]] = {}
    for name in direct:
        seen, todo = set(), list(direct[name])
        while todo:
            column = todo.pop()
            if column not in seen:
                seen.add(column)
                todo += list(direct.get(column, ()))
        out[name] = seen
    return out
