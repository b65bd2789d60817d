"""What lies under a text box on a template, and the brand colour that reads on it.

A template paints its slides before deckgen draws anything: a background (a colour, a
gradient, a picture), bands, ribbons, logos (office/read/paint.py reads them as `Paint`s).
Text deckgen colours itself (the title slide's lines, the footer, the slide number, the
protective marking) takes the first of the brand's colours that reaches WCAG AA's contrast on
every colour under it: on a dark band, the brand's light colour. When none does, the element
cannot be read on that template, and the build says so (review.py `unreadable`).
"""

from __future__ import annotations

from typing import Sequence

from deckgen.layout.plan import Box
from deckgen.source.schema import Colours
from deckgen.source.template import Paint

CONTRAST_BODY, CONTRAST_LARGE = 4.5, 3.0
WHITE = "FFFFFF"


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two RRGGBB colours (1 to 21)."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def under(box: Box, paints: Sequence[Paint]) -> list[str]:
    """The colours that may show under `box`: those of every paint over it, from the top
    down to the first that covers it whole; white when nothing is painted there."""
    where = (box.x, box.y, box.w, box.h)
    found: list[str] = []
    for paint in reversed(paints):
        colours = paint.under(where)
        found += [c for c in colours if c not in found]
        if colours and paint.covers(where):
            return found
    return found + ([WHITE] if WHITE not in found else [])


def worst(colour: str, backs: Sequence[str]) -> tuple[float, str]:
    """The lowest contrast of `colour` on any of `backs`, and that background."""
    return min(((contrast(colour, b), b) for b in backs), default=(21.0, WHITE))


def candidates(preferred: str, colours: Colours) -> list[str]:
    """The colours text may take, the preferred first: then the brand's text and primary
    colours, its light colour (for dark bands), its muted and accent colours. Only the
    brand's: a template no brand colour reads on is the brand's to fix, not deckgen's to
    guess."""
    out = [preferred, colours.text, colours.primary, colours.light, colours.muted,
           colours.accent]
    return list(dict.fromkeys(c.upper() for c in out))


def ink(box: Box, paints: Sequence[Paint], preferred: str, colours: Colours,
        need: float = CONTRAST_BODY) -> str:
    """The first candidate colour (`candidates`) that reaches `need` on everything under
    `box`; the preferred one when nothing is painted under it; the one that comes nearest
    when none reaches it (the review then stops the build, naming the colours and the
    ratio)."""
    if not paints:
        return preferred
    backs = under(box, paints)
    ranked = candidates(preferred, colours)
    for colour in ranked:
        if worst(colour, backs)[0] >= need:
            return colour
    return max(ranked, key=lambda colour: worst(colour, backs)[0])
