"""deckgen's expression language for `derive:` and `verify:`: parsed and checked, never executed.

An outline may come from anyone, so nothing in it is handed to Python's `eval`, pandas'
`DataFrame.eval`/`query`, or anything else that resolves names from Python scopes. Instead this
module tokenises and parses the text itself (a small recursive-descent parser with a depth
bound) and refuses anything outside the grammar when the outline is loaded, before any data is
read; data/evaluate.py evaluates the tree over whole pandas columns at once.

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
SIGNATURES. There is no attribute access, indexing, `@`, power operator or way to name anything
outside the data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Union

from deckgen.errors import TextError, did_you_mean

#: Longer expressions are refused: a derived column is a formula, not a program.
MAX_LENGTH = 1000
#: How deeply brackets, operators and calls may nest.
MAX_DEPTH = 40
#: Digits a number may be written with (beyond that it is not a figure anyone typed).
MAX_NUMBER_DIGITS = 30
#: Operators in one expression (a chain of them is evaluated one inside the other).
MAX_OPERATORS = 100


class ExprError(TextError):
    """A problem with an expression, at character `pos` (0-based) of its text."""


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


_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_DIGITS = "0123456789"
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
    return ch == "_" or ch.isalpha() or ch in _DIGITS


def _tokens(text: str) -> list[_Token]:
    """The expression's tokens, then an `end` token. The first character of each says which
    class of token it starts, and each class has its own reader below: what a number, a quoted
    text, a backticked column, a name or a symbol may be, and the message when it is not one,
    stand in one place each."""
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        token, i = _reader(text, i)(text, i)
        out.append(token)
    out.append(_Token("end", "", n))
    return out


#: A reader of one token class: (text, where the token starts) -> (the token, where it ends).
_Reader = Callable[[str, int], tuple[_Token, int]]


def _reader(text: str, i: int) -> _Reader:
    """The reader of the token that starts at character `i`, by its first character."""
    ch = text[i]
    if ch in _DIGITS or (ch == "." and i + 1 < len(text) and text[i + 1] in _DIGITS):
        return _number_token
    if ch in "'\"":
        return _text_token
    if ch == "`":
        return _column_token
    if _is_name_start(ch):
        return _name_token
    return _symbol_token


def _number_token(text: str, i: int) -> tuple[_Token, int]:
    """A number as people type one (12, 0.5, .5, 1e3): never more than MAX_NUMBER_DIGITS
    digits or too large for a float, and never run into a name (`2x` is a slip, not 2 * x)."""
    match = _NUMBER.match(text, i)
    assert match is not None
    raw = match.group(0)
    digits = sum(c in _DIGITS for c in match.group(1))
    if digits > MAX_NUMBER_DIGITS:
        raise ExprError(f"the number {raw[:12]}... has more than {MAX_NUMBER_DIGITS} "
                        "digits", i)
    value = float(raw)
    if not math.isfinite(value):
        raise ExprError(f"the number {raw} is too large", i)
    end = match.end()
    if end < len(text) and _is_name_start(text[end]):
        raise ExprError(f"'{raw}{text[end]}' is not a number or a name; put an operator "
                        "between them", end)
    return _Token("number", raw, i, value), end


def _text_token(text: str, i: int) -> tuple[_Token, int]:
    """A text in single or double quotes, as in a spreadsheet: the quote written twice stands
    for itself ('it''s'); there are no backslash escapes to get wrong."""
    quote, n = text[i], len(text)
    j, chars = i + 1, []
    while True:
        if j >= n:
            raise ExprError(f"the text opened with {quote} here is not closed", i)
        if text[j] == quote:
            if j + 1 < n and text[j + 1] == quote:  # a doubled quote is the quote itself
                chars.append(quote)
                j += 2
                continue
            break
        chars.append(text[j])
        j += 1
    return _Token("text", text[i:j + 1], i, "".join(chars)), j + 1


def _column_token(text: str, i: int) -> tuple[_Token, int]:
    """A column named in backticks: any name a data file's header may hold (`LSOA.name`,
    `2016 count`), read as written."""
    j = text.find("`", i + 1)
    if j < 0:
        raise ExprError("the column name opened with ` here is not closed", i)
    name = text[i + 1:j]
    if not name.strip():
        raise ExprError("`` names no column", i)
    return _Token("column", text[i:j + 1], i, name), j + 1


def _name_token(text: str, i: int) -> tuple[_Token, int]:
    """A word: a column, a function or a keyword (the parser tells which). Names starting with
    '__' are refused outright: they are how Python code reaches its internals."""
    j, n = i + 1, len(text)
    while j < n and _is_name_char(text[j]):
        j += 1
    word = text[i:j]
    if word.startswith("__"):
        raise ExprError(f"'{word}': names starting with '__' are not allowed", i)
    return _Token("name", word, i, word), j


def _symbol_token(text: str, i: int) -> tuple[_Token, int]:
    """An operator, a bracket or a comma; any other character is outside the language, and
    the message says what to write instead (Python's and Excel's spellings in particular)."""
    if text.startswith("**", i):
        raise ExprError("'**' is not allowed: there is no power operator (use sqrt() for "
                        "a square root, or write the multiplication out)", i)
    op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
    if op is not None:
        return _Token("op", op, i), i + len(op)
    ch = text[i]
    if ch in "(),":
        return _Token(ch, ch, i), i + 1
    if ch == "!":
        raise ExprError("'!' is not allowed: write 'not', or '!=' for 'is not equal to'", i)
    raise ExprError(_REFUSED.get(ch, f"'{ch}' is not allowed in an expression"), i)


# ---------------------------------------------------------------------------------------------
# Functions: what each takes (checked when parsing); data/evaluate.py computes them


@dataclass(frozen=True)
class Signature:
    arity: tuple[int, int]  # (least, most); most -1 = any number
    usage: str


#: Each function and what it takes (said when a call is wrong); a comment says what it gives.
SIGNATURES: dict[str, Signature] = {
    # rounds half away from zero, as Excel does
    "round": Signature((1, 2), "a number and, optionally, how many decimals: round(x, 1)"),
    # the size of a number, without its sign
    "abs": Signature((1, 1), "one number: abs(x)"),
    # the square root (no value for a negative number)
    "sqrt": Signature((1, 1), "one number: sqrt(x)"),
    # the smallest, row by row
    "min": Signature((2, -1), "two or more numbers: min(a, b)"),
    # the largest, row by row
    "max": Signature((2, -1), "two or more numbers: max(a, b)"),
    # the column's total, on every row (for shares: x / sum(x) * 100)
    "sum": Signature((1, 1), "one column: sum(x)"),
    # the second argument where the condition holds, else the third
    "if": Signature((3, 3), "a condition and two values: if(x > 0, 'up', 'down')"),
    # the first value, or the second where the first is blank
    "coalesce": Signature((2, 2), "two values: coalesce(x, 0)"),
    # true where the cell is empty
    "is_blank": Signature((1, 1), "one value: is_blank(x)"),
    # a number as text (12, not 12.0), for joining with +
    "text": Signature((1, 1), "one value: text(x)"),
    # text read as a number the way CSV cells are ('1,234' is 1234)
    "number": Signature((1, 1), "one text: number(x)"),
    # lower case
    "lower": Signature((1, 1), "one text: lower(x)"),
    # upper case
    "upper": Signature((1, 1), "one text: upper(x)"),
    # without spaces at either end
    "trim": Signature((1, 1), "one text: trim(x)"),
    # how many characters
    "len": Signature((1, 1), "one text: len(x)"),
    # the first n characters
    "left": Signature((2, 2), "a text and a count: left(x, 3)"),
    # the last n characters
    "right": Signature((2, 2), "a text and a count: right(x, 3)"),
    # the first word
    "first_word": Signature((1, 1), "one text: first_word(x)"),
    # the last word
    "last_word": Signature((1, 1), "one text: last_word(x)"),
    # the text before the first separator (all of it if there is none)
    "before": Signature((2, 2), "a text and a separator: before(x, ' ')"),
    # the text after the first separator (empty if there is none)
    "after": Signature((2, 2), "a text and a separator: after(x, ' ')"),
    # the text before the last separator: before_last('Medway 012B', ' ') is Medway
    "before_last": Signature((2, 2), "a text and a separator: before_last(x, ' ')"),
    # the text after the last separator
    "after_last": Signature((2, 2), "a text and a separator: after_last(x, ' ')"),
    # true where the text contains the part
    "contains": Signature((2, 2), "a text and a part: contains(x, 'Burglary')"),
    # true where the text starts with it
    "starts_with": Signature((2, 2), "a text and a start: starts_with(x, 'Medway')"),
    # true where the text ends with it
    "ends_with": Signature((2, 2), "a text and an end: ends_with(x, 'B')"),
    # every occurrence replaced
    "replace": Signature((3, 3), "a text, what to find and what to put: replace(x, '-', ' ')"),
    # a month (2016-04) as people write it on a chart: Apr 2016
    "month_label": Signature((1, 1), "a month: month_label(Month)"),
}


# ---------------------------------------------------------------------------------------------
# The parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0
        self.operators = 0

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

    def operator(self, pos: int) -> None:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise ExprError(f"the expression has more than {MAX_OPERATORS} operators; split it "
                            "into several derived columns", pos)

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

    def chain(self, operand: Callable[[], Node], ops: tuple[str, ...], words: bool) -> Node:
        """Operands joined by operators of one precedence, left to right: a - b - c."""
        node = operand()
        while (self.word(*ops) if words else
               self.token.kind == "op" and self.token.text in ops):
            t = self.take()
            self.operator(t.pos)
            node = Binary(t.text.lower() if words else t.text, node, operand(), t.pos)
        return node

    def or_(self) -> Node:
        return self.chain(self.and_, ("or",), words=True)

    def and_(self) -> Node:
        return self.chain(self.not_, ("and",), words=True)

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
        return self.chain(self.product, ("+", "-"), words=False)

    def product(self) -> Node:
        return self.chain(self.unary, ("*", "/", "%"), words=False)

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
            if t.text in SIGNATURES:
                raise ExprError(f"'{t.text}' is a function: write {t.text}(...); a column "
                                f"named {t.text} is written `{t.text}`", t.pos)
            return Column(t.text, t.pos)
        raise ExprError(self.unexpected(t, "a number, 'text', a column name or '('"), t.pos)

    def call(self, name: _Token) -> Node:
        function = SIGNATURES.get(name.text.lower())
        if function is None:
            raise ExprError(f"unknown function '{name.text}'"
                            f"{did_you_mean(name.text.lower(), SIGNATURES)}; functions are: "
                            f"{', '.join(sorted(SIGNATURES))}", name.pos)
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
