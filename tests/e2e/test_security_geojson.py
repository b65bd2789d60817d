"""Boundary files (GeoJSON) made to exhaust memory, hang or crash: each is a located error.

Each hostile file is written here and built through the command line in a subprocess with its
address space limited to 1.5 GB and a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from deckgen import app
from deckgen.data import boundaries
from deckgen.errors import DeckError
from deckgen.options import Options

LIMIT_BYTES = 1536 * 2**20
SQUARE = [[0.1, 51.0], [0.2, 51.0], [0.2, 51.1], [0.1, 51.1], [0.1, 51.0]]


def _feature(code: str, coordinates: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code, "name": f"{code} ward"},
            "geometry": {"type": kind, "coordinates": coordinates}}


def _map(folder: Path, first: Any = None, text: str | None = None, crs: str = "") -> Path:
    """A deck of one map over two areas, A and B, whose boundary file is `text`, or has
    feature A with the coordinates `first` (and B a square)."""
    if text is None:
        doc: dict[str, Any] = {"type": "FeatureCollection",
                               "features": [_feature("A", first), _feature("B", [SQUARE])]}
        if crs:
            doc["crs"] = {"type": "name", "properties": {"name": crs}}
        text = json.dumps(doc)
    (folder / "b.geojson").write_text(text, encoding="utf-8")
    (folder / "d.csv").write_text("code,n\nA,1\nB,2\n", encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: map\n"
                    "    title: Areas\n    data: d\n    boundaries: b.geojson\n    area: code\n"
                    "    column: code\n    name: name\n    value: n\n", encoding="utf-8")
    return deck


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _refused(folder: Path, *expected: str) -> str:
    """`deckgen build` in a subprocess (1.5 GB, a timeout): refused in seconds with one located
    message naming each expected text, no traceback, no internal error and no deck."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml", "-o",
                             "out.pptx", "--no-cache"], cwd=folder, capture_output=True,
                            text=True, timeout=60, preexec_fn=_limit)
    err = result.stderr
    assert result.returncode == 1, err[-3000:]
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    assert err.startswith("error: b.geojson"), err
    for text in expected:
        assert text in err, err
    assert time.monotonic() - start < 20
    assert not (folder / "out.pptx").exists()
    return err


def _refused_here(folder: Path, *expected: str) -> str:
    """As _refused, in this process and as the command line prints it: for files that cost
    little even where unchecked (each was an internal error, or a wrong message)."""
    with pytest.raises(DeckError) as info:
        app.build(folder / "deck.yaml", folder / "out.pptx", options=Options(cache=False))
    message = str(info.value).replace(str(folder / "deck.yaml"), "deck.yaml")
    message = message.replace(str(folder / "b.geojson"), "b.geojson")
    for text in expected:
        assert text in message, message
    assert not (folder / "out.pptx").exists()
    return message


def test_a_polygon_of_200000_holes_is_refused(tmp_path: Path) -> None:
    """One polygon with 200,000 holes took 3.1 GB, then GEOS failed (bad_alloc)."""
    hole = "[[0.11,51.01],[0.111,51.01],[0.111,51.011],[0.11,51.01]]"
    outline = json.dumps(SQUARE)
    text = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            '{"code":"A","name":"A ward"},"geometry":{"type":"Polygon","coordinates":['
            + outline + "," + ",".join([hole] * 200_000) + "]}}]}")
    _map(tmp_path, text=text)
    _refused(tmp_path, "b.geojson:1:42: slide 1 (map): feature 1 (A ward)'s coordinates have a "
             "polygon of 200,001 rings (its outline and its holes); deckgen reads polygons of "
             "at most 10,000")


def test_a_69_mb_file_of_one_ring_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 69 MB file of one 3-million-point ring took 1.4 GB: no size was bounded."""
    points = "[0.1234567,51.1234567]," * 3_000_000
    text = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            '{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[' + points
            + "[0.1234567,51.1234567]]]}}]}")
    assert len(text) > 69_000_000
    _map(tmp_path, text=text)
    _refused(tmp_path, "b.geojson: slide 1 (map): the boundary file is larger than 50 MB, more "
             "than deckgen reads: simplify it")


def test_a_file_of_too_many_points_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """1.2 million points in 13 MB: counted from its brackets and commas before json holds
    them."""
    points = "[0.1,51.1],[0.2,51.1],[0.2,51.2]," * 400_000
    text = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            '{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[' + points
            + "[0.1,51.1]]]}}]}")
    _map(tmp_path, text=text)
    _refused(tmp_path, "b.geojson: slide 1 (map): the boundary file is too detailed: it has "
             "about 1,200,00", "points, and deckgen reads at most 1,000,000 in a file")


def test_a_map_of_too_many_points_in_all_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file within its bound, together too many: refused at the file that passes it."""
    monkeypatch.setattr(boundaries, "MAX_MAP_POINTS", 10)
    (tmp_path / "b").mkdir()
    for code, x in (("A", 0.0), ("B", 0.2), ("C", 0.4)):
        ring = [[x + dx, 51 + dy] for dx, dy in ((0, 0), (0.1, 0), (0.1, 0.1), (0, 0))]
        (tmp_path / "b" / f"{code}.geojson").write_text(json.dumps(
            {"type": "FeatureCollection", "features": [_feature(code, [ring])]}))
    deck = _map(tmp_path, [SQUARE])
    deck.write_text(deck.read_text().replace("b.geojson", "b"))
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "out.pptx", options=Options(cache=False))
    problem = info.value.problems[0]
    assert problem.message.startswith("the map's boundary files are too detailed: together "
                                      "they have more than 10 points (3 of 3 files read)")
    assert problem.location is not None and problem.location.file.endswith("C.geojson")


def test_json_nested_200000_deep_is_a_located_error(tmp_path: Path) -> None:
    """It was an internal error (RecursionError)."""
    _map(tmp_path, text='{"type": "FeatureCollection", "features": ['
         + "[" * 200_000 + "]" * 200_000 + "]}")
    _refused_here(tmp_path, "b.geojson:1:74: slide 1 (map): this is not a boundary file: its "
                  "JSON nests more than 32 levels deep here")


def test_json_nested_deeper_than_the_limit_is_a_located_error(tmp_path: Path) -> None:
    """Nested 60 deep, which json reads: measured after parsing, refused at its bracket."""
    name = "{\"a\": " * 60 + "1" + "}" * 60
    text = json.dumps({"type": "FeatureCollection", "features": [_feature("A", [SQUARE])]})
    _map(tmp_path, text=text.replace('"name": "A ward"', f'"name": "A ward", "x": {name}'))
    _refused_here(tmp_path, "b.geojson:1:", "its JSON nests more than 32 levels deep here")


@pytest.mark.parametrize("ring, why", [
    ([[0.1, 51.0]] * 5, "the outline has 5 points, all the same point (a ring needs at least 3)"),
    ([[0.1, 51.0], [0.2, 51.0], [0.1, 51.0], [0.2, 51.0]],
     "the outline has only 2 different points (a ring needs at least 3)"),
    ([], "the outline has no points (a ring needs at least 3)"),
])
def test_a_ring_that_is_not_one_is_a_located_error(ring: list[list[float]], why: str,
                                                    tmp_path: Path) -> None:
    """A ring of one point was an internal error."""
    _map(tmp_path, [ring])
    _refused_here(tmp_path, "b.geojson:1:45: slide 1 (map): feature 1 (A ward)'s coordinates "
                  f"do not make a ring: {why}; remove the feature")


def test_a_ring_on_a_line_has_no_area(tmp_path: Path) -> None:
    _map(tmp_path, [[[0.1, 51.0], [0.2, 51.0], [0.3, 51.0], [0.1, 51.0]]])
    _refused_here(tmp_path, "b.geojson:1:45: slide 1 (map): feature 1 (A ward) has no area: "
                  "its rings are lines")


@pytest.mark.parametrize("value, shown", [("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
                                          ("NaN", "NaN")])
def test_a_coordinate_that_is_not_a_finite_number_is_named_as_such(value: str, shown: str,
                                                                   tmp_path: Path) -> None:
    """Infinity (which Python's json accepts) was called metres."""
    text = json.dumps({"type": "FeatureCollection", "features": [
        _feature("A", [[[0.1, 51.0], [0.2, 51.0], [0.2, 99.5], [0.1, 51.0]]]),
        _feature("B", [SQUARE])]}).replace("99.5", value)
    _map(tmp_path, text=text)
    err = _refused_here(tmp_path, "b.geojson:1:45: slide 1 (map): feature 1 (A ward)'s "
                        f"coordinates are not all numbers: point 3 of the outline has {shown}, "
                        "which is not a finite number")
    assert "metres" not in err


def test_a_coordinate_too_large_for_any_map_is_a_located_error(tmp_path: Path) -> None:
    ring = [[0, 0], [1e300, 0], [1e300, 1e300], [0, 0]]
    _map(tmp_path, [ring], crs="urn:ogc:def:crs:EPSG::27700")
    _refused_here(tmp_path, "feature 1 (A ward)'s coordinates are no place on a map: point 2 of "
                  "the outline has 1e+300")


def test_a_pipe_named_as_the_boundary_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    deck = _map(tmp_path, [SQUARE])
    (tmp_path / "b.geojson").unlink()
    os.mkfifo(tmp_path / "b.geojson")
    assert deck.exists()
    _refused(tmp_path, "b.geojson: slide 1 (map): the boundary file is not a file (a device, a "
             "pipe or a folder)")


def test_an_altitude_is_dropped_not_a_crash(tmp_path: Path) -> None:
    """GeoJSON allows a third number, the altitude: the map is drawn from x and y."""
    deck = _map(tmp_path, [[[x + 0.2, y, 12.5] for x, y in SQUARE]])
    built = app.build(deck, tmp_path / "out.pptx", options=Options(cache=False))
    slide = Presentation(str(built.output)).slides[0]
    assert any(shape.name == "Map" for shape in slide.shapes)
