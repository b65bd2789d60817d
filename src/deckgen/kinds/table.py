"""`table`: a real, editable PowerPoint table from a data source — formats, totals, highlights.

The figures are computed in the data stage (data/tables.py: the rows, each cell's text and
marks, the totals row); this module declares the table's keys, dresses the figures as a reader
sees them (colours for which way is better, the highlighted row, the footnote of the marks) and
lays them out, continuing on further slides when the rows do not fit one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from deckgen.data import tables
from deckgen.data.provenance import NOT_REAL_NOTES
from deckgen.errors import Problem
from deckgen.kinds.base import Planned, SlideContext, SlideSpec, data_head
from deckgen.layout import textfit
from deckgen.layout.frame import (
    caption_height,
    content_title,
    continued,
    fitted,
    notes_with,
    paragraph,
)
from deckgen.layout.plan import (
    CELL_MARGIN_PT,
    EMU_PER_PT,
    LINE_SPACING,
    MIN_TABLE_PT,
    Align,
    Box,
    Cell,
    Element,
    SlidePlan,
    Table,
    TextBox,
    inches,
    row_height_pt,
)
from deckgen.layout.theme import Theme
from deckgen.source import noise, numformat
from deckgen.source.noise import ChangeSpec
from deckgen.source.schema import Illustrative

ROWS_PER_SLIDE = 15  # body rows that fit one slide legibly (at >= 12 pt); more continue


class ColumnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    column: str
    header: str = Field(default="", description="default: the column's name")
    format: str = Field(
        default="",
        description="'0.0', '#,##0', '+0.0;-0.0', '.1f': see docs/outline.md, Formats")
    unit: Optional[Literal["percent"]] = Field(
        default=None,
        description="the column is already in percent (6.4 means 6.4%): a '%' format shows it as "
                    "it is")
    good: Optional[Literal["up", "down"]] = Field(
        default=None,
        description="colour rises/falls: which way is better")
    align: Optional[Literal["left", "center", "right"]] = Field(
        default=None,
        description="default: numbers right")
    total: Union[bool, str, None] = Field(
        default=None,
        description="In the totals row: true adds the rows up, false leaves the cell blank, an "
                    "expression is computed from the other totals (`charged / crimes * 100`). "
                    "Default: as the data's steps made the column (counts add up, rates are "
                    "computed again), else added up.")
    change: Optional[ChangeSpec] = Field(
        default=None,
        description="the column is a change between two counts: flag it by its Poisson z-score "
                    "(source/noise.py), colour only flagged changes, and show '–' for a % change "
                    "on a small base")
    suppress_below: Optional[int] = Field(
        default=None, ge=2,
        description="counts from 1 to below this are shown as '*' (the totals count them)")

    _format = field_validator("format")(numformat.checked)



class TotalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = "Total"
    known_difference: Union[bool, str] = Field(
        default=False,
        description="The data's stated total is known to differ from the sum of its rows: show it "
                    "without a warning. Better, say why, in words that follow \"TOTAL is as "
                    "published (…)\": \"it counts incidents not recorded against a district\"; "
                    "the line under the table then says so.")


class Spec(SlideSpec):
    kind: Literal["table"]
    data: str
    columns: list[ColumnSpec] = Field(min_length=1)
    where: dict[str, Union[str, int, float, list[Union[str, int, float]]]] = Field(
        default_factory=dict,
        description="rows whose column has this value (or one of a list of values)")
    total: Union[TotalSpec, bool] = False
    highlight: Optional[str] = Field(
        default=None,
        description="a value of the first column: that row is highlighted")
    source: Union[Literal[False], str] = Field(
        default="",
        description="a source line under the table; default: from the data's `source:` and "
                    "`as_of:` (data/provenance.py); false for none")
    subtitle: str = Field(
        default="",
        description="a line under the title, e.g. 'March–April, 2016 against 2015'")
    illustrative: Illustrative = Field(
        default=False,
        description="the data is made up: say so on the slide (a badge under the title, the "
                    "source line) and in the notes. Default: as the data source says (its "
                    "`illustrative:`)")


@dataclass
class TableContent:
    """The table as a reader sees it: header texts and rows of cell texts with their styling."""

    headers: list[str]
    rows: list[list[Cell]]
    numeric: list[bool]
    source: str
    header_align: list[Align]  # each header aligned as its column's cells
    warnings: list[Problem]  # what reading the table found (a stated total that differs)
    footnote: str = ""  # what its markers mean (source/noise.py)
    head: tuple[Element, ...] = ()  # the subtitle and "not real" badge under the title
    top: Optional[int] = None  # where the table starts, below the head (EMU); None: the area's top
    not_real: str = ""  # 'synthetic' or 'illustrative' when the figures are not real


def resolve(spec: Spec, ctx: SlideContext) -> TableContent:
    """The table's figures (data/tables.py: its rows, cells, marks and totals), dressed as a
    reader sees them: highlighted rows, colours for which way is better, the totals row in
    bold, the footnote that explains the marks."""
    selected = tables.select(ctx, spec)
    head = data_head(ctx, spec.data, spec.source, spec.subtitle, spec.illustrative)
    figures = tables.figures(ctx, spec, selected, ctx.theme.brand.minus)
    c = ctx.theme.colours
    numeric = list(selected.numeric)
    aligns: list[Align] = [col.align or ("right" if num else "left")
                           for col, num in zip(spec.columns, numeric)]
    body = [_cells(spec, row, aligns, ctx.theme) for row in figures.rows]
    if figures.total is not None:
        body.append([Cell(cell.text, True, c.light, cell.color, cell.align)
                     for cell in _cells(spec, figures.total, aligns, ctx.theme)])
    headers = [col.header or col.column for col in spec.columns]
    note = _footnote(spec, figures.used)
    if figures.published:
        note = f"{note} {figures.published}".strip()
    warnings = [*selected.warnings, *head.warnings, *figures.warnings]
    return TableContent(headers, body, numeric, head.source, aligns, warnings, note,
                        tuple(head.elements), head.top, head.not_real)


def _cells(spec: Spec, row: tables.TableRow, aligns: list[Align], theme: Theme) -> list[Cell]:
    """A row's cells: a figure coloured by which way is better where its column says (and it
    is not shown plain), the highlighted row bold on the highlight colour."""
    c = theme.colours
    out = []
    for col, figure, align in zip(spec.columns, row.cells, aligns):
        color = None
        if col.good and figure.falls is not None and not figure.plain:
            color = c.good if figure.falls == (col.good == "down") else c.bad
        marked = row.highlighted
        out.append(Cell(figure.text, marked, c.highlight if marked else None, color, align))
    return out


def _footnote(spec: Spec, used: frozenset[str]) -> str:
    """What the table's marks mean: the levels of change, '–' on a small base, '*'."""
    changes = [col.change for col in spec.columns if col.change is not None]
    return noise.footnote(
        {lv for lv in noise.LEVELS if lv in used},
        coloured=any(col.good for col in spec.columns if col.change),
        small_base=next((ch.small_base for ch in changes if ch.small_base), None)
        if "small base" in used else None,
        notable=changes[0].notable if changes else 2.0,
        significant=changes[0].significant if changes else 3.0,
        suppressed=min((col.suppress_below for col in spec.columns
                        if col.suppress_below), default=None) if "suppressed" in used else None)


def suppressions(slide: Any) -> list[tuple[str, str, int]]:
    """The (data source, column, threshold) of each column of a table slide, as written in
    the outline (not yet checked), that shows counts from 1 to below the threshold as '*'."""
    if not isinstance(slide, dict) or slide.get("kind") != "table" \
            or not isinstance(slide.get("data"), str) or not isinstance(slide.get("columns"), list):
        return []
    return [(slide["data"], col["column"], col["suppress_below"]) for col in slide["columns"]
            if isinstance(col, dict) and isinstance(col.get("column"), str)
            and isinstance(col.get("suppress_below"), int)
            and not isinstance(col.get("suppress_below"), bool) and col["suppress_below"] >= 2]


def layout(content: TableContent, title: str, notes: str, theme: Theme,
           measure: list[list[Cell]] | None = None, per_page: int = 0) -> SlidePlan:
    """Size the font to the row count (`per_page` rows at least: every page of a split table
    is set alike), the columns to their widest text (of `measure`, the rows of every page),
    and centre the table. Every row is as tall as its text needs when drawn
    (plan.row_height_pt), so nothing below the table is overprinted; the font may come out
    below the readable minimum when the rows cannot fit (`fits` says so, and `plan` splits)."""
    area = _area(content, theme)
    note_h, source_h = _captions(content, theme)
    n_rows = max(len(content.rows), per_page) + 1
    avail = area.h - source_h - note_h
    row_h = min(inches(0.55), avail // (n_rows + 1))  # +1: the header may take two lines
    font = min(20.0, _row_font(row_h))
    plan = _laid_out(content, title, notes, theme, measure, row_h, font, note_h, source_h)
    table = next(e for e in plan.elements if isinstance(e, Table))
    spare = area.bottom - _bottom(plan)
    if spare < 0 and len(table.rows) > 1:
        # the captions would run past the area (a short one, a template's): rows a little
        # lower, when that makes it fit
        lower = row_h - (-spare // (len(table.rows) - 1) + 1)
        shorter = _laid_out(content, title, notes, theme, measure, lower,
                            min(font, _row_font(lower)), note_h, source_h) \
            if lower > 0 else plan
        if _bottom(shorter) <= area.bottom:
            plan = shorter
    return plan


def fits(plan: SlidePlan, content: TableContent, theme: Theme) -> bool:
    """Whether a table slide's text is at the readable minimum or above, and the table and its
    captions end inside the content area."""
    table = next(e for e in plan.elements if isinstance(e, Table))
    return table.font_size >= MIN_TABLE_PT and _bottom(plan) <= _area(content, theme).bottom


def _captions(content: TableContent, theme: Theme) -> tuple[int, int]:
    """The heights of the footnote and the source line: they run across the content width, as
    many lines as they take (they are sentences, and the table above may be narrow); a
    footnote over a source line reads as one block, without the room a caption alone keeps
    around it."""
    least = 0.0 if content.footnote and content.source else 0.4
    note_h, source_h = (caption_height(text, theme, least=least)
                        for text in (content.footnote, content.source))
    return note_h, source_h


def _area(content: TableContent, theme: Theme) -> Box:
    """Where the table and its captions go: the content area, below the head if any."""
    area = theme.content
    if content.top is None:
        return area
    return Box(area.x, content.top, area.w, area.bottom - content.top)


def _row_font(row_h: int) -> float:
    """The font size, to the half point, that a row of this height holds comfortably: about
    two thirds of it, and never more than a line of text plus the cell's margins leaves."""
    comfortable = round(row_h / EMU_PER_PT * 0.68 * 2) / 2
    room = (row_h / EMU_PER_PT - row_height_pt(0.0)) / LINE_SPACING
    return max(0.0, min(comfortable, math.floor(room * 2) / 2))


def _bottom(plan: SlidePlan) -> int:
    """Where a table slide's content ends: the table, or the captions under it."""
    return max(e.box.bottom for e in plan.elements if isinstance(e, (Table, TextBox)))


def _laid_out(content: TableContent, title: str, notes: str, theme: Theme,
              measure: list[list[Cell]] | None, row_h: int, font: float, note_h: int,
              source_h: int) -> SlidePlan:
    area = _area(content, theme)
    # Numbers never wrap: when the columns are wider than the slide, the font steps down
    # (to the readable minimum) before a column is narrowed; review.py says when even that fails.
    widths_pt = _widths(content, measure, font)
    while sum(widths_pt) > area.w / EMU_PER_PT and font > MIN_TABLE_PT:
        font = max(MIN_TABLE_PT, font - 0.5)
        widths_pt = _widths(content, measure, font)
    margins = 2 * CELL_MARGIN_PT
    total_pt = sum(widths_pt)
    max_w = area.w / EMU_PER_PT
    grow = min(max_w / total_pt, 1.6) if total_pt < max_w else max_w / total_pt
    widths = [int(w * grow * EMU_PER_PT) for w in widths_pt]
    width = sum(widths)
    header_lines = max(
        textfit.wrap_words([(h, True, False)], font, w / EMU_PER_PT - margins)
        for h, w in zip(content.headers, widths))
    row_h = max(row_h, math.ceil(row_height_pt(font) * EMU_PER_PT))
    header_h = max(row_h, int((header_lines * 1.2 * font + 10) * EMU_PER_PT))
    height = header_h + row_h * len(content.rows)
    box = Box(area.x + (area.w - width) // 2, area.y, width, height)
    c = theme.colours
    header_row = tuple(Cell(h, True, c.primary, "FFFFFF", align)
                       for h, align in zip(content.headers, content.header_align))
    rows = (header_row,) + tuple(tuple(r) for r in content.rows)
    elements: list[Element] = [*content.head, Table(box, rows, tuple(widths), row_h, font,
                                                    "Table", header_height=header_h)]
    below = box.bottom + inches(0.1)
    for text, height, name in ((content.footnote, note_h, "Footnote"),
                               (content.source, source_h, "Source")):
        if text:
            elements.append(fitted(Box(area.x, below, area.w, height),
                                   [paragraph(text, theme.caption_size, c.muted)], name))
            below += height
    return SlidePlan(content_title(title, theme), elements, notes)


def _widths(content: TableContent, measure: list[list[Cell]] | None, font: float
            ) -> list[float]:
    """Each column's natural width in points at `font`: its widest cell on one line, its
    header on at most two lines (never breaking a word), plus the cell margins."""
    pad = 2 * CELL_MARGIN_PT + 6  # plus breathing room
    widths_pt = []
    for i, header in enumerate(content.headers):
        body = max((textfit.text_width_pt(r[i].text, font, bold=True)
                    for r in (measure or content.rows)), default=0.0)
        longest_word = max((textfit.text_width_pt(w, font, bold=True) for w in header.split()),
                           default=0.0)
        two_lines = textfit.text_width_pt(header, font, bold=True) / 2 * 1.15
        widths_pt.append(max(body, longest_word, two_lines, font * 3) + pad)
    return widths_pt


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    """One slide, or several when the rows do not fit one: the header repeats, the totals row
    comes last, and continuation slides are titled '(cont.)'."""
    content = resolve(spec, ctx)
    change = next((col.change for col in spec.columns if col.change), None)
    notes = notes_with(spec.notes, NOT_REAL_NOTES.get(content.not_real, ""),
                       noise.notes(change.notable, change.significant) if change else "")
    rows = content.rows
    single = layout(content, spec.title, notes, ctx.theme)
    if len(rows) <= ROWS_PER_SLIDE and fits(single, content, ctx.theme):
        return Planned([single], content.warnings)
    size = _page_size(content, notes, ctx.theme)
    if len(rows) <= size:  # fewer rows would not fit either (a table too wide): the review
        return Planned([single], content.warnings)  # names what is wrong
    if size < ROWS_PER_SLIDE:  # a short area's pages: as even as they can be (8 and 7 rows,
        size = math.ceil(len(rows) / math.ceil(len(rows) / size))  # not 13 and 2)
    pages = [rows[i:i + size] for i in range(0, len(rows), size)]
    if len(pages[-1]) == 1 and spec.total and len(pages) > 1:
        # never leave the totals row alone on a slide
        pages[-1].insert(0, pages[-2].pop())
    split = ctx.warning(f"the table's {len(rows)} rows do not fit one slide legibly; split "
                        f"across {len(pages)} slides", "data")
    plans = []
    for n, page in enumerate(pages):
        part = TableContent(content.headers, page, content.numeric, content.source,
                            content.header_align, [], content.footnote, content.head,
                            content.top, content.not_real)
        plans.append(layout(part, continued(spec.title, n), notes, ctx.theme, rows, size))
    return Planned(plans, content.warnings + ([split] if len(pages) > 1 else []))


def _page_size(content: TableContent, notes: str, theme: Theme) -> int:
    """The most rows a slide of a split table holds (ROWS_PER_SLIDE at most) at the readable
    minimum or above, with its captions inside the content area: fewer on a small slide or a
    template's short content area. ROWS_PER_SLIDE when fewer rows would not fit either (a
    table too wide for the slide, whose headers wrap): splitting it further would not help,
    and the review names what is wrong."""
    for size in range(min(ROWS_PER_SLIDE, len(content.rows)), 1, -1):
        page = replace(content, rows=content.rows[:size])
        if fits(layout(page, "", notes, theme, content.rows, size), page, theme):
            return size
    return ROWS_PER_SLIDE
