"""`title`: the opening slide — deck title, subtitle (e.g. the district), date and a tagline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal, Union

from pydantic import Field, field_validator

from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.layout import backdrop, markup
from deckgen.layout.frame import balanced, cover_title, fitted, paragraph
from deckgen.layout.plan import Box, Element, Picture, Rect, SlidePlan, Title, inches
from deckgen.source import dates
from deckgen.source.schema import unknown_source


class Spec(SlideSpec):
    kind: Literal["title"]
    title: str = Field(default="", description="default: the deck's title")
    subtitle: str = Field(default="", description="default: the deck's subtitle")
    date: Union[dt.date, str] = Field(
        default="",
        description="default: the deck's date (2016-07-07, 7 July 2016)")
    tagline: str = ""
    data_to: str = Field(
        default="",
        description="a data source: the slide says \"Data to 30th April 2016\", the date the "
                    "source runs to (its `as_of:`, data/provenance.py)")

    _date = field_validator("date")(dates.checked)


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    background, ink = theme.cover
    title_text = spec.title or ctx.deck_title
    region = theme.region
    title_ink = ink
    if region is not None:
        # on a template, colours that read on what it paints there (a dark band: the brand's
        # light colour), the subtitle's lines held to the contrast small text needs
        title_ink = backdrop.ink(region.title, region.paints, ink, c, backdrop.CONTRAST_LARGE)
        ink = backdrop.ink(region.content, region.paints, ink, c)
    lines = []
    subtitle = spec.subtitle or ctx.deck_subtitle
    if subtitle:
        # the accent reads on the primary; on a template's light cover, the brand's ink
        lines.append(paragraph(subtitle, 30, c.accent if background else ink, bold=True))
    date = dates.show_date(spec.date, theme.brand.date_style) if spec.date else ctx.deck_date
    if date:
        lines.append(paragraph(date, 22, ink, space_before=6))
    if spec.data_to:
        lines.append(paragraph(_data_to(spec.data_to, ctx), 18, ink, space_before=4))
    if spec.tagline:
        lines.append(paragraph(spec.tagline, 24, ink, space_before=18))
    if region is not None:  # the template's title slide: its title and subtitle placeholders
        title = cover_title(title_text, region, 44, title_ink)
        lines = [replace(line, align=region.content_align) for line in lines]
        # a line that wraps breaks in balance, not before a last word alone, kept where the
        # template aligns it
        box = balanced(region.content, lines)
        if region.content_align == "center":
            box = replace(box, x=region.content.x + (region.content.w - box.w) // 2)
        elements: list[Element] = [fitted(box, lines, "Subtitle")] if lines else []
        return Planned([SlidePlan(title, elements, spec.notes, background=background)])
    left = theme.margin + inches(0.3)
    # beside the logo, on a 4:3 slide too
    logo_x = theme.slide_w - theme.margin - inches(2.6) - inches(0.3)
    width = min(inches(8.6), (logo_x - left) if theme.logo else inches(8.6),
                theme.slide_w - left - theme.margin)
    title = Title(markup.plain(title_text), Box(left, inches(1.7), width, inches(1.5)), 44,
                  ink, anchor="bottom")
    rule = Box(left, inches(3.35), inches(2.2), inches(0.08))
    elements = [Rect(rule, c.accent, "Accent rule")]
    if lines:
        elements.append(fitted(balanced(Box(left, inches(3.6), width, inches(2.6)), lines),
                               lines, "Subtitle"))
    if theme.logo:
        size = inches(2.6)
        elements.append(Picture(Box(theme.slide_w - theme.margin - size - inches(0.3),
                                    inches(2.2), size, size), theme.logo,
                                f"{theme.brand.name or 'Brand'} logo", "Logo"))
    return Planned([SlidePlan(title, elements, spec.notes, background=background)])


def _data_to(name: str, ctx: SlideContext) -> str:
    if name not in ctx.data.specs:
        raise ctx.error(unknown_source(name, ctx.data.specs), "data_to")
    as_of = ctx.provenance(name).as_of
    if as_of is None:
        raise ctx.error(f"data '{name}' does not say the date it runs to: give it 'as_of:' (a "
                        "date, a month, or {latest: Month}, the latest month in its rows)",
                        "data_to")
    return f"Data to {dates.show_date(as_of, ctx.theme.brand.date_style)}"
