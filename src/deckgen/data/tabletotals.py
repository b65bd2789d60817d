"""A table's totals row: the data's stated totals or the rows' own, each column as it adds up,
and what a reader adding the column up would be misled by.

Each column adds up as the data's steps made it (counts are summed, rates computed again from
the totals: data/frames.py `totals_row`) unless the slide's column says otherwise (`total:`
true, false or an expression). A published totals row in the data is shown as published, with
a warning where its rows add up otherwise, or a footnote where the outline says the difference
is known. A rate summed only because nothing said otherwise, a computed total of a column with
empty cells, and a total that cannot be computed are each said, at the slide's key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from deckgen.data.frames import (
    TotalRule,
    format_value,
    is_blank,
    is_numeric,
    looks_like_a_rate,
    published_totals,
    recomputed,
    totals_row,
)
from deckgen.data.header import columns_are
from deckgen.data.slide import Slide
from deckgen.data.tablekeys import TableAsked, TableColumn, cell_text, derived_from, total_label
from deckgen.errors import Problem, excerpt
from deckgen.source.expr import ExprError, parse
from deckgen.source.expr import columns as expr_columns

if TYPE_CHECKING:
    import pandas as pd


def totals(slide: Slide, table: TableAsked, rows: "pd.DataFrame", minus: str
           ) -> tuple[dict[str, Any], list[Problem], str]:
    """The data's stated totals when it has them (warning where the rows add up otherwise),
    else the totals of the rows; either way as the columns' `total:` choose. And, where the
    stated total is known to differ (`known_difference`), a footnote saying so with what the
    rows add up to: a reader adding up the column must not think the table wrong."""
    store = slide.data
    chosen = _chosen_rules(slide, table, rows)
    rules = store.total_rules(table.data)
    merged = {**{c: r for c, r in rules.items() if c not in chosen}, **chosen}
    computed = totals_row(rows, merged)
    stated = store.stated_total(table.data)
    warnings = _no_total(slide, table, rows, computed, merged) + \
        _partial(slide, table, rows, merged)
    if stated is None or table.where:
        return computed, warnings + _added_rates(slide, table, rows, rules), ""
    known = not isinstance(table.total, bool) and table.total.known_difference
    published = _as_published(table, stated, computed, merged, minus) if known else ""
    if not known:
        warnings += _stated_differs(slide, table, stated, computed, merged)
        # where the published row is blank, the slide shows what the rows add up to
        warnings += _added_rates(slide, table, rows, rules,
                                 only={n for n in computed if is_blank(stated.get(n))})
    shown = published_totals(stated, computed, merged, fill_blanks=not known)
    if chosen:  # the outline's choices apply to the stated totals too
        shown.update(recomputed(shown, chosen))
    return shown, warnings, published


def _as_published(table: TableAsked, stated: dict[str, Any], computed: dict[str, Any],
                  rules: dict[str, TotalRule], minus: str) -> str:
    """'TOTAL is as published; the rows above add up to 56577 (Mar-Apr 2015) and 51490
    (Mar-Apr 2016).' for the summed columns whose stated total differs from their rows' sum."""
    differ = [f"{cell_text(computed[col.column], col, minus)} ({col.header or col.column})"
              for col, blank in _compared(table, stated, computed, rules) if not blank]
    if not differ:
        return ""
    sums = differ[0] if len(differ) == 1 else f"{', '.join(differ[:-1])} and {differ[-1]}"
    why = table.total.known_difference if not isinstance(table.total, bool) else False
    if isinstance(why, str) and why.strip():  # the reason, and the sums in the columns' order
        plain = [cell_text(computed[col.column], col, minus)
                 for col, blank in _compared(table, stated, computed, rules) if not blank]
        sums = plain[0] if len(plain) == 1 else f"{', '.join(plain[:-1])} and {plain[-1]}"
        return (f"{total_label(table)} is as published ({why.strip().rstrip('.')}); the rows "
                f"above add up to {sums}.")
    return f"{total_label(table)} is as published; the rows above add up to {sums}."


def _compared(table: TableAsked, stated: dict[str, Any], computed: dict[str, Any],
              rules: dict[str, TotalRule]) -> list[tuple[TableColumn, bool]]:
    """The summed columns whose stated total is blank (True) or differs from what their rows
    add up to (False). A column that reads as a rate, with no rule of its own, is left out: a
    published rate is the whole's, never the sum of the rows' rates."""
    out = []
    for col in table.columns:
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


def _stated_differs(slide: Slide, table: TableAsked, stated: dict[str, Any],
                    computed: dict[str, Any], rules: dict[str, TotalRule]) -> list[Problem]:
    """Where the data's stated total is blank, or differs from what its rows add up to."""
    store = slide.data
    out = []
    for col, blank in _compared(table, stated, computed, rules):
        name = col.column
        if blank:  # the published total has a blank there
            out.append(slide.warning(
                f"the stated {store.specs[table.data].total_row} of '{name}' in "
                f"{store.shown(table.data)} is blank; the slide shows what its rows add up to "
                f"({format_value(computed[name])})", "total"))
        else:
            diff = float(stated[name]) - float(computed[name])
            out.append(slide.warning(
                f"the stated {store.specs[table.data].total_row} of '{name}' in "
                f"{store.shown(table.data)} is {format_value(stated[name])}, but its rows add up "
                f"to {format_value(computed[name])} ({diff:+,.0f}); the slide shows the stated "
                "total", "total"))
    return out


def _chosen_rules(slide: Slide, table: TableAsked, rows: "pd.DataFrame"
                  ) -> dict[str, TotalRule]:
    """The totals the outline chose column by column (`total:` on a column)."""
    chosen: dict[str, TotalRule] = {}
    for i, col in enumerate(table.columns):
        if col.total is None or i == 0:
            continue
        if isinstance(col.total, bool):
            chosen[col.column] = "sum" if col.total else "none"
            continue
        try:
            names = expr_columns(parse(col.total))
        except ExprError as exc:
            raise slide.error(f"total of '{col.column}': {exc.message}", "columns", i,
                              "total") from None
        unknown = [n for n in names if n not in rows.columns]
        if unknown:
            known = [str(c) for c in rows.columns]
            raise slide.error(f"total of '{col.column}': no column '{excerpt(unknown[0])}'; "
                              f"{columns_are(known, unknown[0], 'the columns are')}",
                              "columns", i, "total")
        chosen[col.column] = ("formula", col.total)
    return chosen


def _added_rates(slide: Slide, table: TableAsked, rows: "pd.DataFrame",
                 rules: dict[str, TotalRule], only: Optional[set[str]] = None
                 ) -> list[Problem]:
    """A warning for each column the totals row adds up only because nothing says otherwise,
    whose name or header says it is a rate, a percentage or an average (of the columns in
    `only`, when given)."""
    out = []
    for i, col in enumerate(table.columns):
        if i == 0 or col.total is not None or col.column in rules \
                or not is_numeric(rows, col.column) \
                or (only is not None and col.column not in only):
            continue
        if looks_like_a_rate(col.column) or looks_like_a_rate(col.header):
            out.append(slide.warning(
                f"the totals row adds up '{col.column}', which looks like a rate, a percentage "
                "or an average; say 'total: false' on the column to leave it blank, or "
                "'total:' and an expression to compute it from the other totals (e.g. "
                "'charged / crimes * 100')", "columns", i, "column"))
    return out


def _partial(slide: Slide, table: TableAsked, rows: "pd.DataFrame",
             rules: dict[str, TotalRule]) -> list[Problem]:
    """A column added up with empty cells, that a total of the table is computed from (a
    change, a rate): its total is of the other rows, so the computed total compares different
    sets of rows. (A total alone leaves an empty cell out, as reading the data said.)"""
    out = []
    reads = derived_from(rules)
    shown = {col.column for col in table.columns}
    for col in table.columns[1:]:
        name = col.column
        if rules.get(name, "sum") != "sum" or col.total is False or not is_numeric(rows, name):
            continue
        users = sorted(n for n, inputs in reads.items() if name in inputs and n in shown)
        if not users:
            continue
        empty = rows[name].isna()
        if empty.any():
            line = int(rows.index[empty.to_numpy().argmax()])
            out.append(slide.warning(
                f"'{name}' is empty in {int(empty.sum())} of the {len(rows)} rows (first at "
                f"{slide.data.cell(table.data, line, name)}): its total is of the other rows "
                f"only, so the total of {', '.join(repr(u) for u in users)}, computed from it, "
                "mixes different rows; fill the cells, or leave the total out ('total: false' "
                "on the column)", "total"))
    return out


def _no_total(slide: Slide, table: TableAsked, rows: "pd.DataFrame", computed: dict[str, Any],
              rules: dict[str, TotalRule]) -> list[Problem]:
    """A computed column whose total cannot be computed from the totals (it reads text, or
    itself) is left blank, and said so; a mean's or a rank's blank total goes without saying."""
    blank = [col.column for col in table.columns[1:]
             if is_numeric(rows, col.column) and isinstance(rules.get(col.column), tuple)
             and is_blank(computed.get(col.column))]
    if not blank:
        return []
    return [slide.warning(f"the totals row leaves {', '.join(repr(b) for b in blank)} blank: "
                          "it cannot be computed from the totals of the columns it is made "
                          "from", "total")]
