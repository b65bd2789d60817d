"""Review laid-out slides as a reader would meet them: layout and accessibility warnings.

Runs on slide plans (no PowerPoint needed) after every build and in `deckgen check`: text that
overflows its box or is too small to read, elements that overlap or leave the slide, slides
without a unique title, pictures without alt text, a reading order that jumps back up the
slide, text colours without enough contrast (WCAG 2 AA), and slides whose content covers less
than half their body (layout/coverage.py).
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Iterator, Optional, Sequence, Union

from deckgen.errors import Location, Problem, excerpt
from deckgen.layout import backdrop, coverage, textfit
from deckgen.layout.chartdata import ChartData
from deckgen.layout.coverage import WARN_BELOW, slide_coverage
from deckgen.layout.frame import TEXT_INSET_Y, side_inset
from deckgen.layout.marks import layout_marks
from deckgen.layout.plan import (
    CELL_MARGIN_PT,
    EMU_PER_PT,
    MIN_TABLE_PT,
    Box,
    ChartPicture,
    Element,
    NativeChart,
    Paragraph,
    Picture,
    Rect,
    Run,
    SlidePlan,
    Table,
    TextBox,
    Title,
)
from deckgen.layout.theme import Theme

MIN_BODY_PT = 14.0
MIN_SMALL_PT = 10.0  # footers, sources, credits
SMALL_TEXT = ("Footer", "Date", "Footnote", "Slide number", "Protective marking", "Source",
              "Credit",
              "Attribution",
              "Illustrative data label")
#: Elements that belong to the brand frame, not the slide's content (read last, may overlap).
FRAME = coverage.FRAME
CONTRAST_BODY, CONTRAST_LARGE = backdrop.CONTRAST_BODY, backdrop.CONTRAST_LARGE


#: The brand frame's text, the brand setting it shows, and how messages name it.
FRAME_TEXT = {"Footer": ("footer", "brand footer"),
              "Protective marking": ("marking", "protective marking"),
              "Slide number": ("slide_numbers", "slide numbers")}


def review(plans: Sequence[SlidePlan], theme: Theme,
           contexts: Sequence[tuple[str, Optional[Location]]]) -> list[Problem]:
    """Every layout and accessibility warning of the deck: a slide's own at the slide (its
    label, e.g. 'slide 3 (table)', and where the outline writes it); the brand frame's at the
    brand setting that causes them (the footer's line), which the caller reports once."""
    titles = title_messages([plan.title.text for plan in plans])
    problems: list[Problem] = []
    frame: list[Problem] = []
    for n, (plan, (label, where)) in enumerate(zip(plans, contexts)):
        problems += [Problem(m, where, label) for m in review_slide(plan, theme) + titles[n]]
        problems += [Problem(f"'{found.group(0)}' shows in {name} as written, braces and all: "
                             "a placeholder? (write {{{{ and }}}} in the outline only for braces "
                             f"meant to show); the text is '{_around(text, found)}'", where, label)
                     for name, text in _texts(plan) for found in [_BRACES.search(text)] if found]
        frame += _frame(plan, theme)
    return problems + frame


#: What no slide should show: a figure with no value, an infinite one, a float as the computer
#: holds it, or a placeholder left unfilled.
_UNSHOWABLE = (
    (re.compile(r"(?<![\w.])(nan|NaN|<NA>|NaT|-?inf|-?Infinity)(?![\w])"),
     "a figure with no value or an infinite one (a division by zero?)"),
    (re.compile(r"\d\.\d{7,}"), "a number with every digit the computer holds; give it a "
                                 "format, e.g. '0.0'"),
)
#: ... and what a slide should rarely show: braces round a name, as a placeholder is written
#: (`{{name}}` in an outline writes it on purpose, so this is a warning).
_BRACES = re.compile(r"\{[A-Za-z_][^{}]*\}")


def unshowable(plans: Sequence[SlidePlan], contexts: Sequence[tuple[str, Optional[Location]]]
               ) -> list[Problem]:
    """Text on a slide (or in its notes, or a chart's figures) that no briefing should show:
    'nan', 'inf', a raw float. The build stops: a wrong figure is worse than none."""
    out: list[Problem] = []
    for plan, (label, where) in zip(plans, contexts):
        for name, text in _texts(plan):
            for pattern, why in _UNSHOWABLE:
                found = pattern.search(text)
                if found:
                    out.append(Problem(f"'{found.group(0)}' would show in {name}: {why}; "
                                       f"the text is '{_around(text, found)}'", where, label))
                    break
        for e in plan.elements:
            if isinstance(e, (ChartPicture, NativeChart)) and isinstance(e.chart, ChartData) \
                    and any(  # a line's NaN is a month with no data: a gap, said
                    math.isinf(v) or (v != v and e.chart.chart != "line")
                    for s in e.chart.series for v in s.values):
                out.append(Problem("a chart value is not a finite number (a division by "
                                   "zero?); the chart cannot show it", where, label))
    return out


def _texts(plan: SlidePlan) -> Iterator[tuple[str, str]]:
    yield "the title", plan.title.text
    for e in plan.elements:
        if isinstance(e, TextBox):
            for p in e.paragraphs:
                yield f"'{e.name}'", "".join(r.text for r in p.runs)
        elif isinstance(e, Table):
            for row in e.rows:
                for cell in row:
                    yield "the table", cell.text
        elif isinstance(e, (ChartPicture, NativeChart)):
            yield "the chart's alt text", e.alt
    yield "the speaker notes", plan.notes


def _around(text: str, found: "re.Match[str]") -> str:
    start, end = max(found.start() - 30, 0), min(found.end() + 30, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _frame(plan: SlidePlan, theme: Theme) -> list[Problem]:
    """What is wrong with the brand frame's text on one slide, located at its brand setting."""
    out = []
    for e in plan.elements:
        if isinstance(e, TextBox) and _frame_text(e.name):
            key, what = FRAME_TEXT[_frame_text(e.name)]
            out += [Problem(m, theme.where.get(key), what)
                    for m in list(_text(e, "shorten it: it shows on every slide"))
                    + list(_contrast_of(e, plan))]
    return out


def _frame_text(name: str) -> str:
    return next((key for key in FRAME_TEXT if name.startswith(key)), "")


def review_slide(plan: SlidePlan, theme: Theme) -> list[str]:
    """The warnings one slide earns on its own (all but those about the deck's titles)."""
    return list(_layout(plan, theme)) + list(_access(plan)) + list(_sparse(plan))


#: The kinds whose body is text and shapes deckgen lays out (and fills when it is sparse),
#: and what to do when one is still half empty. A table, chart, map or picture is as large
#: as its figures or its shape make it: a short table is not a layout fault.
_FILL_HINTS = {
    "bullets": "add points, or leave out `size:` so that deckgen can size them to fill",
    "headlines": "add headlines, or merge the slide with the next",
    "stats": "add figures, or merge the slide with the next",
    "team": "a small team chart keeps its boxes' size: add the people or groups below them",
    "summary": "add a figure or a picture",
}


def _sparse(plan: SlidePlan) -> Iterable[str]:
    """A text slide whose content covers less than half its body (layout/coverage.py says how
    it is measured): the kinds fill what they can, so what is left is for the author."""
    share = slide_coverage(plan)
    if share is None or share >= WARN_BELOW or plan.kind not in _FILL_HINTS:
        return
    yield (f"the content covers {share:.0%} of the body, so the slide looks half empty; "
           f"{_FILL_HINTS[plan.kind]} (docs/outline.md, 'Slides that fill')")


def title_messages(titles: Sequence[str]) -> list[list[str]]:
    """For each slide, what is wrong with its title: missing, or another slide's."""
    out: list[list[str]] = []
    seen: dict[str, int] = {}
    for n, text in enumerate(titles, start=1):
        title = text.strip()
        if not title:
            out.append(["the slide has no title (screen readers and the outline view need one)"])
        elif title in seen:
            out.append([f"the title '{title}' is also slide {seen[title]}'s; give each slide "
                        "its own title"])
        else:
            seen[title] = n
            out.append([])
    return out


def _is_frame(name: str) -> bool:
    return name.startswith(FRAME)


Content = Union[TextBox, Table, Picture, ChartPicture, NativeChart]


def _content(plan: SlidePlan) -> list[Content]:
    return [e for e in plan.elements
            if isinstance(e, (TextBox, Table, Picture, ChartPicture, NativeChart))
            and not _is_frame(e.name)]


def _layout(plan: SlidePlan, theme: Theme) -> Iterable[str]:
    yield from _estimated("Title", plan.title.text)
    # A table too wide for the slide is the cause of what follows from it (taller rows push
    # it and its source line down): name the cause alone.
    too_wide = any(isinstance(e, Table) and _wrapped_column(e) for e in plan.elements)
    for e in plan.elements:
        box = getattr(e, "box", None)
        if box is not None and (box.x < 0 or box.y < 0 or box.right > theme.slide_w
                                or box.bottom > theme.slide_h) and not too_wide:
            yield f"'{e.name}' is placed partly off the slide"
        if isinstance(e, TextBox) and not _frame_text(e.name):
            yield from _text(e)
        if isinstance(e, Table):
            wrapped = _wrapped_column(e)
            if wrapped:
                yield (f"the table is too wide for the slide: its {len(e.col_widths)} columns "
                       f"do not fit at {e.font_size:g} pt, so '{excerpt(wrapped)}' wraps; show "
                       "fewer columns, or shorter headers")
            elif e.box.bottom > theme.content.bottom + theme.footer_h // 2:
                yield "the table runs into the footer: it has too many rows for the slide"
    content = _content(plan)
    for i, a in enumerate(content):
        for b in content[i + 1:]:
            if _overlap(a.box, b.box):
                yield f"'{a.name}' and '{b.name}' overlap"
    drawn = [("Title", _title_ink(plan.title))] + [(c.name, c.box) for c in content]
    for name, box in drawn:  # the template's own words: what the render check would find
        if any(_overlap(box, Box(*t)) for t in plan.template_texts):
            yield (f"'{name}' is drawn over text the template writes on its layout; build "
                   "the slide on another layout")


def _title_ink(title: Title) -> Box:
    """Where a title's words are drawn in its box: as wide as its longest line, as tall as
    its lines, placed as it is aligned and anchored (a title box is often far larger than
    its text, and a template's own words beside it are no clash)."""
    box = title.box
    par = Paragraph((Run(title.text),), title.size, title.color, bold=True)
    lines = textfit.paragraph_lines(par, box.w / EMU_PER_PT)
    w = min(box.w, int(textfit.text_width_pt(title.text, title.size, bold=True) * EMU_PER_PT))
    h = min(box.h, int(lines * title.size * 1.2 * EMU_PER_PT))
    x = box.x + {"left": 0, "center": (box.w - w) // 2, "right": box.w - w}.get(title.align, 0)
    y = box.y + {"top": 0, "middle": (box.h - h) // 2, "bottom": box.h - h}[title.anchor]
    return Box(x, y, w, h)


def _wrapped_column(table: Table) -> str:
    """The first cell text (a header's word, a body cell) wider than its column, or ''."""
    for i, width in enumerate(table.col_widths):
        room = width / EMU_PER_PT - 2 * CELL_MARGIN_PT
        for n, row in enumerate(table.rows):
            words = row[i].text.split() if n == 0 else [row[i].text]
            for text in words:
                if textfit.text_width_pt(text, table.font_size, bold=True) > room + 0.5:
                    return text
    return ""


def _estimated(name: str, text: str) -> Iterable[str]:
    missing = textfit.missing_glyphs(text)
    if missing:
        yield (f"'{name}' has characters the font deckgen measures with has no shapes for "
               f"('{missing[:8]}'), so whether it fits is estimated: check the slide in "
               "PowerPoint")


def _text(e: TextBox, fix: str = "shorten it or split the slide") -> Iterable[str]:
    yield from _estimated(e.name, "".join(p.text for p in e.paragraphs))
    inner_w = e.box.w - 2 * e.margin - 2 * side_inset(e.drawn)
    inner_h = e.box.h - 2 * e.margin - 2 * TEXT_INSET_Y
    used = textfit.text_height_pt(e.paragraphs, inner_w / EMU_PER_PT)
    if used > inner_h / EMU_PER_PT + 1:
        yield f"text overflows '{e.name}' by {used - inner_h / EMU_PER_PT:.0f} pt; {fix}"
    minimum = MIN_SMALL_PT if e.name.startswith(SMALL_TEXT) else MIN_BODY_PT
    smallest = min((r.size or p.size for p in e.paragraphs for r in p.runs), default=minimum)
    if MIN_SMALL_PT <= smallest < minimum:  # below MIN_SMALL_PT: an error (too_small)
        yield (f"text at {smallest:g} pt in '{e.name}' is below the readable minimum of "
               f"{minimum:g} pt")


def too_small(plans: Sequence[SlidePlan], contexts: Sequence[tuple[str, Optional[Location]]]
              ) -> list[Problem]:
    """Text on a slide below the deck's minimum: 12 pt in a table, 10 pt for any other text
    (body text between 10 and 14 pt is a warning of the review). The build stops: a slide
    nobody in the room can read is not a briefing (issue 28: a 4:3 template's tables came
    out at 11 pt, and were built)."""
    out: list[Problem] = []
    for plan, (label, where) in zip(plans, contexts):
        for e in plan.elements:
            if isinstance(e, Table) and e.font_size < MIN_TABLE_PT:
                out.append(Problem(
                    f"table text would be {e.font_size:g} pt, below the readable minimum of "
                    f"{MIN_TABLE_PT:g} pt; show fewer columns or shorter headers",
                    where, label))
            elif isinstance(e, TextBox):
                smallest = min((r.size or p.size for p in e.paragraphs for r in p.runs),
                               default=MIN_SMALL_PT)
                if smallest < MIN_SMALL_PT:
                    out.append(Problem(
                        f"text at {smallest:g} pt in '{e.name}' is below the deck's minimum "
                        f"of {MIN_SMALL_PT:g} pt; shorten the text or give it a larger size",
                        where, label))
    return out


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _access(plan: SlidePlan) -> Iterable[str]:
    for e in plan.elements:
        if isinstance(e, (Picture, ChartPicture, NativeChart)) and not e.alt.strip():
            yield f"picture '{e.name}' has no alt text"
    content = _content(plan)
    for a, b in zip(content, content[1:]):
        # b is read after a: it must not sit wholly above a in the same column
        same_column = a.box.x < b.box.right and b.box.x < a.box.right
        if same_column and b.box.bottom <= a.box.y:
            yield (f"reading order: '{b.name}' is read after '{a.name}' but sits above it")
    yield from _contrast(plan)


def _contrast(plan: SlidePlan) -> Iterable[str]:
    for e in plan.elements:
        if isinstance(e, TextBox) and not _frame_text(e.name):
            yield from _contrast_of(e, plan)
        elif isinstance(e, Table):
            for row in e.rows:
                for cell in row:
                    ratio = contrast(cell.color or "222222", cell.fill or "FFFFFF")
                    need = CONTRAST_LARGE if e.font_size >= 18 else CONTRAST_BODY
                    if cell.text.strip() and ratio < need:
                        yield (f"table cell '{cell.text[:30]}' has contrast {_ratio(ratio)}:1; "
                               f"WCAG AA needs {need:g}:1")
                        return


def backs_of(e: Union[TextBox, Title], plan: SlidePlan) -> list[str]:
    """The colours under a text box: its own fill, else a shape deckgen draws behind it, else
    the slide's background, else what the template paints there (its background, bands,
    pictures: backdrop.py), else white."""
    earlier = plan.elements[:plan.elements.index(e)] if e in plan.elements else []
    fill = e.fill if isinstance(e, TextBox) else None
    back = fill or _behind(earlier, e.box) or plan.background
    if back:
        return [back]
    return backdrop.under(e.box, plan.backdrop) if plan.backdrop else ["FFFFFF"]


def _contrast_of(e: TextBox, plan: SlidePlan) -> Iterable[str]:
    """The first run of a text box without enough contrast on what is behind it, if any."""
    backs = backs_of(e, plan)
    for p in e.paragraphs:
        for r in p.runs:
            if not r.text.strip():
                continue
            colour, size, bold = r.color or p.color, r.size or p.size, r.bold or p.bold
            need = CONTRAST_LARGE if size >= 18 or (bold and size >= 14) else CONTRAST_BODY
            ratio, back = backdrop.worst(colour, backs)
            if ratio < need:
                yield (f"text '{r.text[:30]}' in '{e.name}' has contrast {_ratio(ratio)}:1 on its "
                       f"background (#{colour} on #{back}); WCAG AA needs {need:g}:1")
                return


def _ratio(ratio: float) -> str:
    """A contrast ratio below what is needed, rounded down to two places, so that it never
    reads as the need itself (4.47 is '4.47', never '4.5')."""
    return f"{math.floor(ratio * 100) / 100:.2f}"


def _behind(earlier: list[Element], box: Box) -> Optional[str]:
    """The fill of the last shape drawn before the box that covers its centre."""
    cx, cy = box.x + box.w // 2, box.y + box.h // 2
    for e in reversed(earlier):
        if not isinstance(e, (Rect, TextBox)) or not e.fill:
            continue
        if e.box.x <= cx <= e.box.right and e.box.y <= cy <= e.box.bottom:
            return e.fill
    return None


contrast = backdrop.contrast


#: The text whose colour deckgen chooses on a template, by element name, as messages name it
_CHOSEN = {"Footer": "brand footer", "Slide number": "slide number",
           "Protective marking": "protective marking", "Subtitle": "subtitle"}


def unreadable(plans: Sequence[SlidePlan], theme: Theme,
               contexts: Sequence[tuple[str, Optional[Location]]]) -> list[Problem]:
    """On a template, text whose colour deckgen chooses (the footer, the slide number, the
    protective marking on each layout, a title or section slide's title and lines) where no
    brand colour reaches WCAG AA on what the template paints under it (backdrop.py: the
    colour chosen is the first that does). The build stops: a marking or a date nobody can
    see is worse than no deck. Each is said once, at the brand setting or the slide."""
    template = theme.template
    if template is None:
        return []
    out: list[Problem] = []
    for plan, (label, where) in zip(plans, contexts):
        cover = plan.kind in ("title", "section")
        for e in plan.elements:
            what = _frame_text(e.name) or ("Subtitle" if cover and e.name == "Subtitle"
                                           else "")
            if isinstance(e, TextBox) and what and e.paragraphs:
                key = FRAME_TEXT[what][0] if what in FRAME_TEXT else ""
                at, named = (theme.where.get(key), FRAME_TEXT[what][1]) if key \
                    else (where, label)
                out += [Problem(m, at, named) for m in _illegible(
                    _CHOSEN[what], e.paragraphs[0], backs_of(e, plan), plan.layout, theme)]
        if cover and plan.title.text:
            title = Paragraph((Run(plan.title.text),), plan.title.size, plan.title.color,
                              bold=True)
            out += [Problem(m, where, label) for m in _illegible(
                "title", title, backs_of(plan.title, plan), plan.layout, theme)]
    used = {plan.layout for plan in plans}
    marks = [(name, e) for name, elements in layout_marks(theme) if name in used
             for e in elements]
    for name, mark in marks:
        layout = template.layout(name)
        backs = backdrop.under(mark.box, layout.paints) if layout else ["FFFFFF"]
        if isinstance(mark, TextBox):
            out += [Problem(m, theme.where.get("marking"), "protective marking")
                    for m in _illegible("protective marking", mark.paragraphs[0], backs, name,
                                        theme)]
    return list(dict.fromkeys(out))


def _illegible(what: str, p: Paragraph, backs: Sequence[str], layout: str,
               theme: Theme) -> list[str]:
    colour = p.runs[0].color or p.color if p.runs else p.color
    large = p.size >= 18 or (p.bold and p.size >= 14)
    need = CONTRAST_LARGE if large else CONTRAST_BODY
    ratio, back = backdrop.worst(colour, backs)
    if ratio >= need:
        return []
    tried = ", ".join(f"#{c}" for c in backdrop.candidates(colour, theme.colours))
    return [f"the {what} cannot be read on the template's layout '{layout}': it is #{colour} "
            f"on #{back}, a contrast of {ratio:.1f}:1 where WCAG AA needs {need:g}:1, and "
            f"no brand colour reaches that there (tried {tried}); change the brand's colours, "
            "or build the slide on another layout"]
