"""The theme: the brand as read (colours, fonts, logo, footer, marking) and the slide grid every
layout uses. The brand's schema is the outline's (source/schema.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from deckgen.errors import Location
from deckgen.layout.plan import Box, inches
from deckgen.layout.region import Region, markings
from deckgen.source.schema import Brand, Colours
from deckgen.source.template import Template


@dataclass(frozen=True)
class Theme:
    """The resolved brand plus the grid; layout code reads every size and margin from here."""

    brand: Brand
    logo: bytes | None
    #: Where the brand's settings are written (footer, marking, logo...), so a problem they
    #: cause on every slide is reported once, at its line.
    where: Mapping[str, Location] = field(default_factory=dict)
    #: the organisation's template the deck is built on (its size is the slide's), or None
    template: Optional[Template] = None
    #: on a template, where the slide's layout puts the title and the content (set per slide)
    region: Optional[Region] = None
    slide_w: int = 12192000  # 13.333 in: PowerPoint's Widescreen (16:9), exactly
    slide_h: int = inches(7.5)
    margin: int = inches(0.6)
    title_top: int = inches(0.38)
    title_h: int = inches(0.85)
    title_size: float = 30.0
    rule_h: int = inches(0.05)
    content_top: int = inches(1.55)
    footer_h: int = inches(0.42)
    gap: int = inches(0.35)
    body_size: float = 22.0
    min_body_size: float = 14.0
    #: the largest body text a sparse slide's text grows to, filling its body (layout/fill.py):
    #: larger reads as a headline, not as the slide's points
    max_body_size: float = 32.0
    #: ... and the largest a lone statement grows to (one short point, alone on its slide)
    max_statement_size: float = 40.0
    small_size: float = 11.0  # footer, marking, slide number
    caption_size: float = 12.0  # sources, credits

    @property
    def cover(self) -> tuple[str | None, str]:
        """The background and the text colour of title and section slides: the brand's
        primary with white text; on a template, its own background (None) with the brand's
        primary, so the template's master shows as designed."""
        if self.template is not None:
            return None, self.colours.primary
        return self.colours.primary, "FFFFFF"

    @property
    def colours(self) -> Colours:
        return self.brand.colours

    @property
    def font(self) -> str:
        """The body text's font: the brand's, else (a brand that names none, on a template)
        the template's theme font for body text."""
        return self._fonts[1]

    @property
    def heading_font(self) -> str:
        return self._fonts[0]

    @property
    def _fonts(self) -> tuple[str, str]:
        theirs = self.template.fonts if self.template is not None else ("", "")
        if "fonts" in self.brand.model_fields_set or not all(theirs) or \
                any(f.startswith("+") for f in theirs):
            return self.brand.fonts.heading, self.brand.fonts.body
        return theirs

    @property
    def footer_top(self) -> int:
        if self.region is not None:
            return self.region.footer_top
        return self.slide_h - self.footer_h

    @property
    def marking_boxes(self) -> tuple[Box, Box]:
        """Where the protective marking goes, top and bottom centre (on a template, clear of
        its footer placeholders)."""
        return markings(self.slide_w, self.slide_h, self.margin, self.footer_h, self.template)

    @property
    def content(self) -> Box:
        """The area below the title and above the footer, inside the side margins (on a
        template, the layout's content placeholder or free area)."""
        if self.region is not None:
            return self.region.content
        bottom = self.footer_top - inches(0.15)
        return Box(self.margin, self.content_top, self.slide_w - 2 * self.margin,
                   bottom - self.content_top)

    @property
    def title_box(self) -> Box:
        region = self.region
        if region is not None:  # room for the logo at its right when the brand adds one
            logo = inches(1.05) if self.logo and region.logo else 0
            t = region.title
            if region.title_align == "center":
                # a centred title is centred on the slide: narrowed on both sides alike
                half = min(t.x + t.w - self.slide_w // 2, self.slide_w // 2 - t.x,
                           self.slide_w // 2 - t.x - logo)
                return Box(self.slide_w // 2 - half, t.y, 2 * half, t.h)
            return Box(t.x, t.y, min(t.w, self.slide_w - t.x - logo - t.x), t.h)
        logo_space = inches(1.3) if self.logo else 0
        return Box(self.margin, self.title_top, self.slide_w - 2 * self.margin - logo_space,
                   self.title_h)
