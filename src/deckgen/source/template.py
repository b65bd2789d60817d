"""The template as the deck uses it: which of its layouts each slide is built on, and what
`deckgen template inspect` says of it.

The template itself is read in `deckgen.office.read.template`, the one place that opens a
PowerPoint package for reading; its model (`Template`, `Layout`, `Placeholder`) and
`read_template` are named here too, for the stages that take a template as a value (pipeline,
layout) and need not know where PowerPoint files are read.
"""

from __future__ import annotations

from typing import Optional

from deckgen.office.read.paint import Paint
from deckgen.office.read.template import Layout, Placeholder, Template, read_template

__all__ = ["CONTENT_LAYOUT", "DEFAULT_LAYOUTS", "Layout", "Paint", "Placeholder", "Template",
           "inspect", "layout_for", "read_template", "stand_in"]

#: The layout each kind is built on when the deck says nothing, by the names PowerPoint's own
#: templates use; a template that renames them maps its names with `layouts:`.
DEFAULT_LAYOUTS = {"title": "Title Slide", "section": "Section Header"}
CONTENT_LAYOUT = "Title Only"
_EMU = 914400  # per inch
#: Placeholders the master places on every slide (date, footer, slide number): not content.
_FRAME_TYPES = ("dt", "ftr", "sldNum")


def stand_in(template: Template, name: str) -> Optional[Layout]:
    """The template's layout that does the job of a default layout it does not have by name
    (a renamed 'Title Only'): found by its placeholders."""
    kinds = [({p.type for p in lay.placeholders} - set(_FRAME_TYPES), lay)
             for lay in template.layouts]
    if name == DEFAULT_LAYOUTS["title"]:
        return next((lay for k, lay in kinds if "ctrTitle" in k), None)
    if name == DEFAULT_LAYOUTS["section"]:
        return next((lay for k, lay in kinds if k == {"title", "body"} and "section" in
                     lay.name.lower()), None)
    return next((lay for k, lay in kinds if k == {"title"}), None)


def layout_for(kind: str, own: str, chosen: dict[str, str]) -> str:
    """The layout a slide is built on: its own `layout:`, else the deck's `layouts:` for its
    kind, else the default (title and section their own, every other kind Title Only)."""
    return own or chosen.get(kind) or DEFAULT_LAYOUTS.get(kind, CONTENT_LAYOUT)


def inspect(template: Template, installed: Optional[set[str]] = None
            ) -> tuple[list[str], list[str]]:
    """What `deckgen template inspect` prints: the template's size, theme and layouts with
    their placeholders, and the kinds' layouts; and its problems for deckgen (a layout a kind
    is built on without a title placeholder, or missing; fonts not installed, when the
    installed families are known; a 4:3 slide; placeholders that overlap)."""
    ratio = _ratio(template)
    lines = _summary(template, ratio)
    warnings = [w.message for w in template.warnings]
    chosen, problems = _kinds_layouts(template)
    lines += chosen
    warnings += problems
    if ratio == "4:3":
        warnings.append("the slide is 4:3: deckgen lays slides out for it, but wide tables "
                        "and charts have less room")
    if installed is not None:
        warnings += _missing_fonts(template, installed)
    return lines, warnings + _overlaps(template)


def _ratio(template: Template) -> str:
    """The slide's shape: '16:9', '4:3', else its width over its height ('1.60:1')."""
    w, h = template.width / _EMU, template.height / _EMU
    return "16:9" if abs(w / h - 16 / 9) < 0.01 else "4:3" if abs(w / h - 4 / 3) < 0.01 \
        else f"{w / h:.2f}:1"


def _summary(template: Template, ratio: str) -> list[str]:
    """The template's size, theme fonts and colours, and each layout with its placeholders."""
    w, h = template.width / _EMU, template.height / _EMU
    lines = [f"{template.path}: a {'template (.potx)' if template.potx else 'presentation'}, "
             f"{w:.3g} x {h:.3g} in ({ratio})",
             f"theme fonts: {template.fonts[0] or '-'} (headings), "
             f"{template.fonts[1] or '-'} (body)",
             "theme colours: " + ", ".join(f"{k} {v}" for k, v in template.colours.items()),
             "layouts:"]
    for layout in template.layouts:
        lines.append(f"  {layout.name}")
        for p in layout.placeholders:
            where = (f"at {p.box[0] / _EMU:.2f}, {p.box[1] / _EMU:.2f} in, "
                     f"{p.box[2] / _EMU:.2f} x {p.box[3] / _EMU:.2f} in") if p.box \
                else "placed by the master"
            lines.append(f"    {p.type} (idx {p.idx}) {where}")
    return lines


def _kinds_layouts(template: Template) -> tuple[list[str], list[str]]:
    """The layout each kind is built on (by name, else the one standing in for it), and what
    is wrong with the choice: a layout missing, or one without a title placeholder."""
    lines = ["deckgen builds each kind on (say otherwise with layouts: {kind: name}):"]
    warnings = []
    for kind, name in (("title", DEFAULT_LAYOUTS["title"]),
                       ("section", DEFAULT_LAYOUTS["section"]),
                       ("every other kind", CONTENT_LAYOUT)):
        found = template.layout(name) or stand_in(template, name)
        if found is None:
            lines.append(f"  {kind}: '{name}', which the template does not have")
            warnings.append(f"no layout '{name}' and none with its placeholders: map {kind} "
                            "to one with layouts: in the outline")
            continue
        lines.append(f"  {kind}: '{found.name}'" + (f" (standing in for '{name}')"
                                                    if found.name != name else ""))
        if found.title is None:
            warnings.append(f"layout '{found.name}' has no title placeholder: deckgen puts "
                            "the title in a text box of its own")
    return lines, warnings


def _missing_fonts(template: Template, installed: set[str]) -> list[str]:
    """The theme's fonts not among the `installed` families (a '+' font is the theme's own
    reference, not a family)."""
    missing = [f for f in dict.fromkeys(template.fonts) if f and not f.startswith("+")
               and f.lower() not in installed]
    if not missing:
        return []
    return [f"font{'s' if len(missing) > 1 else ''} not installed here: {', '.join(missing)}; "
            "deckgen measures text with Liberation Sans (Arial's widths), so check the deck "
            "where the fonts are"]


def _overlaps(template: Template) -> list[str]:
    """Each pair of a layout's placeholders (but date, footer and slide number) that
    overlap."""
    out = []
    for layout in template.layouts:
        boxes = [(p, p.box) for p in layout.placeholders
                 if p.box and p.type not in _FRAME_TYPES]
        for i, (a, ba) in enumerate(boxes):
            for b, bb in boxes[i + 1:]:
                if ba[0] < bb[0] + bb[2] and bb[0] < ba[0] + ba[2] and \
                        ba[1] < bb[1] + bb[3] and bb[1] < ba[1] + ba[3]:
                    out.append(f"layout '{layout.name}': placeholders '{a.name}' and "
                               f"'{b.name}' overlap")
    return out
