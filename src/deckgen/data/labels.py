"""Display names: a column's values as slides show them (Castlepoint -> Castle Point).

A data source's `labels:` gives, for a column, a mapping ({Castlepoint: Castle Point}) or
another source's column of names (`districts.name`: the `name` of the districts row whose own
column of the same name holds the value). Tables, charts and figures in text show the names;
filters, highlights and lookups still name the values as the data has them. A source made
`from:` another keeps its labels. Two values given one name would merge two rows on a chart,
so that is refused; a mapping's name for a value the column does not hold is a warning (a
typo would otherwise leave the value unnamed without a word).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from deckgen.data.frames import is_blank, texts, value_text
from deckgen.data.header import columns_are
from deckgen.errors import DeckError, Problem, did_you_mean, excerpt, listing

if TYPE_CHECKING:
    from deckgen.data.store import DataStore

#: column -> value as the data has it -> name as slides show it
Labels = dict[str, dict[str, str]]


def labels(store: "DataStore", name: str) -> tuple[Labels, list[Problem]]:
    """The display names of a source's columns, and what is suspicious about them, worked out
    once per build."""
    return store.once("labels", name, lambda: _labels(store, name))


def _labels(store: "DataStore", name: str) -> tuple[Labels, list[Problem]]:
    spec = store.specs[name]
    out: Labels = {}
    warnings: list[Problem] = []
    if spec.from_ is not None:
        inherited, found = labels(store, spec.from_)
        out, warnings = dict(inherited), list(found)  # the parent's, unchanged
    context = f"data '{name}'"
    for column, how in spec.labels.items():
        at = store.source.at(("data", name, "labels", column)) if store.source else None
        frame = store.frame(name)
        columns = [str(c) for c in frame.columns]
        if column not in columns:
            raise DeckError.single(f"labels: {store.shown(name)} has no column "
                                   f"'{excerpt(column)}'; "
                                   f"{columns_are(columns, column, 'its columns are')}",
                                   at, context)
        values = sorted(set(texts(frame, column)))
        if isinstance(how, str):
            names = _looked_up(store, name, column, how, at, context)
            unnamed = [v for v in values if v not in names]
            if unnamed:
                lookup = store.shown(how.partition(".")[0])
                warnings.append(Problem(
                    f"labels of '{column}': {how} has no name for {listing(unnamed)}, so "
                    f"{'these show' if len(unnamed) > 1 else 'it shows'} as the data writes "
                    f"{'them' if len(unnamed) > 1 else 'it'}; add the missing rows to {lookup}",
                    at, context))
        else:
            names = {str(k): str(v) for k, v in how.items()}
            warnings += [Problem(f"labels of '{column}': '{excerpt(k)}' is not a value of the "
                                 f"column, so its name is never shown; values are: "
                                 f"{listing(values)}{did_you_mean(k, values)}",
                                 store.source.at(("data", name, "labels", column, k))
                                 if store.source else None, context)
                         for k in names if k not in values]
        _one_name_each(values, names, column, at, context)
        out[column] = names
    return out, warnings


def named(store: "DataStore", name: str, column: str, value: Any) -> str:
    """A hint for a filter or highlight that names a value by its display name: '; 'Castle
    Point' is the name of Castlepoint: write Castlepoint' ('' when it is not one)."""
    names = labels(store, name)[0].get(column, {})
    raw = next((k for k, v in names.items() if v == str(value) and k != v), None)
    return (f"; '{excerpt(value)}' is the name slides show for {raw}: filters and highlights "
            f"use the data's own value, {raw}") if raw is not None else ""


def shown(value: Any, names: Mapping[str, str]) -> Any:
    """A value as slides show it: its name, if it has one."""
    return names.get(str(value), value) if names else value


def _looked_up(store: "DataStore", name: str, column: str, how: str, at: Any,
               context: str) -> dict[str, str]:
    source, _, wanted = how.partition(".")
    frame = store.frame(source)
    columns = [str(c) for c in frame.columns]
    for needed, why in ((column, f"to match the values of '{column}' in data '{name}'"),
                        (wanted, "holding the names")):
        if needed not in columns:
            raise DeckError.single(f"labels: {store.shown(source)} has no column "
                                   f"'{excerpt(needed)}' {why}; "
                                   f"{columns_are(columns, needed, 'its columns are')}",
                                   at, context)
    names: dict[str, str] = {}
    for raw_key, raw_label in zip(frame[column].tolist(), frame[wanted].tolist()):
        if is_blank(raw_key) or is_blank(raw_label):  # a row with no value or no name
            continue
        key, label = str(value_text(raw_key)), str(value_text(raw_label))
        if key in names and names[key] != label:
            raise DeckError.single(f"labels: {store.shown(source)} names '{excerpt(key)}' both "
                                   f"'{excerpt(names[key])}' and '{excerpt(label)}'; keep one row "
                                   f"for each {column}", at, context)
        names[key] = label
    return names


def _one_name_each(values: list[str], names: Mapping[str, str], column: str, at: Any,
                   context: str) -> None:
    """Two of the column's values shown as one name would be one bar, one row: refused."""
    seen: dict[str, str] = {}
    for value in values:
        label = names.get(value, value)
        if label in seen:
            raise DeckError.single(f"labels of '{column}' show '{excerpt(seen[label])}' and "
                                   f"'{excerpt(value)}' as one name, '{excerpt(label)}': a chart "
                                   "would show them as one; give each its own name", at,
                                   context)
        seen[label] = value
