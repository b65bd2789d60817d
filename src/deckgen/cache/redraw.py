"""Rebuild only the slides an edit touched, keeping every other slide of the deck written last.

After each build a memo (.deckgen-cache/decks/) records what the deck was made from:

- a digest of everything but the slides: the outline's other fields (with what it extends), its
  data, brand, logo and pictures, deckgen's code and versions, the options;
- the variables' values (so a text edit need not read the data they come from);
- for each slide of the outline, a digest of its entry and what was drawn for it: how many
  slides, their titles, the pictures on them and whether they have notes.

When only slide entries changed since, just those are validated, laid out, reviewed and drawn
again into the previous deck (`pptx_writer.redraw`); the other slides are not even validated,
and pandas and matplotlib are never imported. The result is the same bytes a full build writes
(tested). Whenever the memo cannot vouch for that, the full build runs instead, with its full
checking and messages: the deck has warnings, slides were added or removed, a changed slide
reads data or draws a chart, shows different pictures or gains or loses notes compared with
the slide at its place, continues onto a different number of slides, or has a problem to
report. (Slides that swap places are two changed entries, each redrawn at its place.)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, NoReturn, Optional

from deckgen.app import (
    BuiltDeck,
    Progress,
    Written,
    check_output,
    deck_context,
    doc_info,
    load_theme,
    plan_slide,
    save,
)
from deckgen.atomic import write_atomic
from deckgen.cache import fingerprint as uptodate
from deckgen.errors import DeckError, shown_path
from deckgen.layout.plan import ChartPicture, Picture, SlidePlan
from deckgen.layout.review import review_slide, title_messages
from deckgen.options import Options
from deckgen.source.inherit import load_tree
from deckgen.source.outline import output_path, validate

MEMOS = Path(".deckgen-cache") / "decks"
FORMAT = 1


@dataclass(frozen=True)
class Drawn:
    """What one slide of the deck shows that a redrawn slide must match to keep its part."""

    title: str
    pictures: list[str]  # digests of the pictures, in drawing order
    notes: bool


@dataclass
class Memo:
    context: str
    output: str
    sha256: str
    variables: dict[str, Any]
    entries: list[str]  # for each slide of the outline, the digest of its entry
    drawn: list[list[Drawn]]  # ... and the slides drawn for it

    @classmethod
    def load(cls, path: Path) -> Optional["Memo"]:
        """The memo at `path`, or None if there is none or it is not one this code wrote."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.pop("format") != FORMAT:
                return None
            raw["drawn"] = [[Drawn(**d) for d in slides] for slides in raw["drawn"]]
            memo = cls(**raw)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        texts = [memo.context, memo.output, memo.sha256, *memo.entries]
        drawn = [d for slides in memo.drawn for d in slides]
        if not (all(isinstance(t, str) for t in texts) and isinstance(memo.variables, dict)
                and len(memo.entries) == len(memo.drawn)
                and all(isinstance(d.title, str) and isinstance(d.notes, bool)
                        and all(isinstance(p, str) for p in d.pictures) for d in drawn)):
            return None
        return memo

    def save(self, path: Path) -> None:
        """Write the memo atomically (one that cannot be written costs only time later)."""
        try:
            write_atomic(path, json.dumps({"format": FORMAT, **asdict(self)}).encode())
        except (OSError, TypeError, ValueError):
            pass


class _Fallback(Exception):
    """The memo cannot vouch for a redraw: build in full."""


class _NoData:
    """Stands in for the DataStore: a slide that reads data is rebuilt with the whole deck."""

    def __getattr__(self, name: str) -> NoReturn:
        raise _Fallback("reads data")


def remember(deck_path: Path, output: Optional[Path], overrides: Mapping[str, str],
             options: Options, found: Optional[uptodate.Fingerprint], deck: BuiltDeck,
             written: bytes) -> None:
    """Record a full build, so that the next can redraw only what changes. `found` is the
    fingerprint of the inputs taken before the build read them (a file saved while the deck
    was being built must not be vouched for). A memo that cannot be written costs only time."""
    path = memo_path(deck_path, output, overrides, options)
    slides = deck.outline.tree.get("slides")
    variables = dict(deck.outline.variables)
    plain = all(isinstance(v, (str, int, float, bool)) for v in variables.values())
    try:
        if deck.warnings or found is None or not isinstance(slides, list) or not plain:
            raise _Fallback("only a clean deck is redrawn in part")
        drawn: list[list[Drawn]] = [[] for _ in slides]
        for plan, index in zip(deck.plans, deck.origins):
            drawn[index].append(_drawn(plan))
        Memo(context=_context(found, deck.outline.tree), output=str(deck.output.resolve()),
             sha256=hashlib.sha256(written).hexdigest(), variables=variables,
             entries=[_digest(raw) for raw in slides], drawn=drawn).save(path)
    except _Fallback:  # no memo: the next build is a full one
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def rebuild(deck_path: Path, output: Optional[Path], overrides: Mapping[str, str],
            options: Options, found: uptodate.Fingerprint,
            progress: Optional[Progress] = None) -> Optional[Written]:
    """Redraw the slides whose entries changed into the previous deck, or return None when
    only a full build can be trusted to give the right deck. `found` is the fingerprint of the
    inputs, taken before anything was read."""
    path = memo_path(deck_path, output, overrides, options)
    memo = Memo.load(path)
    if memo is None:
        return None
    try:
        return _rebuild(deck_path, output, options, found, progress, memo, path)
    except (_Fallback, DeckError):  # a problem is reported by the full build, with the rest
        return None


def _rebuild(deck_path: Path, output: Optional[Path], options: Options,
             found: uptodate.Fingerprint, progress: Optional[Progress], memo: Memo,
             path: Path) -> Written:
    from deckgen.render import pptx_writer

    tree, source = load_tree(deck_path, shown_path(deck_path), options.allow_outside_paths)
    slides = tree.get("slides")
    if _context(found, tree) != memo.context or not isinstance(slides, list) \
            or len(slides) != len(memo.entries):
        raise _Fallback("more than slide entries changed")
    entries = [_digest(raw) for raw in slides]
    changed = [i for i, entry in enumerate(entries) if entry != memo.entries[i]]
    if not changed:
        raise _Fallback("nothing changed: the up-to-date check decides that")
    data_names = set(tree["data"]) if isinstance(tree.get("data"), dict) else set()
    deck, specs = validate(tree, source, memo.variables, data_names, only=changed)
    target = output if output is not None else output_path(deck, deck_path.parent)
    try:
        previous = target.read_bytes()
    except OSError:
        raise _Fallback("no previous deck") from None
    if str(target.resolve()) != memo.output or \
            hashlib.sha256(previous).hexdigest() != memo.sha256:
        raise _Fallback("the previous deck was moved, changed or replaced")
    theme = load_theme(deck, deck_path.parent, source, options.allow_outside_paths)
    base = deck_context(deck, theme, _NoData(), deck_path.parent, source)  # type: ignore[arg-type]
    firsts = [1]
    for drawn in memo.drawn:
        firsts.append(firsts[-1] + len(drawn))
    redrawn: dict[int, SlidePlan] = {}
    titles = [d.title for drawn in memo.drawn for d in drawn]
    for n, i in enumerate(changed, start=1):
        if progress:
            progress(n, len(changed), specs[i].title or specs[i].kind)
        plans = plan_slide(specs[i], i, base, firsts[i])
        now, before = [_drawn(p) for p in plans], memo.drawn[i]
        if len(now) != len(before) or any((a.pictures, a.notes) != (b.pictures, b.notes)
                                          for a, b in zip(now, before)):
            raise _Fallback("the slide's pictures, notes or continuation changed")
        if base.warnings or any(review_slide(p, theme) for p in plans):
            raise _Fallback("the slide has warnings")
        for offset, plan in enumerate(plans):
            redrawn[firsts[i] + offset] = plan
            titles[firsts[i] + offset - 1] = plan.title.text
        memo.drawn[i] = now
    if any(title_messages(titles)):
        raise _Fallback("a title is missing or used twice")
    check_output(target)
    written = pptx_writer.redraw(previous, redrawn, doc_info(deck, theme))
    save(written, target)
    memo.entries, memo.sha256 = entries, hashlib.sha256(written).hexdigest()
    memo.save(path)
    return Written(target, firsts[-1] - 1, [], sorted(redrawn))


def _drawn(plan: SlidePlan) -> Drawn:
    pictures = []
    for element in plan.elements:
        if isinstance(element, ChartPicture):  # drawn only when a full build writes the deck
            raise _Fallback("the slide draws a chart")
        if isinstance(element, Picture):
            pictures.append(hashlib.sha256(element.image).hexdigest())
    return Drawn(plan.title.text, pictures, bool(plan.notes))


def memo_path(deck: Path, output: Optional[Path], overrides: Mapping[str, str],
               options: Options) -> Path:
    key = json.dumps([str(deck.absolute()), str(output.resolve()) if output else "",
                      sorted(overrides.items()), list(options.key())])
    return deck.parent / MEMOS / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def _context(found: uptodate.Fingerprint, tree: Mapping[str, Any]) -> str:
    """The digest of everything a slide's drawing may depend on besides its own entry."""
    rest = {key: value for key, value in tree.items() if key != "slides"}
    digest = hashlib.sha256(found.head.encode())
    for file, sha in found.others:
        digest.update(f"\0{file}\0{sha}".encode())
    digest.update(_stable(rest).encode())
    return digest.hexdigest()


def _digest(value: Any) -> str:
    return hashlib.sha256(_stable(value).encode()).hexdigest()


def _stable(value: Any) -> str:
    """A text that tells apart any two different YAML values: repr keeps types apart (1, 1.0,
    '1', True, a date and its text), and mappings keep their order."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_stable(v) for v in value) + "]"
    return repr(value)
