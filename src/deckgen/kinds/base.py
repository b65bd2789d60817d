"""What every slide kind shares: the common fields, and the context its layout works in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from pydantic import BaseModel, ConfigDict

from deckgen.errors import DeckError, Location, Problem
from deckgen.layout.theme import Theme

if TYPE_CHECKING:
    from deckgen.data.store import DataStore
    from deckgen.source.yamlsrc import SourceMap


class SlideSpec(BaseModel):
    """Fields every slide has. Unknown keys are errors: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    id: Optional[str] = None
    title: str
    notes: str = ""


@dataclass
class SlideContext:
    """What a kind's `plan` function may use; the same for every slide of a deck."""

    theme: Theme
    data: "DataStore"
    base_dir: Path
    deck_title: str
    deck_subtitle: str
    deck_date: str
    organisation: str
    index: int = 0
    source: Optional["SourceMap"] = None
    context: str = ""
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, message: str, *subpath: str | int) -> None:
        """Record something that is probably a mistake but does not stop the build."""
        self.warnings.append(Problem(message, self.locate(*subpath), self.context))

    def locate(self, *subpath: str | int) -> Location | None:
        """The location of a field of this slide (e.g. locate('columns', 2, 'column'))."""
        if self.source is None:
            return None
        return self.source.at(("slides", self.index) + tuple(subpath))

    def error(self, message: str, *subpath: str | int) -> DeckError:
        return DeckError.single(message, self.locate(*subpath), self.context)

    def asset(self, relative: str) -> Path:
        return self.base_dir / relative
