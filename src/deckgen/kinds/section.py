"""`section`: a divider slide that names the next part of the briefing."""

from __future__ import annotations

from typing import Literal

from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.layout import backdrop, markup
from deckgen.layout.frame import cover_title, fitted, paragraph
from deckgen.layout.plan import Box, Element, Rect, SlidePlan, Title, inches


class Spec(SlideSpec):
    kind: Literal["section"]
    subtitle: str = ""


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    background, ink = theme.cover
    region = theme.region
    if region is not None:  # the template's section header: its title and text placeholders
        # in a colour that reads on what the template paints there (a band, a picture)
        title = cover_title(spec.title, region, 40, backdrop.ink(
            region.title, region.paints, ink, theme.colours, backdrop.CONTRAST_LARGE))
        subtitle = [paragraph(spec.subtitle, 24, backdrop.ink(
            region.content, region.paints, ink, theme.colours, backdrop.CONTRAST_LARGE),
            align=region.content_align)]
        text: list[Element] = [fitted(region.content, subtitle, "Subtitle")] \
            if spec.subtitle else []
        return Planned([SlidePlan(title, text, spec.notes, background=background)])
    left, width = theme.margin + inches(0.3), theme.slide_w - 2 * theme.margin - inches(0.6)
    title = Title(markup.plain(spec.title), Box(left, inches(2.2), width, inches(2.0)), 40,
                  ink, anchor="bottom")
    rule = Box(left, inches(4.4), inches(2.2), inches(0.08))
    elements: list[Element] = [Rect(rule, c.accent, "Accent rule")]
    if spec.subtitle:
        elements.append(fitted(Box(left, inches(4.7), width, inches(1.4)),
                               [paragraph(spec.subtitle, 24, ink)], "Subtitle"))
    return Planned([SlidePlan(title, elements, spec.notes, background=background)])
