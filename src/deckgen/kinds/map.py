"""`map`: a choropleth of a data source's figures over boundary files (GeoJSON), in brand
colours, with a legend that states its classes and alt text written from the data.

Each area is joined to one row of the data by a key (an LSOA code, a district's code or name);
a data key that matches no area is a warning that lists a few of them, a key twice in the data
is an error (never a guessed sum). Areas that share a key are drawn as their union (districts
from their LSOAs, `union: true`), so one boundary set serves neighbourhood and district maps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any, Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from deckgen.data import boundaries, labels
from deckgen.data.frames import filter_rows, records, require_columns, texts, value_text
from deckgen.data.provenance import NOT_REAL_NOTES
from deckgen.errors import DeckError, Problem, did_you_mean, excerpt, listing
from deckgen.kinds.base import Planned, SlideContext, SlideSpec, data_head
from deckgen.layout import mapdata
from deckgen.layout.frame import caption_height, content_title, fitted, notes_with, paragraph
from deckgen.layout.mapdata import MapArea, MapData
from deckgen.layout.plan import Box, ChartPicture, Element, SlidePlan, inches
from deckgen.source import numformat
from deckgen.source.schema import Illustrative, unknown_source

#: What the Open Government Licence asks of anything that shows ONS boundaries (see
#: data/boundaries/README.md); `attribution:` replaces it for other boundaries.
ATTRIBUTION = ("Boundaries: Office for National Statistics, licensed under the Open Government "
               "Licence v.3.0. Contains National Statistics data © Crown copyright and "
               "database right. Contains OS data © Crown copyright and database right.")

Values = Union[str, int, float, list[Union[str, int, float]]]


class Via(BaseModel):
    """A table that translates the boundaries' keys into the data's: e.g. a district's ONS
    code (the boundaries') into its name (the data's)."""

    model_config = ConfigDict(extra="forbid")
    data: str  # the data source holding the table
    key: str  # its column holding the boundaries' key (the `area:` property's values)
    column: str  # its column holding the data's key (the values of the map's `column:`)


class Classes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: mapdata.Method = "quantiles"
    count: int = Field(default=5, ge=2, le=7)  # classes (fewer when values tie)
    breaks: list[float] = Field(default_factory=list)  # with method 'breaks': the inner edges

    @model_validator(mode="after")
    def _given(self) -> "Classes":
        if (self.method == "breaks") != bool(self.breaks):
            raise ValueError("'breaks' lists the inner edges of the classes, with method: "
                             "breaks (and only then)")
        if any(a >= b for a, b in zip(self.breaks, self.breaks[1:])):
            raise ValueError("'breaks' must be increasing")
        return self


class Spec(SlideSpec):
    kind: Literal["map"]
    data: str
    boundaries: str  # a GeoJSON file, or a folder of them (read once per build)
    area: str  # the property that names each area (LSOA11CD)
    column: str  # the data's column that holds the same key ('LSOA code')
    via: Optional[Via] = None  # translate the boundaries' keys to the data's through a table
    name: Optional[str] = None  # the property of an area's display name (LSOA11NM)
    union: bool = False  # features that share `area` are one area, their union (districts)
    # keep only features whose property has this value (or one of these): one district's LSOAs
    only: dict[str, Values] = Field(default_factory=dict)
    outline: Optional[str] = None  # draw the borders of the unions by this property over the map
    outline_name: str = ""  # what those borders are, named in the legend ('Harlow district')
    value: str  # the column of figures to colour by
    where: dict[str, Values] = Field(default_factory=dict)  # the data's rows to use
    classes: Classes = Field(default_factory=Classes)
    colours: Literal["sequential", "diverging"] = "sequential"  # diverging: for a change
    good: Literal["down", "up"] = "down"  # diverging: which way is 'good' (the brand's colour)
    missing: Literal["no data", "zero"] = "no data"  # an area with no row of the data
    highlight: Optional[str] = None  # an area, as the data's `column` names it: outlined
    fade: bool = False  # with highlight: the other areas faded
    top: int = Field(default=0, ge=0, le=10)  # name the N highest areas on the map
    value_format: str = ""  # default '#,##0' for counts, '0.0' otherwise
    value_suffix: str = ""
    unit: Optional[Literal["percent"]] = None
    legend: str = ""  # the legend's title (default: the value column)
    what: str = ""  # what the areas are, for alt text ('LSOA', 'district')
    subtitle: str = ""
    source: Union[Literal[False], str] = ""
    attribution: str = ATTRIBUTION
    illustrative: Illustrative = False

    _format = field_validator("value_format")(numformat.checked)

    @field_validator("fade")
    @classmethod
    def _fade_needs_highlight(cls, fade: bool, info: ValidationInfo) -> bool:
        if fade and info.data.get("highlight") is None:  # highlight is checked before fade
            raise ValueError("'fade: true' fades the areas other than the highlighted one: "
                             "say which with 'highlight:'")
        return fade


def _values(wanted: Values) -> list[str]:
    return [str(v) for v in (wanted if isinstance(wanted, list) else [wanted])]


def resolve(spec: Spec, ctx: SlideContext) -> tuple[MapData, list[Any]]:
    """The areas, joined to the data and classed; and the warnings of the join."""
    store = ctx.data
    df = store.frame(spec.data)
    shown = store.shown(spec.data)
    for field_name, columns in (("column", [spec.column]), ("value", [spec.value]),
                                ("where", list(spec.where))):
        problem = require_columns(df, columns, shown)
        if problem:
            raise ctx.error(problem, field_name)
    try:
        store.numeric_column(spec.data, spec.value)
    except DeckError as exc:  # at the cell, and at the slide's key that reads it
        raise DeckError([*exc.problems, *ctx.error(
            f"'{spec.value}' must hold figures to colour the map by", "value").problems]
                        ) from None
    for column, wanted in spec.where.items():
        values = sorted(set(texts(df, column)))
        for text in _values(wanted):
            if text not in values:
                raise ctx.error(f"'{excerpt(text)}' is not a value of column '{column}' in "
                                f"{shown}; values are: {listing(values)}"
                                f"{did_you_mean(text, values)}", "where", column)
    rows = filter_rows(df, spec.where)
    translate = _via(spec.via, ctx) if spec.via else None
    paths = boundaries.files_of(ctx.asset("boundaries", spec.boundaries), ctx.label,
                                ctx.locate("boundaries"))
    keep = {prop: _values(v) for prop, v in spec.only.items()}
    _check_properties(spec, ctx, paths, keep)
    found = boundaries.areas(paths, spec.area, spec.name, spec.union, keep, ctx.label)
    if found.mixed_names:
        raise ctx.error(f"'{spec.name}' names the features of one area differently (area "
                        f"'{excerpt(found.mixed_names[0])}' of {spec.area}): with 'union: true' "
                        "the area would take its first feature's name; leave 'name' out, or "
                        "name areas by a property their features share", "name")
    every = boundaries.keys(paths, spec.area, ctx.label)
    joined = _joined(spec, ctx, rows, shown, translate, every)
    warnings = joined.warnings
    names = labels.labels(store, spec.data)[0].get(spec.column, {})
    if joined.unmatched:
        unmatched = joined.unmatched
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        warnings.append(ctx.warning(
            f"{len(unmatched)} {'key' if len(unmatched) == 1 else 'keys'} of column "
            f"'{spec.column}' in {shown} {'matches' if len(unmatched) == 1 else 'match'} no "
            f"area of the boundaries (by {spec.area}"
            f"{' through ' + spec.via.data if spec.via else ''}): "
            f"{', '.join(repr(k) for k in unmatched[:5])}{more}; their figures are not on the "
            f"map{_near(unmatched, translate or every)}", "column"))
    matched = set(joined.figures) | joined.blank  # areas of the boundaries with a row
    if not matched & {a.key for a in found.areas}:
        elsewhere = " (some match areas that 'only' leaves out)" if keep and matched else ""
        raise ctx.error(f"no area of the map has a row in {shown}: the keys of '{spec.column}' "
                        f"match none of the areas' {spec.area}{elsewhere}"
                        f"{_near(joined.unmatched, translate or every)}", "column")
    if spec.missing == "zero":
        warnings += _zero_files(found.areas, matched, shown, ctx)
    data_keys = {area: key for key, area in translate.items()} if translate else {}
    areas = []
    for area in found.areas:
        value = joined.figures.get(area.key)
        if value is None and spec.missing == "zero" and area.key not in joined.blank:
            value = 0.0  # no row: none counted (a blank figure stays no data)
        name = area.name if spec.name else str(labels.shown(data_keys.get(area.key, area.key),
                                                            names))
        areas.append((area, name, value))
    present = [v for _, _, v in areas if v is not None]
    if not present:
        raise ctx.error(f"no area of the map has a figure in '{spec.value}' of {shown}: every "
                        "matching row's figure is blank", "value")
    counts = mapdata.is_counts(present)
    fmt = numformat.parse(spec.value_format or (",.0f" if counts else ".1f"))
    in_percent = spec.unit == "percent"
    areas = [(a, name, None if v is None else fmt.as_shown(v, in_percent))
             for a, name, v in areas]
    present = [v for _, _, v in areas if v is not None]
    step = fmt.step(in_percent)
    breaks = mapdata.class_breaks(present, spec.classes.method, spec.classes.count,
                                  spec.classes.breaks, step, counts)
    c = ctx.theme.colours
    zero_class = None
    after_zero = 0.0
    if spec.colours == "diverging":
        breaks = mapdata.with_zero(breaks)
        if spec.classes.method == "quantiles":
            # zeros are a class of their own ("No change"), not in the class from 0
            breaks = mapdata.without_empty(breaks, [v for v in present if v != 0] or present)
        good, bad = c.good, c.bad
        colours = mapdata.diverging(breaks, good if spec.good == "down" else bad,
                                    bad if spec.good == "down" else good)
        if 0 in present and len(set(present)) > 1:  # no change: neither good nor bad
            zero_class = next((i for i in range(len(breaks) - 1) if breaks[i] >= 0),
                              len(breaks) - 1)
            colours = (*colours[:zero_class], mapdata.NO_CHANGE, *colours[zero_class:])
            after_zero = step
    else:
        colours = mapdata.sequential(c.primary, len(breaks) - 1)
        if min(present) < 0 < max(present):
            warnings.append(ctx.warning(
                f"'{spec.value}' has falls and rises (from {min(present):g} to "
                f"{max(present):g}) on one colour ramp, so a class can mix them; for a change "
                "say 'colours: diverging'", "value"))
    shaped = MapData((), found.digest, breaks, colours, (), spec.legend or spec.value,
                     value_format=fmt.written, value_suffix=spec.value_suffix,
                     in_percent=in_percent, minus=ctx.theme.brand.minus, zero_class=zero_class)
    legend = mapdata.legend_labels(breaks, shaped.label, counts and not spec.value_format,
                                   open_ends=spec.classes.method == "breaks",
                                   after_zero=after_zero, step=step)
    if zero_class is not None:
        legend = (*legend[:zero_class], "No change", *legend[zero_class:])
    drawn = tuple(MapArea(a.key, name, v, -1 if v is None else shaped.klass(v),
                          a.rings, a.label_at, a.size) for a, name, v in areas)
    chosen = None
    if spec.highlight is not None:  # named as the data names it
        chosen = translate.get(spec.highlight) if translate is not None else spec.highlight
        if chosen not in {a.key for a in drawn}:
            keys = sorted(data_keys.get(a.key, a.key) for a in drawn)
            why = " ('only' leaves it out)" if chosen in every else ""
            raise ctx.error(f"highlight '{excerpt(spec.highlight)}' is not an area of the map"
                            f"{why} (by '{spec.column}'); areas are: {listing(keys)}"
                            f"{'' if why else did_you_mean(spec.highlight, keys)}", "highlight")
    outline: tuple[mapdata.Ring, ...] = ()
    if spec.outline:
        outline = tuple(r for a in boundaries.areas(paths, spec.outline, None, True, keep,
                                                    ctx.label).areas for r in a.rings)
    # the highest areas named; none with no count (a '0' is nothing to point at)
    ranked = sorted((a for a in drawn if a.value is not None and not (counts and a.value == 0)),
                    key=lambda a: (-(a.value or 0.0), a.name))
    return replace(shaped, areas=drawn, legend=legend, highlight=chosen,
                   fade=spec.fade, outline=outline, outline_name=spec.outline_name,
                   labelled=tuple(a.key for a in ranked[:spec.top]),
                   what=spec.what, subtitle=spec.subtitle, emphasis=c.text), warnings


def _check_properties(spec: Spec, ctx: SlideContext, paths: list[Any],
                      keep: dict[str, list[str]]) -> None:
    """The properties the slide names exist in the boundaries, and `only`'s values among
    theirs: a slip of the outline is an error at its key, not at a feature of a file."""
    have = sorted(boundaries.property_names(paths, ctx.label))
    named: list[tuple[tuple[str, ...], Optional[str]]] = [
        (("area",), spec.area), (("name",), spec.name), (("outline",), spec.outline),
        *((("only", prop), prop) for prop in keep)]
    for at, prop in named:
        if prop is not None and prop not in have:
            raise ctx.error(f"no feature of the boundaries has a property '{excerpt(prop)}'; "
                            f"their properties are: {', '.join(have)}"
                            f"{did_you_mean(prop, have)}", *at)
    for prop, wanted in keep.items():
        values = sorted(boundaries.keys(paths, prop, ctx.label))
        for value in wanted:
            if value not in values:
                raise ctx.error(f"no feature of the boundaries has {prop} '{excerpt(value)}'; "
                                f"its values are: {listing(values)}"
                                f"{did_you_mean(value, values)}", "only", prop)


def _via(via: Via, ctx: SlideContext) -> dict[str, str]:
    """The data's key of each boundary key, from the table `via` names."""
    store = ctx.data
    if via.data not in store.specs:
        raise ctx.error(unknown_source(via.data, store.specs), "via", "data")
    df = store.frame(via.data)
    shown = store.shown(via.data)
    for field_name in ("key", "column"):
        problem = require_columns(df, [getattr(via, field_name)], shown)
        if problem:
            raise ctx.error(problem, "via", field_name)
    out: dict[str, str] = {}
    for row in records(df):
        key, value = value_text(row[via.key]), value_text(row[via.column])
        if key is None or value is None:
            continue
        if str(value) in out:
            raise ctx.error(f"'{excerpt(value)}' is in column '{via.column}' of {shown} twice: "
                            "each of the data's keys must stand for one area", "via", "column")
        out[str(value)] = str(key)
    return out


@dataclass(frozen=True)
class Joined:
    figures: dict[str, float]  # each area key's figure
    blank: set[str]  # the area keys whose row has no figure (blank, or not finite)
    unmatched: list[str]  # the data's keys that match no area
    warnings: list[Any]


def _zero_files(areas: Any, matched: set[str], shown: str, ctx: SlideContext
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
    return [ctx.warning(
        f"no area of {len(empty)} of the {len(files)} boundary files has a row in {shown} "
        f"({', '.join(PurePath(f).name for f in empty[:3])}{more}), so with 'missing: zero' "
        "every area of them is drawn as 0: if the data covers only part of the map, keep the "
        "map to it with 'only:' (or name those files in 'boundaries:')", "missing")]


def _near(unmatched: list[str], keys: Any) -> str:
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


def _joined(spec: Spec, ctx: SlideContext, rows: Any, shown: str,
            translate: Optional[dict[str, str]], every: frozenset[str]) -> Joined:
    """The data's rows joined to the areas by key."""
    figures: dict[str, float] = {}
    unmatched: list[str] = []
    not_finite: list[str] = []
    for line, row in zip(list(rows.index), records(rows)):
        raw = value_text(row[spec.column])
        key = "(blank)" if raw is None else str(raw)
        area = translate.get(key) if translate is not None else key
        if area is None or area not in every:
            unmatched.append(key)
            continue
        if area in figures or area in not_finite:
            raise DeckError.single(
                f"'{excerpt(key)}' has more than one row in {shown}: a map "
                f"shows one figure per area; group the rows by '{spec.column}' first (a "
                "'group:' step) or filter them with 'where:'",
                ctx.data.cell(spec.data, int(line), spec.column), ctx.label)
        value = row[spec.value]
        if value is None or not math.isfinite(float(value)):
            not_finite.append(area)
            continue
        figures[area] = float(value)
    warnings = []
    if not_finite:
        warnings.append(ctx.warning(
            f"'{spec.value}' is blank or not a finite number for {len(not_finite)} "
            f"{'area' if len(not_finite) == 1 else 'areas'} ({', '.join(not_finite[:5])}"
            f"{'…' if len(not_finite) > 5 else ''}): shown as no data", "value"))
    return Joined(figures, set(not_finite), sorted(set(unmatched)), warnings)


def plan(spec: Spec, ctx: SlideContext) -> Planned:
    data, warnings = resolve(spec, ctx)
    head = data_head(ctx, spec.data, spec.source, spec.subtitle, spec.illustrative)
    not_real, source, top = head.not_real, head.source, head.top
    theme, c = ctx.theme, ctx.theme.colours
    area = theme.content
    elements: list[Element] = list(head.elements)
    credit = spec.attribution.strip()
    credit_h, source_h = caption_height(credit, theme), caption_height(source, theme)
    bottom = area.bottom - source_h - credit_h
    alt = mapdata.alt_text(data)
    if not_real:
        alt = f"{not_real.capitalize()} data, not real figures. " + alt
    elements.append(ChartPicture(Box(area.x, top, area.w, bottom - top), data, alt, "Map"))
    if source:
        elements.append(fitted(Box(area.x, bottom + inches(0.05), area.w,
                                   source_h - inches(0.05)),
                               [paragraph(source, theme.caption_size, c.muted)], "Source"))
    if credit:
        elements.append(fitted(Box(area.x, bottom + source_h + inches(0.05), area.w,
                                   credit_h - inches(0.05)),
                               [paragraph(credit, theme.caption_size, c.muted)], "Attribution"))
    warnings = head.warnings + warnings
    notes = notes_with(spec.notes, NOT_REAL_NOTES.get(not_real, ""),
                       f"Map description: {alt}", credit)
    return Planned([SlidePlan(content_title(spec.title, theme), elements, notes)], warnings)
