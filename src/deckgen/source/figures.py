"""Figures in text: the `{...}` placeholders of any text of the outline, read and checked.

    {district}                                   a variable
    {asb_change}                                 a figure declared under `figures:`
    {asb_change:+0.0}                            ... in a format (source/numformat.py)
    {asb[district=Southend].pct_change:0.0}      a cell: a source, the one row, a column
    {asb[total].mar_apr_2016:#,##0}              the source's totals row: as published (its
                                                 `total_row`), else its rows added up
    {asb[sum].mar_apr_2016}                      its rows added up, always
    {asb_change|down:fell|up:rose|zero:was unchanged}   words chosen by the figure's sign
    {asb_change|significant:a real fall|notable:a fall|noise:no real change}
                                                 ... or, for a figure with `change:`, by how
                                                 far its change is beyond Poisson noise

`{{` and `}}` are literal braces. Variables inside a placeholder are filled first:
`{asb[district={district}].change}`. Nothing here reads data: the values come from a
`FigureSource` (data/figures.py), so the outline stage stays free of pandas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Optional, Protocol, Union

from deckgen.errors import TextError
from deckgen.source import numformat
from deckgen.source.chartkeys import LimitsSpec
from deckgen.source.noise import LEVELS, ChangeSpec

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PLAIN = re.compile(rf"^({NAME})(?:\.({NAME}))?$")
_REF = re.compile(rf"^({NAME})\[([^\[\]]*)\]\.([^:|]+?)\s*$")
_DIRECTIONS = ("down", "up", "zero")
#: Words by a control chart's latest signal (a figure declared with `signal:`).
SIGNALS = ("high", "low", "none")


class FigureError(TextError, ValueError):
    """A placeholder that cannot be filled: the message, and where in the text (0-based)."""


@dataclass(frozen=True)
class Ref:
    """A cell of a data source: `source[key=value, ...].column`, or its totals row."""

    source: str
    where: tuple[tuple[str, str], ...]
    column: str
    total: str = ""  # 'total' (as published, else added up) or 'sum' (added up)

    def __str__(self) -> str:
        keys = self.total or ", ".join(f"{k}={v}" for k, v in self.where)
        return f"{self.source}[{keys}].{self.column}"


@dataclass(frozen=True)
class Placeholder:
    """One `{...}`: what it names (a variable or figure name, or a cell), how to show it."""

    name: str  # a variable's or a figure's name; '' for a cell
    ref: Optional[Ref]
    format: str = ""
    words: Optional[Mapping[str, str]] = None  # up/down/zero -> the words to show


class FigureSource(Protocol):
    """Where figures come from (data/figures.py): declared names, and the value of a cell;
    and the minus sign the brand shows them with."""

    @property
    def minus(self) -> str: ...

    def declared(self) -> Mapping[str, "Declared"]: ...

    def value(self, ref: Ref) -> Any: ...

    def caution(self, ref: Ref, value: Any) -> Optional[str]:
        """What is wrong with showing this cell's value in text: a count a table of the deck
        suppresses (data/figures.py); None when nothing is."""
        ...

    def signal(self, ref: Ref, limits: LimitsSpec) -> int:
        """The latest special cause of the control chart of the rows `ref` selects: +1 above
        (high), -1 below (low), 0 none (data/figures.py)."""
        ...


@dataclass(frozen=True)
class Change:
    """A declared figure's `change:`: the cells of the two counts it is the change between,
    and when that change is flagged (source/noise.py)."""

    current: Ref
    previous: Ref
    spec: ChangeSpec


@dataclass(frozen=True)
class Declared:
    """A figure declared under `figures:`: the cell it is, and its format."""

    ref: Ref
    format: str = ""
    in_percent: bool = False  # `unit: percent`: 6.4 means 6.4%, so '0.0%' shows 6.4%
    change: Optional[Change] = None
    # `minus:`: the figure is its cell less this one (a district's rate against the force's),
    # so that words can follow the sign of the difference
    minus: Optional[Ref] = None
    # a control chart's latest signal (`signal:`): `ref` selects the months, in the data's
    # order, and the figure is +1 above its normal range, -1 below, 0 within (data/spc.py)
    signal: Optional[LimitsSpec] = None


def spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each placeholder in the text, braces included; `{{`, `}}`, and a
    brace not followed by a name (JSON, `{:,.0f}`) are not placeholders."""
    i = 0
    while i < len(text):
        if text.startswith("{{", i) or text.startswith("}}", i):
            i += 2
            continue
        if text[i] == "{" and i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] == "_"):
            depth, j = 0, i
            while j < len(text):
                if text[j] == "{":
                    depth += 1
                elif text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= len(text):
                return  # an unclosed brace is text; the check reports it
            yield i, j + 1
            i = j + 1
            continue
        i += 1


def parse(body: str, pos: int = 0) -> Placeholder:
    """A placeholder's text (between its braces, variables filled); raises FigureError at the
    character (`pos` is where the body starts in its text)."""
    head, bar, words_text = body.partition("|")
    ref_text, colon, fmt = head, "", ""
    bracket = head.find("]")
    split = head.find(":", bracket + 1 if bracket >= 0 else 0)
    if split >= 0:
        ref_text, colon, fmt = head[:split], ":", head[split + 1:]
    if colon:
        try:
            numformat.parse(fmt)
        except numformat.FormatError as exc:
            raise FigureError(exc.message, pos + split + 1 + exc.pos) from None
    words = _words(words_text, pos + len(head) + 1) if bar else None
    plain = _PLAIN.match(ref_text.strip())
    if plain:
        return Placeholder(ref_text.strip(), None, fmt, words)
    match = _REF.match(ref_text.strip())
    if match is None:
        raise FigureError(f"'{{{body}}}' is not a figure: write a name ({{district}}, a figure "
                          "declared under 'figures:'), or a cell: {source[column=value].column}, "
                          "with a format after ':' ({asb_change:+0.0})", max(pos - 1, 0))
    source, selection, column = match.groups()
    return Placeholder("", _ref(source, selection, column.strip(), pos + len(source) + 1), fmt,
                       words)


def parse_ref(text: str, pos: int = 0) -> Ref:
    """A declared figure's cell, `source[key=value].column`."""
    placeholder = parse(text, pos)
    if placeholder.ref is None or placeholder.format or placeholder.words:
        raise FigureError(f"'{text}' is not a cell: write source[column=value].column, e.g. "
                          "asb[district=Southend].pct_change", pos)
    return placeholder.ref


def _ref(source: str, selection: str, column: str, pos: int) -> Ref:
    if selection.strip() in ("total", "sum"):
        return Ref(source, (), column, total=selection.strip())
    pairs: list[tuple[str, str]] = []
    offset = pos
    for part in selection.split(","):
        key, eq, value = part.partition("=")
        if not eq or not key.strip():
            raise FigureError(f"'[{selection}]' picks a row by 'column=value' (several joined "
                              "by commas), or is [total] or [sum]", offset)
        pairs.append((key.strip(), value.strip()))
        offset += len(part) + 1
    return Ref(source, tuple(pairs), column)


def _words(text: str, pos: int) -> dict[str, str]:
    """Words by the figure's sign (down, up, zero) or by how far its change is beyond noise
    (significant, notable, noise: source/noise.py), every case given."""
    words: dict[str, str] = {}
    offset = pos
    keys: tuple[str, ...] = ()
    for part in text.split("|"):
        key, colon, value = part.partition(":")
        key = key.strip()
        keys = keys or next((k for k in (_DIRECTIONS, LEVELS, SIGNALS) if key in k), ())
        if not colon or key not in keys:
            raise FigureError("words follow the figure's sign, '|down:fell|up:rose|zero:was "
                              "unchanged', its change beyond noise, '|significant:...|"
                              "notable:...|noise:...', or its control chart's signal, "
                              f"'|high:...|low:...|none:...'; '{part}' is not one of "
                              f"{', '.join(k + ':' for k in keys or _DIRECTIONS + LEVELS)}",
                              offset)
        words[key] = value
        offset += len(part) + 1
    missing = [d for d in keys if d not in words]
    if missing:
        what = "sign" if keys == _DIRECTIONS else "level of change" if keys == LEVELS \
            else "signal"
        raise FigureError(f"give words for every {what} the figure may take: add "
                          f"{', '.join(m + ':...' for m in missing)} (next month's figure may "
                          "have it)", pos)
    return words


def by_level(words: Mapping[str, str]) -> bool:
    """Whether the words are chosen by the change's level, not its sign."""
    return any(key in LEVELS for key in words)


def chosen_words(value: Any, words: Mapping[str, str]) -> str:
    """The words for the value's sign (or, for words by level, the value is the level)."""
    if by_level(words):
        return words[str(value)]
    number = float(value)
    if any(key in SIGNALS for key in words):
        return words["none" if number == 0 else "high" if number > 0 else "low"]
    return words["zero" if number == 0 else "up" if number > 0 else "down"]


# --- checking a sentence against its figure ----------------------------------------------------

_UP = re.compile(r"\b(up|rise|rises|rising|rose|risen|increase|increased|increases|increasing|"
                 r"higher|more)\b", re.IGNORECASE)
_DOWN = re.compile(r"\b(down|fall|falls|falling|fell|fallen|decrease|decreased|decreases|"
                   r"decreasing|lower|fewer|less|reduced|reduction|drop|dropped)\b",
                   re.IGNORECASE)


def contradiction(before: str, after: str, value: Union[int, float]) -> Optional[str]:
    """The direction word next to a figure that its sign contradicts ('ASB down' before
    +6.3), or None. Only the words just before the figure and the one after are read."""
    if value == 0:
        return None
    near = " ".join(before.split()[-2:]) + " " + " ".join(after.split()[:1])
    up, down = _UP.search(near), _DOWN.search(near)
    if value < 0 and up and not down:
        return up.group(0)
    if value > 0 and down and not up:
        return down.group(0)
    return None

