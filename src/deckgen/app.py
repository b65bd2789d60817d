"""The pipeline as a library: load -> resolve -> layout -> write. The CLI only calls these."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Sequence

from pydantic import ValidationError

from deckgen import kinds
from deckgen.data.images import load_image
from deckgen.errors import DeckError, Location, Problem, excerpt, shown_path
from deckgen.kinds.base import SlideContext, SlideSpec
from deckgen.layout.frame import decorate
from deckgen.layout.plan import SlidePlan
from deckgen.layout.theme import Brand, Theme, default_brand_path
from deckgen.options import Options
from deckgen.source.outline import DeckSpec, Outline, display_date, load_outline, slide_context
from deckgen.source.paths import inside, outside_message
from deckgen.source.validation import pydantic_problems
from deckgen.source.yamlsrc import SourceMap, load_file

if TYPE_CHECKING:
    from deckgen.data.store import DataStore
    from deckgen.render.pptx_writer import DocInfo

Progress = Callable[[int, int, str], None]


@dataclass
class BuiltDeck:
    """The result of planning a deck: its slide plans and where it would be written."""

    outline: Outline
    theme: Theme
    plans: list[SlidePlan]
    output: Path
    warnings: list[Problem] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)  # for each plan, its slide in the outline


def load_theme(deck: DeckSpec, base: Path, source: SourceMap,
               allow_outside_paths: bool = False) -> Theme:
    """The brand named by the outline (a file, inline, or assets/brand.yaml by default)."""
    spec = deck.brand
    if isinstance(spec, Brand):
        brand, brand_dir, where = spec, base, source.at(("brand",))
    else:
        path = base / spec if spec else default_brand_path(base)
        if not spec and not path.exists():
            return Theme(Brand(), None)
        shown = spec or str(path.relative_to(base))
        data, source = load_file(path, shown_as=shown)
        try:
            brand = Brand.model_validate(data if data is not None else {})
        except ValidationError as exc:
            raise DeckError(pydantic_problems(exc, data, source, (), model=Brand)) from None
        brand_dir, where = path.parent, source.at(("logo",))
    if deck.footer is not None:
        brand = brand.model_copy(update={"footer": deck.footer})
    logo = None
    if brand.logo:
        # an inline brand's logo is one of the outline's paths, checked with the others
        # (inherit.check_paths); a brand file's logo must stay in the brand file's folder
        if not isinstance(spec, Brand) and not allow_outside_paths \
                and not inside(brand_dir, brand.logo):
            raise DeckError.single(outside_message(brand.logo, "brand file"), where,
                                   "brand logo")
        logo = load_image(brand_dir / brand.logo, where, "brand logo").data
    return Theme(brand, logo)


def plan_deck(outline: Outline, progress: Optional[Progress] = None) -> BuiltDeck:
    """Lay out every slide, collecting the problems of all slides before failing."""
    theme = load_theme(outline.deck, outline.base_dir, outline.source,
                       outline.allow_outside_paths)
    base = deck_context(outline.deck, theme, outline.store, outline.base_dir, outline.source)
    plans: list[SlidePlan] = []
    contexts: list[tuple[str, Location]] = []  # for each plan, the outline slide it came from
    origins: list[int] = []
    problems: list[Problem] = []
    total = len(outline.slides)
    for i, spec in enumerate(outline.slides):
        if progress:
            progress(i + 1, total, spec.title or spec.kind)
        try:
            made = plan_slide(spec, i, base, len(plans) + 1)
        except DeckError as exc:
            # a broken data source fails every slide that uses it: report it once
            problems += [p for p in exc.problems if p not in problems]
            continue
        plans += made
        origins += [i] * len(made)
        contexts += [(outline.slide_context(i), outline.where(("slides", i)))] * len(made)
    if problems:
        raise DeckError(problems)
    from deckgen.layout.review import review

    return BuiltDeck(outline, theme, plans, outline.output_path(),
                     outline.store.warnings + base.warnings + review(plans, theme, contexts),
                     origins)


def deck_context(deck: DeckSpec, theme: Theme, store: "DataStore", base_dir: Path,
                 source: SourceMap) -> SlideContext:
    """What every slide's layout may use: the brand, the data and the deck's own fields."""
    return SlideContext(theme=theme, data=store, base_dir=base_dir, deck_title=deck.title,
                        deck_subtitle=deck.subtitle, deck_date=display_date(deck.date),
                        organisation=deck.organisation, source=source)


def plan_slide(spec: SlideSpec, index: int, base: SlideContext,
               number: int) -> list[SlidePlan]:
    """The outline's slide `index` laid out and branded: one slide, or more where it continues
    ("(cont.)"); `number` is the first one's slide number."""
    module = kinds.get(spec.kind)
    assert module is not None  # validated by the outline loader
    base.index, base.context = index, slide_context(index, spec.kind)
    made = module.plan(spec, base)
    plans: list[SlidePlan] = []
    for plan in made if isinstance(made, list) else [made]:
        plan.kind = spec.kind
        dark = plan.background is not None
        plans.append(decorate(plan, base.theme, number + len(plans), dark=dark))
    return plans


#: The range of SOURCE_DATE_EPOCH deckgen accepts: a zip file's dates end in 2107 (those before
#: 1980, where they begin, are written as 1980 in the zip and as they are in the properties).
EPOCH_RANGE = (0, 4_354_819_199)  # 1970-01-01 00:00:00 to 2107-12-31 23:59:59 UTC


def source_date_epoch() -> Optional[int]:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as seconds, None when unset; a value that is
    not a whole number of seconds a .pptx can record is a DeckError, never silently ignored."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    low, high = EPOCH_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise DeckError.single(
            f"SOURCE_DATE_EPOCH={excerpt(text)} is not a date deckgen can use: it must be a "
            f"whole number of seconds since 1970-01-01 UTC, from {low} to {high} (the end of "
            "2107, the last date a .pptx can record); unset it to date the file by the deck's "
            "date")
    return int(text)


def timestamp(deck: DeckSpec) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible-builds.org), else the deck's date, else 2000-01-01."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).replace(tzinfo=None)
    day = deck.date if isinstance(deck.date, dt.date) else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def doc_info(deck: DeckSpec, theme: Theme) -> "DocInfo":
    """The document properties and fonts the writer needs."""
    from deckgen.render.pptx_writer import DocInfo

    return DocInfo(title=deck.title, author=deck.author or deck.organisation,
                   subject=deck.subtitle, when=timestamp(deck), font=theme.font,
                   heading_font=theme.heading_font)


def render_deck(deck: BuiltDeck, options: Options = Options()) -> bytes:
    """Draw the charts and write the .pptx bytes."""
    from deckgen.cache.charts import CACHE_DIR, draw_charts
    from deckgen.render import pptx_writer

    o = deck.outline
    draw_charts(deck.plans, deck.theme, o.base_dir / CACHE_DIR if options.cache else None)
    return pptx_writer.render(deck.plans, doc_info(o.deck, deck.theme), deck.theme.slide_w,
                              deck.theme.slide_h)


@dataclass(frozen=True)
class Written:
    """A deck written to disk: where, how many slides, with what warnings; `redrawn` lists the
    slide numbers drawn again when the rest were kept from the previous build (else None)."""

    output: Path
    slides: int
    warnings: list[Problem] = field(default_factory=list)
    redrawn: Optional[list[int]] = None


def build(deck_path: Path, output: Optional[Path] = None,
          overrides: Optional[Mapping[str, str]] = None,
          progress: Optional[Progress] = None, options: Options = Options()) -> Written:
    """Build the deck and write it atomically; returns what was written.

    With the cache on, an edit that touched only some slides redraws just those into the
    previous deck (see incremental.py): the same bytes, sooner.
    """
    from deckgen.cache import fingerprint as uptodate
    from deckgen.cache import redraw as incremental

    source_date_epoch()  # a bad value is an error before any work
    overrides = overrides or {}
    found = None
    if options.cache:  # the inputs as they are before anything is read
        found = uptodate.fingerprint(deck_path, output, overrides, options.key())
    if found is not None:
        done = incremental.rebuild(deck_path, output, overrides, options, found, progress)
        if done is not None:
            return done
    outline = load_outline(deck_path, overrides, options.allow_outside_paths)
    target = output if output is not None else outline.output_path()
    # before the work of building, not after
    check_output(target, input_files(outline), None if output else outline.where(("output",)))
    deck = _strict(plan_deck(outline, progress), options)
    deck.output = target
    data = render_deck(deck, options)
    save(data, target)
    if options.cache:
        incremental.remember(deck_path, output, overrides, options, found, deck, data)
    return Written(target, len(deck.plans), deck.warnings)


def check_output(target: Path, reads: Sequence[tuple[Path, str]] = (),
                 where: Optional[Location] = None) -> None:
    """Raise the DeckError that says why the deck cannot be written at `target`, if it can't:
    a name that does not end in .pptx, a file the build reads (the outline, its data...), a
    folder, or a place that is not writable. `where` is the outline's `output:` when the target
    comes from it (else the target comes from -o)."""
    shown = shown_path(target)
    origin = "output:" if where is not None else "-o"
    for path, what in reads:
        if _same_file(target, path):
            raise DeckError.single(
                f"cannot write the deck to {shown}: that is {what}, which the build reads; "
                f"choose another name with {origin}", where)
    if target.suffix.lower() != ".pptx":
        raise DeckError.single(
            f"cannot write the deck to {shown}: a deck's file name must end in .pptx; change "
            f"{origin}", where)
    problem = output_problem(target)
    if problem:
        raise DeckError.single(f"cannot write the deck: {problem}; choose another place with -o",
                               Location(shown))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def input_files(outline: Outline) -> list[tuple[Path, str]]:
    """Every file a build of the outline reads, with what it is (for messages)."""
    from deckgen.source.paths import named_paths
    from deckgen.source.variables import fill_text

    files = [(path, "the outline" if i == 0 else "an outline it extends")
             for i, path in enumerate(outline.source.files)]
    for named in named_paths(outline.tree):
        if named.read and isinstance(named.value, str) and named.value:
            value = fill_text(named.value, outline.variables)[0]
            if named.at[0] == "data":
                what = f"the data file of '{named.at[1]}'"
            elif named.at[0] == "brand":
                what = "the brand file" if named.at == ("brand",) else "the brand's logo"
            else:
                what = f"a picture of {named.context or 'a slide'}"
            files.append((outline.base_dir / value, what))
    if outline.deck.brand is None:
        files.append((default_brand_path(outline.base_dir), "the brand file"))
    return files


def save(data: bytes, target: Path) -> None:
    """Write the deck atomically, or raise a DeckError saying why it could not be written."""
    from deckgen import interrupt
    from deckgen.render import pptx_writer

    interrupt.check()  # Ctrl-C means no deck, even when Python swallowed the interrupt
    try:
        pptx_writer.save(data, target)
    except OSError as exc:
        raise DeckError.single(
            f"cannot write the deck: {exc.strerror or exc}; choose another place with -o",
            Location(shown_path(target))) from None


def output_problem(target: Path) -> Optional[str]:
    """Why the deck could not be written at `target`, or None if it can."""
    if target.is_dir():
        return f"{shown_path(target)} is a folder; give a file name ending in .pptx"
    folder = target.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        return f"{shown_path(folder)} is a file, not a folder"
    if target.parent.exists() and not os.access(target.parent, os.W_OK | os.X_OK):
        return f"the folder {shown_path(target.parent)} is not writable"
    if not target.parent.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create folders in {shown_path(folder)} (not writable)"
    return None


def check(deck_path: Path, overrides: Optional[Mapping[str, str]] = None,
          options: Options = Options()) -> BuiltDeck:
    """Everything a build does except writing: every problem is raised as one DeckError."""
    source_date_epoch()
    outline = load_outline(deck_path, overrides, options.allow_outside_paths)
    return _strict(plan_deck(outline), options)


def _strict(deck: BuiltDeck, options: Options) -> BuiltDeck:
    """With --strict, warnings are problems: the deck is not written."""
    if options.strict and deck.warnings:
        raise DeckError([replace(w, message=f"{w.message} (an error with --strict)")
                         for w in deck.warnings])
    return deck
