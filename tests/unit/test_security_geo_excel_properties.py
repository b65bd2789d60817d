"""Any bytes as a workbook or a boundary file: a table or a map's areas, or a located error.

Random bytes, random edits of a small good workbook (of its zip's bytes, and of its sheet's XML
inside a sound zip) and of a small good GeoJSON file: each is read as deckgen reads it, and the
answer is a result or a DeckError, never another exception, never more than a few seconds, and
never a file opened outside the example's folder (an audit hook watches every open).
"""

from __future__ import annotations

import copy
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from deckgen.data import boundaries
from deckgen.data.excel import read_excel
from deckgen.errors import DeckError

SECONDS = 5
_WATCH: list[Path] = []  # the folder of the example being read, while one is
_OUTSIDE: list[str] = []
#: Where reading may open files besides the example's folder: Python and its libraries
#: (imported on first use), and the system's time zone and locale data.
_ALLOWED = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix,
                                                  *sys.path, "/usr/share", "/etc/localtime"}
                 if p)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _WATCH and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path and not os.path.realpath(path).startswith(
                (str(_WATCH[-1].resolve()), *_ALLOWED)):
            _OUTSIDE.append(path)


sys.addaudithook(_audit)


def _watched(read: Callable[[Path], object], path: Path) -> None:
    """Read `path` with `read`: a result or a DeckError, in time, opening nothing elsewhere."""
    _OUTSIDE.clear()
    _WATCH.append(path.parent)
    start = time.monotonic()
    try:
        read(path)
    except DeckError as exc:
        assert str(exc).startswith(path.name) or path.name in str(exc), str(exc)
    finally:
        _WATCH.pop()
    assert time.monotonic() - start < SECONDS
    assert _OUTSIDE == []


def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


# --- workbooks ----------------------------------------------------------------------------------

def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    for row in (["district", "n", "rate"], ["Basildon", 5, 0.25], ["Southend", 7, 3.5]):
        sheet.append(row)
    sheet.merge_cells("A4:A5")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_BOOK = _workbook()
with zipfile.ZipFile(io.BytesIO(GOOD_BOOK)) as _zip:
    GOOD_PARTS = {info.filename: _zip.read(info) for info in _zip.infolist()}
SHEET = "xl/worksheets/sheet1.xml"
#: What an edit may put into a part's XML, between two of its elements: markup that changes
#: what openpyxl reads (and a few bytes that break it).
XML_BITS = ['<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "<row>", "</row>",
            '<c r="XFD3"><v>1</v></c>', "<c><v>2</v></c>", '<c r="B2"><f>B2*2</f></c>',
            '<c t="s"><v>99</v></c>', '<c t="inlineStr"><is><t>x</t></is></c>',
            '<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>',
            '<mergeCell ref="A2:B9"/>', '<dimension ref="A1:XFD1048576"/>',
            '<row r="0"><c><v>1</v></c></row>', '<row r="2.5"/>', '<c r="ZZZZ9"/>',
            '<cellXfs count="1"><xf numFmtId="9"/></cellXfs>', '<si><t>y</t></si>',
            '<sheet name="Figures" sheetId="9" r:id="rId9"/>', "<!DOCTYPE x>", "&#88;", "<",
            '"', "\x00"]


def _read_book(path: Path) -> None:
    read_excel(path, path.name, None, None, None)


def _edited(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """`data` with each edit (where, how many bytes it replaces, what) applied in turn."""
    for where, length, text in edits:
        at = where % (len(data) + 1)
        data = data[:at] + text + data[at + length:]
    return data


EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8)),
                 min_size=1, max_size=4)
#: Snippets put after the n-th '>' of a part: between elements, so most edits stay XML.
XML_EDITS = st.lists(st.tuples(st.integers(0, 10**4), st.sampled_from(XML_BITS)), min_size=1,
                     max_size=5)


def _inserted(xml: bytes, edits: list[tuple[int, str]]) -> bytes:
    for n, text in edits:
        ends = [i + 1 for i, ch in enumerate(xml) if ch == ord(">")] or [0]
        at = ends[n % len(ends)]
        xml = xml[:at] + text.encode() + xml[at:]
    return xml


COMMON = settings(max_examples=100, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_workbook(data: bytes) -> None:
    for folder in _folder():
        (folder / "f.xlsx").write_bytes(data)
        _watched(_read_book, folder / "f.xlsx")


@COMMON
@given(EDITS)
def test_a_workbook_with_its_bytes_edited(edits: list[tuple[int, int, bytes]]) -> None:
    for folder in _folder():
        (folder / "f.xlsx").write_bytes(_edited(GOOD_BOOK, edits))
        _watched(_read_book, folder / "f.xlsx")


@COMMON
@given(st.sampled_from(sorted(GOOD_PARTS)), XML_EDITS)
def test_a_workbook_with_a_part_edited(part: str, edits: list[tuple[int, str]]) -> None:
    """A sound zip around edited XML: the edits reach the checks and openpyxl themselves."""
    for folder in _folder():
        with zipfile.ZipFile(folder / "f.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in GOOD_PARTS.items():
                zf.writestr(name, _inserted(content, edits) if name == part else content)
        _watched(_read_book, folder / "f.xlsx")


def test_the_good_workbook_reads() -> None:
    for folder in _folder():
        (folder / "f.xlsx").write_bytes(GOOD_BOOK)
        frame, _, _ = read_excel(folder / "f.xlsx", "f.xlsx", None, None, None)
        assert list(frame.columns) == ["district", "n", "rate"]


# --- boundary files ----------------------------------------------------------------------------

def _square(code: str, x: float) -> dict[str, Any]:
    ring = [[x, 51.0], [x + 0.1, 51.0], [x + 0.1, 51.1], [x, 51.1], [x, 51.0]]
    hole = [[x + 0.02, 51.02], [x + 0.04, 51.02], [x + 0.04, 51.04], [x + 0.02, 51.02]]
    return {"type": "Feature", "properties": {"code": code, "d": "D"},
            "geometry": {"type": "Polygon", "coordinates": [ring, hole]}}


GOOD_GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    _square("A", 0.0), _square("B", 0.1),
    {"type": "Feature", "properties": {"code": "C", "d": "D"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[[[0.3, 51.0], [0.4, 51.0],
                                                            [0.35, 51.1], [0.3, 51.0]]]]}}]},
    indent=1).encode()
GOOD_DOC = json.loads(GOOD_GEOJSON)
#: What may replace a value somewhere in the document.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**400, 10**400)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
    | st.sampled_from([[0.1, 51.0], [[0.1, 51.0]] * 4, [], [[]], "Polygon", "MultiPolygon",
                       "Feature", "FeatureCollection"]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["type", "coordinates", "geometry", "properties", "features", "code",
                         "crs", "name"]), inner, max_size=4),
    max_leaves=12)
JSON_EDITS = st.lists(st.tuples(st.integers(0, 10**4), JSON_VALUES), min_size=1, max_size=4)
TEXT_EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 30),
                                st.sampled_from(["[", "]", "{", "}", ",", '"', "Infinity", "NaN",
                                                 "1e999", "\\", "1" * 5000, "[" * 40,
                                                 "\udcff"]).map(
                                    lambda s: s.encode("utf-8", "surrogateescape"))),
                      min_size=1, max_size=4)


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _nodes(child, (*path, key))


def _replaced(doc: Any, edits: list[tuple[int, Any]]) -> bytes:
    """The document with a value replaced at each edit (the n-th node, in document order)."""
    doc = copy.deepcopy(doc)
    for n, value in edits:
        value = copy.deepcopy(value)  # never a value inside itself
        paths = list(_nodes(doc))
        path = paths[n % len(paths)]
        if not path:
            doc = value
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value
    return json.dumps(doc).encode()


_NAMES = iter(range(10**9))


def _read_map(path: Path) -> None:
    """As a map reads its boundaries: the file, then its areas (each way a map asks)."""
    boundaries.read(path, "slide 1 (map)")
    boundaries.areas([path], "code", None, False, {}, "slide 1 (map)")
    boundaries.areas([path], "d", None, True, {}, "slide 1 (map)")


def _geojson(folder: Path, data: bytes) -> Path:
    path = folder / f"b{next(_NAMES)}.geojson"  # a new name: the memo keys on the path
    path.write_bytes(data)
    return path


@COMMON
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_boundary_file(data: bytes) -> None:
    for folder in _folder():
        _watched(_read_map, _geojson(folder, data))


@COMMON
@given(JSON_EDITS)
def test_a_boundary_file_with_its_values_replaced(edits: list[tuple[int, Any]]) -> None:
    """Still JSON, but any value anywhere may be another: a list, a number, Infinity..."""
    for folder in _folder():
        _watched(_read_map, _geojson(folder, _replaced(GOOD_DOC, edits)))


@COMMON
@given(TEXT_EDITS)
def test_a_boundary_file_with_its_text_edited(edits: list[tuple[int, int, bytes]]) -> None:
    for folder in _folder():
        _watched(_read_map, _geojson(folder, _edited(GOOD_GEOJSON, edits)))


def test_the_good_boundary_file_reads() -> None:
    for folder in _folder():
        path = _geojson(folder, GOOD_GEOJSON)
        assert [a.key for a in boundaries.areas([path], "code", None, False, {}, "").areas] \
            == ["A", "B", "C"]


@pytest.fixture(autouse=True)
def _no_watch_left() -> Iterator[None]:
    yield
    assert _WATCH == []
