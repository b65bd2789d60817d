"""Boundary files (GeoJSON) read once, checked, and turned into the areas a map draws.

Each file is read and checked once per process (memoised by path, size and mtime), so a build
or a batch of district decks parses the force's 1,077 LSOAs once. What a map gets is plain
data: each area's key, name, rings in a north-up plane (longitude scaled by the cosine of the
middle latitude, so shapes are not stretched) simplified to about a pixel, and the point its
label goes at. A polygon's outer ring runs anticlockwise and its holes clockwise, so a
renderer filling by the winding rule leaves the holes open: an LSOA inside another shows its
own colour (or its "no data" hatching), not the colour of the one around it. Areas that share
a key (the LSOAs of one district) are one area, the union of their polygons, done by shapely
(robust unions and repairs of invalid rings).

A file is checked before json and shapely see it (geojsoncheck.py: its size, nesting, values
and every feature's coordinates), and the files of one map hold at most MAX_MAP_POINTS. Each
refusal names the file, the feature (its number and name) and the ring and point.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from deckgen.data import geojsoncheck
from deckgen.errors import DeckError, Location, did_you_mean, excerpt, listing, shown_path

#: Names of the coordinate system of longitude and latitude (GeoJSON's default, RFC 7946).
LONLAT = "longitude/latitude (CRS84)"
_LONLAT_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326",
                 "crs84", "ogc:crs84", "urn:ogc:def:crs:ogc::crs84"}
#: How many tolerances fit across a map's longer side: simplified to about a pixel of a
#: full-slide picture at the charts' 200 dpi.
DETAIL = 2500
#: What the areas' geometry is made of, in the memo (and so the chart cache's key): 2 since
#: holes are kept.
_GEOMETRY = 2

#: Points in all the files of one map (each file is held while the map is made; a force's
#: 1,077 LSOAs, generalised, are about 200,000).
MAX_MAP_POINTS = 2_000_000
_FEATURE = re.compile(r'"type"\s*:\s*"Feature"')

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Feature:
    index: int  # its place in the file's features (0-based)
    properties: dict[str, Any]
    geometry: Any  # a shapely (Multi)Polygon, made valid


@dataclass(frozen=True)
class BoundaryFile:
    path: Path
    shown: str
    crs: str
    features: tuple[Feature, ...]
    digest: str  # sha256 of the file's bytes
    places: tuple[tuple[int, int], ...]  # each feature's (line, column), for messages
    points: int = 0

    def where(self, feature: int) -> Location:
        """The location of a feature in the file: its `"type": "Feature"` member."""
        if 0 <= feature < len(self.places):
            return Location(self.shown, *self.places[feature])
        return Location(self.shown)


@dataclass(frozen=True)
class Area:
    """One area of a map: its key (the property it is joined on), its name, its rings in the
    map's plane (each polygon's outer ring anticlockwise, then its holes clockwise; the largest
    polygon first) and where its label goes."""

    key: str
    name: str
    rings: tuple[Ring, ...]
    label_at: tuple[float, float]
    size: float  # its area in the map's plane, for drawing order
    file: str = ""  # the boundary file it is in (its first feature's), as messages show it


@dataclass(frozen=True)
class AreaSet:
    areas: tuple[Area, ...]
    digest: str  # what decides the geometry: the files' bytes and how they were selected
    files: tuple[str, ...]
    # with `union`: the areas whose features are named differently (a district named by its
    # LSOAs' names would take its first LSOA's name)
    mixed_names: tuple[str, ...] = ()


_READ: "OrderedDict[tuple[str, int, int], BoundaryFile]" = OrderedDict()
_AREAS: "OrderedDict[str, AreaSet]" = OrderedDict()
_LIMIT = 64


def read(path: Path, context: str = "") -> BoundaryFile:
    """The checked boundary file at `path`, read once per process while it is unchanged."""
    try:
        st = path.stat()
    except OSError:
        raise DeckError.single("the boundary file does not exist", Location(shown_path(path)),
                               context) from None
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    found = _READ.get(key)
    if found is None:
        found = _parse(path, context)
        _READ[key] = found
        while len(_READ) > _LIMIT or sum(f.points for f in _READ.values()) > MAX_MAP_POINTS:
            _READ.popitem(last=False)
    return found


def _read_all(paths: Sequence[Path], context: str) -> list[BoundaryFile]:
    """The map's boundary files, refused once their points pass MAX_MAP_POINTS together (each
    file is held while the map is made)."""
    files, points = [], 0
    for path in paths:
        files.append(read(path, context))
        points += files[-1].points
        if points > MAX_MAP_POINTS:
            raise DeckError.single(
                f"the map's boundary files are too detailed: together they have more than "
                f"{MAX_MAP_POINTS:,} points ({len(files)} of {len(paths)} files read); name "
                "fewer files, or simplify them (e.g. mapshaper -simplify 10%)",
                Location(files[-1].shown), context)
    return files


def _parse(path: Path, context: str) -> BoundaryFile:
    """The file read and checked (geojsoncheck.py: its size, nesting and values before json
    parses it, then each feature's coordinates before shapely sees them), and each feature
    made a geometry with an area; a refusal at a feature is located at it."""
    shown = shown_path(path)
    raw, text, doc = geojsoncheck.collection(path, shown, context)
    crs = _crs(doc)
    partial = BoundaryFile(path, shown, crs, (), "", _places(text))
    features = []
    points = 0
    for i, item in enumerate(doc["features"]):
        props = item.get("properties") if isinstance(item, dict) else None
        props = props if isinstance(props, dict) else {}
        feature = _Named(i, props)
        try:
            polygons = _coordinates(item, feature)
            points += sum(len(ring) for polygon in polygons for ring in polygon)
            if points > geojsoncheck.MAX_POINTS:
                raise _Refused(geojsoncheck.too_detailed(
                    f"more than {geojsoncheck.MAX_POINTS:,}"))
            features.append(Feature(i, props, _geometry(polygons, feature, crs)))
        except _Refused as e:
            raise DeckError.single(e.why, partial.where(i), context) from None
    if not features:
        raise DeckError.single("the boundary file has no features: no areas to draw",
                               Location(shown, 1, 1), context)
    return BoundaryFile(path, shown, crs, tuple(features), hashlib.sha256(raw).hexdigest(),
                        partial.places, points)


class _Refused(Exception):
    """A feature refused, saying why; _parse locates it at the feature."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _coordinates(item: Any, feature: "_Named") -> list[list[Any]]:
    """A feature's polygons as rings of points, checked (geojsoncheck.polygons): a map draws
    areas, so a point, a line or a feature with no geometry is refused, by what it is."""
    geometry = item.get("geometry") if isinstance(item, dict) else None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        what = (f"is a {excerpt(kind)}" if isinstance(kind, str) and kind else
                "is a feature with no geometry" if geometry is None else
                "has a geometry of no type GeoJSON knows")
        raise _Refused(f"{feature} {what}, not an area: a map's boundaries are Polygons or "
                       "MultiPolygons")
    assert isinstance(geometry, dict)
    try:
        return geojsoncheck.polygons(geometry.get("coordinates"), kind == "MultiPolygon")
    except geojsoncheck.NotAPolygon as e:
        raise _Refused(f"{feature}'s coordinates {e.why}") from None


def _geometry(polygons: list[list[Any]], feature: "_Named", crs: str) -> Any:
    """The feature's shapely geometry, repaired if its rings cross (make_valid), refused if it
    is empty, has no area, or is in metres where longitude and latitude were promised (a
    GeoJSON file without a 'crs' saved from a national grid)."""
    import shapely

    geom = shapely.Polygon(polygons[0][0], polygons[0][1:]) if len(polygons) == 1 else \
        shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in polygons])
    if geom.is_empty:
        raise _Refused(f"{feature} has an empty geometry")
    if crs == LONLAT:
        x0, y0, x1, y1 = geom.bounds
        if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
            raise _Refused(f"{feature}'s coordinates ({x0:.0f}, {y0:.0f}) are not longitude "
                           "and latitude, which a GeoJSON file without a 'crs' must use: they "
                           "look like metres (British National Grid?); export the file as WGS "
                           "84 / CRS84, or declare its 'crs'")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if not _polygons(geom):
        raise _Refused(f"{feature} has no area: its rings are lines (their points lie on one "
                       "line)")
    return geom


def _places(text: str) -> tuple[tuple[int, int], ...]:
    """Where each feature's `"type": "Feature"` member is (line, column), for messages."""
    places = []
    line, last, line_start = 1, 0, 0
    for found in _FEATURE.finditer(text):
        at = found.start()
        newlines = text.count("\n", last, at)
        if newlines:  # (only then look back: one long line of features stays linear)
            line += newlines
            line_start = text.rfind("\n", last, at) + 1
        last = at
        places.append((line, at - line_start + 1))
    return tuple(places)


class _Named:
    """How messages name a feature: 'feature 3 (Southend-on-Sea 003A)', by its number and its
    name, else its code (an LSOA's LSOA11NM, else LSOA11CD); worked out only for a message."""

    def __init__(self, index: int, props: dict[str, Any]) -> None:
        self.index, self.props = index, props

    def __str__(self) -> str:
        for ends in (("nm", "name"), ("cd", "code", "id")):
            for key, value in self.props.items():
                if key.lower().endswith(ends) and isinstance(value, (str, int)) and \
                        not isinstance(value, bool) and str(value).strip():
                    return f"feature {self.index + 1} ({excerpt(str(value).strip())})"
        return f"feature {self.index + 1}"


def _crs(doc: dict[str, Any]) -> str:
    """The file's coordinate system, by name (excerpted: messages show it): GeoJSON's default
    is longitude/latitude."""
    crs = doc.get("crs")
    if crs is None:
        return LONLAT
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and \
        isinstance(crs.get("properties"), dict) else None
    if not isinstance(name, str):
        return excerpt(crs, 80)
    return LONLAT if name.strip().lower() in _LONLAT_NAMES else excerpt(name.strip(), 80)


def files_of(path: Path, context: str, where: Optional[Location]) -> list[Path]:
    """The boundary files a map's `boundaries:` names: the file, or every .geojson/.json file
    of the folder, in name order."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in (".geojson", ".json"))
        if not found:
            raise DeckError.single(f"the folder {shown_path(path)} has no .geojson files",
                                   where, context)
        return found
    if not path.exists():
        near = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
        raise DeckError.single(f"the boundary file or folder {shown_path(path)} does not exist"
                               f"{did_you_mean(path.name, near)}", where, context)
    return [path]


def property_names(paths: Sequence[Path], context: str) -> frozenset[str]:
    """Every property name of the boundary files' features: a map's `area`, `name`,
    `outline` or `only` that names none of them is a slip of the outline, not of the files."""
    return frozenset(p for file in _read_all(paths, context) for f in file.features
                     for p in f.properties)


def areas(paths: Sequence[Path], key: str, name: Optional[str], union: bool,
          keep: dict[str, list[str]], context: str) -> AreaSet:
    """The areas of the boundary files: features whose properties match `keep` (property ->
    values), by their property `key`, named by property `name` (default: the key). Features
    sharing a key are one area, their union, only with `union` (else an error: an LSOA code
    twice is a broken file, not a district). Memoised per process."""
    files = _read_all(paths, context)
    crs = {f.crs for f in files}
    if len(crs) > 1:
        first = files[0]
        other = next(f for f in files if f.crs != first.crs)
        raise DeckError.single(
            f"the boundary files mix coordinate systems: {first.shown} is in {first.crs}, "
            f"{other.shown} in {other.crs}; export them all in one (WGS 84 / CRS84)",
            Location(other.shown), context)
    memo = hashlib.sha256(json.dumps([[f.digest for f in files], key, name, union,
                                      sorted(keep.items()), DETAIL, _GEOMETRY]).encode()
                          ).hexdigest()
    found = _AREAS.get(memo)
    if found is None:
        found = _areas(files, key, name, union, keep, context, memo)
        _AREAS[memo] = found
        while len(_AREAS) > _LIMIT:
            _AREAS.popitem(last=False)
    return found


def _without_slivers(geom: Any, tolerance: float) -> Any:
    """The geometry with its holes smaller than a tolerance square closed: such a hole is a
    sliver left where neighbouring areas' borders do not quite meet in their union (a district
    from its LSOAs), not a place. Closed before simplifying, which would widen a sliver into a
    visible triangle."""
    import shapely

    def kept(polygon: Any) -> Any:
        holes = [ring for ring in polygon.interiors
                 if shapely.Polygon(ring).area > tolerance * tolerance]
        return shapely.Polygon(polygon.exterior, holes)

    return shapely.MultiPolygon([kept(p) for p in _polygons(geom)])


def _polygons(geom: Any) -> list[Any]:
    """The polygons of a geometry, however nested (a repair can give a collection of polygons
    and lines; lines have no area to draw)."""
    if geom.geom_type == "Polygon":
        return [] if geom.is_empty else [geom]
    return [p for part in getattr(geom, "geoms", []) for p in _polygons(part)]


def _rings(polygon: Any) -> list[Any]:
    """A polygon's outer ring, anticlockwise, and its holes, clockwise."""
    from shapely.geometry.polygon import orient

    shaped = orient(polygon, sign=1.0)
    return [shaped.exterior, *shaped.interiors]


def _ring(ring: Any) -> Ring:
    return tuple((round(x, 7), round(y, 7)) for x, y in ring.coords)


def keys(paths: Sequence[Path], key: str, context: str) -> frozenset[str]:
    """Every value of property `key` in the boundary files (whatever a map keeps): a data key
    outside these matches no area anywhere, which is worth a warning."""
    files = _read_all(paths, context)
    return frozenset(str(f.properties[key]).strip() for file in files for f in file.features
                     if f.properties.get(key) is not None)


def _areas(files: list[BoundaryFile], key: str, name: Optional[str], union: bool,
           keep: dict[str, list[str]], context: str, digest: str) -> AreaSet:
    import shapely

    groups: dict[str, list[Any]] = {}
    names: dict[str, str] = {}
    mixed: set[str] = set()
    seen: dict[str, tuple[BoundaryFile, int]] = {}
    home: dict[str, str] = {}
    for file in files:
        for feature in file.features:
            props = feature.properties
            for prop in [key, *([name] if name else []), *keep]:
                if prop not in props or props[prop] is None or str(props[prop]).strip() == "":
                    raise DeckError.single(
                        f"feature {feature.index + 1} has no property '{prop}'; its "
                        f"properties are: {listing(sorted(props))}", file.where(feature.index),
                        context)
            if any(str(props[p]) not in values for p, values in keep.items()):
                continue
            value = str(props[key]).strip()
            if value in seen and not union:
                before, at = seen[value]
                raise DeckError.single(
                    f"feature {feature.index + 1} has the same {key} as feature {at + 1} of "
                    f"{before.shown} ('{excerpt(value)}'): to draw areas that are the union of "
                    "several features (districts from their LSOAs), set 'union: true'",
                    file.where(feature.index), context)
            seen.setdefault(value, (file, feature.index))
            home.setdefault(value, file.shown)
            groups.setdefault(value, []).append(feature.geometry)
            shown = str(props[name]).strip() if name else value
            if names.setdefault(value, shown) != shown:
                mixed.add(value)
    if not groups:
        wanted = "; ".join(f"{p} in {listing(v)}" for p, v in keep.items())
        raise DeckError.single(f"no feature of the boundary files has {wanted}",
                               Location(files[0].shown), context)
    merged = {k: (shapely.union_all(g) if len(g) > 1 else g[0]) for k, g in groups.items()}
    bounds = shapely.total_bounds(list(merged.values()))
    middle = math.cos(math.radians((bounds[1] + bounds[3]) / 2)) \
        if files[0].crs == LONLAT else 1.0
    width, height = (bounds[2] - bounds[0]) * middle, bounds[3] - bounds[1]
    tolerance = max(width, height) / DETAIL
    out = []
    for k, geom in merged.items():
        flat = shapely.transform(geom, lambda xy: xy * (middle, 1.0))
        simple = shapely.simplify(_without_slivers(flat, tolerance), tolerance,
                                  preserve_topology=True)
        polygons = sorted(_polygons(simple), key=lambda p: -p.area)
        rings = tuple(_ring(ring) for p in polygons for ring in _rings(p))
        point = flat.point_on_surface()
        out.append(Area(k, names[k], rings, (point.x, point.y), float(flat.area), home[k]))
    out.sort(key=lambda a: a.key)
    return AreaSet(tuple(out), digest, tuple(f.shown for f in files), tuple(sorted(mixed)))
