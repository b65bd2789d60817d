"""What deckgen tells a person writing an outline, without building a deck: the outline's JSON
Schema, the slide kinds and their keys, a data source after its steps, and what a template
offers. The orchestrator (app.py) offers them to the command line and library callers."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen.cache import Cache
from deckgen.errors import DeckError, did_you_mean
from deckgen.options import Options
from deckgen.render.document import source_date_epoch


def inspect_template(path: Path) -> tuple[list[str], list[str]]:
    """What `deckgen template inspect` prints of a template, and its warnings
    (source/template.py); the fonts installed here are asked of fontconfig when it is here."""
    import shutil
    import subprocess

    from deckgen.errors import shown_path
    from deckgen.layout.region import describe
    from deckgen.layout.theme import Theme
    from deckgen.source.schema import Brand
    from deckgen.source.template import inspect, read_template

    template = read_template(path, shown_path(path), None)
    installed = None
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                timeout=60).stdout
        installed = {name.strip().lower() for line in listed.splitlines()
                     for name in line.split(",")}
    lines, warnings = inspect(template, installed)
    grid = Theme(Brand(), None, template=template)
    where, unusable = describe(template, grid.margin, grid.title_top, grid.title_h, grid.footer_h)
    return lines + where, warnings + unusable


def outline_schema() -> dict[str, Any]:
    """The outline's JSON Schema, from the models that validate it (kinds/describe.py)."""
    from deckgen.kinds.describe import outline_schema as schema

    return schema()


def kinds_list() -> list[tuple[str, str]]:
    """Each slide kind with its one line."""
    from deckgen import kinds
    from deckgen.kinds.describe import kind_summary

    return [(name, kind_summary(name)) for name in kinds.names()]


def kind_keys(kind: str) -> list[tuple[str, str, str, str]]:
    """A kind's keys: (key, type, default, meaning); an unknown kind is an error."""
    from deckgen import kinds
    from deckgen.kinds.describe import kind_keys as keys

    if kinds.get(kind) is None:
        raise DeckError.single(f"'{kind}' is not a slide kind{did_you_mean(kind, kinds.names())}"
                               f"; the kinds are: {', '.join(kinds.names())}")
    return keys(kind)


def data_show(deck_path: Path, name: str, overrides: Optional[Mapping[str, str]] = None,
              rows: int = 20, options: Options = Options()) -> Any:
    """Data source `name` of the outline after its steps: its first `rows` rows, row count and
    column types (data/peek.py); every column, those the outline uses first."""
    from deckgen.data.peek import peek
    from deckgen.pipeline import load_outline

    source_date_epoch()
    data = Cache.open(deck_path, None, overrides or {}, options).data
    outline = load_outline(deck_path, overrides, options.allow_outside_paths, data)
    names = list(outline.store.specs)
    if name not in names:
        raise DeckError.single(f"the outline has no data source '{name}'; its sources are: "
                               f"{', '.join(names) or 'none'}{did_you_mean(name, names)}",
                               outline.where(("data",)))
    return peek(name, outline.store.whole(name), rows)
