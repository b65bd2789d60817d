"""Make a numbered contact sheet (all slides in a grid): `contact_sheet.py OUT.png PAGE.png...`.

A thin wrapper: the drawing lives in `deckgen.render.export.contact_sheet`, which the CLI uses too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from deckgen.errors import DeckError
from deckgen.render.export import contact_sheet


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: contact_sheet.py OUT.png PAGE.png...", file=sys.stderr)
        return 2
    try:
        contact_sheet([Path(p) for p in argv[1:]], Path(argv[0]))
    except DeckError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
