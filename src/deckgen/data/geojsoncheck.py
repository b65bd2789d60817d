"""A boundary file (GeoJSON) checked before json and shapely see it, so no file can exhaust memory.

A map's boundaries may come from anyone, and json and shapely spend whatever a file asks: json
holds every value as a Python object and recurses on its nesting, and shapely (GEOS) takes any
number of rings and points, and NaN or 1e300 as a coordinate. So each step is checked before it
is taken, with named limits a real boundary file stays far below: the file is a regular file of
at most MAX_BYTES; its values are counted (MAX_POINTS) and its nesting measured (MAX_DEPTH)
around json's parse; every feature's coordinates are checked as arrays (at most MAX_RINGS rings
to a polygon, finite numbers within MAX_COORDINATE, at least 3 different points to a ring).
Each refusal names the file, and where in it: a coordinates refusal (NotAPolygon) names the ring
and the point, and boundaries.py adds the feature. The files of one map together (their points
held while the map is made, MAX_MAP_POINTS) are counted in boundaries.py, which holds them.

xlsxcheck.py does the same for a workbook, before openpyxl reads it.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from deckgen.errors import DeckError, Location, excerpt

if TYPE_CHECKING:
    import numpy as np

#: A boundary file larger than this is refused before it is read (json holds it in memory
#: several times over).
MAX_BYTES = 50_000_000
#: JSON nesting: a MultiPolygon's point is 8 deep in its FeatureCollection.
MAX_DEPTH = 32
#: Points in one file (a force's 1,077 LSOAs, generalised, are about 200,000).
MAX_POINTS = 1_000_000
#: Rings of one polygon: its outline and its holes.
MAX_RINGS = 10_000
#: No coordinate is larger (a national grid's metres are below 10 million).
MAX_COORDINATE = 1e9
_VALUES_PER_POINT = 3
_SMALL_RING = 64  # longer rings are checked as arrays
_AGAIN = "remove the feature, or export the boundaries again from the map software"
_SHAPE = "are not a polygon's (rings of [x, y] pairs)"
_JSON_NAMES = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_PAIR = re.compile(r"\[\]|\{\}")
_ONLY_BRACKETS = {c: None for c in range(128) if chr(c) not in "[]{}"}

#: Makes the DeckError of a refusal at (line, column) of the file, 0 where unknown.
Refuse = Callable[..., DeckError]


def collection(path: Path, shown: str, context: str) -> tuple[bytes, str, dict[str, Any]]:
    """The file's bytes, its text and its FeatureCollection, each checked before the next step
    costs what the file asks: the bytes (a regular file, at most MAX_BYTES), the text (UTF-8
    JSON, which starts with '{'), how many values json would make of it (MAX_POINTS), its
    nesting (MAX_DEPTH), and that it is a FeatureCollection. Its features' coordinates are
    checked one by one (polygons), by the caller, which names each feature."""

    def fail(message: str, line: int = 0, column: int = 0) -> DeckError:
        return DeckError.single(message, Location(shown, line, column), context)

    raw = _bytes(path, shown, context)
    text = _text(raw, fail)
    # every JSON value but the first follows a comma or opens an array or object: json would
    # hold each as a Python object, so they are counted first (three to a point)
    values = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if values > _VALUES_PER_POINT * MAX_POINTS:
        raise fail(too_detailed(f"about {values // _VALUES_PER_POINT:,}"))
    doc = _json(text, fail)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or \
            not isinstance(doc.get("features"), list):
        what = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise fail(f"this is not a GeoJSON FeatureCollection (its type is "
                   f"'{excerpt(what)}'); a boundary file holds a FeatureCollection of "
                   "polygons, one feature per area", 1, 1)
    return raw, text, doc


def _bytes(path: Path, shown: str, context: str) -> bytes:
    """The file's bytes: a regular file (a FIFO or device would block or never end) of at
    most MAX_BYTES, read no further than that."""
    try:
        # not blocking on open: a FIFO would wait for a writer for ever
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) |
                     getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DeckError.single("the boundary file is not a file (a device, a pipe or "
                                       "a folder); name a .geojson file", Location(shown),
                                       context)
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DeckError.single(f"cannot read the boundary file: {exc.strerror}",
                               Location(shown), context) from None
    if len(raw) > MAX_BYTES:
        raise DeckError.single(
            f"the boundary file is larger than {MAX_BYTES / 1e6:,.0f} MB, more than deckgen "
            "reads: simplify it (e.g. mapshaper -simplify 10%), or use generalised boundaries "
            "(the ONS's 'BGC', 20 m)", Location(shown), context)
    return raw


def _text(raw: bytes, fail: Refuse) -> str:
    """The file's text: UTF-8 (a byte order mark allowed), and JSON's object, so that a file of
    some other kind (a shapefile, a CSV, an HTML error page saved by a browser) is named for
    what it is, at its first line, before json reads any of it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise fail(f"this is not a GeoJSON file: byte {e.start + 1} is not UTF-8 text "
                   "(GeoJSON is UTF-8 JSON)") from None
    start = text.lstrip()[:1]
    if start not in ("{", ""):
        line = text.lstrip().splitlines()[0] if text.strip() else ""
        raise fail(f"this is not a GeoJSON file: GeoJSON is JSON text that starts with '{{', "
                   f"this starts with '{excerpt(line, 30)}' (a boundary file is a GeoJSON "
                   "FeatureCollection, e.g. from the ONS Open Geography Portal)",
                   text.count("\n", 0, len(text) - len(text.lstrip())) + 1, 1)
    return text


def too_detailed(how_many: str) -> str:
    """The refusal of a file with more than MAX_POINTS points (`how_many`: about how many)."""
    return (f"the boundary file is too detailed: it has {how_many} points, and deckgen reads "
            f"at most {MAX_POINTS:,} in a file: simplify it (e.g. mapshaper -simplify 10%), or "
            "use generalised boundaries (the ONS's 'BGC', 20 m)")


def _json(text: str, fail: Refuse) -> Any:
    """The parsed document, nested at most MAX_DEPTH deep. json raises RecursionError for a
    document nested about a thousand deep; shallower ones are measured after parsing (the
    depth of a valid document's brackets, outside its strings)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise fail(f"this is not a GeoJSON file: {e.msg} (a boundary file is a GeoJSON "
                   "FeatureCollection, e.g. from the ONS Open Geography Portal)",
                   e.lineno, e.colno) from None
    except RecursionError:
        raise fail(_too_deep(), *_deep_at(text)) from None
    except ValueError as e:  # a number of more than 4,300 digits
        raise fail(f"this is not a GeoJSON file: {excerpt(e, 80)}") from None
    brackets = _STRING.sub("", text).translate(_ONLY_BRACKETS)
    for _ in range(MAX_DEPTH):  # each pass takes away the innermost level
        brackets = _PAIR.sub("", brackets)
    if brackets:
        raise fail(_too_deep(), *_deep_at(text))
    return doc


def _too_deep() -> str:
    return (f"this is not a boundary file: its JSON nests more than {MAX_DEPTH} levels deep "
            "here (a GeoJSON point is 8 levels deep)")


def _deep_at(text: str) -> tuple[int, int]:
    """Where the nesting first passes MAX_DEPTH (line, column), reading brackets outside
    strings up to there (json read that far, so its strings there are whole)."""
    depth = 0
    for found in _TOKEN.finditer(text):
        token = found.group()
        depth += 1 if token in "[{" else -1 if token in "]}" else 0
        if depth > MAX_DEPTH:
            at = found.start()
            return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    return 0, 0


class NotAPolygon(Exception):
    """Coordinates that are not a polygon's: `why` completes "feature 3's coordinates ...",
    naming the ring and the point."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def polygons(coordinates: Any, multi: bool) -> list[list[Any]]:
    """A Polygon's or MultiPolygon's coordinates as polygons of rings (arrays of x, y), each
    checked before shapely sees it: at most MAX_RINGS rings to a polygon, every coordinate a
    finite number within MAX_COORDINATE, every ring at least 3 different points."""
    polygons = coordinates if multi else [coordinates]
    if not isinstance(polygons, list):
        raise NotAPolygon(_SHAPE)
    out = []
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list):
            raise NotAPolygon(_SHAPE)
        if len(polygon) > MAX_RINGS:
            raise NotAPolygon(f"have a polygon of {len(polygon):,} rings (its outline and its "
                               f"holes); deckgen reads polygons of at most {MAX_RINGS:,}: "
                               "simplify the boundaries, or remove the feature")
        rings = []
        for r, ring in enumerate(polygon, start=1):
            where = (f"ring {r}" if r > 1 else "the outline") + \
                (f" of polygon {p}" if multi else "")
            rings.append(_ring_of(ring, where))
        if rings:
            out.append(rings)
    return out


def _ring_of(ring: Any, where: str) -> Any:
    """A ring as its points' x and y (an altitude, GeoJSON's third number, is dropped): a list
    of pairs, or for a long ring an array (checked at C speed); a ring that is not one is
    NotAPolygon, saying why and at which point."""
    if not isinstance(ring, list) or any(type(p) is not list for p in ring):
        raise NotAPolygon(_SHAPE)
    if len(ring) > _SMALL_RING:
        return _long_ring(ring, where)
    points = []
    for n, position in enumerate(ring, start=1):
        if not 2 <= len(position) <= 3:
            raise NotAPolygon(_SHAPE)
        try:
            x, y = float(position[0]), float(position[1])
        except (TypeError, ValueError, OverflowError):
            raise NotAPolygon(_SHAPE) from None
        for value in (x, y):
            _check_number(value, n, where)
        points.append((x, y))
    _check_distinct(len(points), len(set(points)), where)
    return points


def _long_ring(ring: list[Any], where: str) -> "np.ndarray":
    import numpy as np

    try:
        points = np.array(ring, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):  # not numbers, or ragged, or too large
        raise NotAPolygon(_SHAPE) from None
    if points.ndim != 2 or points.shape[1] not in (2, 3):
        raise NotAPolygon(_SHAPE)
    points = points[:, :2]
    bad = ~np.isfinite(points) | (np.abs(points) > MAX_COORDINATE)
    if bad.any():
        n, k = np.argwhere(bad)[0]
        _check_number(float(points[n, k]), int(n) + 1, where)
    other = (points != points[0]).any(axis=1)  # not the first point
    third = other & (points != points[other.argmax()]).any(axis=1)
    _check_distinct(len(points), 3 if third.any() else 1 + int(other.any()), where)
    return points


def _check_number(value: float, n: int, where: str) -> None:
    if not math.isfinite(value):
        shown = _JSON_NAMES.get(str(value), str(value))
        raise NotAPolygon(f"are not all numbers: point {n} of {where} has {shown}, which is "
                           f"not a finite number; {_AGAIN}")
    if abs(value) > MAX_COORDINATE:
        raise NotAPolygon(f"are no place on a map: point {n} of {where} has {value:.3g}, and "
                           f"boundaries are in longitude and latitude, or metres; {_AGAIN}")


def _check_distinct(points: int, distinct: int, where: str) -> None:
    if distinct < 3:
        raise NotAPolygon(f"do not make a ring: {where} has "
                           + ("no points" if not points else
                              f"{points} points, all the same point" if distinct == 1 else
                              f"only {distinct} different points")
                           + f" (a ring needs at least 3); {_AGAIN}")
