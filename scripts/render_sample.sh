#!/usr/bin/env bash
# Render the sample deck with LibreOffice and refresh docs/contact-sheet.png (every slide) and
# docs/preview.png (slides 1, 4, 11 and 18, for the README). Needs soffice and pdftoppm; the
# rendering is deckgen.render.export's, checked for blank slides as the tests check it
# (tests/pages.py).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/deckgen build deck.yaml -o "$work/deck.pptx" -q
PYTHONPATH=tests .venv/bin/python - "$work" <<'PY'
import sys
from pathlib import Path

from pages import blank_pages

from deckgen.errors import DeckError
from deckgen.render.export import contact_sheet, to_pngs

work = Path(sys.argv[1])
try:
    pages = to_pngs(work / "deck.pptx", work / "png", dpi=60)
except DeckError as error:
    sys.exit(f"render_sample.sh: {error}")
if blank := blank_pages(pages):
    sys.exit(f"render_sample.sh: slides {blank} rendered blank; docs/ left as it was")
contact_sheet(pages, Path("docs/contact-sheet.png"))
contact_sheet([pages[i - 1] for i in (1, 4, 11, 18)], Path("docs/preview.png"),
              columns=2, width=560)
PY
echo "wrote docs/contact-sheet.png and docs/preview.png"
