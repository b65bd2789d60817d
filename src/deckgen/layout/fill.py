"""Lay a sparse body out to fill the slide, as a designer would (PowerPoint Designer, Marp's
`lead` slides, Beamer's blocks): a few short points become cards in a row or a grid, longer
text grows up to the brand's largest body size, and what still leaves the body mostly empty
is centred in it. The text stays real, editable text, word for word.

The kinds decide when (layout/coverage.py measures a slide's content against its body);
this module only makes the shapes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal, Optional, Sequence

from deckgen.layout import textfit
from deckgen.layout.frame import TEXT_INSET_Y
from deckgen.layout.plan import EMU_PER_PT, Box, Element, Paragraph, Rect, TextBox, inches
from deckgen.layout.theme import Theme

#: At most this many points become cards (four as a 2 x 2 grid); more read better as a list.
MAX_CARDS = 4
#: ... and only points of at most this many words: a card holds a phrase, not a paragraph.
CARD_WORDS = 30
#: The share of the free height a block of cards takes (centred in it) when its text needs
#: less: tall enough to fill the slide, short enough not to look like empty boxes (a lone
#: statement's panel a little less: its few words would float in more).
CARD_SHARE, STATEMENT_SHARE = 0.72, 0.6
CARD_GAP = inches(0.3)
_BAR = inches(0.1)  # the accent bar down a card's left edge, as on headline cards
_PAD_LEFT, _PAD_RIGHT, _PAD_Y = inches(0.3), inches(0.2), inches(0.12)


def as_cards(points: Sequence[Any]) -> bool:
    """Whether points read best as cards: one to MAX_CARDS points, each plain text (no
    sub-points) of at most CARD_WORDS words."""
    return 0 < len(points) <= MAX_CARDS and all(
        not isinstance(p, dict) and len(str(p).split()) <= CARD_WORDS for p in points)


def grow_scale(theme: Theme, size: float, least: float = 1.0) -> float:
    """How far text set at `size` may grow to fill a slide: up to the brand's largest body
    size (never less than `least`, the kind's usual allowance)."""
    return max(least, theme.max_body_size / size)


def cards(area: Box, texts: Sequence[Sequence[Paragraph]], theme: Theme, size: float,
          names: Optional[Sequence[str]] = None,
          anchor: Literal["top", "middle"] = "middle") -> Optional[list[Element]]:
    """The texts as cards (a filled box with an accent bar, the text centred in it) filling
    `area`: one card across it, two or three in a row, four in a 2 x 2 grid; their text at one
    size, grown as far as the brand allows and the cards hold. None when the text cannot be
    read at the brand's smallest body size in cards (the caller keeps its list). The text
    boxes are `names` (by default 'Point 1', 'Point 2'..., a lone one 'Points'); their text
    is centred in the card, or at its `top` where cards are compared side by side."""
    n = len(texts)
    cols = 2 if n == 4 else n
    rows = (n + cols - 1) // cols
    least = min(theme.min_body_size / size, 1.0)
    most = (theme.max_statement_size if n == 1 else theme.max_body_size) / size
    for share in (STATEMENT_SHARE if n == 1 else CARD_SHARE, 1.0):
        block_h = int(area.h * share)
        card_h = (block_h - CARD_GAP * (rows - 1)) // rows
        top = area.y + (area.h - block_h) // 2
        boxes = [box for r in range(rows) for box in
                 Box(area.x, top + r * (card_h + CARD_GAP), area.w, card_h)
                 .split_columns(cols, CARD_GAP)][:n]
        inner = [_inner(box) for box in boxes]
        scale = min(textfit.fit_scale(list(pars), b.w, b.h - 2 * TEXT_INSET_Y, least, most)
                    for pars, b in zip(texts, inner))
        # sizes are rounded to half points: a rounded-up size can take a line more
        while scale >= least and not _fit(texts, inner, scale):
            scale = round(scale - 0.05, 2)
        if scale >= least:
            return _drawn(boxes, inner, texts, scale, theme, names, anchor)
    return None


def _fit(texts: Sequence[Sequence[Paragraph]], inner: Sequence[Box], scale: float) -> bool:
    return all(textfit.text_height_pt(textfit.scaled(pars, scale), b.w / EMU_PER_PT)
               <= (b.h - 2 * TEXT_INSET_Y) / EMU_PER_PT for pars, b in zip(texts, inner))


def _inner(card: Box) -> Box:
    return Box(card.x + _PAD_LEFT, card.y + _PAD_Y, card.w - _PAD_LEFT - _PAD_RIGHT,
               card.h - 2 * _PAD_Y)


def _drawn(boxes: Sequence[Box], inner: Sequence[Box], texts: Sequence[Sequence[Paragraph]],
           scale: float, theme: Theme, names: Optional[Sequence[str]],
           anchor: Literal["top", "middle"]) -> list[Element]:
    c = theme.colours
    out: list[Element] = []
    for i, (card, box, pars) in enumerate(zip(boxes, inner, texts), start=1):
        out.append(Rect(card, c.light, f"Card {i}"))
        out.append(Rect(Box(card.x, card.y, _BAR, card.h), c.accent, f"Card bar {i}"))
        if len(texts) == 1:  # a lone statement, in the brand's primary colour
            pars = [replace(p, color=c.primary) for p in pars]
        # a lone card is the slide's points, named as a list of them is
        name = names[i - 1] if names else "Points" if len(texts) == 1 else f"Point {i}"
        out.append(TextBox(box, textfit.scaled(pars, scale), name, anchor=anchor))
    return out


def card_paragraph(par: Paragraph) -> Paragraph:
    """A point as a card shows it: the same words and emphasis, without the list's bullet,
    indent and space above (the card is the point)."""
    return replace(par, bullet=None, level=0, space_before=0.0)
