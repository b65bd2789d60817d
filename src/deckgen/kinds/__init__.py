"""Registry of slide kinds: the name used in YAML -> the module that holds its schema and layout,
and the keys whose values name files the kind reads.

Adding a kind is one new module (with `Spec` and `plan`, see base.Kind), one entry here and one
example in docs/outline.md (tests/e2e/test_kinds_contract.py checks all three). Declaring a
kind's file keys here is what makes the path rule, `extends:` rebasing and the cache's
fingerprint cover them; the kind reads each such file through `ctx.asset`, which refuses a key
not declared. This module imports no kind, so the cache's up-to-date check stays light.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, cast

if TYPE_CHECKING:
    from deckgen.kinds.base import Kind


@dataclass(frozen=True)
class Entry:
    module: str  # the module's full name
    files: tuple[str, ...] = ()  # slide keys whose values are paths of files the kind reads


REGISTRY: dict[str, Entry] = {
    "title": Entry("deckgen.kinds.title"),
    "section": Entry("deckgen.kinds.section"),
    "bullets": Entry("deckgen.kinds.bullets"),
    "table": Entry("deckgen.kinds.table"),
    "chart": Entry("deckgen.kinds.chart"),
    "stats": Entry("deckgen.kinds.stats"),
    "team": Entry("deckgen.kinds.team"),
    "headlines": Entry("deckgen.kinds.headlines"),
    "image": Entry("deckgen.kinds.image", files=("image",)),
    "summary": Entry("deckgen.kinds.summary", files=("image",)),
    "map": Entry("deckgen.kinds.map", files=("boundaries",)),
}


def names() -> list[str]:
    return list(REGISTRY)


def get(name: str) -> Optional["Kind"]:
    entry = REGISTRY.get(name)
    if entry is None:
        return None
    return cast("Kind", importlib.import_module(entry.module))


def file_keys(name: object) -> tuple[str, ...]:
    """The keys of a slide of kind `name` that name files (none for an unknown kind)."""
    entry = REGISTRY.get(name) if isinstance(name, str) else None
    return entry.files if entry else ()
