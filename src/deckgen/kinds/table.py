"""`table`: a real, editable PowerPoint table from a data source — formats, totals, highlights.

Derived columns come from the data source's `derive:`; the totals row sums the counted columns and
recomputes the derived ones from those sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from deckgen.data import labels
from deckgen.data.frames import (
    TotalRule,
    filter_rows,
    format_value,
    is_blank,
    is_numeric,
    is_suppressed,
    looks_like_a_rate,
    published_totals,
    recomputed,
    records,
    require_columns,
    texts,
    totals_row,
)
from deckgen.data.header import columns_are
from deckgen.data.provenance import NOT_REAL_NOTES
from deckgen.errors import DeckError, Problem, did_you_mean, excerpt, listing
from deckgen.kinds.base import Planned, SlideContext, SlideSpec, data_head
from deckgen.layout import textfit
from deckgen.layout.frame import (
    caption_height,
    content_title,
    continued,
    fitted,
    notes_with,
    paragraph,
)
from deckgen.layout.plan import (
    CELL_MARGIN_PT,
    EMU_PER_PT,
    MIN_TABLE_PT,
    Align,
    Box,
    Cell,
    Element,
    SlidePlan,
    Table,
    TextBox,
    inches,
)
from deckgen.layout.theme import Theme
from deckgen.source import noise, numformat
from deckgen.source.expr import ExprError, parse
from deckgen.source.expr import columns as expr_columns
from deckgen.source.noise import ChangeSpec
from deckgen.source.schema import Illustrative

ROWS_PER_SLIDE = 15  # body rows that fit one slide legibly (at >= 12 pt); more continue
MAX_ROWS = 300  # a briefing table, not a data dump: more is an error
#: Characters in a cell or a header: a table cell is a figure or a name, and every cell is
#: measured to size the columns.
MAX_CELL_CHARS = 1000


class ColumnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    column: str
    header: str = ""  # default: the column's name
    format: str = ""  # '0.0', '#,##0', '+0.0;-0.0', '.1f': see docs/outline.md, Formats
    # the column is already in percent (6.4 means 6.4%): a '%' format shows it as it is
    unit: Optional[Literal["percent"]] = None
    good: Optional[Literal["up", "down"]] = None  # colour rises/falls: which way is better
    align: Optional[Literal["left", "center", "right"]] = None  # default: numbers right
    # In the totals row: true adds the rows up, false leaves the cell blank, an expression is
    # computed from the other totals (`charged / crimes * 100`). Default: as the data's steps
    # made the column (counts add up, rates are computed again), else added up.
    total: Union[bool, str, None] = None
    # the column is a change between two counts: flag it by its Poisson z-score (source/noise.py),
    # colour only flagged changes, and show '–' for a % change on a small base
    change: Optional[ChangeSpec] = None
    # counts from 1 to below this are shown as '*' (the totals count them)
    suppress_below: Optional[int] = Field(default=None, ge=2)

    _format = field_validator("format")(numformat.checked)



class TotalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = "Total"
    # The data's stated total is known to differ from the sum of its rows (e.g. it includes
    # incidents not listed by district): show it without a warning. Say why in the notes.
    known_difference: bool = False


class Spec(SlideSpec):
    kind: Literal["table"]
    data: str
    columns: list[ColumnSpec] = Field(min_length=1)
    # rows whose column has this value (or one of a list of values)
    where: dict[str, Union[str, int, float, list[Union[str, int, float]]]] = Field(
        default_factory=dict)
    total: Union[TotalSpec, bool] = False
    highlight: Optional[str] = None  # a value of the first column: that row is highlighted
    # a source line under the table; default: from the data's `source:` and `as_of:`
    # (data/provenance.py); false for none
    source: Union[Literal[False], str] = ""
    subtitle: str = ""  # a line under the title, e.g. 'March–April, 2016 against 2015'
    # the data is made up: say so on the slide (a badge under the title, the source line) and
    # in the notes. Default: as the data source says (its `illustrative:`)
    illustrative: Illustrative = False


@dataclass
class TableContent:
    """The table as a reader sees it: header texts and rows of cell texts with their styling."""

    headers: list[str]
    rows: list[list[Cell]]
    numeric: list[bool]
    source: str
    header_align: list[Align]  # each header aligned as its column's cells
    warnings: list[Problem]  # what reading the table found (a stated total that differs)
    footnote: str = ""  # what its markers mean (source/noise.py)
    head: tuple[Element, ...] = ()  # the subtitle and "not real" badge under the title
    top: Optional[int] = None  # where the table starts, below the head (EMU); None: the area's top
    not_real: str = ""  # 'synthetic' or 'illustrative' when the figures are not real


def resolve(spec: Spec, ctx: SlideContext) -> TableContent:
    """Read the data, filter it, format every cell and add the totals row."""
    store = ctx.data
    df = store.frame(spec.data)
    shown = store.shown(spec.data)
    for i, column in enumerate(spec.columns):
        problem = require_columns(df, [column.column], shown)
        if problem:
            raise ctx.error(problem, "columns", i, "column")
    problem = require_columns(df, list(spec.where), shown)
    if problem:
        raise ctx.error(problem, "where")
    rows = filter_rows(df, spec.where)
    if rows.empty:
        raise ctx.error(f"no rows of {shown} match {spec.where}", "where")
    if len(rows) > MAX_ROWS:
        raise ctx.error(f"{len(rows)} rows are too many for a briefing (at most {MAX_ROWS}); "
                        "filter with 'where:' or split the table", "data")
    c = ctx.theme.colours
    numeric = [is_numeric(df, col.column) for col in spec.columns]
    unformatted = [ctx.warning(f"format '{col.format}' is for numbers, but column "
                               f"'{excerpt(col.column)}' holds text, so it is shown as written",
                               "columns", i, "format")
                   for i, (col, num) in enumerate(zip(spec.columns, numeric))
                   if col.format and not num]
    percents = [_percent_of_percent(col, rows, ctx, i) for i, (col, num) in
                enumerate(zip(spec.columns, numeric)) if num and col.format]
    unformatted += [w for w in percents if w is not None]
    first = spec.columns[0].column
    names = labels.labels(store, spec.data)[0]
    head = data_head(ctx, spec.data, spec.source, spec.subtitle, spec.illustrative)
    named = [col.column for col, num in zip(spec.columns, numeric)
             if not num and col.column in names]
    kinds = _change_kinds(spec, rows, ctx)
    reads = _derived_from(ctx.data.total_rules(spec.data))
    body: list[list[Cell]] = []
    used: set[str] = set()
    _long_headers(spec, ctx)
    for line, record in zip(rows.index, records(rows)):
        marked = spec.highlight is not None and str(record[first]) == spec.highlight
        record.update({n: labels.shown(record[n], names[n]) for n in named})
        cells, more = _row(spec, record, numeric, ctx.theme, marked, kinds, reads)
        _long_cells(spec, cells, int(line), ctx)
        body.append(cells)
        used |= more
    if spec.highlight is not None and spec.highlight not in texts(rows, first):
        values = texts(rows, first)
        hint = labels.named(store, spec.data, first, spec.highlight) or \
            did_you_mean(spec.highlight, values)
        raise ctx.error(f"highlight '{excerpt(spec.highlight)}' is not a value of column "
                        f"'{first}'; values are: {listing(values)}{hint}", "highlight")
    warnings: list[Problem] = unformatted + head.warnings
    published = ""  # with a known difference, what the footnote says of the stated total
    if spec.total:
        label = spec.total.label if isinstance(spec.total, TotalSpec) else "Total"
        sums, found, published = _totals(spec, rows, ctx)
        warnings += found
        sums[first] = label
        total, more = _row(spec, sums, numeric, ctx.theme, False, kinds, reads, totals=True)
        used |= more
        body.append([Cell(cell.text, True, c.light, cell.color, cell.align) for cell in total])
        warnings += _revealed(spec, body[:-1], ctx)
    headers = [col.header or col.column for col in spec.columns]
    aligns: list[Align] = [col.align or ("right" if num else "left")
                           for col, num in zip(spec.columns, numeric)]
    changes = [col.change for col in spec.columns if col.change is not None]
    note = noise.footnote(
        {lv for lv in noise.LEVELS if lv in used},
        coloured=any(col.good for col in spec.columns if col.change),
        small_base=next((ch.small_base for ch in changes if ch.small_base), None)
        if "small base" in used else None,
        notable=changes[0].notable if changes else 2.0,
        significant=changes[0].significant if changes else 3.0,
        suppressed=min((col.suppress_below for col in spec.columns
                        if col.suppress_below), default=None) if "suppressed" in used else None)
    if published:
        note = f"{note} {published}".strip()
    return TableContent(headers, body, numeric, head.source, aligns, warnings, note,
                        tuple(head.elements), head.top, head.not_real)


def _long_headers(spec: Spec, ctx: SlideContext) -> None:
    """Refuse a header (or the totals row's label) longer than MAX_CELL_CHARS."""
    for i, col in enumerate(spec.columns):
        header = col.header or col.column
        if len(header) > MAX_CELL_CHARS:
            raise ctx.error(f"the header of column {i + 1} is {len(header):,} characters long; "
                            f"a table's header holds at most {MAX_CELL_CHARS:,}: give the "
                            "column a short 'header:'", "columns", i,
                            "header" if col.header else "column")
    if isinstance(spec.total, TotalSpec) and len(spec.total.label) > MAX_CELL_CHARS:
        raise ctx.error(f"the totals row's label is {len(spec.total.label):,} characters long; "
                        f"a table cell holds at most {MAX_CELL_CHARS:,}", "total", "label")


def _long_cells(spec: Spec, cells: list[Cell], line: int, ctx: SlideContext) -> None:
    """Refuse a cell of the data longer than MAX_CELL_CHARS, at the cell."""
    for col, cell in zip(spec.columns, cells):
        if len(cell.text) > MAX_CELL_CHARS:
            raise DeckError.single(
                f"column '{excerpt(col.column)}' has a cell {len(cell.text):,} characters long "
                f"('{excerpt(cell.text)}'); a table cell is a figure or a name, at most "
                f"{MAX_CELL_CHARS:,} characters: shorten it in the data, or leave the column out "
                "of the table", ctx.data.cell(spec.data, line, col.column), ctx.label)


def suppressions(slide: Any) -> list[tuple[str, str, int]]:
    """The (data source, column, threshold) of each column of a table slide, as written in
    the outline (not yet checked), that shows counts from 1 to below the threshold as '*'."""
    if not isinstance(slide, dict) or slide.get("kind") != "table" \
            or not isinstance(slide.get("data"), str) or not isinstance(slide.get("columns"), list):
        return []
    return [(slide["data"], col["column"], col["suppress_below"]) for col in slide["columns"]
            if isinstance(col, dict) and isinstance(col.get("column"), str)
            and isinstance(col.get("suppress_below"), int)
            and not isinstance(col.get("suppress_below"), bool) and col["suppress_below"] >= 2]


def _totals(spec: Spec, rows: Any, ctx: SlideContext
            ) -> tuple[dict[str, Any], list[Problem], str]:
    """The data's stated totals when it has them (warning where the rows add up otherwise),
    else the totals of the rows; either way as the columns' `total:` choose. And, where the
    stated total is known to differ (`known_difference`), a footnote saying so with what the
    rows add up to: a reader adding up the column must not think the table wrong."""
    store = ctx.data
    chosen = _chosen_rules(spec, rows, ctx)
    rules = store.total_rules(spec.data)
    merged = {**{c: r for c, r in rules.items() if c not in chosen}, **chosen}
    computed = totals_row(rows, merged)
    stated = store.stated_total(spec.data)
    warnings = _no_total(spec, rows, computed, merged, ctx) + _partial(spec, rows, merged, ctx)
    if stated is None or spec.where:
        return computed, warnings + _added_rates(spec, rows, rules, ctx), ""
    known = isinstance(spec.total, TotalSpec) and spec.total.known_difference
    published = _as_published(spec, stated, computed, merged, ctx.theme) if known else ""
    if not known:
        warnings += _stated_differs(spec, stated, computed, merged, ctx)
        # where the published row is blank, the slide shows what the rows add up to
        warnings += _added_rates(spec, rows, rules, ctx,
                                 only={n for n in computed if is_blank(stated.get(n))})
    shown = published_totals(stated, computed, merged, fill_blanks=not known)
    if chosen:  # the outline's choices apply to the stated totals too
        shown.update(recomputed(shown, chosen))
    return shown, warnings, published


def _as_published(spec: Spec, stated: dict[str, Any], computed: dict[str, Any],
                  rules: dict[str, TotalRule], theme: Theme) -> str:
    """'TOTAL is as published; the rows above add up to 56577 (Mar-Apr 2015) and 51490
    (Mar-Apr 2016).' for the summed columns whose stated total differs from their rows' sum."""
    differ = [f"{_shown(computed[col.column], col, theme)} ({col.header or col.column})"
              for col, blank in _compared(spec, stated, computed, rules) if not blank]
    if not differ:
        return ""
    label = spec.total.label if isinstance(spec.total, TotalSpec) else "Total"
    sums = differ[0] if len(differ) == 1 else f"{', '.join(differ[:-1])} and {differ[-1]}"
    return f"{label} is as published; the rows above add up to {sums}."


def _shown(value: Any, col: "ColumnSpec", theme: Theme) -> str:
    """A value as the column shows it: in its format, with the brand's minus."""
    return numformat.show_value(value, numformat.parse(col.format) if col.format else None,
                                theme.brand.minus, col.unit == "percent")


def _compared(spec: Spec, stated: dict[str, Any], computed: dict[str, Any],
              rules: dict[str, TotalRule]) -> list[tuple["ColumnSpec", bool]]:
    """The summed columns whose stated total is blank (True) or differs from what their rows
    add up to (False). A column that reads as a rate, with no rule of its own, is left out: a
    published rate is the whole's, never the sum of the rows' rates."""
    out = []
    for col in spec.columns:
        name = col.column
        if rules.get(name, "sum") != "sum" or name not in computed:
            continue
        if name not in rules and (looks_like_a_rate(name) or looks_like_a_rate(col.header)):
            continue
        if is_blank(stated.get(name)):
            out.append((col, True))
        elif abs(float(stated[name]) - float(computed[name])) > 1e-9:
            out.append((col, False))
    return out


def _stated_differs(spec: Spec, stated: dict[str, Any], computed: dict[str, Any],
                    rules: dict[str, TotalRule], ctx: SlideContext) -> list[Problem]:
    """Where the data's stated total is blank, or differs from what its rows add up to."""
    store = ctx.data
    out = []
    for col, blank in _compared(spec, stated, computed, rules):
        name = col.column
        if blank:  # the published total has a blank there
            out.append(ctx.warning(
                f"the stated {store.specs[spec.data].total_row} of '{name}' in "
                f"{store.shown(spec.data)} is blank; the slide shows what its rows add up to "
                f"({format_value(computed[name])})", "total"))
        else:
            diff = float(stated[name]) - float(computed[name])
            out.append(ctx.warning(
                f"the stated {store.specs[spec.data].total_row} of '{name}' in "
                f"{store.shown(spec.data)} is {format_value(stated[name])}, but its rows add up "
                f"to {format_value(computed[name])} ({diff:+,.0f}); the slide shows the stated "
                "total", "total"))
    return out


def _chosen_rules(spec: Spec, rows: Any, ctx: SlideContext) -> dict[str, TotalRule]:
    """The totals the outline chose column by column (`total:` on a column)."""
    chosen: dict[str, TotalRule] = {}
    for i, col in enumerate(spec.columns):
        if col.total is None or i == 0:
            continue
        if isinstance(col.total, bool):
            chosen[col.column] = "sum" if col.total else "none"
            continue
        try:
            names = expr_columns(parse(col.total))
        except ExprError as exc:
            raise ctx.error(f"total of '{col.column}': {exc.message}", "columns", i,
                            "total") from None
        unknown = [n for n in names if n not in rows.columns]
        if unknown:
            known = [str(c) for c in rows.columns]
            raise ctx.error(f"total of '{col.column}': no column '{excerpt(unknown[0])}'; "
                            f"{columns_are(known, unknown[0], 'the columns are')}",
                            "columns", i, "total")
        chosen[col.column] = ("formula", col.total)
    return chosen


def _added_rates(spec: Spec, rows: Any, rules: dict[str, TotalRule], ctx: SlideContext,
                 only: Optional[set[str]] = None) -> list[Problem]:
    """A warning for each column the totals row adds up only because nothing says otherwise,
    whose name or header says it is a rate, a percentage or an average (of the columns in
    `only`, when given)."""
    out = []
    for i, col in enumerate(spec.columns):
        if i == 0 or col.total is not None or col.column in rules \
                or not is_numeric(rows, col.column) \
                or (only is not None and col.column not in only):
            continue
        if looks_like_a_rate(col.column) or looks_like_a_rate(col.header):
            out.append(ctx.warning(
                f"the totals row adds up '{col.column}', which looks like a rate, a percentage "
                "or an average; say 'total: false' on the column to leave it blank, or "
                "'total:' and an expression to compute it from the other totals (e.g. "
                "'charged / crimes * 100')", "columns", i, "column"))
    return out


def _partial(spec: Spec, rows: Any, rules: dict[str, TotalRule], ctx: SlideContext
             ) -> list[Problem]:
    """A column added up with empty cells, that a total of the table is computed from (a
    change, a rate): its total is of the other rows, so the computed total compares different
    sets of rows. (A total alone leaves an empty cell out, as reading the data said.)"""
    out = []
    reads = _derived_from(rules)
    shown = {col.column for col in spec.columns}
    for col in spec.columns[1:]:
        name = col.column
        if rules.get(name, "sum") != "sum" or col.total is False or not is_numeric(rows, name):
            continue
        users = sorted(n for n, inputs in reads.items() if name in inputs and n in shown)
        if not users:
            continue
        empty = rows[name].isna()
        if empty.any():
            line = int(rows.index[empty.to_numpy().argmax()])
            out.append(ctx.warning(
                f"'{name}' is empty in {int(empty.sum())} of the {len(rows)} rows (first at "
                f"{ctx.data.cell(spec.data, line, name)}): its total is of the other rows "
                f"only, so the total of {', '.join(repr(u) for u in users)}, computed from it, "
                "mixes different rows; fill the cells, or leave the total out ('total: false' "
                "on the column)", "total"))
    return out


def _no_total(spec: Spec, rows: Any, computed: dict[str, Any], rules: Any, ctx: SlideContext
              ) -> list[Problem]:
    """A computed column whose total cannot be computed from the totals (it reads text, or
    itself) is left blank, and said so; a mean's or a rank's blank total goes without saying."""
    blank = [col.column for col in spec.columns[1:]
             if is_numeric(rows, col.column) and isinstance(rules.get(col.column), tuple)
             and is_blank(computed.get(col.column))]
    if not blank:
        return []
    return [ctx.warning(f"the totals row leaves {', '.join(repr(b) for b in blank)} blank: "
                        "it cannot be computed from the totals of the columns it is made from",
                        "total")]


def _percent_of_percent(col: ColumnSpec, rows: Any, ctx: SlideContext, i: int
                        ) -> Problem | None:
    if col.unit == "percent":
        return None
    values = [float(v) for v in rows[col.column].dropna()]
    message = numformat.percent_warning(values, col.format, "unit")
    if message and numformat.surely_in_percent(values):
        raise ctx.error(f"column '{col.column}': {message}", "columns", i, "format")
    return ctx.warning(f"column '{col.column}': {message}", "columns", i, "format") \
        if message else None


def _row(spec: Spec, record: dict[str, Any], numeric: list[bool], theme: Theme,
         marked: bool, kinds: dict[int, bool], reads: dict[str, set[str]],
         totals: bool = False) -> tuple[list[Cell], set[str]]:
    """A row's cells, and what their markers need explained ('small base', 'suppressed', a
    level of change). A suppressed count hides with it every column computed from it (a
    change, a share), which would give it away."""
    c = theme.colours
    cells = []
    used: set[str] = set()
    hidden = {col.column for col in spec.columns if not totals and col.suppress_below
              and is_suppressed(record.get(col.column), col.suppress_below)}
    suppressed = {name for name, inputs in reads.items() if inputs & hidden} | hidden
    for i, (col, is_number) in enumerate(zip(spec.columns, numeric)):
        value = record.get(col.column)
        text = _shown(value, col, theme)
        color = None
        if col.good and isinstance(value, (int, float)) and value == value and value != 0:
            better = (value < 0) == (col.good == "down")
            color = c.good if better else c.bad
        change = col.change
        if col.column in suppressed or (change is not None and {change.current,
                                                                change.previous} & suppressed):
            text, color = noise.SUPPRESSED_TEXT, None  # a change would reveal its counts
            used.add("suppressed")
        elif change is not None:
            current, previous = record.get(change.current), record.get(change.previous)
            if isinstance(current, (int, float)) and isinstance(previous, (int, float)) \
                    and not is_blank(current) and not is_blank(previous) \
                    and (not is_blank(value) or kinds.get(i)):  # % of nothing: blank
                if kinds.get(i) and float(previous) < change.small_base:
                    text, color = noise.SMALL_BASE_TEXT + noise.NO_MARK, None
                    used.add("small base")
                elif not is_blank(value):
                    level = noise.level(noise.z_score(float(current), float(previous)),
                                        change.notable, change.significant)
                    # a figure with no mark keeps the mark's room, so the column's figures
                    # line up
                    text += noise.MARKERS[level] or noise.NO_MARK
                    color = None if level == "noise" else color
                    used.add(level)
        align: Align = col.align or ("right" if is_number else "left")
        cells.append(Cell(text, marked, c.highlight if marked else None, color, align))
    return cells, used


def _derived_from(rules: dict[str, TotalRule]) -> dict[str, set[str]]:
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


def _change_kinds(spec: Spec, rows: Any, ctx: SlideContext) -> dict[int, bool]:
    """For each column with `change:`, whether it is a % change (True) or a difference
    (False) of its counts, found from its figures; anything else is an error, never a flag
    computed from the wrong counts."""
    out: dict[int, bool] = {}
    shown = ctx.data.shown(spec.data)
    for i, col in enumerate(spec.columns):
        change = col.change
        if change is None:
            continue
        for key in ("current", "previous"):
            problem = require_columns(rows, [getattr(change, key)], shown)
            if problem:
                raise ctx.error(problem, "columns", i, "change", key)
        kinds = {True, False}
        for record in records(rows):
            value, now, before = (record.get(k) for k in (col.column, change.current,
                                                          change.previous))
            if is_blank(value) and before == 0 and not is_blank(now):
                kinds.discard(False)  # blank where the base is 0: a % (a difference is not)
            if any(is_blank(v) for v in (value, now, before)) or value is None:
                continue
            counts = []
            for key, count in (("current", now), ("previous", before)):
                if not noise.is_count(count):
                    shown_count = format_value(round(count, 2)) if isinstance(
                        count, (int, float)) else excerpt(count)
                    raise ctx.error(f"change: '{getattr(change, key)}' holds {shown_count}, "
                                    "not a count; the Poisson flag is for counts of crimes or "
                                    "incidents, not rates or averages",
                                    "columns", i, "change", key)
                counts.append(float(count))
            kinds &= noise.change_kinds(float(value), *counts)
            if not kinds:
                swapped = noise.change_kinds(float(value), counts[1], counts[0])
                hint = (f"; '{change.current}' and '{change.previous}' look the wrong way "
                        "round" if swapped else "; 'current' and 'previous' name the same "
                        "column" if change.current == change.previous else
                        "; name the counts it is the change between, or a column that is their "
                        "difference or % change in every row")
                raise ctx.error(
                    f"'{col.column}' is {format_value(round(float(value), 4))} where "
                    f"{change.current} is {format_value(now)} and {change.previous} "
                    f"{format_value(before)}: neither their difference nor their % change"
                    f"{hint}", "columns", i, "change")
        out[i] = kinds == {True}  # a base of 100 everywhere: either way, never a small base
    return out


def _revealed(spec: Spec, rows: list[list[Cell]], ctx: SlideContext) -> list[Problem]:
    """A column with one suppressed cell and a total gives the cell away."""
    out = []
    for i, col in enumerate(spec.columns):
        hidden = sum(row[i].text == noise.SUPPRESSED_TEXT for row in rows)
        if col.suppress_below and hidden == 1:
            out.append(ctx.warning(
                f"column '{col.column}' suppresses one cell, which the totals row gives away "
                "(the total less the other rows); suppress a second cell or show no totals "
                "row", "columns", i, "suppress_below"))
    return out


def layout(content: TableContent, title: str, notes: str, theme: Theme,
           measure: list[list[Cell]] | None = None) -> SlidePlan:
    """Size the font to the row count, the columns to their widest text (of `measure`, the
    rows of every page of a split table), and centre the table."""
    area = _area(content, theme)
    # the footnote and the source line run across the content width, as many lines as they
    # take: they are sentences, and the table above may be narrow
    # (a footnote over a source line: the two read as one block, without the room a caption
    # alone keeps around it)
    least = 0.0 if content.footnote and content.source else 0.4
    note_h, source_h = (caption_height(text, theme, least=least)
                        for text in (content.footnote, content.source))
    n_rows = max(len(content.rows), ROWS_PER_SLIDE if measure else 0) + 1
    avail = area.h - source_h - note_h
    row_h = min(inches(0.55), avail // (n_rows + 1))  # +1: the header may take two lines
    font = max(11.0, min(20.0, _row_font(row_h)))
    plan = _laid_out(content, title, notes, theme, measure, row_h, font, note_h, source_h)
    table = next(e for e in plan.elements if isinstance(e, Table))
    spare = area.bottom - _bottom(plan)
    if spare < 0 and len(table.rows) > 1:
        # the captions would run past the area (a short one, a template's): rows a little
        # lower, when that makes it fit (the review names text below the readable minimum;
        # a table that cannot fit is left for it to name what is wrong)
        lower = row_h - (-spare // (len(table.rows) - 1) + 1)
        smaller = max(11.0, min(font, _row_font(lower)))
        shorter = _laid_out(content, title, notes, theme, measure, lower, smaller, note_h,
                            source_h) if lower > 0 else plan
        if _bottom(shorter) <= area.bottom:
            plan = shorter
    return plan


def _area(content: TableContent, theme: Theme) -> Box:
    """Where the table and its captions go: the content area, below the head if any."""
    area = theme.content
    if content.top is None:
        return area
    return Box(area.x, content.top, area.w, area.bottom - content.top)


def _row_font(row_h: int) -> float:
    """The font size, to the half point, that a row of this height holds comfortably."""
    return round(row_h / EMU_PER_PT * 0.68 * 2) / 2


def _bottom(plan: SlidePlan) -> int:
    """Where a table slide's content ends: the table, or the captions under it."""
    return max(e.box.bottom for e in plan.elements if isinstance(e, (Table, TextBox)))


def _laid_out(content: TableContent, title: str, notes: str, theme: Theme,
              measure: list[list[Cell]] | None, row_h: int, font: float, note_h: int,
              source_h: int) -> SlidePlan:
    area = _area(content, theme)
    # Numbers never wrap: when the columns are wider than the slide, the font steps down
    # (to the readable minimum) before a column is narrowed; review.py says when even that fails.
    widths_pt = _widths(content, measure, font)
    while sum(widths_pt) > area.w / EMU_PER_PT and font > MIN_TABLE_PT:
        font = max(MIN_TABLE_PT, font - 0.5)
        widths_pt = _widths(content, measure, font)
    margins = 2 * CELL_MARGIN_PT
    total_pt = sum(widths_pt)
    max_w = area.w / EMU_PER_PT
    grow = min(max_w / total_pt, 1.6) if total_pt < max_w else max_w / total_pt
    widths = [int(w * grow * EMU_PER_PT) for w in widths_pt]
    width = sum(widths)
    header_lines = max(
        textfit.wrap_words([(h, True, False)], font, w / EMU_PER_PT - margins)
        for h, w in zip(content.headers, widths))
    header_h = max(row_h, int((header_lines * 1.2 * font + 10) * EMU_PER_PT))
    height = header_h + row_h * len(content.rows)
    box = Box(area.x + (area.w - width) // 2, area.y, width, height)
    c = theme.colours
    header_row = tuple(Cell(h, True, c.primary, "FFFFFF", align)
                       for h, align in zip(content.headers, content.header_align))
    rows = (header_row,) + tuple(tuple(r) for r in content.rows)
    elements: list[Element] = [*content.head, Table(box, rows, tuple(widths), row_h, font,
                                                    "Table", header_height=header_h)]
    below = box.bottom + inches(0.1)
    for text, height, name in ((content.footnote, note_h, "Footnote"),
                               (content.source, source_h, "Source")):
        if text:
            elements.append(fitted(Box(area.x, below, area.w, height),
                                   [paragraph(text, theme.caption_size, c.muted)], name))
            below += height
    return SlidePlan(content_title(title, theme), elements, notes)


def _widths(content: TableContent, measure: list[list[Cell]] | None, font: float
            ) -> list[float]:
    """Each column's natural width in points at `font`: its widest cell on one line, its
    header on at most two lines (never breaking a word), plus the cell margins."""
    pad = 2 * CELL_MARGIN_PT + 6  # plus breathing room
    widths_pt = []
    for i, header in enumerate(content.headers):
        body = max((textfit.text_width_pt(r[i].text, font, bold=True)
                    for r in (measure or content.rows)), default=0.0)
        longest_word = max((textfit.text_width_pt(w, font, bold=True) for w in header.split()),
                           default=0.0)
        two_lines = textfit.text_width_pt(header, font, bold=True) / 2 * 1.15
        widths_pt.append(max(body, longest_word, two_lines, font * 3) + pad)
    return widths_pt


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    """One slide, or several when the rows do not fit one: the header repeats, the totals row
    comes last, and continuation slides are titled '(cont.)'."""
    content = resolve(spec, ctx)
    change = next((col.change for col in spec.columns if col.change), None)
    notes = notes_with(spec.notes, NOT_REAL_NOTES.get(content.not_real, ""),
                       noise.notes(change.notable, change.significant) if change else "")
    rows = content.rows
    if len(rows) <= ROWS_PER_SLIDE:
        return Planned([layout(content, spec.title, notes, ctx.theme)], content.warnings)
    pages = [rows[i:i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    if len(pages[-1]) == 1 and spec.total:  # never leave the totals row alone on a slide
        pages[-1].insert(0, pages[-2].pop())
    split = ctx.warning(f"the table's {len(rows)} rows do not fit one slide legibly; split "
                        f"across {len(pages)} slides", "data")
    plans = []
    for n, page in enumerate(pages):
        part = TableContent(content.headers, page, content.numeric, content.source,
                            content.header_align, [], content.footnote, content.head,
                            content.top, content.not_real)
        plans.append(layout(part, continued(spec.title, n), notes, ctx.theme, rows))
    return Planned(plans, content.warnings + [split])
