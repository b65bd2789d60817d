"""The outline's schema: what deck.yaml may say at the top level, in `data:` and in a brand.

Each key is declared once, as a typed pydantic field with its default; validation problems are
mapped back to the user's lines by validation.py. The slide kinds' own keys are declared by each
kind (kinds/), and validated with them (pipeline.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from deckgen.errors import DeckError, Problem, SlideLabel, did_you_mean
from deckgen.source import dates
from deckgen.source.dates import DateStyle
from deckgen.source.paths import control_character
from deckgen.source.periods import Window
from deckgen.source.validation import pydantic_problems
from deckgen.source.variables import slug
from deckgen.source.yamlsrc import SourceMap

Scalar = Union[str, int, float, bool]
Expression = Union[str, int, float, bool]  # see expr.py; a number or true/false is a constant


_HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")

#: Slides a deck may have, those a table continues onto included. A briefing is tens of slides;
#: the bound keeps one outline's build to about a minute and its memory to a few hundred MB.
MAX_SLIDES = 1000


def check_slide_count(tree: Mapping[str, Any], source: SourceMap) -> None:
    """Refuse an outline of more than MAX_SLIDES slides before any of them is read."""
    slides = tree.get("slides")
    if isinstance(slides, list) and len(slides) > MAX_SLIDES:
        raise DeckError.single(
            f"the outline has {len(slides):,} slides; a deck has at most {MAX_SLIDES:,}: split "
            "it into several outlines (each can `extends:` a shared one for its data and "
            f"variables); this is slide {MAX_SLIDES + 1:,}", source.at(("slides", MAX_SLIDES)))


#: Characters in one text of the outline (a title, a point, a caption, a source line): slide
#: text is read at a glance, and measuring it to fit its box takes time in its length.
MAX_TEXT = 5_000
#: Characters in a slide's speaker notes (`notes:`), which are read aloud, not fitted.
MAX_NOTES = 20_000


def long_texts(value: Any, source: SourceMap, path: tuple[Any, ...], context: str = ""
               ) -> list[Problem]:
    """A problem for each text in `value` (the outline's tree at `path`, its variables filled
    in) longer than MAX_TEXT, or MAX_NOTES under a `notes:` key."""
    out: list[Problem] = []
    todo: list[tuple[Any, tuple[Any, ...]]] = [(value, path)]
    while todo:
        item, at = todo.pop()
        if isinstance(item, dict):
            todo += [(v, at + (k,)) for k, v in reversed(list(item.items()))]
        elif isinstance(item, list):
            todo += [(v, at + (i,)) for i, v in reversed(list(enumerate(item)))]
        elif isinstance(item, str):
            notes = "notes" in at
            limit = MAX_NOTES if notes else MAX_TEXT
            if len(item) > limit:
                what = ("speaker notes are" if notes else
                        "a text of the outline (a title, a point, a caption) is")
                out.append(Problem(
                    f"this text is {len(item):,} characters long; "
                    f"{what} at most {limit:,}: shorten it"
                    + ("" if notes else ", or put the detail in the slide's notes"),
                    source.at(at), context))
    return out


def _colour(value: str) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise ValueError(f"'{value}' is not a colour; write it as six hex digits like '#1B365D'")
    return value.lstrip("#").upper()


class Colours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    primary: str = Field(default="1B365D", description="titles, bands, big numbers")
    accent: str = Field(default="E0A526", description="rules, highlights")
    text: str = "222222"
    muted: str = Field(default="5F6B7A", description="secondary text, unhighlighted chart bars")
    light: str = Field(default="EEF2F7", description="card and stripe backgrounds")
    highlight: str = Field(default="FCEFC7", description="highlighted table row")
    good: str = Field(default="1E7B34", description="a change for the better")
    bad: str = Field(default="B3261E", description="a change for the worse")

    @field_validator("*", mode="before")
    @classmethod
    def _check(cls, value: Any) -> str:
        return _colour(value)


class Fonts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str = "Arial"
    body: str = "Arial"


class Brand(BaseModel):
    """What `assets/brand.yaml` (or `brand:` inline in the outline) may say."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    colours: Colours = Colours()
    fonts: Fonts = Fonts()
    logo: str | None = Field(default=None, description="path relative to the brand file")
    footer: str = ""
    marking: str = Field(
        default="",
        description="protective marking, e.g. OFFICIAL, shown top and bottom of every slide")
    slide_numbers: bool = True
    true_minus: bool = Field(
        default=False,
        description="negative numbers with the true minus sign (−9.6), as typesetters write it, "
                    "rather than a hyphen (-9.6)")
    date_style: DateStyle = Field(
        default="ordinal",
        description="how dates are shown on slides: ordinal (7th July 2016), long (7 July 2016), "
                    "short (07/07/2016) or iso (2016-07-07)")
    template: Optional[str] = Field(
        default=None,
        description="the organisation's PowerPoint template (.pptx or .potx), relative to the "
                    "brand file: the deck is built on its masters and layouts "
                    "(source/template.py)")

    @property
    def minus(self) -> str:
        return "\u2212" if self.true_minus else "-"


#: The formats `format:` may name: csv (a table read strictly, data/csvread.py), then each
#: record format data/formats.py registers (`register`), which is recognised by its header.
FORMATS: list[str] = ["csv"]


def _format_names(schema: dict[str, Any]) -> None:
    """The JSON Schema of `format:` lists the formats registered when it is made."""
    schema["anyOf"][0]["enum"] = list(FORMATS)


#: Data that is not real: made up to stand in for lost figures (True, "illustrative"), or
#: generated by a script in the shape of a real extract ("synthetic").
Illustrative = Union[bool, Literal["illustrative", "synthetic"]]


class Latest(BaseModel):
    """`as_of: {latest: Month}`: the data runs to the end of the latest month (or date) in a
    column of the source's rows."""

    model_config = ConfigDict(extra="forbid")

    latest: str


class DataSourceSpec(BaseModel):
    """A named data source: a CSV or Excel file, many files by a pattern, or another source's
    result; then the steps that shape it (source/steps.py)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    file: Optional[str] = Field(
        default=None,
        description="a CSV (or .csv.gz) or Excel (.xlsx) file")
    files: Optional[str] = Field(
        default=None,
        description="a pattern: raw/*/*-street.csv, read as one table")
    from_: Optional[str] = Field(default=None, alias="from", description="another source's result")
    format: Optional[str] = Field(
        default=None, json_schema_extra=_format_names,
        description="default: recognised from the header")
    sheet: Optional[Union[str, int]] = Field(
        default=None,
        description="an Excel sheet, by name or number (1 = first)")
    header_row: Optional[int] = Field(default=None, ge=1, description="Excel: the header's row")
    range: Optional[str] = Field(default=None, description="Excel: the cells to read, e.g. B3:F20")
    columns: Optional[list[str]] = Field(
        default=None,
        description="read only these columns (large files)")
    steps: list[Any] = Field(default_factory=list, description="see source/steps.py")
    derive: dict[str, Expression] = Field(default_factory=dict)
    description: str = ""
    total_row: Optional[str] = Field(
        default=None,
        description="The first-column value of a row that holds published totals (e.g. TOTAL): it "
                    "is kept out of the rows, and a table's totals row shows it (with a warning "
                    "if the rows add up otherwise).")
    verify: dict[str, Expression] = Field(
        default_factory=dict,
        description="Columns the data states that should follow from others, e.g. a published % "
                    "change: {pct: \"(y2016 - y2015) / y2015 * 100\"}. Rows where they do not "
                    "(beyond the rounding of the stated figure) are warned about.")
    sep: Optional[Literal[",", ";", "tab", "\t", "|"]] = Field(
        default=None,
        description="The separator between columns, when the header does not make it clear; and "
                    "the decimal mark of a file whose numbers could be read two ways (1,234). See "
                    "data/csvread.py.")
    decimal: Optional[Literal[".", ","]] = None
    source: str = Field(
        default="",
        description="Provenance (data/provenance.py): who published the data, what it is; the "
                    "date it runs to (a date, a month as its last day, or {latest: column}); and "
                    "whether it is real. Every table and chart of the source gets a source line "
                    "from these, unless it sets its own.")
    as_of: Union[dt.date, str, Latest, None] = None
    illustrative: Illustrative = False
    labels: dict[str, Union[str, dict[str, str]]] = Field(
        default_factory=dict,
        description="Display names (data/labels.py): a column's values as slides show them, by a "
                    "mapping ({Castlepoint: Castle Point}) or from another source "
                    "(districts.name: the `name` of the districts row whose own `district` is the "
                    "value). Filters and highlights still name the values as the data has them.")

    _as_of = field_validator("as_of")(dates.checked)

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_shape(cls, value: Any) -> Any:
        if isinstance(value, dict) and set(value) != {"latest"}:
            unknown = sorted(str(k) for k in set(value) - {"latest"})
            hint = did_you_mean(unknown[0], ["latest"]) if unknown else ""
            raise ValueError("a date, a month, or {latest: column}"
                             + (f"; unknown key '{unknown[0]}'{hint}" if unknown else ""))
        return value

    @field_validator("format", mode="before")
    @classmethod
    def _format(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value in FORMATS):
            return value
        names = [repr(name) for name in FORMATS]  # as pydantic lists a Literal's values
        expected = " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
        raise PydanticCustomError("literal_error", "Input should be {expected}",
                                  {"expected": expected})

    @field_validator("illustrative", mode="before")
    @classmethod
    def _illustrative(cls, value: Any) -> Any:
        if value not in (True, False, "illustrative", "synthetic"):
            raise ValueError("true (made-up figures), synthetic (a generated extract) or "
                             "false")
        return value

    @model_validator(mode="after")
    def _one_origin(self) -> "DataSourceSpec":
        origins = [key for key in ("file", "files", "from") if
                   getattr(self, "from_" if key == "from" else key) is not None]
        if len(origins) != 1:
            raise ValueError("give the data source one of 'file:', 'files:' (a pattern) or "
                             "'from:' (another data source)" if not origins else
                             f"give only one of {', '.join(repr(o) for o in origins)}")
        excel = (self.file or self.files or "").lower().endswith((".xlsx", ".xlsm"))
        for key in ("sheet", "header_row", "range"):
            if getattr(self, key) is not None and not excel:
                raise ValueError(f"'{key}' is for Excel files (.xlsx)")
        if self.from_ is not None:
            for key in ("format", "sep", "decimal", "columns"):
                if getattr(self, key) is not None:
                    raise ValueError(f"'{key}' is for reading a file; a source made 'from:' "
                                     "another has its columns already")
        return self

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, Union[str, dict[str, str]]]
                ) -> dict[str, Union[str, dict[str, str]]]:
        for column, how in value.items():
            if isinstance(how, str) and "." not in how:
                raise ValueError(f"labels of '{column}': '{how}' must name a data source and "
                                 "its column of names: source.column, e.g. districts.name")
        return value

    @property
    def origin(self) -> str:
        """How messages name where the source comes from: its file, pattern or source."""
        return self.file or self.files or f"data '{self.from_}'"

    @property
    def made_from(self) -> list[str]:
        """The other sources this one reads: its `from:`, then those its steps name (a join's
        source), each step saying which (source/steps.py)."""
        return ([self.from_] if self.from_ is not None else []) + [
            other for step in self.steps for _, other in step.sources()]


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
    footer: Optional[str] = Field(
        default=None,
        description="overrides the brand's footer; may use variables")
    template: Optional[str] = Field(
        default=None,
        description="a .pptx or .potx to build on; overrides the brand's")
    layouts: dict[str, str] = Field(
        default_factory=dict,
        description="the template's layout for each kind, by name: {bullets: \"Title and "
                    "Content\"}")
    chart_engine: Literal["matplotlib", "native"] = Field(
        default="matplotlib",
        description="how charts are drawn unless a chart says: matplotlib (a picture, exactly as "
                    "designed) or native (a PowerPoint chart whose figures PowerPoint's \"Edit "
                    "Data\" opens)")
    variables: dict[str, Any] = Field(
        default_factory=dict,
        description="see variables.VariableSpec")
    windows: dict[str, Any] = Field(default_factory=dict, description="see periods.WindowSpec")
    figures: dict[str, Any] = Field(default_factory=dict, description="see figures.declared")
    data: dict[str, DataSourceSpec] = Field(default_factory=dict)
    slides: list[Any] = Field(min_length=1)

    _date = field_validator("date")(dates.checked)

    @field_validator("output")
    @classmethod
    def _output(cls, value: str) -> str:
        found = control_character(value)
        if found:
            raise ValueError(f"the deck's file name holds a control character ({found}), "
                             "which no file name may hold; remove it from the name")
        return value


def data_sources(raw: Any, source: SourceMap, windows: Iterable[str] = ()
                 ) -> dict[str, DataSourceSpec]:
    """The outline's `data:` validated: each source, its steps, every expression parsed, every
    source and window it names declared. Raises with every problem.

    The steps and formats an outline may name are those the data stage has registered
    (data/steps, data/formats); importing deckgen.data.store registers them all."""
    from deckgen.source.steps import STEPS

    problems: list[Problem] = []
    if raw is None:
        return {}
    if not STEPS or FORMATS == ["csv"]:  # else every step would be unknown: a wrong message
        raise RuntimeError("no step or format is registered yet: import deckgen.data.store "
                           "(or deckgen.data.steps and deckgen.data.formats) first")
    if not isinstance(raw, dict):
        raise DeckError.single("'data' must be a mapping of name: {file: ...}",
                               source.at(("data",)))
    out: dict[str, DataSourceSpec] = {}
    for name, spec in raw.items():
        try:
            parsed = DataSourceSpec.model_validate(spec)
        except ValidationError as exc:
            problems += pydantic_problems(exc, spec, source, ("data", name),
                                          model=DataSourceSpec)
            continue
        steps, more = _steps(name, parsed.steps, source)
        problems += more
        out[name] = parsed.model_copy(update={"steps": steps})
        problems += _expression_problems(name, out[name], source)
    problems += _references(out, source, set(windows), set(raw))
    if problems:
        raise DeckError(problems)
    return out


def _steps(name: str, raw: list[Any], source: SourceMap) -> tuple[list[Any], list[Problem]]:
    """Each step validated against its schema (source/steps.py), problems at their lines."""
    from deckgen.source.steps import STEPS

    context = f"data '{name}'"
    out: list[Any] = []
    problems: list[Problem] = []
    for i, step in enumerate(raw):
        at = ("data", name, "steps", i)
        if not isinstance(step, dict) or len(step) != 1:
            problems.append(Problem(
                f"step {i + 1} must be one 'name: ...' mapping, e.g. '- filter: {{...}}'; the "
                f"steps are: {', '.join(STEPS)}", source.at(at), context))
            continue
        ((kind, _),) = step.items()
        model = STEPS.get(str(kind))
        if model is None:
            problems.append(Problem(f"unknown step '{kind}'{did_you_mean(str(kind), STEPS)}; "
                                    f"the steps are: {', '.join(STEPS)}",
                                    source.at(at), context))
            continue
        try:
            out.append(model.model_validate(step))
        except ValidationError as exc:
            problems += pydantic_problems(exc, step, source, at, f"{context}, step {i + 1} "
                                          f"({kind})", model=model)
    return out, problems


def _expression_problems(name: str, spec: DataSourceSpec, source: SourceMap) -> list[Problem]:
    """Parse every expression of a data source before anything is read: a character outside
    the language is refused at its place in the outline (see expr.py)."""
    from deckgen.source import expr

    found: list[tuple[tuple[Any, ...], str, Any]] = []
    for key, expressions in (("derive", spec.derive), ("verify", spec.verify)):
        found += [((key, column), f"{key} '{column}'", text)
                  for column, text in expressions.items()]
    for i, step in enumerate(spec.steps):
        found += [(("steps", i) + within, f"step {i + 1} ({step.key()}){what}", text)
                  for within, what, text in step.expressions()]
    problems: list[Problem] = []
    for at, what, text in found:
        if not isinstance(text, str):
            continue
        try:
            expr.parse(text)
        except expr.ExprError as exc:
            problems.append(Problem(f"{what}: {exc.message}",
                                    source.at_char(("data", name) + at, exc.pos),
                                    f"data '{name}'"))
    return problems


def _references(specs: Mapping[str, DataSourceSpec], source: SourceMap,
                windows: set[str], declared: set[str]) -> list[Problem]:
    """Every source a `from:` or a join names is declared (`declared`: even one with problems
    of its own), `from:` makes no loop, and every window a step names is declared under
    `windows:`."""
    problems: list[Problem] = []

    def window_problem(name: str, window: str, at: tuple[Any, ...]) -> None:
        if window not in windows:
            known = ", ".join(sorted(windows)) or "none declared"
            problems.append(Problem(
                f"unknown window '{window}'; declare it under 'windows:' (known: {known})"
                f"{did_you_mean(window, windows)}", source.at(("data", name) + at),
                f"data '{name}'"))

    for name, spec in specs.items():
        for column, how in spec.labels.items():
            if isinstance(how, str) and how.partition(".")[0] not in declared:
                problems.append(Problem(unknown_source(how.partition(".")[0], declared),
                                        source.at(("data", name, "labels", column)),
                                        f"data '{name}'"))
        if spec.from_ is not None and spec.from_ not in declared:
            problems.append(Problem(unknown_source(spec.from_, declared),
                                    source.at(("data", name, "from")), f"data '{name}'"))
        for i, step in enumerate(spec.steps):
            for within, other in step.sources():
                if other not in declared:
                    problems.append(Problem(unknown_source(other, declared),
                                            source.at(("data", name, "steps", i) + within),
                                            f"data '{name}'"))
            for within, window in step.windows():
                window_problem(name, window, ("steps", i) + within)
    for name in specs:  # a loop of from: (a -> b -> a) never ends
        seen, current = [name], specs[name].from_
        while current is not None and current in specs:
            if current in seen:
                problems.append(Problem(f"'from: {specs[name].from_}' makes a loop: "
                                        f"{' -> '.join(seen + [current])}",
                                        source.at(("data", name, "from")), f"data '{name}'"))
                break
            seen.append(current)
            current = specs[current].from_
    return problems


def windows(raw: Any, source: SourceMap, values: Mapping[str, Scalar],
            month_variables: Iterable[str]) -> dict[str, "Window"]:
    """The outline's `windows:` counted back from their month variables; raises with every
    problem."""
    from deckgen.source.periods import WindowSpec, parse_month, window

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DeckError.single("'windows' must be a mapping of name: {months: N}",
                               source.at(("windows",)))
    problems: list[Problem] = []
    out: dict[str, Window] = {}
    months = set(month_variables)
    for name, spec in raw.items():
        at = ("windows", name)
        if not isinstance(name, str) or not name.isidentifier():
            problems.append(Problem(f"window name '{name}' must be letters, digits and _ (it "
                                    "is used as {name} in text)", source.at(at, key=True)))
            continue
        try:
            parsed = WindowSpec.model_validate(spec)
        except ValidationError as exc:
            problems += pydantic_problems(exc, spec, source, at, model=WindowSpec)
            continue
        if parsed.of not in months:
            hint = (f"declare a month variable '{parsed.of}': variables: {{{parsed.of}: "
                    "{default: \"2016-04\", type: month}}" if parsed.of not in values else
                    f"give variable '{parsed.of}' 'type: month'")
            problems.append(Problem(f"window '{name}' counts back from '{parsed.of}', which "
                                    f"is not a month variable; {hint}", source.at(at)))
            continue
        period = parse_month(str(values[parsed.of]))
        assert period is not None  # a month variable's value is checked when it is read
        out[name] = window(name, parsed, period)
    if problems:
        raise DeckError(problems)
    return out


def output_path(deck: DeckSpec, base_dir: Path) -> Path:
    """Where the deck is written: the outline's `output`, else output/<title>.pptx."""
    if deck.output:
        return base_dir / deck.output
    return base_dir / "output" / f"{slug(deck.title)}.pptx"


def slide_label(index: int, kind: str) -> SlideLabel:
    """How messages name a slide of the outline: 'slide 3 (table)'."""
    return SlideLabel(index, kind)


def display_date(value: Union[dt.date, str, None], style: DateStyle = "ordinal") -> str:
    """The deck's date as slides show it (source/dates.py)."""
    return dates.show_date(value, style)


def unknown_source(name: str, known: Iterable[str]) -> str:
    names = sorted(known)
    return (f"unknown data source '{name}'; declare it under 'data:' (known: "
            f"{', '.join(names) or 'none declared'}){did_you_mean(name, names)}")
