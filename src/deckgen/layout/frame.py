"""Layout stage helpers: the branded frame every slide shares, and text boxes that fit.

Kind modules build their content with these; nothing here touches python-pptx.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal, Optional, Sequence

from deckgen.layout import backdrop, furniture, markup, textfit
from deckgen.layout.marks import clear_of, layout_marks
from deckgen.layout.plan import (
    CELL_MARGIN_PT,
    EMU_PER_PT,
    Align,
    Box,
    ChartPicture,
    Connector,
    Element,
    MasterPlan,
    NativeChart,
    Paragraph,
    Picture,
    Rect,
    Run,
    SlidePlan,
    Table,
    TextBox,
    Title,
    inches,
)
from deckgen.layout.region import Region
from deckgen.layout.theme import Theme
from deckgen.source.schema import Colours

#: The inner margins the writer gives text on a filled shape (left/right, top/bottom). Text in
#: an unfilled box has no side margin, so it starts exactly on the grid, level with the title
#: and with the edges of pictures, cards and bands.
TEXT_INSET_X = inches(0.1)
TEXT_INSET_Y = inches(0.05)


def side_inset(filled: bool) -> int:
    return TEXT_INSET_X if filled else 0


def content_title(text: str, theme: Theme) -> Title:
    """The title of an ordinary slide: stepped down in size (not below 22 pt) to stay on one
    line; else on two, shrunk to fit its box and set in a box narrowed until its lines
    balance (no word left alone on the second line), centred where the title is."""
    par = Paragraph(markup.runs(text), theme.title_size, theme.colours.primary, bold=True)
    box, least = theme.title_box, 22 / 30
    steps = [s / 20 for s in range(20, 0, -1) if s / 20 >= least]  # 100%, 95%... 75%
    scale = next((s for s in steps
                  if textfit.paragraph_lines(par, box.w / EMU_PER_PT, s) == 1), 0.0)
    align = theme.region.title_align if theme.region else "left"
    if scale == 0.0:  # two lines, in balance
        scale = textfit.fit_scale([par], box.w, box.h, min_scale=least)
        narrow = balanced(box, textfit.scaled([par], scale), least=0.5)
        box = replace(narrow, x=box.x + (box.w - narrow.w) // 2) if align == "center" \
            else narrow
    return Title(markup.plain(text), box, round(theme.title_size * scale * 2) / 2,
                 theme.colours.primary, align=align)


def cover_title(text: str, region: Region, size: float, color: str) -> Title:
    """The title of a title or section slide in a template's title placeholder, shrunk (not
    below half its size) to fit it, aligned as the template aligns it."""
    box = region.title
    par = Paragraph(markup.runs(text), size, color, bold=True)
    scale = textfit.fit_scale([par], box.w, box.h - 2 * TEXT_INSET_Y, min_scale=0.5)
    return Title(markup.plain(text), box, round(size * scale * 2) / 2, color,
                 align=region.title_align, anchor="bottom")


def lead_band(lead: str, theme: Theme) -> tuple[list[Element], int]:
    """A lead sentence across the top of the content area (when there is one), and where the
    rest of the content starts below it."""
    area = theme.content
    if not lead:
        return [], area.y
    band = fitted(Box(area.x, area.y, area.w, inches(0.6)),
                  [paragraph(lead, 22, theme.colours.primary, bold=True)], "Lead")
    return [band], area.y + inches(0.7)


def continued(title: str, n: int) -> str:
    """The title of the n-th slide (0-based) of content split across several slides."""
    return title if n == 0 else f"{title} (cont.)" if n == 1 else f"{title} (cont. {n})"


def paragraph(text: str, size: float, color: str, *, bold: bool = False, align: Align = "left",
              level: int = 0, bullet: str | None = None, space_before: float = 0.0,
              italic: bool = False) -> Paragraph:
    return Paragraph(markup.runs(text, italic=italic), size, color, level=level, bullet=bullet,
                     align=align, bold=bold, space_before=space_before)


def fitted(box: Box, paragraphs: Sequence[Paragraph], name: str, *, min_scale: float = 0.6,
           max_scale: float = 1.0, anchor: Literal["top", "middle", "bottom"] = "top",
           fill: str | None = None, shape: Literal["rect", "rounded"] = "rect",
           margin: int = 0) -> TextBox:
    """A text box whose font sizes are scaled to fit: down as far as min_scale when the text is
    long, up as far as max_scale when a short text would leave the box looking empty."""
    inset = side_inset(fill is not None or shape != "rect")
    inner_w, inner_h = box.w - 2 * margin - 2 * inset, box.h - 2 * margin - 2 * TEXT_INSET_Y
    scale = textfit.fit_scale(paragraphs, inner_w, inner_h, min_scale, max_scale)
    return TextBox(box, textfit.scaled(paragraphs, scale), name, anchor=anchor, fill=fill,
                   shape=shape, margin=margin)


def balanced(box: Box, paragraphs: Sequence[Paragraph], least: float = 0.6) -> Box:
    """The box, narrowed (to `least` of its width at the most) as far as every paragraph keeps
    the lines it takes at full width: a subtitle that wraps then breaks in the middle, not
    before a last word alone ("... to April" / "2016" becomes "... behaviour" / "to April
    2016"). The lines are PowerPoint's to break; only the width is deckgen's to choose."""
    inset = side_inset(False)

    def lines(width: int) -> list[int]:
        return [textfit.paragraph_lines(p, (width - 2 * inset) / EMU_PER_PT)
                for p in paragraphs]

    full = lines(box.w)
    if max(full, default=1) < 2:
        return box
    narrow, wide = int(box.w * least), box.w
    while wide - narrow > inches(0.05):
        middle = (narrow + wide) // 2
        if lines(middle) == full:
            wide = middle
        else:
            narrow = middle
    return Box(box.x, box.y, wide, box.h)


def fitted_together(boxes: Sequence[Box], texts: Sequence[Sequence[Paragraph]],
                    names: Sequence[str], *, min_scale: float = 0.6,
                    max_scale: float = 1.0) -> list[TextBox]:
    """Unfilled text boxes side by side (columns) fitted at one common scale, so the same kind
    of text is the same size in every column."""
    scale = min(textfit.fit_scale(pars, box.w, box.h - 2 * TEXT_INSET_Y, min_scale, max_scale)
                for box, pars in zip(boxes, texts))
    return [TextBox(box, textfit.scaled(pars, scale), name)
            for box, pars, name in zip(boxes, texts, names)]


def decorate(plan: SlidePlan, theme: Theme, number: int, *, dark: bool = False,
             marking: bool = True, cover: bool = False) -> SlidePlan:
    """Add the brand: accent rule, logo, footer text, protective marking and slide number
    (the marking left to the master when `marking` is false: a template's master carries
    it, and a second copy on the slide would stack over it). A `cover` (a title or section
    slide) has no title rule, footer line or small logo; `dark` ones take white text."""
    c = theme.colours
    ink = "FFFFFF" if dark else c.muted
    cover = cover or dark
    brand = theme.brand
    elements = list(plan.elements)
    footer_y = theme.footer_top
    region = theme.region
    if not cover and theme.template is None:  # a template draws its own rules
        rule = Box(theme.margin, theme.title_top + theme.title_h + inches(0.05),
                   inches(1.6), theme.rule_h)
        elements.insert(0, Rect(rule, c.accent, "Title rule"))
        elements.append(Rect(Box(0, footer_y, theme.slide_w, inches(0.02)), c.light,
                             "Footer line"))
    if theme.logo and not cover and (region is None or region.logo):
        size = inches(0.85)
        at = Box(theme.slide_w - theme.margin - size, inches(0.35), size, size) \
            if region is None else Box(theme.slide_w - region.title.x - size,
                                       region.title.y + (region.title.h - size) // 2, size, size)
        elements.append(Picture(at, theme.logo, f"{brand.name or 'Brand'} logo", "Logo"))
    third = (theme.slide_w - 2 * theme.margin) // 3  # footer | marking | slide number
    row = Box(theme.margin, footer_y + inches(0.06), third, theme.footer_h - inches(0.1))
    small = theme.small_size
    if brand.footer and region is not None:  # one line, clear of the template's own text
        elements.append(furniture.footer(theme, region, region.footer[1] if region.footer
                                         else row, ink))
    elif brand.footer:
        elements.append(TextBox(row, (Paragraph((Run(brand.footer),), small, ink),),
                                "Footer", anchor="middle"))
    if brand.marking and marking:
        mark = (Paragraph((Run(brand.marking),), small, ink, align="center", bold=True),)
        top, bottom = theme.marking_boxes
        elements.append(TextBox(bottom, mark, "Protective marking", anchor="middle"))
        elements.append(TextBox(top, mark, "Protective marking (top)", anchor="middle"))
    if brand.slide_numbers:
        slot, box = region.number if region and region.number else \
            (None, clear_of(replace(row, x=row.x + 2 * third), region.texts, theme.slide_w)
             if region else replace(row, x=row.x + 2 * third))
        num = (Paragraph((Run(str(number), field="slidenum"),), small,
                         _on(box, region, ink, c), align="right"),)
        elements.append(TextBox(box, num, "Slide number", anchor="middle", slot=slot))
    plan.elements = elements
    return plan


def _on(box: Box, region: Optional[Region], ink: str, colours: Colours) -> str:
    """The frame's text colour where it sits on a template: the first of the brand's colours
    that reads on what the template paints there (a teal footer band: its light colour)."""
    return ink if region is None else backdrop.ink(box, region.paints, ink, colours)


#: The elements each kind of placeholder takes (OOXML: a content placeholder, `obj`, takes
#: text, pictures, tables and charts; the others one of them)
_FILLS: dict[str, tuple[type, ...]] = {
    "body": (TextBox,), "subTitle": (TextBox,), "pic": (Picture, ChartPicture),
    "tbl": (Table,), "chart": (NativeChart,),
    "obj": (TextBox, Picture, ChartPicture, Table, NativeChart)}


def fill_slot(plan: SlidePlan, region: Optional[Region]) -> SlidePlan:
    """On a template, the slide's main content (the largest element of a kind the layout's
    content placeholder takes, laid out inside it) marked as filling that placeholder."""
    if region is None or region.slot is None:
        return plan
    takes = _FILLS.get(region.slot.type, ())
    area, slack = region.content, inches(0.05)
    found = [(i, e) for i, e in enumerate(plan.elements)
             if isinstance(e, takes) and not (isinstance(e, TextBox) and e.drawn)
             and not isinstance(e, (Rect, Connector))  # never taken: says so to the checker
             and area.x - slack <= e.box.x and e.box.right <= area.right + slack
             and area.y - slack <= e.box.y and e.box.bottom <= area.bottom + slack]
    if not found:
        return plan
    i, element = max(found, key=lambda f: f[1].box.w * f[1].box.h)
    elements = list(plan.elements)
    elements[i] = replace(element, slot=region.slot)
    return replace(plan, elements=elements)


def master_plan(theme: Theme) -> MasterPlan:
    """The slide master of a deck without a template: the brand frame every slide added in
    PowerPoint carries (with the slide number as a field), the title where deckgen puts it,
    and the brand's colours and fonts as the theme's."""
    c = theme.colours
    plan = decorate(SlidePlan(content_title("", theme), []), theme, 1)
    # the rule under the title belongs to deckgen's title position: a layout may put its
    # title elsewhere (Title Slide, Section Header)
    elements = tuple(_numbered(e) for e in plan.elements if e.name != "Title rule")
    slots = (("dk1", c.text), ("lt1", "FFFFFF"), ("dk2", c.primary), ("lt2", c.light),
             ("accent1", c.primary), ("accent2", c.accent), ("accent3", c.muted),
             ("accent4", c.good), ("accent5", c.bad), ("accent6", c.highlight),
             ("hlink", c.primary), ("folHlink", c.muted))
    title = Title("", theme.title_box, theme.title_size, c.primary)
    return MasterPlan(elements, title, slots, theme.heading_font, theme.font,
                      theme.brand.name or "deckgen", layout_marks(theme))


def _numbered(e: Element) -> Element:
    """The slide number's run as the master holds it: the field, shown as '‹#›' until a slide
    fills it in."""
    if not isinstance(e, TextBox) or not e.name.startswith("Slide number"):
        return e
    paragraphs = tuple(replace(p, runs=tuple(replace(r, text="\u2039#\u203a") if r.field else r
                                             for r in p.runs)) for p in e.paragraphs)
    return replace(e, paragraphs=paragraphs)


def caption_height(text: str, theme: Theme, width: int | None = None,
                   least: float = 0.4) -> int:
    """The height of a caption (a footnote, a source line, a credit) across `width` (the
    content's width unless given), at least `least` inches; 0 for none."""
    if not text:
        return 0
    lines = textfit.wrap_words([(text, False, False)], theme.caption_size,
                               (width or theme.content.w) / EMU_PER_PT - 2 * CELL_MARGIN_PT)
    return max(inches(least), int((lines * 1.25 * theme.caption_size + 8) * EMU_PER_PT))


def notes_with(notes: str, *extra: str) -> str:
    """Speaker notes: the outline's own, then any notes deckgen adds (e.g. data provenance)."""
    parts = [n.strip() for n in (notes, *extra) if n and n.strip()]
    return "\n\n".join(parts)
