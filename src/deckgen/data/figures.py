"""The values of figures in text (source/figures.py): one cell of a data source after its
steps, or its totals row; never a guess when no row or several rows match."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Optional

from deckgen.data import labels
from deckgen.data.frames import (
    filter_rows,
    is_blank,
    is_suppressed,
    looks_like_a_rate,
    published_totals,
    require_columns,
    texts,
    totals_row,
)
from deckgen.errors import did_you_mean, excerpt, listing
from deckgen.source.chartkeys import LimitsSpec
from deckgen.source.figures import Declared, FigureError, Ref
from deckgen.source.schema import unknown_source

if TYPE_CHECKING:
    from deckgen.data.store import DataStore


@dataclass
class StoreFigures:
    """Figures read from a deck's data store; each cell is looked up once."""

    store: "DataStore"
    figures: Mapping[str, Declared] = field(default_factory=dict)
    minus: str = "-"  # the brand's minus sign
    # (source, column) -> (the threshold, the slide) of a table that shows counts from 1 to
    # below the threshold as '*' (kinds/table.py `suppress_below`)
    suppressed: Mapping[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    _seen: dict[Ref, Any] = field(default_factory=dict)

    def declared(self) -> Mapping[str, Declared]:
        return self.figures

    def caution(self, ref: Ref, value: Any) -> Optional[str]:
        """A count shown in text that a table of the deck suppresses gives it away."""
        found = self.suppressed.get((ref.source, ref.column))
        if found is None or ref.total or not is_suppressed(value, found[0]):
            return None
        below, slide = found
        return (f"{ref} is {value:g}, a count {slide} shows as '*' (suppress_below: {below}): "
                "in text it gives away what the table hides; leave it out of the text, or "
                "drop suppress_below if the count may be shown")

    def signal(self, ref: Ref, limits: LimitsSpec) -> int:
        """The latest special cause of the control chart of the rows `ref` selects, in the
        data's order (the months of a trend): +1 above its normal range, -1 below, 0 none."""
        from deckgen.data import spc

        store = self.store
        if ref.source not in store.specs:
            raise FigureError(unknown_source(ref.source, store.specs))
        df, shown = store.frame(ref.source), store.shown(ref.source)
        problem = require_columns(df, [ref.column, *(k for k, _ in ref.where)], shown)
        if problem:
            raise FigureError(problem)
        rows = filter_rows(df, dict(ref.where))
        if rows.empty:
            raise FigureError(_no_row(ref, df, shown))
        values = [_plain(v) for v in rows[ref.column].tolist()]
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)))
               for v in values):
            raise FigureError(f"a signal is read from the counts of {ref}: a cell of it is "
                              "not a number")
        try:
            chart = spc.control_chart([None if v is None else float(v) for v in values],
                                      limits.method,
                                      limits.baseline, limits.assess)
        except spc.SpcError as exc:
            raise FigureError(f"{ref}: {exc}") from None
        last = max(chart.signals, key=lambda s: s.points[-1], default=None)
        return 0 if last is None else 1 if last.direction == "up" else -1

    def value(self, ref: Ref) -> Any:
        if ref not in self._seen:
            self._seen[ref] = self._value(ref)
        return self._seen[ref]

    def _value(self, ref: Ref) -> Any:
        store = self.store
        if ref.source not in store.specs:
            raise FigureError(unknown_source(ref.source, store.specs))
        df = store.frame(ref.source)
        shown = store.shown(ref.source)
        if ref.column not in df.columns and re.search(r"\s[-+*/]\s", ref.column):
            raise FigureError(
                f"a figure in text names one cell and does no arithmetic ('{excerpt(ref.column)}' "
                f"is no column of {shown}): compute it as a column of the data with 'derive:' "
                "(or a 'rate:' step) and name that column")
        problem = require_columns(df, [ref.column, *(k for k, _ in ref.where)], shown)
        if problem:
            raise FigureError(problem)
        if ref.total:
            return self._total(ref, df)
        rows = filter_rows(df, dict(ref.where))
        if len(rows) == 1:
            value = _plain(rows[ref.column].iloc[0])
            names = labels.labels(store, ref.source)[0].get(ref.column)
            if names and isinstance(value, str):  # a name shows as the slides show it
                return labels.shown(value, names)
            if value is None:
                row = ', '.join(f'{k} = {excerpt(v)}' for k, v in ref.where)
                rule = store.total_rules(ref.source).get(ref.column)
                if isinstance(rule, tuple) and rule[0] == "formula":
                    raise FigureError(f"the row of {shown} with {row} has no '{ref.column}': "
                                      f"it is computed ({rule[1]}), "
                                      f"{_why_blank(store, ref.source, rows, str(rule[1]))}")
                raise FigureError(f"the row of {shown} with {row} has no '{ref.column}' (the "
                                  f"cell is empty, at "
                                  f"{store.cell(ref.source, int(rows.index[0]), ref.column)}); "
                                  "fill it in, or pick another row")
            return value
        if rows.empty:
            raise FigureError(_no_row(ref, df, shown))
        keys = [str(c) for c in df.columns if c not in dict(ref.where) and c != ref.column]
        differ = [k for k in keys if rows[k].nunique(dropna=False) > 1]
        hint = (f"; add a column to pick one, e.g. [{', '.join(f'{k}={v}' for k, v in ref.where)}"
                f"{', ' if ref.where else ''}{differ[0]}={excerpt(texts(rows, differ[0])[0])}]"
                if differ else "; the rows are the same: remove the duplicates from the data")
        raise FigureError(f"{len(rows)} rows of {shown} have "
                          f"{', '.join(f'{k} = {v}' for k, v in ref.where)}: a figure is one "
                          f"cell{hint}")

    def _total(self, ref: Ref, df: Any) -> Any:
        store = self.store
        rules = store.total_rules(ref.source)
        computed = totals_row(df, rules)
        stated = store.stated_total(ref.source) if ref.total == "total" else None
        # the totals row a table of the source shows
        shown = published_totals(stated, computed, rules) if stated is not None else computed
        value = shown.get(ref.column)
        summed = stated is None or is_blank(stated.get(ref.column))
        if summed and ref.column not in rules and looks_like_a_rate(ref.column):
            raise FigureError(
                f"{ref} would add up '{ref.column}', which looks like a rate, a percentage or "
                "an average; derive it in the data from its counts (derive: {rate: detected "
                "/ crimes * 100}), so that its total is computed again from theirs")
        if is_blank(value):
            raise FigureError(f"the totals row of {store.shown(ref.source)} has no "
                              f"'{ref.column}': it is text, or it cannot be added up honestly "
                              "(a mean, a rank)")
        return _plain(value)


def _why_blank(store: "DataStore", name: str, rows: Any, expression: str) -> str:
    """Why a computed cell of the one row is blank: an input that is empty (located), else
    what computing it again on that row meets (a division by zero, a square root of a
    negative number, a result too large to be a number, text that is no number)."""
    from deckgen.source.expr import columns, parse

    line = int(rows.index[0])
    for column in columns(parse(expression)):
        if column in rows.columns and is_blank(rows[column].iloc[0]):
            return (f"and its '{column}' is empty (at {store.cell(name, line, column)}); fill "
                    "it in, or pick another row")
    return (f"and in that row (at {store.cell(name, line)}) {_blank_cause(rows, expression)}; "
            "pick another row, or say in the text why there is no figure")


def _blank_cause(rows: Any, expression: str) -> str:
    """What the expression meets on the one row, as words: 'it divides by zero'."""
    from deckgen.data.evaluate import NotNumbers, evaluate
    from deckgen.source.expr import ExprError, parse

    try:
        report = evaluate(parse(expression), rows)[1]
    except (ExprError, NotNumbers):  # a column a later step dropped: no cause to name
        return "it has no value"
    if report.divided_by_zero:
        return "it divides by zero"
    if report.negative_roots:
        return "it takes the square root of a negative number"
    if report.too_large:
        return "its result is too large to be a number"
    if report.not_numbers:
        return "number() finds no number in its text"
    return "it has no value"


def _no_row(ref: Ref, df: Any, shown: str) -> str:
    for key, value in ref.where:
        values = sorted(set(texts(df, key)))
        if value not in values:
            return (f"no row of {shown} has {key} = {excerpt(value)}; values are: "
                    f"{listing(values)}{did_you_mean(value, values)}")
    return (f"no row of {shown} has "
            f"{' and '.join(f'{k} = {excerpt(v)}' for k, v in ref.where)} together")


def _plain(value: Any) -> Any:
    """A numpy or pandas scalar as the Python value it is (blank as None)."""
    if hasattr(value, "item"):
        value = value.item()
    return None if is_blank(value) else value
