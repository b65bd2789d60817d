"""Registry of slide kinds: the name used in YAML -> the module that holds its schema and layout.

Adding a kind is one new module here (with `Spec` and `plan`) plus a line in `_MODULES`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

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
