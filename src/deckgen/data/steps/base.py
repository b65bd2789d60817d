"""What a step is and what it is given: the step object (`Step`), the run that locates its
messages (`Run`), where rows came from (`Origin`), and the column readers the steps share.

A step is one object: its model (what the outline may say, source/steps.py), how it runs, how
the columns it makes add up in a totals row, and the columns it reads. Anything that works
over every step (running them, working out the columns a source needs, the data guide's table)
asks the step, so adding one is one object and one `register` (data/steps/__init__.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Generic,
    Mapping,
    Optional,
    Protocol,
    TypeVar,
)

from deckgen.data.cells import to_number
from deckgen.data.evaluate import TextBudget
from deckgen.data.frames import TotalRule, value_text
from deckgen.data.header import columns_are
from deckgen.errors import DeckError, Location, Problem, excerpt
from deckgen.source.expr import ExprError
from deckgen.source.periods import Window
from deckgen.source.steps import StepSpec

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


@dataclass
class Coverage:
    """Which periods a source's data covers, and what its slides must say about it.

    A month with no file or no rows is no data, never zero: the months are those of the rows
    the source started with (its root's, before any step), so a filter to one crime type does
    not turn a quiet month into a missing one. A window that accepts partial coverage leaves
    its statement in `notes` ("12 months to October 2025: 11 of 12 months; November 2024 not
    published"), and, when rows are filtered to it, the months it covers (`scale`), which a
    `rate` uses to give an annual figure."""

    start: Optional["pd.DataFrame"] = None
    notes: list[str] = field(default_factory=list)
    scale: Optional[tuple[int, int]] = None  # (months covered, months of the window)
    _months: dict[str, Optional[frozenset[int]]] = field(default_factory=dict)

    def months(self, column: str, span: Callable[[str], Optional[tuple[int, int]]]
               ) -> Optional[frozenset[int]]:
        """The months the starting rows' `column` covers (None when they have no such column,
        or a value that is not a period)."""
        if column not in self._months:
            self._months[column] = self._read(column, span)
        return self._months[column]

    def _read(self, column: str, span: Callable[[str], Optional[tuple[int, int]]]
              ) -> Optional[frozenset[int]]:
        if self.start is None or column not in self.start.columns:
            return None
        found: set[int] = set()
        for value in self.start[column].dropna().unique():
            spanned = span(str(value))
            if spanned is None:
                return None
            found.update(range(spanned[0], spanned[1] + 1))
        return frozenset(found)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def frozen(self, span: Callable[[str], Optional[tuple[int, int]]]) -> "Coverage":
        """This coverage without the starting rows (a raw extract of millions of rows is not
        kept for it): the months of every column that holds periods, worked out now, for the
        sources made from this one."""
        months = dict(self._months)
        if self.start is not None:
            for column in self.start.columns:
                filled = self.start[column].dropna()
                if len(filled) and column not in months and span(str(filled.iloc[0])):
                    months[column] = self._read(column, span)
        return Coverage(None, list(self.notes), self.scale, months)

    def inherited(self) -> "Coverage":
        """The coverage a source made `from:` this one starts with."""
        return Coverage(self.start, list(self.notes), self.scale, dict(self._months))


@dataclass(frozen=True)
class StepContext:
    """What the steps of one data source may use."""

    name: str  # the data source
    locate: Callable[[tuple[Any, ...], int], Optional[Location]]  # a key of the source, a char
    windows: Mapping[str, Window]
    frame_of: Callable[[str], "pd.DataFrame"]  # another source's rows (for a join)
    #: the text the build's expressions may still make (shared with the other sources)
    text: TextBudget = field(default_factory=TextBudget)
    #: the periods the source's data covers, and what its slides must say of them
    coverage: Coverage = field(default_factory=Coverage)


@dataclass
class Run:
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
        """A column the step names must be there; if not, the message lists every column
        (all a record file has, not only those read) and says when a known format reads the
        file's name under another ('Number of Offences' is named 'Offence Count' here)."""
        if name in df.columns:
            return
        known = [str(c) for c in df.columns]
        whole = [str(c) for c in df.attrs.get("deckgen.columns", ())]
        if whole and set(known) <= set(whole):  # still the file's columns, some not read
            known = whole
        renamed = df.attrs.get("deckgen.renamed", {}).get(name.strip().lower())
        if renamed is not None and renamed in known:
            raise self.error(f"'{excerpt(name)}' is named '{renamed}' here (deckgen reads "
                             f"every edition's columns under the current names): write "
                             f"'{renamed}'; {columns_are(known, '', 'the columns are')}", *key)
        raise self.error(f"no column '{excerpt(name)}' here; "
                         f"{columns_are(known, name, 'the columns are')}", *key)


S = TypeVar("S", bound=StepSpec)
#: What a step gives: the rows after it, and its warnings.
Result = tuple["pd.DataFrame", list[Problem]]


class Step(Generic[S]):
    """One step of a data source. A subclass names its model (`spec`) and says how it runs;
    the rest has defaults: it reads no column, makes no new rows, and leaves how the columns
    add up as it found it."""

    spec: type[S]
    #: the data guide's row for it (docs/data.md, `guide_table`): an example, and what it does
    example: ClassVar[str] = ""
    does: ClassVar[str] = ""
    #: its rows are new ones (a group's, a pivot's), so a problem with one points at the step
    makes_rows: ClassVar[bool] = False
    #: after it the rows have only the columns it names or makes (group, pivot, select): a
    #: column no step has read by then never reaches a slide, and need not be read from a file
    keeps_only_its_columns: ClassVar[bool] = False

    @property
    def name(self) -> str:
        return self.spec.key()

    def run(self, df: "pd.DataFrame", origin: Origin, args: S, run: Run) -> Result:
        """The rows after the step, and its warnings; a problem is a DeckError at its place
        (`run.error`), or at the row's own place (`origin.where`)."""
        raise NotImplementedError

    def reads(self, args: S) -> set[str]:
        """The columns it reads of the rows it is given."""
        return set()

    def made_rules(self, args: S) -> dict[str, TotalRule]:
        """How the columns it adds add up in a totals row (frames.TotalRule): a count sums, a
        rate is computed again from the totals, a rank has no total."""
        return {}

    def rules_after(self, args: S, rules: dict[str, TotalRule], before: list[Any],
                    df: "pd.DataFrame") -> dict[str, TotalRule]:
        """How each column adds up in a totals row after it, given how they did before, the
        columns it was given (`before`) and its rows: by default, as before, with the columns
        it adds (`made_rules`) after them. A step that reshapes the rows says it itself."""
        out = dict(rules)
        for column, rule in self.made_rules(args).items():
            with_rule(out, column, rule)
        return out


def with_rule(rules: dict[str, TotalRule], column: str, rule: TotalRule) -> None:
    """Set a column's rule last: a formula comes after the columns it may read."""
    rules.pop(column, None)
    rules[column] = rule


def expression_columns(text: Any) -> set[str]:
    """The columns an expression of the outline names (none when it does not parse: the
    load-time check has said so already)."""
    from deckgen.source.expr import columns, parse

    if not isinstance(text, str):
        return set()
    try:
        return set(columns(parse(text)))
    except ExprError:
        return set()


def texts(df: "pd.DataFrame", column: str) -> Any:
    """The column as text (blank cells as None), cheaply for a category column."""
    series = df[column]
    if hasattr(series, "cat"):
        return series
    return series.map(value_text)


def numbers(df: "pd.DataFrame", column: str, origin: Origin, run: Run) -> Any:
    """The column as float64 numbers (blank: NaN); a cell of text is an error at that cell."""
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


def is_number_column(series: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(series)) and not hasattr(series, "cat")
