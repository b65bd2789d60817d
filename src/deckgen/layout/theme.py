"""The brand (colours, fonts, logo, footer, marking) and the slide grid every layout uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from deckgen.layout.plan import Box, inches

_HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")


def _colour(value: str) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise ValueError(f"'{value}' is not a colour; write it as six hex digits like '#1B365D'")
    return value.lstrip("#").upper()


class Colours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    primary: str = "1B365D"  # titles, bands, big numbers
    accent: str = "E0A526"  # rules, highlights
    text: str = "222222"
    muted: str = "5F6B7A"  # secondary text, unhighlighted chart bars
    light: str = "EEF2F7"  # card and stripe backgrounds
    highlight: str = "FCEFC7"  # highlighted table row
    good: str = "1E7B34"  # a change for the better
    bad: str = "B3261E"  # a change for the worse

    @field_validator("*", mode="before")
    @classmethod
    def _check(cls, value: Any) -> str:
        return _colour(value)


class Fonts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str = "Arial"
    body: str = "Arial"


class Brand(BaseModel):
    """What `assets/brand.yaml` (or `brand:` inline in the outline) may say."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    colours: Colours = Colours()
    fonts: Fonts = Fonts()
    logo: str | None = None  # path relative to the brand file
    footer: str = ""
    marking: str = ""  # protective marking, e.g. OFFICIAL, shown top and bottom of every slide
    slide_numbers: bool = True


@dataclass(frozen=True)
class Theme:
    """The resolved brand plus the grid; layout code reads every size and margin from here."""

    brand: Brand
    logo: bytes | None
    slide_w: int = inches(13.333)
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
    small_size: float = 11.0  # footer, marking, slide number
    caption_size: float = 12.0  # sources, credits

    @property
    def colours(self) -> Colours:
        return self.brand.colours

    @property
    def font(self) -> str:
        return self.brand.fonts.body

    @property
    def heading_font(self) -> str:
        return self.brand.fonts.heading

    @property
    def footer_top(self) -> int:
        return self.slide_h - self.footer_h

    @property
    def content(self) -> Box:
        """The area below the title and above the footer, inside the side margins."""
        bottom = self.footer_top - inches(0.15)
        return Box(self.margin, self.content_top, self.slide_w - 2 * self.margin,
                   bottom - self.content_top)

    @property
    def title_box(self) -> Box:
        logo_space = inches(1.3) if self.logo else 0
        return Box(self.margin, self.title_top, self.slide_w - 2 * self.margin - logo_space,
                   self.title_h)


def default_brand_path(deck_dir: Path) -> Path:
    return deck_dir / "assets" / "brand.yaml"
