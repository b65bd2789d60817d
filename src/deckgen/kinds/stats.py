"""`stats`: two to six big-number callouts with labels, and the period and source they cover."""

from __future__ import annotations

import math
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.layout import textfit
from deckgen.layout.coverage import FILL_BELOW, covered
from deckgen.layout.frame import TEXT_INSET_Y, content_title, fitted, paragraph
from deckgen.layout.plan import Box, Element, Rect, SlidePlan, TextBox, inches


class StatCallout(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Union[str, int, float] = Field(
        description="numbers get thousands separators; text is shown as written")
    label: str

    @field_validator("value")
    @classmethod
    def _a_figure(cls, value: Union[str, int, float]) -> Union[str, int, float]:
        """YAML's .inf and .nan are not figures anyone means to show."""
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value} is not a figure; write the number to show")
        if isinstance(value, str) and value.strip().lower().lstrip("+-") in (".inf", ".nan"):
            raise ValueError(f"'{value}' is YAML's way to write infinity or 'not a number', "
                             "not a figure; write the number to show, or quote other text")
        return value


class Spec(SlideSpec):
    kind: Literal["stats"]
    heading: str = Field(default="", description="e.g. OPERATION RAPTOR")
    subheading: str = ""
    stats: list[StatCallout] = Field(min_length=2, max_length=6)
    period: str = Field(default="", description="e.g. May 2014 - May 2016")
    source: str = ""


def value_text(value: Union[str, int, float]) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return value


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = []
    top = area.y
    if spec.heading or spec.subheading:
        pars = []
        if spec.heading:
            pars.append(paragraph(spec.heading, 24, c.primary, bold=True))
        if spec.subheading:
            pars.append(paragraph(spec.subheading, 18, c.muted, bold=True))
        elements.append(fitted(Box(area.x, top, area.w, inches(1.0)), pars, "Heading"))
        top += inches(1.2)
    usual = elements + _cards(spec, ctx, top, inches(2.6), 1.0)
    if covered(usual, area) >= FILL_BELOW:
        elements = usual
    else:  # few figures: taller cards that share the height, their numbers a little larger
        elements += _cards(spec, ctx, top, FILL_CARD, 1.25)
    return Planned([SlidePlan(content_title(spec.title, theme), elements, spec.notes)])


def _value_box(card: Box) -> Box:
    inner = card.inset(inches(0.15))
    return Box(inner.x, inner.y, inner.w, int(inner.h * 0.55))


#: The tallest a card grows to when a few figures fill the slide.
FILL_CARD = inches(3.6)


def _cards(spec: Spec, ctx: SlideContext, top: int, tallest: int, grow: float
           ) -> list[Element]:
    """The figures' cards below `top` (each at most `tallest`), their numbers at one size up
    to `grow` times the usual, and the period and source line under them."""
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = []
    foot_h = inches(0.6) if (spec.period or spec.source) else 0
    n = len(spec.stats)
    per_row = n if n <= 4 else 3
    rows = (n + per_row - 1) // per_row
    grid = Box(area.x, top, area.w, area.bottom - top - (foot_h + inches(0.2) if foot_h else 0))
    card_h = min((grid.h - theme.gap * (rows - 1)) // rows, tallest)
    cards = [card for r in range(rows) for card in
             Box(grid.x, grid.y + r * (card_h + theme.gap), grid.w, card_h).split_columns(
                 per_row, inches(0.3))][:n]
    values = [paragraph(value_text(stat.value), 44, c.primary, bold=True, align="center")
              for stat in spec.stats]
    value_boxes = [_value_box(card) for card in cards]
    # one size for every number, so none looks more important for being shorter
    scale = min(textfit.fit_scale([v], b.w, b.h - 2 * TEXT_INSET_Y, 0.5, grow)
                for v, b in zip(values, value_boxes))
    for i, (stat, card, value, box) in enumerate(zip(spec.stats, cards, values, value_boxes),
                                                 start=1):
        elements.append(Rect(card, c.light, f"Card {i}"))
        elements.append(Rect(Box(card.x, card.y, card.w, inches(0.08)), c.accent,
                             f"Card rule {i}"))
        # a figure is sized to fit on one line and never broken inside: where a renderer
        # stands a wider font in for the brand's (DejaVu Sans for Arial is a quarter wider),
        # "£1,194,677" runs into the card's margin rather than onto two lines
        elements.append(TextBox(box, textfit.scaled([value], scale), f"Value: {stat.label}",
                                anchor="bottom", wrap=" " in value.text.strip()))
        label = Box(box.x, box.bottom, box.w, card.bottom - inches(0.15) - box.bottom)
        elements.append(fitted(label, [paragraph(stat.label, 18, c.text, align="center")],
                               f"Label: {stat.label}", anchor="top"))
    if foot_h:
        text = "  |  ".join(t for t in (spec.period, spec.source) if t)
        below = cards[-1].bottom + inches(0.2)
        elements.append(fitted(Box(area.x, below, area.w, foot_h),
                               [paragraph(text, 18, c.muted, bold=True, align="center")],
                               "Period", anchor="middle"))
    return elements
