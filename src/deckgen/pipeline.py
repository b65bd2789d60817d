"""One deck through the stages, up to its slide plans: load -> resolve -> layout.

    deck.yaml --load_outline--> Outline --plan_deck--> PlannedDeck (slide plans + warnings)

`load_outline` reads the outline and what it extends (source/), declares its data (data/),
resolves the variables (which may read data), and validates the deck and every slide against
its kind's schema (kinds/). `plan_deck` loads the brand and lays out every slide with its kind,
then reviews the plans (layout/). Nothing here writes a file or draws a chart: app.py does, via
render/ and cache/.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from pydantic import ValidationError

from deckgen import kinds
from deckgen.data.images import load_image
from deckgen.errors import (
    DeckError,
    Location,
    Problem,
    SlideLabel,
    did_you_mean,
    excerpt,
    shown_path,
    type_name,
)
from deckgen.kinds.base import SlideContext, SlideSpec
from deckgen.layout.frame import decorate, fill_slot
from deckgen.layout.plan import SlidePlan
from deckgen.layout.region import Region, region_for
from deckgen.layout.review import review, unshowable
from deckgen.layout.theme import Theme
from deckgen.source.figures import Declared, FigureError, FigureSource, Ref
from deckgen.source.figurespec import declared as declared_figures
from deckgen.source.inherit import load_tree
from deckgen.source.paths import (
    DEFAULT_BRAND,
    brand_files,
    inside,
    named_paths,
    outside_message,
)
from deckgen.source.schema import (
    MAX_SLIDES,
    Brand,
    DataSourceSpec,
    DeckSpec,
    Scalar,
    check_slide_count,
    data_sources,
    display_date,
    long_texts,
    output_path,
    slide_label,
    unknown_source,
    windows,
)
from deckgen.source.template import Template, layout_for, read_template, stand_in
from deckgen.source.validation import pydantic_problems
from deckgen.source.variables import (
    Variables,
    change_level,
    fill_text,
    fill_tree,
    plain_values,
    resolve_variables,
    slug,
)
from deckgen.source.yamlsrc import PathKey, SourceMap, load_file

if TYPE_CHECKING:  # the data stage is imported when data is declared, not for a redraw
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

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def where(self, path: PathKey) -> Location:
        return self.source.at(path)

    def slide_label(self, index: int) -> str:
        return slide_label(index, self.slides[index].kind)

    def output_path(self) -> Path:
        return output_path(self.deck, self.base_dir)


def read_tree(path: Path, allow_outside_paths: bool = False) -> tuple[dict[str, Any], SourceMap]:
    """The outline with what it extends merged in, paths checked (the load stage alone)."""
    return load_tree(path, shown_path(path), kinds.file_keys, allow_outside_paths)


def load_outline(path: Path, overrides: Mapping[str, str] | None = None,
                 allow_outside_paths: bool = False, data_cache: Optional[Path] = None,
                 keep_going: bool = False) -> Outline:
    """Read, fill and validate an outline, in the order the parts need each other: the
    variables that need no data (defaults, --set) and the windows counted from them; the data
    sources, with those filled in; the variables that read data (values_from, lookup); then
    every other field and slide with all of them filled in. Raises one DeckError listing every
    problem. `data_cache` is where parsed record files are kept between builds. With
    `keep_going`, problems of some slides alone are kept in the outline (`problems`, `broken`)
    for `plan_deck` to report with the other slides' (it plans those all the same)."""
    from deckgen.data.figures import StoreFigures

    data, source = read_tree(path, allow_outside_paths)
    check_slide_count(data, source)
    resolved = resolve_values(data, source, path, overrides or {}, allow_outside_paths,
                              data_cache)
    sources, store, variables, values = (resolved.sources, resolved.store, resolved.variables,
                                          resolved.values)
    figures = StoreFigures(store, declared_figures(data.get("figures"), source, values),
                           minus=_minus(data.get("brand"), values, path.parent, source),
                           suppressed=_suppressed_counts(data.get("slides"), values))
    _check_declared(figures, data.get("figures"), source)
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
    return Outline(deck, slides, source, path, values, variables.choices, store, template,
                   allow_outside_paths, tree=data, warnings=warnings, problems=of_slides,
                   broken=frozenset(range(len(deck.slides))) - set(specs))


@dataclass(frozen=True)
class Resolved:
    """An outline's variables resolved: the values its texts are filled with (the variables
    and the windows' parts), the variables with the values each may take, and the data
    sources declared (read when first used)."""

    values: dict[str, Any]
    variables: Variables
    sources: dict[str, DataSourceSpec]
    store: "DataStore"


def resolve_values(data: dict[str, Any], source: SourceMap, path: Path,
                   overrides: Mapping[str, str], allow_outside_paths: bool = False,
                   data_cache: Optional[Path] = None) -> Resolved:
    """The variables' values, as every build fills them in: defaults and --set, the windows
    counted from them, the data sources declared with those filled in, then the variables that
    read data (values_from, lookup). A redraw (cache/redraw.py) calls this too: the values of
    a deck are never taken from a memo."""
    from deckgen.data.store import DataStore, column_values, lookup_row

    plain = plain_values(data.get("variables"), overrides, source)
    months = [name for name, spec in plain[0].items() if spec.type == "month"]
    periods = windows(data.get("windows"), source, plain[1], months)
    known = {**plain[1], **{k: v for w in periods.values() for k, v in w.values().items()}}
    filled, problems = fill_tree(data.get("data"), known, source, ("data",))
    problems += long_texts(filled, source, ("data",))
    if problems:
        raise DeckError(problems)
    if not allow_outside_paths:  # a value must not lead a data file out of the folder
        _check_filled_paths(data, source, known, path.parent, data_only=True)
    sources = data_sources(filled, source, periods)
    store = DataStore(sources, path.parent, source, periods, data_cache,
                      _read_directly(data), allow_outside_paths)
    variables = resolve_variables(data.get("variables"), overrides, source,
                                  column_values(store, source), lookup_row(store, source), plain)
    values = {**variables.values, **{k: v for w in periods.values()
                                     for k, v in w.values().items()}}
    if not allow_outside_paths:
        _check_filled_paths(data, source, values, path.parent, data_only=False)
    return Resolved(values, variables, sources, store)


def _unplanned(raw: Any) -> SlideSpec:
    """A stand-in for a slide with problems of its own: never planned, only named."""
    kind = raw.get("kind") if isinstance(raw, dict) else None
    return SlideSpec.model_construct(kind=kind if isinstance(kind, str) else "slide", title="",
                                     notes="", layout="", id=None)


def _check_declared(figures: FigureSource, raw: Any, source: SourceMap) -> None:
    """Every figure declared under `figures:` is read once, so that a bad source, column or
    row is reported where the figure is declared, not at each text that uses it."""
    problems: list[Problem] = []
    for name, figure in figures.declared().items():
        spec = raw.get(name) if isinstance(raw, dict) else None
        cells: list[tuple[tuple[str, ...], Ref]] = [
            (("value",) if isinstance(spec, dict) else (), figure.ref)]
        if figure.change is not None:
            cells += [(("change", "current"), figure.change.current),
                      (("change", "previous"), figure.change.previous)]
        for at, ref in cells:
            try:
                figures.value(ref)
            except FigureError as exc:
                problems.append(Problem(f"figure '{name}': {exc.message}",
                                        source.at(("figures", name) + at)))
                break
        else:
            if figure.change is not None:  # its counts are counts, it is their change
                try:
                    change_level(name, figure.change, figures.value(figure.ref), 0, figures)
                except FigureError as exc:
                    problems.append(Problem(exc.message, source.at(("figures", name, "change"))))
    if problems:
        raise DeckError(problems)


def _check_filled_paths(tree: Mapping[str, Any], source: SourceMap, values: Mapping[str, Any],
                        base: Path, data_only: bool) -> None:
    """The path rule again, for paths that name a variable: its value (from --set, or a cell
    of data) must not lead the path out of the outline's folder, or out of the folders of the
    outlines it extends. (The rule was checked on the paths as written when they were read.)"""
    roots = [p.parent.resolve() for p in source.files] or [base.resolve()]
    problems: list[Problem] = []
    for named in named_paths(dict(tree), kinds.file_keys):
        if (named.at[0] == "data") != data_only or not isinstance(named.value, str) \
                or "{" not in named.value:
            continue
        filled = fill_text(named.value, values)[0]
        target = (base / filled).resolve()
        if not any(target == root or root in target.parents for root in roots):
            problems.append(Problem(
                f"'{named.value}' gives {excerpt(filled, 60)}, which is outside the outline's "
                "folder: a variable's value may not lead a path out of it (build with "
                "--allow-outside-paths if you trust this outline)", source.at(named.at),
                named.context))
    if problems:
        raise DeckError(problems)


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


def _read_directly(tree: Mapping[str, Any]) -> set[str]:
    """The data sources slides and variables read themselves (not only through `from:`)."""
    names: set[str] = set()
    slides, variables = tree.get("slides"), tree.get("variables")
    for slide in slides if isinstance(slides, list) else []:
        if isinstance(slide, dict) and isinstance(slide.get("data"), str):
            names.add(slide["data"])
    for spec in variables.values() if isinstance(variables, dict) else []:
        if isinstance(spec, dict):
            for key in ("values_from", "lookup"):
                if isinstance(spec.get(key), str):
                    names.add(spec[key].partition(".")[0])
    return names


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


def load_theme(deck: DeckSpec, base: Path, source: SourceMap,
               allow_outside_paths: bool = False) -> Theme:
    """The brand named by the outline (a file, inline, or assets/brand.yaml by default), with
    where its footer and marking are written (for messages about them)."""
    brand, brand_dir, logo_at, where = _brand(deck.brand, base, source)
    spec = deck.brand
    if deck.footer is not None:
        brand = brand.model_copy(update={"footer": deck.footer})
        where["footer"] = source.at(("footer",))
    logo = None
    if brand.logo:
        # an inline brand's logo is one of the outline's paths, checked with the others
        # (inherit.check_paths); a brand file's logo must stay in the brand file's folder
        if not isinstance(spec, Brand) and not allow_outside_paths \
                and not inside(brand_dir, brand.logo):
            raise DeckError.single(outside_message(brand.logo, "brand file"), logo_at,
                                   "brand logo")
        logo = load_image(brand_dir / brand.logo, logo_at, "brand logo").data
    template = _template(deck, brand, base, brand_dir, source, where, allow_outside_paths)
    if template is None:
        return Theme(brand, logo, where=where)
    return Theme(brand, logo, where=where, template=template, slide_w=template.width,
                 slide_h=template.height)


def _template(deck: DeckSpec, brand: Brand, base: Path, brand_dir: Path, source: SourceMap,
              where: Mapping[str, Location], allow_outside_paths: bool) -> Optional[Template]:
    """The template the deck is built on: the outline's `template:`, else its brand's (a
    path relative to the brand file, which must stay in its folder)."""
    if deck.template:
        return read_template(base / deck.template, deck.template, source.at(("template",)))
    if brand.template:
        at = where.get("template")
        if not isinstance(deck.brand, Brand) and not allow_outside_paths \
                and not inside(brand_dir, brand.template):
            raise DeckError.single(outside_message(brand.template, "brand file"), at,
                                   "brand template")
        return read_template(brand_dir / brand.template, brand.template, at)
    return None


#: The brand settings whose place messages name.
_LOCATED = ("footer", "marking", "logo", "template")


def _brand(spec: Union[str, Brand, None], base: Path, source: SourceMap
           ) -> tuple[Brand, Path, Location, dict[str, Location]]:
    """The brand an outline names (a file, inline, or assets/brand.yaml by default): the
    brand, its folder, where its logo and its footer and marking are written."""
    path = base / spec if isinstance(spec, str) and spec else base / DEFAULT_BRAND
    if isinstance(spec, Brand) or (not spec and not path.exists()):
        where = {key: source.at(("brand", key)) for key in _LOCATED
                 if ("brand", key) in source.values}
        return spec or Brand(), base, source.at(("brand", "logo")), where
    shown = spec or str(DEFAULT_BRAND)
    data, brand_source = load_file(path, shown_as=shown)
    try:
        brand = Brand.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise DeckError(pydantic_problems(exc, data, brand_source, (), model=Brand)) from None
    where = {key: brand_source.at((key,)) for key in _LOCATED
             if (key,) in brand_source.values}
    return brand, path.parent, brand_source.at(("logo",)), where


def _minus(raw: Any, values: Mapping[str, Any], base: Path, source: SourceMap) -> str:
    """The minus sign the outline's brand asks for, for figures in its texts, read before the
    outline is validated; a brand with problems gives the hyphen here, and its problems are
    reported when the deck is laid out."""
    from pydantic import TypeAdapter

    try:
        if isinstance(raw, str):
            raw = fill_text(raw, values)[0]
        spec = TypeAdapter(Union[str, Brand, None]).validate_python(raw)
        return _brand(spec, base, source)[0].minus
    except (ValidationError, DeckError, OSError):
        return "-"


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
                           outline.allow_outside_paths)
        layouts, chosen = _layouts(outline, theme)
        regions = _regions(outline, theme, layouts)
    except DeckError as exc:  # the brand's or the template's, with the slides' own
        raise DeckError(outline.problems + exc.problems) from None
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
    problems = unshowable(plans, contexts)
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
        own = [i for i, s in enumerate(outline.slides) if s.layout]
        unused = ([Problem("layouts: chooses a template's layouts, and the deck has no "
                           "template: (say template: FILE.pptx, or remove layouts:)",
                           outline.where(("layouts",)))] if chosen else []) + [
            Problem("layout: chooses a template's layout, and the deck has no template:",
                    outline.where(("slides", i, "layout")), outline.slide_label(i))
            for i in own]
        return [""] * len(outline.slides), unused
    problems: dict[str, Problem] = {}
    warnings: dict[str, Problem] = {}
    names: list[str] = []
    for i, spec in enumerate(outline.slides):
        name = layout_for(spec.kind, spec.layout, chosen)
        named = bool(spec.layout) or spec.kind in chosen
        found = template.layout(name) or (None if named else stand_in(template, name))
        names.append(found.name if found else name)
        if found is not None and found.name != name and name not in warnings:
            which = sorted({s.kind for s in outline.slides
                            if layout_for(s.kind, s.layout, chosen) == name})
            warnings[name] = Problem(
                f"the template {template.path} has no layout '{name}': slides of kind "
                f"{', '.join(which)} are built on '{found.name}', which has the same "
                f"placeholders; to choose, say layouts: {{{which[0]}: \"{found.name}\"}}",
                outline.where(("template",)) if outline.deck.template else None, "template")
        if found is None and name not in problems:
            at = (("slides", i, "layout") if spec.layout else ("layouts", spec.kind)
                  if spec.kind in chosen else ("slides", i))
            how = "" if named else (f"; map the kind to one of them: layouts: "
                                    f"{{{spec.kind}: \"...\"}}")
            problems[name] = Problem(
                f"the template {template.path} has no layout '{excerpt(name)}'; its layouts "
                f"are: {', '.join(template.names) or 'none'}"
                f"{did_you_mean(name, template.names)}{how}",
                outline.where(at), outline.slide_label(i))
    if problems:
        raise DeckError(list(problems.values()))
    return names, list(warnings.values())


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
        dark = plan.background is not None
        plans.append(decorate(plan, theme, number + len(plans), dark=dark,
                              marking=base.theme.template is None,
                              cover=spec.kind in ("title", "section")))
    return plans, list(planned.warnings)


def input_files(outline: Outline) -> list[tuple[Path, str]]:
    """Every file a build of the outline reads, with what it is (for messages): the outline
    and what it extends, then the paths it names (data, brand, and each kind's declared file
    keys; a brand file, and the logo and template it names), with the variables filled in."""
    files = [(path, "the outline" if i == 0 else "an outline it extends")
             for i, path in enumerate(outline.source.files)]
    for named in named_paths(outline.tree, kinds.file_keys):
        if named.read and isinstance(named.value, str) and named.value \
                and named.at != ("brand",):
            value = fill_text(named.value, outline.variables)[0]
            if named.at[0] == "data":
                what = f"the data file of '{named.at[1]}'"
            elif named.at[0] == "brand":
                what = "the brand file" if named.at == ("brand",) else "the brand's logo"
            elif named.at[0] == "template":
                what = "the template"
            else:
                what = f"a picture of {named.context or 'a slide'}"
            files.append((outline.base_dir / value, what))
    brand = outline.tree.get("brand")
    if brand is None or isinstance(brand, str):
        files += brand_files(outline.base_dir,
                             fill_text(brand, outline.variables)[0] if brand else None)
    return files
