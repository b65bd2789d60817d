"""The outline described from the models that validate it: its JSON Schema (`deckgen schema`,
for editors' completion and checking) and each kind's keys (`deckgen kinds KIND`).

The meaning of a key is its field's `Field(description=...)` in the model, so the words an
editor shows are the ones the code keeps with the field, and they are there whether or not the
source is installed (scripts/comments_to_fields.py moved the fields' comments into them).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema
from pydantic_core import PydanticUndefined

from deckgen import kinds
from deckgen.data import formats as _formats  # noqa: F401  (registering them: `format:`)
from deckgen.data import steps as _steps  # noqa: F401  (registering them: STEPS)
from deckgen.kinds.base import SlideSpec
from deckgen.source.periods import WindowSpec
from deckgen.source.schema import Brand, DataSourceSpec, DeckSpec
from deckgen.source.steps import STEPS
from deckgen.source.variables import VariableSpec

SCHEMA_ID = "https://deckgen.invalid/outline.schema.json"


def field_notes(model: type[BaseModel]) -> dict[str, str]:
    """Each field's meaning, as its model declares it (`Field(description=...)`): kept in the
    model, so it is there when the source is not (a zipapp, a frozen build)."""
    return {name: info.description for name, info in model.model_fields.items()
            if info.description}


class _Described(GenerateJsonSchema):
    """pydantic's JSON Schema (each key described by its field's description), with each
    model described by its docstring."""

    def model_schema(self, schema: Any) -> Any:
        out = super().model_schema(schema)
        cls = schema.get("cls")
        if "$ref" in out:  # described where the model is defined
            return out
        if cls is not None and cls.__doc__ and "description" not in out:
            out["description"] = " ".join(cls.__doc__.split())
        return out


def kind_models() -> dict[str, type[SlideSpec]]:
    out = {}
    for name in kinds.names():
        module = kinds.get(name)
        assert module is not None
        out[name] = module.Spec
    return out


def outline_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of deck.yaml: the top level, the brand, data sources
    and their steps, variables and windows, and each slide by its kind."""
    specs = kind_models()
    models: list[type[BaseModel]] = [DeckSpec, Brand, DataSourceSpec, VariableSpec, WindowSpec,
                                     *STEPS.values(), *specs.values()]
    refs, schema = models_json_schema([(m, "validation") for m in models],
                                      schema_generator=_Described,
                                      ref_template="#/$defs/{model}")
    defs = schema["$defs"]

    def ref(model: type[BaseModel]) -> dict[str, Any]:
        return dict(refs[(model, "validation")])

    deck = defs[ref(DeckSpec)["$ref"].rsplit("/", 1)[1]]
    props = deck["properties"]
    props["slides"]["items"] = {
        "type": "object", "required": ["kind"],
        "properties": {"kind": {"enum": list(specs), "description": "the slide's kind: "
                                "`deckgen kinds` lists them, `deckgen kinds KIND` its keys"}},
        "allOf": [{"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                   "then": ref(spec)} for name, spec in specs.items()]}
    props["variables"]["additionalProperties"] = ref(VariableSpec)
    props["windows"]["additionalProperties"] = ref(WindowSpec)
    props["extends"] = {"type": "string", "description": "another outline this one starts "
                        "from (its path, relative to this file); see docs/districts.md"}
    source = defs[ref(DataSourceSpec)["$ref"].rsplit("/", 1)[1]]
    source["properties"]["steps"]["items"] = {"oneOf": [ref(model) for model in STEPS.values()]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "deckgen outline (deck.yaml)", **ref(DeckSpec), "$defs": defs}


def type_name(annotation: Any) -> str:
    """A field's type in an analyst's words: 'text', 'number', 'one of: bar, hbar'."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return "one of: " + ", ".join(str(a) for a in args)
    if origin in (Union, types.UnionType):
        named = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(named))
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {type_name(args[1])}" if len(args) == 2 else "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    return {str: "text", int: "whole number", float: "number", bool: "true or false"}.get(
        annotation, getattr(annotation, "__name__", str(annotation)))


def kind_keys(kind: str) -> list[tuple[str, str, str, str]]:
    """A kind's keys: (key, type, default, meaning); a required key's default is 'required'."""
    return _keys(kind_models()[kind], "")


def _keys(spec: type[BaseModel], prefix: str) -> list[tuple[str, str, str, str]]:
    """A model's keys, and those of the mappings in its lists (stats[].value)."""
    notes = field_notes(spec)
    out = []
    for name, info in spec.model_fields.items():
        if name == "kind":
            continue
        inner = _inner_model(info.annotation)
        if info.is_required():
            default = "required"
        elif info.default is PydanticUndefined or info.default_factory is not None:
            default = "none"
        else:
            default = "none" if info.default in (None, "", (), []) else repr(info.default)
        key = prefix + (info.alias or name)
        out.append((key, type_name(info.annotation), default, notes.get(name, "")))
        if inner is not None and not prefix:
            out += _keys(inner, f"{key}[]." if typing.get_origin(info.annotation) in
                         (list, tuple) else f"{key}.")
    return out


def _inner_model(annotation: Any) -> Any:
    """The model a field holds (itself, or in a list or an Optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def kind_summary(kind: str) -> str:
    """A kind's one line: its module's docstring's first sentence, whole (it may run over
    several lines of the docstring)."""
    module = kinds.get(kind)
    text = (module.__doc__ or "").strip() if module is not None else ""
    first = " ".join(text.split("\n\n")[0].split())
    sentence = re.split(r"\.\s+(?=[A-Z`])", first)[0].rstrip(".") + "." if first else ""
    return sentence.split(": ", 1)[-1] if sentence.startswith("`") else sentence
