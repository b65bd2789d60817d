"""What to carry over from last month's deck (LAST) into this month's, and what to report.

LAST and the new deck are read back (office/read/deck.py), each with its record. A slide of
LAST is deckgen's when it holds this outline's hidden mark (the first slide to claim a number:
a copy of a slide claims nothing); every other slide is a person's. Within one of deckgen's
slides, a shape is the recorded one of its name (a placeholder: of its type), in order;
any other shape is a person's. Then, by the rule that a stale sentence never reaches the new
deck silently:

- a person's slide is carried, after the slide of deckgen's it followed in LAST;
- a person's shape on deckgen's slide is carried (with its pictures);
- notes a person wrote or changed are carried;
- text (or a table) a person edited is carried when what deckgen generated for it is the same
  this month as last (the figures are the same), else the new text is used and both are said;
- a deleted or reordered slide, a deleted, moved, resized or recoloured shape, a chart's data
  edited by hand: reported, by slide and shape, and the new deck has deckgen's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from deckgen.errors import excerpt
from deckgen.office.read.deck import DeckView, ShapeView, SlideView, digest, uses
from deckgen.office.write.carry import (
    AddShape,
    AddSlide,
    Operation,
    ReplaceBody,
    SetNotes,
)


@dataclass
class Carried:
    """What to do to the new deck, and what to tell the person, in words."""

    operations: list[Operation] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)


@dataclass
class _Ours:
    """One of deckgen's slides of LAST: its place in LAST, its view, its record, and where its
    key is in the new deck (None: no longer in the outline)."""

    position: int
    slide: SlideView
    record: dict[str, Any]
    new: Optional[int] = None


def carry(last: DeckView, new: DeckView) -> Carried:
    """What to carry from `last` into `new` (both with records of the same outline)."""
    assert last.record is not None and new.record is not None
    out = Carried(reported=[f"LAST held {excerpt(what, 120)}: never carried into a deck (a "
                            "link out of the file or a program)" for what in last.dropped])
    ours, persons = _claim(last)
    new_numbers = {s["key"]: n for n, s in enumerate(new.record["slides"], start=1)}
    for slide in ours.values():
        slide.new = new_numbers.get(slide.record["key"])
    _deleted_and_reordered(last, ours, new_numbers, out)
    for one in ours.values():
        label = _label(one.position, one.slide)
        if one.new is None:
            if _edited(one):
                out.reported.append(f"{label}: not in this month's deck (no longer in the "
                                    "outline, or its table fits on fewer slides), so the edits "
                                    "made to it are not either: copy them from LAST by hand")
            continue
        target = new.slides[one.new - 1]
        _shapes(last, one, target, new.record["slides"][one.new - 1], out)
        _notes(one, target, new.record["slides"][one.new - 1], out)
    by_position = sorted(ours.values(), key=lambda o: o.position)
    for position, theirs in persons:
        before = [o.new for o in by_position if o.position < position and o.new is not None]
        _person_slide(last, position, theirs, before[-1] if before else 0, out)
    return out


def _claim(last: DeckView) -> tuple[dict[int, _Ours], list[tuple[int, SlideView]]]:
    assert last.record is not None
    prefix = str(last.record.get("outline", ""))[:8]
    recorded = {s["n"]: s for s in last.record["slides"]}
    ours: dict[int, _Ours] = {}
    persons: list[tuple[int, SlideView]] = []
    for position, slide in enumerate(last.slides, start=1):
        mark = slide.mark
        if mark is not None and mark[1] == prefix and mark[0] in recorded \
                and mark[0] not in ours:
            ours[mark[0]] = _Ours(position, slide, recorded[mark[0]])
        else:
            persons.append((position, slide))
    return ours, persons


def _label(position: int, slide: SlideView) -> str:
    title = slide.title.replace("\n", " ")
    return f"slide {position} of LAST ('{excerpt(title, 60)}')" if title else \
        f"slide {position} of LAST"


def _edited(one: _Ours) -> bool:
    specs = one.record["shapes"]
    shown = one.slide.visible()
    return digest(one.slide.notes) != one.record["notes"] or len(specs) != len(shown) or \
        any(s.digest != spec["digest"] for s, spec in zip(shown, specs))


def _deleted_and_reordered(last: DeckView, ours: dict[int, _Ours], new_numbers: dict[str, int],
                           out: Carried) -> None:
    assert last.record is not None
    for spec in last.record["slides"]:
        number = new_numbers.get(spec["key"])
        if spec["n"] not in ours and number is not None:
            out.reported.append(
                f"deckgen's slide {spec['n']} ('{excerpt(spec['title'], 60)}') was deleted from "
                f"LAST by hand; this month's deck has it again (slide {number} before your "
                "slides are added): delete it there if it is not wanted, or take it out of "
                "the outline")
    order = [n for n, _ in sorted(ours.items(), key=lambda item: item[1].position)]
    if order != sorted(order):
        shown = ", ".join(f"{n} ('{excerpt(ours[n].record['title'], 30)}')" for n in order)
        out.reported.append(
            f"deckgen's slides were reordered in LAST by hand (now in the order {shown}); "
            "this month's deck has the outline's order: to keep another order, change the "
            "order of the slides in the outline")


def _identity(spec: dict[str, Any]) -> tuple[str, str, str]:
    return (spec["ph"], "" if spec["ph"] else spec["name"], spec["kind"])


def _view_identity(shape: ShapeView) -> tuple[str, str, str]:
    return (shape.placeholder, "" if shape.placeholder else shape.name, shape.kind)


def _match(specs: list[dict[str, Any]], shapes: list[ShapeView]
           ) -> tuple[list[tuple[dict[str, Any], Optional[ShapeView]]], list[ShapeView]]:
    """Each recorded shape with the shape of its identity, in order; the shapes left over."""
    free = list(shapes)
    pairs = []
    for spec in specs:
        found = next((s for s in free if _view_identity(s) == _identity(spec)), None)
        if found is not None:
            free.remove(found)
        pairs.append((spec, found))
    return pairs, free


def _what(spec: dict[str, Any]) -> str:
    if spec["ph"] in ("title", "ctrTitle"):
        return "the title"
    kind = {"text": "box", "table": "table", "chart": "chart", "picture": "picture",
            "line": "line"}.get(spec["kind"], "shape")
    return f"{kind} '{excerpt(spec['name'], 60)}'"


def _shapes(last: DeckView, one: _Ours, target: SlideView, new_record: dict[str, Any],
            out: Carried) -> None:
    label = _label(one.position, one.slide)
    pairs, added = _match(one.record["shapes"], one.slide.visible())
    new_pairs, _ = _match(new_record["shapes"], target.visible())
    counterpart = {id(spec): shape for spec, shape in
                   zip(one.record["shapes"], _counterparts(one.record["shapes"], new_pairs))}
    for spec, shape in pairs:
        what = f"{label}, {_what(spec)}"
        if shape is None:
            out.reported.append(f"{what}: deleted by hand; this month's deck has it again")
            continue
        if shape.digest != spec["digest"]:
            _edit(one, what, spec, shape, counterpart[id(spec)], out)
        if shape.moved(spec["box"]):
            out.reported.append(f"{what}: moved or resized by hand; this month's deck has it "
                                "where deckgen lays it out, at its size")
        if shape.fill != spec["fill"]:
            out.reported.append(f"{what}: recoloured by hand (#{spec['fill'] or 'none'} to "
                                f"#{shape.fill or 'none'}); this month's deck has the brand's "
                                "colour: to change it for good, change the brand or outline")
    for shape in added:
        _added_shape(last, one, shape, label, out)


def _counterparts(specs: list[dict[str, Any]],
                  new_pairs: list[tuple[dict[str, Any], Optional[ShapeView]]]
                  ) -> list[Optional[ShapeView]]:
    """For each recorded shape of LAST, the new deck's shape of the same identity and rank."""
    out: list[Optional[ShapeView]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for spec in specs:
        key = _identity(spec)
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        same = [shape for s, shape in new_pairs if _identity(s) == key]
        out.append(same[rank] if rank < len(same) else None)
    return out


def _edit(one: _Ours, what: str, spec: dict[str, Any], shape: ShapeView,
          new: Optional[ShapeView], out: Carried) -> None:
    if new is None:
        out.reported.append(f"{what}: edited by hand, and no longer on the slide this month; "
                            f"your text was: {_said(shape)}")
    elif spec["kind"] == "chart":
        out.reported.append(f"{what}: its data was edited by hand; this month's chart shows "
                            f"the outline's data. Yours: {_said(shape)}; this month's: "
                            f"{_said(new)}")
    elif new.digest == spec["digest"] and spec["kind"] in ("text", "table"):
        assert one.new is not None
        out.operations.append(ReplaceBody(one.new, new.id, shape.element))
        out.kept.append(f"{what}: your edit is kept (its figures are the same this month): "
                        f"{_said(shape)}")
    elif spec["kind"] in ("text", "table"):
        out.reported.append(f"{what}: edited by hand, but what deckgen writes there changed "
                            "this month (new figures, or new words in the outline), so the "
                            "new text is used; "
                            f"check it and edit again.\n    your text (LAST): {_said(shape)}\n"
                            f"    this month's:     {_said(new)}")
    else:
        out.reported.append(f"{what}: changed by hand; this month's deck has deckgen's")


def _said(shape: ShapeView) -> str:
    if shape.kind == "table":
        return excerpt(" | ".join(" ; ".join(row) for row in shape.cells), 300)
    if shape.kind == "chart":
        return excerpt("; ".join(f"{name or 'series'}: " + ", ".join(
            f"{c}={v}" for c, v in zip(cats, vals)) for name, cats, vals in shape.series), 300)
    return repr(excerpt(" / ".join(shape.paragraphs), 300))


def _added_shape(last: DeckView, one: _Ours, shape: ShapeView, label: str,
                 out: Carried) -> None:
    others = sorted({kind for kind, _ in uses(last.package, one.slide.part,
                                               shape.element).values() if kind != "image"})
    name = f"'{excerpt(shape.name, 60)}'" if shape.name else "a shape"
    if others:
        out.reported.append(f"{label}: {name} was added by hand, but it holds "
                            f"{', '.join(others)}, which deckgen cannot carry over: copy it "
                            "from LAST by hand")
        return
    assert one.new is not None
    out.operations.append(AddShape(one.new, shape.element, one.slide.part))
    out.kept.append(f"{label}: {name}, added by hand, is kept")


def _notes(one: _Ours, target: SlideView, new_record: dict[str, Any], out: Carried) -> None:
    if digest(one.slide.notes) == one.record["notes"]:
        return
    assert one.new is not None
    label = _label(one.position, one.slide)
    out.operations.append(SetNotes(one.new, one.slide.notes))
    out.kept.append(f"{label}: the speaker notes written by hand are kept")
    if new_record["notes"] != one.record["notes"]:
        out.reported.append(f"{label}: your speaker notes are kept, but deckgen's own notes for "
                            f"it changed this month: "
                            f"{excerpt(target.notes.replace(chr(10), ' / '), 300)!r}")


def _person_slide(last: DeckView, position: int, slide: SlideView, after: int,
                  out: Carried) -> None:
    label = _label(position, slide)
    for shape in slide.visible():
        others = sorted({kind for kind, _ in uses(last.package, slide.part,
                                                   shape.element).values() if kind != "image"})
        if others:
            out.reported.append(f"{label}, a slide added by hand: '{excerpt(shape.name, 60)}' "
                                f"holds "
                                f"{', '.join(others)}, which deckgen cannot carry over: copy "
                                "it from LAST by hand")
    copied = " (a copy of one of deckgen's: it will not be updated)" if slide.mark else ""
    out.operations.append(AddSlide(slide.part, after, slide.layout,
                                   last.package.xml(slide.part), slide.notes))
    out.kept.append(f"{label}, added by hand{copied}, is kept after "
                    + (f"this month's slide {after}" if after else "nothing (first)"))
