"""What every slide kind shares: the common fields, the context a kind plans in, what it returns.

A kind is a module with a pydantic `Spec` (its keys) and a `plan(spec, ctx) -> Planned`
function (see `Kind`). The context is a value, the same for every slide of a deck but for the
slide's own place (`at`); a kind never changes it. Warnings are returned with the plans, as
values, never appended to a shared list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Protocol, Union

from pydantic import BaseModel, ConfigDict, Field

from deckgen.data.provenance import NOT_REAL
from deckgen.errors import DeckError, Location, Problem, SlideLabel
from deckgen.layout.plan import SlidePlan
from deckgen.layout.theme import Theme

if TYPE_CHECKING:
    from deckgen.data.provenance import Provenance
    from deckgen.data.store import DataStore
    from deckgen.layout.plan import Element
    from deckgen.source.schema import Illustrative
    from deckgen.source.yamlsrc import SourceMap


class SlideSpec(BaseModel):
    """Fields every slide has. Unknown keys are errors: a typo must not pass silently."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    id: Optional[str] = None
    title: str
    notes: str = ""
    layout: str = Field(
        default="",
        description="with a template: the layout this slide is built on, by name")


@dataclass(frozen=True)
class Planned:
    """A kind's result: its slide (several when the content continues on "(cont.)" slides)
    and the warnings it found, located in the outline."""

    slides: list[SlidePlan]
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class SlideContext:
    """What a kind's `plan` may use: the brand, the data and the deck's own fields, and where
    this slide is in the outline (for messages)."""

    theme: Theme
    data: "DataStore"
    base_dir: Path
    deck_title: str
    deck_subtitle: str
    deck_date: str
    organisation: str
    source: Optional["SourceMap"] = None
    index: int = 0  # the slide's place in the outline (0-based)
    kind: str = ""
    files: tuple[str, ...] = ()  # the keys the kind declares as files (kinds.REGISTRY)
    chart_engine: str = "matplotlib"  # the deck's `chart_engine:`

    @property
    def label(self) -> SlideLabel:
        """How messages name the slide: 'slide 3 (table)'."""
        return SlideLabel(self.index, self.kind)

    def locate(self, *subpath: str | int) -> Location | None:
        """The location of a field of this slide (e.g. locate('columns', 2, 'column'))."""
        if self.source is None:
            return None
        return self.source.at(("slides", self.index) + tuple(subpath))

    def warning(self, message: str, *subpath: str | int) -> Problem:
        """Something that is probably a mistake but does not stop the build, located at a
        field of this slide; the kind returns it in `Planned.warnings`."""
        return Problem(message, self.locate(*subpath), self.label)

    def error(self, message: str, *subpath: str | int) -> DeckError:
        return DeckError.single(message, self.locate(*subpath), self.label)

    def provenance(self, data: str) -> "Provenance":
        """Where data source `data` comes from (data/provenance.py)."""
        from deckgen.data.provenance import provenance

        return provenance(self.data, data)

    def source_line(self, data: str, own: Union[str, bool],
                    made: Optional["Provenance"] = None) -> str:
        """The source line of a slide of data source `data`: the slide's own (`source:`), else
        the one its data declares (`source:`, `as_of:`); `false` for none. Data that is not
        real says so whatever the slide sets."""
        made = made or self.provenance(data)
        line = "" if own is False or own is True else \
            own.strip() or made.line(self.theme.brand.date_style)
        if made.not_real and not re.search(rf"\b{made.not_real}\b", line, re.IGNORECASE):
            line = f"**{NOT_REAL[made.not_real]}.** {line}".strip()
        if made.coverage and own is not False:  # a window with a month missing: said
            line = f"{line} {made.coverage_line()}".strip()
        return line

    def asset(self, key: str, value: str) -> Path:
        """The file named by the slide's key `key`, which the kind must declare as a file in
        its registry entry: from that declaration the path rule was applied when the outline
        was loaded (each outline's paths against its own folder, before `extends:` rebased
        them), and the cache hashes the file. Reading a key not declared is a bug in the kind,
        and fails loudly rather than escape those rules."""
        if key not in self.files:
            raise RuntimeError(f"kind '{self.kind}' reads the file named by '{key}' without "
                               "declaring it: add it to the kind's entry in kinds.REGISTRY")
        return self.base_dir / value


@dataclass(frozen=True)
class DataHead:
    """The head of a slide of figures (a chart, a map): whether its data is not real (as the
    data or the slide says); its source line; the subtitle and the "not real" badge under the
    title; and where the content below them starts (`top`, EMU)."""

    not_real: str
    source: str
    elements: list["Element"]
    top: int
    warnings: list[Problem]  # what reading the data's labels and provenance found


def data_head(ctx: SlideContext, data: str, source: Union[str, bool], subtitle: str,
              illustrative: "Illustrative") -> DataHead:
    """A figure slide's provenance, source line, subtitle band and badge (see DataHead)."""
    from dataclasses import replace

    from deckgen.data import labels
    from deckgen.layout.frame import fitted, paragraph
    from deckgen.layout.plan import Box, inches

    made = ctx.provenance(data)
    not_real = made.not_real or ("synthetic" if illustrative == "synthetic" else
                                 "illustrative" if illustrative else "")
    if not_real != made.not_real:  # the slide says so where its data does not
        made = replace(made, not_real=not_real)
    line = ctx.source_line(data, source, made)
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = []
    top = area.y
    if subtitle or not_real:
        badge_w = inches(3.6) if not_real else 0
        elements += subtitle_band(ctx, subtitle, area.w - badge_w -
                                  (theme.gap if badge_w else 0))
        if not_real:
            badge = Box(area.right - badge_w, top, badge_w, inches(0.45))
            elements.append(fitted(badge, [paragraph(NOT_REAL[not_real], 13, c.bad, bold=True,
                                                     align="center")],
                                   # on a template, no white box of its own, which would
                                   # look like a sticker on its background
                                   "Illustrative data label", anchor="middle",
                                   fill=None if theme.template else "FFFFFF",
                                   margin=inches(0.04)))
        top += SUBTITLE_SPACE
    warnings = list(labels.labels(ctx.data, data)[1]) + list(made.warnings)
    return DataHead(not_real, line, elements, top, warnings)


def subtitle_band(ctx: SlideContext, subtitle: str, width: Optional[int] = None
                  ) -> list["Element"]:
    """The line under a slide's title that names its topic when the title states a finding
    ("Southend's ASB fell 11%" over "Anti-social behaviour, March–April"); it takes
    SUBTITLE_SPACE from the top of the content area. None when there is no subtitle."""
    from deckgen.layout.frame import fitted, paragraph
    from deckgen.layout.plan import Box, inches

    if not subtitle:
        return []
    area = ctx.theme.content
    band = Box(area.x, area.y, area.w if width is None else width, inches(0.45))
    return [fitted(band, [paragraph(subtitle, 20, ctx.theme.colours.muted, bold=True)],
                   "Subtitle", anchor="middle")]


#: The height a subtitle band takes from the top of the content area (EMU: 0.55 in).
SUBTITLE_SPACE = 502920


class Kind(Protocol):
    """A slide kind: its keys and its layout. Every kind module has these two names."""

    Spec: type[SlideSpec]

    def plan(self, spec: SlideSpec, ctx: SlideContext) -> Planned: ...
