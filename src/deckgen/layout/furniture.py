"""The brand's footer and the deck's date on an organisation's template: on one line, in the
template's own placeholders where its layouts have them, clear of what the template writes
there itself.

A template gives the footer a place (its footer placeholder) or none (then deckgen's footer
row). Either way the footer is set on one line: at the frame's size when it fits, a little
smaller (not below the readable minimum for small text), else widened along its line into
the free space beside it, never over the template's own text (an organisation's name written
on the master beside the footer), the protective marking or the slide number. Issue 28: on a
4:3 template the footer wrapped onto two lines on every slide, and on another it overprinted
the organisation's name.
"""

from __future__ import annotations

from typing import Optional, Sequence

from deckgen.layout import backdrop, textfit
from deckgen.layout.plan import EMU_PER_PT, Box, Paragraph, Run, TextBox, inches
from deckgen.layout.region import Region
from deckgen.layout.theme import Theme

#: the smallest a footer may be set (layout/review.py's minimum for small text)
MIN_FOOTER_PT = 10.0
#: room kept either side of the footer's text, for the renderer's own rounding
SLACK = inches(0.08)

Box4 = tuple[int, int, int, int]


def _meets(a: Box, b: Box4) -> bool:
    x, y, w, h = b
    return a.x < x + w and x < a.right and a.y < y + h and y < a.bottom


def stretches(line: Box, obstacles: Sequence[Box4], lo: int, hi: int) -> list[tuple[int, int]]:
    """The free stretches (from, to) of the line `line` sits on, between `lo` and `hi`, once
    the obstacles that cross the line are taken out."""
    spans = sorted((x, x + w) for x, y, w, h in obstacles
                   if y < line.bottom and line.y < y + h)
    out, at = [], lo
    for start, end in spans:
        if start > at:
            out.append((at, min(start, hi)))
        at = max(at, end)
    if at < hi:
        out.append((at, hi))
    return [(a, b) for a, b in out if b > a]


def on_one_line(box: Box, text: str, size: float, obstacles: Sequence[Box4], lo: int,
                hi: int) -> tuple[Box, float]:
    """Where, and at what size, `text` goes on one line: `box` when it fits there (clear of
    the obstacles), at a smaller size down to MIN_FOOTER_PT, else the free stretch of its
    line nearest to it that holds the text, as wide as the stretch allows."""
    sizes = [size - 0.5 * i for i in range(int((size - MIN_FOOTER_PT) * 2) + 1)]
    clear = not any(_meets(box, o) for o in obstacles)
    for s in sizes:
        need = int(textfit.text_width_pt(text, s) * EMU_PER_PT) + SLACK
        if clear and need <= box.w:
            return box, s
    for s in sizes:
        need = int(textfit.text_width_pt(text, s) * EMU_PER_PT) + SLACK
        free = [(a, b) for a, b in stretches(box, obstacles, lo, hi) if b - a >= need]
        if free:
            a, b = min(free, key=lambda ab: abs(max(ab[0], min(box.x, ab[1] - need)) - box.x))
            x = max(a, min(box.x, b - max(box.w, need)))
            return Box(x, box.y, min(b - x, max(box.w, need)), box.h), s
    return box, sizes[-1]


def footer(theme: Theme, region: Region, box: Box, ink: str) -> TextBox:
    """The brand's footer on a template, at `box` (its footer placeholder's, or deckgen's
    footer row), fitted on one line and coloured to read on what the template paints there."""
    brand = theme.brand
    obstacles = list(region.texts)
    if brand.marking:
        obstacles += [(b.x, b.y, b.w, b.h) for b in theme.marking_boxes]
    if brand.slide_numbers and region.number is not None:
        n = region.number[1]  # its text is at its right end: "99" at most
        wide = int(textfit.text_width_pt("999", theme.small_size) * EMU_PER_PT)
        obstacles.append((n.right - wide - SLACK, n.y, wide + SLACK, n.h))
    lo, hi = min(theme.margin, box.x), max(theme.slide_w - theme.margin, box.right)
    at, size = on_one_line(box, brand.footer, theme.small_size, obstacles, lo, hi)
    colour = backdrop.ink(at, region.paints, ink, theme.colours)
    slot = region.footer[0] if region.footer else None
    return TextBox(at, (Paragraph((Run(brand.footer),), size, colour),), "Footer",
                   anchor="middle", slot=slot)


def date(theme: Theme, region: Optional[Region], text: str, ink: str) -> Optional[TextBox]:
    """The deck's date in the template's own date placeholder, where the layout has one."""
    if region is None or region.date is None or not text:
        return None
    slot, box = region.date
    at, size = on_one_line(box, text, theme.small_size, list(region.texts), box.x, box.right)
    return TextBox(at, (Paragraph((Run(text),), size,
                                  backdrop.ink(at, region.paints, ink, theme.colours),
                                  align="center"),), "Date", anchor="middle", slot=slot)
