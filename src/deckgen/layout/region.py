"""Where a slide's title and content go on a template's layout, measured from the template.

Without a template, deckgen's grid (layout/theme.py) places everything. On an organisation's
template, each layout says where its title is, which placeholder holds the content (a body,
picture, table, chart or content placeholder, which deckgen fills), where its footer and
slide number go, and which shapes of its own (a band, a logo) the content must keep clear of.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from deckgen.layout.plan import Align, Box, Slot, inches
from deckgen.source.template import Layout, Paint, Placeholder, Template

#: The placeholders that hold a slide's content, and those of the frame
CONTENT = ("obj", "body", "pic", "tbl", "chart", "subTitle")
FRAME = ("dt", "ftr", "sldNum")


@dataclass(frozen=True)
class Region:
    """A layout's places for deckgen: the title, the content (a placeholder's, or the free area
    between the title, the footer and the template's own shapes), where the footer band
    starts, and the placeholders the content, footer and slide number fill."""

    title: Box
    content: Box
    footer_top: int
    slot: Optional[Slot] = None
    footer: Optional[tuple[Slot, Box]] = None
    number: Optional[tuple[Slot, Box]] = None
    logo: bool = True  # the brand's logo is added (the template shows no picture of its own)
    #: how the template aligns the title's and the content's text (covers follow it)
    title_align: Align = "left"
    content_align: Align = "left"
    #: what the template paints under the slide (office/read/paint.py), in drawing order
    paints: tuple[Paint, ...] = ()
    #: where the template writes text of its own, which deckgen's frame keeps clear of
    texts: tuple[tuple[int, int, int, int], ...] = ()
    #: the layout's date placeholder, which the deck's date fills
    date: Optional[tuple[Slot, Box]] = None


def markings(w: int, h: int, margin: int, footer_h: int,
             template: Optional[Template] = None) -> tuple[Box, Box]:
    """Where the protective marking goes, top and bottom centre: in deckgen's footer band; on
    a template's masters, below its footer placeholders when there is room for a line, else
    just above them, never over them."""
    third = (w - 2 * margin) // 3
    top = Box(margin + third, inches(0.04), third, inches(0.3))
    frame = [p.box for lay in template.layouts for p in lay.placeholders
             if p.type in FRAME and p.box and p.box[1] > h // 2] if template else []
    if not frame:
        return top, Box(margin + third, h - footer_h + inches(0.06), third,
                        footer_h - inches(0.1))
    low = max(y + box_h for _, y, _, box_h in frame)
    if h - low >= inches(0.22):
        return top, Box(margin + third, low, third, h - low)
    high = min(y for _, y, _, _ in frame)
    return top, Box(margin + third, high - inches(0.3), third, inches(0.28))


def region_for(layout: Layout, width: int, height: int, *, margin: int, title_top: int,
               title_h: int, footer_h: int, cover: bool = False,
               floor: Optional[int] = None) -> Region:
    """The region of `layout` on a `width` x `height` slide; the grid's margins and heights
    stand in where the layout does not say (a layout without a title placeholder). Content
    stays above `floor` (the marking's top, when it sits above the footer)."""
    title_ph = layout.title
    title = _box(title_ph) if title_ph is not None and title_ph.box else \
        Box(margin, title_top, width - 2 * margin, title_h)
    frame = [p for p in layout.placeholders if p.type in FRAME and p.box and
             p.box[1] > height // 2]
    footer_top = min((p.box[1] for p in frame if p.box), default=height - footer_h)
    if floor is not None:
        footer_top = min(footer_top, floor)
    footer = next(((Slot(p.type, p.idx), _box(p)) for p in frame if p.type == "ftr"), None)
    number = next(((Slot(p.type, p.idx), _box(p)) for p in frame if p.type == "sldNum"), None)
    date = next(((Slot(p.type, p.idx), _box(p)) for p in frame if p.type == "dt"), None)
    held = [p for p in layout.placeholders if p.type in CONTENT and p.box
            and (cover or p.type != "subTitle")]
    logo = not layout.picture
    if held:
        biggest = max(held, key=lambda p: (p.box[2] * p.box[3]) if p.box else 0)
        box = _box(biggest)
        # kept above the footer band (and the marking, when it sits just above the footer)
        box = Box(box.x, box.y, box.w, min(box.h, footer_top - inches(0.05) - box.y))
        return Region(title, box, footer_top, Slot(biggest.type, biggest.idx), footer, number,
                      logo, _ALIGN.get(title_ph.align if title_ph else "", "left"),
                      _ALIGN.get(biggest.align, "left"), layout.paints, layout.texts, date)
    return Region(title, _free(layout, title, footer_top, width, height), footer_top, None,
                  footer, number, logo, _ALIGN.get(title_ph.align if title_ph else "", "left"),
                  paints=layout.paints, texts=layout.texts, date=date)


_ALIGN: dict[str, Align] = {"l": "left", "ctr": "center", "r": "right"}


def _box(p: Placeholder) -> Box:
    assert p.box is not None
    return Box(*p.box)


def _free(layout: Layout, title: Box, footer_top: int, width: int, height: int) -> Box:
    """The area below the title and above the footer, as wide as the title's margins allow,
    kept clear of the layout's own shapes: one in the lower half of the area raises its
    bottom, one in the upper half lowers its top, a tall strip at a side narrows it. A shape
    covering most of the slide is a background, and is drawn over."""
    top, bottom = title.bottom + inches(0.2), footer_top - inches(0.15)
    left = title.x
    right = width - title.x
    for x, y, w, h in layout.shapes:
        if w * h > 0.4 * width * height or not (x < right and left < x + w and
                                                  y < bottom and top < y + h):
            continue
        if h > (bottom - top) / 2 and w < (right - left) / 3:  # a strip down one side
            if x + w / 2 > (left + right) / 2:
                right = min(right, x)
            else:
                left = max(left, x + w)
        elif y + h / 2 > (top + bottom) / 2:
            bottom = min(bottom, y)
        else:
            top = max(top, y + h)
    if bottom - top < inches(2) or right - left < width / 2:
        # the shapes leave too little room: draw over them rather than squeeze the content
        top, bottom, left, right = (title.bottom + inches(0.2), footer_top - inches(0.15),
                                    title.x, width - title.x)
    return Box(left, top, right - left, bottom - top)


def describe(template: Template, margin: int, title_top: int, title_h: int,
             footer_h: int) -> tuple[list[str], list[str]]:
    """For `deckgen template inspect`: where deckgen puts a content slide's content on each
    layout (the placeholder it fills, or the free area it measures), the placeholder each
    role fills on the layouts a build uses by default, and what cannot be used: placeholders
    with no height, layouts that leave no room for content."""
    emu = 914400

    def at(b: Box) -> str:
        return f"{b.x / emu:.2f}, {b.y / emu:.2f} in, {b.w / emu:.2f} x {b.h / emu:.2f} in"

    covers = {name for name in _cover_layouts(template)}
    lines = ["where content goes on each layout:"]
    warnings: list[str] = []
    for layout in template.layouts:
        region = region_for(layout, template.width, template.height, margin=margin,
                            title_top=title_top, title_h=title_h, footer_h=footer_h,
                            cover=layout.name in covers)
        b = region.content
        lines.append(f"  {layout.name}: " + (
            f"fills its {region.slot.type} placeholder (idx {region.slot.idx}) at {at(b)}"
            if region.slot else f"the free area at {at(b)}"))
        warnings += [f"layout '{layout.name}': placeholder '{p.name}' ({p.type}, idx {p.idx}) "
                     "has no height: nothing deckgen puts in it can be seen"
                     for p in layout.placeholders if p.box and (p.box[3] <= 0 or p.box[2] <= 0)]
        if b.h < inches(1) or b.w < inches(2):
            warnings.append(f"layout '{layout.name}' cannot be used for a slide's content: it "
                            f"leaves {b.w / emu:.2f} x {b.h / emu:.2f} in for it")
    lines.append("what each role fills on the layouts a build uses:")
    for kind, name in _used(template):
        used = template.layout(name)
        if used is None:
            continue
        region = region_for(used, template.width, template.height, margin=margin,
                            title_top=title_top, title_h=title_h, footer_h=footer_h,
                            cover=kind != "content")
        roles = [("title", next(((Slot(p.type, p.idx), _box(p)) for p in used.placeholders
                                 if p.type in ("title", "ctrTitle") and p.box), None)),
                 ("lines" if kind != "content" else "content",
                  (region.slot, region.content) if region.slot else None),
                 ("footer", region.footer), ("date", region.date),
                 ("slide number", region.number)]
        unfilled = {"content": "the free area", "date": "not shown (no date placeholder)"}
        said = [f"{role} -> {slot.type} (idx {slot.idx})" if found else
                f"{role} -> {unfilled.get(role, 'a box of its own')}"
                for role, found in roles for slot in [found[0] if found else Slot("", 0)]]
        lines.append(f"  {kind} slides on '{name}': " + "; ".join(said))
    return lines, warnings


def _cover_layouts(template: Template) -> list[str]:
    return [name for kind, name in _used(template) if kind != "content"]


def _used(template: Template) -> list[tuple[str, str]]:
    """The layout each kind of slide is built on when the outline says nothing: its own by
    name, else the one standing in for it."""
    from deckgen.source.template import CONTENT_LAYOUT, DEFAULT_LAYOUTS, stand_in

    out = []
    for kind, name in (("title", DEFAULT_LAYOUTS["title"]),
                       ("section", DEFAULT_LAYOUTS["section"]), ("content", CONTENT_LAYOUT)):
        found = template.layout(name) or stand_in(template, name)
        if found is not None:
            out.append((kind, found.name))
    return out
