"""The steps that add, order, keep or rename columns, keeping the rows (and where each came
from): `derive`, `join`, `rate`, `rank`, `sort`, `select`, `rename`.

A join refuses a key that matches two rows of the other source, and one that matches none
unless told to leave it blank (and then says so); a rate leaves blank, and says so, a row whose
`per:` is not above 0; a derived column says how many rows divide by zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deckgen.data.cells import to_number
from deckgen.data.evaluate import NotNumbers, evaluated, expr_tree
from deckgen.data.frames import TotalRule
from deckgen.data.header import columns_are
from deckgen.data.steps.base import (
    Origin,
    Result,
    Run,
    Step,
    expression_columns,
    numbers,
    texts,
    with_rule,
)
from deckgen.errors import DeckError, Problem, did_you_mean, excerpt, listing
from deckgen.source import steps as schema
from deckgen.source.expr import ExprError

if TYPE_CHECKING:
    import pandas as pd


class Derive(Step[schema.Derive]):
    spec = schema.Derive
    example = "derive: {pct: change / previous * 100}"
    does = "adds columns computed with [expressions](outline.md#expressions)"

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Derive, run: Run) -> Result:
        out = df.copy()
        warnings: list[Problem] = []
        for column, expression in args.derive.items():
            try:
                data, report = evaluated(expr_tree(expression, out.columns), out, run.ctx.text)
            except ExprError as exc:
                raise run.error(exc.message, column, pos=exc.pos) from None
            except NotNumbers as exc:
                raise _not_numbers(out, exc, column, origin, run) from None
            out[column] = data
            if report.divided_by_zero:
                warnings.append(run.warning(f"'{column}': {report.divided_by_zero} row(s) "
                                            "divide by zero, so they are left blank", column))
            if report.invalid:
                warnings.append(run.warning(f"'{column}': {report.invalid} row(s) have no "
                                            f"value ({report.causes()}), so they are left "
                                            "blank", column))
        return out, warnings

    def reads(self, args: schema.Derive) -> set[str]:
        return {c for text in args.derive.values() for c in expression_columns(text)}

    def made_rules(self, args: schema.Derive) -> dict[str, TotalRule]:
        """A derived column is computed again from the totals."""
        return {column: ("formula", text) for column, text in args.derive.items()}


def _not_numbers(df: "pd.DataFrame", exc: NotNumbers, column: str, origin: Origin, run: Run
                 ) -> DeckError:
    """A column used as numbers holds text: the error is at its first such cell."""
    values = texts(df, exc.column)
    bad = next(((label, v) for label, v in values.items() if v is not None and v == v
                and to_number(str(v)) is None), None)
    where = origin.where(int(bad[0]), exc.column) if bad else run.at(column)
    return DeckError.single(
        f"column '{exc.column}' must hold numbers ('{column}' uses it with "
        f"{exc.operation})" + (f", but it has '{excerpt(bad[1])}'" if bad else ""),
        where, run.label)


class Join(Step[schema.Join]):
    spec = schema.Join
    example = "join: {source: population, on: {District: district}, columns: [population]}"
    does = ("adds columns of another source, matching a key (`on: district` when both call it "
            "so). A key the other source has no row for is an error (`missing: blank` keeps the "
            "row with blanks, and says so; `missing: drop` keeps only the rows that match: "
            "`columns: []` to bring none, only to keep your own areas)")

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Join, run: Run) -> Result:
        j = args.join
        other = run.ctx.frame_of(j.source)
        left, right = _keys(j)
        run.column(df, left, "on")
        wanted = _brought(df, other, j, right, run)
        keys = texts(other, right).astype(object)
        duplicated = keys[keys.duplicated() & keys.notna()]
        if len(duplicated):
            raise run.error(f"data '{j.source}' has two rows for {right} = "
                            f"'{excerpt(duplicated.iloc[0])}': a join needs one row for each "
                            "key", "on")
        lookup = {k: i for i, k in enumerate(keys) if k is not None}
        mine = texts(df, left).astype(object)
        positions = [lookup.get(k) if k is not None else None for k in mine]
        out = df.copy()
        for column in wanted:
            values = other[column].astype(object).to_numpy()
            out[column] = [values[p] if p is not None else None for p in positions]
            out[column] = _typed(out[column], other[column])
        missing = [k for k, p in zip(mine, positions) if p is None and k is not None]
        if j.missing == "drop":  # stated in the step: only the rows that match are kept
            return out[[p is not None for p in positions]], []
        warnings = _unmatched(missing, keys, wanted, j, left, run) if missing else []
        return out, warnings

    def reads(self, args: schema.Join) -> set[str]:
        return {_keys(args.join)[0]}

    def rules_after(self, args: schema.Join, rules: dict[str, TotalRule], before: list[Any],
                    df: "pd.DataFrame") -> dict[str, TotalRule]:
        """A joined column (a population) counts once for each of the keys it was joined on."""
        out = dict(rules)
        left = _keys(args.join)[0]
        for column in df.columns:
            if column not in before:
                with_rule(out, str(column), ("per", (left,)))
        return out


def _keys(j: schema.Join.Args) -> tuple[str, str]:
    """The key column of these rows and that of the other source's."""
    return (j.on, j.on) if isinstance(j.on, str) else next(iter(j.on.items()))


def _brought(df: "pd.DataFrame", other: "pd.DataFrame", j: schema.Join.Args, right: str,
             run: Run) -> list[str]:
    """The columns the join brings: the other source must have them (and its key), and these
    rows must not."""
    if right not in other.columns:
        known = [str(c) for c in other.columns]
        raise run.error(f"data '{j.source}' has no column '{excerpt(right)}'; "
                        f"{columns_are(known, right, 'its columns are')}", "on")
    wanted = j.columns if j.columns is not None else [c for c in other.columns if c != right]
    for column in wanted:
        if column not in other.columns:
            known = [str(c) for c in other.columns]
            raise run.error(f"data '{j.source}' has no column '{excerpt(column)}'; "
                            f"{columns_are(known, column, 'its columns are')}", "columns")
        if column in df.columns:
            raise run.error(f"both have a column '{excerpt(column)}': rename one first, or "
                            "list the columns to bring with 'columns:'", "columns")
    return list(wanted)


def _unmatched(missing: list[Any], keys: Any, wanted: list[str], j: schema.Join.Args,
               left: str, run: Run) -> list[Problem]:
    """Keys the other source has no row for: an error (naming the near one), or with
    `missing: blank` a warning that their columns are blank."""
    unique = list(dict.fromkeys(str(k) for k in missing))
    shown = listing([repr(excerpt(u)) for u in unique], 5)  # quoted: spaces show
    if j.missing == "error":
        close = did_you_mean(unique[0], [str(k) for k in keys if k is not None])
        raise run.error(
            f"{len(unique):,} value(s) of {left} have no row in data '{j.source}': "
            f"{shown}{f' ({close[2:]})' if close else ''}; correct the key, or add "
            f"'missing: blank' to keep those rows with their {', '.join(wanted)} blank, or "
            "'missing: drop' to keep only the rows that match", "on")
    return [run.warning(f"{len(unique):,} value(s) of {left} have no row in data '{j.source}' "
                        f"({shown}), so their {', '.join(wanted)} are blank", "missing")]


def _typed(values: Any, like: Any) -> Any:
    import pandas as pd

    if pd.api.types.is_numeric_dtype(like) and not hasattr(like, "cat"):
        return pd.to_numeric(values, errors="coerce").astype(like.dtype if str(like.dtype) in
                                                             ("Int64", "float64") else "float64")
    return values


class Sort(Step[schema.Sort]):
    spec = schema.Sort
    example = "sort: {by: incidents, order: descending}"
    does = "orders the rows (`sort: district` for ascending)"

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Sort, run: Run) -> Result:
        s = args.sort if isinstance(args.sort, schema.Sort.Args) else schema.Sort.Args(
            by=args.sort)
        by = schema.columns(s.by)
        for column in by:
            run.column(df, column, "by")
        out = df.sort_values(by, ascending=s.order == "ascending", kind="mergesort",
                             na_position="last")
        return out, []

    def reads(self, args: schema.Sort) -> set[str]:
        return set(schema.columns(args.sort if isinstance(args.sort, str) else args.sort.by))


class Rank(Step[schema.Rank]):
    spec = schema.Rank
    example = "rank: {by: per_1000, as: position}"
    does = "adds each row's rank, 1 the highest (`order: ascending` for the lowest)"

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Rank, run: Run) -> Result:
        import pandas as pd

        r = args.rank
        run.column(df, r.by, "by")
        values = pd.Series(numbers(df, r.by, origin, run), index=df.index)
        out = df.copy()
        out[r.as_] = values.rank(method="min", ascending=r.order == "ascending").astype("Int64")
        return out, []

    def reads(self, args: schema.Rank) -> set[str]:
        return {args.rank.by}

    def made_rules(self, args: schema.Rank) -> dict[str, TotalRule]:
        """A rank has no total."""
        return {args.rank.as_: "none"}


class Rate(Step[schema.Rate]):
    spec = schema.Rate
    example = "rate: {value: incidents, per: population, scale: 1000, as: per_1000}"
    does = "adds value ÷ per × scale: incidents per 1,000 residents"

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Rate, run: Run) -> Result:
        import numpy as np

        r = args.rate
        run.column(df, r.value, "value")
        run.column(df, r.per, "per")
        value = numbers(df, r.value, origin, run)
        per = numbers(df, r.per, origin, run)
        bad = ~(per > 0)
        out = df.copy()
        factor = _annual(run)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[r.as_] = np.where(bad, np.nan, value / np.where(bad, 1, per) * r.scale * factor)
        out.attrs["deckgen.rate_factor"] = factor  # for its totals row (rules_after)
        warnings = []
        if bad.any():
            warnings.append(run.warning(f"{int(bad.sum()):,} row(s) have no {r.per} above 0, "
                                        f"so their {r.as_} is blank", "per"))
        return out, warnings

    def reads(self, args: schema.Rate) -> set[str]:
        return {args.rate.value, args.rate.per}

    def made_rules(self, args: schema.Rate) -> dict[str, TotalRule]:
        """A rate is computed again from the totals."""
        r = args.rate
        return {r.as_: ("formula", f"`{r.value}` / `{r.per}` * {r.scale!r}")}

    def rules_after(self, args: schema.Rate, rules: dict[str, TotalRule], before: list[Any],
                    df: "pd.DataFrame") -> dict[str, TotalRule]:
        """As made_rules, the totals' rate scaled as the rows' were (a partial window)."""
        out = super().rules_after(args, rules, before, df)
        factor = df.attrs.get("deckgen.rate_factor", 1.0)
        if factor != 1.0:
            r = args.rate
            with_rule(out, r.as_, ("formula", f"`{r.value}` / `{r.per}` * {r.scale!r} * "
                                              f"{factor!r}"))
        return out


def _annual(run: Run) -> float:
    """What a rate of rows filtered to a window with a month missing is multiplied by, so that
    it is a rate for the whole window (12 / 11 for 11 of 12 months), said on its slides."""
    scale = run.ctx.coverage.scale
    if scale is None:
        return 1.0
    covered, months = scale
    run.ctx.coverage.note(f"rates are scaled to {months} months from the {covered} covered "
                          f"(× {months}/{covered})")
    return months / covered


class Select(Step[schema.Select]):
    spec = schema.Select
    example = "select: [District, current, previous]"
    does = "keeps these columns, in this order"
    keeps_only_its_columns = True

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Select, run: Run) -> Result:
        for i, column in enumerate(args.select):
            run.column(df, column, i)
        return df[list(args.select)], []

    def reads(self, args: schema.Select) -> set[str]:
        return set(args.select)


class Rename(Step[schema.Rename]):
    spec = schema.Rename
    example = "rename: {LSOA name: lsoa}"
    does = "renames columns"

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Rename, run: Run) -> Result:
        for old, new in args.rename.items():
            run.column(df, old, old)
            if new in df.columns and new not in args.rename:
                raise run.error(f"there is already a column '{excerpt(new)}'", old)
        return df.rename(columns=args.rename), []

    def reads(self, args: schema.Rename) -> set[str]:
        return set(args.rename)

    def rules_after(self, args: schema.Rename, rules: dict[str, TotalRule], before: list[Any],
                    df: "pd.DataFrame") -> dict[str, TotalRule]:
        """A column keeps its rule under its new name; a formula naming the old columns has no
        total any more, and a count per key follows the key's new name."""
        names = args.rename
        out: dict[str, TotalRule] = {}
        for column, rule in rules.items():
            if isinstance(rule, tuple) and rule[0] == "per":
                rule = ("per", tuple(names.get(k, k) for k in rule[1]))
            elif isinstance(rule, tuple):
                rule = "none"  # its formula names the old columns
            out[names.get(column, column)] = rule
        return out
