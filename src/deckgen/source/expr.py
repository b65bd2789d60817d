"""deckgen's expression language for `derive:` and `verify:`: parsed and checked, never executed.

An outline may come from anyone, so nothing in it is handed to Python's `eval`, pandas'
`DataFrame.eval`/`query`, or anything else that resolves names from Python scopes. Instead this
module tokenises and parses the text itself (a small recursive-descent parser with a depth
bound), refuses anything outside the grammar before any data is read, and evaluates the tree
over whole pandas columns at once.

Grammar, loosest binding first::

    expression := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("==" | "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/" | "%") unary)*
    unary      := ("-" | "+") unary | atom
    atom       := number | 'text' | "text" | true | false
                | name | `any column name` | function "(" [expression ("," expression)*] ")"
                | "(" expression ")"

A name is a column of the data source (or one derived before). Functions are only those in
FUNCTIONS. There is no attribute access, indexing, `@`, power operator or way to name anything
outside the data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from deckgen.data.cells import to_number
from deckgen.errors import did_you_mean, listing

if TYPE_CHECKING:
    import pandas as pd

#: Longer expressions are refused: a derived column is a formula, not a program.
MAX_LENGTH = 1000
#: How deeply brackets, operators and calls may nest.
MAX_DEPTH = 40
#: Digits a number may be written with (beyond that it is not a figure anyone typed).
MAX_NUMBER_DIGITS = 30


class ExprError(Exception):
    """A problem with an expression, at character `pos` (0-based) of its text."""

    def __init__(self, message: str, pos: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class NotNumbers(Exception):
    """A column used as numbers holds text: the caller names the offending cell."""

    def __init__(self, column: str, pos: int, operation: str) -> None:
        super().__init__(column)
        self.column = column
        self.pos = pos
        self.operation = operation


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass(frozen=True)
class Literal:
    value: Union[float, str, bool]
    pos: int


@dataclass(frozen=True)
class Column:
    name: str
    pos: int


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+", "not"
    operand: "Node"
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Node"
    right: "Node"
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple["Node", ...]
    pos: int


Node = Union[Literal, Column, Unary, Binary, Call]


def columns(node: Node) -> list[str]:
    """The column names an expression reads, in the order written."""
    if isinstance(node, Column):
        return [node.name]
    if isinstance(node, Unary):
        return columns(node.operand)
    if isinstance(node, Binary):
        return columns(node.left) + columns(node.right)
    if isinstance(node, Call):
        return [name for arg in node.args for name in columns(arg)]
    return []


# ---------------------------------------------------------------------------------------------
# Tokens

@dataclass(frozen=True)
class _Token:
    kind: str  # number, text, name, column (backticked), op, (, ), ",", end
    text: str
    pos: int
    value: Any = None


_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_OPERATORS = ("==", "!=", "<>", "<=", ">=", "<", ">", "=", "+", "-", "*", "/", "%")
_KEYWORDS = {"and", "or", "not", "true", "false"}

#: Characters outside the language, and what to say about them.
_REFUSED = {
    "@": "'@' is not allowed: an expression sees only the data's columns",
    ".": ("'.' is not allowed here: an expression cannot reach into anything; a column name "
          "with a dot is written in backticks, e.g. `LSOA.name`"),
    "[": "'[' is not allowed: there is no indexing; name a column, or use a function",
    "]": "']' is not allowed: there is no indexing; name a column, or use a function",
    "{": "'{' is not allowed in an expression",
    "}": "'}' is not allowed in an expression",
    ":": "':' is not allowed: there are no lambdas, slices or mappings in an expression",
    ";": "';' is not allowed: an expression is one formula",
    "\\": "'\\' is not allowed in an expression",
    "|": "'|' is not allowed: write 'or'",
    "&": "'&' is not allowed: write 'and'",
    "~": "'~' is not allowed: write 'not'",
    "^": "'^' is not allowed: there is no power operator (use sqrt() for a square root)",
    "#": "'#' is not allowed: an expression has no comments",
    "$": "'$' is not allowed in an expression",
    "?": "'?' is not allowed: write if(condition, then, else)",
}


def _is_name_start(ch: str) -> bool:
    return ch == "_" or ch.isalpha()


def _is_name_char(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            match = _NUMBER.match(text, i)
            assert match is not None
            raw = match.group(0)
            digits = sum(c.isdigit() for c in match.group(1))
            if digits > MAX_NUMBER_DIGITS:
                raise ExprError(f"the number {raw[:12]}... has more than {MAX_NUMBER_DIGITS} "
                                "digits", i)
            value = float(raw)
            if not math.isfinite(value):
                raise ExprError(f"the number {raw} is too large", i)
            out.append(_Token("number", raw, i, value))
            i = match.end()
            if i < n and _is_name_start(text[i]):
                raise ExprError(f"'{raw}{text[i]}' is not a number or a name; put an operator "
                                "between them", i)
            continue
        if ch in "'\"":
            j, chars = i + 1, []
            while True:
                if j >= n:
                    raise ExprError(f"the text opened with {ch} here is not closed", i)
                if text[j] == ch:
                    if j + 1 < n and text[j + 1] == ch:  # a doubled quote is the quote itself
                        chars.append(ch)
                        j += 2
                        continue
                    break
                chars.append(text[j])
                j += 1
            out.append(_Token("text", text[i:j + 1], i, "".join(chars)))
            i = j + 1
            continue
        if ch == "`":
            j = text.find("`", i + 1)
            if j < 0:
                raise ExprError("the column name opened with ` here is not closed", i)
            name = text[i + 1:j]
            if not name.strip():
                raise ExprError("`` names no column", i)
            out.append(_Token("column", text[i:j + 1], i, name))
            i = j + 1
            continue
        if _is_name_start(ch):
            j = i + 1
            while j < n and _is_name_char(text[j]):
                j += 1
            word = text[i:j]
            if word.startswith("__"):
                raise ExprError(f"'{word}': names starting with '__' are not allowed", i)
            out.append(_Token("name", word, i, word))
            i = j
            continue
        if text.startswith("**", i):
            raise ExprError("'**' is not allowed: there is no power operator (use sqrt() for "
                            "a square root, or write the multiplication out)", i)
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op is not None:
            out.append(_Token("op", op, i))
            i += len(op)
            continue
        if ch in "(),":
            out.append(_Token(ch, ch, i))
            i += 1
            continue
        if ch == "!":
            raise ExprError("'!' is not allowed: write 'not', or '!=' for 'is not equal to'", i)
        message = _REFUSED.get(ch, f"'{ch}' is not allowed in an expression")
        raise ExprError(message, i)
    out.append(_Token("end", "", n))
    return out


# ---------------------------------------------------------------------------------------------
# The parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def word(self, *words: str) -> bool:
        t = self.token
        return t.kind == "name" and t.text.lower() in words

    def deeper(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"the expression nests more than {MAX_DEPTH} levels deep; split it "
                            "into several derived columns", pos)

    def parse(self) -> Node:
        node = self.or_()
        t = self.token
        if t.kind != "end":
            raise ExprError(self.unexpected(t, "an operator or the end of the expression"),
                            t.pos)
        return node

    def unexpected(self, t: _Token, wanted: str) -> str:
        if t.kind == "end":
            return f"the expression ends too soon; expected {wanted}"
        shown = t.text if len(t.text) <= 30 else t.text[:27] + "..."
        if t.kind == "name" and t.text in ("if", "else", "lambda", "for", "in", "is",
                                            "import"):
            hint = ("; write if(condition, then, else)" if t.text in ("if", "else")
                    else "; expressions have no Python keywords")
            return f"unexpected '{shown}'{hint}"
        return f"expected {wanted}, found '{shown}'"

    def or_(self) -> Node:
        node = self.and_()
        while self.word("or"):
            t = self.take()
            node = Binary("or", node, self.and_(), t.pos)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.word("and"):
            t = self.take()
            node = Binary("and", node, self.not_(), t.pos)
        return node

    def not_(self) -> Node:
        if self.word("not"):
            t = self.take()
            self.deeper(t.pos)
            node: Node = Unary("not", self.not_(), t.pos)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        t = self.token
        if t.kind == "op" and t.text in ("==", "=", "!=", "<>", "<", "<=", ">", ">="):
            self.take()
            op = {"=": "==", "<>": "!="}.get(t.text, t.text)
            node = Binary(op, node, self.sum(), t.pos)
            after = self.token
            if after.kind == "op" and after.text in ("==", "=", "!=", "<>", "<", "<=", ">",
                                                     ">="):
                raise ExprError("comparisons cannot be chained; write a < b and b < c",
                                after.pos)
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            t = self.take()
            node = Binary(t.text, node, self.product(), t.pos)
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.token.kind == "op" and self.token.text in ("*", "/", "%"):
            t = self.take()
            node = Binary(t.text, node, self.unary(), t.pos)
        return node

    def unary(self) -> Node:
        t = self.token
        if t.kind == "op" and t.text in ("-", "+"):
            self.take()
            self.deeper(t.pos)
            node: Node = Unary(t.text, self.unary(), t.pos)
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        t = self.take()
        if t.kind == "number":
            return Literal(float(t.value), t.pos)
        if t.kind == "text":
            return Literal(str(t.value), t.pos)
        if t.kind == "column":
            return Column(str(t.value), t.pos)
        if t.kind == "(":
            self.deeper(t.pos)
            node = self.or_()
            close = self.take()
            if close.kind != ")":
                raise ExprError(self.unexpected(close, "')' to close the '(' at character "
                                                f"{t.pos + 1}"), close.pos)
            self.depth -= 1
            return node
        if t.kind == "name":
            lower = t.text.lower()
            if self.token.kind == "(":
                return self.call(t)
            if lower in ("true", "false"):
                return Literal(lower == "true", t.pos)
            if lower in _KEYWORDS:
                raise ExprError(f"'{t.text}' needs something on each side", t.pos)
            if t.text in FUNCTIONS:
                raise ExprError(f"'{t.text}' is a function: write {t.text}(...); a column "
                                f"named {t.text} is written `{t.text}`", t.pos)
            return Column(t.text, t.pos)
        raise ExprError(self.unexpected(t, "a number, 'text', a column name or '('"), t.pos)

    def call(self, name: _Token) -> Node:
        function = FUNCTIONS.get(name.text.lower())
        if function is None:
            raise ExprError(f"unknown function '{name.text}'"
                            f"{did_you_mean(name.text.lower(), FUNCTIONS)}; functions are: "
                            f"{', '.join(sorted(FUNCTIONS))}", name.pos)
        open_ = self.take()
        self.deeper(open_.pos)
        args: list[Node] = []
        if self.token.kind != ")":
            while True:
                args.append(self.or_())
                if self.token.kind == ",":
                    self.take()
                    continue
                break
        close = self.take()
        if close.kind != ")":
            raise ExprError(self.unexpected(close, f"',' or ')' to close {name.text}("),
                            close.pos)
        self.depth -= 1
        low, high = function.arity
        if not low <= len(args) <= (high if high >= 0 else len(args)):
            raise ExprError(f"{name.text}() takes {function.usage}", name.pos)
        return Call(name.text.lower(), tuple(args), name.pos)


@lru_cache(maxsize=512)
def parse(text: str) -> Node:
    """The tree of an expression, or ExprError saying what is wrong and where."""
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is {len(text):,} characters long; at most "
                        f"{MAX_LENGTH:,} (split it into several derived columns)", MAX_LENGTH)
    if not text.strip():
        raise ExprError("the expression is empty")
    return _Parser(text).parse()


def constant(value: Union[str, int, float, bool]) -> Node:
    """A YAML number or true/false written in place of an expression: a constant column."""
    if isinstance(value, bool):
        return Literal(value, 0)
    return Literal(float(value), 0)


# ---------------------------------------------------------------------------------------------
# Evaluation over columns


@dataclass(frozen=True)
class Value:
    """A column of results: kind is 'number' (float64, NaN for none), 'text' (object, None for
    none) or 'bool' (pandas' nullable boolean)."""

    kind: str
    data: Any  # a pandas Series over the frame's index


@dataclass
class Evaluation:
    """What evaluating an expression found that the reader should hear about."""

    divided_by_zero: int = 0  # rows
    first_zero_row: Optional[int] = None  # position of the first such row
    invalid: int = 0  # rows where a function had no answer (sqrt of a negative number)


class _Evaluator:
    def __init__(self, frame: "pd.DataFrame", report: Evaluation) -> None:
        self.frame = frame
        self.report = report

    def number(self, node: Node, operation: str) -> Any:
        value = self.eval(node)
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
            raise ExprError(f"unknown column '{node.name}'; columns are: "
                            f"{listing(known)}{did_you_mean(node.name, known)}", node.pos)
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
        if op == "+":
            left = self.eval(node.left)
            if left.kind == "text":
                right = self.text(node.right, "'+' after text")
                return Value("text", _text_map2(left.data, right, lambda a, b: a + b))
        shown = {"+": "'+'", "-": "'-'", "*": "'*'", "/": "'/'", "%": "'%'"}[op]
        a = self.number(node.left, shown)
        b = self.number(node.right, shown)
        if op == "+":
            return Value("number", a + b)
        if op == "-":
            return Value("number", a - b)
        if op == "*":
            return Value("number", a * b)
        zero = b == 0
        if zero.any():
            self.report.divided_by_zero += int(zero.sum())
            if self.report.first_zero_row is None:
                self.report.first_zero_row = int(zero.to_numpy().argmax())
        safe = b.where(~zero)
        return Value("number", a / safe if op == "/" else a % safe)

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
        return FUNCTIONS[node.name].run(self, node)


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


def _text_map(data: Any, fn: Callable[[str], Any]) -> Any:
    return data.map(lambda v: None if v is None or v != v else fn(str(v)))


def _text_map2(a: Any, b: Any, fn: Callable[[str, str], Any]) -> Any:
    import pandas as pd

    values = [None if x is None or y is None or x != x or y != y else fn(str(x), str(y))
              for x, y in zip(a, b)]
    return pd.Series(values, index=a.index, dtype=object)


# ---------------------------------------------------------------------------------------------
# Functions


@dataclass(frozen=True)
class Function:
    arity: tuple[int, int]  # (least, most); most -1 = any number
    usage: str
    summary: str
    run: Callable[[_Evaluator, Call], Value]


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
    # half away from zero, as Excel and people round (not Python's half to even)
    scaled = np.floor(x.abs() * scale + 0.5 + 1e-9) / scale
    return Value("number", scaled * np.sign(x))


def _abs(ev: _Evaluator, node: Call) -> Value:
    return Value("number", ev.number(node.args[0], "abs()").abs())


def _sqrt(ev: _Evaluator, node: Call) -> Value:
    import numpy as np

    x = ev.number(node.args[0], "sqrt()")
    negative = x < 0
    ev.report.invalid += int(negative.sum())
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
    return Value("number", pd.Series(float(x.sum()), index=x.index, dtype="float64"))


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
        return Value(kind, _as_kind(data, kind))
    return run


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
        return Value(kind, _as_kind(_text_map2(a, b, fn), kind))
    return run


def _text_with_count(fn: Callable[[str, int], str]) -> Callable[[_Evaluator, Call], Value]:
    def run(ev: _Evaluator, node: Call) -> Value:
        a = ev.text(node.args[0], f"{node.name}()")
        n = _constant_int(node.args[1], f"{node.name}()'s count", 0, 10_000)
        return Value("text", _text_map(a, lambda s: fn(s, n)))
    return run


def _replace(ev: _Evaluator, node: Call) -> Value:
    import pandas as pd

    a = ev.text(node.args[0], "replace()")
    old = ev.text(node.args[1], "replace()")
    new = ev.text(node.args[2], "replace()")
    values = [None if x is None or o is None or w is None else (str(x).replace(str(o), str(w))
                                                                 if o else str(x))
              for x, o, w in zip(a, old, new)]
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
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    return Value("text", value.data.map(show).astype(object))


def _number(ev: _Evaluator, node: Call) -> Value:
    value = ev.eval(node.args[0])
    if value.kind == "number":
        return value
    if value.kind == "bool":
        raise ExprError("number() turns text into numbers, not conditions", node.pos)
    parsed = value.data.map(lambda v: None if v is None else to_number(str(v)))
    bad = value.data.notna() & parsed.isna()
    ev.report.invalid += int(bad.sum())
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


def _words(s: str) -> list[str]:
    return s.split()


FUNCTIONS: dict[str, Function] = {
    "round": Function((1, 2), "a number and, optionally, how many decimals: round(x, 1)",
                      "rounds half away from zero, as Excel does", _round),
    "abs": Function((1, 1), "one number: abs(x)", "the size of a number, without its sign",
                    _abs),
    "sqrt": Function((1, 1), "one number: sqrt(x)",
                     "the square root (no value for a negative number)", _sqrt),
    "min": Function((2, -1), "two or more numbers: min(a, b)", "the smallest, row by row",
                    _extreme("min")),
    "max": Function((2, -1), "two or more numbers: max(a, b)", "the largest, row by row",
                    _extreme("max")),
    "sum": Function((1, 1), "one column: sum(x)",
                    "the column's total, on every row (for shares: x / sum(x) * 100)", _sum),
    "if": Function((3, 3), "a condition and two values: if(x > 0, 'up', 'down')",
                   "the second argument where the condition holds, else the third", _if),
    "coalesce": Function((2, 2), "two values: coalesce(x, 0)",
                         "the first value, or the second where the first is blank", _coalesce),
    "is_blank": Function((1, 1), "one value: is_blank(x)", "true where the cell is empty",
                         _is_blank),
    "text": Function((1, 1), "one value: text(x)",
                     "a number as text (12, not 12.0), for joining with +", _text),
    "number": Function((1, 1), "one text: number(x)",
                       "text read as a number the way CSV cells are ('1,234' is 1234)",
                       _number),
    "lower": Function((1, 1), "one text: lower(x)", "lower case", _text_fn(str.lower)),
    "upper": Function((1, 1), "one text: upper(x)", "upper case", _text_fn(str.upper)),
    "trim": Function((1, 1), "one text: trim(x)", "without spaces at either end",
                     _text_fn(str.strip)),
    "len": Function((1, 1), "one text: len(x)", "how many characters",
                    _text_fn(len, "number")),
    "left": Function((2, 2), "a text and a count: left(x, 3)", "the first n characters",
                     _text_with_count(lambda s, n: s[:n])),
    "right": Function((2, 2), "a text and a count: right(x, 3)", "the last n characters",
                      _text_with_count(lambda s, n: s[-n:] if n else "")),
    "first_word": Function((1, 1), "one text: first_word(x)", "the first word",
                           _text_fn(lambda s: (_words(s) or [""])[0])),
    "last_word": Function((1, 1), "one text: last_word(x)", "the last word",
                          _text_fn(lambda s: (_words(s) or [""])[-1])),
    "before": Function((2, 2), "a text and a separator: before(x, ' ')",
                       "the text before the first separator (all of it if there is none)",
                       _text_with_text(_before)),
    "after": Function((2, 2), "a text and a separator: after(x, ' ')",
                      "the text after the first separator (empty if there is none)",
                      _text_with_text(_after)),
    "before_last": Function((2, 2), "a text and a separator: before_last(x, ' ')",
                            "the text before the last separator: before_last('Medway 012B', "
                            "' ') is Medway", _text_with_text(_before_last)),
    "after_last": Function((2, 2), "a text and a separator: after_last(x, ' ')",
                           "the text after the last separator", _text_with_text(_after_last)),
    "contains": Function((2, 2), "a text and a part: contains(x, 'Burglary')",
                         "true where the text contains the part",
                         _text_with_text(lambda s, p: p in s, "bool")),
    "starts_with": Function((2, 2), "a text and a start: starts_with(x, 'Medway')",
                            "true where the text starts with it",
                            _text_with_text(lambda s, p: s.startswith(p), "bool")),
    "ends_with": Function((2, 2), "a text and an end: ends_with(x, 'B')",
                          "true where the text ends with it",
                          _text_with_text(lambda s, p: s.endswith(p), "bool")),
    "replace": Function((3, 3), "a text, what to find and what to put: replace(x, '-', ' ')",
                        "every occurrence replaced", _replace),
}


def evaluate(node: Node, frame: "pd.DataFrame") -> tuple[Value, Evaluation]:
    """The expression's value on every row of `frame`, and what the reader should be told.

    Raises ExprError for a type mistake (text used as a number, an unknown column), and
    NotNumbers when a column used as numbers holds text (the caller knows its rows).
    """
    report = Evaluation()
    return _Evaluator(frame, report).eval(node), report
