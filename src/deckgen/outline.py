"""Load stage: deck.yaml -> a validated Outline, every problem reported with file:line:column.

Like MkDocs' config validation, it checks the whole outline before anything is built and collects
every problem, so the user fixes them all in one pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deckgen import kinds
from deckgen.errors import DeckError, Location, Problem, did_you_mean
from deckgen.kinds.base import SlideSpec
from deckgen.theme import Brand
from deckgen.variables import fill_tree, slug
from deckgen.yamlsrc import PathKey, SourceMap, load_file

Scalar = Union[str, int, float, bool]


class DataSourceSpec(BaseModel):
    """A named CSV file, with columns computed from the ones it has."""

    model_config = ConfigDict(extra="forbid")

    file: str
    derive: dict[str, str] = Field(default_factory=dict)
    description: str = ""
    # The first-column value of a row that holds published totals (e.g. TOTAL): it is kept out of
    # the rows, and a table's totals row shows it (with a warning if the rows add up otherwise).
    total_row: Optional[str] = None


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
    variables: dict[str, Scalar] = Field(default_factory=dict)
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

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def where(self, path: PathKey) -> Location:
        return self.source.at(path)

    def slide_context(self, index: int) -> str:
        return f"slide {index + 1} ({self.slides[index].kind})"

    def output_path(self) -> Path:
        """Where the deck is written: the outline's `output`, else output/<title>.pptx."""
        if self.deck.output:
            return self.base_dir / self.deck.output
        return self.base_dir / "output" / f"{slug(self.deck.title)}.pptx"

    def date_text(self) -> str:
        """The deck's date as shown on the title slide, e.g. '7th July 2016'."""
        return display_date(self.deck.date)

    def date_value(self) -> dt.date | None:
        value = self.deck.date
        if isinstance(value, dt.date):
            return value
        return None


def display_date(value: Union[dt.date, str, None]) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        day = value.day
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix} {value:%B %Y}"
    return value


def load_outline(path: Path, overrides: Mapping[str, str] | None = None) -> Outline:
    """Read, fill and validate an outline; raise one DeckError listing every problem."""
    data, source = load_file(path, shown_as=_shown(path))
    if not isinstance(data, dict):
        raise DeckError.single(
            "the outline must be a mapping of keys (title:, slides:, ...), not a "
            f"{_type_name(data)}; see docs/outline.md", source.at(()))
    return outline_from_data(data, source, path, overrides or {})


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def outline_from_data(data: dict[str, Any], source: SourceMap, path: Path,
                      overrides: Mapping[str, str]) -> Outline:
    problems: list[Problem] = []
    variables = _variables(data, source, overrides, problems)
    filled: dict[str, Any] = {}
    for key, value in data.items():
        if key == "variables":
            filled[key] = value
            continue
        # in the output path, values are slugged: 'Castle Point' -> castle-point
        values = {k: slug(str(v)) for k, v in variables.items()} if key == "output" else variables
        filled[key], more = fill_tree(value, values, source, (key,))
        problems += more
    try:
        deck = DeckSpec.model_validate(filled)
    except ValidationError as exc:
        problems += pydantic_problems(exc, filled, source, (), model=DeckSpec)
        raise DeckError(problems) from None
    slides: list[SlideSpec] = []
    for i, raw in enumerate(deck.slides):
        spec = _slide(raw, i, source, problems, set(deck.data))
        if spec is not None:
            slides.append(spec)
    if problems:
        raise DeckError(problems)
    return Outline(deck, slides, source, path, variables)


def _variables(data: dict[str, Any], source: SourceMap, overrides: Mapping[str, str],
               problems: list[Problem]) -> dict[str, Scalar]:
    declared = data.get("variables") or {}
    if not isinstance(declared, dict):
        problems.append(Problem("'variables' must be a mapping of name: value",
                                source.at(("variables",))))
        declared = {}
    values: dict[str, Scalar] = {}
    for name, value in declared.items():
        if isinstance(value, (dict, list)) or value is None:
            problems.append(Problem(f"variable '{name}' must be a single value (text or number)",
                                    source.at(("variables", name))))
            continue
        values[name] = value
    for name, value in overrides.items():
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            raise DeckError.single(
                f"--set {name}: the outline has no variable '{name}' (it declares: {known})"
                f"{did_you_mean(name, values)}", Location(source.file))
        values[name] = value
    return values


def _slide(raw: Any, index: int, source: SourceMap, problems: list[Problem],
           data_names: set[str]) -> SlideSpec | None:
    path: PathKey = ("slides", index)
    where = f"slide {index + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(
            f"a slide must be a mapping with 'kind:' and 'title:', not a {_type_name(raw)}",
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
        known = ", ".join(sorted(data_names)) or "none declared"
        problems.append(Problem(
            f"unknown data source '{data_name}'; declare it under 'data:' (known: {known})"
            f"{did_you_mean(data_name, data_names)}", source.at(path + ("data",)), context))
    return spec


def pydantic_problems(exc: ValidationError, data: Any, source: SourceMap, base: PathKey,
                      context: str = "", model: type[BaseModel] | None = None) -> list[Problem]:
    """Turn pydantic's errors into Problems located in the user's file, one per real place."""
    problems: list[Problem] = []
    seen: set[tuple[PathKey, str]] = set()
    for err in exc.errors():
        loc = _real_path(data, err["loc"])
        kind = err["type"]
        where_path = base + loc
        if kind == "missing":
            field = str(err["loc"][-1])
            message = f"missing required key '{field}'"
            location = source.at(where_path)
            where_path = where_path + (field,)
        elif kind == "extra_forbidden":
            field = str(loc[-1]) if loc else "?"
            allowed = _allowed_keys(model, err["loc"])
            hint = did_you_mean(field, allowed)
            message = f"unknown key '{field}'{hint}"
            if allowed and not hint:
                message += f" (allowed: {', '.join(allowed)})"
            location = source.at(where_path, key=True)
        else:
            name = ".".join(str(p) for p in loc) or "value"
            message = f"'{name}': {_friendly(err)}"
            location = source.at(where_path)
        if (where_path, message) in seen:
            continue
        seen.add((where_path, message))
        problems.append(Problem(message, location, context))
    return problems


def _real_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Pydantic's error path without the union-branch names it inserts."""
    out: list[Union[str, int]] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and not _looks_like_branch(part):
            out.append(part)  # a missing or unknown key
            break
    return tuple(out)


def _looks_like_branch(part: str) -> bool:
    return any(ch in part for ch in "[]()") or part in {"str", "int", "float", "bool", "dict",
                                                         "list", "date", "Brand"}


def _allowed_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    found = _model_at(model, loc[:-1])
    return sorted(found.model_fields) if found is not None else []


def _model_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at `loc` (for listing allowed keys)."""
    current = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            continue  # a union branch name pydantic put in the path
        current = _first_model(field.annotation)
    return current


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _first_model(arg)
        if found is not None:
            return found
    return None


def _friendly(err: Any) -> str:
    kind, msg, value = err["type"], err["msg"], err.get("input")
    shown = repr(value) if not isinstance(value, (dict, list)) else _type_name(value)
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return f"expected a number, got {shown}"
    if kind in {"string_type"}:
        return f"expected text, got {shown} (put quotes around it if it is meant as text)"
    if kind in {"list_type"}:
        return f"expected a list ('- item' lines), got {shown}"
    if kind in {"dict_type", "model_type"}:
        return f"expected a mapping ('key: value' lines), got {shown}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {shown}"
    if kind == "literal_error":
        expected = msg.split("Input should be ", 1)[-1]
        return f"expected {expected}, got {shown}"
    if kind == "too_short":
        return f"needs at least {err.get('ctx', {}).get('min_length', 1)} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {err.get('ctx', {}).get('max_length')})"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return f"{msg[0].lower()}{msg[1:]}, got {shown}"


def _type_name(value: Any) -> str:
    return {list: "list", dict: "mapping", str: "text", int: "number", float: "number",
            bool: "true/false", type(None): "empty value"}.get(type(value), type(value).__name__)
