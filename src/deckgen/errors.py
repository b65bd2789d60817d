"""Errors as values: every user mistake is a Problem with a location, raised as DeckError."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Optional

#: How bad a problem is: an error stops the build; a warning is said, and the deck is written
#: (with --strict, warnings are errors too).
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Location:
    """Where in the user's files a problem is: file, 1-based line and column (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0
    cell: str = ""  # in a workbook: Sheet1!C7, shown instead of line and column

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}"
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class SlideLabel(str):
    """How messages name a slide of the outline ('slide 3 (table)', or 'slide 3' before its
    kind is known), knowing which slide it names (`slide`, from 0): a Problem given one as its
    context keeps the slide's index (Problem.slide), so problems are put in slide order
    without their text being read back. Everywhere else it is the text it shows."""

    slide: int
    kind: Optional[str]

    def __new__(cls, index: int, kind: Optional[str] = None) -> "SlideLabel":
        label = super().__new__(cls, f"slide {index + 1}" if kind is None
                                else f"slide {index + 1} ({kind})")
        label.slide, label.kind = index, kind
        return label

    def __reduce__(self) -> tuple[type["SlideLabel"], tuple[int, Optional[str]]]:
        return SlideLabel, (self.slide, self.kind)  # for a batch's worker processes


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's deck, its data or its assets."""

    message: str
    location: Location | None = None
    context: str = ""  # e.g. "slide 3 (table)": a SlideLabel where it names a slide
    #: the outline's slide the problem is about (0-based), None for the deck's own fields,
    #: its data and its brand; taken from the context where that is a SlideLabel
    slide: Optional[int] = None
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.slide is None and isinstance(self.context, SlideLabel):
            object.__setattr__(self, "slide", self.context.slide)

    def __str__(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(str(self.location))
        if self.context:
            parts.append(self.context)
        parts.append(self.message)
        return ": ".join(parts)


class TextError(Exception):
    """A problem at character `pos` (0-based) of a text the user wrote (an expression, a
    number format, a placeholder), until the outline's loader locates it in the file."""

    def __init__(self, message: str, pos: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass
class DeckError(Exception):
    """The one exception library code raises for user errors; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(
        cls, message: str, location: Location | None = None, context: str = ""
    ) -> "DeckError":
        return cls([Problem(message, location, context)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def shown_path(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' did you mean ...?' suffix for the closest choice, or '' when none is close. Case
    does not count in how close a choice is ('BASILDON' is nearest 'Basildon')."""
    folded: dict[str, str] = {}
    for choice in choices:
        folded.setdefault(choice.casefold(), choice)
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean '{folded[close[0]]}'?" if close else ""


#: How a message shows a blank cell or key.
BLANK = "(blank)"


def excerpt(value: object, limit: int = 40) -> str:
    """A short, printable excerpt of text from a user's file, for a message.

    Messages quote data (a column name, a cell) to say what is wrong; they must never dump a
    file's content, and a file that is not what the outline says (a symlinked password file, a
    binary) must not fill the terminal with it. Control characters become '?', and text longer
    than `limit` is cut with '...'. A blank (None, or a missing number: NaN, pandas' NA) is
    '(blank)', never 'nan'.
    """
    if value is None or (isinstance(value, float) and value != value) or \
            type(value).__name__ in ("NAType", "NaTType"):
        return BLANK
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def listing(items: Iterable[object], limit: int = 10) -> str:
    """Values for a message, each excerpted, cut after `limit`: 'a, b, c and 1,067 more'."""
    values = list(items)
    shown = ", ".join(excerpt(v) for v in values[:limit])
    more = len(values) - limit
    return f"{shown} and {more:,} more" if more > 0 else shown


def type_name(value: object) -> str:
    """What a YAML value is, in a user's words: text, number, list, mapping..."""
    return {list: "list", dict: "mapping", str: "text", int: "number", float: "number",
            bool: "true/false", type(None): "empty value"}.get(type(value), type(value).__name__)
