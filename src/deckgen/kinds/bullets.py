"""`bullets`: nested points with **bold** and *italic*, in one column or several.

A point is text, or a one-key mapping whose key is a heading and whose value is its sub-points:
    points:
      - Increasing:
          - Violence Against the Person up 33.0%
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from deckgen.errors import Problem
from deckgen.kinds.base import SUBTITLE_SPACE, Planned, SlideContext, SlideSpec, subtitle_band
from deckgen.layout.coverage import FILL_BELOW, covered
from deckgen.layout.fill import as_cards, card_paragraph, cards, grow_scale
from deckgen.layout.frame import content_title, continued, fitted, fitted_together, paragraph
from deckgen.layout.plan import Box, Element, Paragraph, SlidePlan, TextBox, inches
from deckgen.layout.theme import Theme

#: A point: text, or {heading: [sub-points]}. Checked by check_points (one clear message per
#: mistake) rather than by a type union (which reports every branch that failed).
Point = Any
BULLETS = ("\u2022", "\u2013", "\u2022")  # •, –, • by level
MAX_DEPTH = 3


def check_points(points: list[Any], depth: int = 0) -> list[Any]:
    for point in points:
        if isinstance(point, dict):
            if len(point) != 1:
                raise ValueError("a point with sub-points is one 'heading: [sub-points]' mapping")
            ((heading, children),) = point.items()
            if isinstance(children, (str, int, float)):
                raise ValueError(f"'{heading}: {children}' was read as a heading with a "
                                 "sub-point; put quotes around a point that contains ': '")
            if depth + 1 >= MAX_DEPTH:
                raise ValueError(f"points nest at most {MAX_DEPTH} levels deep")
            if not isinstance(children, list):
                raise ValueError("the sub-points of a heading must be a list ('- item' lines)")
            check_points(children, depth + 1)
        elif isinstance(point, bool) or not isinstance(point, (str, int, float)):
            raise ValueError("a point is text, or 'heading:' followed by sub-points")
    return points


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str = ""
    points: list[Point] = Field(min_length=1)

    _valid = field_validator("points")(check_points)


class Spec(SlideSpec):
    kind: Literal["bullets"]
    subtitle: str = Field(
        default="",
        description="a line under the title: the slide's topic, when the title states its finding")
    lead: str = Field(default="", description="a sentence above the points")
    points: list[Point] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list, max_length=3)
    takeaway: str = Field(default="", description="a statement in a band at the foot of the slide")
    size: float = Field(
        default=22.0, gt=0, le=60,
        description="the points' font size (pt), before fitting")

    _valid = field_validator("points")(check_points)

    @model_validator(mode="after")
    def _some_content(self) -> "Spec":
        if not self.points and not self.columns and not self.lead:
            raise ValueError("give 'points', 'columns' or 'lead'")
        if self.points and self.columns:
            raise ValueError("give either 'points' or 'columns', not both")
        return self


def point_paragraphs(points: list[Any], theme: Theme, depth: int = 0,
                     size: Optional[float] = None) -> list[Paragraph]:
    """Paragraphs for nested points: text gets a bullet, a heading is bold with its own points."""
    base = size or theme.body_size
    step = max(base - 2 * depth, min(theme.min_body_size, base))
    c = theme.colours
    out: list[Paragraph] = []
    for point in points:
        if isinstance(point, dict):
            ((heading, children),) = point.items()
            out.append(paragraph(str(heading), step, c.primary, bold=True, level=depth,
                                 space_before=10 if out or depth == 0 else 4))
            out += point_paragraphs(children, theme, depth + 1, size)
        else:
            out.append(paragraph(str(point), step, c.text, level=depth,
                                 bullet=BULLETS[depth % len(BULLETS)], space_before=6))
    return out


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = subtitle_band(ctx, spec.subtitle)
    top, bottom = area.y + (SUBTITLE_SPACE if spec.subtitle else 0), area.bottom
    if spec.lead:
        lead_h = inches(0.9)
        elements.append(fitted(Box(area.x, top, area.w, lead_h),
                               [paragraph(spec.lead, 26, c.primary, bold=True)], "Lead"))
        top += lead_h + inches(0.1)
    takeaway = None
    if spec.takeaway:
        band_h = inches(0.9)
        band = Box(area.x, bottom - band_h, area.w, band_h)
        takeaway = fitted(band, [paragraph(spec.takeaway, 22, "FFFFFF", bold=True,
                                           align="center")],
                          "Takeaway", anchor="middle", fill=c.primary, margin=inches(0.1))
        bottom = band.y - inches(0.2)
    body = Box(area.x, top, area.w, bottom - top)
    if spec.columns:
        elements += _columns(spec, theme, body, elements, takeaway)
    elif spec.points:
        warnings = _long_points(spec.points, ctx)
        chunks = split_points(spec.points, theme, body, spec.size)
        if len(chunks) > 1:
            warnings.append(ctx.warning(f"the points do not fit one slide legibly; split "
                                        f"across {len(chunks)} slides", "points"))
            return Planned([_slide(spec, ctx, elements, chunk, body, takeaway, n)
                            for n, chunk in enumerate(chunks)], warnings)
        elements += _points(spec, theme, body, elements, takeaway)
        if takeaway is not None:
            elements.append(takeaway)  # read last, as it is placed last
        return Planned([SlidePlan(content_title(spec.title, theme), elements, spec.notes)],
                       warnings)
    elif not _filled(elements + ([takeaway] if takeaway else []), theme):
        # a lead alone: a statement, as a panel filling the space the points would take
        start = area.y + (SUBTITLE_SPACE if spec.subtitle else 0)
        panel = cards(Box(area.x, start, area.w, bottom - start),
                      [[paragraph(spec.lead, 26, c.primary, bold=True)]], theme, 26)
        elements = subtitle_band(ctx, spec.subtitle) + [
            replace(e, name="Lead") if isinstance(e, TextBox) else e
            for e in panel] if panel else elements
    if takeaway is not None:
        elements.append(takeaway)  # read last, as it is placed last
    return Planned([SlidePlan(content_title(spec.title, theme), elements, spec.notes)])


def _filled(elements: list[Element], theme: Theme) -> bool:
    return covered(elements, theme.content) >= FILL_BELOW


def _columns(spec: Spec, theme: Theme, body: Box, above: list[Element],
             takeaway: Optional[TextBox]) -> list[Element]:
    """The columns side by side at one size: short ones grow a little, or, when they would
    leave the slide sparse, become cards side by side (their text up to the brand's largest
    body size), unless the outline sets `size`."""
    c = theme.colours
    boxes = body.split_columns(len(spec.columns), theme.gap)
    texts = []
    for column in spec.columns:
        pars = point_paragraphs(column.points, theme, size=spec.size)
        if column.heading:
            pars.insert(0, paragraph(column.heading, 24, c.primary, bold=True))
        texts.append(pars)
    names = [f"Column {n + 1}" for n in range(len(boxes))]
    usual = fitted_together(boxes, texts, names, max_scale=1.25)
    below: list[Element] = [takeaway] if takeaway is not None else []
    if "size" in spec.model_fields_set or _filled(above + list(usual) + below, theme):
        return list(usual)
    made = cards(body, texts, theme, spec.size, names, anchor="top")  # headings level
    return made if made is not None else list(
        fitted_together(boxes, texts, names, max_scale=grow_scale(theme, spec.size, 1.25)))


def _points(spec: Spec, theme: Theme, body: Box, above: list[Element],
            takeaway: Optional[TextBox]) -> list[Element]:
    """The points as a list (fitted to the body: short lists grow a little), or, when the list
    would leave the slide's body sparse (layout/coverage.py), laid out to fill it: a few short
    points as cards, other text grown up to the brand's largest body size and centred in it.
    Points whose `size` the outline sets keep it (fitted as a list)."""
    pars = point_paragraphs(spec.points, theme, size=spec.size)
    listed = fitted(body, pars, "Points", max_scale=1.25)
    below: list[Element] = [takeaway] if takeaway is not None else []
    if "size" in spec.model_fields_set or \
            covered(above + [listed] + below, theme.content) >= FILL_BELOW:
        return [listed]  # a size the outline sets is the author's: kept, not grown
    if as_cards(spec.points):
        made = cards(body, [[card_paragraph(p)] for p in pars], theme, spec.size)
        if made is not None:
            return made
    # centred: what the larger text does not fill is shared above and below it
    return [fitted(body, pars, "Points", max_scale=grow_scale(theme, spec.size, 1.25),
                   anchor="middle")]


#: The smallest scale points may shrink to before they continue on another slide.
SPLIT_SCALE = 0.75
LONG_POINT_WORDS = 40


def split_points(points: list[Any], theme: Theme, box: Box, size: float) -> list[list[Any]]:
    """The top-level points in groups that each fit the box at SPLIT_SCALE or larger."""
    from deckgen.layout.plan import EMU_PER_PT
    from deckgen.layout.textfit import text_height_pt

    width = box.w / EMU_PER_PT
    height = (box.h - inches(0.1)) / EMU_PER_PT

    def fits(group: list[Any]) -> bool:
        return text_height_pt(point_paragraphs(group, theme, size=size), width,
                              SPLIT_SCALE) <= height

    if fits(points):
        return [points]
    chunks: list[list[Any]] = [[]]
    for point in points:
        if chunks[-1] and not fits(chunks[-1] + [point]):
            chunks.append([])
        chunks[-1].append(point)
    return chunks


def _slide(spec: Spec, ctx: SlideContext, lead: list[Element], chunk: list[Any], body: Box,
           takeaway: Any, n: int) -> SlidePlan:
    elements = list(lead) if n == 0 else []
    area = body if n == 0 else Box(body.x, ctx.theme.content.y, body.w,
                                   body.bottom - ctx.theme.content.y)
    elements.append(fitted(area, point_paragraphs(chunk, ctx.theme, size=spec.size), "Points",
                           min_scale=0.5))
    if takeaway is not None:
        elements.append(takeaway)
    return SlidePlan(content_title(continued(spec.title, n), ctx.theme), elements, spec.notes)


def _long_points(points: list[Any], ctx: SlideContext,
                 path: tuple[str | int, ...] = ("points",)) -> list[Problem]:
    """A warning for each point too long to read on a slide."""
    out: list[Problem] = []
    for i, point in enumerate(points):
        if isinstance(point, dict):
            ((_, children),) = point.items()
            out += _long_points(children, ctx, path + (i,))
        elif len(str(point).split()) > LONG_POINT_WORDS:
            out.append(ctx.warning(f"point {i + 1} has {len(str(point).split())} words; a point "
                                   f"on a slide reads best under {LONG_POINT_WORDS}: shorten "
                                   "it or split it", *path, i))
    return out
