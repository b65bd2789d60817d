"""`image`: a picture with alt text, caption and credit, fitted to the slide without distortion."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from deckgen.data.images import fit_inside, load_image
from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.layout.frame import content_title, fitted, notes_with, paragraph
from deckgen.layout.plan import Box, Element, Picture, SlidePlan, inches

STAND_IN_NOTE = ("The picture on this slide is a stand-in graphic made by deckgen: the original "
                 "photo is not available. Replace the file named in deck.yaml with the real one.")


class Spec(SlideSpec):
    kind: Literal["image"]
    image: str = Field(description="path relative to the outline (a file key: see kinds.REGISTRY)")
    alt: str = Field(description="what the picture shows, for screen readers")
    caption: str = ""
    credit: str = ""
    stand_in: bool = Field(
        default=False,
        description="the picture stands in for an original that is not available")


def credit_text(credit: str, stand_in: bool) -> str:
    """The credit under a picture. Under a stand-in the credit is the original's, so it must
    not read as this picture's: 'Illustration standing in for the original, credited “Photo:
    Richard Wiseman”' (the credit kept word for word)."""
    if not stand_in:
        return credit
    if not credit:
        return "Illustration standing in for the original photo"
    return f"Illustration standing in for the original, credited \u201c{credit}\u201d"


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    picture = load_image(ctx.asset("image", spec.image), ctx.locate("image"), ctx.label)
    caption_h = inches(0.7) if spec.caption else 0
    credit = credit_text(spec.credit, spec.stand_in)
    credit_h = inches(0.35) if credit else 0
    space = Box(area.x, area.y, area.w, area.h - caption_h - credit_h)
    w, h = fit_inside(space.w, space.h, picture.aspect)
    box = Box(space.x + (space.w - w) // 2, space.y, w, h)
    elements: list[Element] = [Picture(box, picture.data, spec.alt, "Picture")]
    y = box.bottom
    if credit:
        elements.append(fitted(Box(box.x, y, box.w, credit_h),
                               [paragraph(credit, theme.caption_size, c.muted, align="right")],
                               "Credit"))
        y += credit_h
    if spec.caption:
        elements.append(fitted(Box(area.x, y, area.w, caption_h),
                               [paragraph(spec.caption, 20, c.text, align="center")],
                               "Caption", anchor="middle"))
    notes = notes_with(spec.notes, STAND_IN_NOTE if spec.stand_in else "")
    return Planned([SlidePlan(content_title(spec.title, theme), elements, notes)])
