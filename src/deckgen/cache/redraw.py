"""Redraw only the slides an edit touched, keeping every other slide of the deck written last.

When a memo (memo.py) says the previous deck was clean and everything but some slide entries is
unchanged, just those slides are validated, laid out, reviewed and drawn again into the previous
deck (`pptx_writer.redraw`); the other slides are not even validated, and matplotlib is never
imported. The variables are resolved as a full build resolves them, never taken from the memo:
pandas is imported only when one reads data (values_from, lookup), and a warm process (watch,
serve) has those sources read already. The result is the same bytes a full build writes
(tested). Whenever the memo cannot vouch for that, the full build runs instead, with its full
checking and messages: slides were added or removed, a changed slide reads data or draws a
chart, shows different pictures or gains or loses notes compared with the slide at its place,
continues onto a different number of slides, or has a problem to report. (Slides that swap
places are two changed entries, each redrawn at its place.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Mapping, NoReturn, Optional

from deckgen.cache.fingerprint import Fingerprint
from deckgen.cache.memo import Drawn, Memo, digest, file_stat, stable
from deckgen.errors import DeckError
from deckgen.layout.plan import ChartPicture, NativeChart, Picture, SlidePlan
from deckgen.layout.review import review_slide, title_messages, unshowable
from deckgen.options import Options
from deckgen.pipeline import (
    PlannedDeck,
    Progress,
    deck_context,
    load_theme,
    plan_slide,
    resolve_values,
    validate,
)
from deckgen.render.document import doc_info
from deckgen.render.output import Written, check_output, save
from deckgen.source.schema import output_path


class Fallback(Exception):
    """The memo cannot vouch for a redraw: build in full."""


class _NoData:
    """Stands in for the DataStore: a slide that reads data is rebuilt with the whole deck."""

    def __getattr__(self, name: str) -> NoReturn:
        raise Fallback("reads data")


def record(deck: PlannedDeck, found: Fingerprint, written: bytes) -> Memo:
    """The memo of a full build: `found` is the fingerprint of the inputs, taken before the
    build read them (a file saved while the deck was being built must not be vouched for)."""
    slides = found.tree.get("slides")
    drawn: list[list[Drawn]] = [[] for _ in slides] if isinstance(slides, list) else []
    redraw = True
    try:
        if deck.warnings or not isinstance(slides, list):
            raise Fallback("only a clean deck is redrawn in part")
        for plan, index in zip(deck.plans, deck.origins):
            drawn[index].append(_drawn(plan))
    except Fallback:
        redraw, drawn = False, []
    entries = [digest(raw) for raw in slides] if redraw and isinstance(slides, list) else []
    return Memo(key=found.key, output=str(deck.output.resolve()),
                sha256=hashlib.sha256(written).hexdigest(), stat=file_stat(deck.output),
                slides=len(deck.plans),
                warnings=[str(w) for w in deck.warnings], redraw=redraw,
                context=rest_digest(found, found.tree), entries=entries, drawn=drawn)


def redraw(deck_path: Path, output: Optional[Path], overrides: Mapping[str, str],
           options: Options, found: Fingerprint, progress: Optional[Progress], memo: Memo,
           data_cache: Optional[Path] = None) -> tuple[Written, Memo]:
    """Redraw the slides whose entries changed into the previous deck; raises Fallback when
    only a full build can be trusted to give the right deck. The memo says only whether that
    can be done: the variables are resolved from the outline and `overrides` as a full build
    resolves them (reading the data they need, with `data_cache`), the deck is the one -o or
    the outline names."""
    from deckgen.office import write as pptx_writer

    tree = found.tree
    slides = tree.get("slides")
    if not memo.redraw or rest_digest(found, tree) != memo.context \
            or not isinstance(slides, list) or len(slides) != len(memo.entries):
        raise Fallback("more than slide entries changed")
    entries = [digest(raw) for raw in slides]
    changed = [i for i, entry in enumerate(entries) if entry != memo.entries[i]]
    if not changed:
        raise Fallback("nothing changed: the up-to-date check decides that")
    source = found.source
    try:
        resolved = resolve_values(tree, source, deck_path, overrides,
                                  options.allow_outside_paths, data_cache)
        deck, specs = validate(tree, source, resolved.values, set(resolved.sources),
                               only=changed)
    except DeckError:
        raise Fallback("a problem: the full build reports it with the rest") from None
    target = output if output is not None else output_path(deck, deck_path.parent)
    previous = memo.vouches_for(target)
    if previous is None:
        raise Fallback("no previous deck, or it was moved, changed or replaced")
    theme = load_theme(deck, deck_path.parent, source, options.allow_outside_paths)
    if theme.template is not None:  # each slide's place comes from its layout
        raise Fallback("a deck on a template is built in full")
    base = deck_context(deck, theme, _NoData(), deck_path.parent, source)  # type: ignore[arg-type]
    firsts = [1]
    for drawn in memo.drawn:
        firsts.append(firsts[-1] + len(drawn))
    redrawn: dict[int, SlidePlan] = {}
    titles = [d.title for drawn in memo.drawn for d in drawn]
    for n, i in enumerate(changed, start=1):
        if progress:
            progress(n, len(changed), specs[i].title or specs[i].kind)
        try:
            plans, warnings = plan_slide(specs[i], i, base, firsts[i])
        except DeckError:
            raise Fallback("a problem: the full build reports it with the rest") from None
        now, before = [_drawn(p) for p in plans], memo.drawn[i]
        if len(now) != len(before) or any((a.pictures, a.notes) != (b.pictures, b.notes)
                                          for a, b in zip(now, before)):
            raise Fallback("the slide's pictures, notes or continuation changed")
        if warnings or any(review_slide(p, theme) for p in plans) \
                or unshowable(plans, [("", None)] * len(plans)):
            raise Fallback("the slide has warnings")
        for offset, plan in enumerate(plans):
            redrawn[firsts[i] + offset] = plan
            titles[firsts[i] + offset - 1] = plan.title.text
        memo.drawn[i] = now
    if any(title_messages(titles)):
        raise Fallback("a title is missing or used twice")
    check_output(target)
    written = pptx_writer.redraw(previous, redrawn, doc_info(deck, theme))
    save(written, target)
    memo.entries, memo.sha256, memo.key = entries, hashlib.sha256(written).hexdigest(), found.key
    memo.stat = file_stat(target)
    return Written(target, firsts[-1] - 1, [], sorted(redrawn)), memo


def _drawn(plan: SlidePlan) -> Drawn:
    pictures = []
    for element in plan.elements:
        if isinstance(element, (ChartPicture, NativeChart)):  # drawn by a full build
            raise Fallback("the slide draws a chart")
        if isinstance(element, Picture):
            pictures.append(hashlib.sha256(element.image).hexdigest())
    return Drawn(plan.title.text, pictures, bool(plan.notes))


def rest_digest(found: Fingerprint, tree: Mapping[str, Any]) -> str:
    """The digest of everything a slide's drawing may depend on besides its own entry."""
    rest = {key: value for key, value in tree.items() if key != "slides"}
    hashed = hashlib.sha256(found.head.encode())
    for file, sha in found.others:
        hashed.update(f"\0{file}\0{sha}".encode())
    hashed.update(stable(rest).encode())
    return hashed.hexdigest()

