"""Inline emphasis in outline text: `**bold**` and `*italic*`, as in Markdown."""

from __future__ import annotations

import re

from deckgen.layout.plan import Run

_TOKEN = re.compile(r"(\*\*.+?\*\*|\*[^*\s][^*]*?\*)", re.DOTALL)


def runs(text: str, bold: bool = False, italic: bool = False, size: float | None = None,
         color: str | None = None) -> tuple[Run, ...]:
    """Split text at its emphasis markers into styled runs (markers removed)."""
    out: list[Run] = []
    for piece in _TOKEN.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            out.extend(runs(piece[2:-2], True, italic, size, color))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            out.extend(runs(piece[1:-1], bold, True, size, color))
        else:
            out.append(Run(piece, bold, italic, size, color))
    return tuple(out) or (Run("", bold, italic, size, color),)


def plain(text: str) -> str:
    """The text a reader sees: emphasis markers removed."""
    return "".join(r.text for r in runs(text))
