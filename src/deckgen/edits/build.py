"""`deckgen build --keep-edits LAST.pptx`: build the deck afresh, then carry into it what
people added to LAST by hand (edits/carry.py), and say what could not be.

LAST is untrusted input, read like a template (within bounds, cleaned: office/read/deck.py),
and never written: the new deck may not be written over it, nor over any input; it is written
atomically (render/output.py). LAST must be a deck deckgen wrote from this outline (its
record says which); anything else is refused before any work, never guessed at. The cache is
not used: the deck written is not the one a build alone would write.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Optional

from deckgen.edits.carry import carry
from deckgen.errors import DeckError, Location, Problem, excerpt, shown_path
from deckgen.inputs import read_input
from deckgen.office.read.deck import DeckView, read_deck
from deckgen.office.read.package import MAX_TEMPLATE_BYTES, PackageError
from deckgen.office.write.carry import AddSlide
from deckgen.office.write.marks import Identity, identity_of
from deckgen.options import Options
from deckgen.render.output import Written

if TYPE_CHECKING:
    from deckgen.pipeline import Outline, PlannedDeck, Progress

#: What `--keep-edits` is called in messages.
FLAG = "--keep-edits"


@dataclass(frozen=True)
class Kept:
    """A build that kept last month's edits: the deck written, what was carried over and what
    was only reported (each in words)."""

    written: Written
    kept: list[str] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)


def read_last(path: Path) -> DeckView:
    """LAST read and checked to be a deck deckgen wrote, or a DeckError saying what it is."""
    shown = shown_path(path)
    try:
        raw = read_input(path, MAX_TEMPLATE_BYTES)
    except FileNotFoundError:
        raise DeckError.single(f"{FLAG}: no deck at {shown}; give last month's deck "
                               "(e.g. --keep-edits output/briefing-2016-04.pptx)") from None
    except OSError as exc:
        raise DeckError.single(f"{FLAG}: cannot read {shown}: {exc.strerror or exc}") from None
    try:
        last = read_deck(raw)
    except PackageError as exc:
        raise DeckError.single(f"{FLAG}: cannot read {shown} as a deck: {exc}; give a .pptx "
                               "that deckgen built", Location(shown)) from None
    if last.record is None:
        raise DeckError.single(
            f"{FLAG}: {shown} is not a deck deckgen built (it has no deckgen record: decks "
            "built before deckgen kept edits have none either); build without --keep-edits, "
            "and carry the edits over by hand this once", Location(shown))
    if last.record.get("format") != 1:
        raise DeckError.single(f"{FLAG}: {shown} was built by another version of deckgen, "
                               "whose record this one cannot read", Location(shown))
    return last


def identity(deck: "PlannedDeck") -> Identity:
    """What a deck's record says it was built from: the outline (its file name and its title
    as written), and each slide's key: its `id:`, else its number in the outline; "/2", "/3"
    for the slides a table continued onto."""
    outline = deck.outline
    keys: list[str] = []
    for n, origin in enumerate(deck.origins):
        spec = outline.slides[origin]
        base = spec.id or f"#{origin + 1}"
        offset = deck.origins[:n].count(origin)
        keys.append(base if offset == 0 else f"{base}/{offset + 1}")
    return identity_of(outline.path.name, _raw_title(outline), keys)


def _raw_title(outline: "Outline") -> str:
    title = outline.tree.get("title")
    return title if isinstance(title, str) else outline.deck.title


def build_keeping(deck_path: Path, last_path: Path, output: Optional[Path],
                  overrides: Mapping[str, str], progress: Optional[Progress], options: Options,
                  draw: Callable[["PlannedDeck"], "PlannedDeck"],
                  render: Callable[["PlannedDeck"], bytes]) -> Kept:
    """Build `deck_path` as a full build does (`draw` draws the charts, `render` writes the
    bytes: the orchestrator's own), carry LAST's edits in and write the deck."""
    from deckgen.pipeline import load_outline, plan_deck
    from deckgen.render.document import doc_info
    from deckgen.render.output import check_output, save

    last = read_last(last_path)
    outline = load_outline(deck_path, overrides, options.allow_outside_paths, None,
                           keep_going=True)
    assert last.record is not None
    mine = identity_of(outline.path.name, _raw_title(outline), [])
    if last.record.get("outline") != mine.outline:
        raise DeckError.single(
            f"{FLAG}: {shown_path(last_path)} was built from another outline "
            f"({excerpt(last.record['source'], 60)}, titled "
            f"'{excerpt(last.record['title'], 60)}'); this outline is "
            f"{excerpt(outline.path.name, 60)}, titled '{excerpt(mine.title, 60)}'. Give last "
            "month's deck of this outline", Location(shown_path(last_path)))
    if outline.problems:
        plan_deck(outline, progress)  # raises them, with the other slides' problems
    target = output if output is not None else outline.output_path()
    reads = list(outline.inputs.input_files()) if outline.inputs else []
    check_output(target, reads + [(last_path, f"the deck {FLAG} reads (LAST is never "
                                              "written)")],
                 None if output else outline.where(("output",)))
    planned = plan_deck(outline, progress)
    if options.strict and planned.warnings:
        raise DeckError([replace(w, message=f"{w.message} (an error with --strict)",
                                 severity="error") for w in planned.warnings])
    deck = draw(replace(planned, output=target))
    data = render(deck)
    carried = carry(last, read_deck(data))
    if carried.operations:
        from deckgen.office.write.carry import apply

        data = apply(data, last.package, carried.operations,
                     doc_info(deck.outline.deck, deck.theme).when)
    save(data, target)
    slides = len(deck.plans) + sum(isinstance(op, AddSlide) for op in carried.operations)
    warnings = deck.warnings + [Problem(line, severity="warning") for line in carried.reported]
    return Kept(Written(target, slides, warnings), carried.kept, carried.reported)
