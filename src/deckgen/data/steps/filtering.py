"""The steps that keep some rows: `filter` (values, tests, periods or an expression) and
`window` (the window each row's period falls in, as a column; rows in none are dropped).

A value asked for that the column never has is an error naming the near ones, never an empty
slide; a window the data does not cover is an error, never a shorter period than it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deckgen.data.evaluate import NotNumbers, evaluated, expr_tree
from deckgen.data.frames import value_text
from deckgen.data.steps.base import Origin, Result, Run, Step, expression_columns, numbers, texts
from deckgen.errors import DeckError, did_you_mean, excerpt, listing
from deckgen.source import steps as schema
from deckgen.source.expr import ExprError
from deckgen.source.periods import (
    Window,
    how_to_write_month,
    month_name,
    month_text,
    parse_month,
    span,
)

if TYPE_CHECKING:
    import pandas as pd


class Filter(Step[schema.Filter]):
    spec = schema.Filter
    example = "filter: {Crime type: Burglary, Month: {window: year}}"
    does = "keeps the rows whose columns pass every test (see below)"

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.Filter, run: Run) -> Result:
        import numpy as np

        if isinstance(args.filter, str):
            keep = _condition(df, args.filter, run)
            return df[keep], []
        mask = np.ones(len(df), dtype=bool)
        kept: dict[str, int] = {}
        for column, test in args.filter.items():
            run.column(df, column, column)
            passed = _test(df, column, test, origin, run)
            kept[column] = int(passed.sum())
            mask &= passed
        if len(df) and not mask.any():
            raise _nothing_passes(df, kept, run)
        return df[mask], []

    def reads(self, args: schema.Filter) -> set[str]:
        if isinstance(args.filter, str):
            return expression_columns(args.filter)
        return set(args.filter)


def _nothing_passes(df: "pd.DataFrame", kept: dict[str, int], run: Run) -> DeckError:
    """Why a filter leaves no rows: the test that keeps none, with the values its column
    has; or, when each keeps some, how many each keeps."""
    for column, count in kept.items():
        if count == 0:
            values = sorted({str(v) for v in texts(df, column).dropna().unique()})
            have = ("it is blank in every row" if not values else
                    f"its values run from {excerpt(values[0])} to {excerpt(values[-1])}"
                    if len(values) > 10 else f"its values are {listing(values)}")
            return run.error(f"this step leaves no rows (it had {len(df):,}): no row passes "
                             f"the test on '{excerpt(column)}' ({have})", column)
    counts = "; ".join(f"'{excerpt(c)}' keeps {n:,}" for c, n in kept.items())
    return run.error(f"this step leaves no rows (it had {len(df):,}): each test keeps some "
                     f"rows ({counts}), but no row passes them all")


def _condition(df: "pd.DataFrame", text: str, run: Run) -> Any:
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


def _test(df: "pd.DataFrame", column: str, test: Any, origin: Origin, run: Run) -> Any:
    """The rows whose `column` passes the filter's test: a value, a list or a condition."""
    if isinstance(test, list):
        wanted = [value_text(v) for v in test]
        _known(df, column, wanted, run, column)
        return texts(df, column).isin(wanted).to_numpy(dtype=bool)
    if not isinstance(test, schema.Condition):
        one = value_text(test)
        _known(df, column, [one], run, column)
        return (texts(df, column) == one).fillna(False).to_numpy(dtype=bool)
    return _passes(df, column, test, origin, run)


def _passes(df: "pd.DataFrame", column: str, test: schema.Condition, origin: Origin,
            run: Run) -> Any:
    """The rows whose `column` passes every test of a condition."""
    import numpy as np

    mask = np.ones(len(df), dtype=bool)
    values = texts(df, column)
    filled = values.notna().to_numpy(dtype=bool)
    if test.in_ is not None:
        wanted = [value_text(v) for v in test.in_]
        _known(df, column, wanted, run, column, "in")
        mask &= values.isin(wanted).to_numpy(dtype=bool)
    if test.not_ is not None:
        unwanted = [value_text(v) for v in (test.not_ if isinstance(test.not_, list)
                                          else [test.not_])]
        mask &= ~values.isin(unwanted).to_numpy(dtype=bool)
    if test.min is not None or test.max is not None:
        found = numbers(df, column, origin, run)
        if test.min is not None:
            mask &= (found >= test.min)
        if test.max is not None:
            mask &= (found <= test.max)
    if test.from_ is not None or test.to is not None or test.window is not None:
        mask &= _periods(df, column, test, origin, run)
    for key, check in (("starts_with", str.startswith), ("ends_with", str.endswith),
                       ("contains", str.__contains__)):
        part = getattr(test, key)
        if part is not None:
            mask &= values.map(lambda v, p=part, f=check: v is not None and v == v and
                               f(str(v), p)).to_numpy(dtype=bool)
    if test.blank is not None:
        mask &= ~filled if test.blank else filled
    return mask


def _known(df: "pd.DataFrame", column: str, wanted: list[str], run: Run, *key: Any) -> None:
    """A value asked for that the column never has is an error (naming the near ones), not an
    empty slide: 'Anti-social behavior' for 'Anti-social behaviour'."""
    values_of = texts(df, column)
    present = set(values_of.cat.categories) if hasattr(values_of, "cat") else \
        set(values_of.dropna())
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


def spans(df: "pd.DataFrame", column: str, origin: Origin, run: Run) -> tuple[Any, Any]:
    """For each row, the first and last month its period covers (-1 where blank)."""
    import numpy as np
    import pandas as pd

    values = texts(df, column)
    if hasattr(values, "cat"):
        codes, uniques = values.cat.codes.to_numpy(), list(values.cat.categories)
    else:
        codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
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
             run: Run) -> Any:
    first, last = spans(df, column, origin, run)
    start, end = -1, 10**9
    if test.window is not None:
        window = run.ctx.windows[test.window]
        months = covered(first, last, window, column, run, column, "window")
        if months < window.months:  # a rate of these rows is scaled to the whole window
            run.ctx.coverage.scale = (months, window.months)
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


def covered(first: Any, last: Any, window: Window, column: str, run: Run, *key: Any) -> int:
    """A window the data does not cover would show a shorter period than it names: an error.
    The months covered are the source's own (the rows it started with, coverage.months), so a
    quiet month for one crime type is a 0, and a month never published is no data. A window
    that runs past the data says so first; a gap inside the data is an error unless the
    window accepts it (`coverage: partial`), when its slides state it."""
    have = run.ctx.coverage.months(column, span)
    if have is None:
        have = _months_of(first, last)
    missing = [m for m in range(window.start, window.end + 1) if m not in have]
    if not missing:
        return window.months
    shown = f"window '{window.name}' ({window.label})"
    if not have:
        raise run.error(f"the data has no rows in column '{column}', so it cannot show {shown}",
                        *key)
    earliest, latest = min(have), max(have)
    if missing[-1] > latest:
        raise run.error(f"{month_text(missing[-1])} is not in the data; the latest month is "
                        f"{month_text(latest)}: {shown} runs to {month_text(window.end)}; "
                        f"choose a period up to {month_text(latest)}, or add the months' data",
                        *key)
    if missing[0] < earliest:
        absent = listing([month_text(m) for m in missing], 6)
        raise run.error(f"the data has no rows for {absent} in column '{column}', so it cannot "
                        f"show {shown}: it has {month_text(earliest)} to {month_text(latest)}; "
                        "choose another period, or add the missing months", *key)
    gaps = listing([f"{month_name(m)} {m // 12}" for m in missing], 3)
    statement = (f"{window.months - len(missing)} of {window.months} months; {gaps} not "
                 "published")
    if window.partial:
        run.ctx.coverage.note(f"{window.label}: {statement}")
        return window.months - len(missing)
    raise run.error(f"the data has no rows for {listing([month_text(m) for m in missing], 6)} "
                    f"in column '{column}' (a month never published, or a file missing), so "
                    f"{shown} would have {statement}; add the month, or say 'coverage: partial' "
                    f"on window '{window.name}' to go ahead and state the gap on its slides",
                    *key)


def _months_of(first: Any, last: Any) -> frozenset[int]:
    """The months the rows' periods cover (when the source's own are not known)."""
    import numpy as np
    import pandas as pd

    filled = first >= 0
    pairs: Any = pd.unique(first[filled] * (1 << 24) + last[filled])  # hashed: no sort
    found: set[int] = set()
    for pair in np.asarray(pairs).tolist():
        a, b = divmod(int(pair), 1 << 24)
        found.update(range(a, b + 1))
    return frozenset(found)


class WindowTag(Step[schema.WindowTag]):
    spec = schema.WindowTag
    example = "window: {column: Month, windows: [previous, current]}"
    does = ("adds a column (`window`, or `as:`) naming the window each row's period falls in; "
            "rows in none are dropped")

    def run(self, df: "pd.DataFrame", origin: Origin, args: schema.WindowTag, run: Run) -> Result:
        import numpy as np
        import pandas as pd

        tag_as = args.window
        run.column(df, tag_as.column, "column")
        first, last = spans(df, tag_as.column, origin, run)
        chosen = [run.ctx.windows[name] for name in tag_as.windows]
        problems = []
        for i, a in enumerate(chosen):  # every window the data does not cover, at once
            try:
                covered(first, last, a, tag_as.column, run, "windows", i)
            except DeckError as exc:
                problems += exc.problems
        if problems:
            raise DeckError(problems)
        for i, a in enumerate(chosen):
            for b in chosen[i + 1:]:
                if a.start <= b.end and b.start <= a.end:
                    raise run.error(f"windows '{a.name}' ({a.label}) and '{b.name}' "
                                    f"({b.label}) overlap: a row would belong to both",
                                    "windows")
        tag = np.full(len(df), -1)
        for i, w in enumerate(chosen):
            tag[(first >= w.start) & (last <= w.end) & (first >= 0)] = i
        out = df[tag >= 0].copy()
        out[tag_as.as_] = pd.Categorical.from_codes(tag[tag >= 0], [w.name for w in chosen])
        return out, []

    def reads(self, args: schema.WindowTag) -> set[str]:
        return {args.window.column}
