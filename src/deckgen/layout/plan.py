"""Slide plans: what the layout stage decides and the writer draws. Plain data, no python-pptx.

Geometry is in EMU (914,400 per inch, 12,700 per point), as in OOXML, so the writer copies numbers
through unchanged and tests can check positions exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from deckgen.layout.chartdata import ChartData
from deckgen.layout.mapdata import MapData
from deckgen.source.template import Paint

EMU_PER_INCH = 914_400
EMU_PER_PT = 12_700


def inches(value: float) -> int:
    return int(round(value * EMU_PER_INCH))


def points(value: float) -> int:
    return int(round(value * EMU_PER_PT))


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def inset(self, dx: int, dy: int | None = None) -> "Box":
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)

    def split_columns(self, n: int, gap: int) -> list["Box"]:
        width = (self.w - gap * (n - 1)) // n
        return [Box(self.x + i * (width + gap), self.y, width, self.h) for i in range(n)]


@dataclass(frozen=True)
class Slot:
    """A placeholder of a template's layout that an element fills (OOXML `p:ph`): its type
    (body, obj, pic, tbl, chart, subTitle, ftr, sldNum...) and index. The shape keeps the
    place and look deckgen gives it; PowerPoint knows it as the layout's content."""

    type: str
    idx: int


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style; size and colour None mean 'the paragraph's'."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    # a field PowerPoint keeps up to date: 'slidenum', the slide's number (`text` is its value
    # now, shown until the field is updated)
    field: Literal["", "slidenum"] = ""


Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    size: float
    color: str
    level: int = 0
    bullet: str | None = None  # the bullet character, None for none
    align: Align = "left"
    bold: bool = False
    space_before: float = 0.0  # points
    line_spacing: float = 1.0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class TextBox:
    """Text in a box; optionally a filled shape (rectangle or rounded rectangle) behind it."""

    box: Box
    paragraphs: tuple[Paragraph, ...]
    name: str
    anchor: Literal["top", "middle", "bottom"] = "top"
    fill: str | None = None
    line: str | None = None
    shape: Literal["rect", "rounded"] = "rect"
    margin: int = 0  # EMU on every side
    slot: Slot | None = None  # the template's placeholder it fills
    wrap: bool = True  # False: one line, never broken (a figure), measured to fit as one

    @property
    def drawn(self) -> bool:
        """Whether the box is a visible shape (fill, outline or rounded), not bare text."""
        return bool(self.fill or self.line or self.shape != "rect")


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    fill: str | None = None
    color: str | None = None
    align: Align = "left"


CELL_MARGIN_PT = 7.2  # a table cell's left and right margins, as the writer sets them (0.1 in)
CELL_MARGIN_Y_PT = 1.44  # ... and its top and bottom margins (0.02 in)
MIN_TABLE_PT = 12.0  # table text below this is hard to read on a projected slide
#: single line spacing, as a multiple of the font size, that renderers give a line of text
LINE_SPACING = 1.2


def row_height_pt(size: float, lines: int = 1) -> float:
    """The height a table row needs for `lines` lines of text at `size` points: the lines at
    single spacing plus the cell's top and bottom margins. A row written lower than this is
    grown by PowerPoint and LibreOffice when they draw it, into whatever lies below the
    table (a footnote over the totals row), so the layout gives every row this at least."""
    return lines * size * LINE_SPACING + 2 * CELL_MARGIN_Y_PT


@dataclass(frozen=True)
class Table:
    box: Box
    rows: tuple[tuple[Cell, ...], ...]
    col_widths: tuple[int, ...]
    row_height: int
    font_size: float
    name: str
    header_height: int = 0  # the header row's height when it differs (wrapped headers)
    slot: Slot | None = None  # the template's placeholder it fills


@dataclass(frozen=True)
class Picture:
    box: Box
    image: bytes  # PNG or JPEG bytes
    alt: str
    name: str
    slot: Slot | None = None  # the template's placeholder it fills


@dataclass(frozen=True)
class ChartPicture:
    """A chart or a map, drawn only when the deck is written (checking a deck never draws):
    `chart` is what to draw at the box's size."""

    box: Box
    chart: Union[ChartData, MapData]
    alt: str
    name: str
    slot: Slot | None = None  # the template's placeholder it fills


@dataclass(frozen=True)
class Rect:
    """A plain filled rectangle (bands, rules, card backgrounds) with no text."""

    box: Box
    fill: str
    name: str


@dataclass(frozen=True)
class Connector:
    """A straight line between two points (org-chart links)."""

    x1: int
    y1: int
    x2: int
    y2: int
    color: str
    width_pt: float
    name: str


@dataclass(frozen=True)
class NativeChart:
    """A chart PowerPoint draws itself, its figures embedded in the deck (PowerPoint's "Edit
    Data" opens them): `chart` is what it shows, `colours` the brand's primary, accent, muted,
    text and light."""

    box: Box
    chart: ChartData
    alt: str
    name: str
    colours: tuple[str, str, str, str, str]
    slot: Slot | None = None  # the template's placeholder it fills


Element = Union[TextBox, Table, Picture, ChartPicture, NativeChart, Rect, Connector]


@dataclass(frozen=True)
class Title:
    text: str
    box: Box
    size: float
    color: str
    align: Align = "left"
    anchor: Literal["top", "middle", "bottom"] = "middle"


@dataclass(frozen=True)
class MasterPlan:
    """The deck's own slide master, from the brand: what every slide added in PowerPoint shows
    (the brand frame: logo, footer, marking, slide number), where and how its title sits, and
    the theme (colours by their slot, e.g. accent1, and fonts) that PowerPoint's pickers
    offer."""

    elements: tuple["Element", ...]
    title: "Title"
    colours: tuple[tuple[str, str], ...]
    heading_font: str
    body_font: str
    name: str = "deckgen"
    #: on a template, the marking of each of its layouts, by the layout's name, coloured for
    #: what that layout paints under it (layout/marks.py)
    layout_marks: tuple[tuple[str, tuple["Element", ...]], ...] = ()


@dataclass
class SlidePlan:
    """Everything one slide shows, in drawing order (the title is always read first)."""

    title: Title
    elements: list[Element] = field(default_factory=list)
    notes: str = ""
    background: str | None = None
    kind: str = ""
    layout: str = ""  # the template's layout it is built on ('' without a template)
    #: the body its content is laid out in (the content area below the title and above the
    #: footer), which the review measures how much of is covered; None on a cover (a title
    #: or section slide)
    body: Box | None = None
    #: what the template paints under the slide (its layout's backgrounds and shapes)
    backdrop: tuple[Paint, ...] = ()
    #: where the template writes text of its own on the slide's layout (x, y, w, h)
    template_texts: tuple[tuple[int, int, int, int], ...] = ()
