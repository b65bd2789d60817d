"""The slide a figure is computed for, as the data stage sees it: its data store, its name in
messages and where its keys are written.

A table's totals, a chart's series and a map's joined areas are computed here, in `data/`, and
handed to the kinds as typed values (`tables`, `series`, `mapareas`); but a slip of the outline
that the computation finds (a column the data lacks, a highlight that is not a value) is an
error at the slide's key that names it, as it always was. The kinds' `SlideContext` has all of
this; this protocol names the part the data stage reads, so `data/` needs nothing from the
stages after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Union

from deckgen.errors import DeckError, Location, Problem

if TYPE_CHECKING:
    from deckgen.data.store import DataStore

#: What a slide's `where:` (or a map's `only:`) asks of a column: one value or any of several.
Wanted = Union[str, int, float, list[Union[str, int, float]]]


class Slide(Protocol):
    """What a figure computation may ask of the slide it is for (kinds/base.py SlideContext)."""

    @property
    def data(self) -> "DataStore": ...

    @property
    def label(self) -> str: ...

    def locate(self, *subpath: str | int) -> Location | None: ...

    def warning(self, message: str, *subpath: str | int) -> Problem: ...

    def error(self, message: str, *subpath: str | int) -> DeckError: ...


def wanted_texts(wanted: Wanted) -> list[str]:
    """The values a `where:` or `only:` entry asks for, as text."""
    return [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]
