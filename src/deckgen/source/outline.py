"""Load stage: deck.yaml -> a validated Outline, every problem reported with file:line:column.

Like MkDocs' config validation, it checks the whole outline before anything is built and collects
every problem, so the user fixes them all in one pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deckgen import kinds
from deckgen.errors import DeckError, Location, Problem, did_you_mean, shown_path
from deckgen.kinds.base import SlideSpec
from deckgen.layout.theme import Brand
from deckgen.source.variables import fill_tree, resolve_variables, slug

if TYPE_CHECKING:
    from deckgen.data.store import DataStore
from deckgen.source.validation import pydantic_problems, type_name
from deckgen.source.yamlsrc import PathKey, SourceMap

Scalar = Union[str, int, float, bool]


Expression = Union[str, int, float, bool]  # see expr.py; a number or true/false is a constant


class DataSourceSpec(BaseModel):
    """A named CSV file, with columns computed from the ones it has."""

    model_config = ConfigDict(extra="forbid")

    file: str
    derive: dict[str, Expression] = Field(default_factory=dict)
    description: str = ""
    # The first-column value of a row that holds published totals (e.g. TOTAL): it is kept out of
    # the rows, and a table's totals row shows it (with a warning if the rows add up otherwise).
    total_row: Optional[str] = None
    # Columns the data states that should follow from others, e.g. a published % change:
    # {pct: "(y2016 - y2015) / y2015 * 100"}. Rows where they do not (beyond the rounding of
    # the stated figure) are warned about.
    verify: dict[str, Expression] = Field(default_factory=dict)
    # The separator between columns, when the header does not make it clear; and the decimal
    # mark of a file whose numbers could be read two ways (1,234). See csvread.py.
    sep: Optional[Literal[",", ";", "tab", "\t", "|"]] = None
    decimal: Optional[Literal[".", ","]] = None


class DeckSpec(BaseModel):
    """The top level of deck.yaml."""

    model_config = ConfigDict(extra="forbid")

    title: str
    subtitle: str = ""
    date: Union[dt.date, str, None] = None
    author: str = ""
    organisation: str = ""
    output: str = ""
    brand: Union[str, Brand, None] = None
    footer: Optional[str] = None  # overrides the brand's footer; may use variables
    variables: dict[str, Any] = Field(default_factory=dict)  # see variables.VariableSpec
    data: dict[str, DataSourceSpec] = Field(default_factory=dict)
    slides: list[Any] = Field(min_length=1)


@dataclass
class Outline:
    """A validated outline: what the rest of deckgen works from."""

    deck: DeckSpec
    slides: list[SlideSpec]
    source: SourceMap
    path: Path
    variables: dict[str, Scalar]
    choices: dict[str, list[str]]  # the values each variable may take, where declared
    store: "DataStore"  # the deck's data, each source read once
    output_template: str = ""  # `output:` as written, before variables are filled
    allow_outside_paths: bool = False  # trust the outline to name files outside its folder
    tree: dict[str, Any] = field(default_factory=dict)  # the outline as read, before filling

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def where(self, path: PathKey) -> Location:
        return self.source.at(path)

    def slide_context(self, index: int) -> str:
        return slide_context(index, self.slides[index].kind)

    def output_path(self) -> Path:
        return output_path(self.deck, self.base_dir)


def output_path(deck: DeckSpec, base_dir: Path) -> Path:
    """Where the deck is written: the outline's `output`, else output/<title>.pptx."""
    if deck.output:
        return base_dir / deck.output
    return base_dir / "output" / f"{slug(deck.title)}.pptx"


def slide_context(index: int, kind: str) -> str:
    """How messages name a slide of the outline: 'slide 3 (table)'."""
    return f"slide {index + 1} ({kind})"


def display_date(value: Union[dt.date, str, None]) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        day = value.day
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix} {value:%B %Y}"
    return value


def load_outline(path: Path, overrides: Mapping[str, str] | None = None,
                 allow_outside_paths: bool = False) -> Outline:
    """Read, fill and validate an outline; raise one DeckError listing every problem."""
    from deckgen.source.inherit import load_tree

    data, source = load_tree(path, shown_path(path), allow_outside_paths)
    outline = outline_from_data(data, source, path, overrides or {})
    outline.allow_outside_paths = allow_outside_paths
    return outline


def outline_from_data(data: dict[str, Any], source: SourceMap, path: Path,
                      overrides: Mapping[str, str]) -> Outline:
    """Validate plain outline data: data sources first (variables may read them), then
    variables, then everything else with the variables filled in."""
    from deckgen.data.store import DataStore

    problems: list[Problem] = []
    sources = _data_sources(data.get("data"), source, problems)
    if problems:
        raise DeckError(problems)
    store = DataStore(sources, path.parent, source)
    variables = resolve_variables(data.get("variables"), overrides, source,
                                  _column_reader(store, source), _row_reader(store, source))
    deck, specs = validate(data, source, variables.values, set(sources))
    deck = deck.model_copy(update={"data": sources, "variables": variables.values})
    template = str(data["output"]) if isinstance(data.get("output"), str) else ""
    return Outline(deck, [specs[i] for i in range(len(deck.slides))], source, path,
                   variables.values, variables.choices, store, template, tree=data)


def validate(data: dict[str, Any], source: SourceMap, values: Mapping[str, Scalar],
             data_names: set[str], only: Optional[Iterable[int]] = None
             ) -> tuple[DeckSpec, dict[int, SlideSpec]]:
    """Fill the variables into the outline and validate it: the deck's own fields, and every
    slide (or, given `only`, the slides at those indices; the others stay unchecked)."""
    problems: list[Problem] = []
    filled: dict[str, Any] = {}
    slides: list[Any] = []
    for key, value in data.items():
        if key in ("variables", "data"):
            continue
        if key == "slides" and isinstance(value, list):
            slides = list(value)
            for i in range(len(slides)) if only is None else only:
                slides[i], more = fill_tree(value[i], values, source, (key, i))
                problems += more
            filled[key] = slides
            continue
        # in the output path, values are slugged: 'Castle Point' -> castle-point
        shown = {k: slug(str(v)) for k, v in values.items()} if key == "output" else values
        filled[key], more = fill_tree(value, shown, source, (key,))
        problems += more
    try:
        deck = DeckSpec.model_validate(filled)
    except ValidationError as exc:
        problems += pydantic_problems(exc, filled, source, (), model=DeckSpec)
        raise DeckError(problems) from None
    specs: dict[int, SlideSpec] = {}
    for i in range(len(slides)) if only is None else only:
        spec = _slide(slides[i], i, source, problems, data_names)
        if spec is not None:
            specs[i] = spec
    if problems:
        raise DeckError(problems)
    return deck, specs


def _data_sources(raw: Any, source: SourceMap,
                  problems: list[Problem]) -> dict[str, DataSourceSpec]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem("'data' must be a mapping of name: {file: ...}",
                                source.at(("data",))))
        return {}
    out: dict[str, DataSourceSpec] = {}
    for name, spec in raw.items():
        try:
            out[name] = DataSourceSpec.model_validate(spec)
        except ValidationError as exc:
            problems += pydantic_problems(exc, spec, source, ("data", name),
                                          model=DataSourceSpec)
            continue
        problems += _expression_problems(name, out[name], source)
    return out


def _expression_problems(name: str, spec: DataSourceSpec, source: SourceMap) -> list[Problem]:
    """Parse every expression of a data source before anything is read: a character outside
    the language is refused at its place in the outline (see expr.py)."""
    from deckgen.source import expr

    problems: list[Problem] = []
    for key, expressions in (("derive", spec.derive), ("verify", spec.verify)):
        for column, text in expressions.items():
            if not isinstance(text, str):
                continue
            try:
                expr.parse(text)
            except expr.ExprError as exc:
                at = ("data", name, key, column)
                problems.append(Problem(f"{key} '{column}': {exc.message}",
                                        source.at_char(at, exc.pos), f"data '{name}'"))
    return problems


def _column_reader(store: "DataStore", source: SourceMap):  # type: ignore[no-untyped-def]
    """A data column's distinct values, in the order the data has them (for values_from)."""
    def read(name: str, column: str, where: PathKey) -> list[str]:
        df = _frame(store, name, column, source, where)
        return list(dict.fromkeys(str(v) for v in df[column] if v is not None))
    return read


def _row_reader(store: "DataStore", source: SourceMap):  # type: ignore[no-untyped-def]
    """The value of `column` in the one row matching `where` (for lookup variables)."""
    from pandas import isna

    from deckgen.data.store import filter_rows

    def read(name: str, column: str, where: dict[str, Any], at: PathKey) -> Any:
        df = _frame(store, name, column, source, at)
        for key in where:
            _frame(store, name, key, source, at[:-1] + ("where",))
        rows = filter_rows(df, where)
        wanted = ", ".join(f"{k} = '{v}'" for k, v in where.items())
        if rows.empty:
            raise DeckError.single(f"no row of {store.shown(name)} has {wanted}; add one",
                                   source.at(at))
        value = rows.iloc[0][column]
        if isna(value):
            raise DeckError.single(f"the row of {store.shown(name)} with {wanted} has no "
                                   f"{column} (the cell is empty); fill it in", source.at(at))
        return value.item() if hasattr(value, "item") else value
    return read


def _frame(store: "DataStore", name: str, column: str, source: SourceMap,
           at: PathKey) -> Any:
    from deckgen.data.store import require_columns

    if name not in store.specs:
        raise DeckError.single(unknown_source(name, store.specs), source.at(at))
    df = store.frame(name)
    problem = require_columns(df, [column], store.shown(name))
    if problem:
        raise DeckError.single(problem, source.at(at))
    return df


def _slide(raw: Any, index: int, source: SourceMap, problems: list[Problem],
           data_names: set[str]) -> SlideSpec | None:
    path: PathKey = ("slides", index)
    where = f"slide {index + 1}"
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
    context = f"{where} ({kind})"
    try:
        spec: SlideSpec = module.Spec.model_validate(raw)
    except ValidationError as exc:
        problems += pydantic_problems(exc, raw, source, path, context, model=module.Spec)
        return None
    data_name = getattr(spec, "data", None)
    if isinstance(data_name, str) and data_name not in data_names:
        problems.append(Problem(unknown_source(data_name, data_names),
                                source.at(path + ("data",)), context))
    return spec


def unknown_source(name: str, known: Iterable[str]) -> str:
    names = sorted(known)
    return (f"unknown data source '{name}'; declare it under 'data:' (known: "
            f"{', '.join(names) or 'none declared'}){did_you_mean(name, names)}")
