"""What a renderer drew: every word of a deck rendered by LibreOffice, where it landed and
what lies under it, for `deckgen check --render`.

A plan can be right and the render wrong: a table row the renderer grows into the footnote
below it, text in the brand's colour on a template's band of that same colour. deckgen's own
review (layout/review.py) checks the plan; this is the safety net that checks the pixels. The
deck is rendered to PDF (render/export.py `to_pdf`, within a time limit); `pdftotext -bbox`
says where each word was drawn, and `pdftoppm` draws each page, so the colours under a word
can be read. It finds:

- words that overprint other words (two words' boxes sharing more than a quarter of the
  smaller one);
- words whose contrast with what is drawn under them is below 3:1 (WCAG's floor for large
  text; small text deckgen holds to 4.5:1 in the plan): the word's ink, the pixel inside its
  box that stands out most from the box's commonest colour, against that colour;
- words outside the slide.

Words in pictures (matplotlib's charts and maps, photos) are pixels, not text, and are not
read: the build measures a chart's own text where matplotlib drew it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from deckgen.errors import DeckError, Location, Problem, excerpt
from deckgen.layout.backdrop import contrast

if TYPE_CHECKING:
    from PIL.Image import Image as Picture

#: the resolution pages are drawn at to read the colours under words: fine enough that a
#: 10 pt word's strokes are a few pixels wide, so its ink shows at full strength
DPI = 144
#: below this contrast a word is a finding (WCAG 2: 3:1 for large text, the least it allows)
MIN_CONTRAST = 3.0
#: two words overprint when their boxes share more than this part of the smaller one
OVERLAP = 0.25
#: how far (in points) a word may reach past the slide's edge before it is outside it
EDGE_PT = 1.0

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                   r'yMax="([-\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Finding:
    """Something wrong on rendered slide `slide` (1-based), said in a reader's words."""

    slide: int
    message: str


def tools() -> Optional[str]:
    """Why the render check cannot run here ('' when it can): LibreOffice's soffice and
    poppler's pdftotext and pdftoppm are needed."""
    from deckgen.render.export import LIBREOFFICE_HINT, find_soffice

    if find_soffice() is None:
        return f"LibreOffice (soffice) is not installed: {LIBREOFFICE_HINT}"
    missing = [t for t in ("pdftotext", "pdftoppm") if shutil.which(t) is None]
    if missing:
        return (f"{' and '.join(missing)} (poppler-utils) "
                f"{'is' if len(missing) == 1 else 'are'} not installed")
    return ""


def read_words(pdf: Path, timeout: float = 120.0) -> list[Page]:
    """Each page's size and words (in points, from the top left), as pdftotext places them."""
    text = _run(["pdftotext", "-bbox", str(pdf), "-"], timeout, pdf).decode("utf-8", "replace")
    pages: list[Page] = []
    for chunk in text.split("<page ")[1:]:
        size = _PAGE.search("<page " + chunk)
        if size is None:
            continue
        words = tuple(Word(html.unescape(m.group(5)), *(float(m.group(i)) for i in range(1, 5)))
                      for m in _WORD.finditer(chunk))
        pages.append(Page(float(size.group(1)), float(size.group(2)), words))
    return pages


def findings(pdf: Path, timeout: float = 120.0) -> list[Finding]:
    """Everything wrong on the rendered deck `pdf`, slide by slide."""
    from PIL import Image

    pages = read_words(pdf, timeout)
    out: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="deckgen-drawn-") as tmp:
        # plain pixel maps: three times faster to write than PNGs, read once
        _run(["pdftoppm", "-r", str(DPI), str(pdf), str(Path(tmp) / "p")], timeout, pdf)
        pictures = sorted(Path(tmp).glob("p-*.ppm"), key=lambda p: int(p.stem.split("-")[-1]))
        for n, page in enumerate(pages, start=1):
            out += [Finding(n, m) for m in overprinted(page.words)]
            out += [Finding(n, m) for m in outside(page)]
            if n <= len(pictures):
                with Image.open(pictures[n - 1], formats=["PPM"]) as img:
                    out += [Finding(n, m) for m in faint(page, img.convert("RGB"))]
    return out


def overprinted(words: Sequence[Word]) -> list[str]:
    """Each pair of words drawn over each other, once per pair of texts. A word's box is its
    font's whole line (ascent to descent): its glyphs are taken to fill the middle 60% of it,
    so a large figure's line box reaching into the caption under it is not a finding."""
    out: list[str] = []
    ordered = sorted((Word(w.text, w.x0, w.y0 + 0.2 * (w.y1 - w.y0), w.x1,
                           w.y1 - 0.2 * (w.y1 - w.y0)) for w in words), key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.y0 >= a.y1:
                break
            shared = (min(a.x1, b.x1) - max(a.x0, b.x0)) * (min(a.y1, b.y1) - max(a.y0, b.y0))
            if min(a.x1, b.x1) > max(a.x0, b.x0) and \
                    shared > OVERLAP * max(1e-6, min(a.area, b.area)):
                message = f"'{a.text}' and '{b.text}' are drawn over each other"
                if message not in out:
                    out.append(message)
    return out


def outside(page: Page) -> list[str]:
    """Each word drawn (partly) off the slide."""
    return [f"'{w.text}' is drawn outside the slide" for w in page.words
            if w.x0 < -EDGE_PT or w.y0 < -EDGE_PT or w.x1 > page.width + EDGE_PT
            or w.y1 > page.height + EDGE_PT]


def faint(page: Page, img: "Picture") -> list[str]:
    """The words whose ink stands out from what is drawn under them by less than 3:1, those
    of the same colours on the same background said together, in reading order."""
    scale = img.width / page.width
    found: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for w in page.words:
        box = (max(0, int(w.x0 * scale)), max(0, int(w.y0 * scale)),
               min(img.width, int(w.x1 * scale) + 1), min(img.height, int(w.y1 * scale) + 1))
        if box[2] - box[0] < 2 or box[3] - box[1] < 2 or not w.text.strip(" .,:;·•-–|"):
            continue
        counted = img.crop(box).getcolors(maxcolors=1 << 16) or []
        colours = [(n, _hex(c)) for n, c in counted]
        if not colours:
            continue
        back = max(colours)[1]
        ratio, ink = max((contrast(c, back), c) for _, c in colours)
        if ratio < MIN_CONTRAST:
            worst, words = found.get((ink, back), (ratio, []))
            found[(ink, back)] = (min(worst, ratio), words + [w.text])
    return [f"'{excerpt(' '.join(words), 60)}' can hardly be seen: #{ink} on #{back}, a "
            f"contrast of {ratio:.1f}:1 (at least {MIN_CONTRAST:g}:1 is needed)"
            for (ink, back), (ratio, words) in found.items()]


def _hex(colour: object) -> str:
    """An RGB pixel (a tuple, as Pillow gives them) as RRGGBB."""
    assert isinstance(colour, tuple)
    return "%02X%02X%02X" % colour[:3]


def _run(command: list[str], timeout: float, pdf: Path) -> bytes:
    """A poppler tool's output; one that fails or overruns is a DeckError at the PDF."""
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise DeckError.single(f"{command[0]} did not finish within {timeout:g} seconds",
                               Location(str(pdf))) from None
    except OSError as exc:
        raise DeckError.single(f"could not run {command[0]}: {exc}", Location(str(pdf))) \
            from None
    if result.returncode != 0:
        raise DeckError.single(f"{command[0]} could not read the rendered deck: "
                               f"{result.stderr.decode('utf-8', 'replace').strip()[:200]}",
                               Location(str(pdf)))
    return result.stdout


def check_deck(pptx: Path, slides: Sequence[tuple[str, Optional[Location]]],
               timeout: float = 300.0) -> list[Problem]:
    """The render check of the deck `pptx`: rendered with LibreOffice (stopped after
    `timeout` seconds), each finding a warning at its slide (`slides`: for each rendered
    slide, its label and where the outline writes it)."""
    from deckgen.render.export import to_pdf

    with tempfile.TemporaryDirectory(prefix="deckgen-render-check-") as tmp:
        pdf = to_pdf(pptx, Path(tmp) / "deck.pdf", timeout=timeout)
        found = findings(pdf, timeout)
    out = []
    for f in found:
        label, where = slides[f.slide - 1] if f.slide <= len(slides) else (f"slide {f.slide}",
                                                                            None)
        out.append(Problem(f"on the rendered slide {f.slide}, {f.message}", where, label,
                           severity="warning"))
    return out
