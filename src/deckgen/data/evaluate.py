"""Evaluate deckgen's expressions (source/expr.py) over whole pandas columns.

The tree was parsed and checked when the outline was loaded; here each node becomes a column of
numbers, text or conditions for every row at once. Nothing is looked up outside the frame: a
name is a column, a call is one of IMPLEMENTATIONS. Type mistakes (text used as a number) are
ExprErrors at their character, or NotNumbers for a column whose cells the caller can point at.

Text can grow (`a + a` doubles it): every function that makes text takes what it makes from
the build's TextBudget (textbudget.py), before it makes it where it could grow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Sequence

from deckgen.data.cells import to_number
from deckgen.data.header import columns_are
from deckgen.data.textbudget import MAX_TEXT_CELL as MAX_TEXT_CELL
from deckgen.data.textbudget import MAX_TEXT_MADE as MAX_TEXT_MADE
from deckgen.data.textbudget import TextBudget as TextBudget
from deckgen.source.expr import (
    Binary,
    Call,
    Column,
    ExprError,
    Literal,
    Node,
    Unary,
    columns,
    constant,
    parse,
)

if TYPE_CHECKING:
    import pandas as pd

class NotNumbers(Exception):
    """A column used as numbers holds text: the caller names the offending cell."""

    def __init__(self, column: str, pos: int, operation: str) -> None:
        super().__init__(column)
        self.column = column
        self.pos = pos
        self.operation = operation


@dataclass(frozen=True)
class Value:
    """A column of results: kind is 'number' (float64, NaN for none), 'text' (object, None for
    none) or 'bool' (pandas' nullable boolean)."""

    kind: str
    data: Any  # a pandas Series over the frame's index


@dataclass
class Evaluation:
    """What evaluating an expression found that the reader should hear about: rows left
    without a value, counted by cause."""

    divided_by_zero: int = 0  # rows
    first_zero_row: Optional[int] = None  # position of the first such row
    negative_roots: int = 0  # rows where sqrt() met a negative number
    not_numbers: int = 0  # rows where number() found no number in the text
    too_large: int = 0  # rows where a result was too large to be a number (1e300 * 1e300)

    @property
    def invalid(self) -> int:
        """Rows where a function or an operator had no answer (other than dividing by 0)."""
        return self.negative_roots + self.not_numbers + self.too_large

    def causes(self) -> str:
        """Why rows have no value other than dividing by zero, in words: 'a square root of a
        negative number or a result too large to be a number'."""
        found = [words for count, words in (
            (self.negative_roots, "a square root of a negative number"),
            (self.not_numbers, "text that is not a number"),
            (self.too_large, "a result too large to be a number")) if count]
        return " or ".join(found)


class _Evaluator:
    def __init__(self, frame: "pd.DataFrame", report: Evaluation, budget: TextBudget) -> None:
        self.frame = frame
        self.report = report
        self.budget = budget
        #: the decimal mark of the file the rows came from (number() reads text with it)
        self.decimal = str(frame.attrs.get("decimal", "."))

    def number(self, node: Node, operation: str, value: Optional[Value] = None) -> Any:
        """The node's value as numbers (`value`: already evaluated, so that a node is never
        evaluated twice: a chain a+a+... would take exponential time)."""
        value = value if value is not None else self.eval(node)
        if value.kind != "number":
            if isinstance(node, Column):
                raise NotNumbers(node.name, node.pos, operation)
            raise ExprError(f"{operation} needs numbers, but {_describe(node)} is "
                            f"{_kind_name(value.kind)}", _pos(node))
        return value.data

    def text(self, node: Node, operation: str) -> Any:
        value = self.eval(node)
        if value.kind != "text":
            raise ExprError(f"{operation} needs text, but {_describe(node)} is "
                            f"{_kind_name(value.kind)}; use text(...) to turn a number into "
                            "text", _pos(node))
        return value.data

    def making(self, node: Node, what: str, lengths: Iterable[int]) -> None:
        """Take the text `what` (at `node`) would make from the build's budget, or refuse it
        at the node's character (textbudget.py)."""
        self.budget.take(node.pos, what, lengths)

    def boolean(self, node: Node, operation: str) -> Any:
        value = self.eval(node)
        if value.kind != "bool":
            raise ExprError(f"{operation} needs a condition (a comparison such as x > 0), but "
                            f"{_describe(node)} is {_kind_name(value.kind)}", _pos(node))
        return value.data

    def eval(self, node: Node) -> Value:
        import pandas as pd

        index = self.frame.index
        if isinstance(node, Literal):
            if isinstance(node.value, bool):
                return Value("bool", pd.Series(node.value, index=index, dtype="boolean"))
            if isinstance(node.value, float):
                return Value("number", pd.Series(node.value, index=index, dtype="float64"))
            return Value("text", pd.Series(node.value, index=index, dtype=object))
        if isinstance(node, Column):
            return self.column(node)
        if isinstance(node, Unary):
            if node.op == "not":
                return Value("bool", ~self.boolean(node.operand, "'not'"))
            data = self.number(node.operand, f"'{node.op}'")
            return Value("number", -data if node.op == "-" else data)
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def column(self, node: Column) -> Value:
        import pandas as pd

        if node.name not in self.frame.columns:
            known = [str(c) for c in self.frame.columns]
            raise ExprError(f"unknown column '{node.name}'; {columns_are(known, node.name)}",
                            node.pos)
        series = self.frame[node.name]
        if pd.api.types.is_bool_dtype(series):
            return Value("bool", series.astype("boolean"))
        if pd.api.types.is_numeric_dtype(series):
            return Value("number", series.astype("float64"))
        return Value("text", series.astype(object).where(series.notna(), None))

    def binary(self, node: Binary) -> Value:
        op = node.op
        if op in ("and", "or"):
            left = self.boolean(node.left, f"'{op}'")
            right = self.boolean(node.right, f"'{op}'")
            return Value("bool", (left & right) if op == "and" else (left | right))
        if op in ("==", "!=", "<", "<=", ">", ">="):
            return self.compare(node)
        left = self.eval(node.left)
        if op == "+" and left.kind == "text":
            right = self.text(node.right, "'+' after text")
            self.making(node, "'+'", (len(_str(x)) + len(_str(y)) for x, y in
                                      zip(left.data, right) if not _blank(x) and not _blank(y)))
            return Value("text", _text_map2(left.data, right, lambda a, b: a + b))
        shown = {"+": "'+'", "-": "'-'", "*": "'*'", "/": "'/'", "%": "'%'"}[op]
        a = self.number(node.left, shown, left)
        b = self.number(node.right, shown)
        if op == "+":
            return self.finite(a + b)
        if op == "-":
            return self.finite(a - b)
        if op == "*":
            return self.finite(a * b)
        zero = b == 0
        if zero.any():
            self.report.divided_by_zero += int(zero.sum())
            if self.report.first_zero_row is None:
                self.report.first_zero_row = int(zero.to_numpy().argmax())
        safe = b.where(~zero)
        return self.finite(a / safe if op == "/" else a % safe)

    def finite(self, data: Any) -> Value:
        """A column of numbers, a result too large to be a number (1e300 * 1e300) left blank
        and counted: carried on, it would turn into a wrong cause (inf - inf is no number)."""
        import numpy as np

        infinite = np.isinf(data.to_numpy(dtype="float64", na_value=np.nan))
        if infinite.any():
            self.report.too_large += int(infinite.sum())
            data = data.where(~infinite)
        return Value("number", data)

    def compare(self, node: Binary) -> Value:
        import pandas as pd

        left, right = self.eval(node.left), self.eval(node.right)
        if left.kind != right.kind:
            raise ExprError(f"'{node.op}' compares {_kind_name(left.kind)} "
                            f"({_describe(node.left)}) with {_kind_name(right.kind)} "
                            f"({_describe(node.right)})", node.pos)
        a, b = left.data, right.data
        missing = a.isna() | b.isna()
        if left.kind == "text":
            a, b = a.where(~missing, ""), b.where(~missing, "")
        elif left.kind == "bool":
            if node.op not in ("==", "!="):
                raise ExprError(f"'{node.op}' cannot order true and false", node.pos)
            a, b = a.fillna(False), b.fillna(False)
        result = {"==": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b,
                  "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b}[node.op]()
        out = pd.Series(result, index=a.index).astype("boolean")
        out[missing.to_numpy()] = pd.NA
        return Value("bool", out)

    def call(self, node: Call) -> Value:
        return IMPLEMENTATIONS[node.name](self, node)


def _pos(node: Node) -> int:
    if isinstance(node, Binary):
        return _pos(node.left)
    return node.pos


def _describe(node: Node) -> str:
    if isinstance(node, Column):
        return f"column '{node.name}'"
    if isinstance(node, Literal):
        if isinstance(node.value, bool):
            return "true" if node.value else "false"
        if isinstance(node.value, str):
            return f"'{node.value[:20]}'"
        return f"{node.value:g}"
    if isinstance(node, Call):
        return f"{node.name}(...)"
    return "the part at character " + str(_pos(node) + 1)


def _kind_name(kind: str) -> str:
    return {"number": "a number", "text": "text", "bool": "a condition (true/false)"}[kind]


def _blank(v: Any) -> bool:
    return v is None or v != v


def _str(v: Any) -> str:
    return v if isinstance(v, str) else str(v)


def _text_map(data: Any, fn: Callable[[str], Any]) -> Any:
    return data.map(lambda v: None if v is None or v != v else fn(str(v)))


def _text_map2(a: Any, b: Any, fn: Callable[[str, str], Any]) -> Any:
    import pandas as pd

    values = [None if x is None or y is None or x != x or y != y else fn(str(x), str(y))
              for x, y in zip(a, b)]
    return pd.Series(values, index=a.index, dtype=object)


# ---------------------------------------------------------------------------------------------
# Functions


def _constant_int(node: Node, what: str, low: int, high: int) -> int:
    if not (isinstance(node, Literal) and isinstance(node.value, float)
            and node.value == int(node.value) and low <= node.value <= high):
        raise ExprError(f"{what} must be a whole number from {low} to {high} written out",
                        _pos(node))
    return int(node.value)


def _round(ev: _Evaluator, node: Call) -> Value:
    import numpy as np

    x = ev.number(node.args[0], "round()")
    digits = _constant_int(node.args[1], "round()'s number of decimals", 0, 10) \
        if len(node.args) > 1 else 0
    scale = 10.0 ** digits
    # half away from zero, as Excel and people round (not Python's half to even); a value that
    # floating point puts within a hair of a half (1.005 * 100 = 100.49999...) is rounded from
    # its decimal digits instead, exactly
    scaled = x.abs() * scale
    # a figure too large to scale (1e300 to 10 places) has no decimals to round: kept as it is
    out = (np.floor(scaled + 0.5) / scale * np.sign(x)).where(np.isfinite(scaled), x)
    near = (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).to_numpy() & x.notna().to_numpy()
    if near.any():
        from decimal import ROUND_HALF_UP, Decimal

        step = Decimal(1).scaleb(-digits)
        exact = [float(Decimal(repr(v)).quantize(step, rounding=ROUND_HALF_UP))
                 for v in x[near]]
        out = out.copy()
        out[near] = exact
    return Value("number", out)


def _abs(ev: _Evaluator, node: Call) -> Value:
    return Value("number", ev.number(node.args[0], "abs()").abs())


def _sqrt(ev: _Evaluator, node: Call) -> Value:
    import numpy as np

    x = ev.number(node.args[0], "sqrt()")
    negative = x < 0
    ev.report.negative_roots += int(negative.sum())
    return Value("number", np.sqrt(x.where(~negative)))


def _extreme(which: str) -> Callable[[_Evaluator, Call], Value]:
    def run(ev: _Evaluator, node: Call) -> Value:
        import pandas as pd

        parts = [ev.number(arg, f"{which}()") for arg in node.args]
        frame = pd.concat(parts, axis=1)
        out = frame.min(axis=1, skipna=False) if which == "min" else frame.max(axis=1,
                                                                                skipna=False)
        return Value("number", out.astype("float64"))
    return run


def _sum(ev: _Evaluator, node: Call) -> Value:
    import pandas as pd

    x = ev.number(node.args[0], "sum()")
    return ev.finite(pd.Series(float(x.sum()), index=x.index, dtype="float64"))


def _if(ev: _Evaluator, node: Call) -> Value:
    import pandas as pd

    condition = ev.boolean(node.args[0], "if()'s first argument")
    then, other = ev.eval(node.args[1]), ev.eval(node.args[2])
    if then.kind != other.kind:
        raise ExprError(f"if() gives {_kind_name(then.kind)} when true but "
                        f"{_kind_name(other.kind)} when false; both must be of one kind",
                        node.pos)
    chosen = condition.fillna(False).to_numpy(dtype=bool)
    data = then.data.where(chosen, other.data)
    data = data.where(condition.notna().to_numpy(), None if then.kind == "text" else pd.NA)
    if then.kind == "number":
        data = data.astype("float64")
    return Value(then.kind, data)


def _text_fn(fn: Callable[[str], Any], kind: str = "text") -> Callable[[_Evaluator, Call], Value]:
    def run(ev: _Evaluator, node: Call) -> Value:
        data = _text_map(ev.text(node.args[0], f"{node.name}()"), fn)
        if kind == "text":  # lower() and upper() may lengthen text a little, never much
            ev.making(node, f"{node.name}()", _lengths(data))
        return Value(kind, _as_kind(data, kind))
    return run


def _lengths(data: Any) -> Iterable[int]:
    return (len(v) for v in data if isinstance(v, str))


def _as_kind(data: Any, kind: str) -> Any:
    if kind == "number":
        return data.astype("float64")
    if kind == "bool":
        return data.astype("boolean")
    return data


def _text_with_text(fn: Callable[[str, str], Any], kind: str = "text"
                    ) -> Callable[[_Evaluator, Call], Value]:
    def run(ev: _Evaluator, node: Call) -> Value:
        a = ev.text(node.args[0], f"{node.name}()")
        b = ev.text(node.args[1], f"{node.name}()")
        data = _text_map2(a, b, fn)
        if kind == "text":  # a part of the text: no longer than it
            ev.making(node, f"{node.name}()", _lengths(data))
        return Value(kind, _as_kind(data, kind))
    return run


def _text_with_count(fn: Callable[[str, int], str]) -> Callable[[_Evaluator, Call], Value]:
    def run(ev: _Evaluator, node: Call) -> Value:
        a = ev.text(node.args[0], f"{node.name}()")
        n = _constant_int(node.args[1], f"{node.name}()'s count", 0, 10_000)
        data = _text_map(a, lambda s: fn(s, n))
        ev.making(node, f"{node.name}()", _lengths(data))
        return Value("text", data)
    return run


def _replace(ev: _Evaluator, node: Call) -> Value:
    import pandas as pd

    a = ev.text(node.args[0], "replace()")
    old = ev.text(node.args[1], "replace()")
    new = ev.text(node.args[2], "replace()")
    rows = [(_str(x), _str(o), _str(w)) if not (_blank(x) or _blank(o) or _blank(w)) else None
            for x, o, w in zip(a, old, new)]
    # each occurrence of the old text grows the cell by what the new one adds: counted first
    ev.making(node, "replace()", (len(x) + (x.count(o) * (len(w) - len(o)) if o else 0)
                                  for x, o, w in filter(None, rows)))
    values = [None if row is None else (row[0].replace(row[1], row[2]) if row[1] else row[0])
              for row in rows]
    return Value("text", pd.Series(values, index=a.index, dtype=object))


def _text(ev: _Evaluator, node: Call) -> Value:
    value = ev.eval(node.args[0])
    if value.kind == "text":
        return value
    if value.kind == "bool":
        return Value("text", value.data.map(lambda v: None if v is None or v != v
                                            else ("true" if v else "false")).astype(object))

    def show(v: float) -> Optional[str]:
        if v != v:
            return None
        return str(int(v)) if float(v).is_integer() else format(float(v), ".15g")
    return Value("text", value.data.map(show).astype(object))


def _number(ev: _Evaluator, node: Call) -> Value:
    value = ev.eval(node.args[0])
    if value.kind == "number":
        return value
    if value.kind == "bool":
        raise ExprError("number() turns text into numbers, not conditions", node.pos)
    parsed = value.data.map(lambda v: None if v is None else to_number(str(v), ev.decimal))
    bad = value.data.notna() & parsed.isna()
    ev.report.not_numbers += int(bad.sum())
    return Value("number", parsed.astype("float64"))


def _is_blank(ev: _Evaluator, node: Call) -> Value:
    value = ev.eval(node.args[0])
    data = value.data.isna()
    if value.kind == "text":
        data = data | (value.data.map(lambda v: isinstance(v, str) and not v.strip()))
    return Value("bool", data.astype("boolean"))


def _coalesce(ev: _Evaluator, node: Call) -> Value:
    first, second = ev.eval(node.args[0]), ev.eval(node.args[1])
    if first.kind != second.kind:
        raise ExprError(f"coalesce() gives {_kind_name(first.kind)} or "
                        f"{_kind_name(second.kind)}; both must be of one kind", node.pos)
    return Value(first.kind, first.data.where(first.data.notna(), second.data))


def _before(s: str, sep: str) -> str:
    return s.split(sep, 1)[0] if sep else s


def _after(s: str, sep: str) -> str:
    return s.split(sep, 1)[1] if sep and sep in s else ""


def _before_last(s: str, sep: str) -> str:
    return s.rsplit(sep, 1)[0] if sep and sep in s else s


def _after_last(s: str, sep: str) -> str:
    return s.rsplit(sep, 1)[1] if sep and sep in s else ""


def _month_label(s: str) -> str:
    from deckgen.source.periods import month_name, parse_month

    month = parse_month(s)
    if month is None:
        raise ExprError(f"month_label() needs months written YYYY-MM, but a cell has "
                        f"'{s[:30]}'")
    return f"{month_name(month, short=True)} {month // 12}"


def _words(s: str) -> list[str]:
    return s.split()


#: How each function of the language (source/expr.py SIGNATURES) is computed.
IMPLEMENTATIONS: dict[str, Callable[[_Evaluator, Call], Value]] = {
    "round": _round,
    "abs": _abs,
    "sqrt": _sqrt,
    "min": _extreme("min"),
    "max": _extreme("max"),
    "sum": _sum,
    "if": _if,
    "coalesce": _coalesce,
    "is_blank": _is_blank,
    "text": _text,
    "number": _number,
    "lower": _text_fn(str.lower),
    "upper": _text_fn(str.upper),
    "trim": _text_fn(str.strip),
    "len": _text_fn(len, "number"),
    "left": _text_with_count(lambda s, n: s[:n]),
    "right": _text_with_count(lambda s, n: s[-n:] if n else ""),
    "first_word": _text_fn(lambda s: (_words(s) or [""])[0]),
    "last_word": _text_fn(lambda s: (_words(s) or [""])[-1]),
    "before": _text_with_text(_before),
    "after": _text_with_text(_after),
    "before_last": _text_with_text(_before_last),
    "after_last": _text_with_text(_after_last),
    "contains": _text_with_text(lambda s, p: p in s, "bool"),
    "starts_with": _text_with_text(lambda s, p: s.startswith(p), "bool"),
    "ends_with": _text_with_text(lambda s, p: s.endswith(p), "bool"),
    "replace": _replace,
    "month_label": _text_fn(_month_label),
}


def evaluate(node: Node, frame: "pd.DataFrame", budget: Optional[TextBudget] = None
             ) -> tuple[Value, Evaluation]:
    """The expression's value on every row of `frame`, and what the reader should be told.
    `budget`: what the build's expressions may still make of text (by default, a budget of
    this expression's own).

    Raises ExprError for a type mistake (text used as a number, an unknown column) or text
    too long to make, and NotNumbers when a column used as numbers holds text (the caller
    knows its rows).
    """
    evaluator = _Evaluator(frame, Evaluation(), budget or TextBudget())
    value = evaluator.eval(node)
    if value.kind == "number":  # a result too large for a number is no figure to show
        value = evaluator.finite(value.data)
    return value, evaluator.report


def expr_tree(expression: Any, names: Sequence[Any] = ()) -> Node:
    """The tree of an outline's expression (text), or a constant (a YAML number or boolean).
    With the columns it is computed over (`names`), one whose name is not a plain name
    (`2024/25`, `% change`) written bare is refused: it is read as a calculation, never as
    the column, and a derived column of it would be a wrong figure on every row."""
    if not isinstance(expression, str):
        return constant(expression)
    node = parse(expression)
    used = set(columns(node))
    # quoted text and `named columns` are not bare: blanked out, the positions kept
    bare = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", lambda m: " " * len(m.group()), expression)
    for name in map(str, names):
        if not name.strip() or _PLAIN_NAME.match(name) or name in used:
            continue
        for found in re.finditer(re.escape(name), bare):
            before = bare[found.start() - 1] if found.start() else " "
            after = bare[found.end()] if found.end() < len(bare) else " "
            if not (before.isalnum() or before in "_.") and not (after.isalnum() or after in "_."):
                raise ExprError(f"'{name}' is read here as a calculation, not the column "
                                f"'{name}': to use the column, write it in backticks: "
                                f"`{name}`", found.start())
    return node


#: A column name the expression language reads as a name when written bare
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def evaluated(node: Node, df: "pd.DataFrame", budget: Optional[TextBudget] = None
              ) -> tuple[Any, Evaluation]:
    """An expression's column as stored in a frame: numbers as floats, text as text."""
    value, report = evaluate(node, df, budget)
    data = value.data
    if value.kind == "number":
        data = data.astype(float)
    elif value.kind == "bool":
        data = data.astype(object).where(data.notna(), None)
    return data, report


def derive(df: "pd.DataFrame", expressions: Mapping[str, Any]) -> "pd.DataFrame":
    """Add computed columns, in order (later ones may use earlier ones), with no locations to
    report: for totals rows and tests. Raises ExprError or NotNumbers."""
    out = df.copy()
    for name, expression in expressions.items():
        out[name] = evaluated(expr_tree(expression, out.columns), out)[0]
    return out
