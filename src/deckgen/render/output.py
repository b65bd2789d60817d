"""Where a deck is written: checked before the work of building, written atomically after.

A deck never lands on a file the build reads (the outline, its data, brand, pictures), under a
name that is not .pptx or under a name with a control character in it, and a failed or
interrupted write leaves the previous file as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from deckgen import interrupt
from deckgen.atomic import write_atomic
from deckgen.errors import DeckError, Location, Problem, excerpt, shown_path
from deckgen.source.paths import control_character


@dataclass(frozen=True)
class Written:
    """A deck on disk after a build: where, how many slides, with what warnings. `redrawn`
    lists the slide numbers drawn again when the rest were kept from the previous build (else
    None); `reused` says nothing it depends on had changed, so nothing was written."""

    output: Path
    slides: int
    warnings: list[Problem] = field(default_factory=list)
    redrawn: Optional[list[int]] = None
    reused: bool = False


def check_output(target: Path, reads: Sequence[tuple[Path, str]] = (),
                 where: Optional[Location] = None) -> None:
    """Raise the DeckError that says why the deck cannot be written at `target`, if it can't:
    a file the build reads (the outline, its data...), a name that does not end in .pptx, a
    folder, or a place that is not writable. `where` is the outline's `output:` when the target
    comes from it (else the target comes from -o)."""
    origin = "output:" if where is not None else "-o"
    check_name(target, origin, where)
    shown = shown_path(target)
    for path, what in reads:
        if _same_file(target, path):
            raise DeckError.single(
                f"cannot write the deck to {shown}: that is {what}, which the build reads; "
                f"choose another name with {origin}", where)
    if target.suffix.lower() != ".pptx":
        raise DeckError.single(
            f"cannot write the deck to {shown}: a deck's file name must end in .pptx; change "
            f"{origin}", where)
    problem = output_problem(target)
    if problem:
        raise DeckError.single(f"cannot write the deck: {problem}; choose another place with -o",
                               Location(shown))


def check_name(target: Path, origin: str, where: Optional[Location] = None) -> None:
    """Raise the DeckError for a place to write whose name holds a control character (CR LF
    in a name would end up in serve's HTTP headers, ESC in the terminal): `origin` is the
    option or key the name came from, to say what to change."""
    found = control_character(str(target))
    if found:
        raise DeckError.single(
            f"cannot write to {excerpt(shown_path(target))}: the name holds a control "
            f"character ({found}), which no file name may hold; remove it from {origin}", where)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def output_problem(target: Path) -> Optional[str]:
    """Why the deck could not be written at `target`, or None if it can."""
    if target.is_dir():
        return f"{shown_path(target)} is a folder; give a file name ending in .pptx"
    folder = target.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        return f"{shown_path(folder)} is a file, not a folder"
    if target.parent.exists() and not os.access(target.parent, os.W_OK | os.X_OK):
        return f"the folder {shown_path(target.parent)} is not writable"
    if not target.parent.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create folders in {shown_path(folder)} (not writable)"
    return None


def save(data: bytes, target: Path) -> None:
    """Write the deck atomically, or raise a DeckError saying why it could not be written."""
    interrupt.check()  # Ctrl-C means no deck, even when Python swallowed the interrupt
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise DeckError.single(
            f"cannot write the deck: {exc.strerror or exc}; choose another place with -o",
            Location(shown_path(target))) from None
