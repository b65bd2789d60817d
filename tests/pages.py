"""What a rendered deck's pages show, for the tests and scripts/render_sample.sh: which pages
are blank, how many pages a PDF has. deckgen itself never needs either (render/export.py
converts; these check what it converted)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from deckgen.errors import DeckError, Location

#: A page whose grey levels span less than this (out of 255) is one flat colour: a blank slide.
BLANK_TOLERANCE = 8


def blank_pages(pngs: list[Path], tolerance: int = BLANK_TOLERANCE) -> list[int]:
    """The 1-based numbers of pages that are one flat colour, i.e. rendered as blank slides.

    A slide that failed to render (a picture LibreOffice could not read, text drawn off the page)
    often comes out as bare background; every real slide carries at least its title or marking.
    """
    from PIL import Image

    blank = []
    for n, png in enumerate(pngs, start=1):
        with Image.open(png) as page:
            low, high = page.convert("L").getextrema()  # one band: two ints
        if int(high) - int(low) < tolerance:  # type: ignore[arg-type]
            blank.append(n)
    return blank


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page[^s]")


def page_count(pdf: Path) -> int:
    """How many pages a PDF has: what `pdfinfo` says, else a count of its page objects.

    The fallback reads the PDF's bytes, so it undercounts a PDF whose page objects are packed
    in compressed object streams; LibreOffice does not write those.
    """
    pdf = Path(pdf)
    if not pdf.is_file():
        raise DeckError.single("cannot count pages: the file does not exist", Location(str(pdf)))
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is not None:
        try:
            result = subprocess.run([pdfinfo, str(pdf)], check=False, timeout=60,
                                    stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                    errors="replace")
        except (OSError, subprocess.TimeoutExpired):
            result = None
        if result is not None and result.returncode == 0:
            match = re.search(r"^Pages:\s*(\d+)", result.stdout, re.MULTILINE)
            if match:
                return int(match.group(1))
    return len(_PAGE_OBJECT.findall(pdf.read_bytes()))
