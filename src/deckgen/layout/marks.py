"""The protective marking on an organisation's template: on each of its layouts, in a colour
that reads there.

One marking on the master would take one colour for every layout, and a template whose title
layout has a dark band where the others are white has no such colour (issue 28: OFFICIAL in
the brand's blue, on a band of that blue). So the marking goes on each layout, as the
master's shapes would show on it, coloured for what that layout paints under it; a slide a
colleague adds in PowerPoint, on any layout, shows it just as deckgen's slides do, and it is
never stacked twice. The marking also keeps clear of text the template writes of its own
beside the footer (an organisation's name): moved along its line until it does not meet it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from deckgen.layout import backdrop
from deckgen.layout.plan import Box, Paragraph, Run, TextBox
from deckgen.layout.theme import Theme
from deckgen.source.schema import Colours
from deckgen.source.template import Paint

MARKS = ("Protective marking", "Protective marking (top)")


def clear_of(box: Box, texts: Sequence[tuple[int, int, int, int]], width: int) -> Box:
    """`box` moved along its line (to the right, then to the left) until it meets none of the
    template's own `texts`; where it was when there is no such place on the slide."""
    def meets(b: Box) -> bool:
        return any(b.x < x + w and x < b.right and b.y < y + h and y < b.bottom
                   for x, y, w, h in texts)

    if not meets(box):
        return box
    for x in sorted({x + w for x, _, w, _ in texts} | {x - box.w for x, _, _, _ in texts},
                    key=lambda at: abs(at - box.x)):
        moved = replace(box, x=x)
        if 0 <= x and moved.right <= width and not meets(moved):
            return moved
    return box


def readable_place(box: Box, paints: Sequence[Paint], colours: Colours, height: int) -> Box:
    """`box`, or the nearest place up or down its column where some brand colour reads on
    everything under it: a marking that straddles the edge of a template's ribbon (half on
    the teal, half on white) goes wholly onto the ribbon, or wholly below it."""
    def reads(b: Box) -> bool:
        backs = backdrop.under(b, paints)
        return any(backdrop.worst(c, backs)[0] >= backdrop.CONTRAST_BODY
                   for c in backdrop.candidates(colours.muted, colours))

    if not paints or reads(box):
        return box
    tops: set[int] = set()
    for paint in paints:
        x, y, w, h = paint.box
        if not (box.x < x + w and x < box.right and box.y < y + h and y < box.bottom):
            continue
        if h >= box.h:
            tops.add(min(max(box.y, y), y + h - box.h))
        tops |= {y + h, y - box.h}
    for top in sorted(tops, key=lambda t: abs(t - box.y)):
        moved = replace(box, y=top)
        if 0 <= top and moved.bottom <= height and reads(moved):
            return moved
    return box


def layout_marks(theme: Theme) -> tuple[tuple[str, tuple[TextBox, ...]], ...]:
    """For each of the template's layouts, its marking (top and bottom), placed clear of the
    template's own text and coloured to read on what the layout paints there."""
    template, brand = theme.template, theme.brand
    if template is None or not brand.marking:
        return ()
    top, bottom = theme.marking_boxes
    out = []
    for layout in template.layouts:
        marks = []
        for box, name in ((bottom, MARKS[0]), (top, MARKS[1])):
            at = readable_place(clear_of(box, layout.texts, theme.slide_w), layout.paints,
                                theme.colours, theme.slide_h)
            colour = backdrop.ink(at, layout.paints, theme.colours.muted, theme.colours)
            marks.append(TextBox(at, (Paragraph((Run(brand.marking),), theme.small_size,
                                                colour, align="center", bold=True),),
                                 name, anchor="middle"))
        out.append((layout.name, tuple(marks)))
    return tuple(out)
