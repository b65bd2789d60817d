"""Registry of slide kinds: the name used in YAML -> the module that holds its schema and layout.

Adding a kind is one new module here (with `Spec` and `plan`) plus a line in `_MODULES`.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

from pydantic import BaseModel

_MODULES = {
    "title": "title",
    "section": "section",
    "bullets": "bullets",
    "table": "table",
    "chart": "chart",
    "stats": "stats",
    "team": "team",
    "headlines": "headlines",
    "image": "image",
    "summary": "summary",
}


def names() -> list[str]:
    return list(_MODULES)


def get(name: str) -> ModuleType | None:
    module = _MODULES.get(name)
    if module is None:
        return None
    return importlib.import_module(f"deckgen.kinds.{module}")


@lru_cache(maxsize=1)
def all_models() -> dict[str, type[BaseModel]]:
    """Every pydantic model of the outline by class name (to list allowed keys in messages)."""
    from deckgen import outline

    found: dict[str, type[BaseModel]] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = model
        for field in model.model_fields.values():
            for sub in _models_in(field.annotation):
                visit(sub)

    visit(outline.DeckSpec)
    for name in names():
        module = get(name)
        assert module is not None
        visit(module.Spec)
    return found


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out += _models_in(arg)
    return out
