"""An outline's values resolved: its data sources declared and its variables' values known.

    manifest --resolve_values--> values (variables and the windows' parts), data sources,
                                 the DataStore that reads them, and the manifest completed

The order is the one the parts need each other in: the variables that need no data (defaults,
--set) and the windows counted from them, which the manifest (source/manifest.py) filled its
paths with; the data sources, with those filled in; then the variables that read data
(values_from, lookup), after which the manifest fills in the paths that name a looked-up value.
Every build, and every redraw, resolves the values here: a deck's values are never taken from a
memo. `check_declared` reads each figure the outline declares once, so that a bad one is
reported where it is declared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen.data.store import DataStore, column_values, lookup_row
from deckgen.errors import DeckError, Problem
from deckgen.source.figures import FigureError, FigureSource, Ref
from deckgen.source.manifest import Manifest
from deckgen.source.schema import DataSourceSpec, data_sources, long_texts
from deckgen.source.variables import Variables, change_level, fill_tree, resolve_variables
from deckgen.source.yamlsrc import SourceMap


@dataclass(frozen=True)
class Resolved:
    """An outline's variables resolved: the values its texts are filled with (the variables
    and the windows' parts), the variables with the values each may take, and the data
    sources declared (read when first used)."""

    values: dict[str, Any]
    variables: Variables
    sources: dict[str, DataSourceSpec]
    store: DataStore


def resolve_values(inputs: Manifest, data_cache: Optional[Path] = None) -> Resolved:
    """The variables' values, as every build fills them in: defaults and --set, the windows
    counted from them (both from the manifest, which filled its paths with them), the data
    sources declared with those filled in, then the variables that read data (values_from,
    lookup); with those, the manifest is completed (its paths that name a looked-up value).
    A redraw calls this too: the values of a deck are never taken from a memo."""
    data, source = inputs.tree, inputs.source
    early = inputs.early()
    filled, problems = fill_tree(data.get("data"), early.known, source, ("data",))
    problems += long_texts(filled, source, ("data",))
    if problems:
        raise DeckError(problems)
    problems = inputs.outside(data_only=True)  # a value must not lead a data file out
    if problems:
        raise DeckError(problems)
    sources = data_sources(filled, source, early.windows)
    store = DataStore(sources, inputs.base, source, early.windows, data_cache,
                      _read_directly(data), inputs.allow_outside, inputs=inputs)
    plain = (early.plain[0], dict(early.plain[1]))  # the lookups are added to its values
    variables = resolve_variables(data.get("variables"), inputs.overrides, source,
                                  column_values(store, source), lookup_row(store, source), plain)
    values = {**variables.values, **{k: v for w in early.windows.values()
                                     for k, v in w.values().items()}}
    inputs.complete_with(values)
    problems = inputs.outside(data_only=False)
    if problems:
        raise DeckError(problems)
    return Resolved(values, variables, sources, store)


def check_declared(figures: FigureSource, raw: Any, source: SourceMap) -> None:
    """Every figure declared under `figures:` is read once, so that a bad source, column or
    row is reported where the figure is declared, not at each text that uses it."""
    problems: list[Problem] = []
    for name, figure in figures.declared().items():
        spec = raw.get(name) if isinstance(raw, dict) else None
        if figure.signal is not None:  # the months of a control chart, not one cell
            try:
                figures.signal(figure.ref, figure.signal)
            except FigureError as exc:
                problems.append(Problem(f"figure '{name}': {exc.message}",
                                        source.at(("figures", name, "signal"))))
            continue
        cells: list[tuple[tuple[str, ...], Ref]] = [
            (("value",) if isinstance(spec, dict) else (), figure.ref)]
        if figure.change is not None:
            cells += [(("change", "current"), figure.change.current),
                      (("change", "previous"), figure.change.previous)]
        for at, ref in cells:
            try:
                figures.value(ref)
            except FigureError as exc:
                problems.append(Problem(f"figure '{name}': {exc.message}",
                                        source.at(("figures", name) + at)))
                break
        else:
            if figure.change is not None:  # its counts are counts, it is their change
                try:
                    change_level(name, figure.change, figures.value(figure.ref), 0, figures)
                except FigureError as exc:
                    problems.append(Problem(exc.message, source.at(("figures", name, "change"))))
    if problems:
        raise DeckError(problems)


def _read_directly(tree: Mapping[str, Any]) -> set[str]:
    """The data sources slides and variables read themselves (not only through `from:`)."""
    names: set[str] = set()
    slides, variables = tree.get("slides"), tree.get("variables")
    for slide in slides if isinstance(slides, list) else []:
        if isinstance(slide, dict) and isinstance(slide.get("data"), str):
            names.add(slide["data"])
    for spec in variables.values() if isinstance(variables, dict) else []:
        if isinstance(spec, dict):
            for key in ("values_from", "lookup"):
                if isinstance(spec.get(key), str):
                    names.add(spec[key].partition(".")[0])
    return names
