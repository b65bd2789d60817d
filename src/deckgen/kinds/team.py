"""`team`: a team structure (who leads whom) drawn as native, editable boxes and connectors."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from deckgen.kinds.base import Planned, SlideContext, SlideSpec
from deckgen.layout.coverage import FILL_BELOW, covered
from deckgen.layout.frame import content_title, fitted, lead_band, paragraph
from deckgen.layout.plan import Box, Connector, Element, SlidePlan, inches

MAX_LEVELS = 4
MAX_PER_LEVEL = 6


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str
    detail: str = ""
    children: list["Member"] = Field(default_factory=list)


class Spec(SlideSpec):
    kind: Literal["team"]
    lead: str = ""
    root: Member


def levels(root: Member) -> list[list[tuple[Member, int]]]:
    """Members by depth, each with the index of its parent in the level above."""
    out: list[list[tuple[Member, int]]] = [[(root, -1)]]
    while True:
        nxt = [(child, i) for i, (m, _) in enumerate(out[-1]) for child in m.children]
        if not nxt:
            return out
        out.append(nxt)


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    theme = ctx.theme
    area = theme.content
    rows = levels(spec.root)
    if len(rows) > MAX_LEVELS:
        raise ctx.error(f"a team chart shows at most {MAX_LEVELS} levels", "root")
    widest = max(len(r) for r in rows)
    if widest > MAX_PER_LEVEL:
        raise ctx.error(f"a team chart shows at most {MAX_PER_LEVEL} people or groups per level",
                        "root")
    lead, top = lead_band(spec.lead, theme)
    usual = _chart(rows, ctx, top, inches(1.25), inches(3.6), 1.0)
    elements = lead + usual
    if covered(elements, area) < FILL_BELOW:
        # a small team: taller, wider boxes with larger text, the chart centred in the space
        elements = lead + _chart(rows, ctx, top, FILL_BOX[1], FILL_BOX[0], 1.3, centred=True)
    return Planned([SlidePlan(content_title(spec.title, theme), elements, spec.notes)])


def _links(row: list[tuple[Member, int]], parents: list[Box], children: list[Box],
           colour: str) -> list[Connector]:
    """Elbow links: down from each parent, along a bus, down into each child."""
    lines: list[Connector] = []
    by_parent: dict[int, list[Box]] = {}
    for (_, parent), box in zip(row, children):
        by_parent.setdefault(parent, []).append(box)
    for parent, kids in by_parent.items():
        p = parents[parent]
        px, bus = p.x + p.w // 2, p.bottom + (kids[0].y - p.bottom) // 2
        lines.append(Connector(px, p.bottom, px, bus, colour, 2, "Link"))
        xs = [k.x + k.w // 2 for k in kids]
        if len(kids) > 1 or xs[0] != px:
            lines.append(Connector(min(xs + [px]), bus, max(xs + [px]), bus, colour, 2, "Link"))
        for k, x in zip(kids, xs):
            lines.append(Connector(x, bus, x, k.y, colour, 2, "Link"))
    return lines


#: The largest a box grows to (width, height) when a small team fills the slide.
FILL_BOX = (inches(4.2), inches(1.9))


def _chart(rows: list[list[tuple[Member, int]]], ctx: SlideContext, top: int, tallest: int,
           widest_box: int, grow: float, centred: bool = False) -> list[Element]:
    """The boxes and links of the chart below `top`: boxes at most `widest_box` by `tallest`,
    their text up to `grow` times its usual size; `centred` in the free height."""
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    widest = max(len(r) for r in rows)
    gap_y, gap_x = inches(0.45), inches(0.25)
    box_h = min(tallest, (area.bottom - top - gap_y * (len(rows) - 1)) // len(rows))
    box_w = min(widest_box, (area.w - gap_x * (widest - 1)) // widest)
    if centred:
        top += (area.bottom - top - len(rows) * box_h - (len(rows) - 1) * gap_y) // 2
    elements: list[Element] = []
    placed: list[list[Box]] = []
    for depth, row in enumerate(rows):
        y = top + depth * (box_h + gap_y)
        span = len(row) * box_w + (len(row) - 1) * gap_x
        x0 = area.x + (area.w - span) // 2
        boxes = [Box(x0 + i * (box_w + gap_x), y, box_w, box_h) for i in range(len(row))]
        placed.append(boxes)
        for (member, _), box in zip(row, boxes):
            pars = [paragraph(member.role, 20 if depth < 2 else 18,
                              "FFFFFF" if depth == 0 else c.primary, bold=True, align="center")]
            if member.detail:
                pars.append(paragraph(member.detail, 14, "FFFFFF" if depth == 0 else c.text,
                                      align="center"))
            elements.append(fitted(box, pars, f"Role: {member.role}", anchor="middle",
                                   fill=c.primary if depth == 0 else c.light, shape="rounded",
                                   margin=inches(0.08), max_scale=grow))
    for depth in range(1, len(rows)):
        elements += _links(rows[depth], placed[depth - 1], placed[depth], c.muted)
    return elements
