"""Measure text with real font metrics so layout can choose sizes that fit their boxes.

The bundled Liberation Sans has the same advance widths as Arial (the default brand font), so a
line measured here breaks where PowerPoint and LibreOffice break it.

It has no glyphs for Chinese, Japanese, Korean and some other scripts. Such characters are
measured by estimate instead (a full-width character is one em wide, as in every CJK font, and
a line may break between two of them, as PowerPoint breaks CJK text); text that has them is
never enlarged to fill its box, and the review warns that its fit is estimated.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from PIL import ImageFont

from deckgen.layout.plan import EMU_PER_PT, Paragraph

_UNITS = 1000  # measure at 1000 px and scale: widths are linear in size
_LINE_HEIGHT = 1.2
#: The line count reported when a word is wider than the line, so that fitting shrinks the text.
UNBREAKABLE = 10_000  # single line spacing as a multiple of the font size (Arial)
_FILES = {
    (False, False): "LiberationSans-Regular.ttf",
    (True, False): "LiberationSans-Bold.ttf",
    (False, True): "LiberationSans-Italic.ttf",
    (True, True): "LiberationSans-BoldItalic.ttf",
}


def font_path(bold: bool = False, italic: bool = False) -> str:
    return str(resources.files("deckgen") / "fonts" / _FILES[(bold, italic)])


#: The family text is measured in: '' for the bundled Liberation Sans (Arial's widths). A deck
#: on a template whose theme font is another one installed here (DejaVu Sans, Calibri where it
#: is) is measured in that font (`measuring`), so a line breaks where the renderer breaks it.
_FAMILY: ContextVar[str] = ContextVar("deckgen_measuring_family", default="")
#: the families measured by the bundled font: Arial and the fonts with its widths
_ARIAL = {"", "arial", "liberation sans", "helvetica", "arimo"}


@contextmanager
def measuring(family: str) -> Iterator[None]:
    """Measure text in `family` while the block runs, when that font is installed here (else
    in the bundled Liberation Sans, as ever: `template inspect` warns of fonts not installed)."""
    token = _FAMILY.set("" if family.lower() in _ARIAL or not _files(family) else family)
    try:
        yield
    finally:
        _FAMILY.reset(token)


#: where fonts are installed, on Linux, macOS and Windows
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",
              "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts",
              "%WINDIR%/Fonts", "%LOCALAPPDATA%/Microsoft/Windows/Fonts")


@lru_cache(maxsize=16)
def _files(family: str) -> dict[tuple[bool, bool], str]:
    """The font files of an installed `family` by (bold, italic), found by the names the
    fonts in the usual font folders give themselves (its regular face standing in for a face
    it lacks); {} when it is not installed."""
    import os

    found: dict[tuple[bool, bool], str] = {}
    for folder in _FONT_DIRS:
        root = Path(os.path.expandvars(os.path.expanduser(folder)))
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in (".ttf", ".otf"):
                continue
            try:
                name, style = ImageFont.truetype(str(path), 10).getname()
            except OSError:
                continue
            if (name or "").lower() != family.lower():
                continue
            style = (style or "").lower()
            key = ("bold" in style, "italic" in style or "oblique" in style)
            if key not in found and not any(w in style for w in ("light", "condensed",
                                                                   "black", "thin")):
                found[key] = str(path)
    regular = found.get((False, False))
    return {key: found.get(key, regular) for key in _FILES} if regular else {}


@lru_cache(maxsize=None)
def _font(bold: bool, italic: bool, family: str = "") -> ImageFont.FreeTypeFont:
    # BASIC layout: no shaping library, same advance widths, and no failure on control characters
    path = _files(family)[(bold, italic)] if family else font_path(bold, italic)
    return ImageFont.truetype(path, _UNITS, layout_engine=ImageFont.Layout.BASIC)


#: Characters below this, and in the ranges below, are in the bundled font (checked by a test):
#: most text is measured without reading the font's character map.
_COVERED_BELOW = 0x250
_COVERED_RANGES = ((0x2000, 0x206F), (0x20A0, 0x20BF))


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # matplotlib's own dependency

    return frozenset(TTFont(font_path()).getBestCmap())


def _known(ch: str) -> bool:
    code = ord(ch)
    if code < _COVERED_BELOW or any(lo <= code <= hi for lo, hi in _COVERED_RANGES):
        return True
    return code in _cmap()


def missing_glyphs(text: str) -> str:
    """The characters of `text` the measuring font has no glyph for (measured by estimate)."""
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and not _known(ch)))


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_width_pt(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width of one line of text in points at `size` points."""
    return _width_units(text, bold, italic, _FAMILY.get()) * size / _UNITS


@lru_cache(maxsize=8192)
def _width_units(text: str, bold: bool, italic: bool, family: str = "") -> float:
    """Width of one line of text at _UNITS points. Widths are linear in the size, so a text is
    measured once, whatever sizes fitting tries (a table's cells are measured at every font
    size it steps down through, for every page it continues on)."""
    font = _font(bold, italic, family)
    missing = missing_glyphs(text)
    if not missing:
        return float(font.getlength(text))
    known = "".join(ch for ch in text if ch not in missing)
    guessed = sum(1.0 if _wide(ch) else 0.6 for ch in text if ch in missing)
    return float(font.getlength(known)) + guessed * _UNITS


def _units(word: str) -> list[str]:
    """A word split where a line may break inside it: around each full-width character."""
    if all(ord(ch) < 0x1100 for ch in word):
        return [word]
    out: list[list[str]] = []
    for ch in word:
        if _wide(ch) or not out or _wide(out[-1][-1]):
            out.append([ch])
        else:
            out[-1].append(ch)
    return ["".join(unit) for unit in out]


def wrap_words(
    pieces: Sequence[tuple[str, bool, bool]], size: float, width_pt: float
) -> int:
    """How many lines the styled pieces (text, bold, italic) take when wrapped at word breaks."""
    lines, used, space = 1, 0.0, text_width_pt(" ", size)
    for text, bold, italic in pieces:
        for i, word in enumerate(text.split(" ")):
            if i > 0:
                used += space
            for unit in _units(word):
                w = text_width_pt(unit, size, bold, italic)
                if used > 0 and used + w > width_pt:
                    lines += 1
                    used = 0.0
                if w > width_pt:  # a word broken mid-way never 'fits': far too tall
                    return UNBREAKABLE
                used += w
    return lines


def paragraph_lines(par: Paragraph, width_pt: float, scale: float = 1.0) -> int:
    indent = _indent_pt(par, scale)
    size = par.size * scale
    pieces = [(r.text, r.bold or par.bold, r.italic) for r in par.runs]
    return sum(wrap_words(line, size, width_pt - indent) for line in _hard_lines(pieces))


def _indent_pt(par: Paragraph, scale: float) -> float:
    return (par.level * 0.45 * 72 + (0.3 * 72 if par.bullet else 0.0)) * scale


def _hard_lines(pieces: Sequence[tuple[str, bool, bool]]) -> list[list[tuple[str, bool, bool]]]:
    """The pieces of each hard line (text split at '\\n', i.e. a vertical tab in PowerPoint),
    in one pass over the text."""
    lines: list[list[tuple[str, bool, bool]]] = [[]]
    for text, b, i in pieces:
        for j, part in enumerate(text.split("\n")):
            if j > 0:
                lines.append([])
            if part:
                lines[-1].append((part, b, i))
    return [line or [("", False, False)] for line in lines]


def text_height_pt(paragraphs: Iterable[Paragraph], width_pt: float, scale: float = 1.0) -> float:
    """Height of the paragraphs, wrapped at `width_pt`, with every size multiplied by `scale`."""
    total = 0.0
    for par in paragraphs:
        lines = paragraph_lines(par, width_pt, scale)
        line = par.size * scale * _LINE_HEIGHT * par.line_spacing
        total += par.space_before * scale + lines * line
    return total


def fit_scale(
    paragraphs: Sequence[Paragraph], width_emu: int, height_emu: int, min_scale: float = 0.5,
    max_scale: float = 1.0,
) -> float:
    """The largest scale (in 5% steps, from max_scale down to min_scale) at which the text fits.

    Text with characters the font lacks is measured by estimate, so it is never enlarged."""
    width_pt, height_pt = width_emu / EMU_PER_PT, height_emu / EMU_PER_PT
    if max_scale > 1.0 and any(missing_glyphs(p.text) for p in paragraphs):
        max_scale = 1.0
    scale = max_scale
    while scale > min_scale and text_height_pt(paragraphs, width_pt, scale) > height_pt:
        scale = round(scale - 0.05, 2)
    return max(scale, min_scale)


def scaled(paragraphs: Sequence[Paragraph], scale: float) -> tuple[Paragraph, ...]:
    """The paragraphs with every font size multiplied by `scale` (rounded to half points)."""
    from dataclasses import replace

    def size(s: float) -> float:
        return round(s * scale * 2) / 2

    return tuple(
        replace(
            p,
            size=size(p.size),
            space_before=round(p.space_before * scale, 1),
            runs=tuple(replace(r, size=size(r.size)) if r.size else r for r in p.runs),
        )
        for p in paragraphs
    )
