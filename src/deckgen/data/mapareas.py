"""A map's areas joined to a data source's figures: each area's key, name, figure (as the map
shows it) and shape, the area to outline, the borders drawn over them and the areas named.

Each area is joined to one row of the data by a key (an LSOA code, a district's code or name),
through a table that translates the boundaries' keys into the data's (`via:`) where they
differ. A data key that matches no area is a warning that lists a few of them (with a hint when
one differs from an area's key only in case or punctuation); a key twice in the data is an
error at its cell (never a guessed sum); an area with no row is no data, or 0 with
`missing: zero` (and a warning when a whole boundary file has no row). The kind
(kinds/map.py) declares the keys, classes the figures (data/mapclasses.py), colours them and
lays the map out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Protocol

from deckgen.data import boundaries, labels, mapmarks
from deckgen.data.boundaries import Area, AreaSet, Ring
from deckgen.data.frames import filter_rows, records, require_columns, texts, value_text
from deckgen.data.mapclasses import is_counts
from deckgen.data.slide import Slide, Wanted, wanted_texts
from deckgen.errors import DeckError, Problem, did_you_mean, excerpt, listing
from deckgen.source import numformat
from deckgen.source.noise import ChangeSpec

if TYPE_CHECKING:
    import pandas as pd


class MapAsked(Protocol):
    """A map slide's keys that decide its areas and figures (kinds/map.py Spec)."""

    @property
    def data(self) -> str: ...

    @property
    def area(self) -> str: ...

    @property
    def column(self) -> str: ...

    @property
    def via(self) -> Optional[mapmarks.KeyTable]: ...

    @property
    def name(self) -> Optional[str]: ...

    @property
    def union(self) -> bool: ...

    @property
    def only(self) -> Mapping[str, Wanted]: ...

    @property
    def outline(self) -> Optional[str]: ...

    @property
    def value(self) -> str: ...

    @property
    def where(self) -> Mapping[str, Wanted]: ...

    @property
    def missing(self) -> str: ...

    @property
    def highlight(self) -> Optional[str]: ...

    @property
    def top(self) -> int: ...

    @property
    def value_format(self) -> str: ...

    @property
    def unit(self) -> Optional[str]: ...

    @property
    def change(self) -> Optional[ChangeSpec]: ...

    @property
    def names(self) -> Optional[mapmarks.KeyTable]: ...


@dataclass(frozen=True)
class AreaFigure:
    """An area of the map with its figure as the map shows it (None: no data), and how far its
    change is beyond normal variation (`mark`: significant, notable or "", with `change:`)."""

    key: str
    name: str
    value: Optional[float]
    rings: tuple[Ring, ...]
    label_at: tuple[float, float]
    size: float
    mark: str = ""


@dataclass(frozen=True)
class MapFigures:
    """What a map shows before it is classed and coloured: its areas and their figures, the
    digest of its geometry (for the chart cache), whether the figures are counts, the format
    they are shown in and its step, the area outlined (its key), the borders drawn over the
    areas, the keys of the areas named (the highest), and what the join found."""

    areas: tuple[AreaFigure, ...]
    geometry: str
    counts: bool
    value_format: str
    step: float
    highlight: Optional[str]
    outline: tuple[Ring, ...]
    labelled: tuple[str, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Joined:
    figures: dict[str, float]  # each area key's figure
    blank: set[str]  # the area keys whose row has no figure (blank, or not finite)
    unmatched: list[str]  # the data's keys that match no area
    warnings: list[Problem]


def map_figures(slide: Slide, asked: MapAsked, folder: Path) -> MapFigures:
    """The areas of the boundaries (`folder`: the file or folder `boundaries:` names), joined
    to the data's rows and shown in the map's format; errors at the slide's keys."""
    rows, shown = _rows(slide, asked)
    translate = _via(slide, asked.via) if asked.via else None
    paths = boundaries.files_of(folder, slide.label, slide.locate("boundaries"))
    keep = {prop: wanted_texts(v) for prop, v in asked.only.items()}
    found = _areas(slide, asked, paths, keep)
    every = boundaries.keys(paths, asked.area, slide.label)
    joined = _joined(slide, asked, rows, shown, translate, every)
    warnings = joined.warnings
    names = labels.labels(slide.data, asked.data)[0].get(asked.column, {})
    if joined.unmatched:
        warnings.append(_unmatched(slide, asked, joined.unmatched, shown, translate or every))
    matched = _matched(slide, asked, joined, found, bool(keep), shown, translate or every)
    if asked.missing == "zero":
        warnings += _zero_files(slide, found.areas, matched, shown)
    data_keys = {area: key for key, area in translate.items()} if translate else {}
    areas = _figures(asked, found.areas, joined, data_keys, names)
    marks = mapmarks.change_marks(slide, asked.data, rows, asked.column, asked.change,
                                  translate) if asked.change else {}
    readable = mapmarks.readable_names(slide, asked.names) if asked.names else {}
    areas = [_named_and_marked(a, readable.get(a.key), marks.get(a.key, "noise"))
             for a in areas]
    present = [a.value for a in areas if a.value is not None]
    if not present:
        raise slide.error(f"no area of the map has a figure in '{asked.value}' of {shown}: "
                          "every matching row's figure is blank", "value")
    counts = is_counts(present)
    fmt = numformat.parse(asked.value_format or (",.0f" if counts else ".1f"))
    in_percent = asked.unit == "percent"
    areas = [a if a.value is None else _with_value(a, fmt.as_shown(a.value, in_percent))
             for a in areas]
    highlight = _highlight(slide, asked, areas, translate, data_keys, every)
    outline: tuple[Ring, ...] = ()
    if asked.outline:
        outline = tuple(r for a in boundaries.areas(paths, asked.outline, None, True, keep,
                                                    slide.label).areas for r in a.rings)
    return MapFigures(tuple(areas), found.digest, counts, fmt.written, fmt.step(in_percent),
                      highlight, outline, _highest(areas, counts, asked.top), tuple(warnings))


def _matched(slide: Slide, asked: MapAsked, joined: Joined, found: AreaSet, only: bool,
             shown: str, keys: Iterable[str]) -> set[str]:
    """The areas of the boundaries with a row of the data; none among the map's areas is an
    error (the keys are of something else, or `only` leaves their areas out)."""
    matched = set(joined.figures) | joined.blank
    if not matched & {a.key for a in found.areas}:
        elsewhere = " (some match areas that 'only' leaves out)" if only and matched else ""
        raise slide.error(f"no area of the map has a row in {shown}: the keys of "
                          f"'{asked.column}' match none of the areas' {asked.area}{elsewhere}"
                          f"{_near(joined.unmatched, keys)}", "column")
    return matched


def _rows(slide: Slide, asked: MapAsked) -> tuple["pd.DataFrame", str]:
    """The data's rows the map shows (its `where:`), its key and figures checked; and how
    messages name the data."""
    store = slide.data
    df = store.frame(asked.data)
    shown = store.shown(asked.data)
    for field_name, columns in (("column", [asked.column]), ("value", [asked.value]),
                                ("where", list(asked.where))):
        problem = require_columns(df, columns, shown)
        if problem:
            raise slide.error(problem, field_name)
    try:
        store.numeric_column(asked.data, asked.value)
    except DeckError as exc:  # at the cell, and at the slide's key that reads it
        raise DeckError([*exc.problems, *slide.error(
            f"'{asked.value}' must hold figures to colour the map by", "value").problems]
                        ) from None
    for column, wanted in asked.where.items():
        values = sorted(set(texts(df, column)))
        for text in wanted_texts(wanted):
            if text not in values:
                raise slide.error(f"'{excerpt(text)}' is not a value of column '{column}' in "
                                  f"{shown}; values are: {listing(values)}"
                                  f"{did_you_mean(text, values)}", "where", column)
    return filter_rows(df, asked.where), shown


def _areas(slide: Slide, asked: MapAsked, paths: list[Path], keep: dict[str, list[str]]
           ) -> AreaSet:
    """The areas of the boundary files the map keeps (`only`), by `area`, named by `name`,
    unions with `union`; the properties the slide names checked first."""
    _check_properties(slide, asked, paths, keep)
    found = boundaries.areas(paths, asked.area, asked.name, asked.union, keep, slide.label)
    if found.mixed_names:
        raise slide.error(f"'{asked.name}' names the features of one area differently (area "
                          f"'{excerpt(found.mixed_names[0])}' of {asked.area}): with 'union: "
                          "true' the area would take its first feature's name; leave 'name' "
                          "out, or name areas by a property their features share", "name")
    return found


def _check_properties(slide: Slide, asked: MapAsked, paths: list[Path],
                      keep: dict[str, list[str]]) -> None:
    """The properties the slide names exist in the boundaries, and `only`'s values among
    theirs: a slip of the outline is an error at its key, not at a feature of a file."""
    have = sorted(boundaries.property_names(paths, slide.label))
    named: list[tuple[tuple[str, ...], Optional[str]]] = [
        (("area",), asked.area), (("name",), asked.name), (("outline",), asked.outline),
        *((("only", prop), prop) for prop in keep)]
    for at, prop in named:
        if prop is not None and prop not in have:
            raise slide.error(f"no feature of the boundaries has a property '{excerpt(prop)}'; "
                              f"their properties are: {', '.join(have)}"
                              f"{did_you_mean(prop, have)}", *at)
    for prop, wanted in keep.items():
        values = sorted(boundaries.keys(paths, prop, slide.label))
        for value in wanted:
            if value not in values:
                raise slide.error(f"no feature of the boundaries has {prop} "
                                  f"'{excerpt(value)}'; its values are: {listing(values)}"
                                  f"{did_you_mean(value, values)}", "only", prop)


def _via(slide: Slide, via: mapmarks.KeyTable) -> dict[str, str]:
    """The data's key of each boundary key, from the table `via` names."""
    shown, pairs = mapmarks.key_pairs(slide, via, "via")
    out: dict[str, str] = {}
    for key, value in pairs:
        if value in out:
            raise slide.error(f"'{excerpt(value)}' is in column '{via.column}' of {shown} "
                              "twice: each of the data's keys must stand for one area", "via",
                              "column")
        out[value] = key
    return out


def _joined(slide: Slide, asked: MapAsked, rows: "pd.DataFrame", shown: str,
            translate: Optional[dict[str, str]], every: frozenset[str]) -> Joined:
    """The data's rows joined to the areas by key."""
    figures: dict[str, float] = {}
    unmatched: list[str] = []
    not_finite: list[str] = []
    for line, row in zip(list(rows.index), records(rows)):
        raw = value_text(row[asked.column])
        key = "(blank)" if raw is None else str(raw)
        area = translate.get(key) if translate is not None else key
        if area is None or area not in every:
            unmatched.append(key)
            continue
        if area in figures or area in not_finite:
            raise DeckError.single(
                f"'{excerpt(key)}' has more than one row in {shown}: a map "
                f"shows one figure per area; group the rows by '{asked.column}' first (a "
                "'group:' step) or filter them with 'where:'",
                slide.data.cell(asked.data, int(line), asked.column), slide.label)
        value = row[asked.value]
        if value is None or not math.isfinite(float(value)):
            not_finite.append(area)
            continue
        figures[area] = float(value)
    warnings = []
    if not_finite:
        warnings.append(slide.warning(
            f"'{asked.value}' is blank or not a finite number for {len(not_finite)} "
            f"{'area' if len(not_finite) == 1 else 'areas'} ({', '.join(not_finite[:5])}"
            f"{'…' if len(not_finite) > 5 else ''}): shown as no data", "value"))
    return Joined(figures, set(not_finite), sorted(set(unmatched)), warnings)


def _unmatched(slide: Slide, asked: MapAsked, unmatched: list[str], shown: str,
               keys: Iterable[str]) -> Problem:
    """The data's keys that match no area of the boundaries: their figures are not on the map."""
    more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
    return slide.warning(
        f"{len(unmatched)} {'key' if len(unmatched) == 1 else 'keys'} of column "
        f"'{asked.column}' in {shown} {'matches' if len(unmatched) == 1 else 'match'} no "
        f"area of the boundaries (by {asked.area}"
        f"{' through ' + asked.via.data if asked.via else ''}): "
        f"{', '.join(repr(k) for k in unmatched[:5])}{more}; their figures are not on the "
        f"map{_near(unmatched, keys)}", "column")


def _near(unmatched: list[str], keys: Iterable[str]) -> str:
    """A hint for the first unmatched key that differs from an area's key only in case,
    spaces or punctuation ('BASILDON', 'Castlepoint'): keys match only exactly. (A close
    spelling is no hint here: 'E01999990' is one character from many LSOA codes.)"""
    plain = {_plain(k): k for k in keys}
    for key in unmatched:
        near = plain.get(_plain(key))
        if near is not None:
            return (f"; '{excerpt(key)}' may be meant as '{excerpt(near)}' (keys match "
                    "exactly, case included)")
    return ""


def _plain(key: str) -> str:
    return "".join(ch for ch in key.casefold() if ch.isalnum())


def _zero_files(slide: Slide, areas: Iterable[Area], matched: set[str], shown: str
                ) -> list[Problem]:
    """With `missing: zero`, boundary files none of whose areas has a row: the data most
    likely covers only part of the map (one district of a county), and a whole district of
    invented zeros would pass for a real low."""
    files: dict[str, bool] = {}
    for area in areas:
        files[area.file] = files.get(area.file, False) or area.key in matched
    empty = [f for f, has in files.items() if not has]
    if not empty:
        return []
    more = f" and {len(empty) - 3} more" if len(empty) > 3 else ""
    return [slide.warning(
        f"no area of {len(empty)} of the {len(files)} boundary files has a row in {shown} "
        f"({', '.join(PurePath(f).name for f in empty[:3])}{more}), so with 'missing: zero' "
        "every area of them is drawn as 0: if the data covers only part of the map, keep the "
        "map to it with 'only:' (or name those files in 'boundaries:')", "missing")]


def _figures(asked: MapAsked, areas: Iterable[Area], joined: Joined,
             data_keys: Mapping[str, str], names: Mapping[str, str]) -> list[AreaFigure]:
    """Each area with its name and figure as the data has it (None: no data; 0 for an area
    with no row, with `missing: zero`: none counted, while a blank figure stays no data)."""
    out = []
    for area in areas:
        value = joined.figures.get(area.key)
        if value is None and asked.missing == "zero" and area.key not in joined.blank:
            value = 0.0
        name = area.name if asked.name else str(labels.shown(data_keys.get(area.key, area.key),
                                                             names))
        out.append(AreaFigure(area.key, name, value, area.rings, area.label_at, area.size))
    return out


def _with_value(area: AreaFigure, value: float) -> AreaFigure:
    return replace(area, value=value)


def _named_and_marked(area: AreaFigure, readable: Optional[str], mark: str) -> AreaFigure:
    """The area with its readable name before its own (`names:`: 'Westcliff (Southend-on-Sea
    013D)'), and its change's mark (nothing for a change within normal variation)."""
    name = f"{readable} ({area.name})" if readable and readable != area.name else area.name
    return replace(area, name=name, mark="" if mark == "noise" else mark)


def _highlight(slide: Slide, asked: MapAsked, areas: list[AreaFigure],
               translate: Optional[dict[str, str]], data_keys: Mapping[str, str],
               every: frozenset[str]) -> Optional[str]:
    """The key of the area to outline, named as the data names it (`highlight:`)."""
    if asked.highlight is None:
        return None
    chosen = translate.get(asked.highlight) if translate is not None else asked.highlight
    if chosen not in {a.key for a in areas}:
        keys = sorted(data_keys.get(a.key, a.key) for a in areas)
        why = " ('only' leaves it out)" if chosen in every else ""
        raise slide.error(f"highlight '{excerpt(asked.highlight)}' is not an area of the map"
                          f"{why} (by '{asked.column}'); areas are: {listing(keys)}"
                          f"{'' if why else did_you_mean(asked.highlight, keys)}", "highlight")
    return chosen


def _highest(areas: list[AreaFigure], counts: bool, top: int) -> tuple[str, ...]:
    """The keys of the `top` highest areas, named on the map; none with no count (a '0' is
    nothing to point at)."""
    ranked = sorted((a for a in areas if a.value is not None and not (counts and a.value == 0)),
                    key=lambda a: (-(a.value or 0.0), a.name))
    return tuple(a.key for a in ranked[:top])
