"""`deckgen diff A.pptx B.pptx`: what changed between two decks, slide by slide, so a reviewer
sees this month's news at a glance: titles, text, figures, table cells, chart series, notes.

Slides are matched by what deckgen's record says they are (their key in the outline: the same
slide of two months' decks is matched even when a table grew by a slide), else by title, and
then in order (difflib's longest matching runs), so a slide added or removed by hand shows as
added or removed, not as every later slide changed. Shapes are matched within a slide by name
(placeholders by type), in order. Any two .pptx files can be compared, deckgen's or not; both
are read within bounds, like a template (office/read/deck.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from deckgen.errors import DeckError, Location, excerpt, shown_path
from deckgen.inputs import read_input
from deckgen.office.read.deck import DeckView, ShapeView, SlideView, read_deck
from deckgen.office.read.package import MAX_TEMPLATE_BYTES, PackageError


@dataclass
class SlideChange:
    """What changed on one slide (or that it was added or removed)."""

    a: Optional[int]  # its number in A (None: only in B)
    b: Optional[int]
    title: str
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # what changed: 'text', 'cells'...

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def read(path: Path) -> DeckView:
    shown = shown_path(path)
    try:
        raw = read_input(path, MAX_TEMPLATE_BYTES)
        return read_deck(raw)
    except FileNotFoundError:
        raise DeckError.single(f"diff: no deck at {shown}") from None
    except OSError as exc:
        raise DeckError.single(f"diff: cannot read {shown}: {exc.strerror or exc}") from None
    except PackageError as exc:
        raise DeckError.single(f"diff: cannot read {shown} as a deck: {exc}",
                               Location(shown)) from None


def diff_files(a: Path, b: Path, summary: bool = False) -> list[str]:
    """The lines `deckgen diff` prints."""
    first, second = read(a), read(b)
    changes = compare(first, second)
    head = [f"A: {shown_path(a)} ({len(first.slides)} slides)",
            f"B: {shown_path(b)} ({len(second.slides)} slides)"]
    if not changes:
        return head + ["no change: every slide shows the same titles, text, figures, tables, "
                       "charts and notes"]
    same = len(first.slides) - sum(1 for c in changes if c.a is not None)
    tail = [f"{same} slide{'' if same == 1 else 's'} of A unchanged"]
    if summary:
        return [excerpt(line, 100_000) for line in head + [_summary_line(c) for c in changes]
                + tail]
    out = head
    for change in changes:
        out += ["", _where(change)] + [f"  {line}" for line in change.lines]
    return [excerpt(line, 100_000) for line in out + ["", *tail]]  # no control character


def _where(change: SlideChange) -> str:
    title = f" '{excerpt(change.title, 70)}'" if change.title else ""
    if change.a is None:
        return f"slide {change.b} of B{title}: added"
    if change.b is None:
        return f"slide {change.a} of A{title}: removed"
    moved = f" (slide {change.b} of B)" if change.a != change.b else ""
    return f"slide {change.a}{moved}{title}:"


_ONE = {"table cells": "table cell", "shapes": "shape"}


def _summary_line(change: SlideChange) -> str:
    if change.a is None or change.b is None:
        return _where(change)
    what = ", ".join(f"{n} {_ONE.get(name, name) if n == 1 else name}"
                     for name, n in change.counts.items())
    return f"{_where(change)} {what} changed"


def _key(deck: DeckView, slide: SlideView, by_record: bool) -> str:
    """A slide's key: its key in the outline (deckgen's mark and record), else its title."""
    if by_record and deck.record is not None and slide.mark is not None and \
            slide.mark[1] == str(deck.record.get("outline", ""))[:8]:
        for spec in deck.record["slides"]:
            if spec.get("n") == slide.mark[0]:
                return f"key:{spec.get('key')}"
    return f"title:{slide.title}"


def compare(a: DeckView, b: DeckView) -> list[SlideChange]:
    """Each slide that changed from `a` to `b`, in B's order (removed ones where they were)."""
    same = a.record is not None and b.record is not None and \
        a.record.get("outline") == b.record.get("outline")  # two months of one outline
    keys_a = [_key(a, s, same) for s in a.slides]
    keys_b = [_key(b, s, same) for s in b.slides]
    out: list[SlideChange] = []
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                change = _slide(a.slides[i], b.slides[j], i + 1, j + 1)
                if change.lines:
                    out.append(change)
            continue
        out += [SlideChange(i + 1, None, a.slides[i].title) for i in range(i1, i2)]
        out += [SlideChange(None, j + 1, b.slides[j].title) for j in range(j1, j2)]
    return out


def _slide(a: SlideView, b: SlideView, i: int, j: int) -> SlideChange:
    change = SlideChange(i, j, b.title or a.title)
    if a.title != b.title:
        change.lines.append(f"title: '{a.title}' -> '{b.title}'")
        change.count("title")
    shapes_a, shapes_b = _ranked(a), _ranked(b)
    for key, shape in shapes_a.items():
        other = shapes_b.get(key)
        if other is None:
            change.lines.append(f"{_name(shape)}: removed")
            change.count("shapes")
        elif shape.placeholder not in ("title", "ctrTitle"):
            _shape(shape, other, change)
    for key, shape in shapes_b.items():
        if key not in shapes_a:
            change.lines.append(f"{_name(shape)}: added" + (f": {shape.text!r}" if shape.text
                                                             else ""))
            change.count("shapes")
    if a.notes != b.notes:
        change.lines += ["notes:"] + _lines(a.notes.splitlines(), b.notes.splitlines())
        change.count("notes")
    return change


def _ranked(slide: SlideView) -> dict[tuple[str, str, str, int], ShapeView]:
    out: dict[tuple[str, str, str, int], ShapeView] = {}
    for shape in slide.visible():
        base = (shape.placeholder, "" if shape.placeholder else shape.name, shape.kind)
        rank = sum(1 for k in out if k[:3] == base)
        out[(*base, rank)] = shape
    return out


def _name(shape: ShapeView) -> str:
    return f"{shape.kind} '{shape.name}'" if shape.name else shape.kind


def _shape(a: ShapeView, b: ShapeView, change: SlideChange) -> None:
    if a.kind == "table":
        _table(a, b, change)
    elif a.kind == "chart":
        _chart(a, b, change)
    elif a.paragraphs != b.paragraphs:
        what = " (alt text)" if a.kind == "picture" else ""
        change.lines += [f"{_name(a)}{what}:"] + _lines(a.paragraphs, b.paragraphs)
        change.count("text")


def _lines(old: list[str], new: list[str]) -> list[str]:
    out = []
    for line in difflib.ndiff(old, new):
        if line[:1] in "-+":
            out.append(f"  {line[0]} {line[2:]}")
    return out


def _table(a: ShapeView, b: ShapeView, change: SlideChange) -> None:
    header = b.cells[0] if b.cells else []
    rows_a = {row[0] if row else "": row for row in a.cells[1:]}
    n = 0
    for row in b.cells[1:]:
        label = row[0] if row else ""
        old = rows_a.pop(label, None)
        if old is None:
            change.lines.append(f"{_name(a)}: row '{label}' added: {' | '.join(row)}")
            n += 1
            continue
        for col, (x, y) in enumerate(zip(old, row)):
            if x != y:
                column = header[col] if col < len(header) else f"column {col + 1}"
                change.lines.append(f"{_name(a)}: {label} / {column}: {x} -> {y}")
                n += 1
    for label in rows_a:
        change.lines.append(f"{_name(a)}: row '{label}' removed")
        n += 1
    if a.cells[:1] != b.cells[:1]:
        change.lines.append(f"{_name(a)}: header {' | '.join(a.cells[0] if a.cells else [])} "
                            f"-> {' | '.join(header)}")
        n += 1
    if n:
        change.count("table cells", n)


def _chart(a: ShapeView, b: ShapeView, change: SlideChange) -> None:
    old = {name: dict(zip(cats, vals)) for name, cats, vals in a.series}
    n = 0
    for name, cats, vals in b.series:
        before = old.pop(name, None)
        if before is None:
            change.lines.append(f"{_name(a)}: series '{name}' added")
            n += 1
            continue
        moved = [f"{c} {before.get(c, '(none)')} -> {v}" for c, v in zip(cats, vals)
                 if before.get(c) != v]
        moved += [f"{c} {v} -> (none)" for c, v in before.items() if c not in cats]
        if moved:
            change.lines.append(f"{_name(a)}, series '{name}': " + "; ".join(moved))
            n += 1
    for name in old:
        change.lines.append(f"{_name(a)}: series '{name}' removed")
        n += 1
    if n:
        change.count("chart series", n)
