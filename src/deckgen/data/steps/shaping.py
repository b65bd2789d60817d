"""The steps that make new rows: `group` (one row per combination of keys, with counts, sums
and shares), `pivot` (a column's values become columns) and `top` (the highest rows, the rest
as one `Other` row).

Their rows are new, so a problem with one points at the step. Each refuses what it cannot do
honestly (a pivot with two rows for one cell) and says where a figure would silently change
(rows with a blank key left out of a group).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deckgen.data.frames import TotalRule, totals_row, value_text
from deckgen.data.steps.base import (
    Origin,
    Result,
    Run,
    Step,
    is_number_column,
    numbers,
    with_rule,
)
from deckgen.errors import Problem, excerpt, listing
from deckgen.source import steps as schema
from deckgen.source.periods import month_name, month_text, parse_month, span

if TYPE_CHECKING:
    import pandas as pd

#: How a group computes each kind of column, by the key the outline writes it under.
_HOW = ("sum", "mean", "min", "max")


class Group(Step[schema.Group]):
    spec = schema.Group
    example = "group: {by: [District, window], count: incidents}"
    does = ("one row per combination of the `by` columns, with `count:` (how many rows), "
            "`sum:`, `mean:`, `min:`, `max:` (`{new: column}`) and `share:` (`{new: column}`: "
            "each group's % of the total); `within: districts.district` keeps only the areas "
            "a lookup lists, naming the others in a warning")
    makes_rows = True
    keeps_only_its_columns = True

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Group, run: Run) -> Result:
        import pandas as pd

        g = args.group
        by = schema.columns(g.by)
        for column in by:
            run.column(df, column, "by")
        df, warnings = _without_blank_keys(df, by, g, run)
        if g.within:
            df, outside = _within(df, by[0], g.within, run)
            warnings += outside
        work = _keys(df, by, g)
        aggregations: dict[str, tuple[str, str]] = {}
        for how in _HOW:
            for new, column in getattr(g, how).items():
                run.column(df, column, how, new)
                work[f"\0{new}"] = numbers(df, column, origin, run)
                aggregations[new] = (f"\0{new}", how)
        for new, column in g.share.items():
            if column != g.count:
                run.column(df, column, "share", new)
                work[f"\0share\0{new}"] = numbers(df, column, origin, run)
        grouped = work.groupby(by, observed=True, sort=True)
        out = grouped.size().rename("\0n").to_frame()
        for new, (column, how) in aggregations.items():
            out[new] = getattr(grouped[column], how)()
        if g.complete:
            out = _every_combination(out, work, by, aggregations, run)
        if g.count:
            out[g.count] = out["\0n"].astype("Int64")
        for new, column in g.share.items():
            values = out["\0n"] if column == g.count else grouped[f"\0share\0{new}"].sum()
            total = float(values.sum())
            if total == 0:
                raise run.error(f"'{column}' adds up to 0: no shares to compute", "share", new)
            out[new] = values.astype("float64") / total * 100
        out = out.drop(columns="\0n").reset_index()
        for c in by:
            if hasattr(out[c], "cat"):
                out[c] = out[c].astype(object).where(out[c].notna(), None)
        out.index = pd.RangeIndex(len(out))
        return out, warnings

    def reads(self, args: schema.Group) -> set[str]:
        g = args.group
        used = set(schema.columns(g.by))
        for how in (g.sum, g.mean, g.min, g.max, g.share):
            used |= set(how.values())
        return used

    def rules_after(self, args: schema.Group, rules: dict[str, TotalRule], before: list[Any],
                    df: "pd.DataFrame") -> dict[str, TotalRule]:
        """Counts, sums and shares add up; means, minimums and maximums have no total."""
        g = args.group
        out: dict[str, TotalRule] = {}
        if g.count:
            with_rule(out, g.count, "sum")
        for column in list(g.sum) + list(g.share):
            with_rule(out, column, "sum")
        for column in list(g.mean) + list(g.min) + list(g.max):
            with_rule(out, column, "none")
        return out


def _without_blank_keys(df: "pd.DataFrame", by: list[str], g: schema.Group.Args, run: Run
                        ) -> tuple["pd.DataFrame", list[Problem]]:
    """The rows to group: those with a blank key left out (said, unless `blanks: drop`), or
    all of them (`blanks: keep`)."""
    warnings: list[Problem] = []
    blank = df[by].isna().any(axis=1)
    if blank.any() and g.blanks != "keep":
        if g.blanks == "warn":
            names = ", ".join(c for c in by if df[c].isna().any())
            warnings.append(run.warning(
                f"{int(blank.sum()):,} row(s) with no {names} are left out of the groups (say "
                "'blanks: drop' to leave them out quietly, or 'blanks: keep')", "by"))
        df = df[~blank]
    return df, warnings


def _within(df: "pd.DataFrame", column: str, within: str, run: Run
            ) -> tuple["pd.DataFrame", list[Problem]]:
    """`within: districts.district`: only the rows whose area is one of the lookup's; the
    others (a neighbouring force's border areas in a police.uk extract) are left out and
    named, so that they never count in a table's rows or its total."""
    source, lookup_column = within.split(".", 1)
    lookup = run.ctx.frame_of(source)
    if lookup_column not in lookup.columns:
        raise run.error(f"data '{source}' has no column '{excerpt(lookup_column)}'; its columns "
                        f"are: {listing([str(c) for c in lookup.columns])}", "within")
    areas = {str(value_text(v)) for v in lookup[lookup_column].dropna()}
    keys = df[column].astype(object).map(lambda v: None if v is None or v != v
                                         else str(value_text(v)))
    inside = keys.isin(areas).to_numpy(dtype=bool)
    if inside.all():
        return df, []
    outside = keys[~inside].value_counts()
    named = listing([f"'{excerpt(k)}' ({n:,} row{'s' if n > 1 else ''})"
                     for k, n in outside.items()], 6)
    return df[inside], [run.warning(
        f"{len(outside):,} value(s) of {column} are not in {within}, so their rows are left "
        f"out: {named}; if they are yours, add them to data '{source}'", "within")]


def _keys(df: "pd.DataFrame", by: list[str], g: schema.Group.Args) -> "pd.DataFrame":
    """The group keys of each row: a blank one named `blank_label` when blanks are kept, and
    only the categories some row has."""
    work = df[by].copy()
    if g.blanks == "keep":
        for c in by:
            work[c] = work[c].astype(object).where(work[c].notna(), g.blank_label)
    for c in by:
        if hasattr(work[c], "cat"):
            work[c] = work[c].cat.remove_unused_categories()
    return work


def _every_combination(out: "pd.DataFrame", work: "pd.DataFrame", by: list[str],
                       aggregations: dict[str, tuple[str, str]], run: Run) -> "pd.DataFrame":
    """`complete: true`: every combination of the keys' values, a count and a sum of 0 where
    no row has it (a month with no incidents is a 0 on a trend line). A key of months runs
    from its first to its last without a break, and a month the source's data does not cover
    (never published) is no data, left blank: a gap on a trend line, never a 0."""
    import numpy as np
    import pandas as pd

    keys, gaps = [], {}
    for c in by:
        values, missing = _key_values(work, c, run)
        if missing is not None:
            gaps[c] = missing
        keys.append(values)
    full = pd.MultiIndex.from_product(keys, names=by)
    if len(by) == 1:
        full = full.get_level_values(0)
        out.index = out.index.astype(object).map(str) if gaps else out.index
    else:
        out.index = out.index.set_levels([lvl.astype(object).map(str) if c in gaps else lvl
                                          for c, lvl in zip(by, out.index.levels)])
    out = out.reindex(full)
    blank = np.zeros(len(out), dtype=bool)
    for c, missing in gaps.items():
        blank |= out.index.get_level_values(c).isin([month_text(m) for m in missing])
        _say_missing(missing, run)
    out["\0n"] = out["\0n"].fillna(0).where(~blank)
    for new, (_, how) in aggregations.items():
        if how == "sum":
            out[new] = out[new].fillna(0).where(~blank)
    return out


def _key_values(work: "pd.DataFrame", column: str, run: Run) -> tuple[list[Any], Any]:
    """A key's values for `complete:`: as the rows have them; for months, every month from the
    first to the last, with those the source does not cover (None when it is not months)."""
    values = sorted(work[column].dropna().unique())
    months = [parse_month(str(v)) for v in values]
    found = [m for m in months if m is not None]
    if not values or len(found) != len(values):
        return values, None
    have = run.ctx.coverage.months(column, span)
    every = range(min(found), max(found) + 1)
    missing = [m for m in every if have is not None and m not in have]
    return [month_text(m) for m in every], missing


def _say_missing(missing: list[int], run: Run) -> None:
    """The months a complete group leaves blank, for its slides' source line, unless a
    partial window's statement names them already."""
    said = " ".join(run.ctx.coverage.notes)
    names = [n for n in (f"{month_name(m)} {m // 12}" for m in missing) if n not in said]
    if names:
        run.ctx.coverage.note(f"no data for {listing(names, 3)} (not published)")


class Pivot(Step[schema.Pivot]):
    spec = schema.Pivot
    example = "pivot: {rows: District, columns: window, values: incidents}"
    does = ("a column's values become columns: two periods side by side. A cell no row has is "
            "0 (`fill: blank` to leave it empty); `order:` orders the new columns")
    makes_rows = True
    keeps_only_its_columns = True

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Pivot, run: Run) -> Result:
        import pandas as pd

        p = args.pivot
        rows = schema.columns(p.rows)
        for key, column in [("rows", c) for c in rows] + [("columns", p.columns),
                                                          ("values", p.values)]:
            run.column(df, column, key)
        keys = df[rows + [p.columns]]
        duplicated = keys.duplicated()
        if duplicated.any():
            row = keys[duplicated].iloc[0]
            shown = ", ".join(f"{c} = {excerpt(row[c])}" for c in keys.columns)
            raise run.error(f"two rows have {shown}: a pivot needs one row for each cell; "
                            "group them first (a 'group' step with 'by')")
        names = [str(value_text(v)) for v in keys[p.columns].astype(object)]
        wide = pd.DataFrame({c: df[c].astype(object).to_numpy() for c in rows})
        wide["\0col"] = names
        wide["\0val"] = df[p.values].to_numpy()
        table = wide.pivot(index=rows, columns="\0col", values="\0val")
        new = _new_columns(sorted(set(names)), rows, p, run)
        table = table.reindex(columns=new)
        if p.fill != "blank":
            table = table.fillna(p.fill)
        out = table.reset_index()
        out.columns = [str(c) for c in out.columns]
        for c in new:
            found = pd.to_numeric(out[c], errors="coerce")
            if found.notna().sum() == out[c].notna().sum():
                whole = bool((found.dropna() == found.dropna().round()).all())
                out[c] = found.astype("Int64") if whole else found.astype("float64")
        out.index = pd.RangeIndex(len(out))
        return out, []

    def reads(self, args: schema.Pivot) -> set[str]:
        p = args.pivot
        return set(schema.columns(p.rows)) | {p.columns, p.values}

    def rules_after(self, args: schema.Pivot, rules: dict[str, TotalRule], before: list[Any],
                    df: "pd.DataFrame") -> dict[str, TotalRule]:
        """The new columns add up as the values did (counts: summed)."""
        made: TotalRule = "sum" if rules.get(args.pivot.values, "sum") == "sum" else "none"
        return {str(c): made for c in df.columns if c not in schema.columns(args.pivot.rows)}


def _new_columns(new: list[str], rows: list[str], p: schema.Pivot.Args, run: Run) -> list[str]:
    """The new columns in their order (`order:` first, then the rest sorted); none may be named
    as a row column is."""
    if p.order is not None:
        unknown = [n for n in p.order if n not in new]
        if unknown:
            raise run.error(f"'{excerpt(unknown[0])}' is not a value of column '{p.columns}' "
                            f"(values: {listing(new)})", "order")
        new = list(p.order) + [n for n in new if n not in p.order]
    clash = [n for n in new if n in rows]
    if clash:
        raise run.error(f"a value of '{p.columns}' is also a row column's name: "
                        f"{excerpt(clash[0])}; rename the column first", "columns")
    return new


class Top(Step[schema.Top]):
    spec = schema.Top
    example = "top: {n: 5, by: incidents, label: Crime type}"
    does = ("keeps the five highest rows and adds a row `Other` (named by `other:`; `null` "
            "drops the rest) in the `label:` column. `Other` adds up the rest as a "
            "[totals row](#totals) does: counts summed, rates computed again, a population "
            "once per area. (A chart's own `top: 5` shows five bars in all, the fifth being "
            "`Other`.) Police.uk has types called `Other crime` and `Other theft`: name the row "
            "`other: All other types` to keep them apart")
    makes_rows = True

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Top, run: Run) -> Result:
        import pandas as pd

        t = args.top
        run.column(df, t.by, "by")
        run.column(df, t.label, "label")
        values = pd.Series(numbers(df, t.by, origin, run), index=df.index)
        order = values.sort_values(ascending=False, kind="mergesort", na_position="last").index
        keep, rest = df.loc[order[:t.n]], df.loc[order[t.n:]]
        if t.other is None or rest.empty:
            out = keep
        else:
            out = pd.concat([keep.astype(object), pd.DataFrame([_other(df, rest, t, run)])],
                            ignore_index=True)
            for column in df.columns:
                if is_number_column(df[column]):
                    out[column] = pd.to_numeric(out[column]).astype(df[column].dtype)
        return out.reset_index(drop=True), []

    def reads(self, args: schema.Top) -> set[str]:
        return {args.top.by, args.top.label}


def _other(df: "pd.DataFrame", rest: "pd.DataFrame", t: schema.Top.Args, run: Run
           ) -> dict[str, Any]:
    """The `Other` row: it adds up like a totals row (counts summed, rates computed again from
    the sums, a population counted once for each area); text the rows share is kept."""
    sums = totals_row(rest, run.rules)
    other: dict[str, Any] = {}
    for column in df.columns:
        if column == t.label:
            other[column] = t.other
        elif is_number_column(df[column]):
            other[column] = sums.get(column)
        else:
            shared = rest[column].astype(object).drop_duplicates()
            other[column] = shared.iloc[0] if len(shared) == 1 else None
    return other
