"""The orchestrator: build, check, preview, export and clean, for the command line and library
callers alike.

    build(deck.yaml) = manifest (every input, read once)  ->  cache.decide: up to date? only
                       some slides to redraw?  ->  pipeline (load -> resolve -> layout)  ->
                       draw  ->  render  ->  write atomically  ->  cache.record

Like MkDocs' `build(config, dirty=...)` and Black's use of its cache, the orchestrator reads the
build's inputs once (source/manifest.py), asks the cache (cache/: keys, memos and entries, a
leaf) whether earlier work can be reused, and does the work itself: the redraw of edited slides
too. Every entry point goes through it, so the library's `build`, a batch (`build_each`),
`preview` and `watch` skip an up-to-date deck and redraw only edited slides, exactly as the
command line does. Problems are raised as one DeckError; the command line prints them.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional

from deckgen import kinds
from deckgen.cache import Built, Cache, Redraw, UpToDate, user_cache_dir
from deckgen.cache.memo import Drawn
from deckgen.errors import DeckError, Location, Problem, did_you_mean
from deckgen.guide import data_show, inspect_template, kind_keys, kinds_list, outline_schema
from deckgen.options import Options
from deckgen.render.document import source_date_epoch
from deckgen.render.output import Written, check_name
from deckgen.source.manifest import Manifest, declared, read_manifest

if TYPE_CHECKING:
    from deckgen.data.resolve import Resolved
    from deckgen.layout.plan import SlidePlan
    from deckgen.pipeline import Outline, PlannedDeck, Progress

# The pipeline (pydantic, the kinds, the data stage) is imported only when a deck is built or
# checked: an up-to-date deck is answered by the cache alone, as fast as Python starts.

__all__ = ["build", "build_keeping_edits", "diff", "check", "build_each", "preview", "pdf",
           "export", "clean", "Written", "DeckResult", "Options", "DeckError", "Problem",
           "user_cache_dir", "watch", "serve", "outline_schema", "kinds_list", "kind_keys",
           "data_show", "inspect_template"]


def build(deck_path: Path, output: Optional[Path] = None,
          overrides: Optional[Mapping[str, str]] = None,
          progress: Optional[Progress] = None, options: Options = Options()) -> Written:
    """Build the deck and write it atomically; returns what was written.

    With the cache on, a deck whose inputs have not changed is not built again (`reused`), and
    an edit that touched only some slides redraws just those into the previous deck
    (`redrawn`): the same bytes a full build writes, sooner.
    """
    return _build(deck_path, output, overrides or {}, progress, options)


def _build(deck_path: Path, output: Optional[Path], overrides: Mapping[str, str],
           progress: Optional[Progress], options: Options,
           seen: Optional[Callable[[Manifest], None]] = None) -> Written:
    """`build`; `seen` is given the build's manifest of its inputs, as soon as it is read."""
    source_date_epoch()  # a bad value is an error before any work
    if output is not None:
        check_name(output, "-o")
    cache = Cache.open(deck_path, output, overrides, options)
    # every input listed, and hashed before anything reads it (with the cache on)
    inputs = read_manifest(deck_path, overrides, options.allow_outside_paths, kinds.file_keys,
                           hashed=cache.on)
    if seen is not None:
        seen(inputs)
    resolved = _complete(inputs, cache) if cache.on and not inputs.complete else None
    decision = cache.decide(inputs)
    if isinstance(decision, UpToDate):
        return Written(decision.output, decision.slides,
                       [Problem(w, severity="warning") for w in decision.warnings], reused=True)
    if isinstance(decision, Redraw):
        redrawn = _redraw(decision, inputs, resolved, output, progress, cache.data)
        if redrawn is not None:
            return redrawn
    from deckgen.pipeline import load_outline, plan_deck, shows
    from deckgen.render.output import check_output, save

    outline = load_outline(deck_path, overrides, options.allow_outside_paths, cache.data,
                           keep_going=True, inputs=inputs, resolved=resolved)
    if outline.problems:  # slides with problems of their own: the others' are found too
        plan_deck(outline, progress)
    target = output if output is not None else outline.output_path()
    # before the work of building, not after
    check_output(target, inputs.input_files(), None if output else outline.where(("output",)))
    planned = _strict(plan_deck(outline, progress), options)
    deck = _strict(draw(replace(planned, output=target), cache.charts), options)
    data = render_deck(deck)
    save(data, target)
    drawn: list[list[Optional[Drawn]]] = [[] for _ in outline.slides]
    for plan, index in zip(deck.plans, deck.origins):
        drawn[index].append(shows(plan))
    cache.record(inputs, Built(target, data, len(deck.plans), [str(w) for w in deck.warnings],
                               deck.theme.template is not None, drawn))
    return Written(target, len(deck.plans), deck.warnings)


def _complete(inputs: Manifest, cache: Cache) -> Optional[Resolved]:
    """The variables resolved, for a manifest with a path that names a looked-up value: the
    data says which file it is, and the cache can then tell whether the deck is up to date.
    None when they cannot be resolved (the full build says why, in its order)."""
    from deckgen.pipeline import resolve_values

    try:
        return resolve_values(inputs, cache.data)
    except DeckError:
        return None


def _redraw(decision: Redraw, inputs: Manifest, resolved: Optional[Resolved],
            output: Optional[Path], progress: Optional[Progress],
            data_cache: Optional[Path]) -> Optional[Written]:
    """Redraw the slides whose entries changed into the previous deck, when the memo vouches
    for the result being the bytes a full build writes; None: build in full. The values are
    resolved as a full build resolves them (reading the data they need), never taken from the
    memo; the deck is the one -o or the outline names, never the memo's."""
    from deckgen.layout.review import title_messages
    from deckgen.office import write as pptx_writer
    from deckgen.pipeline import ReadsData, replan, resolve_values, shows
    from deckgen.render.document import doc_info
    from deckgen.render.output import check_output, save
    from deckgen.source.schema import output_path

    firsts = decision.firsts()
    try:
        again = replan(inputs, resolved or resolve_values(inputs, data_cache), decision.changed,
                       firsts, progress)
    except (DeckError, ReadsData):
        return None  # a problem (the full build reports it with the rest), or it reads data
    target = output if output is not None else output_path(again.deck, inputs.base)
    previous = decision.previous(target)
    if previous is None:
        return None  # no previous deck, or it was moved, changed or replaced
    titles = decision.titles()
    redrawn: dict[int, SlidePlan] = {}
    drawn: dict[int, list[Drawn]] = {}
    for i, (plans, warned) in again.slides.items():
        now = [shows(plan) for plan in plans]
        if not decision.keeps(i, now, warned):
            return None  # a chart, a warning, other pictures, notes or continuation
        drawn[i] = [d for d in now if d is not None]
        for offset, plan in enumerate(plans):
            redrawn[firsts[i] + offset] = plan
            titles[firsts[i] + offset - 1] = plan.title.text
    if any(title_messages(titles)):
        return None  # a title is missing or used twice: the full build says so
    check_output(target)
    written = pptx_writer.redraw(previous, redrawn, doc_info(again.deck, again.theme))
    save(written, target)
    decision.done(drawn, target, written)
    return Written(target, firsts[-1] - 1, [], sorted(redrawn))


def draw(deck: PlannedDeck, charts: Optional[Path]) -> PlannedDeck:
    """The deck with its charts drawn (from the chart cache in `charts` when given), and a
    warning at its slide for each chart whose text, as drawn, runs into other text or off
    the chart."""
    from deckgen.pipeline import once
    from deckgen.render.charts import HBAR, MORE_ROOM
    from deckgen.render.draw import draw_charts

    plans, clashes = draw_charts(deck.plans, deck.theme, charts)
    outline = deck.outline
    found = [Problem(text if text.endswith(HBAR) else f"{text}: {MORE_ROOM}",
                     outline.where(("slides", deck.origins[i])),
                     outline.slide_label(deck.origins[i])) for i, text in clashes]
    return replace(deck, plans=plans, warnings=once(deck.warnings + found))


def render_deck(deck: PlannedDeck) -> bytes:
    """The .pptx bytes of a deck whose charts are drawn."""
    from deckgen.edits.build import identity
    from deckgen.layout.frame import master_plan
    from deckgen.office import write as pptx_writer
    from deckgen.render.document import doc_info

    template = deck.theme.template
    try:
        return pptx_writer.render(deck.plans, doc_info(deck.outline.deck, deck.theme),
                                  deck.theme.slide_w, deck.theme.slide_h,
                                  master_plan(deck.theme), template.data if template else None,
                                  identity(deck))
    except pptx_writer.UnusableTemplate as exc:
        assert template is not None
        raise DeckError.single(f"{template.path} cannot be used as a template: {exc}",
                               template.at, "template") from None


def build_keeping_edits(deck_path: Path, last: Path, output: Optional[Path] = None,
                        overrides: Optional[Mapping[str, str]] = None,
                        progress: Optional[Progress] = None,
                        options: Options = Options()) -> Any:
    """Build the deck afresh and carry into it what people added to `last` (last month's deck)
    by hand; returns edits.build.Kept: the deck written, what was kept, what was reported."""
    from deckgen.edits.build import build_keeping

    source_date_epoch()
    return build_keeping(deck_path, last, output, overrides or {}, progress, options,
                         lambda deck: _strict(draw(deck, None), options), render_deck)


def diff(a: Path, b: Path, summary: bool = False) -> list[str]:
    """What changed from deck `a` to deck `b`, slide by slide, as lines (edits/diff.py)."""
    from deckgen.edits.diff import diff_files

    return diff_files(a, b, summary)


def check(deck_path: Path, overrides: Optional[Mapping[str, str]] = None,
          options: Options = Options()) -> PlannedDeck:
    """Everything a build does except writing: every problem is raised as one DeckError."""
    from deckgen.pipeline import load_outline, plan_deck

    source_date_epoch()
    cache = Cache.open(deck_path, None, overrides or {}, options)
    outline = load_outline(deck_path, overrides, options.allow_outside_paths, cache.data,
                           keep_going=True)
    planned = _strict(plan_deck(outline), options)
    if not options.strict:
        return planned  # quick: matplotlib is not even imported
    # with --strict, the charts drawn too (kept in the chart cache for the build), so check
    # refuses what the build would: chart text that runs together as drawn
    return _strict(draw(planned, cache.charts), options)


def check_rendered(deck_path: Path, overrides: Optional[Mapping[str, str]] = None,
                   options: Options = Options()) -> tuple[PlannedDeck, list[Problem], str]:
    """`check`, then the deck built into a temporary folder and checked as LibreOffice
    renders it (render/drawn.py): the deck, what the render shows is wrong (warnings at their
    slides), and why the render check could not run ('' when it ran)."""
    import tempfile

    from deckgen.render import drawn

    deck = check(deck_path, overrides, replace(options, strict=False))
    missing = drawn.tools()
    if missing:
        return _strict(deck, options), [], missing
    with tempfile.TemporaryDirectory(prefix="deckgen-check-") as tmp:
        built = build(deck_path, Path(tmp) / "deck.pptx", overrides, options=options)
        slides = [(deck.outline.slide_label(i), deck.outline.where(("slides", i)))
                  for i in deck.origins]
        found = drawn.check_deck(built.output, slides)
    return _strict(replace(deck, warnings=deck.warnings + found), options), found, ""


def _strict(deck: PlannedDeck, options: Options) -> PlannedDeck:
    """With --strict, warnings are problems: the deck is not written."""
    if options.strict and deck.warnings:
        raise DeckError([replace(w, message=f"{w.message} (an error with --strict)",
                                 severity="error") for w in deck.warnings])
    return deck


# --- many decks at once ----------------------------------------------------------------------


@dataclass
class DeckResult:
    """What happened to one deck of a batch."""

    value: str
    output: Path
    slides: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reused: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def build_each(deck: Path, variable: str, out_dir: Optional[Path],
               overrides: Mapping[str, str], jobs: Optional[int] = None,
               on_done: Optional[Callable[[DeckResult, int, int], None]] = None,
               options: Optional[Options] = None) -> list[DeckResult]:
    """One deck per value of `variable` (`--each district`), in parallel; results in the order
    of the values. Each deck goes through the cache like any build."""
    from deckgen.batch import run
    from deckgen.pipeline import load_outline

    options = options or Options()
    source_date_epoch()
    if out_dir is not None:
        check_name(out_dir, "-o")
    data = Cache.open(deck, None, overrides, options).data
    outline = load_outline(deck, overrides, options.allow_outside_paths, data)
    plan = plan_batch(outline, variable, out_dir)
    shared_data(outline, variable)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    tasks = [(str(deck), dict(overrides, **{variable: value}), str(out), value, options)
             for value, out in plan]
    return run(_build_one, tasks, workers, on_done)


def shared_data(outline: Outline, variable: str) -> list[str]:
    """Read, in this process, every data source whose rows are the same in every deck of the
    batch (its spec, and those it is made from, do not name the variable): the workers are
    forked from this process and find them read. Returns their names."""
    import json

    from deckgen.source.steps import Join

    tree = outline.tree.get("data")
    raw: dict[str, Any] = tree if isinstance(tree, dict) else {}
    mark = "{" + variable + "}"

    def shared(name: str, seen: tuple[str, ...] = ()) -> bool:
        spec = outline.store.specs.get(name)
        if spec is None or name in seen or mark in json.dumps(raw.get(name), default=str):
            return False
        others = [spec.from_] + [s.join.source for s in spec.steps if isinstance(s, Join)]
        return all(shared(o, seen + (name,)) for o in others if o is not None)

    names = [name for name in outline.store.specs if shared(name)]
    for name in names:
        outline.store.frame(name)
    return names


def plan_batch(outline: Outline, variable: str, out_dir: Optional[Path]) -> list[tuple[str, Path]]:
    """(value, output path) for every value the variable may take; raises DeckError if none."""
    if variable not in outline.variables:
        # only the variables a batch can go through (not the windows' parts: current.start)
        each = sorted(name for name, values in outline.choices.items() if values)
        known = (f"variables with values to build: {', '.join(each)}" if each else
                 "no variable declares values to build")
        raise DeckError.single(f"--each {variable}: the outline has no variable '{variable}' "
                               f"({known}){did_you_mean(variable, each or outline.variables)}",
                               Location(outline.source.file))
    values = outline.choices.get(variable)
    if not values:
        raise DeckError.single(
            f"--each {variable}: the variable declares no values to build; give it "
            "'values: [...]' or 'values_from: source.column' under 'variables:'",
            outline.where(("variables", variable)))

    uses_variable = "{" + variable + "}" in outline.output_template
    folder = out_dir if out_dir is not None else outline.output_path().parent
    plan = [(value, folder / _output_name(outline, variable, value, uses_variable))
            for value in values]
    for _, path in plan:  # values are slugged into names; checked all the same, before any work
        check_name(path, "-o" if out_dir is not None else "output:",
                   None if out_dir is not None else outline.where(("output",)))
    return plan


def _output_name(outline: Outline, variable: str, value: str, uses_variable: bool) -> str:
    from deckgen.source.variables import fill_text, slug

    values = {k: slug(str(v)) for k, v in outline.variables.items()}
    values[variable] = slug(value)
    template = outline.output_template or f"{slug(outline.deck.title)}.pptx"
    name = Path(fill_text(template, values)[0]).name
    if not uses_variable:
        name = f"{Path(name).stem}-{slug(value)}.pptx"
    return name


def _build_one(task: tuple[str, dict[str, str], str, str, Options]) -> DeckResult:
    """Build one deck of a batch (in a worker process); every outcome is a DeckResult."""
    deck, overrides, out, value, options = task
    result = DeckResult(value, Path(out))
    start = time.perf_counter()
    try:
        built = build(Path(deck), Path(out), overrides, options=options)
        result.slides = built.slides
        result.warnings = [str(w) for w in built.warnings]
        result.reused = built.reused
    except DeckError as exc:
        result.problems = [str(p) for p in exc.problems]
    except Exception as exc:  # noqa: BLE001 - reported per deck, the batch goes on
        result.problems = [f"internal error: {type(exc).__name__}: {exc} (please report it)"]
    result.seconds = time.perf_counter() - start
    return result


# --- seeing the deck: PDF, PNG, contact sheet (LibreOffice) ----------------------------------


def pdf(deck: Path, target: Optional[Path] = None) -> tuple[Path, bool]:
    """The deck as a PDF beside it (or at `target`), and whether it was written now (False: a
    PDF newer than the deck was already there)."""
    from deckgen.render.export import to_pdf

    target = target or deck.with_suffix(".pdf")
    if target.exists() and target.stat().st_mtime_ns >= deck.stat().st_mtime_ns:
        return target, False
    return to_pdf(deck, target), True


def export(deck: Path, pdf_target: Optional[Path] = None, png_dir: Optional[Path] = None,
           dpi: int = 96) -> tuple[Optional[Path], list[Path]]:
    """Render a built deck: a PDF (when `pdf_target` is given) and one PNG per slide (when
    `png_dir` is)."""
    from deckgen.render.export import to_pdf, to_pngs

    if not deck.is_file():
        raise DeckError.single(f"no deck at {deck}; build it first with deckgen build")
    written_pdf = to_pdf(deck, pdf_target) if pdf_target is not None else None
    pngs = to_pngs(deck, png_dir, dpi=dpi) if png_dir is not None else []
    return written_pdf, pngs


def preview(deck_path: Path, sheet: Optional[Path] = None,
            overrides: Optional[Mapping[str, str]] = None, columns: int = 4,
            progress: Optional[Progress] = None,
            options: Options = Options()) -> tuple[Written, Path, int]:
    """Build the deck (through the cache), render it and draw every slide in one picture: the
    deck written, the contact sheet and how many slides it shows."""
    import tempfile

    from deckgen.render.export import contact_sheet, to_pngs

    if sheet is not None and sheet.suffix.lower() != ".png":
        raise DeckError.single(f"cannot write the contact sheet to {sheet}: its name must end "
                               "in .png; change -o")
    written = build(deck_path, None, overrides, progress, options)
    target = sheet or written.output.with_name(f"{written.output.stem}-preview.png")
    with tempfile.TemporaryDirectory(prefix="deckgen-preview-") as tmp:
        pages = to_pngs(written.output, Path(tmp), dpi=60)
        contact_sheet(pages, target, columns=columns)
    return written, target, len(pages)


# --- the cache ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleaned:
    """What `clean` did: the cache's folder, whether there was one to remove (and its size),
    why it was left as it is (when it was), how many temporary files were removed, and an old
    `.deckgen-cache` beside the outline (no longer read; left for the user to delete)."""

    cache: Path
    removed: bool
    size: int
    refused: str
    stale: int
    legacy: Optional[Path]


def clean(deck: Path) -> Cleaned:
    """Remove deckgen's cache, which every outline shares (the charts drawn, the record files
    parsed, the memo of each deck built: `user_cache_dir()`), and the temporary files killed
    builds left where the outline's decks are written. Only the cache's own parts are removed,
    never through a link; the folder itself only when nothing else is left in it."""
    from deckgen.atomic import remove_stale
    from deckgen.cache import LEGACY_DIR, remove

    stale = sum(len(remove_stale(folder)) for folder in _output_folders(deck))
    legacy = deck.parent / LEGACY_DIR
    old = legacy if os.path.lexists(legacy) else None  # never followed, never removed
    try:
        root = user_cache_dir()
    except RuntimeError:
        raise DeckError.single("cannot tell where deckgen's cache is (no home folder); set "
                               "DECKGEN_CACHE_DIR") from None
    removed, size, refused = remove(root)
    return Cleaned(root, removed, size, refused, stale, old)


def _output_folders(deck: Path) -> list[Path]:
    """Where builds of the outline write: its folder, output/, and the folder its `output:`
    names, filled in with the variables' defaults (when that can be told without data)."""
    folders = {deck.parent, deck.parent / "output"}
    try:  # the outline read (bounded) with its paths filled in; nothing else read
        target = declared(deck, {}, False, kinds.file_keys).output()
    except DeckError:
        target = None
    if target is not None:
        folders.add(target.parent)
    return sorted(dict.fromkeys(folder.absolute() for folder in folders))


# --- writing an outline: watch and serve (its schema, kinds and data: guide.py) ----------------


def watch(deck_path: Path, output: Optional[Path] = None,
          overrides: Optional[Mapping[str, str]] = None, options: Options = Options(),
          report: Optional[Callable[[Any], None]] = None, stop: Any = None,
          poll: bool = False) -> None:
    """Build the deck, then again whenever a file it reads is saved, until `stop` is set (a
    threading.Event) or Ctrl-C; each build's result (a Written, or the DeckError) goes to
    `report`. A failed build leaves the last good deck as it was. The files watched are the
    last build's manifest of its inputs (read again only when the build could not list them
    all)."""
    from deckgen.live.watch import watch_files

    seen: list[Manifest] = []

    def build_once() -> Any:
        seen.clear()
        try:
            return _build(deck_path, output, overrides or {}, None, options, seen.append)
        except DeckError as exc:
            return exc

    def inputs() -> list[Path]:
        if seen and seen[-1].complete:
            return seen[-1].watched()
        return watched_inputs(deck_path, overrides, options)

    watch_files(build_once, inputs, report or (lambda _: None), stop, poll)


def watched_inputs(deck_path: Path, overrides: Optional[Mapping[str, str]] = None,
                   options: Options = Options()) -> list[Path]:
    """Every file (or glob pattern) a build of the outline reads, from its manifest: the
    outline and what it extends, its data, brand, template and pictures; just the outline
    when it cannot be read (a broken edit: its next save is what matters)."""
    from deckgen.pipeline import resolve_values

    try:
        inputs = read_manifest(deck_path, overrides or {}, options.allow_outside_paths,
                               kinds.file_keys)
    except DeckError:
        return [deck_path.resolve()]
    if not inputs.complete:  # a path names a looked-up value: the data says which file
        with contextlib.suppress(DeckError):
            resolve_values(inputs)
    return inputs.watched()


def serve(deck_path: Path, port: int = 8000, output: Optional[Path] = None,
          overrides: Optional[Mapping[str, str]] = None, options: Options = Options(),
          report: Optional[Callable[[Any], None]] = None, stop: Any = None,
          ready: Optional[Callable[[str], None]] = None, poll: bool = False) -> None:
    """`watch`, plus a page on http://127.0.0.1:PORT/ showing every slide as a picture,
    refreshed by itself after each save (live/serve.py)."""
    from deckgen.live.serve import Preview

    with Preview(port) as page:
        if ready:
            ready(page.url)

        def show(result: Any) -> None:
            page.update(result)
            if report:
                report(result)

        watch(deck_path, output, overrides, options, show, stop, poll)
