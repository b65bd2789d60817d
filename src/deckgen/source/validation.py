"""Turn pydantic's validation errors into Problems located in the user's own files."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from deckgen.errors import Problem, did_you_mean, type_name
from deckgen.source.yamlsrc import PathKey, SourceMap


def pydantic_problems(exc: ValidationError, data: Any, source: SourceMap, base: PathKey,
                      context: str = "", model: type[BaseModel] | None = None) -> list[Problem]:
    """Turn pydantic's errors into Problems located in the user's file, one per real place."""
    problems: list[Problem] = []
    seen: set[tuple[PathKey, str]] = set()
    errors = exc.errors()
    # a misspelt required key shows up twice: as unknown ('titel') and as missing ('title').
    # The unknown key's message already suggests the right name, so drop the missing one.
    suggested = {(tuple(e["loc"][:-1]), did_you_mean(str(e["loc"][-1]),
                                                     _allowed_keys(model, e["loc"])))
                 for e in errors if e["type"] == "extra_forbidden"}
    # a value a union takes in several shapes (text, a number, a list, a mapping) fails every
    # branch: when the branch of its own shape found a problem inside it, that is the problem,
    # and "expected text, got mapping" from the other branches is noise
    deeper = [_real_path(data, e["loc"]) for e in errors]
    for err in errors:
        if err["type"] == "missing" and (tuple(err["loc"][:-1]),
                                         f"; did you mean '{err['loc'][-1]}'?") in suggested:
            continue
        loc = _real_path(data, err["loc"])
        if _wrong_shape(err) and any(len(d) > len(loc) and d[:len(loc)] == loc
                                     for d in deeper):
            continue
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
            name = path_name(loc)
            # a check of the whole mapping (a model validator) has no field name to show
            message = f"'{name}': {_friendly(err)}" if name else _friendly(err)
            location = source.at(where_path)
        if (where_path, message) in seen:
            continue
        seen.add((where_path, message))
        problems.append(Problem(message, location, context))
    # in the order they are written, as the user reads the file
    return sorted(problems, key=lambda p: (p.location.line, p.location.column)
                  if p.location else (0, 0))


def path_name(loc: PathKey) -> str:
    """A path as a user counts: 'headlines[1].date' for the first headline's date."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
                                                         "list", "date", "Brand", "Args"}


def _wrong_shape(err: Any) -> bool:
    """An error that says only that a value is of another type than one branch wanted."""
    kind = str(err["type"])
    return kind.endswith(("_type", "_parsing")) and kind != "model_type"


def _allowed_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The keys the mapping at `loc` takes, as written in an outline (`from`, not `from_`)."""
    found = _model_at(model, loc[:-1])
    return sorted(field.alias or name for name, field in found.model_fields.items()) \
        if found is not None else []


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
    if isinstance(value, (dt.date, dt.datetime)):
        shown = f"the date {value.isoformat()}"
    else:
        shown = repr(value) if not isinstance(value, (dict, list)) else type_name(value)
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
        options = re.findall(r"'([^']*)'", expected)
        hint = did_you_mean(value, options) if isinstance(value, str) else ""
        return f"expected {expected}, got {shown}{hint}"
    if kind == "too_short":
        return f"needs at least {err.get('ctx', {}).get('min_length', 1)} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {err.get('ctx', {}).get('max_length')})"
    if kind == "value_error":
        return str(msg).removeprefix("Value error, ")
    return f"{msg[0].lower()}{msg[1:]}, got {shown}"
