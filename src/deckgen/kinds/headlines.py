"""`headlines`: news headlines as cards (headline, outlet or byline, date) — press coverage."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.layout import markup
from deckgen.layout.coverage import FILL_BELOW
from deckgen.layout.fill import grow_scale
from deckgen.layout.frame import content_title, fitted, lead_band, paragraph
from deckgen.layout.plan import Box, Rect, SlidePlan, inches

#: The tallest a headline card grows to when a few headlines fill the slide.
FILL_CARD = inches(2.4)


class Headline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headline: str
    outlet: str = ""
    byline: str = Field(default="", description="e.g. \"By *Sarah Hills*\"")
    date: Union[dt.date, str] = Field(
        default="",
        description="shown as \"Posted: <date>\"; a YAML date as 23 June 2016")


class Spec(SlideSpec):
    kind: Literal["headlines"]
    lead: str = ""
    headlines: list[Headline] = Field(min_length=1, max_length=6)


def meta_line(item: Headline) -> str:
    when = f"{item.date.day} {item.date:%B %Y}" if isinstance(item.date, dt.date) else item.date
    parts = [item.outlet, item.byline, f"Posted: {when}" if when else ""]
    return " | ".join(p for p in parts if p)


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements, top = lead_band(spec.lead, theme)
    n = len(spec.headlines)
    cols = 1 if n <= 3 else 2
    rows = (n + cols - 1) // cols
    grid = Box(area.x, top, area.w, area.bottom - top)
    gap = inches(0.25)
    card_h = min(inches(1.6), (grid.h - gap * (rows - 1)) // rows)
    grow = 1.0
    if (rows * card_h + (rows - 1) * gap) / area.h < FILL_BELOW:
        # a few headlines: cards that share the height (up to FILL_CARD each, centred), their
        # text grown as far as the brand allows, rather than a stack left at the top
        # (a lone row of cards takes three fifths of the height, as a lone statement does)
        tallest = FILL_CARD if rows > 1 else max(FILL_CARD, grid.h * 3 // 5)
        card_h = min(tallest, (grid.h - gap * (rows - 1)) // rows)
        grid = Box(grid.x, grid.y + (grid.h - rows * card_h - (rows - 1) * gap) // 2, grid.w,
                   rows * card_h + (rows - 1) * gap)
        grow = grow_scale(ctx.theme, 22)
    col_boxes = grid.split_columns(cols, inches(0.3))
    for i, item in enumerate(spec.headlines):
        col, row = i % cols, i // cols
        base = col_boxes[col]
        card = Box(base.x, grid.y + row * (card_h + gap), base.w, card_h)
        elements.append(Rect(card, c.light, f"Card {i + 1}"))
        elements.append(Rect(Box(card.x, card.y, inches(0.1), card.h), c.accent,
                             f"Card bar {i + 1}"))
        pars = [paragraph(item.headline, 22 if cols == 1 else 20, c.primary, bold=True)]
        meta = meta_line(item)
        if meta:
            pars.append(paragraph(meta, 16, c.muted, space_before=6))
        inner = Box(card.x + inches(0.3), card.y + inches(0.1), card.w - inches(0.45),
                    card.h - inches(0.2))
        elements.append(fitted(inner, pars, f"Headline {i + 1}: {markup.plain(item.headline)}",
                               anchor="middle", min_scale=0.55, max_scale=grow))
    return Planned([SlidePlan(content_title(spec.title, theme), elements, spec.notes)])
