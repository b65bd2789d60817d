"""One deck through the stages, up to its slide plans: load -> resolve -> layout.

    manifest (source/manifest.py) --load_outline--> Outline --plan_deck--> PlannedDeck

`load_outline` takes the build's manifest of its inputs (the outline read once, what it extends
merged in, every file it names listed), declares its data (data/, each source reading the files
the manifest lists), resolves the variables (which may read data; then the manifest is
completed with the paths that name a looked-up value), and validates the deck and every slide
against its kind's schema (kinds/). `plan_deck` loads the brand (layout/branding.py, from the
brand file the manifest read) and lays out every slide with its kind, then reviews the plans
(layout/). `replan` lays out only some slides again, for a redraw. Nothing here writes a file,
draws a chart or decides what to reuse: app.py does, via render/ and cache/.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NoReturn, Optional, Sequence

from pydantic import ValidationError

from deckgen import kinds
from deckgen.cache.memo import Drawn
from deckgen.data.resolve import Resolved, check_declared, resolve_values
from deckgen.errors import (
    DeckError,
    Location,
    Problem,
    SlideLabel,
    did_you_mean,
    excerpt,
    type_name,
)
from deckgen.kinds.base import SlideContext, SlideSpec
from deckgen.layout import furniture, textfit
from deckgen.layout.branding import load_theme, minus
from deckgen.layout.frame import decorate, fill_slot
from deckgen.layout.plan import ChartPicture, NativeChart, Picture, SlidePlan
from deckgen.layout.region import Region, region_for
from deckgen.layout.review import review, review_slide, too_small, unreadable, unshowable
from deckgen.layout.theme import Theme
from deckgen.source.chartkeys import LimitsSpec
from deckgen.source.figures import Declared, FigureError, FigureSource, Ref
from deckgen.source.figurespec import declared as declared_figures
from deckgen.source.manifest import Manifest, read_manifest
from deckgen.source.schema import (
    MAX_SLIDES,
    DeckSpec,
    Scalar,
    check_slide_count,
    display_date,
    long_texts,
    output_path,
    slide_label,
    unknown_source,
)
from deckgen.source.template import Template, layout_for, stand_in
from deckgen.source.validation import pydantic_problems
from deckgen.source.variables import fill_text, fill_tree, slug
from deckgen.source.yamlsrc import PathKey, SourceMap

__all__ = ["Outline", "PlannedDeck", "Resolved", "load_outline", "resolve_values", "validate",
           "load_theme", "plan_deck", "plan_slide", "replan", "shows", "deck_context", "once",
           "in_slide_order"]

if TYPE_CHECKING:
    from deckgen.data.store import DataStore

Progress = Callable[[int, int, str], None]


@dataclass
class Outline:
    """An outline loaded and resolved: the deck's fields and slides validated, the variables'
    values, and the data (each source read once, when first used)."""

    deck: DeckSpec
    slides: list[SlideSpec]
    source: SourceMap
    path: Path
    variables: dict[str, Scalar]
    choices: dict[str, list[str]]  # the values each variable may take, where declared
    store: "DataStore"
    output_template: str = ""  # `output:` as written, before variables are filled
    allow_outside_paths: bool = False  # trust the outline to name files outside its folder
    tree: dict[str, Any] = field(default_factory=dict)  # the outline as read, before filling
    warnings: list[Problem] = field(default_factory=list)  # what filling its texts found
    # with keep_going: the problems of slides alone, and those slides (stand-ins in `slides`)
    problems: list[Problem] = field(default_factory=list)
    broken: frozenset[int] = frozenset()
    inputs: Optional[Manifest] = None  # the build's manifest of its inputs

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def where(self, path: PathKey) -> Location:
        return self.source.at(path)

    def slide_label(self, index: int) -> str:
        return slide_label(index, self.slides[index].kind)

    def output_path(self) -> Path:
        return output_path(self.deck, self.base_dir)


def load_outline(path: Path, overrides: Mapping[str, str] | None = None,
                 allow_outside_paths: bool = False, data_cache: Optional[Path] = None,
                 keep_going: bool = False, inputs: Optional[Manifest] = None,
                 resolved: Optional["Resolved"] = None) -> Outline:
    """Read, fill and validate an outline, in the order the parts need each other: the
    variables that need no data (defaults, --set) and the windows counted from them; the data
    sources, with those filled in; the variables that read data (values_from, lookup); then
    every other field and slide with all of them filled in. Raises one DeckError listing every
    problem. `inputs` is the build's manifest (read here when not given); `resolved` its
    values, when the orchestrator resolved them already. `data_cache` is where parsed record
    files are kept between builds. With `keep_going`, problems of some slides alone are kept
    in the outline (`problems`, `broken`) for `plan_deck` to report with the other slides'
    (it plans those all the same)."""
    from deckgen.data.figures import StoreFigures

    if inputs is None:
        inputs = read_manifest(path, overrides or {}, allow_outside_paths, kinds.file_keys)
    data, source = inputs.tree, inputs.source
    check_slide_count(data, source)
    resolved = resolved or resolve_values(inputs, data_cache)
    sources, store, variables, values = (resolved.sources, resolved.store, resolved.variables,
                                          resolved.values)
    figures = StoreFigures(store, declared_figures(data.get("figures"), source, values),
                           minus=minus(data.get("brand"), values, inputs.base, source,
                                       inputs.brand),
                           suppressed=_suppressed_counts(data.get("slides"), values))
    check_declared(figures, data.get("figures"), source)
    warnings: list[Problem] = []
    of_slides: list[Problem] = []
    try:
        deck, specs = validate(data, source, values, set(sources), figures=figures,
                               warnings=warnings)
    except SlideProblems as exc:
        if not keep_going:
            raise DeckError(exc.problems) from None
        deck, specs, of_slides = exc.deck, exc.specs, exc.problems
    deck = deck.model_copy(update={"data": sources, "variables": variables.values})
    template = str(data["output"]) if isinstance(data.get("output"), str) else ""
    slides = [specs[i] if i in specs else _unplanned(deck.slides[i])
              for i in range(len(deck.slides))]
    return Outline(deck, slides, source, inputs.deck, values, variables.choices, store,
                   template, inputs.allow_outside, tree=data, warnings=warnings,
                   problems=of_slides, broken=frozenset(range(len(deck.slides))) - set(specs),
                   inputs=inputs)


def _unplanned(raw: Any) -> SlideSpec:
    """A stand-in for a slide with problems of its own: never planned, only named."""
    kind = raw.get("kind") if isinstance(raw, dict) else None
    return SlideSpec.model_construct(kind=kind if isinstance(kind, str) else "slide", title="",
                                     notes="", layout="", id=None)


def _suppressed_counts(slides: Any, values: Mapping[str, Any]
                       ) -> dict[tuple[str, str], tuple[int, str]]:
    """(data source, column) -> (threshold, slide) of every table column that hides small
    counts, read from the slides as written (figures in text are filled before the slides
    are checked): a figure in text must not show what a table hides."""
    from deckgen.kinds.table import suppressions

    found: dict[tuple[str, str], tuple[int, str]] = {}
    for index, slide in enumerate(slides if isinstance(slides, list) else []):
        for data, column, below in suppressions(slide):
            cell = (fill_text(data, values)[0], column)
            if cell not in found or below > found[cell][0]:
                found[cell] = (below, f"the table on slide {index + 1}")
    return found


def validate(data: dict[str, Any], source: SourceMap, values: Mapping[str, Scalar],
             data_names: set[str], only: Optional[Iterable[int]] = None,
             figures: Optional[FigureSource] = None, warnings: Optional[list[Problem]] = None
             ) -> tuple[DeckSpec, dict[int, SlideSpec]]:
    """Fill the variables (and with `figures`, the figures from data) into the outline and
    validate it: the deck's own fields, and every slide (or, given `only`, the slides at those
    indices; the others stay unchecked). Direction words a figure contradicts are added to
    `warnings`."""
    problems: list[Problem] = []
    unfilled: set[int] = set()  # the slides with a text that could not be filled
    deck_level = False  # a problem of the deck's own fields
    filled: dict[str, Any] = {}
    slides: list[Any] = []
    for key, value in data.items():
        if key in ("variables", "data", "figures"):
            continue
        if key == "slides" and isinstance(value, list):
            slides = list(value)
            for i in range(len(slides)) if only is None else only:
                slides[i], more = fill_tree(value[i], values, source, (key, i), figures,
                                            warnings)
                more += long_texts(slides[i], source, (key, i), _label(slides[i], i))
                problems += more
                if more:
                    unfilled.add(i)
            filled[key] = slides
            continue
        # in the output path, values are slugged: 'Castle Point' -> castle-point
        shown = {k: slug(str(v)) for k, v in values.items()} if key == "output" else values
        paths = key in ("output", "brand")  # a path holds variables only
        texts: Optional[FigureSource] = _NoFiguresIn(key, figures) \
            if paths and figures is not None else figures
        filled[key], more = fill_tree(value, shown, source, (key,), texts, warnings)
        more += long_texts(filled[key], source, (key,))
        problems += more
        deck_level = deck_level or bool(more)
    try:
        deck = DeckSpec.model_validate(filled)
    except ValidationError as exc:
        problems += pydantic_problems(exc, filled, source, (), model=DeckSpec)
        raise DeckError(problems) from None
    specs: dict[int, SlideSpec] = {}
    for i in range(len(slides)) if only is None else only:
        before = len(problems)
        spec = _slide(slides[i], i, source, problems, data_names)
        if spec is not None and i not in unfilled and len(problems) == before:
            specs[i] = spec
    if problems:
        if deck_level or only is not None:
            raise DeckError(problems)
        raise SlideProblems(problems, deck, specs)
    return deck, specs


def _label(raw: Any, index: int) -> str:
    """How messages name a slide not yet validated: 'slide 3 (table)', or 'slide 3'."""
    kind = raw.get("kind") if isinstance(raw, dict) else None
    return slide_label(index, kind) if isinstance(kind, str) else SlideLabel(index)


class SlideProblems(DeckError):
    """Problems of some slides alone (the deck's own fields are sound): the other slides, in
    `specs`, are valid, and are planned all the same so that their problems are reported at
    once."""

    def __init__(self, problems: list[Problem], deck: DeckSpec,
                 specs: dict[int, SlideSpec]) -> None:
        super().__init__(problems)
        self.deck, self.specs = deck, specs


@dataclass(frozen=True)
class _NoFiguresIn:
    """The figures of a text that is a file path (`output:`, `brand:`): they are known, so a
    message can say what they are, but a path takes variables only."""

    key: str
    figures: FigureSource
    minus: str = "-"

    def declared(self) -> Mapping[str, Declared]:
        return self.figures.declared()

    def value(self, ref: Ref) -> Any:
        raise FigureError(f"'{self.key}' is a file path, which takes variables only, not "
                          "figures from the data")

    def caution(self, ref: Ref, value: Any) -> Optional[str]:
        return None

    def signal(self, ref: Ref, limits: LimitsSpec) -> int:
        return int(self.value(ref))  # raises: a path takes no figures


def _slide(raw: Any, index: int, source: SourceMap, problems: list[Problem],
           data_names: set[str]) -> SlideSpec | None:
    """A slide validated against its kind's schema, or None (its problems appended)."""
    path: PathKey = ("slides", index)
    where = SlideLabel(index)
    if not isinstance(raw, dict):
        problems.append(Problem(
            f"a slide must be a mapping with 'kind:' and 'title:', not a {type_name(raw)}",
            source.at(path), where))
        return None
    kind = raw.get("kind")
    if kind is None:
        problems.append(Problem(
            f"missing 'kind'; one of: {', '.join(kinds.names())}", source.at(path), where))
        return None
    module = kinds.get(str(kind))
    if module is None:
        problems.append(Problem(
            f"unknown kind '{kind}'{did_you_mean(str(kind), kinds.names())} "
            f"(kinds: {', '.join(kinds.names())})", source.at(path + ("kind",)), where))
        return None
    label = slide_label(index, str(kind))
    try:
        spec: SlideSpec = module.Spec.model_validate(raw)
    except ValidationError as exc:
        problems += pydantic_problems(exc, raw, source, path, label, model=module.Spec)
        return None
    data_name = getattr(spec, "data", None)
    if isinstance(data_name, str) and data_name not in data_names:
        problems.append(Problem(unknown_source(data_name, data_names),
                                source.at(path + ("data",)), label))
    return spec


@dataclass
class PlannedDeck:
    """A deck laid out: its slide plans, where it would be written, and its warnings."""

    outline: Outline
    theme: Theme
    plans: list[SlidePlan]
    output: Path
    warnings: list[Problem] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)  # for each plan, its slide in the outline


def plan_deck(outline: Outline, progress: Optional[Progress] = None) -> PlannedDeck:
    """Lay out every slide, collecting the problems of all slides before failing."""
    try:
        theme = load_theme(outline.deck, outline.base_dir, outline.source,
                           outline.allow_outside_paths,
                           outline.inputs.brand if outline.inputs else None)
        layouts, chosen = _layouts(outline, theme)
        regions = _regions(outline, theme, layouts)
    except DeckError as exc:  # the brand's or the template's, with the slides' own
        raise DeckError(outline.problems + exc.problems) from None
    with textfit.measuring(theme.font):  # a template's theme font, where it is installed
        return _plan_slides(outline, theme, layouts, chosen, regions, progress)


def _plan_slides(outline: Outline, theme: Theme, layouts: list[str], chosen: list[Problem],
                 regions: list[Optional[Region]], progress: Optional[Progress]
                 ) -> PlannedDeck:
    """plan_deck's slides laid out and reviewed, on the theme and the layouts chosen."""
    base = deck_context(outline.deck, theme, outline.store, outline.base_dir, outline.source)
    plans: list[SlidePlan] = []
    contexts: list[tuple[str, Location]] = []  # for each plan, the outline slide it came from
    origins: list[int] = []
    problems = list(outline.problems)
    warnings: list[Problem] = []
    total = len(outline.slides)
    for i, spec in enumerate(outline.slides):
        if progress:
            progress(i + 1, total, spec.title or spec.kind)
        if i in outline.broken:  # its own problems are in outline.problems
            continue
        try:
            made, found = plan_slide(spec, i, base, len(plans) + 1, regions[i])
            for plan in made:
                plan.layout = layouts[i]
        except DeckError as exc:
            # a broken data source fails every slide that uses it: report it once
            problems += [p for p in exc.problems if p not in problems]
            continue
        plans += made
        if len(plans) > MAX_SLIDES:  # continued tables: stop before laying out the rest
            problems.append(Problem(
                f"the deck reaches {len(plans):,} slides here (a table continues onto more "
                f"slides when its rows do not fit); a deck has at most {MAX_SLIDES:,}: split "
                "the outline into several, or show fewer rows", outline.where(("slides", i)),
                outline.slide_label(i)))
            break
        warnings += found
        origins += [i] * len(made)
        contexts += [(outline.slide_label(i), outline.where(("slides", i)))] * len(made)
    if problems:
        raise DeckError(in_slide_order(problems))
    problems = unshowable(plans, contexts) + too_small(plans, contexts) \
        + unreadable(plans, theme, contexts)
    if problems:
        raise DeckError(problems)
    reviewed = review(plans, theme, contexts)
    dropped = list(theme.template.warnings) if theme.template else []  # its unsafe content
    return PlannedDeck(outline, theme, plans, outline.output_path(),
                       once(dropped + chosen + outline.store.warnings + outline.warnings
                            + warnings + reviewed),
                       origins)


def _layouts(outline: Outline, theme: Theme) -> tuple[list[str], list[Problem]]:
    """With a template, the layout each slide is built on (source/template.py `layout_for`),
    and what to say of the choice. A layout the outline names must be the template's; a
    default it lacks by name (a renamed Title Only) is stood in for by the layout with the
    same placeholders, with one warning. Without a template, '' (deckgen's own master)."""
    template = theme.template
    chosen = outline.deck.layouts
    unknown = [kind for kind in chosen if kinds.get(kind) is None]
    if unknown:
        raise DeckError([Problem(f"layouts: '{excerpt(kind)}' is not a slide kind"
                                 f"{did_you_mean(kind, kinds.names())} (kinds: "
                                 f"{', '.join(kinds.names())})",
                                 outline.source.at(("layouts", kind), key=True))
                         for kind in unknown])
    if template is None:
        return [""] * len(outline.slides), _without_template(outline)
    problems: dict[str, Problem] = {}
    warnings: dict[str, Problem] = {}
    names: list[str] = []
    for i, spec in enumerate(outline.slides):
        name = layout_for(spec.kind, spec.layout, chosen)
        named = bool(spec.layout) or spec.kind in chosen
        found = template.layout(name) or (None if named else stand_in(template, name))
        names.append(found.name if found else name)
        if found is not None and found.name != name and name not in warnings:
            warnings[name] = _stood_in(outline, template, name, found.name)
        if found is None and name not in problems:
            problems[name] = _no_layout(outline, template, i, name, named)
    if problems:
        raise DeckError(list(problems.values()))
    return names, list(warnings.values())


def _without_template(outline: Outline) -> list[Problem]:
    """What to say of layouts chosen for a deck that has no template to choose them from."""
    chosen = outline.deck.layouts
    own = [i for i, s in enumerate(outline.slides) if s.layout]
    return ([Problem("layouts: chooses a template's layouts, and the deck has no template: "
                     "(say template: FILE.pptx, or remove layouts:)",
                     outline.where(("layouts",)))] if chosen else []) + [
        Problem("layout: chooses a template's layout, and the deck has no template:",
                outline.where(("slides", i, "layout")), outline.slide_label(i))
        for i in own]


def _stood_in(outline: Outline, template: Template, name: str, found: str) -> Problem:
    """The warning for a default layout the template lacks by name, stood in for by `found`."""
    chosen = outline.deck.layouts
    which = sorted({s.kind for s in outline.slides
                    if layout_for(s.kind, s.layout, chosen) == name})
    return Problem(
        f"the template {template.path} has no layout '{name}': slides of kind "
        f"{', '.join(which)} are built on '{found}', which has the same placeholders; to "
        f"choose, say layouts: {{{which[0]}: \"{found}\"}}",
        outline.where(("template",)) if outline.deck.template else None, "template")


def _no_layout(outline: Outline, template: Template, index: int, name: str,
               named: bool) -> Problem:
    """The problem of slide `index`, whose layout `name` the template does not have."""
    spec = outline.slides[index]
    at = (("slides", index, "layout") if spec.layout else ("layouts", spec.kind)
          if spec.kind in outline.deck.layouts else ("slides", index))
    how = "" if named else f"; map the kind to one of them: layouts: {{{spec.kind}: \"...\"}}"
    return Problem(
        f"the template {template.path} has no layout '{excerpt(name)}'; its layouts are: "
        f"{', '.join(template.names) or 'none'}{did_you_mean(name, template.names)}{how}",
        outline.where(at), outline.slide_label(index))


def _regions(outline: Outline, theme: Theme, layouts: Sequence[str]
             ) -> list[Optional[Region]]:
    """On a template, where each slide's layout puts its title and content (layout/region.py);
    without one, None: deckgen's grid."""
    template = theme.template
    if template is None:
        return [None] * len(layouts)
    found: dict[tuple[str, bool], Region] = {}
    out: list[Optional[Region]] = []
    floor = theme.marking_boxes[1].y if theme.brand.marking else None
    for spec, name in zip(outline.slides, layouts):
        key = (name, spec.kind in ("title", "section"))
        if key not in found:
            layout = template.layout(name)
            assert layout is not None  # _layouts checked the name
            found[key] = region_for(layout, theme.slide_w, theme.slide_h, margin=theme.margin,
                                    title_top=theme.title_top, title_h=theme.title_h,
                                    footer_h=theme.footer_h, cover=key[1], floor=floor)
        out.append(found[key])
    return out


def in_slide_order(problems: Sequence[Problem]) -> list[Problem]:
    """The problems by the slide they are about (Problem.slide), those of the deck itself
    first; in the order found within a slide (an outline's own problems are found before its
    slides' data is read, and would otherwise come first whatever their slide)."""
    return sorted(problems, key=lambda problem: -1 if problem.slide is None else problem.slide)


def once(problems: Sequence[Problem]) -> list[Problem]:
    """A build's warnings, each marked a warning and said once: the same message at the same
    place (a slide that continues on "(cont.)" slides, a brand setting that shows on every
    slide) is reported a single time."""
    return list(dict.fromkeys(replace(p, severity="warning") for p in problems))


def deck_context(deck: DeckSpec, theme: Theme, store: "DataStore", base_dir: Path,
                 source: SourceMap) -> SlideContext:
    """What every slide's layout may use: the brand, the data and the deck's own fields."""
    return SlideContext(theme=theme, data=store, base_dir=base_dir, deck_title=deck.title,
                        deck_subtitle=deck.subtitle,
                        deck_date=display_date(deck.date, theme.brand.date_style),
                        organisation=deck.organisation, source=source,
                        chart_engine=deck.chart_engine)


def plan_slide(spec: SlideSpec, index: int, base: SlideContext, number: int,
               region: Optional[Region] = None) -> tuple[list[SlidePlan], list[Problem]]:
    """The outline's slide `index` laid out and branded: one slide, or more where it continues
    ("(cont.)"), and its kind's warnings; `number` is the first one's slide number. On a
    template, `region` is where its layout puts the title and content."""
    module = kinds.get(spec.kind)
    assert module is not None  # validated by the outline loader
    theme = replace(base.theme, region=region) if region is not None else base.theme
    ctx = replace(base, index=index, kind=spec.kind, files=kinds.file_keys(spec.kind),
                  theme=theme)
    planned = module.plan(spec, ctx)
    plans: list[SlidePlan] = []
    for plan in planned.slides:
        plan = fill_slot(plan, region)
        plan.kind = spec.kind
        if spec.kind not in ("title", "section"):
            plan.body = theme.content
        plan.backdrop = region.paints if region is not None else ()
        plan.template_texts = region.texts if region is not None else ()
        dark = plan.background is not None
        plans.append(decorate(plan, theme, number + len(plans), dark=dark,
                              marking=base.theme.template is None,
                              cover=spec.kind in ("title", "section")))
        dated = None if spec.kind in ("title", "section") else \
            furniture.date(theme, region, base.deck_date, theme.colours.muted)
        if dated is not None:  # the template's own date placeholder: the deck's date
            plans[-1].elements.append(dated)
    return plans, list(planned.warnings)


class ReadsData(Exception):
    """A slide laid out again for a redraw reads data: only a full build lays it out."""


class _NoData:
    """Stands in for the DataStore in a redraw: a slide that reads data is built in full."""

    def __getattr__(self, name: str) -> NoReturn:
        raise ReadsData(name)


@dataclass(frozen=True)
class Replanned:
    """Some slides of an outline laid out again: the deck's fields, its theme, and for each
    slide (by its index in the outline) its plans and whether laying it out found anything to
    warn of (a warning, a review finding, text that cannot be shown)."""

    deck: DeckSpec
    theme: Theme
    slides: dict[int, tuple[list[SlidePlan], bool]]


def replan(inputs: Manifest, resolved: Resolved, changed: Sequence[int],
           firsts: Sequence[int], progress: Optional[Progress] = None) -> Replanned:
    """Only the slides at `changed` (indices in the outline) validated and laid out again,
    numbered from `firsts` (the deck slide each outline slide starts at): the others are not
    even validated. Raises DeckError for a problem (the full build reports it with the rest)
    and ReadsData for a slide that reads data."""
    deck, specs = validate(inputs.tree, inputs.source, resolved.values, set(resolved.sources),
                           only=changed)
    theme = load_theme(deck, inputs.base, inputs.source, inputs.allow_outside, inputs.brand)
    base = deck_context(deck, theme, _NoData(), inputs.base, inputs.source)  # type: ignore[arg-type]
    slides: dict[int, tuple[list[SlidePlan], bool]] = {}
    for n, i in enumerate(changed, start=1):
        if progress:
            progress(n, len(changed), specs[i].title or specs[i].kind)
        with textfit.measuring(theme.font):
            plans, warnings = plan_slide(specs[i], i, base, firsts[i])
            warned = bool(warnings) or any(review_slide(p, theme) for p in plans) \
                or bool(unshowable(plans, [("", None)] * len(plans)))
        slides[i] = (plans, warned)
    return Replanned(deck, theme, slides)


def shows(plan: SlidePlan) -> Optional[Drawn]:
    """What a slide shows that a redrawn slide must match (its title, the digests of its
    pictures, whether it has notes: cache/memo.py), or None for a slide with a chart, which
    only a full build draws."""
    pictures = []
    for element in plan.elements:
        if isinstance(element, (ChartPicture, NativeChart)):
            return None
        if isinstance(element, Picture):
            pictures.append(hashlib.sha256(element.image).hexdigest())
    return Drawn(plan.title.text, pictures, bool(plan.notes))
