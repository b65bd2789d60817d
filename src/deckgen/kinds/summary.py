"""`summary`: the closing slide — one statement, one headline figure, optionally a picture."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal, Optional

from pydantic import Field

from deckgen.data.images import fit_inside, load_image
from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.kinds.image import STAND_IN_NOTE, credit_text
from deckgen.layout.frame import caption_height, content_title, fitted, notes_with, paragraph
from deckgen.layout.plan import Box, Element, Picture, Rect, SlidePlan, inches


class Spec(SlideSpec):
    kind: Literal["summary"]
    statement: str = Field(description="line breaks are kept")
    figure: str = ""
    figure_label: str = ""
    image: Optional[str] = Field(default=None, description="a file key: see kinds.REGISTRY")
    alt: str = ""
    credit: str = ""
    stand_in: bool = False


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = []
    text_area = area
    notes_extra = ""
    if spec.image:
        if not spec.alt:
            raise ctx.error("a picture needs 'alt': a short description for screen readers",
                            "image")
        picture = load_image(ctx.asset("image", spec.image), ctx.locate("image"), ctx.label)
        credit = credit_text(spec.credit, spec.stand_in)
        # a long credit takes the lines it needs under a narrow picture (a 4:3 slide)
        needed = caption_height(credit, theme, area.w // 2)
        credit_h = inches(0.35) if needed <= inches(0.4) else needed
        half = Box(area.x, area.y, area.w // 2, area.h - credit_h)
        w, h = fit_inside(half.w, half.h, picture.aspect)
        box = Box(half.x, half.y + (half.h - h) // 2, w, h)
        elements.append(Picture(box, picture.data, spec.alt, "Picture"))
        if credit:
            elements.append(fitted(Box(box.x, box.bottom, box.w, credit_h),
                                   [paragraph(credit, theme.caption_size, c.muted, align="right")],
                                   "Credit"))
        text_area = Box(area.x + half.w + theme.gap, area.y, area.w - half.w - theme.gap, area.h)
        notes_extra = STAND_IN_NOTE if spec.stand_in else ""
    statement_h = int(text_area.h * 0.5)
    elements.append(fitted(Box(text_area.x, text_area.y, text_area.w, statement_h),
                           [replace(paragraph(spec.statement, 48, c.primary, bold=True),
                                    line_spacing=0.9)], "Statement",
                           anchor="middle", min_scale=0.5))
    if spec.figure:
        fig_box = Box(text_area.x, text_area.y + statement_h + inches(0.2), text_area.w,
                      text_area.h - statement_h - inches(0.2))
        elements.append(Rect(Box(fig_box.x, fig_box.y, inches(1.6), inches(0.08)), c.accent,
                             "Accent rule"))
        pars = [paragraph(spec.figure, 72, c.primary, bold=True)]
        if spec.figure_label:
            pars.append(paragraph(spec.figure_label, 26, c.text))
        elements.append(fitted(Box(fig_box.x, fig_box.y + inches(0.15), fig_box.w,
                                   fig_box.h - inches(0.15)), pars, "Figure", min_scale=0.5))
    notes = notes_with(spec.notes, notes_extra)
    return Planned([SlidePlan(content_title(spec.title, theme), elements, notes)])
