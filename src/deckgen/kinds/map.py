"""`map`: a choropleth of a data source's figures over boundary files (GeoJSON), in brand
colours, with a legend that states its classes and alt text written from the data.

Each area is joined to one row of the data by a key (an LSOA code, a district's code or name);
a data key that matches no area is a warning that lists a few of them, a key twice in the data
is an error (never a guessed sum). Areas that share a key are drawn as their union (districts
from their LSOAs, `union: true`), so one boundary set serves neighbourhood and district maps.
The join and the figures are computed in the data stage (data/mapareas.py), and the classes
(data/mapclasses.py); this module declares the keys, colours the classes, writes the legend
and lays the map out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from deckgen.data import mapareas, mapclasses
from deckgen.data.provenance import NOT_REAL_NOTES
from deckgen.data.slide import Wanted
from deckgen.errors import Problem
from deckgen.kinds.base import Planned, SlideContext, SlideSpec, data_head
from deckgen.layout import mapdata
from deckgen.layout.frame import caption_height, content_title, fitted, notes_with, paragraph
from deckgen.layout.mapdata import MapArea, MapData
from deckgen.layout.plan import Box, ChartPicture, Element, SlidePlan, inches
from deckgen.layout.theme import Theme
from deckgen.source import numformat
from deckgen.source.noise import MARKERS, ChangeSpec, Level
from deckgen.source.schema import Illustrative

#: What the Open Government Licence asks of anything that shows ONS boundaries (see
#: data/boundaries/README.md); `attribution:` replaces it for other boundaries.
ATTRIBUTION = ("Boundaries: Office for National Statistics, licensed under the Open Government "
               "Licence v.3.0. Contains National Statistics data © Crown copyright and "
               "database right. Contains OS data © Crown copyright and database right.")


class Via(BaseModel):
    """A table that translates the boundaries' keys into the data's: e.g. a district's ONS
    code (the boundaries') into its name (the data's)."""

    model_config = ConfigDict(extra="forbid")
    data: str = Field(description="the data source holding the table")
    key: str = Field(
        description="its column holding the boundaries' key (the `area:` property's values)")
    column: str = Field(
        description="its column holding the data's key (the values of the map's `column:`)")


class Names(BaseModel):
    """A table of readable names for the areas, by the boundaries' key: e.g. an LSOA's
    neighbourhood name by its code."""

    model_config = ConfigDict(extra="forbid")
    data: str = Field(description="the data source holding the table")
    key: str = Field(
        description="its column holding the boundaries' key (the `area:` property's values)")
    column: str = Field(description="its column holding the readable name")


class Classes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: mapclasses.Method = "natural"
    count: int = Field(default=5, ge=2, le=7, description="classes (fewer when values tie)")
    breaks: list[float] = Field(
        default_factory=list,
        description="with method 'breaks': the inner edges")

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
    boundaries: str = Field(description="a GeoJSON file, or a folder of them (read once per build)")
    area: str = Field(description="the property that names each area (LSOA11CD)")
    column: str = Field(description="the data's column that holds the same key ('LSOA code')")
    via: Optional[Via] = Field(
        default=None,
        description="translate the boundaries' keys to the data's through a table")
    name: Optional[str] = Field(
        default=None,
        description="the property of an area's display name (LSOA11NM)")
    union: bool = Field(
        default=False,
        description="features that share `area` are one area, their union (districts)")
    only: dict[str, Wanted] = Field(
        default_factory=dict,
        description="keep only features whose property has this value (or one of these): one "
                    "district's LSOAs")
    outline: Optional[str] = Field(
        default=None,
        description="draw the borders of the unions by this property over the map")
    outline_name: str = Field(
        default="",
        description="what those borders are, named in the legend ('Harlow district')")
    value: str = Field(description="the column of figures to colour by")
    where: dict[str, Wanted] = Field(default_factory=dict, description="the data's rows to use")
    classes: Classes = Field(default_factory=Classes)
    colours: Literal["sequential", "diverging"] = Field(
        default="sequential",
        description="diverging: for a change")
    good: Literal["down", "up"] = Field(
        default="down",
        description="diverging: which way is 'good' (the brand's colour)")
    missing: Literal["no data", "zero"] = Field(
        default="no data",
        description="an area with no row of the data")
    labels: Literal["auto", "names", "none"] = Field(
        default="auto",
        description="name the areas on the map: 'auto' names them when there are at most 20 "
                    "(districts)")
    names: Optional[Names] = Field(
        default=None,
        description="readable names by the boundaries' key, shown with the code")
    change: Optional[ChangeSpec] = Field(
        default=None,
        description="the two counts of a change: areas beyond normal (Poisson) variation are "
                    "hatched")
    highlight: Optional[str] = Field(
        default=None,
        description="an area, as the data's `column` names it: outlined")
    fade: bool = Field(default=False, description="with highlight: the other areas faded")
    top: int = Field(default=0, ge=0, le=10, description="name the N highest areas on the map")
    value_format: str = Field(default="", description="default '#,##0' for counts, '0.0' otherwise")
    value_suffix: str = ""
    unit: Optional[Literal["percent"]] = None
    legend: str = Field(default="", description="the legend's title (default: the value column)")
    what: str = Field(
        default="",
        description="what the areas are, for alt text ('LSOA', 'district')")
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


def resolve(spec: Spec, ctx: SlideContext) -> tuple[MapData, list[Problem]]:
    """The areas joined to the data (data/mapareas.py), classed (data/mapclasses.py) and
    coloured; and what the join found."""
    found = mapareas.map_figures(ctx, spec, ctx.asset("boundaries", spec.boundaries))
    values = [a.value for a in found.areas if a.value is not None]
    classes = mapclasses.classes(values, spec.classes.method, spec.classes.count,
                                 spec.classes.breaks, found.step, found.counts,
                                 spec.colours == "diverging")
    warnings = [*found.warnings, *_one_ramp(spec, values, ctx)]
    c = ctx.theme.colours
    shaped = MapData((), found.geometry, classes.breaks, _colours(spec, classes, ctx.theme), (),
                     _legend_title(spec, found.counts), value_format=found.value_format,
                     value_suffix=spec.value_suffix, in_percent=spec.unit == "percent",
                     minus=ctx.theme.brand.minus, zero_class=classes.zero_class)
    legend = mapdata.legend_labels(classes.breaks, shaped.label,
                                   found.counts and not spec.value_format,
                                   open_ends=spec.classes.method == "breaks",
                                   after_zero=classes.after_zero, step=found.step)
    if classes.zero_class is not None:
        legend = (*legend[:classes.zero_class], "No change", *legend[classes.zero_class:])
    drawn = tuple(MapArea(a.key, a.name, a.value, -1 if a.value is None else shaped.klass(a.value),
                          a.rings, a.label_at, a.size, a.mark) for a in found.areas)
    named = spec.labels == "names" or (spec.labels == "auto" and len(drawn) <= AUTO_NAMES)
    return replace(shaped, areas=drawn, legend=legend, highlight=found.highlight,
                   named=named, mark_legend=_mark_legend(spec, drawn),
                   fade=spec.fade, outline=found.outline, outline_name=spec.outline_name,
                   labelled=found.labelled, what=spec.what, subtitle=spec.subtitle,
                   emphasis=c.text), warnings


def _legend_title(spec: Spec, counts: bool) -> str:
    """What is mapped; a map of counts says so (a count follows the size of an area's
    population, so a reader must not take it for a rate), unless its title already does."""
    title = spec.legend or spec.value
    said = any(w in title.casefold() for w in ("count", "number", "per ", "rate", "%"))
    return f"{title} (counts, not rates)" if counts and spec.unit is None and not said \
        else title


#: A map of at most this many areas names them all by default (`labels: auto`): districts.
AUTO_NAMES = 20


def _mark_legend(spec: Spec, areas: tuple[MapArea, ...]) -> tuple[tuple[str, str], ...]:
    """The legend's lines for the hatching of changes beyond normal variation: the levels the
    map shows, or a line saying none is (with `change:`)."""
    if spec.change is None:
        return ()
    limits = {"significant": spec.change.significant, "notable": spec.change.notable}
    levels: tuple[Level, ...] = ("significant", "notable")
    shown = [lv for lv in levels if any(a.mark == lv for a in areas)]
    if not shown:
        return (("", "No change beyond normal variation"),)
    return tuple((lv, f"{MARKERS[lv]} {lv.capitalize()} change (|z| \u2265 {limits[lv]:g})")
                 for lv in shown)


def _colours(spec: Spec, classes: mapclasses.MapClasses, theme: Theme) -> tuple[str, ...]:
    """Each class's colour: a ramp of the brand's colour; or, for a change, the brand's good
    and bad colours either side of zero, and pale yellow for no change."""
    c = theme.colours
    if spec.colours != "diverging":
        return mapdata.sequential(c.primary, len(classes.breaks) - 1)
    good, bad = c.good, c.bad
    colours = mapdata.diverging(classes.breaks, good if spec.good == "down" else bad,
                                bad if spec.good == "down" else good, classes.magnitudes)
    if classes.zero_class is None:
        return colours
    return (*colours[:classes.zero_class], mapdata.NO_CHANGE, *colours[classes.zero_class:])


def _one_ramp(spec: Spec, values: list[float], ctx: SlideContext) -> list[Problem]:
    """Falls and rises on one colour ramp (not 'diverging'): a class can mix them."""
    if spec.colours == "diverging" or not min(values) < 0 < max(values):
        return []
    return [ctx.warning(
        f"'{spec.value}' has falls and rises (from {min(values):g} to {max(values):g}) on one "
        "colour ramp, so a class can mix them; for a change say 'colours: diverging'",
        "value")]


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
