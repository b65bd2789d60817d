"""A table slide's figures: the rows it shows, each cell's text and what marks it, and the
totals row. What a reader of the table is told is decided here; how it looks is the kind's.

Two steps, as the kind reads them (kinds/table.py `resolve`):

- `select`: the rows the slide's `where:` keeps, checked against the slide (its columns exist,
  some rows match, not too many; a format for numbers on a column of text, figures already in
  percent), with each column's display names;
- `figures`: every cell as its column's format shows it, a count from 1 to below
  `suppress_below` hidden as '*' with every column computed from it (which would give it
  away), a change marked by its Poisson noise or shown '–' on a small base (source/noise.py),
  and the totals row (data/tabletotals.py).

The kind gets plain values (`Figure`, `TableRow`, `TableFigures`) and chooses colours, fonts and
widths; it never sees the data's frame (`Selected` carries it between the two steps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from deckgen.data import labels
from deckgen.data.frames import (
    filter_rows,
    format_value,
    is_blank,
    is_numeric,
    is_suppressed,
    records,
    require_columns,
    texts,
)
from deckgen.data.labels import Labels
from deckgen.data.slide import Slide
from deckgen.data.tablekeys import (
    TableAsked,
    TableColumn,
    cell_text,
    derived_from,
    total_label,
)
from deckgen.data.tabletotals import totals
from deckgen.errors import DeckError, Problem, did_you_mean, excerpt, listing
from deckgen.source import noise, numformat
from deckgen.source.noise import ChangeSpec

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 300  # a briefing table, not a data dump: more is an error
#: Characters in a cell or a header: a table cell is a figure or a name, and every cell is
#: measured to size the columns.
MAX_CELL_CHARS = 1000


@dataclass(frozen=True)
class Figure:
    """A cell as the table states it: its text (with its mark), whether it is a figure that
    falls (True) or rises (False) for a column coloured by which way is better (None: blank,
    zero or not a number), and whether it is shown plain, never coloured (hidden, on a small
    base, or a change within normal variation)."""

    text: str
    falls: Optional[bool] = None
    plain: bool = False


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Figure, ...]
    highlighted: bool = False  # its first column is the slide's `highlight:`


@dataclass(frozen=True)
class TableFigures:
    """What a table shows: its rows, its totals row (None without one), the marks its cells
    use ('suppressed', 'small base', and the levels of change: for the footnote), what the
    footnote says of a stated total known to differ, and what computing it found."""

    rows: tuple[TableRow, ...]
    total: Optional[TableRow]
    used: frozenset[str]
    published: str
    warnings: tuple[Problem, ...]


@dataclass(frozen=True, eq=False)
class Selected:
    """The rows a table shows, checked against the slide; which columns hold numbers; each
    column's display names; and what checking found (a format that does not fit)."""

    rows: "pd.DataFrame"
    numeric: tuple[bool, ...]
    names: Labels
    warnings: tuple[Problem, ...]


def select(slide: Slide, table: TableAsked) -> Selected:
    """The rows the table shows: its columns must exist, its `where:` keep some rows and not
    more than MAX_ROWS."""
    store = slide.data
    df = store.frame(table.data)
    shown = store.shown(table.data)
    for i, column in enumerate(table.columns):
        problem = require_columns(df, [column.column], shown)
        if problem:
            raise slide.error(problem, "columns", i, "column")
    problem = require_columns(df, list(table.where), shown)
    if problem:
        raise slide.error(problem, "where")
    rows = filter_rows(df, table.where)
    if rows.empty:
        raise slide.error(f"no rows of {shown} match {table.where}", "where")
    if len(rows) > MAX_ROWS:
        raise slide.error(f"{len(rows)} rows are too many for a briefing (at most {MAX_ROWS}); "
                          "filter with 'where:' or split the table", "data")
    numeric = tuple(is_numeric(df, col.column) for col in table.columns)
    unformatted = [slide.warning(f"format '{col.format}' is for numbers, but column "
                                 f"'{excerpt(col.column)}' holds text, so it is shown as "
                                 "written", "columns", i, "format")
                   for i, (col, num) in enumerate(zip(table.columns, numeric))
                   if col.format and not num]
    percents = [_percent_of_percent(slide, col, rows, i) for i, (col, num) in
                enumerate(zip(table.columns, numeric)) if num and col.format]
    unformatted += [w for w in percents if w is not None]
    names = labels.labels(store, table.data)[0]
    return Selected(rows, numeric, names, tuple(unformatted))


def _percent_of_percent(slide: Slide, col: TableColumn, rows: "pd.DataFrame", i: int
                        ) -> Problem | None:
    if col.unit == "percent":
        return None
    values = [float(v) for v in rows[col.column].dropna()]
    message = numformat.percent_warning(values, col.format, "unit")
    if message and numformat.surely_in_percent(values):
        raise slide.error(f"column '{col.column}': {message}", "columns", i, "format")
    return slide.warning(f"column '{col.column}': {message}", "columns", i, "format") \
        if message else None


def figures(slide: Slide, table: TableAsked, selected: Selected, minus: str) -> TableFigures:
    """Every row's cells, the totals row when the slide asks for one, and the marks they use."""
    rows = selected.rows
    first = table.columns[0].column
    named = [col.column for col, num in zip(table.columns, selected.numeric)
             if not num and col.column in selected.names]
    kinds = _change_kinds(slide, table, rows)
    reads = derived_from(slide.data.total_rules(table.data))
    _long_headers(slide, table)
    body: list[TableRow] = []
    used: set[str] = set()
    for line, record in zip(rows.index, records(rows)):
        marked = table.highlight is not None and str(record[first]) == table.highlight
        record.update({n: labels.shown(record[n], selected.names[n]) for n in named})
        cells, more = _row(table, record, kinds, reads, minus)
        _long_cells(slide, table, cells, int(line))
        body.append(TableRow(cells, marked))
        used |= more
    _highlight_is_a_value(slide, table, rows)
    warnings: list[Problem] = []
    total = None
    published = ""  # with a known difference, what the footnote says of the stated total
    if table.total:
        sums, found, published = totals(slide, table, rows, minus)
        warnings += found
        sums[first] = total_label(table)
        cells, more = _row(table, sums, kinds, reads, minus, totals=True)
        used |= more
        total = TableRow(cells)
        warnings += _revealed(slide, table, body)
    return TableFigures(tuple(body), total, frozenset(used), published, tuple(warnings))


def _highlight_is_a_value(slide: Slide, table: TableAsked, rows: "pd.DataFrame") -> None:
    first = table.columns[0].column
    if table.highlight is not None and table.highlight not in texts(rows, first):
        values = texts(rows, first)
        hint = labels.named(slide.data, table.data, first, table.highlight) or \
            did_you_mean(table.highlight, values)
        raise slide.error(f"highlight '{excerpt(table.highlight)}' is not a value of column "
                          f"'{first}'; values are: {listing(values)}{hint}", "highlight")


def _long_headers(slide: Slide, table: TableAsked) -> None:
    """Refuse a header (or the totals row's label) longer than MAX_CELL_CHARS."""
    for i, col in enumerate(table.columns):
        header = col.header or col.column
        if len(header) > MAX_CELL_CHARS:
            raise slide.error(f"the header of column {i + 1} is {len(header):,} characters "
                              f"long; a table's header holds at most {MAX_CELL_CHARS:,}: give "
                              "the column a short 'header:'", "columns", i,
                              "header" if col.header else "column")
    label = total_label(table)
    if not isinstance(table.total, bool) and len(label) > MAX_CELL_CHARS:
        raise slide.error(f"the totals row's label is {len(label):,} characters long; a "
                          f"table cell holds at most {MAX_CELL_CHARS:,}", "total", "label")


def _long_cells(slide: Slide, table: TableAsked, cells: tuple[Figure, ...], line: int) -> None:
    """Refuse a cell of the data longer than MAX_CELL_CHARS, at the cell."""
    for col, cell in zip(table.columns, cells):
        if len(cell.text) > MAX_CELL_CHARS:
            raise DeckError.single(
                f"column '{excerpt(col.column)}' has a cell {len(cell.text):,} characters long "
                f"('{excerpt(cell.text)}'); a table cell is a figure or a name, at most "
                f"{MAX_CELL_CHARS:,} characters: shorten it in the data, or leave the column out "
                "of the table", slide.data.cell(table.data, line, col.column), slide.label)


def _row(table: TableAsked, record: dict[str, Any], kinds: dict[int, bool],
         reads: dict[str, set[str]], minus: str, totals: bool = False
         ) -> tuple[tuple[Figure, ...], set[str]]:
    """A row's cells, and what their marks need explained ('small base', 'suppressed', a
    level of change). A suppressed count hides with it every column computed from it (a
    change, a share), which would give it away."""
    hidden = {col.column for col in table.columns if not totals and col.suppress_below
              and is_suppressed(record.get(col.column), col.suppress_below)}
    suppressed = {name for name, inputs in reads.items() if inputs & hidden} | hidden
    cells = []
    used: set[str] = set()
    for i, col in enumerate(table.columns):
        cell, mark = _cell(col, record, suppressed, kinds.get(i), minus)
        cells.append(cell)
        if mark:
            used.add(mark)
    return tuple(cells), used


def _cell(col: TableColumn, record: dict[str, Any], suppressed: set[str],
          percent: Optional[bool], minus: str) -> tuple[Figure, str]:
    """One cell, and the mark it uses ('' for none). `percent`: for a column with `change:`,
    whether it is a % change of its counts (else their difference)."""
    value = record.get(col.column)
    falls = value < 0 if isinstance(value, (int, float)) and value == value and value != 0 \
        else None
    change = col.change
    if col.column in suppressed or (change is not None and {change.current,
                                                            change.previous} & suppressed):
        return Figure(noise.SUPPRESSED_TEXT, falls, plain=True), "suppressed"
    text = cell_text(value, col, minus)
    if change is None:
        return Figure(text, falls), ""
    current, previous = record.get(change.current), record.get(change.previous)
    if not isinstance(current, (int, float)) or not isinstance(previous, (int, float)) \
            or is_blank(current) or is_blank(previous) \
            or (is_blank(value) and not percent):  # % of nothing: blank
        return Figure(text, falls), ""
    if percent and float(previous) < change.small_base:
        return Figure(noise.SMALL_BASE_TEXT + noise.NO_MARK, falls, plain=True), "small base"
    if is_blank(value):
        return Figure(text, falls), ""
    level = noise.level(noise.z_score(float(current), float(previous)), change.notable,
                        change.significant)
    # a figure with no mark keeps the mark's room, so the column's figures line up
    return Figure(text + (noise.MARKERS[level] or noise.NO_MARK), falls,
                  plain=level == "noise"), level


def _change_kinds(slide: Slide, table: TableAsked, rows: "pd.DataFrame") -> dict[int, bool]:
    """For each column with `change:`, whether it is a % change (True) or a difference
    (False) of its counts, found from its figures; anything else is an error, never a flag
    computed from the wrong counts."""
    out: dict[int, bool] = {}
    shown = slide.data.shown(table.data)
    for i, col in enumerate(table.columns):
        change = col.change
        if change is None:
            continue
        for key in ("current", "previous"):
            problem = require_columns(rows, [getattr(change, key)], shown)
            if problem:
                raise slide.error(problem, "columns", i, "change", key)
        kinds = {True, False}
        for record in records(rows):
            kinds = _kinds_of(slide, col, change, i, record, kinds)
        out[i] = kinds == {True}  # a base of 100 everywhere: either way, never a small base
    return out


def _kinds_of(slide: Slide, col: TableColumn, change: ChangeSpec, i: int,
              record: dict[str, Any], kinds: set[bool]) -> set[bool]:
    """What one row leaves of the kinds of change (% or difference) column `col` may be."""
    value, now, before = (record.get(k) for k in (col.column, change.current, change.previous))
    if is_blank(value) and before == 0 and not is_blank(now):
        kinds = kinds - {False}  # blank where the base is 0: a % (a difference is not)
    if any(is_blank(v) for v in (value, now, before)) or value is None:
        return kinds
    counts = []
    for key, count in (("current", now), ("previous", before)):
        if not noise.is_count(count):
            shown_count = format_value(round(count, 2)) if isinstance(
                count, (int, float)) else excerpt(count)
            raise slide.error(f"change: '{getattr(change, key)}' holds {shown_count}, "
                              "not a count; the Poisson flag is for counts of crimes or "
                              "incidents, not rates or averages", "columns", i, "change", key)
        counts.append(float(count))
    kinds = kinds & noise.change_kinds(float(value), *counts)
    if not kinds:
        swapped = noise.change_kinds(float(value), counts[1], counts[0])
        hint = (f"; '{change.current}' and '{change.previous}' look the wrong way "
                "round" if swapped else "; 'current' and 'previous' name the same "
                "column" if change.current == change.previous else
                "; name the counts it is the change between, or a column that is their "
                "difference or % change in every row")
        raise slide.error(
            f"'{col.column}' is {format_value(round(float(value), 4))} where "
            f"{change.current} is {format_value(now)} and {change.previous} "
            f"{format_value(before)}: neither their difference nor their % change"
            f"{hint}", "columns", i, "change")
    return kinds


def _revealed(slide: Slide, table: TableAsked, rows: list[TableRow]) -> list[Problem]:
    """A column with one suppressed cell and a total gives the cell away."""
    out = []
    for i, col in enumerate(table.columns):
        hidden = sum(row.cells[i].text == noise.SUPPRESSED_TEXT for row in rows)
        if col.suppress_below and hidden == 1:
            out.append(slide.warning(
                f"column '{col.column}' suppresses one cell, which the totals row gives away "
                "(the total less the other rows); suppress a second cell or show no totals "
                "row", "columns", i, "suppress_below"))
    return out
