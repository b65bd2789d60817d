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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from deckgen.errors import DeckError, Problem, did_you_mean
from deckgen.source.validation import pydantic_problems
from deckgen.source.variables import fill_tree, slug
from deckgen.source.yamlsrc import SourceMap

Scalar = Union[str, int, float, bool]
Expression = Union[str, int, float, bool]  # see expr.py; a number or true/false is a constant


_HEX = re.compile(r"^#?[0-9A-Fa-f]{6}$")


def _colour(value: str) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise ValueError(f"'{value}' is not a colour; write it as six hex digits like '#1B365D'")
    return value.lstrip("#").upper()


class Colours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    primary: str = "1B365D"  # titles, bands, big numbers
    accent: str = "E0A526"  # rules, highlights
    text: str = "222222"
    muted: str = "5F6B7A"  # secondary text, unhighlighted chart bars
    light: str = "EEF2F7"  # card and stripe backgrounds
    highlight: str = "FCEFC7"  # highlighted table row
    good: str = "1E7B34"  # a change for the better
    bad: str = "B3261E"  # a change for the worse

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
    logo: str | None = None  # path relative to the brand file
    footer: str = ""
    marking: str = ""  # protective marking, e.g. OFFICIAL, shown top and bottom of every slide
    slide_numbers: bool = True


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
    # mark of a file whose numbers could be read two ways (1,234). See data/csvread.py.
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


def validate_deck(data: dict[str, Any], source: SourceMap, values: Mapping[str, Scalar]
                  ) -> tuple[DeckSpec, list[Problem]]:
    """The deck's own fields with the variables filled in (the slides are left as written, for
    the kinds to validate), and the problems found; raises when the deck fields are invalid."""
    problems: list[Problem] = []
    filled: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("variables", "data"):
            continue
        if key == "slides":
            filled[key] = value
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
    return deck, problems


def data_sources(raw: Any, source: SourceMap) -> dict[str, DataSourceSpec]:
    """The outline's `data:` validated, every expression parsed; raises with every problem."""
    problems: list[Problem] = []
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DeckError.single("'data' must be a mapping of name: {file: ...}",
                               source.at(("data",)))
    out: dict[str, DataSourceSpec] = {}
    for name, spec in raw.items():
        try:
            out[name] = DataSourceSpec.model_validate(spec)
        except ValidationError as exc:
            problems += pydantic_problems(exc, spec, source, ("data", name),
                                          model=DataSourceSpec)
            continue
        problems += _expression_problems(name, out[name], source)
    if problems:
        raise DeckError(problems)
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


def output_path(deck: DeckSpec, base_dir: Path) -> Path:
    """Where the deck is written: the outline's `output`, else output/<title>.pptx."""
    if deck.output:
        return base_dir / deck.output
    return base_dir / "output" / f"{slug(deck.title)}.pptx"


def slide_label(index: int, kind: str) -> str:
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


def unknown_source(name: str, known: Iterable[str]) -> str:
    names = sorted(known)
    return (f"unknown data source '{name}'; declare it under 'data:' (known: "
            f"{', '.join(names) or 'none declared'}){did_you_mean(name, names)}")
