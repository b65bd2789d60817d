"""How much text the outline's expressions may make: a cell, and a build, in all.

Text can grow: `a + a` doubles it, and each `replace()` nested in another multiplies it, so a
line of an outline could ask for gigabytes. The length of the text a function will make is
worked out before it is made (for `+` and `replace()`, which can grow it) or as it is made (the
others, which cannot grow it much), and refused at the function's character when a cell would
be longer than MAX_TEXT_CELL or the build's expressions would make more than MAX_TEXT_MADE in
all (a TextBudget, shared by every expression of a build: evaluate.py takes from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from deckgen.source.expr import ExprError

#: Characters in one cell of text an expression makes: a derived text is a name or a label.
MAX_TEXT_CELL = 10_000
#: Characters of text the expressions of one build make in all, over every row, derived column
#: and data source (text columns doubled one after another stop here, at about 100 MB).
MAX_TEXT_MADE = 100_000_000


@dataclass
class TextBudget:
    """The characters of text the expressions of one build have made, and may make."""

    limit: int = MAX_TEXT_MADE
    made: int = 0

    def take(self, pos: int, what: str, lengths: Iterable[int]) -> None:
        """Refuse text `what` (at character `pos`) would make, `lengths` long in its rows, when
        a cell would be longer than MAX_TEXT_CELL or the build's text more than `limit`; else
        count it as made. Called before the text is made where it can grow, so that memory
        never holds it."""
        longest, total = 0, 0
        for n in lengths:
            total += n
            longest = max(longest, n)
        if longest > MAX_TEXT_CELL:
            raise ExprError(f"the text made by {what} would be {_size(longest)} characters "
                            f"long in a row, more than {MAX_TEXT_CELL:,}: a derived text is a "
                            "name or a label; make it shorter", pos)
        if self.made + total > self.limit:
            raise ExprError(f"the text made by {what} would bring the text the outline's "
                            f"expressions make to {_size(self.made + total)} characters, "
                            f"more than {self.limit:,}: make text after the steps that leave "
                            "fewer rows (filter, group), or make less of it", pos)
        self.made += total


def _size(n: int) -> str:
    """A count of characters as a message says it: 16,384, or 1.2 million."""
    return f"{n / 1e6:,.1f} million" if n >= 1_000_000 else f"{n:,}"
