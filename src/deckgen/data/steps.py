"""Run a data source's steps (source/steps.py declares them), in order, each located for errors.

Every step takes the rows so far and returns new rows and its warnings, as values. A step that
leaves no rows, names a column the rows do not have, or meets data it cannot handle honestly
(a pivot with two rows for one cell, a join key that matches two rows, a window the data does
not cover) is an error at its place in the outline, naming the step; where a figure would
silently change (rows with a blank key left out of a group, keys a join does not find) it says
so. Rows keep the line they came from until a step makes new ones (group, pivot, top); a
problem with those points at the step instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Protocol, Sequence

from deckgen.data.cells import to_number
from deckgen.data.evaluate import NotNumbers, TextBudget, evaluated, expr_tree
from deckgen.data.frames import TotalRule, totals_row, value_text
from deckgen.data.header import columns_are
from deckgen.errors import DeckError, Location, Problem, did_you_mean, excerpt, listing
from deckgen.source import steps as schema
from deckgen.source.expr import ExprError
from deckgen.source.periods import Window, how_to_write_month, month_text, parse_month, span

if TYPE_CHECKING:
    import pandas as pd


class Origin(Protocol):
    """Where a table's rows came from: `where(label, column)` locates a row (and cell), and
    `row(label)` names it for a message ('line 3', 'row 7')."""

    def where(self, label: int, column: Optional[str] = None) -> Location: ...

    def row(self, label: int) -> str: ...


@dataclass(frozen=True)
class StepOrigin:
    """Rows a step made (a group's, a pivot's): a problem with one points at the step."""

    location: Optional[Location]
    step: str  # 'step 2 (group)'

    def where(self, label: int, column: Optional[str] = None) -> Location:
        return self.location or Location("?")

    def row(self, label: int) -> str:
        return f"a row made by {self.step}"


@dataclass(frozen=True)
class StepContext:
    """What the steps of one data source may use."""

    name: str  # the data source
    locate: Callable[[tuple[Any, ...], int], Optional[Location]]  # a key of the source, a char
    windows: Mapping[str, Window]
    frame_of: Callable[[str], "pd.DataFrame"]  # another source's rows (for a join)
    origin_of: Callable[[str], str]  # how messages name another source's file
    #: the text the build's expressions may still make (shared with the other sources)
    text: TextBudget = field(default_factory=TextBudget)


@dataclass
class _Run:
    """One step being run: where it is, for its messages."""

    ctx: StepContext
    index: int
    kind: str
    rules: Mapping[str, TotalRule]  # how the columns add up so far (for top's "Other" row)

    @property
    def label(self) -> str:
        return f"data '{self.ctx.name}', step {self.index + 1} ({self.kind})"

    def at(self, *key: Any, pos: int = -1) -> Optional[Location]:
        path = ("steps", self.index, self.kind) + key
        return self.ctx.locate(path, pos)

    def error(self, message: str, *key: Any, pos: int = -1) -> DeckError:
        return DeckError.single(message, self.at(*key, pos=pos), self.label)

    def warning(self, message: str, *key: Any) -> Problem:
        return Problem(message, self.at(*key), self.label)

    def column(self, df: "pd.DataFrame", name: str, *key: Any) -> None:
        if name not in df.columns:
            known = [str(c) for c in df.columns]
            raise self.error(f"no column '{excerpt(name)}' here; "
                             f"{columns_are(known, name, 'the columns are')}", *key)


def run_steps(frame: "pd.DataFrame", origin: Origin, steps: Sequence[Any], ctx: StepContext,
              rules: Optional[Mapping[str, TotalRule]] = None
              ) -> tuple["pd.DataFrame", Origin, list[Problem], dict[str, TotalRule]]:
    """The rows after every step, where they came from, the steps' warnings, and how each
    column adds up in a totals row (frames.TotalRule), starting from `rules`."""
    warnings: list[Problem] = []
    now: dict[str, TotalRule] = dict(rules or {})
    for index, step in enumerate(steps):
        kind = schema.step_name(step)
        run = _Run(ctx, index, kind, now)
        before = len(frame)
        columns = list(frame.columns)
        frame, made, more = _STEPS[kind](frame, origin, step, run)
        warnings += more
        if made:
            origin = StepOrigin(run.at(), f"step {index + 1} ({kind})")
        if len(frame) == 0 and before:
            raise run.error(f"this step leaves no rows (it had {before:,})")
        now = _rules_after(step, now, columns, frame)
    return frame, origin, warnings, now


def _rules_after(step: Any, rules: dict[str, TotalRule], before: list[Any],
                 frame: "pd.DataFrame") -> dict[str, TotalRule]:
    """How the columns add up after a step: counts and sums add up; means, minimums, maximums
    and ranks have no total; derived columns and rates are computed again from the totals; a
    joined column (a population) counts once for each of the keys it was joined on."""
    out = dict(rules)

    def put(column: str, rule: TotalRule) -> None:
        out.pop(column, None)  # a formula goes after the ones it may read
        out[column] = rule

    if isinstance(step, schema.Derive):
        for column, text in step.derive.items():
            put(column, ("formula", text))
    elif isinstance(step, schema.Group):
        g = step.group
        out = {}
        if g.count:
            put(g.count, "sum")
        for column in list(g.sum) + list(g.share):
            put(column, "sum")
        for column in list(g.mean) + list(g.min) + list(g.max):
            put(column, "none")
    elif isinstance(step, schema.Pivot):
        made: TotalRule = "sum" if rules.get(step.pivot.values, "sum") == "sum" else "none"
        out = {str(c): made for c in frame.columns if c not in schema.columns(step.pivot.rows)}
    elif isinstance(step, schema.Join):
        args = step.join
        left = args.on if isinstance(args.on, str) else next(iter(args.on))
        for column in frame.columns:
            if column not in before:
                put(str(column), ("per", (left,)))
    elif isinstance(step, schema.Rate):
        r = step.rate
        put(r.as_, ("formula", f"`{r.value}` / `{r.per}` * {r.scale!r}"))
    elif isinstance(step, schema.Rank):
        put(step.rank.as_, "none")
    elif isinstance(step, schema.Rename):
        names = step.rename
        out = {}
        for column, rule in rules.items():
            if isinstance(rule, tuple) and rule[0] == "per":
                rule = ("per", tuple(names.get(k, k) for k in rule[1]))
            elif isinstance(rule, tuple):
                rule = "none"  # its formula names the old columns
            out[names.get(column, column)] = rule
    return out


# --- filter ----------------------------------------------------------------------------------


def _filter(df: "pd.DataFrame", origin: Origin, step: schema.Filter, run: _Run) -> Any:
    import numpy as np

    if isinstance(step.filter, str):
        keep = _condition(df, step.filter, run)
        return df[keep], False, []
    mask = np.ones(len(df), dtype=bool)
    kept: dict[str, int] = {}
    for column, test in step.filter.items():
        run.column(df, column, column)
        passed = _test(df, column, test, origin, run)
        kept[column] = int(passed.sum())
        mask &= passed
    if len(df) and not mask.any():
        raise _nothing_passes(df, kept, run)
    return df[mask], False, []


def _nothing_passes(df: "pd.DataFrame", kept: dict[str, int], run: _Run) -> DeckError:
    """Why a filter leaves no rows: the test that keeps none, with the values its column
    has; or, when each keeps some, how many each keeps."""
    for column, count in kept.items():
        if count == 0:
            values = sorted({str(v) for v in _texts(df, column).dropna().unique()})
            have = ("it is blank in every row" if not values else
                    f"its values run from {excerpt(values[0])} to {excerpt(values[-1])}"
                    if len(values) > 10 else f"its values are {listing(values)}")
            return run.error(f"this step leaves no rows (it had {len(df):,}): no row passes "
                             f"the test on '{excerpt(column)}' ({have})", column)
    counts = "; ".join(f"'{excerpt(c)}' keeps {n:,}" for c, n in kept.items())
    return run.error(f"this step leaves no rows (it had {len(df):,}): each test keeps some "
                     f"rows ({counts}), but no row passes them all")


def _condition(df: "pd.DataFrame", text: str, run: _Run) -> Any:
    try:
        value, _ = evaluated(expr_tree(text, df.columns), df, run.ctx.text)
    except ExprError as exc:
        raise run.error(exc.message, pos=exc.pos) from None
    except NotNumbers as exc:
        raise run.error(f"column '{exc.column}' is text, but the filter uses it as a number "
                        f"({exc.operation})", pos=exc.pos) from None
    values = list(value)
    if not all(v is None or isinstance(v, bool) for v in values):
        raise run.error("a filter expression must give true or false for each row, e.g. "
                        "`Crime type` = 'Burglary'")
    return [v is True for v in values]


def _texts(df: "pd.DataFrame", column: str) -> Any:
    """The column as text (blank cells as None), cheaply for a category column."""
    series = df[column]
    if hasattr(series, "cat"):
        return series
    return series.map(value_text)


def _test(df: "pd.DataFrame", column: str, test: Any, origin: Origin, run: _Run) -> Any:
    """The rows whose `column` passes the filter's test."""
    import numpy as np

    if isinstance(test, list):
        wanted = [value_text(v) for v in test]
        _known(df, column, wanted, run, column)
        return _texts(df, column).isin(wanted).to_numpy(dtype=bool)
    if not isinstance(test, schema.Condition):
        one = value_text(test)
        _known(df, column, [one], run, column)
        return (_texts(df, column) == one).fillna(False).to_numpy(dtype=bool)
    mask = np.ones(len(df), dtype=bool)
    texts = _texts(df, column)
    filled = texts.notna().to_numpy(dtype=bool)
    if test.in_ is not None:
        wanted = [value_text(v) for v in test.in_]
        _known(df, column, wanted, run, column, "in")
        mask &= texts.isin(wanted).to_numpy(dtype=bool)
    if test.not_ is not None:
        unwanted = [value_text(v) for v in (test.not_ if isinstance(test.not_, list)
                                          else [test.not_])]
        mask &= ~texts.isin(unwanted).to_numpy(dtype=bool)
    if test.min is not None or test.max is not None:
        numbers = _numbers(df, column, origin, run)
        if test.min is not None:
            mask &= (numbers >= test.min)
        if test.max is not None:
            mask &= (numbers <= test.max)
    if test.from_ is not None or test.to is not None or test.window is not None:
        mask &= _periods(df, column, test, origin, run)
    for key, check in (("starts_with", str.startswith), ("ends_with", str.endswith),
                       ("contains", str.__contains__)):
        part = getattr(test, key)
        if part is not None:
            mask &= texts.map(lambda v, p=part, f=check: v is not None and v == v and
                              f(str(v), p)).to_numpy(dtype=bool)
    if test.blank is not None:
        mask &= ~filled if test.blank else filled
    return mask


def _known(df: "pd.DataFrame", column: str, wanted: list[str], run: _Run, *key: Any) -> None:
    """A value asked for that the column never has is an error (naming the near ones), not an
    empty slide: 'Anti-social behavior' for 'Anti-social behaviour'."""
    texts = _texts(df, column)
    present = set(texts.cat.categories) if hasattr(texts, "cat") else set(texts.dropna())
    for value in wanted:
        if value in present:
            continue
        values = sorted(str(v) for v in present)
        if value.endswith("*"):
            hint = f"; to keep values starting '{value[:-1]}', write {{starts_with: " \
                   f"{value[:-1]}}}"
        elif values and parse_month(value) is None and all(
                parse_month(v) is not None for v in values[:50]):
            hint = f" (the column holds months: {how_to_write_month(value)})"
        else:
            hint = did_you_mean(value, values)
        raise run.error(f"no row has {column} = '{excerpt(value)}'{hint}; its values are: "
                        f"{listing(values)}", *key)


def _numbers(df: "pd.DataFrame", column: str, origin: Origin, run: _Run) -> Any:
    import numpy as np
    import pandas as pd

    series = df[column]
    if pd.api.types.is_numeric_dtype(series) and not hasattr(series, "cat"):
        return series.astype("float64").to_numpy()
    values = []
    for label, value in series.items():
        if value is None or value != value:
            values.append(np.nan)
            continue
        number = to_number(str(value))
        if number is None:
            raise DeckError.single(f"column '{column}' must hold numbers for this filter, but "
                                   f"it has '{excerpt(value)}'", origin.where(int(label), column),
                                   run.label)
        values.append(number)
    return np.array(values, dtype="float64")


def spans(df: "pd.DataFrame", column: str, origin: Origin, run: _Run) -> tuple[Any, Any]:
    """For each row, the first and last month its period covers (-1 where blank)."""
    import numpy as np
    import pandas as pd

    texts = _texts(df, column)
    if hasattr(texts, "cat"):
        codes, uniques = texts.cat.codes.to_numpy(), list(texts.cat.categories)
    else:
        codes, uniques = pd.factorize(texts.astype(object), use_na_sentinel=True)
        uniques = list(uniques)
    firsts, lasts = [], []
    for i, value in enumerate(uniques):
        found = span(str(value))
        if found is None:
            row = int(df.index[int(np.flatnonzero(codes == i)[0])])
            raise DeckError.single(
                f"'{excerpt(value)}' in column '{column}' is not a period (a month such as "
                "2016-04, a date, a financial year such as 2015/16 or a quarter such as "
                "2015/16 Q1)", origin.where(row, column), run.label)
        firsts.append(found[0])
        lasts.append(found[1])
    first = np.array(firsts + [-1], dtype="int64")[codes]  # code -1 (blank) takes the -1
    last = np.array(lasts + [-1], dtype="int64")[codes]
    return first, last


def _periods(df: "pd.DataFrame", column: str, test: schema.Condition, origin: Origin,
             run: _Run) -> Any:
    first, last = spans(df, column, origin, run)
    start, end = -1, 10**9
    if test.window is not None:
        window = run.ctx.windows[test.window]
        covered(first, last, window, column, run, column, "window")
        start, end = window.start, window.end
    for key, bound in (("from", test.from_), ("to", test.to)):
        if bound is None:
            continue
        month = parse_month(str(bound))
        if month is None:
            raise run.error(f"'{excerpt(bound)}' is not a month; "
                            f"{how_to_write_month(str(bound))}", column, key)
        start, end = (max(start, month), end) if key == "from" else (start, min(end, month))
    return (first >= start) & (last <= end) & (first >= 0)


def covered(first: Any, last: Any, window: Window, column: str, run: _Run, *key: Any) -> None:
    """A window the data does not cover would show a shorter period than it names: an error."""
    import numpy as np
    import pandas as pd

    filled = first >= 0
    months = np.zeros(window.months, dtype=bool)
    pairs: Any = pd.unique(first[filled] * (1 << 24) + last[filled])  # hashed: no sort
    for pair in pairs.tolist():
        a, b = divmod(int(pair), 1 << 24)
        lo, hi = max(a, window.start), min(b, window.end)
        if lo <= hi:
            months[lo - window.start:hi - window.start + 1] = True
    missing = [month_text(window.start + int(i)) for i in np.flatnonzero(~months)]
    if missing:
        have = (f"it has {month_text(int(first[filled].min()))} to "
                f"{month_text(int(last[filled].max()))}" if filled.any() else "it has none")
        raise run.error(f"the data has no rows for {listing(missing, 6)} in column '{column}', "
                        f"so it cannot show window '{window.name}' ({window.label}): {have}; "
                        "choose another period, or add the missing months", *key)


# --- derive, window ----------------------------------------------------------------------------


def _derive(df: "pd.DataFrame", origin: Origin, step: schema.Derive, run: _Run) -> Any:
    out = df.copy()
    warnings: list[Problem] = []
    for column, expression in step.derive.items():
        try:
            data, report = evaluated(expr_tree(expression, out.columns), out, run.ctx.text)
        except ExprError as exc:
            raise run.error(exc.message, column, pos=exc.pos) from None
        except NotNumbers as exc:
            texts = _texts(out, exc.column)
            bad = next(((label, v) for label, v in texts.items() if v is not None and v == v
                        and to_number(str(v)) is None), None)
            where = origin.where(int(bad[0]), exc.column) if bad else run.at(column)
            raise DeckError.single(
                f"column '{exc.column}' must hold numbers ('{column}' uses it with "
                f"{exc.operation})" + (f", but it has '{excerpt(bad[1])}'" if bad else ""),
                where, run.label) from None
        out[column] = data
        if report.divided_by_zero:
            warnings.append(run.warning(f"'{column}': {report.divided_by_zero} row(s) divide by "
                                        "zero, so they are left blank", column))
        if report.invalid:
            warnings.append(run.warning(f"'{column}': {report.invalid} row(s) have no value "
                                        f"({report.causes()}), so they are left blank", column))
    return out, False, warnings


def _window(df: "pd.DataFrame", origin: Origin, step: schema.WindowTag, run: _Run) -> Any:
    import numpy as np
    import pandas as pd

    args = step.window
    run.column(df, args.column, "column")
    first, last = spans(df, args.column, origin, run)
    chosen = [run.ctx.windows[name] for name in args.windows]
    for i, a in enumerate(chosen):
        covered(first, last, a, args.column, run, "windows", i)
        for b in chosen[i + 1:]:
            if a.start <= b.end and b.start <= a.end:
                raise run.error(f"windows '{a.name}' ({a.label}) and '{b.name}' ({b.label}) "
                                "overlap: a row would belong to both", "windows")
    tag = np.full(len(df), -1)
    for i, w in enumerate(chosen):
        tag[(first >= w.start) & (last <= w.end) & (first >= 0)] = i
    out = df[tag >= 0].copy()
    out[args.as_] = pd.Categorical.from_codes(tag[tag >= 0], [w.name for w in chosen])
    return out, False, []


# --- group, pivot -------------------------------------------------------------------------------


def _group(df: "pd.DataFrame", origin: Origin, step: schema.Group, run: _Run) -> Any:
    import pandas as pd

    args = step.group
    by = schema.columns(args.by)
    for column in by:
        run.column(df, column, "by")
    warnings: list[Problem] = []
    blank = df[by].isna().any(axis=1)
    if blank.any() and args.blanks != "keep":
        if args.blanks == "warn":
            names = ", ".join(c for c in by if df[c].isna().any())
            warnings.append(run.warning(
                f"{int(blank.sum()):,} row(s) with no {names} are left out of the groups (say "
                "'blanks: drop' to leave them out quietly, or 'blanks: keep')", "by"))
        df = df[~blank]
    work = df[by].copy()
    if args.blanks == "keep":
        for c in by:
            work[c] = work[c].astype(object).where(work[c].notna(), args.blank_label)
    for c in by:
        if hasattr(work[c], "cat"):
            work[c] = work[c].cat.remove_unused_categories()
    aggregations: dict[str, tuple[str, str]] = {}
    for how in ("sum", "mean", "min", "max"):
        for new, column in getattr(args, how).items():
            run.column(df, column, how, new)
            work[f"\0{new}"] = _numbers(df, column, origin, run)
            aggregations[new] = (f"\0{new}", how)
    for new, column in args.share.items():
        if column != args.count:
            run.column(df, column, "share", new)
            work[f"\0share\0{new}"] = _numbers(df, column, origin, run)
    grouped = work.groupby(by, observed=True, sort=True)
    out = grouped.size().rename("\0n").to_frame()
    for new, (column, how) in aggregations.items():
        out[new] = getattr(grouped[column], how)()
    if args.complete and len(by) > 1:
        full = pd.MultiIndex.from_product([sorted(work[c].dropna().unique()) for c in by],
                                          names=by)
        out = out.reindex(full)
        out["\0n"] = out["\0n"].fillna(0)
        for new, (column, how) in aggregations.items():
            if how == "sum":
                out[new] = out[new].fillna(0)
    if args.count:
        out[args.count] = out["\0n"].astype("Int64")
    for new, column in args.share.items():
        values = out["\0n"] if column == args.count else grouped[f"\0share\0{new}"].sum()
        total = float(values.sum())
        if total == 0:
            raise run.error(f"'{column}' adds up to 0: no shares to compute", "share", new)
        out[new] = values.astype("float64") / total * 100
    out = out.drop(columns="\0n").reset_index()
    for c in by:
        if hasattr(out[c], "cat"):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    out.index = pd.RangeIndex(len(out))
    return out, True, warnings


def _pivot(df: "pd.DataFrame", origin: Origin, step: schema.Pivot, run: _Run) -> Any:
    import pandas as pd

    args = step.pivot
    rows = schema.columns(args.rows)
    for key, column in [("rows", c) for c in rows] + [("columns", args.columns),
                                                      ("values", args.values)]:
        run.column(df, column, key)
    keys = df[rows + [args.columns]]
    duplicated = keys.duplicated()
    if duplicated.any():
        row = keys[duplicated].iloc[0]
        shown = ", ".join(f"{c} = {excerpt(row[c])}" for c in keys.columns)
        raise run.error(f"two rows have {shown}: a pivot needs one row for each cell; group "
                        "them first (a 'group' step with 'by')")
    names = [str(value_text(v)) for v in keys[args.columns].astype(object)]
    wide = pd.DataFrame({c: df[c].astype(object).to_numpy() for c in rows})
    wide["\0col"] = names
    wide["\0val"] = df[args.values].to_numpy()
    table = wide.pivot(index=rows, columns="\0col", values="\0val")
    new = sorted(set(names))
    if args.order is not None:
        unknown = [n for n in args.order if n not in new]
        if unknown:
            raise run.error(f"'{excerpt(unknown[0])}' is not a value of column '{args.columns}' "
                            f"(values: {listing(new)})", "order")
        new = list(args.order) + [n for n in new if n not in args.order]
    clash = [n for n in new if n in rows]
    if clash:
        raise run.error(f"a value of '{args.columns}' is also a row column's name: "
                        f"{excerpt(clash[0])}; rename the column first", "columns")
    table = table.reindex(columns=new)
    if args.fill != "blank":
        table = table.fillna(args.fill)
    out = table.reset_index()
    out.columns = [str(c) for c in out.columns]
    for c in new:
        numbers = pd.to_numeric(out[c], errors="coerce")
        if numbers.notna().sum() == out[c].notna().sum():
            whole = bool((numbers.dropna() == numbers.dropna().round()).all())
            out[c] = numbers.astype("Int64") if whole else numbers.astype("float64")
    out.index = pd.RangeIndex(len(out))
    return out, True, []


# --- join, sort, top, rank, rate, select, rename ---------------------------------------------


def _join(df: "pd.DataFrame", origin: Origin, step: schema.Join, run: _Run) -> Any:
    args = step.join
    other = run.ctx.frame_of(args.source)
    left, right = (args.on, args.on) if isinstance(args.on, str) else next(iter(args.on.items()))
    run.column(df, left, "on")
    if right not in other.columns:
        known = [str(c) for c in other.columns]
        raise run.error(f"data '{args.source}' has no column '{excerpt(right)}'; "
                        f"{columns_are(known, right, 'its columns are')}", "on")
    wanted = args.columns if args.columns is not None else [c for c in other.columns
                                                            if c != right]
    for column in wanted:
        if column not in other.columns:
            known = [str(c) for c in other.columns]
            raise run.error(f"data '{args.source}' has no column '{excerpt(column)}'; "
                            f"{columns_are(known, column, 'its columns are')}", "columns")
        if column in df.columns:
            raise run.error(f"both have a column '{excerpt(column)}': rename one first, or "
                            "list the columns to bring with 'columns:'", "columns")
    keys = _texts(other, right).astype(object)
    duplicated = keys[keys.duplicated() & keys.notna()]
    if len(duplicated):
        raise run.error(f"data '{args.source}' has two rows for {right} = "
                        f"'{excerpt(duplicated.iloc[0])}': a join needs one row for each key",
                        "on")
    lookup = {k: i for i, k in enumerate(keys) if k is not None}
    mine = _texts(df, left).astype(object)
    positions = [lookup.get(k) if k is not None else None for k in mine]
    out = df.copy()
    for column in wanted:
        values = other[column].astype(object).to_numpy()
        out[column] = [values[p] if p is not None else None for p in positions]
        out[column] = _typed(out[column], other[column])
    warnings = []
    missing = [k for k, p in zip(mine, positions) if p is None and k is not None]
    if missing:
        unique = list(dict.fromkeys(str(k) for k in missing))
        shown = listing([repr(excerpt(u)) for u in unique], 5)  # quoted: spaces show
        if args.missing == "error":
            close = did_you_mean(unique[0], [str(k) for k in keys if k is not None])
            raise run.error(
                f"{len(unique):,} value(s) of {left} have no row in data '{args.source}': "
                f"{shown}{f' ({close[2:]})' if close else ''}; correct the key, or add "
                f"'missing: blank' to keep those rows with their {', '.join(wanted)} blank",
                "on")
        warnings.append(run.warning(
            f"{len(unique):,} value(s) of {left} have no row in data '{args.source}' "
            f"({shown}), so their {', '.join(wanted)} are blank", "missing"))
    return out, False, warnings


def _typed(values: Any, like: Any) -> Any:
    import pandas as pd

    if pd.api.types.is_numeric_dtype(like) and not hasattr(like, "cat"):
        return pd.to_numeric(values, errors="coerce").astype(like.dtype if str(like.dtype) in
                                                             ("Int64", "float64") else "float64")
    return values


def _sort(df: "pd.DataFrame", origin: Origin, step: schema.Sort, run: _Run) -> Any:
    args = step.sort if isinstance(step.sort, schema.Sort.Args) else schema.Sort.Args(
        by=step.sort)
    by = schema.columns(args.by)
    for column in by:
        run.column(df, column, "by")
    out = df.sort_values(by, ascending=args.order == "ascending", kind="mergesort",
                         na_position="last")
    return out, False, []


def _top(df: "pd.DataFrame", origin: Origin, step: schema.Top, run: _Run) -> Any:
    import pandas as pd

    args = step.top
    run.column(df, args.by, "by")
    run.column(df, args.label, "label")
    values = pd.Series(_numbers(df, args.by, origin, run), index=df.index)
    order = values.sort_values(ascending=False, kind="mergesort", na_position="last").index
    keep, rest = df.loc[order[:args.n]], df.loc[order[args.n:]]
    if args.other is None or rest.empty:
        out = keep
    else:
        # "Other" adds up like a totals row: counts are summed, rates computed again from the
        # sums, a population counted once for each area; text the rows share is kept.
        sums = totals_row(rest, run.rules)
        other: dict[str, Any] = {}
        for column in df.columns:
            if column == args.label:
                other[column] = args.other
            elif _is_number_column(df[column]):
                other[column] = sums.get(column)
            else:
                shared = rest[column].astype(object).drop_duplicates()
                other[column] = shared.iloc[0] if len(shared) == 1 else None
        out = pd.concat([keep.astype(object), pd.DataFrame([other])], ignore_index=True)
        for column in df.columns:
            if _is_number_column(df[column]):
                out[column] = pd.to_numeric(out[column]).astype(df[column].dtype)
    out = out.reset_index(drop=True)
    return out, True, []


def _is_number_column(series: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(series)) and not hasattr(series, "cat")


def _rank(df: "pd.DataFrame", origin: Origin, step: schema.Rank, run: _Run) -> Any:
    import pandas as pd

    args = step.rank
    run.column(df, args.by, "by")
    values = pd.Series(_numbers(df, args.by, origin, run), index=df.index)
    out = df.copy()
    out[args.as_] = values.rank(method="min", ascending=args.order == "ascending").astype(
        "Int64")
    return out, False, []


def _rate(df: "pd.DataFrame", origin: Origin, step: schema.Rate, run: _Run) -> Any:
    import numpy as np

    args = step.rate
    run.column(df, args.value, "value")
    run.column(df, args.per, "per")
    value = _numbers(df, args.value, origin, run)
    per = _numbers(df, args.per, origin, run)
    bad = ~(per > 0)
    out = df.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out[args.as_] = np.where(bad, np.nan, value / np.where(bad, 1, per) * args.scale)
    warnings = []
    if bad.any():
        warnings.append(run.warning(f"{int(bad.sum()):,} row(s) have no {args.per} above 0, so "
                                    f"their {args.as_} is blank", "per"))
    return out, False, warnings


def _select(df: "pd.DataFrame", origin: Origin, step: schema.Select, run: _Run) -> Any:
    for i, column in enumerate(step.select):
        run.column(df, column, i)
    return df[list(step.select)], False, []


def _rename(df: "pd.DataFrame", origin: Origin, step: schema.Rename, run: _Run) -> Any:
    for old, new in step.rename.items():
        run.column(df, old, old)
        if new in df.columns and new not in step.rename:
            raise run.error(f"there is already a column '{excerpt(new)}'", old)
    return df.rename(columns=step.rename), False, []


_STEPS: dict[str, Callable[..., Any]] = {
    "filter": _filter, "derive": _derive, "window": _window, "group": _group,
    "pivot": _pivot, "join": _join, "sort": _sort, "top": _top, "rank": _rank, "rate": _rate,
    "select": _select, "rename": _rename,
}


def used_columns(steps: Sequence[Any]) -> tuple[set[str], bool]:
    """The columns the steps read before they shape the rows into new ones (a group, pivot or
    select), and whether they do: then no other column of the source reaches a slide."""
    from deckgen.source.expr import columns as expression_columns

    used: set[str] = set()
    for step in steps:
        if isinstance(step, schema.Filter):
            if isinstance(step.filter, str):
                used |= set(_safe_columns(step.filter, expression_columns))
            else:
                used |= set(step.filter)
        elif isinstance(step, schema.Derive):
            for text in step.derive.values():
                used |= set(_safe_columns(text, expression_columns))
        elif isinstance(step, schema.WindowTag):
            used.add(step.window.column)
        elif isinstance(step, schema.Group):
            g = step.group
            used |= set(schema.columns(g.by))
            for how in (g.sum, g.mean, g.min, g.max, g.share):
                used |= set(how.values())
            return used, True
        elif isinstance(step, schema.Pivot):
            p = step.pivot
            used |= set(schema.columns(p.rows)) | {p.columns, p.values}
            return used, True
        elif isinstance(step, schema.Select):
            used |= set(step.select)
            return used, True
        elif isinstance(step, schema.Join):
            used.add(step.join.on if isinstance(step.join.on, str)
                     else next(iter(step.join.on)))
        elif isinstance(step, schema.Sort):
            by = step.sort if isinstance(step.sort, str) else step.sort.by
            used |= set(schema.columns(by))
        elif isinstance(step, (schema.Top, schema.Rank, schema.Rate)):
            args = getattr(step, schema.step_name(step))
            used |= {getattr(args, k) for k in ("by", "label", "value", "per")
                     if hasattr(args, k)}
        elif isinstance(step, schema.Rename):
            used |= set(step.rename)
    return used, False


def _safe_columns(text: Any, extract: Callable[[Any], list[str]]) -> list[str]:
    from deckgen.source.expr import parse

    if not isinstance(text, str):
        return []
    try:
        return extract(parse(text))
    except ExprError:
        return []
