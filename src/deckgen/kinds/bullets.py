"""`bullets`: nested points with **bold** and *italic*, in one column or several.

A point is text, or a one-key mapping whose key is a heading and whose value is its sub-points:
    points:
      - Increasing:
          - Violence Against the Person up 33.0%
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from deckgen.kinds.base import SlideContext, SlideSpec
from deckgen.layout import content_title, fitted, paragraph
from deckgen.plan import Box, Paragraph, SlidePlan, inches
from deckgen.theme import Theme

Point = Union[str, dict[str, list[Any]]]
BULLETS = ("\u2022", "\u2013", "\u2022")  # •, –, • by level
MAX_DEPTH = 3


def _check_points(points: list[Any], depth: int = 0) -> list[Any]:
    for point in points:
        if isinstance(point, dict):
            if len(point) != 1:
                raise ValueError("a point with sub-points is one 'heading: [sub-points]' mapping")
            (children,) = point.values()
            if depth + 1 >= MAX_DEPTH:
                raise ValueError(f"points nest at most {MAX_DEPTH} levels deep")
            if not isinstance(children, list):
                raise ValueError("the sub-points of a heading must be a list ('- item' lines)")
            _check_points(children, depth + 1)
        elif not isinstance(point, (str, int, float)):
            raise ValueError("a point is text, or 'heading:' followed by sub-points")
    return points


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str = ""
    points: list[Point] = Field(min_length=1)

    _valid = field_validator("points")(_check_points)


class Spec(SlideSpec):
    kind: Literal["bullets"]
    lead: str = ""  # a sentence above the points
    points: list[Point] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list, max_length=3)
    takeaway: str = ""  # a statement in a band at the foot of the slide

    _valid = field_validator("points")(_check_points)

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
    step = max(base - 2 * depth, theme.min_body_size)
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


def plan(spec: Spec, ctx: SlideContext) -> SlidePlan:
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list = []
    top, bottom = area.y, area.bottom
    if spec.lead:
        lead_h = inches(0.9)
        elements.append(fitted(Box(area.x, top, area.w, lead_h),
                               [paragraph(spec.lead, 26, c.primary, bold=True)], "Lead"))
        top += lead_h + inches(0.1)
    if spec.takeaway:
        band_h = inches(0.9)
        band = Box(area.x, bottom - band_h, area.w, band_h)
        elements.append(fitted(band, [paragraph(spec.takeaway, 22, "FFFFFF", bold=True,
                                                align="center")],
                               "Takeaway", anchor="middle", fill=c.primary, margin=inches(0.1)))
        bottom = band.y - inches(0.2)
    body = Box(area.x, top, area.w, bottom - top)
    if spec.columns:
        boxes = body.split_columns(len(spec.columns), theme.gap)
        for n, (column, box) in enumerate(zip(spec.columns, boxes), start=1):
            pars = point_paragraphs(column.points, theme)
            if column.heading:
                pars.insert(0, paragraph(column.heading, 24, c.primary, bold=True))
            elements.append(fitted(box, pars, f"Column {n}", max_scale=1.25))
    elif spec.points:
        elements.append(fitted(body, point_paragraphs(spec.points, theme), "Points",
                               max_scale=1.25))
    return SlidePlan(content_title(spec.title, theme), elements, spec.notes)
