#!/usr/bin/env bash
# Render the sample deck with LibreOffice and refresh docs/contact-sheet.png (every slide) and
# docs/preview.png (four slides, for the README). Needs soffice and pdftoppm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/deckgen build deck.yaml -o "$work/deck.pptx" -q
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to pdf \
  --outdir "$work" "$work/deck.pptx" >/dev/null 2>&1
pdftoppm -png -r 60 "$work/deck.pdf" "$work/slide"
.venv/bin/python scripts/contact_sheet.py docs/contact-sheet.png "$work"/slide-*.png
.venv/bin/python - "$work" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "scripts")
from contact_sheet import sheet
pages = sorted(Path(sys.argv[1]).glob("slide-*.png"))
sheet([pages[i] for i in (0, 3, 10, 17)], Path("docs/preview.png"), columns=2, width=560)
PY
echo "wrote docs/contact-sheet.png and docs/preview.png"
