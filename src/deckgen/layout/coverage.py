"""How much of a slide's body its content covers: what the review warns about (a half-empty
slide) and what the kinds read to decide whether to lay a sparse body out to fill.

"Covers" is measured as a reader sees ink, not as the plan draws frames:
- the body is the content area below the title and above the footer (the theme's grid, or
  the template layout's content placeholder or free area);
- every content shape counts by its box, clipped to the body: tables, pictures, charts, maps,
  filled rectangles (cards, bands) and drawn text boxes (a card with text);
- a text box with no fill counts by the text it holds, not its frame: as tall as its lines at
  their fitted sizes (placed as its anchor places them) and as wide as its longest line (the
  frame's width once a paragraph wraps), where its alignment puts it;
- shapes joined by connectors (a team chart) are one figure and count by the rectangle
  around them: the links between the boxes are part of it;
- the brand frame (footer, marking, slide number, logo, rules) does not count;
- the covered area is the union of these boxes (overlaps count once), over the body's area.
"""

from __future__ import annotations

from typing import Optional, Sequence

from deckgen.layout import textfit
from deckgen.layout.plan import (
    EMU_PER_PT,
    Box,
    Connector,
    Element,
    Paragraph,
    SlidePlan,
    TextBox,
)

#: The review warns of a slide whose content covers less than this share of its body.
WARN_BELOW = 0.5
#: A kind lays its content out to fill the body when the usual layout covers less than this
#: (more than the warning's threshold: a slide two-fifths empty looks unfinished too).
FILL_BELOW = 2 / 3
#: Names of the brand frame's elements (review.FRAME), which are not the slide's content.
FRAME = ("Footer", "Slide number", "Protective marking", "Logo", "Title rule", "Footer line",
         "Date")
_INSET_Y = 45_720  # frame.TEXT_INSET_Y (0.05 in): the writer's top and bottom text margins


def covered(elements: Sequence[Element], body: Box) -> float:
    """The share (0 to 1) of `body` the elements' content covers (see the module's docstring)."""
    if body.w <= 0 or body.h <= 0:
        return 1.0
    boxes = [clipped for box in _figures(elements)
             for clipped in [_clip(box, body)] if clipped is not None]
    return _union_area(boxes) / (body.w * body.h)


def slide_coverage(plan: SlidePlan) -> Optional[float]:
    """The share of the slide's body its content covers, or None for a slide with no body (a
    title or section slide: a cover is meant to be mostly background)."""
    if plan.body is None:
        return None
    return covered(plan.elements, plan.body)


def ink(e: TextBox) -> Box:
    """Where an unfilled text box's text is drawn: its lines' height at their sizes, its
    longest line's width, placed by its anchor and alignment. A drawn box (filled, outlined,
    rounded) is its frame."""
    if e.drawn:
        return e.box
    inner_w = max(e.box.w - 2 * e.margin, 1)
    width_pt = inner_w / EMU_PER_PT
    h = min(int(textfit.text_height_pt(e.paragraphs, width_pt) * EMU_PER_PT)
            + 2 * _INSET_Y + 2 * e.margin, e.box.h)
    w = min(max((_line_width(p, width_pt) for p in e.paragraphs), default=0.0) * EMU_PER_PT
            + 2 * e.margin, e.box.w)
    y = e.box.y if e.anchor == "top" else e.box.bottom - h if e.anchor == "bottom" \
        else e.box.y + (e.box.h - h) // 2
    align = e.paragraphs[0].align if e.paragraphs else "left"
    x = e.box.x if align == "left" else e.box.right - int(w) if align == "right" \
        else e.box.x + (e.box.w - int(w)) // 2
    return Box(x, y, int(w), h)


def _line_width(par: Paragraph, width_pt: float) -> float:
    """The width of a paragraph's longest line in points: the frame's once it wraps."""
    if textfit.paragraph_lines(par, width_pt) > len(par.text.split("\n")):
        return width_pt
    indent = (par.level * 0.45 * 72 + (0.3 * 72 if par.bullet else 0.0))
    widest = 0.0
    for line in par.text.split("\n"):
        bold = par.bold or any(r.bold for r in par.runs)
        widest = max(widest, textfit.text_width_pt(line, par.size, bold))
    return min(width_pt, widest + indent)


def _figures(elements: Sequence[Element]) -> list[Box]:
    """The boxes that count: each content shape's; shapes joined by connectors (directly, or
    along a chain of connectors that meet: down, along a bus, down) merged into the rectangle
    around them."""
    items: list[Box] = []
    links: list[Connector] = []
    for e in elements:
        if isinstance(e, Connector):
            links.append(e)
        elif not e.name.startswith(FRAME):
            items.append(ink(e) if isinstance(e, TextBox) else e.box)
    if not links:
        return items
    n = len(items)
    group = list(range(n + len(links)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for j, link in enumerate(links):
        ends = ((link.x1, link.y1), (link.x2, link.y2))
        for i, box in enumerate(items):
            if any(_touches(box, x, y) for x, y in ends):
                group[root(i)] = root(n + j)
        for k, other in enumerate(links[:j]):
            if any(_on(other, x, y) for x, y in ends) or \
                    any(_on(link, x, y) for x, y in ((other.x1, other.y1), (other.x2, other.y2))):
                group[root(n + k)] = root(n + j)
    merged: dict[int, Box] = {}
    for i, box in enumerate(items):
        r = root(i)
        merged[r] = _around(merged[r], box) if r in merged else box
    return list(merged.values())


_NEAR = 12_700  # a point's slack: a connector ends on a box's edge, give or take a point


def _touches(box: Box, x: int, y: int) -> bool:
    return box.x - _NEAR <= x <= box.right + _NEAR and box.y - _NEAR <= y <= box.bottom + _NEAR


def _on(link: Connector, x: int, y: int) -> bool:
    """Whether the point lies on the (horizontal or vertical) connector, give or take a point."""
    return (min(link.x1, link.x2) - _NEAR <= x <= max(link.x1, link.x2) + _NEAR
            and min(link.y1, link.y2) - _NEAR <= y <= max(link.y1, link.y2) + _NEAR)


def _around(a: Box, b: Box) -> Box:
    x, y = min(a.x, b.x), min(a.y, b.y)
    return Box(x, y, max(a.right, b.right) - x, max(a.bottom, b.bottom) - y)


def _clip(box: Box, body: Box) -> Optional[Box]:
    x0, y0 = max(box.x, body.x), max(box.y, body.y)
    x1, y1 = min(box.right, body.right), min(box.bottom, body.bottom)
    return Box(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def _union_area(boxes: Sequence[Box]) -> int:
    """The area the boxes cover together (overlaps once): strips between their x edges."""
    xs = sorted({b.x for b in boxes} | {b.right for b in boxes})
    area = 0
    for x0, x1 in zip(xs, xs[1:]):
        spans = sorted((b.y, b.bottom) for b in boxes if b.x <= x0 and b.right >= x1)
        covered_h, top, bottom = 0, None, 0
        for y0, y1 in spans:
            if top is None or y0 > bottom:
                covered_h += bottom - top if top is not None else 0
                top, bottom = y0, y1
            else:
                bottom = max(bottom, y1)
        covered_h += bottom - top if top is not None else 0
        area += (x1 - x0) * covered_h
    return area
